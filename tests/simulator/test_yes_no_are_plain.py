"""A yes or a no counts for whatever question was asked, so the built-in yes and no intents take
only words that are a yes or a no to ANY question. A sentence that answers one question ("it
stopped", "I'm fine") said to another must not become a yes or a no there: "I'm fine" to "have you
felt dizzy?" read as yes would send a person to the emergency number, and "it stopped" to "pain or
a fever?" read as no would skip a red flag."""

from __future__ import annotations

import pytest

from skill.simulator.matcher import matcher_for

NOT_A_PLAIN_ANSWER = {
    "en-US": [
        "i'm fine",
        "i'm okay",
        "it stopped",
        "it's gone",
        "just a few hours",
        "only once",
        "no fever",
        "not dizzy",
        "they haven't stopped",
        "no they haven't stopped",
    ],
    "es-US": ["estoy bien", "todo bien", "ya paró", "ya se me quitó"],
}


@pytest.mark.parametrize(
    ("locale", "said"), [(loc, s) for loc, says in NOT_A_PLAIN_ANSWER.items() for s in says]
)
def test_an_answer_to_one_question_is_not_a_yes_or_no_to_all(locale: str, said: str) -> None:
    intent = matcher_for(locale).understand(said).intent
    assert intent not in {"AMAZON.YesIntent", "AMAZON.NoIntent"}, (said, intent)


@pytest.mark.parametrize(
    ("locale", "said", "intent"),
    [
        ("en-US", "no nothing like that", "AMAZON.NoIntent"),
        ("en-US", "yes i think so", "AMAZON.YesIntent"),
        ("es-US", "no nada de eso", "AMAZON.NoIntent"),
        ("es-US", "creo que sí", "AMAZON.YesIntent"),
    ],
)
def test_a_plain_yes_or_no_with_words_around_it_still_counts(
    locale: str, said: str, intent: str
) -> None:
    assert matcher_for(locale).understand(said).intent == intent
