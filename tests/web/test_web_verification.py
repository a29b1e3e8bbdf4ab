"""skill.web.verification on its own: URL rules, chain store, verifiers, the SDK's interface."""

from __future__ import annotations

import io
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
        ("https://user@s3.amazonaws.com/echo.api/x.pem", "carries credentials"),
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


def test_failed_download_is_refused_and_not_cached(
    root_pem: Path, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []

    def failing(url: str, timeout: float, max_bytes: int) -> bytes:
        calls.append(url)
        raise OSError(f"connection refused {v.CERT_URL_HEADER}")

    store = v.CertificateChainStore(fetch=failing, trust_roots=[root_pem])
    for _ in range(2):
        with pytest.raises(v.VerificationError, match="could not be downloaded"):
            store.public_key(URL)
    assert len(calls) == 2
    assert "OSError" in caplog.text
    assert "connection refused" not in caplog.text


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
