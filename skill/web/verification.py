"""Alexa's checks for a skill hosted as a web service, built on `cryptography` only.

Amazon's rules (host-a-custom-skill-as-a-web-service; docs/endpoint.md): the
certificate URL's form; the PEM chain behind it (valid now, naming echo-api.amazon.com, leading to
a trusted root); an RSA PKCS#1 v1.5 SHA-256 signature over the raw body (header ``Signature-256``);
a request timestamp within 150 seconds; and the skill id.

Low-level functions raise :class:`VerificationError`. The verifier classes plug into
flask-ask-sdk's ``AbstractVerifier`` interface and raise :class:`SkillVerificationException`, a
subclass of the SDK's ``VerificationException`` carrying the same one-line reason. No reason ever
quotes the request.
"""

from __future__ import annotations

import base64
import binascii
import logging
import posixpath
import re
import ssl
import threading
import time
import urllib.request
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
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
    "default_fetch",
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

Fetch = Callable[[str, float, int], bytes]
"""``fetch(url, timeout_seconds, max_bytes) -> PEM bytes``."""

Clock = Callable[[], datetime]
"""Returns the current time as an aware UTC datetime."""

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


def check_cert_url(url: str) -> str:
    """Check Amazon's rules for ``SignatureCertChainUrl``; return the normalised URL to fetch."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise VerificationError("certificate URL is malformed") from None
    if parts.scheme.lower() != "https":
        raise VerificationError("certificate URL scheme is not https")
    if (parts.hostname or "").lower() != CERT_URL_HOST:
        raise VerificationError(f"certificate URL host is not {CERT_URL_HOST}")
    if parts.username is not None or parts.password is not None:
        raise VerificationError("certificate URL carries credentials")
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


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """The URL was checked, not wherever it might redirect to: treat redirects as failures."""

    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


@lru_cache(maxsize=1)
def _download_tls_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=certifi.where())


def read_capped(stream: IO[bytes], max_bytes: int, deadline: float) -> bytes:
    """Read ``stream`` to its end, refusing more than ``max_bytes`` or reading past ``deadline``."""
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


def default_fetch(url: str, timeout: float, max_bytes: int) -> bytes:
    """Download ``url`` over verified HTTPS, no redirects, within ``timeout`` seconds overall."""
    opener = urllib.request.build_opener(
        _RefuseRedirects(), urllib.request.HTTPSHandler(context=_download_tls_context())
    )
    request = urllib.request.Request(url, headers={"User-Agent": "care-compass"})
    deadline = time.monotonic() + timeout
    with opener.open(request, timeout=timeout) as response:
        return read_capped(response, max_bytes, deadline)


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


# --- certificate chain -----------------------------------------------------------------------


def _extension_policies() -> tuple[ExtensionPolicy, ExtensionPolicy]:
    """Web PKI defaults, minus the checks Amazon's rules do not ask for.

    Extended key usage is accepted whatever it says, in the leaf and in intermediates: the client
    profile would otherwise demand clientAuth whenever an EKU is present (and the server profile
    serverAuth), and Amazon documents neither. The subject alternative name is checked by
    :func:`check_signing_certificate` instead, so that its absence gets its own reason.
    """
    agnostic = Criticality.AGNOSTIC
    ca = ExtensionPolicy.webpki_defaults_ca().may_be_present(x509.ExtendedKeyUsage, agnostic, None)
    ee = (
        ExtensionPolicy.webpki_defaults_ee()
        .may_be_present(x509.ExtendedKeyUsage, agnostic, None)
        .may_be_present(x509.SubjectAlternativeName, agnostic, None)
    )
    return ca, ee


def parse_chain(data: bytes) -> list[x509.Certificate]:
    """The signing certificate first, then the intermediates, as Amazon serves them."""
    try:
        chain = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise VerificationError("certificate chain is not valid PEM") from None
    return chain


def _dns_names(certificate: x509.Certificate) -> list[str]:
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return [name.lower() for name in san.value.get_values_for_type(x509.DNSName)]


def check_signing_certificate(certificate: x509.Certificate, now: datetime) -> None:
    """Amazon's rules for the signing certificate itself: valid now, and naming Alexa."""
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise VerificationError("signing certificate is outside its validity period")
    if ALEXA_CERT_NAME not in _dns_names(certificate):
        raise VerificationError(f"signing certificate does not name {ALEXA_CERT_NAME}")


@dataclass(frozen=True)
class _TrustedKey:
    key: rsa.RSAPublicKey
    expires: datetime


class CertificateChainStore:
    """Fetches each certificate chain once and keeps its verified public key until it expires.

    ``cert_dir`` serves chains from local files named as the URL's last path segment (no network);
    otherwise ``fetch(url, timeout, max_bytes)`` downloads them (default: :func:`default_fetch`).
    ``trust_roots`` are PEM files trusted in addition to certifi's and the system's roots. The trust
    store is built once, here. Thread-safe.
    """

    def __init__(
        self,
        *,
        fetch: Fetch | None = None,
        cert_dir: str | Path | None = None,
        trust_roots: Iterable[str | Path] = (),
        system_roots: bool = True,
        clock: Clock = utc_now,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        max_bytes: int = DEFAULT_MAX_CHAIN_BYTES,
        max_entries: int = DEFAULT_MAX_CACHED_CHAINS,
    ) -> None:
        self._fetch = fetch or default_fetch
        self._cert_dir = Path(cert_dir) if cert_dir is not None else None
        self._store = build_trust_store(trust_roots, system=system_roots)
        self._policies = _extension_policies()
        self._clock = clock
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._max_entries = max_entries
        self._cache: OrderedDict[str, _TrustedKey] = OrderedDict()
        self._lock = threading.Lock()

    def public_key(self, url: str) -> rsa.RSAPublicKey:
        """The verified signing key behind ``url``; raises :class:`VerificationError`.

        Per request, with the chain cached: one memoised URL check and one dict lookup, without
        the lock (reading a dict is atomic; only loading and storing a chain takes the lock)."""
        canonical = _checked_cert_url(url)
        now = self._clock()
        cached = self._cache.get(canonical)
        if cached is not None and now <= cached.expires:
            return cached.key
        with self._lock:
            cached = self._cache.get(canonical)  # another thread may have loaded it meanwhile
            if cached is not None and now <= cached.expires:
                return cached.key
            trusted = self._load(canonical, now)
            self._remember(canonical, trusted)
            return trusted.key

    def _remember(self, url: str, trusted: _TrustedKey) -> None:
        self._cache.pop(url, None)
        self._cache[url] = trusted
        while len(self._cache) > self._max_entries:
            self._cache.popitem(last=False)
        log.debug("certificate chain verified; cached until %s", trusted.expires.isoformat())

    def _load(self, url: str, now: datetime) -> _TrustedKey:
        chain = parse_chain(self._read(url))
        leaf, intermediates = chain[0], chain[1:]
        check_signing_certificate(leaf, now)
        verified = self._verify_chain(leaf, intermediates, now)
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise VerificationError("signing certificate key is not RSA")
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
        except ChainError:
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
        except OSError:
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
