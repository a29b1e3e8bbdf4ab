"""A test CA standing in for Amazon's (root -> intermediate -> echo-api.amazon.com), written to a
temporary directory as the endpoint's CERT_DIR and TRUST_ROOTS, and request signing with its key.

The same approach as tests/web/conftest.py, kept here so the bench imports no test module.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ALEXA_NAME = "echo-api.amazon.com"
CHAIN_FILE = "echo-api-cert.pem"
CERT_URL = f"https://s3.amazonaws.com/echo.api/{CHAIN_FILE}"


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=not ca,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass(frozen=True)
class Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _issue(
    subject: str, issuer: Issued | None, *, ca: bool, path_length: int | None = None
) -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    issuer_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.cert.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        .add_extension(_key_usage(ca=ca), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(ALEXA_NAME)]), critical=False
        ).add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
    return Issued(key, builder.sign(issuer_key, hashes.SHA256()))


@dataclass(frozen=True)
class TestPKI:
    root: Issued
    intermediate: Issued
    leaf: Issued
    cert_dir: Path
    root_file: Path

    def signature(self, body: bytes) -> bytes:
        return self.leaf.key.sign(body, padding.PKCS1v15(), hashes.SHA256())

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self.signature(body)).decode("ascii")

    def headers(self, body: bytes) -> dict[str, str]:
        """The headers Alexa sends with a request."""
        return {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "Accept-Charset": "utf-8",
            "User-Agent": "Apache-HttpAsyncClient/4.1.4 (Java/1.8.0_312)",
            "SignatureCertChainUrl": CERT_URL,
            "Signature-256": self.sign(body),
            "Signature": self.sign(body),  # the SHA-1 signature Alexa still sends; ignored
        }

    def public_key(self) -> Any:
        return self.leaf.cert.public_key()


def make_pki(directory: Path) -> TestPKI:
    """Root, intermediate and signing certificate; the chain in ``directory/certs``."""
    root = _issue("Care Compass Bench Root", None, ca=True)
    intermediate = _issue("Care Compass Bench Intermediate", root, ca=True, path_length=0)
    leaf = _issue(ALEXA_NAME, intermediate, ca=False)
    cert_dir = directory / "certs"
    cert_dir.mkdir(parents=True, exist_ok=True)
    (cert_dir / CHAIN_FILE).write_bytes(leaf.pem + intermediate.pem)
    root_file = directory / "bench-root.pem"
    root_file.write_bytes(root.pem)
    return TestPKI(root, intermediate, leaf, cert_dir, root_file)
