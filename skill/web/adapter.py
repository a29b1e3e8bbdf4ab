"""flask-ask-sdk's SkillAdapter, with a dispatch that answers Alexa the way certification expects.

The SDK's own ``dispatch_request`` deserialises the body before any verifier runs, logs failures
with a traceback, answers a skill-id mismatch with 500 and words every refusal the same. This
subclass keeps the SDK's adapter (registration, extension bookkeeping, verifier interface) and
replaces only the dispatch:

1. read the raw body: 413 above ``MAX_CONTENT_LENGTH``, whether the size is announced in
   ``Content-Length`` or the body comes chunked (never a body cut at the limit and served);
2. run the *body verifiers* (the signature) over those bytes, before anything parses them;
3. require UTF-8 and a JSON object, parse it once and build the Alexa request envelope from the
   parsed object (:func:`skill.alexa.entry.envelope_from_dict`, shared with the Lambda entry);
4. run the SDK-interface verifiers (timestamp, skill id) on the envelope;
5. invoke the skill and answer its response as JSON.

Every refusal is 400 with a one-line reason as text/plain; nothing is logged here (the access log in
:mod:`skill.web.errors` records method, path, status and that reason).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, NoReturn, Protocol

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model.request_envelope import RequestEnvelope
from flask import Flask, Request, Response, jsonify
from flask import request as flask_request
from werkzeug.exceptions import RequestEntityTooLarge

from skill.alexa.entry import MAX_NESTING, attributes_too_deep, envelope_from_dict
from skill.web.compat import import_skill_adapter
from skill.web.errors import plain_response
from skill.web.verification import Headers, VerificationException

SkillAdapter = import_skill_adapter()

#: The body cap when the app sets none (create_app always sets MAX_CONTENT_LENGTH).
DEFAULT_MAX_BODY_BYTES = 128 * 1024

__all__ = [
    "MAX_NESTING",
    "AlexaSkillAdapter",
    "BadBody",
    "BodyVerifier",
    "SkillAdapter",
    "parse_body",
    "read_body",
]


class BodyVerifier(Protocol):
    def verify_body(self, headers: Headers, body: bytes) -> None: ...


class BadBody(Exception):
    """The body is not a well-formed Alexa request; ``reason`` quotes nothing of it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _refuse_constant(_name: str) -> NoReturn:
    raise ValueError("NaN and Infinity are not JSON")


def parse_body(body: bytes) -> tuple[str, dict[str, Any]]:
    """The body as text and as the one JSON object it holds, parsed once.

    Session attributes nested over MAX_NESTING levels are refused here: the SDK deep-copies them
    recursively (and fails near 300 levels). Elsewhere the SDK's deserialiser follows the
    envelope's schema and keeps other values as they are, and ``json.loads`` fails cleanly
    (RecursionError, caught) on absurd depths."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadBody("request body is not UTF-8") from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise BadBody("request body is not JSON") from None
    if not isinstance(document, dict):
        raise BadBody("request body is not a JSON object")
    if attributes_too_deep(document):
        raise BadBody("request body is nested too deeply")
    return text, document


def read_body(request: Request, limit: int) -> bytes:
    """The raw body, or RequestEntityTooLarge (413) if it is over ``limit`` bytes.

    With ``Content-Length`` werkzeug refuses an oversized body before reading it. A chunked body
    has no length: werkzeug would stop reading at the limit and hand over what it had, a body
    cut short (and perhaps signed that way). Here one byte more than the limit is asked for, so a
    body over the limit is refused, and a body of exactly ``limit`` bytes is still read."""
    if request.content_length is not None or "wsgi.input_terminated" not in request.environ:
        return request.get_data(cache=True)  # werkzeug: 413 above the limit, b"" if unknowable
    stream = request.environ["wsgi.input"]
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(min(64 * 1024, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise RequestEntityTooLarge()
    return b"".join(chunks)


def _context_skill_id(envelope: RequestEnvelope) -> bool:
    system = getattr(getattr(envelope, "context", None), "system", None)
    return isinstance(getattr(getattr(system, "application", None), "application_id", None), str)


def _reason(exc: Exception) -> str:
    reason = getattr(exc, "reason", None)
    return reason if isinstance(reason, str) and reason else "request failed verification"


class AlexaSkillAdapter(SkillAdapter):  # type: ignore[misc,valid-type]
    """SkillAdapter whose dispatch verifies the raw body first and refuses with 400 and a reason."""

    def __init__(
        self,
        skill: CustomSkill,
        skill_id: str | None,
        *,
        body_verifiers: Iterable[BodyVerifier] = (),
        verifiers: Iterable[Any] = (),
        app: Flask | None = None,
    ) -> None:
        self._body_verifiers = list(body_verifiers)
        self._envelope_verifiers = list(verifiers)
        self._custom_skill = skill
        super().__init__(
            skill=skill, skill_id=skill_id, verifiers=list(self._envelope_verifiers), app=app
        )

    def dispatch_request(self) -> Response:
        body = read_body(flask_request, self._max_body_bytes())
        try:
            envelope = self._verified_envelope(flask_request.headers, body)
        except (VerificationException, BadBody) as exc:
            return plain_response(400, _reason(exc))
        response = self._custom_skill.invoke(request_envelope=envelope, context=None)
        return jsonify(self._custom_skill.serializer.serialize(response))

    def _max_body_bytes(self) -> int:
        limit = flask_request.max_content_length
        return limit if limit is not None else DEFAULT_MAX_BODY_BYTES

    def _verified_envelope(self, headers: Headers, body: bytes) -> RequestEnvelope:
        for body_verifier in self._body_verifiers:
            body_verifier.verify_body(headers, body)
        text, document = parse_body(body)
        envelope = self._deserialize(document)
        for verifier in self._envelope_verifiers:
            verifier.verify(
                headers=headers, serialized_request_env=text, deserialized_request_env=envelope
            )
        return envelope

    def _deserialize(self, document: dict[str, Any]) -> RequestEnvelope:
        try:
            envelope = envelope_from_dict(document)
        except Exception:  # the SDK raises several types, and their messages quote the body
            raise BadBody("request body is not an Alexa request") from None
        # getattr: a body such as {"__dict__": {}} leaves the SDK's object without attributes.
        if not isinstance(envelope, RequestEnvelope) or getattr(envelope, "request", None) is None:
            raise BadBody("request body is not an Alexa request")
        if getattr(self._custom_skill, "skill_id", None) and not _context_skill_id(envelope):
            # The SDK checks context.System.application and would fail on an envelope without it.
            raise BadBody("request carries no skill id")
        return envelope
