"""Alexa's checks for a skill hosted as a web service, built on `cryptography` only.

Amazon's rules (Amazon's "Host a custom skill as a web service"; docs/endpoint.md lists every
check): the certificate URL's form; the PEM chain behind it (valid now, naming echo-api.amazon.com,
leading to a trusted root); an RSA PKCS#1 v1.5 SHA-256 signature over the raw body (header
``Signature-256``); a request timestamp within 150 seconds; and the skill id.

Cheap refusals come first: a certificate URL with characters Amazon's URLs never use, or a
signature too short for a 2048-bit key, is refused before anything is downloaded. Downloads run
one per URL (requests for the same URL wait for it; others do not), never under a process-wide
lock, within a wall-clock deadline; a failed load is remembered for a minute.

Low-level functions raise :class:`VerificationError`. The verifier classes plug into
flask-ask-sdk's ``AbstractVerifier`` interface and raise :class:`SkillVerificationException`, a
subclass of the SDK's ``VerificationException`` carrying the same one-line reason. No reason ever
quotes the request.
"""

from __future__ import annotations

import base64
import binascii
import http.client
import logging
import posixpath
import re
import socket
import ssl
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import urlsplit

import certifi
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.verification import Criticality, ExtensionPolicy, PolicyBuilder, Store
from cryptography.x509.verification import VerificationError as ChainError

from skill.web.compat import ensure_certvalidator

ensure_certvalidator()  # the SDK's verifier module imports certvalidator at module level

from ask_sdk_webservice_support.verifier import (  # noqa: E402
    AbstractVerifier,
    VerificationException,
)

__all__ = [
    "ALEXA_CERT_NAME",
    "CERT_URL_HEADER",
    "SIGNATURE_HEADER",
    "CertificateChainStore",
    "Headers",
    "SignatureVerifier",
    "SkillIdVerifier",
    "SkillVerificationException",
    "TimestampVerifier",
    "VerificationError",
    "VerificationException",
    "build_trust_store",
    "check_cert_url",
    "check_signing_certificate",
    "default_fetch",
    "fetch_with_deadline",
    "utc_now",
]

log = logging.getLogger("skill.web")

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
ALEXA_CERT_NAME = "echo-api.amazon.com"
REQUEST_TOLERANCE_SECONDS = 150
SKILL_EVENT_TOLERANCE_SECONDS = 3600
SKILL_EVENTS = frozenset(
    {
        "AlexaSkillEvent.SkillEnabled",
        "AlexaSkillEvent.SkillDisabled",
        "AlexaSkillEvent.SkillPermissionChanged",
        "AlexaSkillEvent.SkillPermissionAccepted",
        "AlexaSkillEvent.SkillAccountLinked",
    }
)
DEFAULT_TIMEOUT_SECONDS = 5.0
DEFAULT_MAX_CHAIN_BYTES = 64 * 1024
DEFAULT_MAX_CACHED_CHAINS = 16
DEFAULT_FAILURE_SECONDS = 60.0
DEFAULT_MAX_REMEMBERED_FAILURES = 1024
MAX_CERT_URL_LENGTH = 256
MIN_RSA_KEY_BITS = 2048

Fetch = Callable[[str, float, int], bytes]
"""``fetch(url, timeout_seconds, max_bytes) -> PEM bytes``."""

Clock = Callable[[], datetime]
"""Returns the current time as an aware UTC datetime."""

Ticker = Callable[[], float]
"""Seconds on a monotonic clock (``time.monotonic``); how long failures are remembered."""

_PEM_CERTIFICATE = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


class Headers(Protocol):
    """What the verifiers need of headers: a dict, or werkzeug's case-insensitive Headers."""

    def items(self) -> Iterable[tuple[str, Any]]: ...


class VerificationError(Exception):
    """A request failed one of Alexa's checks; ``reason`` is one line quoting nothing of it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SkillVerificationException(VerificationException):
    """The SDK's ``VerificationException`` with our one-line ``reason``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def utc_now() -> datetime:
    return datetime.now(UTC)


# --- certificate URL -------------------------------------------------------------------------

#: Every character of Amazon's certificate URLs (and of its documented examples): letters, digits
#: and ``. _ - / :``. Anything else (``%``, a NUL or other control character, a space, ``?``,
#: ``#``, ``@``, a backslash, non-ASCII) is refused before the URL is even parsed: it can only be
#: an odd spelling, and odd spellings are how one S3 object gets many cache keys.
_CERT_URL_CHARACTERS = re.compile(r"[A-Za-z0-9._/:-]*", re.ASCII)


def check_cert_url(url: str) -> str:
    """Check Amazon's rules for ``SignatureCertChainUrl``; return the normalised URL to fetch."""
    if len(url) > MAX_CERT_URL_LENGTH:
        raise VerificationError("certificate URL is too long")
    if not _CERT_URL_CHARACTERS.fullmatch(url):
        raise VerificationError("certificate URL has characters Amazon's URLs never use")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise VerificationError("certificate URL is malformed") from None
    if parts.scheme.lower() != "https":
        raise VerificationError("certificate URL scheme is not https")
    if (parts.hostname or "").lower() != CERT_URL_HOST:
        raise VerificationError(f"certificate URL host is not {CERT_URL_HOST}")
    if port not in (None, 443):
        raise VerificationError("certificate URL port is not 443")
    path = posixpath.normpath(parts.path) if parts.path else ""
    if not path.startswith(CERT_URL_PATH_PREFIX):
        raise VerificationError(f"certificate URL path does not start with {CERT_URL_PATH_PREFIX}")
    return f"https://{CERT_URL_HOST}{path}"


#: check_cert_url per distinct header value: Alexa sends the same few URLs on every request, so
#: the check runs once per URL (a URL that fails it is not remembered and fails every time).
_checked_cert_url = lru_cache(maxsize=64)(check_cert_url)


# --- downloading -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _download_tls_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=certifi.where())


def read_capped(stream: IO[bytes], max_bytes: int, deadline: float) -> bytes:
    """Read ``stream`` to its end, refusing more than ``max_bytes`` or reading past ``deadline``.

    The deadline is only checked between reads here: :func:`fetch_with_deadline` is what bounds
    a read that blocks (by shutting the socket down at the deadline)."""
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(min(8192, max_bytes + 1 - total)):
        total += len(chunk)
        if total > max_bytes:
            raise VerificationError("certificate chain is larger than the size limit")
        if time.monotonic() > deadline:
            raise TimeoutError("certificate chain download took too long")
        chunks.append(chunk)
    return b"".join(chunks)


class _Download:
    """The sockets of one download, so that whoever waits for it can cut it off at the deadline.

    The downloading thread attaches each socket it opens and closes them when it is done; the
    waiting thread cancels at the deadline, which shuts the attached socket down at the OS level
    (a blocked read then returns at once). One lock orders the two, so a socket is never shut
    down after its descriptor was closed (and perhaps reused)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.cancelled = False

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            if self.cancelled:
                raise TimeoutError("certificate chain download took too long")
            self._sockets.append(sock)

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            for sock in self._sockets:
                # socket.socket's own shutdown: below TLS, whatever the TLS layer is doing.
                with suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def close(self) -> None:
        with self._lock:
            for sock in reversed(self._sockets):
                sock.close()
            self._sockets.clear()


def _https_get(
    url: str, timeout: float, max_bytes: int, context: ssl.SSLContext, download: _Download
) -> bytes:
    """GET ``url`` over verified TLS; anything but 200 (a redirect included) is a failure."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or 443
    deadline = time.monotonic() + timeout
    connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
    try:
        raw = socket.create_connection((host, port), timeout=timeout)
        download.attach(raw)
        tls = context.wrap_socket(raw, server_hostname=host)
        download.attach(tls)
        connection.sock = tls  # already connected, under the watch of ``download``
        connection.request("GET", parts.path or "/", headers={"User-Agent": "care-compass"})
        with connection.getresponse() as response:
            if response.status != 200:
                raise OSError(f"HTTP status {response.status}")
            return read_capped(response, max_bytes, deadline)
    finally:
        connection.close()
        download.close()


def fetch_with_deadline(url: str, timeout: float, max_bytes: int, context: ssl.SSLContext) -> bytes:
    """Download ``url`` within ``timeout`` seconds of wall-clock time, everything included.

    Timeouts on a socket only bound each read, so a server that trickles a byte at a time (or
    endless headers) could hold a download for ever. Here the download runs in its own thread;
    the caller waits at most ``timeout`` seconds, then cuts the connection off (the thread ends
    at once) and raises TimeoutError."""
    download = _Download()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["data"] = _https_get(url, timeout, max_bytes, context, download)
        except BaseException as exc:  # handed to the waiting thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="certificate-chain-download", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        download.cancel()
        raise TimeoutError("certificate chain download took too long")
    if "error" in outcome:
        raise outcome["error"]
    return bytes(outcome["data"])


def default_fetch(url: str, timeout: float, max_bytes: int) -> bytes:
    """Download ``url`` over HTTPS verified with certifi's roots, no redirects, within
    ``timeout`` seconds of wall-clock time overall."""
    return fetch_with_deadline(url, timeout, max_bytes, _download_tls_context())


# --- trust store -----------------------------------------------------------------------------


def load_pem_bundle(data: bytes) -> list[x509.Certificate]:
    """Every certificate of a PEM bundle that `cryptography` can parse (others are skipped).

    A few long-lived roots have non-positive serial numbers, which `cryptography` accepts with a
    deprecation warning today and will refuse later: they are kept while it can parse them.
    """
    certificates: list[x509.Certificate] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        for block in _PEM_CERTIFICATE.findall(data):
            try:
                certificates.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue
    return certificates


def _system_bundle_paths() -> list[Path]:
    paths = ssl.get_default_verify_paths()
    candidates = [certifi.where(), paths.cafile, paths.openssl_cafile]
    unique = dict.fromkeys(Path(c).resolve() for c in candidates if c)
    return [path for path in unique if path.is_file()]


@lru_cache(maxsize=1)
def _system_roots() -> tuple[x509.Certificate, ...]:
    roots: list[x509.Certificate] = []
    for path in _system_bundle_paths():
        roots.extend(load_pem_bundle(path.read_bytes()))
    return tuple(roots)


def build_trust_store(extra_roots: Iterable[str | Path] = (), *, system: bool = True) -> Store:
    """certifi's roots, the system bundle's and ``extra_roots`` (PEM files) in one Store.

    Raises ``ValueError`` (naming the file, never a request) if an extra file holds no certificate.
    """
    roots = list(_system_roots()) if system else []
    for path in extra_roots:
        found = load_pem_bundle(Path(path).read_bytes())
        if not found:
            raise ValueError(f"trust root file {path} holds no PEM certificate")
        roots.extend(found)
    unique = {root.fingerprint(hashes.SHA256()): root for root in roots}
    if not unique:
        raise ValueError("no trusted root certificates were found")
    return Store(list(unique.values()))


# --- certificate policy ----------------------------------------------------------------------

#: The purposes a browser accepts for a TLS certificate and the CAs above it: an extended key
#: usage extension, when present, must allow one of these. Amazon's rules name no purpose, and its
#: signing certificate is an ordinary TLS certificate (serverAuth and clientAuth), so a chain
#: that a browser would accept for TLS passes; one made for code signing or e-mail does not.
ALLOWED_KEY_PURPOSES = frozenset(
    {
        ExtendedKeyUsageOID.SERVER_AUTH,
        ExtendedKeyUsageOID.CLIENT_AUTH,
        ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,
    }
)
_CA_PURPOSE_REFUSED = "care-compass: CA certificate purpose"
_PURPOSE_REFUSED = "care-compass: certificate purpose"


def _purpose_allowed(usage: x509.ExtendedKeyUsage | None) -> bool:
    return usage is None or not ALLOWED_KEY_PURPOSES.isdisjoint(usage)


def _check_ca_purpose(_policy: Any, _cert: x509.Certificate, usage: Any) -> None:
    if not _purpose_allowed(usage):
        raise ValueError(_CA_PURPOSE_REFUSED)


def _check_ee_purpose(_policy: Any, _cert: x509.Certificate, usage: Any) -> None:
    if not _purpose_allowed(usage):
        raise ValueError(_PURPOSE_REFUSED)


def _check_ee_key_usage(_policy: Any, _cert: x509.Certificate, usage: Any) -> None:
    if usage is not None and not usage.digital_signature:
        raise ValueError(_PURPOSE_REFUSED)


def _extension_policies() -> tuple[ExtensionPolicy, ExtensionPolicy]:
    """Web PKI defaults, with the browsers' rule for purposes (:data:`ALLOWED_KEY_PURPOSES`).

    The client profile would demand clientAuth whenever an EKU is present (and the server profile
    serverAuth); a browser accepts either, or anyExtendedKeyUsage, or no EKU at all, in the
    leaf and in every CA. A leaf's key usage, when present, must allow digital signatures. The
    subject alternative name is checked by :func:`check_signing_certificate` instead, so that its
    absence gets its own reason.
    """
    agnostic = Criticality.AGNOSTIC
    ca = ExtensionPolicy.webpki_defaults_ca().may_be_present(
        x509.ExtendedKeyUsage, agnostic, _check_ca_purpose
    )
    ee = (
        ExtensionPolicy.webpki_defaults_ee()
        .may_be_present(x509.ExtendedKeyUsage, agnostic, _check_ee_purpose)
        .may_be_present(x509.KeyUsage, agnostic, _check_ee_key_usage)
        .may_be_present(x509.SubjectAlternativeName, agnostic, None)
    )
    return ca, ee


def _extension(certificate: x509.Certificate, kind: type[Any]) -> Any:
    try:
        return certificate.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


# --- certificate chain -----------------------------------------------------------------------


def parse_chain(data: bytes) -> list[x509.Certificate]:
    """The signing certificate first, then the intermediates, as Amazon serves them."""
    try:
        chain = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise VerificationError("certificate chain is not valid PEM") from None
    return chain


def _dns_names(certificate: x509.Certificate) -> list[str]:
    san = _extension(certificate, x509.SubjectAlternativeName)
    return [] if san is None else [name.lower() for name in san.get_values_for_type(x509.DNSName)]


def check_signing_certificate(certificate: x509.Certificate, now: datetime) -> None:
    """Amazon's rules for the signing certificate itself (valid now, naming Alexa), and the
    browsers' (a TLS purpose, digital signatures allowed, an RSA key of 2048 bits or more)."""
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise VerificationError("signing certificate is outside its validity period")
    if ALEXA_CERT_NAME not in _dns_names(certificate):
        raise VerificationError(f"signing certificate does not name {ALEXA_CERT_NAME}")
    if not _purpose_allowed(_extension(certificate, x509.ExtendedKeyUsage)):
        raise VerificationError("signing certificate is not for TLS authentication")
    usage = _extension(certificate, x509.KeyUsage)
    if usage is not None and not usage.digital_signature:
        raise VerificationError("signing certificate is not for digital signatures")
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise VerificationError("signing certificate key is not RSA")
    if key.key_size < MIN_RSA_KEY_BITS:
        raise VerificationError(f"signing certificate key is under {MIN_RSA_KEY_BITS} bits")


@dataclass(frozen=True)
class _TrustedKey:
    key: rsa.RSAPublicKey
    expires: datetime


@dataclass(frozen=True)
class _Failure:
    reason: str
    until: float  # on the store's ticker


class _Flight:
    """One chain load in progress; requests for the same URL wait for it instead of loading."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.key: rsa.RSAPublicKey | None = None
        self.reason = "certificate chain could not be downloaded"


class CertificateChainStore:
    """Loads each certificate chain once and keeps its verified public key until it expires.

    ``cert_dir`` serves chains from local files named as the URL's last path segment (no network);
    otherwise ``fetch(url, timeout, max_bytes)`` downloads them (default: :func:`default_fetch`).
    ``trust_roots`` are PEM files trusted in addition to certifi's and the system's roots. The trust
    store is built once, here. Thread-safe:

    - a cached key is read without any lock;
    - a chain is loaded once per URL at a time (single flight): requests for that URL wait for
      that load, requests for other URLs do not wait at all, and no lock is held while loading;
    - a load that failed is remembered for ``failure_seconds`` (with its reason), so repeating a
      bad URL downloads nothing; failures are kept apart from good chains, so they never evict one.
    """

    def __init__(
        self,
        *,
        fetch: Fetch | None = None,
        cert_dir: str | Path | None = None,
        trust_roots: Iterable[str | Path] = (),
        system_roots: bool = True,
        clock: Clock = utc_now,
        ticker: Ticker = time.monotonic,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        max_bytes: int = DEFAULT_MAX_CHAIN_BYTES,
        max_entries: int = DEFAULT_MAX_CACHED_CHAINS,
        failure_seconds: float = DEFAULT_FAILURE_SECONDS,
        max_failures: int = DEFAULT_MAX_REMEMBERED_FAILURES,
    ) -> None:
        self._fetch = fetch or default_fetch
        self._cert_dir = Path(cert_dir) if cert_dir is not None else None
        self._store = build_trust_store(trust_roots, system=system_roots)
        self._policies = _extension_policies()
        self._clock = clock
        self._ticker = ticker
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._max_entries = max_entries
        self._failure_seconds = failure_seconds
        self._max_failures = max_failures
        self._cache: OrderedDict[str, _TrustedKey] = OrderedDict()
        self._failures: OrderedDict[str, _Failure] = OrderedDict()
        self._flights: dict[str, _Flight] = {}
        self._lock = threading.Lock()  # guards the three dicts; never held during a load

    def public_key(self, url: str) -> rsa.RSAPublicKey:
        """The verified signing key behind ``url``; raises :class:`VerificationError`.

        Per request, with the chain cached: one memoised URL check and one dict lookup, without
        the lock (reading a dict is atomic)."""
        canonical = _checked_cert_url(url)
        now = self._clock()
        cached = self._cache.get(canonical)
        if cached is not None and now <= cached.expires:
            return cached.key
        with self._lock:
            cached = self._cache.get(canonical)  # another thread may have loaded it meanwhile
            if cached is not None and now <= cached.expires:
                return cached.key
            failure = self._failures.get(canonical)
            if failure is not None:
                if self._ticker() < failure.until:
                    raise VerificationError(failure.reason)
                del self._failures[canonical]
            flight = self._flights.get(canonical)
            leading = flight is None
            if flight is None:
                flight = self._flights[canonical] = _Flight()
        if leading:
            return self._lead(canonical, now, flight)
        return self._follow(flight)

    def _lead(self, url: str, now: datetime, flight: _Flight) -> rsa.RSAPublicKey:
        """Load the chain for everyone waiting on ``flight``, outside the lock."""
        try:
            trusted = self._load(url, now)
        except VerificationError as err:
            flight.reason = err.reason
            with self._lock:
                self._remember_failure(url, err.reason)
            raise
        else:
            flight.key = trusted.key
            with self._lock:
                self._remember(url, trusted)
            return trusted.key
        finally:
            with self._lock:
                self._flights.pop(url, None)
            flight.done.set()

    def _follow(self, flight: _Flight) -> rsa.RSAPublicKey:
        # The leader's load ends within the download deadline; a little more for the checks.
        if not flight.done.wait(self._timeout + 2.0) or flight.key is None:
            raise VerificationError(flight.reason)
        return flight.key

    def _remember(self, url: str, trusted: _TrustedKey) -> None:
        self._cache.pop(url, None)
        self._cache[url] = trusted
        while len(self._cache) > self._max_entries:
            self._cache.popitem(last=False)
        log.debug("certificate chain verified; cached until %s", trusted.expires.isoformat())

    def _remember_failure(self, url: str, reason: str) -> None:
        self._failures.pop(url, None)
        self._failures[url] = _Failure(reason, self._ticker() + self._failure_seconds)
        while len(self._failures) > self._max_failures:
            self._failures.popitem(last=False)

    def _load(self, url: str, now: datetime) -> _TrustedKey:
        chain = parse_chain(self._read(url))
        leaf, intermediates = chain[0], chain[1:]
        check_signing_certificate(leaf, now)
        # The verifier refuses an issuer's RSA key under 2048 bits itself (its Web PKI rule for
        # signatures); only the leaf's key signs nothing it checks, hence the leaf's own check.
        verified = self._verify_chain(leaf, intermediates, now)
        key = leaf.public_key()
        assert isinstance(key, rsa.RSAPublicKey)  # check_signing_certificate made sure
        return _TrustedKey(key, min(cert.not_valid_after_utc for cert in verified))

    def _verify_chain(
        self, leaf: x509.Certificate, intermediates: list[x509.Certificate], now: datetime
    ) -> list[x509.Certificate]:
        ca_policy, ee_policy = self._policies
        verifier = (
            PolicyBuilder()
            .store(self._store)
            .time(now)
            .extension_policies(ca_policy=ca_policy, ee_policy=ee_policy)
            .build_client_verifier()
        )
        try:
            return verifier.verify(leaf, intermediates).chain
        except ChainError as err:
            if _CA_PURPOSE_REFUSED in str(err):
                raise VerificationError(
                    "certificate chain has a CA that is not for TLS authentication"
                ) from None
            raise VerificationError("certificate chain does not lead to a trusted root") from None

    def _read(self, url: str) -> bytes:
        data = self._read_file(url) if self._cert_dir is not None else self._download(url)
        if len(data) > self._max_bytes:
            raise VerificationError("certificate chain is larger than the size limit")
        return data

    def _read_file(self, url: str) -> bytes:
        assert self._cert_dir is not None
        name = posixpath.basename(urlsplit(url).path)
        if name in ("", ".", ".."):
            raise VerificationError("certificate chain is not available")
        try:
            with (self._cert_dir / name).open("rb") as stream:
                return stream.read(self._max_bytes + 1)
        except (OSError, ValueError):  # ValueError: a name no file can have (a NUL, say)
            raise VerificationError("certificate chain is not available") from None

    def _download(self, url: str) -> bytes:
        try:
            return self._fetch(url, self._timeout, self._max_bytes)
        except VerificationError:
            raise
        except Exception as exc:
            log.warning("certificate chain download failed (%s)", type(exc).__name__)
            raise VerificationError("certificate chain could not be downloaded") from None


# --- signature, timestamp, skill id ------------------------------------------------------------


def header_value(headers: Headers, name: str) -> str | None:
    """The header called ``name`` (any case), or None when absent or empty.

    One lookup with ``get`` (case-insensitive in werkzeug's headers, and a single environ lookup
    in Flask's request headers); only a plain dict that spells the name in another case is
    scanned."""
    get = getattr(headers, "get", None)
    value = get(name) if get is not None else None
    if value is None:
        wanted = name.lower()
        value = next((v for k, v in headers.items() if str(k).lower() == wanted), None)
    return (str(value) or None) if value is not None else None


def decode_signature(value: str) -> bytes:
    try:
        signature = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise VerificationError(f"{SIGNATURE_HEADER} header is not base64") from None
    if not signature:
        raise VerificationError(f"{SIGNATURE_HEADER} header is empty")
    if len(signature) < MIN_RSA_KEY_BITS // 8:
        # An RSA signature is as long as the key; keys under 2048 bits are refused anyway, so
        # this one can never verify: refused here, before any chain is loaded for it.
        raise VerificationError(f"{SIGNATURE_HEADER} header is too short to be a signature")
    return signature


_PKCS1V15 = padding.PKCS1v15()
_SHA256 = hashes.SHA256()


def check_signature(key: rsa.RSAPublicKey, signature: bytes, body: bytes) -> None:
    try:
        key.verify(signature, body, _PKCS1V15, _SHA256)
    except InvalidSignature:
        raise VerificationError("signature does not match the body") from None


def _request_of(envelope: Any) -> Any:
    return getattr(envelope, "request", None)


def check_timestamp(envelope: Any, now: datetime) -> None:
    request = _request_of(envelope)
    stamp = getattr(request, "timestamp", None)
    if not isinstance(stamp, datetime):
        raise VerificationError("request has no timestamp")
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    is_event = getattr(request, "object_type", None) in SKILL_EVENTS
    limit = SKILL_EVENT_TOLERANCE_SECONDS if is_event else REQUEST_TOLERANCE_SECONDS
    age = (now - stamp).total_seconds()
    if age > limit:
        raise VerificationError(f"request timestamp is more than {limit} seconds old")
    if age < -limit:
        raise VerificationError(f"request timestamp is more than {limit} seconds in the future")


def application_id(envelope: Any) -> str | None:
    """context.System.application.applicationId, else session.application.applicationId."""
    for holder in (
        getattr(getattr(envelope, "context", None), "system", None),
        getattr(envelope, "session", None),
    ):
        value = getattr(getattr(holder, "application", None), "application_id", None)
        if isinstance(value, str) and value:
            return value
    return None


def check_skill_id(envelope: Any, skill_id: str) -> None:
    found = application_id(envelope)
    if found is None:
        raise VerificationError("request carries no skill id")
    if found != skill_id:
        raise VerificationError("request is for another skill")


@contextmanager
def _as_sdk_exception() -> Iterator[None]:
    try:
        yield
    except VerificationError as err:
        raise SkillVerificationException(err.reason) from None


class SignatureVerifier(AbstractVerifier):
    """Signature-256 over the body, with a certificate chain from a checked URL."""

    def __init__(self, chains: CertificateChainStore) -> None:
        self._chains = chains

    def verify_body(self, headers: Headers, body: bytes) -> None:
        """Check ``body`` exactly as received; raises :class:`SkillVerificationException`."""
        with _as_sdk_exception():
            url = header_value(headers, CERT_URL_HEADER)
            if url is None:
                raise VerificationError(f"{CERT_URL_HEADER} header is missing")
            encoded = header_value(headers, SIGNATURE_HEADER)
            if encoded is None:
                raise VerificationError(f"{SIGNATURE_HEADER} header is missing")
            signature = decode_signature(encoded)
            check_signature(self._chains.public_key(url), signature, body)

    def verify(
        self, headers: Headers, serialized_request_env: str, deserialized_request_env: Any
    ) -> None:
        """SDK interface. The SDK hands over the body decoded as UTF-8: re-encoding it is exact."""
        self.verify_body(headers, serialized_request_env.encode("utf-8"))


class TimestampVerifier(AbstractVerifier):
    """request.timestamp within 150 seconds of now (an hour for AlexaSkillEvent requests)."""

    def __init__(self, clock: Clock = utc_now) -> None:
        self._clock = clock

    def verify(
        self, headers: Headers, serialized_request_env: str, deserialized_request_env: Any
    ) -> None:
        with _as_sdk_exception():
            check_timestamp(deserialized_request_env, self._clock())


class SkillIdVerifier(AbstractVerifier):
    """The request's application id equals this skill's id."""

    def __init__(self, skill_id: str) -> None:
        if not skill_id:
            raise ValueError("a skill id is required")
        self._skill_id = skill_id

    def verify(
        self, headers: Headers, serialized_request_env: str, deserialized_request_env: Any
    ) -> None:
        with _as_sdk_exception():
            check_skill_id(deserialized_request_env, self._skill_id)
