"""Spanish against the generated es-US model: the language comes from es/_language.yaml."""

from __future__ import annotations

import pytest

from skill.simulator.language import LanguageError, language_for
from skill.simulator.matcher import FALLBACK, LAUNCH, MATCH, Matcher, matcher_for


@pytest.fixture(scope="module")
def es() -> Matcher:
    return matcher_for("es-US")


def test_the_language_is_the_language_part_of_the_locale() -> None:
    assert language_for("es-US").code == "es"
    assert language_for("es-MX") is language_for("es-US")
    assert language_for("en-GB").code == "en"
    with pytest.raises(LanguageError, match="no language file for 'fr-CA'"):
        language_for("fr-CA")  # no silent English


def test_spanish_covers_every_built_in_english_covers() -> None:
    english, spanish = language_for("en-US"), language_for("es-US")
    assert set(spanish.builtin_phrases) == set(english.builtin_phrases)
    assert "sí" in spanish.builtin_phrases["AMAZON.YesIntent"]


@pytest.mark.parametrize(
    ("typed", "intent", "slots"),
    [
        ("sangré después de tener relaciones", "ReportIntent", {}),
        ("sangre despues de tener relaciones", "ReportIntent", {}),
        ("¡SANGRÉ DESPUÉS DEL SEXO!", "ReportIntent", {}),
        ("manché después del sexo", "ReportIntent", {"amount": "spotting"}),
        ("manche despues del sexo", "ReportIntent", {"amount": "spotting"}),
        ("tuve mucha sangre después de tener relaciones", "ReportIntent", {"amount": "moderate"}),
        ("me obligó y ahora estoy sangrando", "ReportIntent", {"consent": "no"}),
        ("estoy embarazada y sangré después de tener relaciones", "ReportIntent",
         {"pregnancy": "yes"}),
        ("ya pasé la menopausia y sangré después de tener relaciones", "ReportIntent",
         {"menopause": "post"}),
        ("sangré después del sexo y me siento mareada", "ReportIntent",
         {"symptom": "dizzy_or_fainted"}),
        ("tengo treinta y cinco años", "AnswerIntent", {"age": "35"}),
        ("tengo veinte semanas de embarazo", "AnswerIntent", {"weeks": "20"}),
        ("tengo la regla atrasada", "AnswerIntent", {"context": "period_late"}),
        ("sí, me siento mareada", "AnswerIntent", {"symptom": "dizzy_or_fainted"}),
        ("no sé", "DontKnowIntent", {}),
        ("no estoy segura", "DontKnowIntent", {}),
        ("no me siento segura", "NotSafeIntent", {}),
        ("habla bajito por favor", "WhisperIntent", {}),
        ("dame un número de ayuda", "SupportLineIntent", {}),
        ("sí", "AMAZON.YesIntent", {}),
        ("claro que sí", "AMAZON.YesIntent", {}),
        ("no, la verdad no", "AMAZON.NoIntent", {}),
        ("ayúdame", "AMAZON.HelpIntent", {}),
        ("¡Para!", "AMAZON.StopIntent", {}),
    ],
)  # fmt: skip
def test_spanish(es: Matcher, typed: str, intent: str, slots: dict[str, str]) -> None:
    understood = es.understand(typed)
    assert (understood.intent, understood.filled) == (intent, slots)


@pytest.mark.parametrize(
    ("typed", "slot", "filled"),
    [
        ("unas gotitas", "amount", {"amount": "spotting"}),
        ("fue un poquito", "amount", {"amount": "light"}),
        ("no estoy embarazada", "pregnancy", {"pregnancy": "no"}),
        ("a lo mejor estoy embarazada", "pregnancy", {"pregnancy": "possible"}),
        ("me obligó", "consent", {"consent": "no"}),
    ],
)
def test_spanish_elicited(es: Matcher, typed: str, slot: str, filled: dict[str, str]) -> None:
    understood = es.understand(typed, eliciting=slot)
    assert (understood.intent, understood.filled) == ("AnswerIntent", filled)


def test_english_is_not_understood_in_spanish(es: Matcher) -> None:
    assert es.understand("yes").intent == FALLBACK
    assert es.understand("help").intent == FALLBACK


def test_resolution_keeps_the_spoken_words(es: Matcher) -> None:
    understood = es.understand("MANCHÉ después del sexo")
    amount = next(s for s in understood.slots if s.name == "amount")
    assert (amount.value_id, amount.status) == ("spotting", MATCH)


@pytest.mark.parametrize(
    ("typed", "intent"),
    [
        ("abre brújula de cuidado", LAUNCH),
        ("pídele a brújula de cuidado que sangré después de tener relaciones", "ReportIntent"),
        ("pregúntale a brújula de cuidado qué puedo decir", "AMAZON.HelpIntent"),
        ("abre brújula de cuidado y sangré después de tener relaciones", "ReportIntent"),
        ("pídele a brújula de cuidado que me cuente un chiste", FALLBACK),
    ],
)
def test_opening_in_spanish(es: Matcher, typed: str, intent: str) -> None:
    understood = es.understand(typed)
    assert (understood.intent or understood.request_type) == intent
    assert understood.new_session
