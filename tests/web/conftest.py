"""Fixtures for the Flask endpoint: a test PKI standing in for Amazon's, signed Alexa requests."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from flask import Flask
from flask.testing import FlaskClient

SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
OTHER_SKILL_ID = "amzn1.ask.skill.99999999-8888-7777-6666-555555555555"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
ALEXA_NAME = "echo-api.amazon.com"
#: Put wherever a person's words or a secret could travel; must never reach a log or an error.
MARKER = "MARKER-b1eed-4f7c"

CHAIN_FILES = {
    "good": "echo-api-cert.pem",
    "expired": "expired.pem",
    "other-name": "other-name.pem",
    "no-name": "no-name.pem",
    "untrusted": "untrusted.pem",
    "server-auth-only": "server-auth-only.pem",
    "ec-key": "ec-key.pem",
}


def url_for(kind: str) -> str:
    return f"https://s3.amazonaws.com/echo.api/{CHAIN_FILES[kind]}"


# --- a small PKI ------------------------------------------------------------------------------

_KEY_USAGE = {
    "content_commitment": False,
    "data_encipherment": False,
    "key_agreement": False,
    "encipher_only": False,
    "decipher_only": False,
}


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass(frozen=True)
class Issued:
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
    ) -> Issued:
        key = _new_key()
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
    ) -> Issued:
        key = key or self.leaf_key
        issuer = issuer or self.intermediate
        builder = (
            self._builder(ALEXA_NAME, key.public_key(), issuer, days)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
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
        """Each chain the tests use, by kind (see CHAIN_FILES)."""
        server_only = [ExtendedKeyUsageOID.SERVER_AUTH]
        server_intermediate = self.ca(
            "Server-only Intermediate", self.root, path_length=0, eku=server_only
        )
        ec_key = ec.generate_private_key(ec.SECP256R1())
        return {
            "good": self.chain(self.leaf, self.intermediate),
            "expired": self.chain(self.issue_leaf(days=(-30, -1)), self.intermediate),
            "other-name": self.chain(self.issue_leaf(names=["example.com"]), self.intermediate),
            "no-name": self.chain(self.issue_leaf(names=None), self.intermediate),
            "untrusted": self.chain(self.issue_leaf(issuer=self.rogue_root), self.rogue_root),
            "server-auth-only": self.chain(
                self.issue_leaf(issuer=server_intermediate, eku=server_only), server_intermediate
            ),
            "ec-key": self.chain(self.issue_leaf(key=ec_key), self.intermediate),
        }


@pytest.fixture(scope="session")
def pki() -> FakeAmazonPKI:
    return FakeAmazonPKI()


@pytest.fixture(scope="session")
def chain_pems(pki: FakeAmazonPKI) -> dict[str, bytes]:
    return pki.chain_files()


@pytest.fixture
def cert_dir(tmp_path: Path, chain_pems: dict[str, bytes]) -> Path:
    directory = tmp_path / "certs"
    directory.mkdir()
    for kind, pem in chain_pems.items():
        (directory / CHAIN_FILES[kind]).write_bytes(pem)
    return directory


@pytest.fixture
def root_pem(tmp_path: Path, pki: FakeAmazonPKI) -> Path:
    path = tmp_path / "test-root.pem"
    path.write_bytes(pki.root.pem)
    return path


# --- skills -----------------------------------------------------------------------------------


class LaunchHello(AbstractRequestHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("LaunchRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("hello").response


def _tiny_skill(skill_id: str | None = None) -> CustomSkill:
    builder = SkillBuilder()
    builder.skill_id = skill_id
    builder.add_request_handler(LaunchHello())
    return builder.create()


@pytest.fixture
def tiny_skill() -> CustomSkill:
    """A skill that answers LaunchRequest with "hello" and nothing else."""
    return _tiny_skill()


@pytest.fixture
def tiny_skill_factory() -> Callable[[str | None], CustomSkill]:
    return _tiny_skill


# --- requests ---------------------------------------------------------------------------------


def alexa_timestamp(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_envelope(
    request_type: str = "LaunchRequest",
    *,
    skill_id: str = SKILL_ID,
    age_seconds: float = 0,
    **request_fields: Any,
) -> dict[str, Any]:
    """An Alexa request envelope shaped like the real ones."""
    user = {"userId": "amzn1.ask.account.TESTUSER"}
    application = {"applicationId": skill_id}
    moment = datetime.now(UTC) - timedelta(seconds=age_seconds)
    return {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": "amzn1.echo-api.session.0000-test",
            "application": application,
            "attributes": {},
            "user": user,
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {"deviceId": "amzn1.ask.device.TEST", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
                "apiAccessToken": "test-token",
            }
        },
        "request": {
            "type": request_type,
            "requestId": "amzn1.echo-api.request.0000-test",
            "timestamp": alexa_timestamp(moment),
            "locale": "en-US",
            **request_fields,
        },
    }


def intent_envelope(slot_value: str = MARKER) -> dict[str, Any]:
    """An IntentRequest whose slot carries what the person said (the tiny skill has no handler)."""
    slot = {"name": "detail", "value": slot_value, "confirmationStatus": "NONE"}
    intent = {"name": "DescribeIntent", "confirmationStatus": "NONE", "slots": {"detail": slot}}
    return make_envelope("IntentRequest", intent=intent, dialogState="STARTED")


def encode(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope).encode("utf-8")


def sign(body: bytes, key: Any) -> str:
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


class AlexaCaller:
    """Posts bodies to the app the way Alexa does: signed with the test signing key."""

    def __init__(self, client: FlaskClient, key: Any) -> None:
        self.client = client
        self.key = key

    def headers(self, body: bytes, *, cert_url: str = CERT_URL, key: Any = None) -> dict[str, str]:
        return {
            "SignatureCertChainUrl": cert_url,
            "Signature-256": sign(body, key or self.key),
            "Content-Type": "application/json; charset=utf-8",
        }

    def post(
        self,
        body: dict[str, Any] | bytes,
        *,
        cert_url: str = CERT_URL,
        key: Any = None,
        headers: dict[str, str] | None = None,
        drop: Sequence[str] = (),
    ) -> Any:
        raw = body if isinstance(body, bytes) else encode(body)
        sent = self.headers(raw, cert_url=cert_url, key=key)
        sent.update(headers or {})
        for name in drop:
            sent.pop(name, None)
        return self.client.post("/", data=raw, headers=sent)


@pytest.fixture
def make_app(cert_dir: Path, root_pem: Path, tiny_skill: CustomSkill) -> Callable[..., Flask]:
    """create_app with the test PKI trusted, chains from the cert dir and the tiny skill."""

    def build(*, skill: CustomSkill | None = None, fetch: Any = None, **config: Any) -> Flask:
        settings: dict[str, Any] = {
            "ALEXA_SKILL_ID": SKILL_ID,
            "CERT_DIR": str(cert_dir),
            "TRUST_ROOTS": [str(root_pem)],
        }
        settings.update(config)
        app = _create_app(settings, skill=skill or tiny_skill, fetch=fetch)
        app.testing = True
        return app

    return build


def _create_app(settings: dict[str, Any], **kwargs: Any) -> Flask:
    from skill.web.app import create_app

    return create_app(settings, **kwargs)


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def alexa(app: Flask, pki: FakeAmazonPKI) -> AlexaCaller:
    return AlexaCaller(app.test_client(), pki.leaf_key)


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture every logger at DEBUG, as the strictest check that nothing private is logged."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="skill.web")
    yield caplog


def assert_refused(response: Any, reason: str, status: int = 400) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code == status, text
    assert response.mimetype == "text/plain"
    assert text == reason + "\n"
    assert "Traceback" not in text


@pytest.fixture(scope="session")
def kit() -> SimpleNamespace:
    """Constants and helpers for the tests (tests/web is not a package, so no imports from here)."""
    return SimpleNamespace(
        SKILL_ID=SKILL_ID,
        OTHER_SKILL_ID=OTHER_SKILL_ID,
        CERT_URL=CERT_URL,
        MARKER=MARKER,
        CHAIN_FILES=CHAIN_FILES,
        url_for=url_for,
        make_envelope=make_envelope,
        intent_envelope=intent_envelope,
        encode=encode,
        sign=sign,
        assert_refused=assert_refused,
        AlexaCaller=AlexaCaller,
    )
