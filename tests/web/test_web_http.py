"""The endpoint over real HTTP (Werkzeug's threaded server on loopback), with the test CA.

What is shown here: cheap refusals before any download, a burst of unsigned requests that
neither evicts the genuine chain nor delays a genuine request, bodies over the cap refused
whether chunked or not, the browsers' certificate policy, and the pages for people.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from html import unescape
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
UNSIGNED = "A" * 344  # base64 of 256 bytes: the length of a real signature, signing nothing


class S3Like:
    """Stands in for S3 behind the chain download: the genuine chain at once; any other object
    after ``delay`` seconds, then "not found" (S3 decodes %-escapes in keys: so does this)."""

    def __init__(self, good_chain: bytes, delay: float) -> None:
        self.good_chain = good_chain
        self.delay = delay
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, url: str, timeout: float, max_bytes: int) -> bytes:
        with self._lock:
            self.calls.append(url)
        if urllib.parse.unquote(url) == CERT_URL:
            return self.good_chain
        time.sleep(self.delay)
        raise OSError("404")

    def count(self, url: str) -> int:
        with self._lock:
            return self.calls.count(url)


@pytest.fixture
def network_server(
    make_app: Callable[..., Flask], chain_pems: dict[str, bytes], web: SimpleNamespace
) -> Iterator[tuple[int, S3Like]]:
    """The app with chains downloaded (through S3Like, 2 s for anything but the genuine chain)."""
    s3 = S3Like(chain_pems["good"], delay=2.0)
    with web.live_server(make_app(CERT_DIR=None, fetch=s3)) as port:
        yield port, s3


@pytest.fixture
def server(make_app: Callable[..., Flask], web: SimpleNamespace) -> Iterator[int]:
    """The app with chains from the test cert dir."""
    with web.live_server(make_app()) as port:
        yield port


def unsigned_post(web: SimpleNamespace, port: int, cert_url: str) -> Any:
    headers = {"SignatureCertChainUrl": cert_url, "Signature-256": UNSIGNED}
    return web.http_request(port, "POST", "/", b"{}", headers, timeout=30)


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


# --- no download before a cheap refusal; a burst changes nothing for Alexa ----------------------


def test_burst_of_unsigned_requests_neither_evicts_the_chain_nor_delays_alexa(
    network_server: tuple[int, S3Like], pki: Any, kit: SimpleNamespace, web: SimpleNamespace
) -> None:
    port, s3 = network_server
    alexa = web.HttpAlexa(port, pki.leaf_key)
    assert alexa.post(kit.make_envelope()).status == 200  # the genuine chain, now cached
    name = "echo-api-cert.pem"
    spellings = [  # other spellings of the genuine object: each was a fresh download before
        CERT_URL.replace(
            name, "".join(f"%{ord(c):02X}" if (n >> k) & 1 else c for k, c in enumerate(name))
        )
        for n in range(1, 17)
    ]
    bogus = [f"https://s3.amazonaws.com/echo.api/bogus-{n}.pem" for n in range(24)]
    answers: list[int] = []
    lock = threading.Lock()

    def attack(url: str) -> None:
        status = unsigned_post(web, port, url).status
        with lock:
            answers.append(status)

    attackers = [threading.Thread(target=attack, args=(url,)) for url in spellings + bogus]
    for thread in attackers:
        thread.start()
    time.sleep(0.3)  # the bogus downloads are now in flight (2 s each)
    try:
        for _ in range(3):
            response, seconds = timed(lambda: alexa.post(kit.make_envelope()))
            assert response.status == 200
            assert seconds < 1.0, f"a genuine request took {seconds:.2f} s during the burst"
    finally:
        for thread in attackers:
            thread.join()
    assert answers == [400] * len(attackers)
    assert s3.count(CERT_URL) == 1, "the genuine chain was downloaded again"
    assert not [url for url in s3.calls if "%" in url], "an encoded spelling was downloaded"
    assert len(s3.calls) == 1 + len(bogus)


def test_cold_genuine_request_does_not_queue_behind_slow_downloads(
    network_server: tuple[int, S3Like], pki: Any, kit: SimpleNamespace, web: SimpleNamespace
) -> None:
    """Nothing cached yet (a worker's first request): attackers' downloads of 2 s each are in
    flight, and the genuine request loads its own chain without waiting for theirs."""
    port, _ = network_server
    attackers = [
        threading.Thread(
            target=unsigned_post, args=(web, port, f"https://s3.amazonaws.com/echo.api/a{n}.pem")
        )
        for n in range(4)
    ]
    for thread in attackers:
        thread.start()
    time.sleep(0.3)
    try:
        response, seconds = timed(
            lambda: web.HttpAlexa(port, pki.leaf_key).post(kit.make_envelope())
        )
        assert response.status == 200
        assert seconds < 1.0, f"the genuine request waited {seconds:.2f} s"
    finally:
        for thread in attackers:
            thread.join()


def test_a_failed_download_is_remembered_not_repeated(
    network_server: tuple[int, S3Like], web: SimpleNamespace
) -> None:
    port, s3 = network_server
    s3.delay = 0.0
    url = "https://s3.amazonaws.com/echo.api/does-not-exist.pem"
    answers = [unsigned_post(web, port, url) for _ in range(5)]
    assert {(a.status, a.text) for a in answers} == {
        (400, "certificate chain could not be downloaded\n")
    }
    assert s3.count(url) == 1


@pytest.mark.parametrize(
    ("cert_url", "signature", "reason"),
    [
        (
            CERT_URL.replace("echo-api", "%65cho-api"),
            UNSIGNED,
            "certificate URL has characters Amazon's URLs never use",
        ),
        (CERT_URL + "?x=1", UNSIGNED, "certificate URL has characters Amazon's URLs never use"),
        ("https://s3.amazonaws.com/echo.api/" + "a" * 300, UNSIGNED, "certificate URL is too long"),
        (CERT_URL, "AAAA", "Signature-256 header is too short to be a signature"),
    ],
)
def test_cheap_refusals_download_nothing(
    network_server: tuple[int, S3Like],
    web: SimpleNamespace,
    cert_url: str,
    signature: str,
    reason: str,
) -> None:
    port, s3 = network_server
    headers = {"SignatureCertChainUrl": cert_url, "Signature-256": signature}
    answer = web.http_request(port, "POST", "/", b"{}", headers)
    assert (answer.status, answer.text) == (400, reason + "\n")
    assert s3.calls == []


def test_nul_in_the_certificate_url_is_a_400_in_cert_dir_mode(
    server: int, pki: Any, kit: SimpleNamespace, web: SimpleNamespace
) -> None:
    """Review L6: Werkzeug passes a NUL in a header through; it was a 500 (embedded null byte)."""
    body = kit.encode(kit.make_envelope())
    signature = kit.sign(body, pki.leaf_key)
    request = (
        b"POST / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n"
        b"SignatureCertChainUrl: " + CERT_URL.encode() + b"\x00\r\n"
        b"Signature-256: " + signature.encode() + b"\r\n\r\n" + body
    ) % len(body)
    answer = web.raw_http(server, request)
    assert (answer.status, answer.text) == (
        400,
        "certificate URL has characters Amazon's URLs never use\n",
    )


# --- bodies: over the cap is 413, chunked or not ------------------------------------------------


@pytest.fixture
def small_cap_server(make_app: Callable[..., Flask], web: SimpleNamespace) -> Iterator[int]:
    with web.live_server(make_app(MAX_BODY_BYTES=4096)) as port:
        yield port


def padded_body(kit: SimpleNamespace, size: int) -> bytes:
    body = kit.encode(kit.make_envelope())
    return body + b" " * (size - len(body))


def test_chunked_body_over_the_cap_is_413_never_cut_and_served(
    small_cap_server: int, pki: Any, kit: SimpleNamespace, web: SimpleNamespace
) -> None:
    """Review L1: a signed body of exactly the cap, then more the signature does not cover.
    Cut at the cap it verified and was answered 200; it must be refused as a whole."""
    signed = padded_body(kit, 4096)
    headers = web.HttpAlexa(small_cap_server, pki.leaf_key).headers(signed)
    request = web.chunked_request(signed + b"JUNK" * 2048, headers)
    answer = web.raw_http(small_cap_server, request)
    assert (answer.status, answer.text) == (413, "request body is too large\n")


def test_chunked_body_at_the_cap_is_served(
    small_cap_server: int, pki: Any, kit: SimpleNamespace, web: SimpleNamespace
) -> None:
    signed = padded_body(kit, 4096)
    headers = web.HttpAlexa(small_cap_server, pki.leaf_key).headers(signed)
    answer = web.raw_http(small_cap_server, web.chunked_request(signed, headers))
    assert answer.status == 200, answer.text
    assert "hello" in answer.text


def test_content_length_body_over_the_cap_is_413(
    small_cap_server: int, pki: Any, kit: SimpleNamespace, web: SimpleNamespace
) -> None:
    signed = padded_body(kit, 4096)
    body = signed + b"JUNK"
    headers = web.HttpAlexa(small_cap_server, pki.leaf_key).headers(signed)
    answer = web.http_request(small_cap_server, "POST", "/", body, headers)
    assert (answer.status, answer.text) == (413, "request body is too large\n")


# --- certificate policy: what a browser would refuse for TLS -------------------------------------


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("code-signing", "signing certificate is not for TLS authentication"),
        ("email-only", "signing certificate is not for TLS authentication"),
        ("no-digital-signature", "signing certificate is not for digital signatures"),
        ("email-ca", "certificate chain has a CA that is not for TLS authentication"),
        ("code-signing-ca", "certificate chain has a CA that is not for TLS authentication"),
        # cryptography's verifier itself refuses an issuer's RSA key under 2048 bits
        ("rsa-1024-ca", "certificate chain does not lead to a trusted root"),
    ],
)
def test_chains_a_browser_would_refuse_are_refused(
    server: int, pki: Any, kit: SimpleNamespace, web: SimpleNamespace, kind: str, reason: str
) -> None:
    alexa = web.HttpAlexa(server, pki.leaf_key)
    answer = alexa.post(kit.make_envelope(), cert_url=kit.url_for(kind))
    assert (answer.status, answer.text) == (400, reason + "\n")


@pytest.mark.parametrize(
    "kind", ["good", "server-auth-only", "client-auth-only", "any-purpose", "no-eku"]
)
def test_chains_for_tls_are_accepted(
    server: int, pki: Any, kit: SimpleNamespace, web: SimpleNamespace, kind: str
) -> None:
    alexa = web.HttpAlexa(server, pki.leaf_key)
    assert alexa.post(kit.make_envelope(), cert_url=kit.url_for(kind)).status == 200


def test_rsa_1024_signing_key_is_refused(
    server: int, pki: Any, kit: SimpleNamespace, web: SimpleNamespace
) -> None:
    """Signed with the 1024-bit key itself: the signature is too short to come from a key a
    browser would accept, so nothing is even loaded for it."""
    alexa = web.HttpAlexa(server, pki.weak_key)
    answer = alexa.post(kit.make_envelope(), cert_url=kit.url_for("rsa-1024"))
    assert (answer.status, answer.text) == (
        400,
        "Signature-256 header is too short to be a signature\n",
    )


def test_rsa_1024_signing_certificate_is_refused_by_the_store(
    cert_dir: Any, root_pem: Any, kit: SimpleNamespace
) -> None:
    from skill.web import verification as v

    store = v.CertificateChainStore(cert_dir=cert_dir, trust_roots=[root_pem])
    with pytest.raises(v.VerificationError, match="signing certificate key is under 2048 bits"):
        store.public_key(kit.url_for("rsa-1024"))


# --- pages for people -----------------------------------------------------------------------------


def test_get_root_says_what_this_is(server: int, web: SimpleNamespace) -> None:
    answer = web.http_request(server, "GET", "/")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/plain")
    text = answer.text
    assert "Alexa skill" in text and "POST" in text
    assert "/healthz" in text and "/privacy" in text
    assert len(text.splitlines()) < 12


def test_head_root_and_other_methods(server: int, web: SimpleNamespace) -> None:
    assert web.http_request(server, "HEAD", "/").status == 200
    answer = web.http_request(server, "DELETE", "/")
    assert (answer.status, answer.text) == (405, "method not allowed\n")


def test_privacy_page_is_served_as_html(server: int, web: SimpleNamespace) -> None:
    answer = web.http_request(server, "GET", "/privacy")
    assert answer.status == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    page = answer.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert not [tag for tag in ("<script", "src=", "href=", "<link", "<img") if tag in page]
    assert "Care Compass privacy policy" in unescape(page)


def test_pages_and_health_need_no_signature_but_the_skill_does(
    server: int, web: SimpleNamespace
) -> None:
    for path in ("/", "/healthz", "/privacy"):
        assert web.http_request(server, "GET", path).status == 200
    answer = web.http_request(server, "POST", "/", b"{}")
    assert (answer.status, answer.text) == (400, "SignatureCertChainUrl header is missing\n")
