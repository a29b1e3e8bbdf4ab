"""Turn a raw Alexa event (a dict) into a response dict, as any host needs to.

What the handler returns, whatever arrives:
- a request envelope the skill can read: the skill's response envelope;
- anything else (not a dict, session attributes nested over 100 levels deep, a request type newer
  than ask-sdk-model, no ``request``, or no ``context.System.application`` when the skill checks its
  id): the empty answer ``{"version": "1.0", "response": {}}`` and one warning line that says
  nothing of the event;
- a failure the skill's own exception handler could not answer: the same empty answer, and one
  error line naming the exception's type and where it happened (never its message).
The only exception that leaves the handler is the SDK's refusal of a well-formed request for
another skill (AskSdkException, "Skill ID Verification failed"), which is not ours to answer.

The event is the dict the Lambda runtime parsed from JSON: it becomes the SDK's model objects
directly (:func:`envelope_from_dict`), never encoded to text and parsed again. The Flask host
(skill.web.adapter) parses each body once and uses the same function.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope
from dateutil.tz import UTC

log = logging.getLogger("skill.alexa")

#: Alexa's request timestamps: "2025-01-01T12:00:00Z", perhaps with a fraction of a second.
_ALEXA_TIMESTAMP = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?Z", re.ASCII
)


class EnvelopeSerializer(DefaultSerializer):  # type: ignore[misc]
    """ask-sdk-core's DefaultSerializer with two of its private steps made cheap; the same model
    objects come out (tests/alexa/test_entry.py compares them with the stock serializer's).

    Its private methods are name-mangled, so a subclass replaces them by their mangled names:
    - ``__load_class_from_name`` imports a module and looks a class up by its dotted name, some
      twenty times per request: each name is resolved once per process here;
    - ``__deserialize_datetime`` runs dateutil's general parser on ``request.timestamp`` (about
      a third of building an envelope): Alexa's own form is read directly here, as the same
      instant in UTC; anything else still goes to dateutil. (dateutil labels UTC ``tzlocal()``
      on a machine whose zone is called UTC, ``tzutc()`` elsewhere: the same instant.)
    """

    _classes: ClassVar[dict[str, Any]] = {}

    def _DefaultSerializer__load_class_from_name(self, class_name: str) -> Any:
        try:
            return self._classes[class_name]
        except KeyError:
            resolved = DefaultSerializer._DefaultSerializer__load_class_from_name(self, class_name)
            self._classes[class_name] = resolved  # only classes that exist (it raises otherwise)
            return resolved

    def _DefaultSerializer__deserialize_datetime(self, payload: Any, obj_type: Any) -> Any:
        if obj_type is datetime and type(payload) is str:
            match = _ALEXA_TIMESTAMP.fullmatch(payload)
            if match is not None:
                year, month, day, hour, minute, second = map(int, match.groups()[:6])
                fraction = match.group(7)
                micro = int(fraction.ljust(6, "0")) if fraction else 0  # as dateutil reads it
                try:
                    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
                except ValueError:
                    pass  # not a real date: dateutil decides, as it always did
        return DefaultSerializer._DefaultSerializer__deserialize_datetime(self, payload, obj_type)


serializer = EnvelopeSerializer()

EventHandler = Callable[[dict[str, Any], Any], dict[str, Any]]

SKILL_ID_REFUSED = "Skill ID Verification failed!!"  # the SDK's own wording
#: Alexa's envelopes nest about ten levels deep. The SDK deepcopies session attributes recursively
#: and fails near 300 levels, before any exception handler can answer: deeper events are refused.
#: Only the attributes are walked: the SDK's deserialiser follows the envelope's schema (bounded)
#: and keeps any other value as it is, and nothing else is copied or walked afterwards.
MAX_NESTING = 100
#: session.attributes sits this deep in an event (event, session, attributes).
_ATTRIBUTES_LEVEL = 3

# ask-sdk-core's DefaultSerializer offers deserialize(payload: str) only: it json.loads the text,
# then hands the resulting dict to its private __deserialize(obj, obj_type). Calling that directly
# builds exactly the same model objects without encoding the event and parsing it back.
# tests/alexa/test_entry.py pins that it equals the public path for real envelopes; if an SDK
# release renames it, the public path is used instead.
_deserialize_dict: Callable[[Any, Any], Any] | None = getattr(
    serializer, "_DefaultSerializer__deserialize", None
)


def envelope_from_dict(document: dict[str, Any]) -> Any:
    """The SDK's RequestEnvelope for a parsed JSON object, as ``serializer.deserialize`` builds it
    from the text. Raises whatever the SDK raises for shapes it does not know."""
    if _deserialize_dict is None:  # pragma: no cover - only if the SDK drops the private method
        import json

        return serializer.deserialize(payload=json.dumps(document), obj_type=RequestEnvelope)
    return _deserialize_dict(document, RequestEnvelope)


def _nested_over(node: Any, limit: int) -> bool:
    """True when dicts and lists nest more than ``limit`` levels in ``node`` (no recursion)."""
    stack: list[tuple[Any, int]] = [(node, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def attributes_too_deep(event: dict[str, Any]) -> bool:
    """True when the event's session attributes (what the SDK deep-copies) put it over
    MAX_NESTING levels."""
    session = event.get("session")
    if not isinstance(session, dict):
        return False
    attributes = session.get("attributes")
    if not attributes or not isinstance(attributes, dict | list):
        return False
    return _nested_over(attributes, MAX_NESTING - _ATTRIBUTES_LEVEL + 1)


def empty_answer() -> dict[str, Any]:
    """Nothing said, nothing kept: a valid response envelope with an empty response."""
    return {"version": "1.0", "response": {}}


def _application_id(envelope: RequestEnvelope) -> Any:
    system = getattr(getattr(envelope, "context", None), "system", None)
    return getattr(getattr(system, "application", None), "application_id", None)


def _read(event: Any, skill: CustomSkill) -> RequestEnvelope | None:
    """The event as a request envelope, or None when it is not one this skill can read."""
    if not isinstance(event, dict) or attributes_too_deep(event):
        return None
    try:
        envelope = envelope_from_dict(event)
    except Exception:  # too deep, or a shape ask-sdk-model does not know
        return None
    if not isinstance(envelope, RequestEnvelope) or envelope.request is None:
        return None
    if skill.skill_id is not None and not isinstance(_application_id(envelope), str):
        return None  # the SDK's skill-id check would fail on the missing context
    return envelope


def _frames(exc: BaseException) -> str:
    import traceback
    from pathlib import PurePath

    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    return " < ".join(f"{PurePath(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))


def make_event_handler(skill: CustomSkill) -> EventHandler:
    """A Lambda-style handler: event dict in, response envelope dict out."""

    def handle_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        envelope = _read(event, skill)
        if envelope is None:
            log.warning("request not understood")  # nothing of the request is logged
            return empty_answer()
        try:
            response = skill.invoke(request_envelope=envelope, context=context)
            return serializer.serialize(response)  # type: ignore[no-any-return]
        except AskSdkException as exc:
            if str(exc) == SKILL_ID_REFUSED:
                raise  # a request for another skill: refused, as the SDK refuses it
            log.error("skill failed: %s at %s", type(exc).__name__, _frames(exc) or "?")
        except Exception as exc:
            log.error("skill failed: %s at %s", type(exc).__name__, _frames(exc) or "?")
        return empty_answer()

    return handle_event
