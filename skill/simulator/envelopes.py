"""Request envelopes shaped as Alexa sends them (Amazon's "Request and Response JSON Reference")."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from skill.simulator.matcher import INTENT, LAUNCH, MATCH, SlotFill, Understood

__all__ = [
    "SIMULATOR_SKILL_ID",
    "SessionInfo",
    "envelope",
    "request_for",
    "session_ended",
    "slot_json",
]

SIMULATOR_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-00000000c0de"
USER_ID = "amzn1.ask.account.SIMULATOR"
DEVICE_ID = "amzn1.ask.device.SIMULATOR"


@dataclass
class SessionInfo:
    """What Alexa keeps for an open session: its id, whether it is new, its attributes."""

    skill_id: str = SIMULATOR_SKILL_ID
    session_id: str = field(default_factory=lambda: f"amzn1.echo-api.session.{uuid.uuid4()}")
    new: bool = True
    attributes: dict[str, Any] = field(default_factory=dict)


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slot_json(fill: SlotFill, skill_id: str) -> dict[str, Any]:
    """A slot as Alexa sends it: empty, a built-in value, resolved to an id, or outside the
    catalogue (ER_SUCCESS_NO_MATCH, no values)."""
    raw: dict[str, Any] = {"name": fill.name, "confirmationStatus": "NONE"}
    if fill.value is None:
        return raw
    raw["value"] = fill.value
    if fill.status is None:
        return raw
    authority: dict[str, Any] = {
        "authority": f"amzn1.er-authority.echo-sdk.{skill_id}.{fill.type}",
        "status": {"code": fill.status},
    }
    if fill.status == MATCH:
        authority["values"] = [{"value": {"name": fill.canonical, "id": fill.value_id}}]
    raw["resolutions"] = {"resolutionsPerAuthority": [authority]}
    return raw


def request_for(understood: Understood, skill_id: str) -> dict[str, Any]:
    """The `request` object for what was understood (without id, timestamp and locale)."""
    if understood.request_type == LAUNCH:
        return {"type": LAUNCH}
    slots = {fill.name: slot_json(fill, skill_id) for fill in understood.slots}
    return {
        "type": INTENT,
        "intent": {"name": understood.intent, "confirmationStatus": "NONE", "slots": slots},
    }


def session_ended(reason: str = "USER_INITIATED") -> dict[str, Any]:
    return {"type": "SessionEndedRequest", "reason": reason}


def envelope(request: Mapping[str, Any], session: SessionInfo, locale: str) -> dict[str, Any]:
    """A full envelope: a fresh request id and timestamp, the locale, the session."""
    body = {
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": _timestamp(),
        "locale": locale,
        **request,
    }
    application = {"applicationId": session.skill_id}
    user = {"userId": USER_ID}
    return {
        "version": "1.0",
        "session": {
            "new": session.new,
            "sessionId": session.session_id,
            "application": application,
            "attributes": dict(session.attributes),
            "user": user,
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {"deviceId": DEVICE_ID, "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": body,
    }
