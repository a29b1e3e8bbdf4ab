"""The Lambda handler, fuzzed: whatever arrives, a valid response and never an exception.

What lambda_handler returns (decided in skill/alexa/entry.py):
- an envelope the skill can read: the skill's response envelope;
- not a dict, not JSON-able, nested over 100 levels, a request type ask-sdk-model does not know,
  no ``request``, or no ``context.System.application`` while the skill checks its id: the empty
  answer ``{"version": "1.0", "response": {}}`` (nothing said, nothing kept);
- a well-formed request for another skill: the SDK's refusal, AskSdkException("Skill ID
  Verification failed!!"), the one exception allowed out (it is not this skill's to answer).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import robust_strategies as rst
import robust_support as rs
from ask_sdk_core.exceptions import AskSdkException
from hypothesis import given
from hypothesis import strategies as st

EMPTY = {"version": "1.0", "response": {}}


class Records(logging.Handler):
    """Every record of every logger, at DEBUG (caplog is function-scoped, hypothesis is not)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def handler() -> rs.Handler:
    return rs.load_lambda(skill_id=rs.SKILL_ID).lambda_handler  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def handler_without_id() -> rs.Handler:
    return rs.load_lambda(skill_id=None).lambda_handler  # type: ignore[no-any-return]


@pytest.fixture
def records() -> Iterator[Records]:
    collector = Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(collector)
    root.setLevel(logging.DEBUG)
    try:
        yield collector
    finally:
        root.removeHandler(collector)
        root.setLevel(level)


def answer(handler: rs.Handler, event: Any) -> dict[str, Any] | None:
    """The handler's answer, checked; None when it refused a request for another skill."""
    try:
        return rs.check_response_envelope(handler(event, None))
    except AskSdkException as exc:
        assert str(exc) == "Skill ID Verification failed!!", exc
        found = rs.application_id_of(event)
        assert found is not None and str(found) != rs.SKILL_ID, found
        return None


def assert_no_trace_logged(records: Records) -> None:
    for record in records.records:
        assert record.exc_info is None and record.exc_text is None, record.getMessage()
        assert "Traceback" not in record.getMessage()
        assert "\n" not in record.getMessage()


@rs.fuzz_settings(max_examples=600)
@given(event=rst.envelopes())
def test_any_envelope_gets_a_valid_answer(handler: rs.Handler, event: Any) -> None:
    answer(handler, event)


@rs.fuzz_settings(max_examples=200)
@given(event=rst.envelopes())
def test_any_envelope_gets_a_valid_answer_without_a_skill_id(
    handler_without_id: rs.Handler, event: Any
) -> None:
    rs.check_response_envelope(handler_without_id(event, None))


@rs.fuzz_settings(max_examples=60)
@given(event=rst.NON_DICT_EVENTS)
def test_an_event_that_is_not_a_dict_gets_the_empty_answer(handler: rs.Handler, event: Any) -> None:
    assert handler(event, None) == EMPTY


@rs.fuzz_settings(max_examples=40)
@given(event=st.sampled_from(rs.base_envelopes()), depth=st.integers(101, 3000))
def test_a_deeply_nested_event_gets_the_empty_answer(
    handler: rs.Handler, event: dict[str, Any], depth: int
) -> None:
    nested: Any = "x"
    for _ in range(depth):
        nested = {"a": nested} if depth % 2 else [nested]
    event = {**event, "session": {**event.get("session", {}), "attributes": {"deep": nested}}}
    assert handler(event, None) == EMPTY


def test_fuzzing_logs_no_trace_and_the_handler_still_works(
    handler: rs.Handler, records: Records
) -> None:
    """After every kind of bad event, no stack trace was logged and a conversation still works."""
    for event in [None, [], "x", {}, *rs.base_envelopes()]:
        answer(handler, event)
    deep: Any = {}
    for _ in range(2000):
        deep = {"a": deep}
    answer(handler, rs.envelope(rs.launch_request(), {"x": deep}))
    talk = rs.full_conversation(handler, "urgent", "after-fuzz")
    assert talk.last.raw_card
    assert_no_trace_logged(records)


@pytest.mark.parametrize(
    ("name", "event"),
    [
        ("skill enabled, no session", rs.skill_event()),
        ("skill disabled, no session", rs.skill_event("AlexaSkillEvent.SkillDisabled")),
        ("can fulfill, no session", {**rs.can_fulfill(), "session": None}),
        ("launch, no session", rs.envelope(rs.launch_request(), with_session=False)),
        (
            "report, no session",
            rs.envelope(rs.intent_request("ReportIntent"), with_session=False),
        ),
        ("session ended, no session", rs.envelope(rs.session_ended_request(), with_session=False)),
    ],
)
def test_requests_outside_a_session_are_answered_without_session_attributes(
    handler: rs.Handler, name: str, event: dict[str, Any]
) -> None:
    raw = rs.check_response_envelope(handler(event, None))
    assert "sessionAttributes" not in raw, name
    if event["request"]["type"].startswith(("AlexaSkillEvent.", "CanFulfill", "SessionEnded")):
        assert raw["response"] == {}, name  # nothing to say to an event


def test_can_fulfill_in_a_session_is_re_asked_not_a_crash(handler: rs.Handler) -> None:
    raw = rs.check_response_envelope(handler(rs.can_fulfill(), None))
    assert raw["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize(
    "context",
    [None, {}, {"System": {}}, {"System": {"application": None}}, {"System": {"application": {}}}],
)
def test_no_context_with_a_skill_id_configured_is_the_empty_answer(
    handler: rs.Handler, handler_without_id: rs.Handler, context: Any
) -> None:
    event = {**rs.envelope(rs.launch_request(), new=True), "context": context}
    assert handler(event, None) == EMPTY  # the skill id cannot be checked
    assert rs.check_response_envelope(handler_without_id(event, None))["response"]


def test_a_request_for_another_skill_is_the_one_refusal(handler: rs.Handler) -> None:
    event = rs.envelope(rs.launch_request(), skill_id=rs.OTHER_SKILL_ID)
    with pytest.raises(AskSdkException, match="Skill ID Verification failed"):
        handler(event, None)


def test_a_failure_past_the_exception_handler_is_the_empty_answer_logged_by_type(
    handler: rs.Handler, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Even when the skill's own apology fails, the handler answers and logs no words."""
    import skill.alexa.handlers as handlers

    secret = rs.marker("secret")

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError(secret)

    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(handlers, "build_response", broken)
    raw = handler(rs.envelope(rs.intent_request("ReportIntent", rs.slot("amount", secret))), None)
    assert raw == EMPTY
    assert "RuntimeError" in caplog.text and secret not in caplog.text
    assert all(r.exc_info is None for r in caplog.records)
    assert json.dumps(raw) == json.dumps(EMPTY)
