"""The simulator holds a session like Alexa: attributes carried, new sessions after the end."""

from __future__ import annotations

from typing import Any

import pytest

from skill.simulator import Simulator, SimulatorError, in_process
from skill.testing import heard_text

TURN_KEYS = {
    "you",
    "intent",
    "slots",
    "speech",
    "reprompt",
    "card",
    "facts",
    "question",
    "level",
    "end_session",
}


class Recorder:
    """A `send` that records each event and passes it to the skill in-process."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        self.events.append(event)
        self.responses.append(in_process()(event))
        return self.responses[-1]


def test_session_attributes_go_back_and_forth() -> None:
    recorder = Recorder()
    simulator = Simulator(send=recorder)
    for line in ("open care compass", "i bled after sex", "no"):
        simulator.say(line)
    first, second, third = recorder.events
    assert [e["session"]["new"] for e in recorder.events] == [True, False, False]
    assert len({e["session"]["sessionId"] for e in recorder.events}) == 1
    assert first["session"]["attributes"] == {}
    assert second["session"]["attributes"] == recorder.responses[0]["sessionAttributes"]
    assert third["session"]["attributes"] == recorder.responses[1]["sessionAttributes"]


def test_after_the_end_the_next_utterance_starts_a_new_session() -> None:
    recorder = Recorder()
    simulator = Simulator(send=recorder)
    ended = simulator.say("ask care compass i had big clots after sex")  # asks nothing, ends
    assert ended.end_session and not simulator.in_session
    assert ended.level == "emergency" and ended.facts == {"amount": "heavy"}  # kept after the end
    assert ended.question is None
    fresh = simulator.say("i bled after sex")
    event = recorder.events[-1]
    assert event["session"]["new"] is True and event["session"]["attributes"] == {}
    assert event["session"]["sessionId"] != recorder.events[0]["session"]["sessionId"]
    assert (fresh.facts, fresh.level, fresh.question) == ({}, None, "warning_signs")


def test_open_and_ask_always_start_a_new_session() -> None:
    recorder = Recorder()
    simulator = Simulator(send=recorder)
    simulator.say("open care compass")
    simulator.say("i bled after sex")
    turn = simulator.say("ask care compass i had big clots after sex")
    assert recorder.events[-1]["session"]["new"] is True
    assert turn.facts == {"amount": "heavy"}


def test_turn_reports_facts_question_level_and_speech() -> None:
    simulator = Simulator()
    asked = simulator.say("ask care compass i bleed after sex every time")
    assert asked.intent == "ReportIntent" and asked.slots == {"frequency": "recurrent"}
    assert (asked.question, asked.level) == ("warning_signs", None)
    assert asked.speech.startswith(heard_text("questions.warning_signs.say"))
    assert "<" not in asked.speech
    assert asked.reprompt and asked.card is None and asked.end_session is False
    assert set(asked.to_json()) == TURN_KEYS


def test_whisper_is_reported() -> None:
    simulator = Simulator()
    simulator.say("open care compass")
    assert simulator.say("whisper").whispered is True


def test_end_sends_session_ended() -> None:
    recorder = Recorder()
    simulator = Simulator(send=recorder)
    assert simulator.end() is None
    simulator.say("open care compass")
    turn = simulator.end()
    assert turn is not None and turn.intent == "SessionEndedRequest" and turn.speech == ""
    assert recorder.events[-1]["request"] == {
        **recorder.events[-1]["request"],
        "type": "SessionEndedRequest",
        "reason": "USER_INITIATED",
    }
    assert not simulator.in_session


def test_a_response_that_is_not_an_envelope_is_an_error() -> None:
    simulator = Simulator(send=lambda _event: {"hello": "world"})
    with pytest.raises(SimulatorError, match="not a response envelope"):
        simulator.say("open care compass")


def test_plain_text_speech_and_standard_card_are_read() -> None:
    answer = {
        "version": "1.0",
        "response": {
            "outputSpeech": {"type": "PlainText", "text": "Hello there."},
            "card": {"type": "Standard", "title": "T", "text": "Body"},
            "shouldEndSession": True,
        },
    }
    turn = Simulator(send=lambda _event: answer).say("open care compass")
    assert (turn.speech, turn.card, turn.end_session) == (
        "Hello there.",
        {"title": "T", "text": "Body"},
        True,
    )


def test_an_enumerated_question_elicits_its_slot_and_a_yes_no_one_does_not() -> None:
    simulator = Simulator("en-US")
    simulator.say("open care compass")
    asked = simulator.say("i bled after sex")  # warning signs: a yes-or-no question
    assert asked.question == "warning_signs" and simulator.eliciting is None
    assert "directives" not in asked.response["response"]
    assert simulator.say("no").question == "still_bleeding"  # yes or no: not elicited
    asked = simulator.say("no")  # could you be pregnant? answered with a PregnancyType value
    assert asked.question == "pregnant" and simulator.eliciting == "pregnancy"
    (directive,) = asked.response["response"]["directives"]
    assert directive["type"] == "Dialog.ElicitSlot" and directive["slotToElicit"] == "pregnancy"
    assert directive["updatedIntent"]["name"] == "AnswerIntent"
    answered = simulator.say("i might be")  # a bare value, understood because it was elicited
    assert answered.intent == "AnswerIntent" and answered.facts["pregnant"] == "possible"
