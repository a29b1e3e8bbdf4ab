"""A certificate authority standing in for Amazon's, for tests and the bench (as `skill.testing`
serves the skill): real keys and X.509 certificates, real signatures, nothing mocked.

- `FakeAmazonPKI`: a root -> an intermediate -> the signing certificate naming
  echo-api.amazon.com (as Amazon's chain does), a rogue root, and `chain_files()`: the chains the
  endpoint must accept or refuse (expired, another name, a weak key, the wrong purposes, ...).
- `WrittenPKI`: the same with its good chain and root written to a directory, as the endpoint's
  CERT_DIR and TRUST_ROOTS read them.
- `alexa_headers(body, key)`: the headers Alexa sends with a request body, signed.

It lives beside the verification it serves, in skill/web: it needs `cryptography`, which only the
web host uses and which tools/build_lambda.py keeps out of the Lambda bundle (with all of
skill/web).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = [
    "ALEXA_NAME",
    "CERT_URL",
    "CHAIN_FILE",
    "FakeAmazonPKI",
    "Issued",
    "WrittenPKI",
    "alexa_headers",
    "sign",
]

ALEXA_NAME = "echo-api.amazon.com"
CHAIN_FILE = "echo-api-cert.pem"
CERT_URL = f"https://s3.amazonaws.com/echo.api/{CHAIN_FILE}"

_KEY_USAGE = {
    "content_commitment": False,
    "data_encipherment": False,
    "key_agreement": False,
    "encipher_only": False,
    "decipher_only": False,
}


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _new_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def sign(body: bytes, key: Any) -> str:
    """The Signature-256 header for `body`: RSA PKCS#1 v1.5 over SHA-256, base64."""
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


def alexa_headers(body: bytes, key: Any, *, cert_url: str = CERT_URL) -> dict[str, str]:
    """The headers Alexa sends with a request: the chain's URL and the body's signature."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "Accept-Charset": "utf-8",
        "User-Agent": "Apache-HttpAsyncClient/4.1.4 (Java/1.8.0_312)",
        "SignatureCertChainUrl": cert_url,
        "Signature-256": sign(body, key),
    }


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key."""

    key: Any
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


class FakeAmazonPKI:
    """Root -> intermediate -> signing certificate naming echo-api.amazon.com; and a rogue root."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)
        self.root = self.ca("Care Compass Test Root", None)
        self.intermediate = self.ca("Care Compass Test Intermediate", self.root, path_length=0)
        self.leaf_key = _new_key()
        self.leaf = self.issue_leaf()
        self.rogue_root = self.ca("Rogue Root", None)
        self.weak_key = _new_key(1024)  # too small for the browsers' rule

    # -- signing, as Alexa does -------------------------------------------------------------

    def signature(self, body: bytes) -> bytes:
        """The raw RSA signature of `body` by the signing certificate's key."""
        return bytes(self.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA256()))

    def headers(self, body: bytes, *, cert_url: str = CERT_URL) -> dict[str, str]:
        """The headers Alexa sends with `body`, signed with the signing certificate's key."""
        return alexa_headers(body, self.leaf_key, cert_url=cert_url)

    def public_key(self) -> Any:
        return self.leaf.cert.public_key()

    @property
    def good_chain(self) -> bytes:
        """The chain Amazon publishes: the signing certificate, then the intermediate."""
        return self.chain(self.leaf, self.intermediate)

    # -- certificates -----------------------------------------------------------------------

    def _builder(
        self, subject: str, public_key: Any, issuer: Issued | None, days: tuple[float, float]
    ) -> x509.CertificateBuilder:
        issuer_name = issuer.cert.subject if issuer else _name(subject)
        issuer_public = issuer.key.public_key() if issuer else public_key
        return (
            x509.CertificateBuilder()
            .subject_name(_name(subject))
            .issuer_name(issuer_name)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(self.now + timedelta(days=days[0]))
            .not_valid_after(self.now + timedelta(days=days[1]))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False
            )
        )

    def ca(
        self,
        subject: str,
        issuer: Issued | None,
        *,
        path_length: int | None = None,
        eku: Sequence[x509.ObjectIdentifier] = (),
        key: Any = None,
    ) -> Issued:
        key = key or _new_key()
        builder = (
            self._builder(subject, key.public_key(), issuer, (-30, 3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_encipherment=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    **_KEY_USAGE,
                ),
                critical=True,
            )
        )
        if eku:
            builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
        signer = issuer.key if issuer else key
        return Issued(key, builder.sign(signer, hashes.SHA256()))

    def issue_leaf(
        self,
        *,
        names: Sequence[str] | None = (ALEXA_NAME,),
        days: tuple[float, float] = (-1, 365),
        issuer: Issued | None = None,
        eku: Sequence[x509.ObjectIdentifier] = (
            ExtendedKeyUsageOID.SERVER_AUTH,
            ExtendedKeyUsageOID.CLIENT_AUTH,
        ),
        key: Any = None,
        digital_signature: bool = True,
    ) -> Issued:
        key = key or self.leaf_key
        issuer = issuer or self.intermediate
        builder = (
            self._builder(ALEXA_NAME, key.public_key(), issuer, days)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=digital_signature,
                    key_encipherment=True,
                    key_cert_sign=False,
                    crl_sign=False,
                    **_KEY_USAGE,
                ),
                critical=True,
            )
        )
        if names is not None:
            san = x509.SubjectAlternativeName([x509.DNSName(name) for name in names])
            builder = builder.add_extension(san, critical=False)
        if eku:
            builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
        return Issued(key, builder.sign(issuer.key, hashes.SHA256()))

    @staticmethod
    def chain(*certs: Issued) -> bytes:
        return b"".join(issued.pem for issued in certs)

    def chain_files(self) -> dict[str, bytes]:
        """Each chain the endpoint must accept ("good") or refuse, by kind."""
        server_only = [ExtendedKeyUsageOID.SERVER_AUTH]
        server_intermediate = self.ca(
            "Server-only Intermediate", self.root, path_length=0, eku=server_only
        )
        ec_key = ec.generate_private_key(ec.SECP256R1())
        oid = ExtendedKeyUsageOID
        email_ca = self.ca("E-mail-only CA", self.root, path_length=0, eku=[oid.EMAIL_PROTECTION])
        code_ca = self.ca("Code-signing CA", self.root, path_length=0, eku=[oid.CODE_SIGNING])
        weak_ca = self.ca("RSA-1024 CA", self.root, path_length=0, key=self.weak_key)
        middle = self.intermediate
        return {
            "client-auth-only": self.chain(self.issue_leaf(eku=[oid.CLIENT_AUTH]), middle),
            "any-purpose": self.chain(self.issue_leaf(eku=[oid.ANY_EXTENDED_KEY_USAGE]), middle),
            "no-eku": self.chain(self.issue_leaf(eku=()), middle),
            "code-signing": self.chain(self.issue_leaf(eku=[oid.CODE_SIGNING]), middle),
            "email-only": self.chain(self.issue_leaf(eku=[oid.EMAIL_PROTECTION]), middle),
            "no-digital-signature": self.chain(self.issue_leaf(digital_signature=False), middle),
            "email-ca": self.chain(self.issue_leaf(issuer=email_ca), email_ca),
            "code-signing-ca": self.chain(self.issue_leaf(issuer=code_ca), code_ca),
            "rsa-1024": self.chain(self.issue_leaf(key=self.weak_key), middle),
            "rsa-1024-ca": self.chain(self.issue_leaf(issuer=weak_ca), weak_ca),
            "good": self.good_chain,
            "expired": self.chain(self.issue_leaf(days=(-30, -1)), middle),
            "other-name": self.chain(self.issue_leaf(names=["example.com"]), middle),
            "no-name": self.chain(self.issue_leaf(names=None), middle),
            "untrusted": self.chain(self.issue_leaf(issuer=self.rogue_root), self.rogue_root),
            "server-auth-only": self.chain(
                self.issue_leaf(issuer=server_intermediate, eku=server_only), server_intermediate
            ),
            "ec-key": self.chain(self.issue_leaf(key=ec_key), middle),
        }


class WrittenPKI(FakeAmazonPKI):
    """A `FakeAmazonPKI` whose good chain is `cert_dir`/echo-api-cert.pem (the endpoint's
    CERT_DIR, so nothing is downloaded) and whose root is `root_file` (its TRUST_ROOTS)."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.cert_dir = directory / "certs"
        self.cert_dir.mkdir(parents=True, exist_ok=True)
        (self.cert_dir / CHAIN_FILE).write_bytes(self.good_chain)
        self.root_file = directory / "root.pem"
        self.root_file.write_bytes(self.root.pem)
