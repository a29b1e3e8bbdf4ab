"""The core's words in every locale: short, discreet spoken texts; one place that names the
same-day services aloud; unconfirmed numbers never used; pages titled in the locale's language."""

from __future__ import annotations

import re
from typing import Any

import pytest

from skill.core import available_locales, default_content
from skill.core.content import iter_strings

LOCALES = available_locales()
# Words a person nearby would notice: on the card, never in speech (issue 11).
NOT_ALOUD = re.compile(
    r"\b(lubricants?|tampons?|intimacy|lubricantes?|tampón|tampones|intimidad)\b"
)
# Numbers the clinical brief marks VERIFY: neither spoken nor written until confirmed.
UNCONFIRMED = ["737 732", "737-732", "737732", "0808 500 2222", "500 2222"]


def spoken(locale: str) -> list[tuple[str, str]]:
    texts = default_content(locale).texts
    return [(k, t) for k, t in iter_strings(texts) if k.endswith((".say", ".reprompt"))]


@pytest.mark.parametrize("locale", LOCALES)
def test_spoken_texts_keep_noticeable_words_on_the_card(locale: str) -> None:
    for key, text in spoken(locale):
        assert not NOT_ALOUD.search(text.lower()), (locale, key, text)


@pytest.mark.parametrize("locale", LOCALES)
def test_unconfirmed_numbers_are_never_used(locale: str) -> None:
    for key, text in iter_strings(default_content(locale).texts):
        for number in UNCONFIRMED:
            assert number not in text, (locale, key)
    if locale == "en-CA":  # 811 is confirmed for British Columbia only
        for key, text in spoken(locale):
            assert "811" not in text and "eight one one" not in text.lower(), key


@pytest.mark.parametrize("locale", LOCALES)
def test_only_one_spoken_sentence_names_the_same_day_services(locale: str) -> None:
    content = default_content(locale)
    line = content.services["advice_line"]
    naming = [
        key
        for key, text in spoken(locale)
        if not key.startswith("questions.")
        and ("{advice_line}" in text or line.lower() in text.format_map(content.services).lower())
    ]
    # The advice that says whom to call today; the card (text) may repeat it, speech never does.
    assert set(naming) <= {"advice.call_doctor_today.say", "safety_net.same_day_signs.say"}
    assert content.text("levels", "urgent", "say").lower().find(line.lower()) == -1


@pytest.mark.parametrize("locale", LOCALES)
def test_spoken_advice_is_short(locale: str) -> None:
    texts: Any = default_content(locale).texts
    for section in ("advice", "safety_net", "levels"):
        for item, words in texts[section].items():
            assert len(words["say"].split()) <= 22, (locale, section, item)


@pytest.mark.parametrize("locale", LOCALES)
def test_non_consent_advice_carries_the_time_windows_and_where_to_go(locale: str) -> None:
    content = default_content(locale)
    windows = content.text("advice", "assault_time_windows", "text")
    for number in ("72", "5"):
        assert number in windows, locale
    assert content.text("advice", "assault_time_windows", "say")
    care = content.text("advice", "care_after_assault", "text").lower()
    place = {
        "en-US": "emergency department",
        "en-GB": "sexual assault referral centre",
        "en-CA": "emergency department",
        "en-AU": "emergency department",
        "en-IN": "one stop centre",
        "es-US": "sala de emergencias",
    }[locale]
    assert place in care, locale


def test_spanish_page_titles_are_spanish() -> None:
    reading = default_content("es-US").texts["reading"]
    for source_id, title in reading.items():
        assert "(en inglés)" in title, source_id
