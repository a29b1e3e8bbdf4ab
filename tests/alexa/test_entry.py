"""skill/alexa/entry.py: the event dict becomes the SDK's model objects without a JSON round trip.

envelope_from_dict() calls ask-sdk-core's private DefaultSerializer.__deserialize on the dict, with
two private steps replaced (class lookup memoised, Alexa's timestamp read directly). These tests
pin that the result equals what the SDK's public ``deserialize(json.dumps(event))`` builds, and
that the private names it relies on still exist.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alexa_session import Handler
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from dateutil.parser import parse as dateutil_parse
from hypothesis import given, settings
from hypothesis import strategies as st

from skill import testing as env
from skill.alexa import entry

STOCK = DefaultSerializer()
EMPTY = {"version": "1.0", "response": {}}


def stock_envelope(event: dict[str, Any]) -> Any:
    """The SDK's public path: the event as text, parsed back, then to model objects."""
    return STOCK.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)


def _with_slots() -> dict[str, Any]:
    return env.intent(
        "ReportIntent",
        env.slot("amount", "a lot of blood", match="heavy"),
        env.slot("context", "after sex", no_match=True),
        env.slot("pain", "sore", status="ER_ERROR_TIMEOUT"),
        env.slot("age", "42"),
        env.slot("symptom"),
        attributes={
            "facts": {"amount": "light"},
            "stage": "asking",
            "asking": "pain",
            "whisper": True,
        },
        dialog_state="STARTED",
    )


def _skill_event() -> dict[str, Any]:
    event = env.launch()
    event.pop("session")
    event["request"] = {
        "type": "AlexaSkillEvent.SkillEnabled",
        "requestId": "amzn1.echo-api.request.1",
        "timestamp": "2025-01-01T12:00:00Z",
        "eventCreationTime": "2025-01-01T11:59:58Z",
        "eventPublishingTime": "2025-01-01T11:59:59Z",
    }
    return event


def _odd_but_readable() -> dict[str, Any]:
    event = env.launch(locale="es-US")
    event["request"]["timestamp"] = "2025-01-01T12:00:00.25Z"
    event["extra"] = {"not": ["in", "the", "model"]}
    event["context"]["System"]["device"]["supportedInterfaces"] = {"Display": {}}
    return event


REAL_ENVELOPES = {
    "launch": env.launch(),
    "report with slots and attributes": _with_slots(),
    "yes": env.intent("AMAZON.YesIntent", attributes={"stage": "offering", "level": "soon"}),
    "session ended with an error": env.in_session(
        env.session_ended("ERROR", error_type="INVALID_RESPONSE")
    ),
    "skill event, no session": _skill_event(),
    "timestamp with a fraction, unknown keys": _odd_but_readable(),
    "timestamp in another form": {
        **env.launch(),
        "request": {**env.launch()["request"], "timestamp": "2025-01-01 12:00:00+01:00"},
    },
}


@pytest.mark.parametrize("name", list(REAL_ENVELOPES))
def test_the_envelope_equals_the_sdk_s_public_path(name: str) -> None:
    event = REAL_ENVELOPES[name]
    before = copy.deepcopy(event)
    ours = entry.envelope_from_dict(event)
    stock = stock_envelope(event)
    assert isinstance(ours, RequestEnvelope)
    assert ours == stock
    assert STOCK.serialize(ours) == STOCK.serialize(stock)
    assert ours.request.timestamp.utcoffset() == timedelta(0) or name.endswith("another form")
    assert event == before  # nothing of the event was changed


@pytest.mark.parametrize(
    "event",
    [
        {"version": "1.0", "request": {"type": "SomeFutureRequest", "requestId": "x"}},
        {"version": "1.0", "request": {"type": "LaunchRequest", "timestamp": "yesterday"}},
        {"version": "1.0", "request": {"type": "LaunchRequest", "timestamp": "2025-13-01T00:00Z"}},
        {"version": "1.0", "request": {"type": "LaunchRequest", "timestamp": 12}},
        {"version": "1.0", "request": "a string"},
    ],
)
def test_a_shape_the_sdk_refuses_is_refused_alike(event: dict[str, Any]) -> None:
    with pytest.raises(Exception) as stock_error:
        stock_envelope(event)
    with pytest.raises(Exception) as our_error:
        entry.envelope_from_dict(event)
    assert type(our_error.value) is type(stock_error.value)


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    digits=st.integers(min_value=0, max_value=6),
)
def test_alexa_timestamps_are_read_as_dateutil_reads_them(moment: datetime, digits: int) -> None:
    text = moment.replace(microsecond=0).isoformat()  # 0031-02-01T00:00:00: four-digit years
    if digits:
        text += "." + f"{moment.microsecond:06d}"[:digits]
    text += "Z"
    ours = entry.serializer._DefaultSerializer__deserialize_datetime(text, datetime)
    stock = dateutil_parse(text)
    assert ours == stock  # the same instant
    assert ours.utcoffset() == stock.utcoffset() == timedelta(0)
    assert ours.replace(tzinfo=None) == stock.replace(tzinfo=None)


def test_the_private_sdk_steps_relied_on_still_exist() -> None:
    """If an ask-sdk-core release renames them, the overrides would silently stop applying."""
    for name in ("__deserialize", "__load_class_from_name", "__deserialize_datetime"):
        assert callable(getattr(DefaultSerializer, f"_DefaultSerializer{name}", None)), name
    assert entry._deserialize_dict is not None


def test_the_shortcuts_are_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """Class names are resolved once, and dateutil is not asked for Alexa's timestamps."""
    entry.envelope_from_dict(env.launch())  # every class of a launch is resolved by now
    resolved: list[str] = []
    parsed: list[Any] = []
    original = DefaultSerializer._DefaultSerializer__load_class_from_name
    monkeypatch.setattr(
        DefaultSerializer,
        "_DefaultSerializer__load_class_from_name",
        lambda self, name: resolved.append(name) or original(self, name),
    )
    monkeypatch.setattr(
        DefaultSerializer,
        "_DefaultSerializer__deserialize_datetime",
        lambda self, payload, obj_type: parsed.append(payload),
    )
    entry.envelope_from_dict(env.launch())
    assert resolved == [] and parsed == []


# --- the nesting check: session attributes only ------------------------------------------------


def _nested(levels: int) -> Any:
    node: Any = "leaf"
    for level in range(levels):
        node = {"a": node} if level % 2 else [node]
    return node


@pytest.mark.parametrize(("levels", "refused"), [(97, False), (98, True), (400, True)])
def test_attributes_over_100_levels_deep_in_the_event_are_refused(
    handler: Handler, levels: int, refused: bool
) -> None:
    # event (1) > session (2) > attributes (3) > "deep" value (4...): 97 levels end at level 100.
    event = env.launch()
    event["session"]["attributes"] = {"deep": _nested(levels)}
    assert entry.attributes_too_deep(event) is refused
    answer = handler(event, None)
    assert (answer == EMPTY) is refused
    if not refused:
        assert answer["response"]["outputSpeech"]["ssml"].startswith("<speak>")


def test_a_deep_value_outside_the_attributes_is_not_walked_and_harms_nothing(
    handler: Handler,
) -> None:
    """The SDK keeps values it has no model for as they are; nothing copies or walks them."""
    event = env.launch()
    event["context"]["Extra"] = _nested(2000)
    event["request"]["unknown"] = _nested(2000)
    assert not entry.attributes_too_deep(event)
    answer = handler(event, None)
    assert answer["response"]["outputSpeech"]["ssml"].startswith("<speak>")


def test_handling_an_event_leaves_it_as_it_was(handler: Handler) -> None:
    """The model objects now share the event's values (no JSON copy): nothing may change them."""
    for event in REAL_ENVELOPES.values():
        before = copy.deepcopy(event)
        handler(event, None)
        assert event == before


def test_the_envelope_s_timestamp_is_aware_utc() -> None:
    stamp = entry.envelope_from_dict(env.launch()).request.timestamp
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=5)
