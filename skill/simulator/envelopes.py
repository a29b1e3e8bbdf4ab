"""Request envelopes shaped as Alexa sends them (Amazon's "Request and Response JSON Reference").

The one builder of Alexa requests in the project: the simulator sends these, and so do the tests,
the bench and the Lambda build's self-check (through `skill.testing`, which re-exports them).

Two layers:
- the `request` object: `launch_request()`, `intent_request(name, *slots)` with `slot(...)` values
  (resolved to an id, outside the catalogue, empty, or a resolution error), `session_ended()`,
  `skill_event()`, `can_fulfill_request()`; and `request_for(understood)` for what the
  simulator's matcher understood;
- the whole envelope around it: `envelope(request, session, locale)` (no `session` for a skill
  event or a request outside a session), or the shortcuts `in_session(request, attributes, new=)`,
  `launch()` and `intent(name, *slots, attributes=, new=)`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from skill.simulator.matcher import INTENT, LAUNCH, MATCH, NO_MATCH, SlotFill, Understood

__all__ = [
    "SIMULATOR_SKILL_ID",
    "SKILL_EVENTS",
    "SessionInfo",
    "alexa_timestamp",
    "can_fulfill_request",
    "envelope",
    "in_session",
    "intent",
    "intent_request",
    "launch",
    "launch_request",
    "request_for",
    "session_ended",
    "skill_event",
    "slot",
    "slot_json",
]

SIMULATOR_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-00000000c0de"
USER_ID = "amzn1.ask.account.SIMULATOR"
DEVICE_ID = "amzn1.ask.device.SIMULATOR"
API_ENDPOINT = "https://api.amazonalexa.com"
#: Skill events Alexa sends outside any session.
SKILL_EVENTS = (
    "AlexaSkillEvent.SkillEnabled",
    "AlexaSkillEvent.SkillDisabled",
    "AlexaSkillEvent.SkillPermissionAccepted",
    "AlexaSkillEvent.SkillAccountLinked",
)


def alexa_timestamp(moment: datetime | None = None) -> str:
    """A request timestamp as Alexa writes it (ISO 8601, UTC, whole seconds): now, or `moment`."""
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class SessionInfo:
    """What Alexa keeps for an open session: its id, whether it is new, its attributes."""

    skill_id: str = SIMULATOR_SKILL_ID
    session_id: str = field(default_factory=lambda: f"amzn1.echo-api.session.{uuid.uuid4()}")
    new: bool = True
    attributes: dict[str, Any] = field(default_factory=dict)


# --- the request object --------------------------------------------------------------------------


def slot(
    name: str,
    value: str | None = None,
    *,
    match: str | None = None,
    canonical: str | None = None,
    no_match: bool = False,
    status: str | None = None,
    slot_type: str = "Type",
    skill_id: str = SIMULATOR_SKILL_ID,
) -> dict[str, Any]:
    """A slot as Alexa sends it: empty (no `value`); a value with no resolution (a built-in type
    such as AMAZON.NUMBER); resolved to the id `match` (ER_SUCCESS_MATCH, named `canonical`, or
    the value); outside the catalogue (`no_match`: ER_SUCCESS_NO_MATCH, no values); or another
    resolution outcome with no values (`status`, e.g. ER_ERROR_TIMEOUT)."""
    raw: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if value is None:
        return raw
    raw["value"] = value
    code = status or (MATCH if match is not None else NO_MATCH if no_match else None)
    if code is None:
        return raw
    authority: dict[str, Any] = {
        "authority": f"amzn1.er-authority.echo-sdk.{skill_id}.{slot_type}",
        "status": {"code": code},
    }
    if code == MATCH:
        authority["values"] = [{"value": {"name": canonical or value, "id": match}}]
    raw["resolutions"] = {"resolutionsPerAuthority": [authority]}
    return raw


def slot_json(fill: SlotFill, skill_id: str) -> dict[str, Any]:
    """A slot the simulator's matcher filled, as Alexa sends it."""
    return slot(
        fill.name,
        fill.value,
        match=fill.value_id,
        canonical=fill.canonical,
        status=fill.status,
        slot_type=fill.type,
        skill_id=skill_id,
    )


def launch_request() -> dict[str, Any]:
    return {"type": LAUNCH}


def intent_request(
    name: str, *slots: Mapping[str, Any], dialog_state: str | None = None
) -> dict[str, Any]:
    """An IntentRequest for the intent `name` with the given `slot(...)` values."""
    request: dict[str, Any] = {
        "type": INTENT,
        "intent": {
            "name": name,
            "confirmationStatus": "NONE",
            "slots": {s["name"]: dict(s) for s in slots},
        },
    }
    if dialog_state is not None:
        request["dialogState"] = dialog_state
    return request


def request_for(understood: Understood, skill_id: str) -> dict[str, Any]:
    """The `request` object for what was understood (without id, timestamp and locale)."""
    if understood.request_type == LAUNCH:
        return launch_request()
    slots = [slot_json(fill, skill_id) for fill in understood.slots]
    return intent_request(str(understood.intent), *slots)


def session_ended(reason: str = "USER_INITIATED", error_type: str | None = None) -> dict[str, Any]:
    """A SessionEndedRequest; with `error_type` (reason ERROR), the error Alexa reports."""
    request: dict[str, Any] = {"type": "SessionEndedRequest", "reason": reason}
    if error_type is not None:
        request["error"] = {"type": error_type, "message": "An error occurred."}
    return request


def skill_event(kind: str = SKILL_EVENTS[0]) -> dict[str, Any]:
    """A skill event (enabled, disabled, ...): Alexa sends it with no session."""
    now = alexa_timestamp()
    return {"type": kind, "eventCreationTime": now, "eventPublishingTime": now}


def can_fulfill_request(*slots: Mapping[str, Any], name: str = "ReportIntent") -> dict[str, Any]:
    """A CanFulfillIntentRequest: Alexa asking whether the skill could take an intent."""
    return {**intent_request(name, *slots), "type": "CanFulfillIntentRequest"}


# --- the envelope ----------------------------------------------------------------------------


def envelope(
    request: Mapping[str, Any],
    session: SessionInfo | None,
    locale: str = "en-US",
    *,
    skill_id: str | None = None,
) -> dict[str, Any]:
    """A full envelope: a fresh request id and timestamp (unless `request` has them), the locale,
    the session. Without a session (None) it is what Alexa sends for a skill event; the skill id
    is then `skill_id` (else the session's)."""
    body = {
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": alexa_timestamp(),
        "locale": locale,
        **request,
    }
    application = {"applicationId": skill_id or (session or SessionInfo()).skill_id}
    user = {"userId": USER_ID}
    event: dict[str, Any] = {"version": "1.0"}
    if session is not None:
        event["session"] = {
            "new": session.new,
            "sessionId": session.session_id,
            "application": application,
            "attributes": dict(session.attributes),
            "user": user,
        }
    event["context"] = {
        "System": {
            "application": application,
            "user": user,
            "device": {"deviceId": DEVICE_ID, "supportedInterfaces": {}},
            "apiEndpoint": API_ENDPOINT,
        }
    }
    event["request"] = body
    return event


def in_session(
    request: Mapping[str, Any],
    attributes: Mapping[str, Any] | None = None,
    *,
    new: bool = False,
    locale: str = "en-US",
    skill_id: str = SIMULATOR_SKILL_ID,
) -> dict[str, Any]:
    """`request` in a session of its own that carries `attributes` (new or going on)."""
    session = SessionInfo(skill_id=skill_id, new=new, attributes=dict(attributes or {}))
    return envelope(request, session, locale)


def launch(*, locale: str = "en-US", skill_id: str = SIMULATOR_SKILL_ID) -> dict[str, Any]:
    """ "Alexa, open ...": a LaunchRequest that starts a session."""
    return in_session(launch_request(), new=True, locale=locale, skill_id=skill_id)


def intent(
    name: str,
    *slots: Mapping[str, Any],
    attributes: Mapping[str, Any] | None = None,
    new: bool = False,
    dialog_state: str | None = None,
    locale: str = "en-US",
    skill_id: str = SIMULATOR_SKILL_ID,
) -> dict[str, Any]:
    """An IntentRequest envelope: a one-shot (`new=True`) or a turn of a session going on."""
    request = intent_request(name, *slots, dialog_state=dialog_state)
    return in_session(request, attributes, new=new, locale=locale, skill_id=skill_id)
