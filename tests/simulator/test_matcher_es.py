"""Spanish typed text resolved against the es-US model: accents, fillers, numbers, built-ins,
negations and how a person opens the skill, all chosen by the language part of the locale."""

from __future__ import annotations

import pytest

from skill.simulator.matcher import (
    ENGLISH_SPEECH,
    FALLBACK,
    INTENT,
    LAUNCH,
    NO_MATCH,
    SPANISH_SPEECH,
    Matcher,
    Understood,
    builtin_phrases,
    matcher_for,
    speech_for,
)
from skill.simulator.text import (
    ENGLISH,
    SPANISH,
    language_for,
    normalise,
    number_value,
    utterance,
)


@pytest.fixture(scope="module")
def es() -> Matcher:
    return matcher_for("es-US")


# --------------------------------------------------------------------------- the language


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("es-US", SPANISH),
        ("es-MX", SPANISH),
        ("es", SPANISH),
        ("en-GB", ENGLISH),
        ("en-US", ENGLISH),
        ("fr-CA", ENGLISH),
        (None, ENGLISH),
        ("", ENGLISH),
    ],
)
def test_the_language_is_the_language_part_of_the_locale(
    locale: str | None, language: object
) -> None:
    assert language_for(locale) is language


def test_english_is_the_default_everywhere() -> None:
    assert speech_for("en-US") is ENGLISH_SPEECH and speech_for("es-US") is SPANISH_SPEECH
    assert builtin_phrases("AMAZON.YesIntent") == builtin_phrases("AMAZON.YesIntent", "en-US")
    assert "yes" in builtin_phrases("AMAZON.YesIntent")
    assert "sí" in builtin_phrases("AMAZON.YesIntent", "es-US")
    assert "yes" not in builtin_phrases("AMAZON.YesIntent", "es-US")


def test_spanish_covers_every_built_in_english_covers() -> None:
    assert set(SPANISH_SPEECH.builtin_phrases) == set(ENGLISH_SPEECH.builtin_phrases)
    assert all(SPANISH_SPEECH.builtin_phrases.values())


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("¿SANGRÉ después de tener relaciones?", "sangre despues de tener relaciones"),
        ("Sí", "si"),
        ("ayúdame", "ayudame"),
        ("pingüino", "pinguino"),
        ("tengo un año", "tengo un año"),  # ñ is a letter of its own: año is not ano
        ("¡Me duele MUCHO!", "me duele mucho"),
        ("q me pasó", "que me paso"),
        ("xq sangro", "porque sangro"),
        ("toy embarazada", "estoy embarazada"),
        ("nose", "no se"),
        ("sangre\u0301", "sangre"),  # a combining accent, as some keyboards type it
    ],
)
def test_normalise_spanish(typed: str, canonical: str) -> None:
    assert normalise(typed, "es-US") == canonical


def test_english_rules_stay_out_of_spanish() -> None:
    # "its", "im", "dont" are English contractions, not Spanish words to rewrite.
    assert normalise("its im dont", "es") == "its im dont"
    assert normalise("its im dont") == "it is i am do not"


def test_spanish_tokens_keep_the_words_as_typed() -> None:
    said = utterance("Sí, SANGRÉ", "es")
    assert said.tokens == ("si", "sangre")
    assert said.spoken_span(0, 1) == "sí sangré"
    assert said.without([0]).language == "es"


def test_spanish_fillers_hard_and_soft() -> None:
    said = utterance("eh pues este o sea fue mmm nada más un poquito", "es")
    hard = said.without(said.filler_positions(soft=False))
    assert hard.text == "pues este o sea fue nada mas un poquito"
    soft = said.without(said.filler_positions(soft=True))
    assert soft.text == "fue un poquito"


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["35"], 35),
        (["treinta", "y", "cinco"], 35),
        (["veintidos"], 22),
        (["dieciseis"], 16),
        (["cien"], 100),
        (["ciento", "veinte"], 120),
        (["y", "cinco"], None),
        (["treinta", "y"], None),
        (["banana"], None),
        ([], None),
    ],
)
def test_spanish_number_value(words: list[str], value: int | None) -> None:
    assert number_value(words, "es") == value


# ------------------------------------------------------------------------ the es-US model


@pytest.mark.parametrize(
    ("typed", "intent", "slots"),
    [
        # accents or none, capitals and punctuation
        ("sangré después de tener relaciones", "ReportIntent", {}),
        ("sangre despues de tener relaciones", "ReportIntent", {}),
        ("¡SANGRÉ DESPUÉS DEL SEXO!", "ReportIntent", {}),
        ("manché después del sexo", "ReportIntent", {"amount": "spotting"}),
        ("manche despues del sexo", "ReportIntent", {"amount": "spotting"}),
        ("me bajó un poquito de sangre", "AnswerIntent", {"amount": "light"}),
        # what people say, as slot values
        ("estoy embarazada", "AnswerIntent", {"pregnancy": "yes"}),
        ("a lo mejor estoy embarazada", "AnswerIntent", {"pregnancy": "possible"}),
        ("se me atrasó la regla", "AnswerIntent", {"pregnancy": "possible"}),
        ("se me atraso el periodo", "AnswerIntent", {"pregnancy": "possible"}),
        ("ya no me baja la regla", "AnswerIntent", {"pregnancy": "possible"}),
        ("tomo la pastilla", "AnswerIntent", {"context": "hormonal_contraception"}),
        ("me duele mucho", "AnswerIntent", {"pain": "severe"}),
        ("tengo fiebre", "AnswerIntent", {"symptom": "fever"}),
        ("me mareo", "AnswerIntent", {"symptom": "dizzy_or_fainted"}),
        ("no fue con mi consentimiento", "AnswerIntent", {"consent": "no"}),
        ("me obligó", "AnswerIntent", {"consent": "no"}),
        ("no me duele", "AnswerIntent", {"pain": "none"}),
        # first sentences that carry a fact keep it in its slot
        (
            "estoy embarazada y sangré después de tener relaciones",
            "ReportIntent",
            {"pregnancy": "yes"},
        ),
        ("me obligó y ahora estoy sangrando", "ReportIntent", {"consent": "no"}),
        (
            "sangré después de tener relaciones y me duele mucho",
            "ReportIntent",
            {"pain": "severe"},
        ),
        ("siempre sangro después de tener relaciones", "ReportIntent", {"frequency": "recurrent"}),
        # fillers, kept when they belong to a value
        ("eh, pues, fue un poquito", "AnswerIntent", {"amount": "light"}),
        ("este... como una regla", "AnswerIntent", {"amount": "moderate"}),
        ("o sea, nada más unas gotitas", "AnswerIntent", {"amount": "spotting"}),
        # numbers in words or digits, sent as digits
        ("tengo treinta y cinco años", "AnswerIntent", {"age": "35"}),
        ("tengo 35", "AnswerIntent", {"age": "35"}),
        ("tengo veinte semanas de embarazo", "AnswerIntent", {"weeks": "20"}),
        (
            "tengo cincuenta y ocho años y sangré después de tener relaciones",
            "ReportIntent",
            {"age": "58"},
        ),
        # the person's own intents; "no estoy segura" is "I'm not sure", not "I'm not safe"
        ("no sé", "DontKnowIntent", {}),
        ("no se", "DontKnowIntent", {}),
        ("no estoy segura", "DontKnowIntent", {}),
        ("no me siento segura", "NotSafeIntent", {}),
        ("no estoy en un lugar seguro", "NotSafeIntent", {}),
        ("habla bajito por favor", "WhisperIntent", {}),
    ],
)
def test_spanish_matching(es: Matcher, typed: str, intent: str, slots: dict[str, str]) -> None:
    understood = es.understand(typed)
    assert (understood.request_type, understood.intent) == (INTENT, intent)
    assert understood.filled == slots


@pytest.mark.parametrize(
    ("typed", "intent"),
    [
        ("sí", "AMAZON.YesIntent"),
        ("si", "AMAZON.YesIntent"),
        ("Sí.", "AMAZON.YesIntent"),
        ("claro", "AMAZON.YesIntent"),
        ("claro que sí", "AMAZON.YesIntent"),
        ("no", "AMAZON.NoIntent"),
        ("no, gracias", "AMAZON.NoIntent"),
        ("no, la verdad no", "AMAZON.NoIntent"),
        ("ayuda", "AMAZON.HelpIntent"),
        ("ayúdame", "AMAZON.HelpIntent"),
        ("ayudame", "AMAZON.HelpIntent"),
        ("qué puedo decir", "AMAZON.HelpIntent"),
        ("repite", "AMAZON.RepeatIntent"),
        ("otra vez", "AMAZON.RepeatIntent"),
        ("empezar de nuevo", "AMAZON.StartOverIntent"),
        ("para", "AMAZON.StopIntent"),
        ("detente", "AMAZON.StopIntent"),
        ("¡Para!", "AMAZON.StopIntent"),
        ("cancela", "AMAZON.CancelIntent"),
        ("olvidalo", "AMAZON.CancelIntent"),
        ("ir al inicio", "AMAZON.NavigateHomeIntent"),
    ],
)
def test_spanish_built_in_phrases(es: Matcher, typed: str, intent: str) -> None:
    understood = es.understand(typed)
    assert understood.intent == intent
    assert understood.slots == ()


def test_english_built_ins_are_not_spanish(es: Matcher) -> None:
    assert es.understand("yes").intent == FALLBACK
    assert es.understand("help").intent == FALLBACK


def test_built_ins_other_than_yes_and_no_take_no_extra_words(es: Matcher) -> None:
    assert es.understand("para mí fue mucho").intent != "AMAZON.StopIntent"
    assert es.understand("me pasó otra vez").filled == {"frequency": "recurrent"}


@pytest.mark.parametrize(
    ("typed", "intent", "slots"),
    [
        ("no tengo fiebre", "AMAZON.NoIntent", {}),  # never symptom=fever
        ("nunca tengo fiebre", FALLBACK, {}),
        ("no mareo", "AMAZON.NoIntent", {}),
        ("sin fiebre", FALLBACK, {}),
        ("sí tengo fiebre", "AnswerIntent", {"symptom": "fever"}),
    ],
)
def test_a_spanish_negation_is_never_an_ignored_extra_word(
    es: Matcher, typed: str, intent: str, slots: dict[str, str]
) -> None:
    understood = es.understand(typed)
    assert (understood.intent, understood.filled) == (intent, slots)


@pytest.mark.parametrize(
    "typed", ["qué tiempo va a hacer hoy", "cuéntame un chiste", "pon música", "", "eh", "morado"]
)
def test_nothing_fits_is_the_fallback(es: Matcher, typed: str) -> None:
    understood = es.understand(typed)
    assert (understood.request_type, understood.intent, understood.slots) == (INTENT, FALLBACK, ())


def test_a_value_outside_the_catalogue_is_no_match(es: Matcher) -> None:
    understood = es.understand("me salió un chorrito")
    amount = next(s for s in understood.slots if s.name == "amount")
    assert (understood.intent, amount.value, amount.status) == (
        "AnswerIntent",
        "un chorrito",
        NO_MATCH,
    )


def test_a_resolved_slot_keeps_the_accents_as_spoken(es: Matcher) -> None:
    understood = es.understand("MANCHÉ después del sexo")
    amount = next(s for s in understood.slots if s.name == "amount")
    assert (amount.value, amount.value_id, amount.canonical) == ("manché", "spotting", "manchado")


@pytest.mark.parametrize(
    "typed",
    [
        "abre brújula de cuidado",
        "Alexa, abre Brujula de Cuidado.",
        "inicia brújula de cuidado",
        "habla con brújula de cuidado",
        "pídele a brújula de cuidado",
    ],
)
def test_open_starts_with_a_launch(es: Matcher, typed: str) -> None:
    assert es.understand(typed) == Understood(LAUNCH, new_session=True)


@pytest.mark.parametrize(
    ("typed", "intent", "slots"),
    [
        ("pídele a brújula de cuidado que sangré después de tener relaciones", "ReportIntent", {}),
        (
            "Alexa, dile a brújula de cuidado que manché después del sexo",
            "ReportIntent",
            {"amount": "spotting"},
        ),
        (
            "pregúntale a brújula de cuidado por qué sangro después de tener relaciones",
            "ReportIntent",
            {},
        ),
        # "qué" (what) belongs to the request even though it reads as the connective "que"
        ("pregúntale a brújula de cuidado qué puedo decir", "AMAZON.HelpIntent", {}),
        ("abre brújula de cuidado y sangré después de tener relaciones", "ReportIntent", {}),
        ("pídele a brújula de cuidado que me cuente un chiste", FALLBACK, {}),
    ],
)
def test_ask_is_a_one_shot(es: Matcher, typed: str, intent: str, slots: dict[str, str]) -> None:
    understood = es.understand(typed)
    assert (understood.intent, understood.filled, understood.new_session) == (intent, slots, True)


def test_english_launch_words_do_not_open_the_spanish_skill(es: Matcher) -> None:
    understood = es.understand("open brújula de cuidado")
    assert (understood.intent, understood.new_session) == (FALLBACK, False)
