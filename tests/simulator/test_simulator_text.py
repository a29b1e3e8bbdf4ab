"""Normalising typed text, spelled-out numbers and SSML back to text."""

from __future__ import annotations

import pytest

from skill.simulator.text import normalise, number_value, ssml_to_text, utterance, words_of


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("I BLED after sex!!!", "i bled after sex"),
        ("I'm bleeding", "i am bleeding"),
        ("im bleeding", "i am bleeding"),
        ("I am bleeding", "i am bleeding"),
        ("I\u2019m bleeding", "i am bleeding"),
        ("I don't know", "i do not know"),
        ("i dont know", "i do not know"),
        ("I can't say", "i can not say"),
        ("it won't stop", "it will not stop"),
        ("There's blood", "there is blood"),
        ("it's still going", "it is still going"),
        ("I've had a fever", "i have had a fever"),
        ("my period's due", "my period's due"),
        ("a hormonal I.U.D.", "a hormonal iud"),
        ("light-headed", "light headed"),
        ("  so,   um... well  ", "so um well"),
    ],
)
def test_normalise(typed: str, canonical: str) -> None:
    assert normalise(typed) == canonical


def test_tokens_remember_the_words_they_came_from() -> None:
    said = utterance("Im NOT pregnant")
    assert said.tokens == ("i", "am", "not", "pregnant")
    assert said.spoken_span(0, 3) == "im not pregnant"
    assert said.spoken_span(2, 3) == "not pregnant"


def test_fillers_hard_and_soft() -> None:
    said = utterance("um so like it was uh you know a lot")
    hard = said.without(said.filler_positions(soft=False))
    assert hard.text == "so like it was you know a lot"
    soft = said.without(said.filler_positions(soft=True))
    assert soft.text == "it was a lot"


def test_words_of_keeps_contractions_as_typed() -> None:
    assert words_of("'Hello', I'm here.") == ["hello", "i'm", "here"]


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["35"], 35),
        (["thirty", "five"], 35),
        (["seven"], 7),
        (["seventeen"], 17),
        (["one", "hundred", "twenty"], 120),
        (["banana"], None),
        ([], None),
    ],
)
def test_number_value(words: list[str], value: int | None) -> None:
    assert number_value(words) == value


def test_ssml_to_text() -> None:
    ssml = (
        '<speak><amazon:effect name="whispered">Salt &amp; pepper <break time="1s"/> ok.'
        "</amazon:effect></speak>"
    )
    assert ssml_to_text(ssml) == "Salt & pepper ok."
