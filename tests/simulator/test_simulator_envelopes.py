"""The envelopes the simulator sends are shaped as Alexa's and read by the skill as Alexa's."""

from __future__ import annotations

import json
import re
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import IntentRequest, RequestEnvelope

from skill.alexa.slots import read_slots
from skill.simulator.envelopes import SIMULATOR_SKILL_ID, SessionInfo, envelope, request_for
from skill.simulator.matcher import MATCH, NO_MATCH, Matcher


def _event(matcher: Matcher, typed: str, session: SessionInfo | None = None) -> dict[str, Any]:
    understood = matcher.understand(typed)
    return envelope(request_for(understood, SIMULATOR_SKILL_ID), session or SessionInfo(), "en-US")


def _deserialize(event: dict[str, Any]) -> RequestEnvelope:
    parsed: RequestEnvelope = DefaultSerializer().deserialize(
        payload=json.dumps(event), obj_type=RequestEnvelope
    )
    return parsed


def test_resolved_slot_carries_the_id(matcher: Matcher) -> None:
    slots = _event(matcher, "i had big clots after sex")["request"]["intent"]["slots"]
    authority = slots["amount"]["resolutions"]["resolutionsPerAuthority"][0]
    assert slots["amount"]["value"] == "big clots"
    assert authority["status"] == {"code": MATCH}
    assert authority["values"] == [{"value": {"name": "soaking a pad", "id": "heavy"}}]
    assert authority["authority"].endswith(f"{SIMULATOR_SKILL_ID}.AmountType")
    assert slots["pain"] == {"name": "pain", "confirmationStatus": "NONE"}


def test_value_outside_the_catalogue_has_no_values(matcher: Matcher) -> None:
    slots = _event(matcher, "there was purple after sex")["request"]["intent"]["slots"]
    authority = slots["amount"]["resolutions"]["resolutionsPerAuthority"][0]
    assert slots["amount"]["value"] == "purple"
    assert authority["status"] == {"code": NO_MATCH}
    assert "values" not in authority


def test_number_slot_has_digits_and_no_resolution(matcher: Matcher) -> None:
    slots = _event(matcher, "i'm thirty five years old")["request"]["intent"]["slots"]
    assert slots["age"] == {"name": "age", "confirmationStatus": "NONE", "value": "35"}


def test_the_skill_reads_the_slots_as_facts(matcher: Matcher) -> None:
    request = _deserialize(_event(matcher, "i'm pregnant and there was purple after sex")).request
    assert isinstance(request, IntentRequest)
    reading = read_slots(request.intent.slots)
    assert reading.facts == {"pregnant": "yes"}
    assert reading.unclear == ["amount"]


def test_envelope_shape(matcher: Matcher) -> None:
    session = SessionInfo(new=False, attributes={"stage": "asking"})
    first, second = _event(matcher, "yes", session), _event(matcher, "yes", session)
    request = first["request"]
    assert request["type"] == "IntentRequest" and request["locale"] == "en-US"
    assert request["intent"] == {
        "name": "AMAZON.YesIntent",
        "confirmationStatus": "NONE",
        "slots": {},
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", request["timestamp"])
    assert request["requestId"] != second["request"]["requestId"]
    assert first["session"]["sessionId"] == second["session"]["sessionId"]
    assert first["session"]["new"] is False
    assert first["session"]["attributes"] == {"stage": "asking"}
    assert first["context"]["System"]["application"]["applicationId"] == SIMULATOR_SKILL_ID
    assert _deserialize(first).session.new is False


def test_launch_envelope(matcher: Matcher) -> None:
    event = _event(matcher, "open care compass")
    assert event["request"]["type"] == "LaunchRequest"
    assert event["session"]["new"] is True
    assert _deserialize(event).request.object_type == "LaunchRequest"
