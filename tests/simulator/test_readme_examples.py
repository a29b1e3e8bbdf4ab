"""The README's example utterances are understood: read from the README itself, so an example
that stops working (or a new one that never did) fails here, not in front of a reader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skill.simulator.coverage import facts_of_request
from skill.simulator.session import Simulator

README = Path(__file__).resolve().parents[2] / "README.md"
FALLBACK = "AMAZON.FallbackIntent"
# Where each short answer of the README is said: the question just asked.
ANSWERED_AT = {
    "yes": "warning_signs",
    "no": "warning_signs",
    "i'm not sure": "warning_signs",
    "just a few drops": "amount",
    "about a pad every few hours": "amount",
    "in the middle of my cycle": "cycle_timing",
    "it's mild": "pain",
    "on my left side": "pain_site",
}


def _examples() -> dict[str, list[str]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Example utterances", 1)[1].split("\n#", 1)[0]
    groups: dict[str, list[str]] = {"said": [], "answers": [], "any time": []}
    for bullet in re.split(r"\n- ", section):
        head = bullet.split(":", 1)[0].strip()
        group = head if head in ("answers", "any time") else "said"
        groups[group] += [q.lower() for q in re.findall(r'"([^"]+)"', bullet)]
    return groups


EXAMPLES = _examples()


def _as_said(example: str) -> str:
    """ "Alexa, ask care compass: ..." is typed as it is heard: no wake word, no punctuation."""
    return re.sub(r"[,:]", "", example.removeprefix("alexa, "))


def test_the_readme_has_examples_of_each_kind() -> None:
    assert len(EXAMPLES["said"]) >= 8
    assert set(EXAMPLES["answers"]) == set(ANSWERED_AT)
    assert {"help", "stop"} <= set(EXAMPLES["any time"])


@pytest.mark.parametrize("example", EXAMPLES["said"])
def test_a_first_sentence_of_the_readme_is_understood(example: str) -> None:
    simulator = Simulator("en-US")
    said = _as_said(example)
    if not said.startswith(("open ", "ask ")):
        simulator.say("open care compass")
    turn = simulator.say(said)
    assert turn.intent != FALLBACK, example
    assert not turn.no_match, (example, turn.no_match)
    if "after sex" in said and ("and" in said or "every time" in said):
        assert facts_of_request(turn.request), f"{example!r} lost its details"


@pytest.mark.parametrize("example", EXAMPLES["answers"])
def test_an_answer_of_the_readme_is_understood_at_its_question(example: str) -> None:
    from skill.alexa.conversation import ASKING, State
    from skill.alexa.slots import elicited_slots
    from skill.simulator.envelopes import SessionInfo

    simulator = Simulator("en-US")
    question = ANSWERED_AT[example]
    simulator.session = SessionInfo(
        skill_id=simulator.skill_id,
        new=False,
        attributes=State(stage=ASKING, asking=question).to_attributes(),
    )
    simulator.eliciting = elicited_slots().get(question)
    turn = simulator.say(example)
    assert turn.intent != FALLBACK, example
    assert not turn.no_match, (example, turn.no_match)


@pytest.mark.parametrize("example", EXAMPLES["any time"])
def test_what_the_readme_says_works_any_time_is_understood(example: str) -> None:
    simulator = Simulator("en-US")
    simulator.say("open care compass")
    assert simulator.say(example).intent != FALLBACK, example


@pytest.mark.parametrize("said", ["maybe", "could be", "i might be", "possibly"])
def test_maybe_at_the_pregnancy_question_means_possibly_pregnant(said: str) -> None:
    from skill.alexa.conversation import ASKING, State
    from skill.alexa.slots import elicited_slots
    from skill.simulator.envelopes import SessionInfo

    simulator = Simulator("en-US")
    simulator.session = SessionInfo(
        skill_id=simulator.skill_id,
        new=False,
        attributes=State(stage=ASKING, asking="pregnant").to_attributes(),
    )
    simulator.eliciting = elicited_slots().get("pregnant")
    turn = simulator.say(said)
    assert facts_of_request(turn.request).get("pregnant") == "possible", said
