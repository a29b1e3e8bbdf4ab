"""A failure inside a turn still gets a kind, spoken answer, and the logs learn nothing private."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from alexa_session import REASSURING, AlexaTurn, Handler, Session, slot

import skill.alexa.conversation as conversation
from skill.alexa.voice import Voice

SECRET = "secret words"
SLOTS = [
    slot("amount", "a lot of blood", match="heavy"),
    slot("consent", "it wasn't consensual", match="no"),
    slot("context", "after sex with my new boyfriend", no_match=True),
]


def _raise(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError(SECRET)


def _break(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    if where == "assess":
        monkeypatch.setattr(conversation, "assess", _raise)
    elif where == "next_question":
        monkeypatch.setattr(conversation, "next_question", _raise)
    elif where == "report":
        monkeypatch.setattr(conversation.Conversation, "report", _raise)
    elif where == "card_for":
        monkeypatch.setattr(conversation, "card_for", _raise)
    else:  # pragma: no cover
        raise AssertionError(where)


def assert_apology(reply: AlexaTurn, voice: Voice) -> None:
    assert reply.speech == voice.say("error")
    assert "911" in reply.speech
    assert reply.reprompt == voice.say("welcome", "reprompt")
    assert reply.ends is False
    assert reply.raw_card is None


def assert_logs_nothing_private(caplog: pytest.LogCaptureFixture, said: list[str]) -> None:
    logged = caplog.text + "".join(
        f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records
    )
    assert SECRET not in logged
    for value in said:
        assert value not in logged, value
    assert "RuntimeError" in caplog.text  # the type of the failure, and only that


@pytest.mark.parametrize("where", ["assess", "next_question", "report"])
def test_a_failing_report_is_answered_with_the_apology(
    session: Session,
    voice: Voice,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    session.launch()
    _break(monkeypatch, where)
    reply = session.report(*SLOTS)  # heavy: nothing left to ask, so assess() is reached too
    assert_apology(reply, voice)
    assert_logs_nothing_private(caplog, reply.slot_values)
    assert reply.slot_values == [s["value"] for s in SLOTS]


def test_after_the_apology_the_conversation_goes_on(
    session: Session, voice: Voice, monkeypatch: pytest.MonkeyPatch
) -> None:
    session.report()
    before = session.no()  # no warning signs
    with monkeypatch.context() as patch:
        _break(patch, "next_question")
        apology = session.no()
    assert_apology(apology, voice)
    assert apology.session_facts == before.session_facts  # nothing half-done was kept
    assert apology.stage == before.stage and apology.asking == before.asking
    final = session.answer_questions(REASSURING)
    assert final.is_answer and final.level == "self_care"


def test_a_failing_card_sends_no_card(
    session: Session,
    voice: Voice,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    session.report(slot("frequency", "it keeps happening after sex", match="recurrent"))
    session.answer_questions(REASSURING)
    _break(monkeypatch, "card_for")
    reply = session.yes()
    assert_apology(reply, voice)
    assert_logs_nothing_private(caplog, ["it keeps happening after sex"])


def test_the_apology_is_whispered_when_asked_to_whisper(
    session: Session, voice: Voice, monkeypatch: pytest.MonkeyPatch
) -> None:
    session.intent("WhisperIntent")
    _break(monkeypatch, "report")
    reply = session.report(*SLOTS)
    assert reply.ssml is not None and reply.reprompt_ssml is not None
    assert reply.ssml.startswith('<speak><amazon:effect name="whispered">')
    assert reply.reprompt_ssml.startswith('<speak><amazon:effect name="whispered">')
    assert reply.speech == voice.say("error")


def test_the_apology_survives_garbage_state_too(
    handler: Handler, voice: Voice, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break(monkeypatch, "report")
    session = Session(handler, attributes={"facts": {"amount": "lots"}, "stage": 42})
    assert_apology(session.report(*SLOTS), voice)


def test_a_whole_conversation_logs_nothing_it_heard(
    handler: Handler, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    session = Session(handler)
    session.report(*SLOTS)
    session.answer_questions(REASSURING)
    session.yes()
    said = [v for r in session.turns for v in r.slot_values]
    assert said
    logged = caplog.text
    for value in said:
        assert value not in logged
    for reply in session.turns:
        for sentence in reply.sentences():
            assert sentence not in logged
