"""Real Alexa request envelopes, shaped as Alexa sends them, for the tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
USER_ID = "amzn1.ask.account.TESTUSER"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(
    request: dict[str, Any],
    attributes: dict[str, Any] | None = None,
    *,
    new: bool = False,
    locale: str = "en-US",
    skill_id: str = SKILL_ID,
) -> dict[str, Any]:
    request = {
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": _now(),
        "locale": locale,
        **request,
    }
    application = {"applicationId": skill_id}
    return {
        "version": "1.0",
        "session": {
            "new": new,
            "sessionId": "amzn1.echo-api.session.test",
            "application": application,
            "attributes": attributes or {},
            "user": {"userId": USER_ID},
        },
        "context": {
            "System": {
                "application": application,
                "user": {"userId": USER_ID},
                "device": {"deviceId": "amzn1.ask.device.TEST", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": request,
    }


def launch(**kwargs: Any) -> dict[str, Any]:
    return envelope({"type": "LaunchRequest"}, new=True, **kwargs)


def slot(
    name: str,
    value: str | None = None,
    *,
    match: str | None = None,
    no_match: bool = False,
    status: str | None = None,
    type_name: str = "Type",
) -> dict[str, Any]:
    """A slot as Alexa sends it: resolved to an id, outside the catalogue, or empty.

    `status` sends another resolution outcome with no values (ER_ERROR_TIMEOUT,
    ER_ERROR_EXCEPTION)."""
    raw: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if value is not None:
        raw["value"] = value
        authority = f"amzn1.er-authority.echo-sdk.{SKILL_ID}.{type_name}"
        if status is not None:
            raw["resolutions"] = {
                "resolutionsPerAuthority": [{"authority": authority, "status": {"code": status}}]
            }
        elif match is not None:
            raw["resolutions"] = {
                "resolutionsPerAuthority": [
                    {
                        "authority": authority,
                        "status": {"code": "ER_SUCCESS_MATCH"},
                        "values": [{"value": {"name": value, "id": match}}],
                    }
                ]
            }
        elif no_match:
            raw["resolutions"] = {
                "resolutionsPerAuthority": [
                    {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
                ]
            }
    return raw


def intent(
    name: str,
    slots: list[dict[str, Any]] | None = None,
    attributes: dict[str, Any] | None = None,
    *,
    dialog_state: str | None = None,
    new: bool = False,
    **kwargs: Any,
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "type": "IntentRequest",
        "intent": {
            "name": name,
            "confirmationStatus": "NONE",
            "slots": {s["name"]: s for s in (slots or [])},
        },
    }
    if dialog_state:
        request["dialogState"] = dialog_state
    return envelope(request, attributes, new=new, **kwargs)


def session_ended(
    reason: str = "USER_INITIATED",
    attributes: dict[str, Any] | None = None,
    error_type: str | None = None,
) -> dict[str, Any]:
    request: dict[str, Any] = {"type": "SessionEndedRequest", "reason": reason}
    if error_type:
        request["error"] = {"type": error_type, "message": "An error occurred."}
    return envelope(request, attributes)
