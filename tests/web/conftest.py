"""Fixtures for the Flask endpoint: a test PKI standing in for Amazon's, signed Alexa requests."""

from __future__ import annotations

import http.client
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
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
from flask import Flask
from flask.testing import FlaskClient

from skill.testing import OTHER_SKILL_ID, SKILL_ID, alexa_timestamp, in_session
from skill.web.testing import CERT_URL, FakeAmazonPKI, alexa_headers, sign

#: Put wherever a person's words or a secret could travel; must never reach a log or an error.
MARKER = "MARKER-b1eed-4f7c"

ROOT = Path(__file__).resolve().parents[2]

CHAIN_FILES = {
    "good": "echo-api-cert.pem",
    "expired": "expired.pem",
    "other-name": "other-name.pem",
    "no-name": "no-name.pem",
    "untrusted": "untrusted.pem",
    "server-auth-only": "server-auth-only.pem",
    "ec-key": "ec-key.pem",
    # purposes and key sizes (the browsers' rule; docs/endpoint.md)
    "client-auth-only": "client-auth-only.pem",
    "any-purpose": "any-purpose.pem",
    "no-eku": "no-eku.pem",
    "code-signing": "code-signing.pem",
    "email-only": "email-only.pem",
    "no-digital-signature": "no-digital-signature.pem",
    "email-ca": "email-ca.pem",
    "code-signing-ca": "code-signing-ca.pem",
    "rsa-1024": "rsa-1024.pem",
    "rsa-1024-ca": "rsa-1024-ca.pem",
}


def url_for(kind: str) -> str:
    return f"https://s3.amazonaws.com/echo.api/{CHAIN_FILES[kind]}"


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


def make_envelope(
    request_type: str = "LaunchRequest",
    *,
    skill_id: str = SKILL_ID,
    age_seconds: float = 0,
    **request_fields: Any,
) -> dict[str, Any]:
    """A request envelope shaped as Alexa sends it (skill.testing), sent `age_seconds` ago."""
    moment = datetime.now(UTC) - timedelta(seconds=age_seconds)
    request = {"type": request_type, "timestamp": alexa_timestamp(moment), **request_fields}
    return in_session(request, new=True, skill_id=skill_id)


def intent_envelope(slot_value: str = MARKER) -> dict[str, Any]:
    """An IntentRequest whose slot carries what the person said (the tiny skill has no handler)."""
    slot = {"name": "detail", "value": slot_value, "confirmationStatus": "NONE"}
    intent = {"name": "DescribeIntent", "confirmationStatus": "NONE", "slots": {"detail": slot}}
    return make_envelope("IntentRequest", intent=intent, dialogState="STARTED")


def encode(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope).encode("utf-8")


class AlexaCaller:
    """Posts bodies to the app the way Alexa does: signed with the test signing key."""

    def __init__(self, client: FlaskClient, key: Any) -> None:
        self.client = client
        self.key = key

    def headers(self, body: bytes, *, cert_url: str = CERT_URL, key: Any = None) -> dict[str, str]:
        return alexa_headers(body, key or self.key, cert_url=cert_url)

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


# --- over HTTP: a live server, raw requests, subprocesses ---------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(app: Flask) -> Iterator[int]:
    """``app`` on Werkzeug's threaded server on a free loopback port; yields the port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield int(server.port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def http_request(
    port: int,
    method: str,
    path: str = "/",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    *,
    host: str = "127.0.0.1",
    timeout: float = 10.0,
) -> Answer:
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        connection.close()


def raw_http(port: int, data: bytes, timeout: float = 10.0) -> Answer:
    """Send ``data`` as it is (a chunked body, a NUL in a header) and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:

        def send() -> None:
            # The server may answer (413) and close before reading everything: the answer is
            # read meanwhile, on this thread, so that a reset after it loses nothing.
            with suppress(OSError):
                sock.sendall(data)
                # Werkzeug's server drains what is left of a body until the client is done.
                sock.shutdown(socket.SHUT_WR)

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        sender.join(timeout)
    head, _, rest = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else -1
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return Answer(status, {k.lower(): v for k, v in headers.items()}, rest)


def chunked_request(body: bytes, headers: dict[str, str], chunk: int = 4096) -> bytes:
    head = "POST / HTTP/1.1\r\nHost: test\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    parts = [head.encode("latin-1")]
    for start in range(0, len(body), chunk):
        piece = body[start : start + chunk]
        parts.append(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
    parts.append(b"0\r\n\r\n")
    return b"".join(parts)


class HttpAlexa:
    """Signed Alexa requests over real HTTP to a server on loopback."""

    def __init__(self, port: int, key: Any) -> None:
        self.port = port
        self.key = key

    def headers(self, body: bytes, cert_url: str = CERT_URL, key: Any = None) -> dict[str, str]:
        return alexa_headers(body, key or self.key, cert_url=cert_url)

    def post(
        self, body: dict[str, Any] | bytes, *, cert_url: str = CERT_URL, key: Any = None
    ) -> Answer:
        raw = body if isinstance(body, bytes) else encode(body)
        return http_request(self.port, "POST", "/", raw, self.headers(raw, cert_url, key))


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a child process: this interpreter's packages, the project on the path,
    no skill id unless given (the tests decide), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in ("ALEXA_SKILL_ID", "ALEXA_ANY_SKILL")}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *(p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p)]
    )
    env.update(extra)
    return env


def wait_for_health(port: int, process: subprocess.Popen[Any], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with status {process.returncode}")
        try:
            if http_request(port, "GET", "/healthz", timeout=1).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("server did not become healthy")


@contextmanager
def running(argv: list[str], port: int, env: dict[str, str], log: Path) -> Iterator[Any]:
    """Start ``argv`` (a server) in its own process group; stop it, and only it, at the end."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_for_health(port, process)
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, 15)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, 9)
                    process.wait(timeout=5)


@pytest.fixture(scope="session")
def web() -> SimpleNamespace:
    """HTTP helpers for the tests (tests/web is not a package: no imports from here)."""
    return SimpleNamespace(
        ROOT=ROOT,
        PYTHON=sys.executable,
        free_port=free_port,
        live_server=live_server,
        http_request=http_request,
        raw_http=raw_http,
        chunked_request=chunked_request,
        HttpAlexa=HttpAlexa,
        subprocess_env=subprocess_env,
        running=running,
        wait_for_health=wait_for_health,
    )
