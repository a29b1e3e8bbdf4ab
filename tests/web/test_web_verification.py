"""skill.web.verification on its own: URL rules, chain store, verifiers, the SDK's interface."""

from __future__ import annotations

import io
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from flask import Flask

from skill.web import verification as v

URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
SEVEN_AMAZON_EXAMPLES = [
    ("https://s3.amazonaws.com/echo.api/echo-api-cert.pem", None),
    ("https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem", None),
    ("https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem", None),
    ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "scheme is not https"),
    ("https://notamazon.com/echo.api/echo-api-cert.pem", "host is not s3.amazonaws.com"),
    ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", "path does not start with"),
    ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "port is not 443"),
]


@pytest.mark.parametrize(("url", "problem"), SEVEN_AMAZON_EXAMPLES)
def test_amazons_seven_certificate_url_examples(url: str, problem: str | None) -> None:
    if problem is None:
        assert v.check_cert_url(url) == URL
    else:
        with pytest.raises(v.VerificationError, match=problem):
            v.check_cert_url(url)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem", None),
        ("https://s3.amazonaws.com/echo.api/../../etc/passwd", "path does not start with"),
        ("https://s3.amazonaws.com//echo.api/echo-api-cert.pem", "path does not start with"),
        ("https://s3.amazonaws.com", "path does not start with"),
        ("https://s3.amazonaws.com.evil.example/echo.api/x.pem", "host is not"),
        ("https://user@s3.amazonaws.com/echo.api/x.pem", "characters Amazon's URLs never use"),
        ("https://s3.amazonaws.com:notaport/echo.api/x.pem", "malformed"),
        ("https://s3.amazonaws.com:99999/echo.api/x.pem", "malformed"),
        ("", "scheme is not https"),
    ],
)
def test_more_certificate_urls(url: str, problem: str | None) -> None:
    if problem is None:
        v.check_cert_url(url)
    else:
        with pytest.raises(v.VerificationError, match=problem):
            v.check_cert_url(url)


F = "echo-api-cert.pem"


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/echo.api/%65cho-api-cert.pem",
        f"https://s3.amazonaws.com/%65cho.api/{F}",
        f"https://s3.amazonaws.com/echo.api/..%2f..%2fother/{F}",
        f"https://s3.amazonaws.com/echo.api/{F}\x00",
        f"https://s3.amazon\taws.com/echo.api/{F}",
        f"https://s3.amazonaws.com/echo.api/\t{F}",
        f"https://s3.amazonaws.com/echo.api/{F} ",
        f"https://s3.amazonaws.com/echo.api/{F}?x=1",
        f"https://s3.amazonaws.com/echo.api/{F}#frag",
        f"https://evil.com@s3.amazonaws.com/echo.api/{F}",
        f"https://s3.amazonaws.com\\@evil.com/echo.api/{F}",
        f"https://s3.amazonaws.c\u03bfm/echo.api/{F}",
        f"https://\uff533.amazonaws.com/echo.api/{F}",
        f"https://s3.amazonaws.com/echo.api/{F}\r\nX: y",
    ],
)
def test_characters_amazon_never_uses_are_refused_before_parsing(url: str) -> None:
    with pytest.raises(v.VerificationError, match="characters Amazon's URLs never use"):
        v.check_cert_url(url)


def test_overlong_certificate_url_is_refused() -> None:
    with pytest.raises(v.VerificationError, match="too long"):
        v.check_cert_url("https://s3.amazonaws.com/echo.api/" + "a" * 60000)
    with pytest.raises(v.VerificationError, match="too long"):
        v.check_cert_url("https://s3.amazonaws.com/echo.api/" + "../" * 5000 + F)


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com/echo.api/./echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/x/../echo-api-cert_v2.pem",
    ],
)
def test_ordinary_certificate_urls_pass_the_character_check(url: str) -> None:
    assert v.check_cert_url(url).startswith("https://s3.amazonaws.com/echo.api/")


def test_odd_characters_never_reach_a_download(root_pem: Path, good_chain: bytes) -> None:
    fetch = CountingFetch(good_chain)
    store = v.CertificateChainStore(fetch=fetch, trust_roots=[root_pem])
    for url in ("https://s3.amazonaws.com/echo.api/%65cho-api-cert.pem", URL + "\x00"):
        with pytest.raises(v.VerificationError, match="never use"):
            store.public_key(url)
    assert fetch.calls == []


def test_nul_in_a_cert_dir_name_is_not_available(cert_dir: Path, root_pem: Path) -> None:
    """Defence behind the URL check: a name no file can have is 'not available', not a 500."""
    store = v.CertificateChainStore(cert_dir=cert_dir, trust_roots=[root_pem])
    with pytest.raises(v.VerificationError, match="not available"):
        store._read_file("https://s3.amazonaws.com/echo.api/a\x00b.pem")


# --- the chain store --------------------------------------------------------------------------


class CountingFetch:
    def __init__(self, pem: bytes, delay: float = 0.0) -> None:
        self.pem = pem
        self.delay = delay
        self.calls: list[tuple[str, float, int]] = []
        self._lock = threading.Lock()

    def __call__(self, url: str, timeout: float, max_bytes: int) -> bytes:
        with self._lock:
            self.calls.append((url, timeout, max_bytes))
        time.sleep(self.delay)
        return self.pem


@pytest.fixture
def good_chain(chain_pems: dict[str, bytes]) -> bytes:
    return chain_pems["good"]


def test_chain_is_downloaded_once_and_cached(
    make_app: Callable[..., Flask], kit: SimpleNamespace, pki: Any, good_chain: bytes
) -> None:
    fetch = CountingFetch(good_chain)
    alexa = kit.AlexaCaller(make_app(CERT_DIR=None, fetch=fetch).test_client(), pki.leaf_key)
    for _ in range(3):
        assert alexa.post(kit.make_envelope()).status_code == 200
    assert len(fetch.calls) == 1


def test_fetch_gets_the_normalised_url_the_timeout_and_the_size_cap(
    root_pem: Path, good_chain: bytes
) -> None:
    fetch = CountingFetch(good_chain)
    store = v.CertificateChainStore(fetch=fetch, trust_roots=[root_pem])
    store.public_key("https://S3.amazonaws.com:443/echo.api/x/../echo-api-cert.pem")
    assert fetch.calls == [(URL, 5.0, 65536)]


def test_cached_key_is_dropped_when_the_certificate_expires(
    root_pem: Path, good_chain: bytes, pki: Any
) -> None:
    clock = SimpleNamespace(now=datetime.now(UTC))
    fetch = CountingFetch(good_chain)
    store = v.CertificateChainStore(fetch=fetch, trust_roots=[root_pem], clock=lambda: clock.now)
    store.public_key(URL)
    clock.now += timedelta(days=1)
    store.public_key(URL)
    assert len(fetch.calls) == 1
    clock.now = pki.leaf.cert.not_valid_after_utc + timedelta(seconds=1)
    with pytest.raises(v.VerificationError, match="outside its validity period"):
        store.public_key(URL)
    assert len(fetch.calls) == 2


def test_concurrent_requests_download_the_chain_once(root_pem: Path, good_chain: bytes) -> None:
    fetch = CountingFetch(good_chain, delay=0.05)
    store = v.CertificateChainStore(fetch=fetch, trust_roots=[root_pem])
    keys: list[Any] = []
    threads = [
        threading.Thread(target=lambda: keys.append(store.public_key(URL))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fetch.calls) == 1
    assert len(keys) == 8


def test_cache_holds_a_bounded_number_of_chains(root_pem: Path, good_chain: bytes) -> None:
    fetch = CountingFetch(good_chain)
    store = v.CertificateChainStore(fetch=fetch, trust_roots=[root_pem], max_entries=2)
    for name in ("a", "b", "c", "a"):
        store.public_key(f"https://s3.amazonaws.com/echo.api/{name}.pem")
    assert [call[0].rsplit("/", 1)[1] for call in fetch.calls] == [
        "a.pem",
        "b.pem",
        "c.pem",
        "a.pem",
    ]


def test_oversized_download_is_refused(root_pem: Path, good_chain: bytes) -> None:
    store = v.CertificateChainStore(
        fetch=CountingFetch(good_chain), trust_roots=[root_pem], max_bytes=100
    )
    with pytest.raises(v.VerificationError, match="larger than the size limit"):
        store.public_key(URL)


def test_failed_download_is_remembered_for_a_minute(
    root_pem: Path, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []
    ticker = SimpleNamespace(now=1000.0)

    def failing(url: str, timeout: float, max_bytes: int) -> bytes:
        calls.append(url)
        raise OSError(f"connection refused {v.CERT_URL_HEADER}")

    store = v.CertificateChainStore(
        fetch=failing, trust_roots=[root_pem], ticker=lambda: ticker.now
    )
    for _ in range(5):
        with pytest.raises(v.VerificationError, match="could not be downloaded"):
            store.public_key(URL)
    assert len(calls) == 1  # the other four were refused from memory
    ticker.now += 59
    with pytest.raises(v.VerificationError, match="could not be downloaded"):
        store.public_key(URL)
    assert len(calls) == 1
    ticker.now += 2  # a minute has passed: tried again
    with pytest.raises(v.VerificationError, match="could not be downloaded"):
        store.public_key(URL)
    assert len(calls) == 2
    assert "OSError" in caplog.text
    assert "connection refused" not in caplog.text


def test_a_failed_chain_is_remembered_with_its_reason(root_pem: Path) -> None:
    fetch = CountingFetch(b"not a pem")
    store = v.CertificateChainStore(fetch=fetch, trust_roots=[root_pem])
    for _ in range(3):
        with pytest.raises(v.VerificationError, match="not valid PEM"):
            store.public_key(URL)
    assert len(fetch.calls) == 1


def test_remembered_failures_are_bounded(root_pem: Path) -> None:
    fetch = CountingFetch(b"not a pem")
    store = v.CertificateChainStore(fetch=fetch, trust_roots=[root_pem], max_failures=3)
    urls = [f"https://s3.amazonaws.com/echo.api/bad-{n}.pem" for n in range(5)]
    for url in urls:
        with pytest.raises(v.VerificationError):
            store.public_key(url)
    assert len(store._failures) == 3
    with pytest.raises(v.VerificationError):
        store.public_key(urls[0])  # forgotten, so loaded again
    assert len(fetch.calls) == 6


def test_failures_never_evict_a_good_chain(root_pem: Path, good_chain: bytes) -> None:
    downloads: list[str] = []

    def fetch(url: str, timeout: float, max_bytes: int) -> bytes:
        downloads.append(url)
        if url == URL:
            return good_chain
        raise OSError("404")

    store = v.CertificateChainStore(fetch=fetch, trust_roots=[root_pem], max_entries=1)
    good = store.public_key(URL)
    for n in range(50):
        with pytest.raises(v.VerificationError):
            store.public_key(f"https://s3.amazonaws.com/echo.api/bogus-{n}.pem")
    assert store.public_key(URL) is good
    assert downloads.count(URL) == 1


def test_downloads_of_different_urls_do_not_wait_for_each_other(
    root_pem: Path, good_chain: bytes
) -> None:
    """No process-wide lock is held while a chain loads: a slow URL delays only itself."""
    release = threading.Event()

    def fetch(url: str, timeout: float, max_bytes: int) -> bytes:
        if url != URL:
            release.wait(10)  # a download that hangs until the test lets it go
            raise OSError("404")
        return good_chain

    store = v.CertificateChainStore(fetch=fetch, trust_roots=[root_pem])

    def attacker(n: int) -> None:
        with pytest.raises(v.VerificationError):
            store.public_key(f"https://s3.amazonaws.com/echo.api/{n}.pem")

    slow = [threading.Thread(target=attacker, args=(n,)) for n in range(4)]
    for thread in slow:
        thread.start()
    try:
        time.sleep(0.1)
        started = time.monotonic()
        store.public_key(URL)
        assert time.monotonic() - started < 0.5
    finally:
        release.set()
        for thread in slow:
            thread.join()


def test_requests_for_a_url_being_loaded_wait_for_that_load(
    root_pem: Path, good_chain: bytes
) -> None:
    fetch = CountingFetch(good_chain, delay=0.2)
    store = v.CertificateChainStore(fetch=fetch, trust_roots=[root_pem])
    errors: list[str] = []

    def call() -> None:
        try:
            store.public_key(URL)
        except v.VerificationError as err:
            errors.append(err.reason)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(fetch.calls) == 1


def test_a_failed_load_fails_its_waiters_with_its_reason(root_pem: Path) -> None:
    fetch = CountingFetch(b"not a pem", delay=0.2)
    store = v.CertificateChainStore(fetch=fetch, trust_roots=[root_pem])
    reasons: list[str] = []

    def call() -> None:
        try:
            store.public_key(URL)
        except v.VerificationError as err:
            reasons.append(err.reason)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert reasons == ["certificate chain is not valid PEM"] * 4
    assert len(fetch.calls) == 1


def test_garbage_chain_is_refused(root_pem: Path) -> None:
    store = v.CertificateChainStore(fetch=CountingFetch(b"not a pem"), trust_roots=[root_pem])
    with pytest.raises(v.VerificationError, match="not valid PEM"):
        store.public_key(URL)


def test_cert_dir_never_downloads(cert_dir: Path, root_pem: Path) -> None:
    fetch = CountingFetch(b"")
    store = v.CertificateChainStore(fetch=fetch, cert_dir=cert_dir, trust_roots=[root_pem])
    store.public_key(URL)
    with pytest.raises(v.VerificationError, match="not available"):
        store.public_key("https://s3.amazonaws.com/echo.api/absent.pem")
    assert fetch.calls == []


def test_read_capped_stops_at_the_cap() -> None:
    deadline = time.monotonic() + 5
    assert v.read_capped(io.BytesIO(b"x" * 10), 10, deadline) == b"x" * 10
    with pytest.raises(v.VerificationError, match="larger than the size limit"):
        v.read_capped(io.BytesIO(b"x" * 11), 10, deadline)


def test_read_capped_stops_at_the_deadline() -> None:
    with pytest.raises(TimeoutError):
        v.read_capped(io.BytesIO(b"x" * 10), 100, time.monotonic() - 1)


def test_trust_store_includes_certifi_and_the_system_bundle() -> None:
    import certifi

    assert Path(certifi.where()).resolve() in v._system_bundle_paths()
    assert len(v._system_roots()) > 50


# --- the verifiers through the SDK's interface ------------------------------------------------


def envelope_of(kit: SimpleNamespace, **kwargs: Any) -> tuple[str, RequestEnvelope]:
    text = kit.encode(kit.make_envelope(**kwargs)).decode("utf-8")
    return text, DefaultSerializer().deserialize(payload=text, obj_type=RequestEnvelope)


def test_verifiers_raise_the_sdks_verification_exception(kit: SimpleNamespace) -> None:
    from ask_sdk_webservice_support.verifier import AbstractVerifier, VerificationException

    text, envelope = envelope_of(kit, skill_id=kit.OTHER_SKILL_ID)
    verifier = v.SkillIdVerifier(kit.SKILL_ID)
    assert isinstance(verifier, AbstractVerifier)
    with pytest.raises(VerificationException) as caught:
        verifier.verify(headers={}, serialized_request_env=text, deserialized_request_env=envelope)
    assert caught.value.reason == "request is for another skill"


def test_signature_verifier_through_the_sdk_interface(
    kit: SimpleNamespace, pki: Any, cert_dir: Path, root_pem: Path
) -> None:
    verifier = v.SignatureVerifier(
        v.CertificateChainStore(cert_dir=cert_dir, trust_roots=[root_pem])
    )
    text, envelope = envelope_of(kit)
    headers = {
        "signaturecertchainurl": kit.CERT_URL,
        "SIGNATURE-256": kit.sign(text.encode(), pki.leaf_key),
    }
    verifier.verify(headers, text, envelope)
    with pytest.raises(v.SkillVerificationException, match="does not match"):
        verifier.verify(headers, text.replace("en-US", "en-GB"), envelope)


def test_skill_id_falls_back_to_the_session(kit: SimpleNamespace) -> None:
    envelope = kit.make_envelope()
    del envelope["context"]
    text = kit.encode(envelope).decode()
    parsed = DefaultSerializer().deserialize(payload=text, obj_type=RequestEnvelope)
    assert v.application_id(parsed) == kit.SKILL_ID
    del envelope["session"]
    parsed = DefaultSerializer().deserialize(
        payload=kit.encode(envelope).decode(), obj_type=RequestEnvelope
    )
    with pytest.raises(v.VerificationError, match="carries no skill id"):
        v.check_skill_id(parsed, kit.SKILL_ID)


def test_skill_events_may_be_an_hour_old(kit: SimpleNamespace) -> None:
    _, event = envelope_of(kit, request_type="AlexaSkillEvent.SkillEnabled", age_seconds=1800)
    now = datetime.now(UTC)
    v.check_timestamp(event, now)
    with pytest.raises(v.VerificationError, match="more than 3600 seconds old"):
        v.check_timestamp(event, now + timedelta(hours=1))


def test_timestamp_uses_the_injected_clock(kit: SimpleNamespace) -> None:
    text, envelope = envelope_of(kit)
    late = v.TimestampVerifier(clock=lambda: datetime.now(UTC) + timedelta(seconds=151))
    with pytest.raises(v.SkillVerificationException, match="more than 150 seconds old"):
        late.verify({}, text, envelope)
    v.TimestampVerifier(clock=lambda: datetime.now(UTC) + timedelta(seconds=140)).verify(
        {}, text, envelope
    )


def test_the_sdks_own_skill_adapter_path_works_with_our_verifiers(
    kit: SimpleNamespace, pki: Any, cert_dir: Path, root_pem: Path, tiny_skill: Any
) -> None:
    """Plugged into flask-ask-sdk's unmodified SkillAdapter: checked, and refused with 400."""
    from skill.web.compat import import_skill_adapter

    adapter_class = import_skill_adapter()
    app = Flask("sdk-path")
    app.config.update(ASK_SDK_VERIFY_SIGNATURE=False, ASK_SDK_VERIFY_TIMESTAMP=False)
    chains = v.CertificateChainStore(cert_dir=cert_dir, trust_roots=[root_pem])
    verifiers = [
        v.SignatureVerifier(chains),
        v.TimestampVerifier(),
        v.SkillIdVerifier(kit.SKILL_ID),
    ]
    adapter_class(skill=tiny_skill, skill_id=kit.SKILL_ID, verifiers=verifiers, app=app).register(
        app, "/"
    )
    alexa = kit.AlexaCaller(app.test_client(), pki.leaf_key)
    assert alexa.post(kit.make_envelope()).status_code == 200
    assert alexa.post(kit.make_envelope(skill_id=kit.OTHER_SKILL_ID)).status_code == 400
    assert alexa.post(kit.make_envelope(), key=pki.rogue_root.key).status_code == 400


# --- the download: a wall-clock deadline, whatever the server does -----------------------------


class SlowTLSServer:
    """A TLS server on loopback, one behaviour per connection, that records how each ended."""

    def __init__(self, context: ssl.SSLContext, behaviour: str) -> None:
        self.context = context
        self.behaviour = behaviour
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.ended = threading.Event()  # the client went away (its socket was shut down)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        try:
            if self.behaviour == "no-handshake":  # TCP only: the client's TLS handshake waits
                conn.settimeout(30)
                conn.recv(65536)  # returns (b"" or an error) once the client is cut off
                while conn.recv(65536):
                    pass
                return
            with self.context.wrap_socket(conn, server_side=True) as tls:
                self._answer(tls)
        except OSError:
            pass
        finally:
            self.ended.set()
            conn.close()
            self.listener.close()

    def _answer(self, tls: ssl.SSLSocket) -> None:
        tls.recv(65536)
        if self.behaviour == "ok":
            body = b"-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n"
            tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        elif self.behaviour == "not-found":
            tls.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        elif self.behaviour == "redirect":
            tls.sendall(
                b"HTTP/1.1 302 Found\r\nLocation: https://example.com/\r\nContent-Length: 0\r\n\r\n"
            )
        elif self.behaviour == "trickle-body":
            tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 60000\r\n\r\n")
            for _ in range(300):
                tls.sendall(b"-")
                time.sleep(0.1)
        elif self.behaviour == "endless-headers":
            tls.sendall(b"HTTP/1.1 200 OK\r\n")
            for _ in range(300):
                tls.sendall(b"X: y\r\n")
                time.sleep(0.1)


@pytest.fixture(scope="module")
def tls_contexts(pki: Any, tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """A server certificate for 127.0.0.1 from the test root, and a client trusting that root."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        pki._builder("127.0.0.1", key.public_key(), pki.root, (-1, 30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(pki.root.key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (folder / "root.pem").write_bytes(pki.root.pem)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    client = ssl.create_default_context(cafile=str(folder / "root.pem"))
    return SimpleNamespace(server=server, client=client)


def fetch_from(server: SlowTLSServer, contexts: SimpleNamespace, timeout: float) -> bytes:
    url = f"https://127.0.0.1:{server.port}/echo.api/echo-api-cert.pem"
    return v.fetch_with_deadline(url, timeout, 65536, contexts.client)


def test_download_reads_a_chain(tls_contexts: SimpleNamespace) -> None:
    server = SlowTLSServer(tls_contexts.server, "ok")
    assert fetch_from(server, tls_contexts, 5.0).startswith(b"-----BEGIN CERTIFICATE-----")


@pytest.mark.parametrize("behaviour", ["not-found", "redirect"])
def test_download_refuses_anything_but_200(tls_contexts: SimpleNamespace, behaviour: str) -> None:
    server = SlowTLSServer(tls_contexts.server, behaviour)
    with pytest.raises(OSError, match="HTTP status"):
        fetch_from(server, tls_contexts, 5.0)


@pytest.mark.parametrize("behaviour", ["trickle-body", "endless-headers", "no-handshake"])
def test_download_deadline_is_wall_clock_and_cuts_the_connection(
    tls_contexts: SimpleNamespace, behaviour: str
) -> None:
    """A byte every 0.1 s beats any per-read timeout; the whole download still ends at 1 s,
    and the connection is cut, so no thread is left reading behind the refusal."""
    server = SlowTLSServer(tls_contexts.server, behaviour)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        fetch_from(server, tls_contexts, 1.0)
    assert time.monotonic() - started < 1.5
    assert server.ended.wait(3), "the server still has the download's connection"
