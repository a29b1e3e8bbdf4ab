"""The Flask application factory for the skill's HTTPS endpoint.

Routes: ``POST /`` (the skill, behind Alexa's checks), ``GET /`` (a few lines saying what this
is), ``GET /healthz`` and ``GET /privacy`` (the privacy policy, :mod:`skill.web.pages`). Every
error is one line of text/plain with its status; nothing a person said is ever logged (see
:mod:`skill.web.errors`).

The factory itself accepts a missing skill id (with a warning), for tests and tools; the two
production entry points, ``skill.web.wsgi`` and ``python -m skill serve`` without ``--dev``,
refuse to start without one unless told to accept any skill (:mod:`skill.web.startup`).

Config keys (all optional):
    ALEXA_SKILL_ID     the skill's id; default: environment variable ALEXA_SKILL_ID, else the
                       skill's own ``skill_id``. Without one, requests for any skill are accepted.
    VERIFY_SIGNATURE   check Signature-256 and the certificate chain (default True)
    VERIFY_TIMESTAMP   check request.timestamp is within 150 seconds (default True)
    CERT_DIR           serve certificate chains from this directory instead of downloading them
    TRUST_ROOTS        PEM files trusted in addition to certifi's and the system's roots
    MAX_BODY_BYTES     larger bodies get 413 (default 128 KiB)
    DEV_MODE           True (``serve --dev`` only), with VERIFY_SIGNATURE off: also serve the
                       clinician review pack at ``/review`` (docs/review-pack.md); else 404
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ask_sdk_core.skill import CustomSkill
from flask import Flask, Response

from skill.web import errors, pages
from skill.web.adapter import DEFAULT_MAX_BODY_BYTES, AlexaSkillAdapter
from skill.web.verification import (
    CertificateChainStore,
    Clock,
    Fetch,
    SignatureVerifier,
    SkillIdVerifier,
    TimestampVerifier,
    utc_now,
)

__all__ = ["DEFAULT_MAX_BODY_BYTES", "Settings", "create_app", "load_settings"]

log = logging.getLogger("skill.web")


# flask-ask-sdk's own switches for the SDK's verifiers, which are never used here.
_SDK_SWITCHES = {"ASK_SDK_VERIFY_SIGNATURE": False, "ASK_SDK_VERIFY_TIMESTAMP": False}


@dataclass(frozen=True)
class Settings:
    skill_id: str | None
    verify_signature: bool
    verify_timestamp: bool
    cert_dir: Path | None
    trust_roots: tuple[Path, ...]
    max_body_bytes: int


def _flag(config: Mapping[str, Any], key: str) -> bool:
    value = config.get(key, True)
    if not isinstance(value, bool):
        raise TypeError(f"{key} must be True or False")
    return value


def _paths(value: str | Path | Sequence[str | Path] | None) -> tuple[Path, ...]:
    if value is None:
        return ()
    if isinstance(value, str | Path):
        return (Path(value),)
    return tuple(Path(item) for item in value)


def load_settings(config: Mapping[str, Any] | None = None) -> Settings:
    """Read and check the config keys, filling in defaults."""
    config = config or {}
    max_body = config.get("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)
    if isinstance(max_body, bool) or not isinstance(max_body, int) or max_body <= 0:
        raise ValueError("MAX_BODY_BYTES must be a positive number of bytes")
    cert_dir = config.get("CERT_DIR")
    return Settings(
        skill_id=config.get("ALEXA_SKILL_ID", os.environ.get("ALEXA_SKILL_ID")) or None,
        verify_signature=_flag(config, "VERIFY_SIGNATURE"),
        verify_timestamp=_flag(config, "VERIFY_TIMESTAMP"),
        cert_dir=Path(cert_dir) if cert_dir else None,
        trust_roots=_paths(config.get("TRUST_ROOTS")),
        max_body_bytes=max_body,
    )


def _default_skill(skill_id: str | None) -> CustomSkill:
    from skill.alexa import build_skill  # lazily: the Alexa layer is optional for this module

    return build_skill(skill_id=skill_id)


def _verifiers(
    settings: Settings, skill_id: str | None, fetch: Fetch | None, clock: Clock
) -> tuple[list[SignatureVerifier], list[Any]]:
    body: list[SignatureVerifier] = []
    envelope: list[Any] = []
    if settings.verify_signature:
        chains = CertificateChainStore(
            fetch=fetch, cert_dir=settings.cert_dir, trust_roots=settings.trust_roots, clock=clock
        )
        body.append(SignatureVerifier(chains))
    if settings.verify_timestamp:
        envelope.append(TimestampVerifier(clock))
    if skill_id:
        envelope.append(SkillIdVerifier(skill_id))
    return body, envelope


def _warn_about(settings: Settings, skill_id: str | None) -> None:
    if not settings.verify_signature:
        log.warning("Alexa signature checks are OFF: anyone can call this endpoint")
    if not settings.verify_timestamp:
        log.warning("Alexa timestamp checks are OFF: old requests can be replayed")
    if not skill_id:
        log.warning("no skill id configured: requests for any skill are accepted")


def healthz() -> Response:
    return Response("ok\n", mimetype="text/plain")


def index() -> Response:
    return Response(pages.INDEX_TEXT, mimetype="text/plain")


#: The privacy page loads nothing and runs nothing: say so to the browser.
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "public, max-age=3600",
}


def privacy() -> Response:
    return Response(pages.privacy_html(), mimetype="text/html", headers=_PAGE_HEADERS)


def create_app(
    config: Mapping[str, Any] | None = None,
    *,
    skill: CustomSkill | None = None,
    fetch: Fetch | None = None,
    clock: Clock | None = None,
) -> Flask:
    """Build the Flask app. ``skill`` defaults to ``skill.alexa.build_skill(skill_id=...)``;
    ``fetch`` replaces the certificate download (ignored when CERT_DIR is set); ``clock`` replaces
    the current time for the timestamp and certificate checks (tests)."""
    settings = load_settings(config)
    if skill is None:
        skill = _default_skill(settings.skill_id)
    skill_id = settings.skill_id or getattr(skill, "skill_id", None) or None
    app = Flask(__name__, static_folder=None)
    app.config.update(dict(config or {}))
    app.config.update(_SDK_SWITCHES, MAX_CONTENT_LENGTH=settings.max_body_bytes)
    body_verifiers, verifiers = _verifiers(settings, skill_id, fetch, clock or utc_now)
    adapter = AlexaSkillAdapter(
        skill, skill_id, body_verifiers=body_verifiers, verifiers=verifiers, app=app
    )
    app.add_url_rule("/", "skill", adapter.dispatch_request, methods=["POST"])
    app.add_url_rule("/", "index", index, methods=["GET"])
    app.add_url_rule("/healthz", "healthz", healthz, methods=["GET"])
    app.add_url_rule(pages.PRIVACY_PATH, "privacy", privacy, methods=["GET"])
    # Never beside Alexa's signature check: a production config cannot expose the review pack.
    if app.config.get("DEV_MODE") is True and not settings.verify_signature:
        from skill.review.web import register_review  # lazily: a development tool, --dev only

        register_review(app)
    errors.register(app)
    _warn_about(settings, skill_id)
    return app
