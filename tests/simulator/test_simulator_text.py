"""Typed text made canonical (per language data file), spelled-out numbers, SSML back to text."""

from __future__ import annotations

import pytest

from skill.simulator.language import language_for
from skill.simulator.text import (
    canonical,
    digits_for_numbers,
    number_value,
    ssml_to_text,
    strip_fillers,
    words_of,
)

EN, ES = language_for("en-US"), language_for("es-US")


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("I BLED after sex!!!", "i bled after sex"),
        ("I'm bleeding", "i am bleeding"),
        ("im bleeding", "i am bleeding"),
        ("I am bleeding", "i am bleeding"),
        ("I\u2019m bleeding", "i am bleeding"),
        ("I don't know", "i do not know"),
        ("i dont know", "i do not know"),
        ("I can't say", "i can not say"),
        ("it won't stop", "i will not stop".replace("i will", "it will")),
        ("There's blood", "there is blood"),
        ("it's still going", "it is still going"),
        ("I've had a fever", "i have had a fever"),
        ("my partner's flat", "my partner's flat"),  # a possessive stays
        ("a hormonal I.U.D.", "a hormonal iud"),
        ("light-headed", "light headed"),
        ("  so,   um... well  ", "so well"),  # disfluencies go anywhere
    ],
)
def test_canonical_english(typed: str, words: str) -> None:
    assert " ".join(canonical(typed, EN)) == words


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("¿SANGRÉ después de tener relaciones?", "sangre despues de tener relaciones"),
        ("Sí", "si"),
        ("ayúdame", "ayudame"),
        ("tengo un año", "tengo un año"),  # ñ is a letter of its own: año is not ano
        ("q me pasó", "que me paso"),
        ("toy embarazada", "estoy embarazada"),
        ("nose", "no se"),
        ("its im dont", "its im dont"),  # English contractions are not Spanish words
    ],
)
def test_canonical_spanish(typed: str, words: str) -> None:
    assert " ".join(canonical(typed, ES)) == words


def test_discourse_markers_go_only_at_the_edges() -> None:
    said = canonical("so like it was like a period okay so", EN)
    assert strip_fillers(said, EN) == ["it", "was", "like", "a", "period", "okay"]
    spanish = canonical("o sea fue como una regla por favor", ES)
    assert strip_fillers(spanish, ES) == ["fue", "como", "una", "regla"]


def test_words_of_keeps_contractions_as_typed() -> None:
    assert words_of("'Hello', I'm here.") == ["hello", "i'm", "here"]


@pytest.mark.parametrize(
    ("words", "value", "language"),
    [
        (["35"], 35, EN),
        (["thirty", "five"], 35, EN),
        (["seventeen"], 17, EN),
        (["one", "hundred", "twenty"], 120, EN),
        (["banana"], None, EN),
        ([], None, EN),
        (["treinta", "y", "cinco"], 35, ES),
        (["veintidos"], 22, ES),
        (["ciento", "veinte"], 120, ES),
        (["y", "cinco"], None, ES),
        (["treinta", "y"], None, ES),
    ],
)
def test_number_value(words: list[str], value: int | None, language: object) -> None:
    assert number_value(words, language) == value  # type: ignore[arg-type]


def test_number_words_become_digits() -> None:
    assert digits_for_numbers(["i", "am", "thirty", "five", "years", "old"], EN) == [
        "i", "am", "35", "years", "old",
    ]  # fmt: skip
    assert digits_for_numbers(["tengo", "treinta", "y", "cinco", "años"], ES) == [
        "tengo",
        "35",
        "años",
    ]
    assert digits_for_numbers(["on", "one", "side"], EN) == ["on", "1", "side"]


def test_ssml_to_text() -> None:
    ssml = (
        '<speak><amazon:effect name="whispered">Salt &amp; pepper <break time="1s"/> ok.'
        "</amazon:effect></speak>"
    )
    assert ssml_to_text(ssml) == "Salt & pepper ok."
