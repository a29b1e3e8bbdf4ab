"""Turn a raw Alexa event (a dict) into a response dict, as any host needs to.

What the handler returns, whatever arrives:
- a request envelope the skill can read: the skill's response envelope;
- anything else (not a dict, not JSON, nested over 100 levels deep, a request type newer than
  ask-sdk-model, no ``request``, or no ``context.System.application`` when the skill checks its
  id): the empty answer ``{"version": "1.0", "response": {}}`` and one warning line that says
  nothing of the event;
- a failure the skill's own exception handler could not answer: the same empty answer, and one
  error line naming the exception's type and where it happened (never its message).
The only exception that leaves the handler is the SDK's refusal of a well-formed request for
another skill (AskSdkException, "Skill ID Verification failed"), which is not ours to answer.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

log = logging.getLogger("skill.alexa")
serializer = DefaultSerializer()

EventHandler = Callable[[dict[str, Any], Any], dict[str, Any]]

SKILL_ID_REFUSED = "Skill ID Verification failed!!"  # the SDK's own wording
#: Alexa's envelopes nest about ten levels deep. The SDK deepcopies session attributes recursively
#: and fails near 300 levels, before any exception handler can answer: deeper events are refused.
MAX_NESTING = 100


def _too_deep(event: Any) -> bool:
    """True when dicts and lists nest over MAX_NESTING levels (checked without recursion)."""
    stack: list[tuple[Any, int]] = [(event, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        elif not isinstance(node, list):
            continue
        if depth > MAX_NESTING:
            return True
        stack.extend((child, depth + 1) for child in node)
    return False


def empty_answer() -> dict[str, Any]:
    """Nothing said, nothing kept: a valid response envelope with an empty response."""
    return {"version": "1.0", "response": {}}


def _application_id(envelope: RequestEnvelope) -> Any:
    system = getattr(getattr(envelope, "context", None), "system", None)
    return getattr(getattr(system, "application", None), "application_id", None)


def _read(event: Any, skill: CustomSkill) -> RequestEnvelope | None:
    """The event as a request envelope, or None when it is not one this skill can read."""
    if not isinstance(event, dict) or _too_deep(event):
        return None
    try:
        envelope = serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    except Exception:  # not JSON, too deep, or a shape ask-sdk-model does not know
        return None
    if not isinstance(envelope, RequestEnvelope) or envelope.request is None:
        return None
    if skill.skill_id is not None and not isinstance(_application_id(envelope), str):
        return None  # the SDK's skill-id check would fail on the missing context
    return envelope


def _frames(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    return " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))


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
