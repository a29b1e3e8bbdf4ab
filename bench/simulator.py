"""The offline simulator's time per utterance, through its public surface only.

For each locale and each of a fixed list of ordinary utterances (first sentences and short
answers), a new ``Simulator(locale)`` opens the skill, then ``say(utterance)`` is timed: the
matching against the interaction model and the skill's answer, in process. The core's result
caches are cleared before each timed utterance, so repeated rounds time the computed answer.
"""

from __future__ import annotations

import time
from typing import Any

from bench.cases import clear_result_caches
from bench.results import Results
from bench.timing import median

LIMIT_MS = 50.0  # the median per utterance, in every locale

#: By language: what opens the skill, then the utterances timed (as Alexa transcribes them).
UTTERANCES: dict[str, tuple[str, list[str]]] = {
    "en": (
        "open care compass",
        [
            "i bled after sex",
            "there was some blood after we had sex",
            "um so i bled a little after sex last night",
            "i feel dizzy and i bled after sex",
            "i'm spotting after sex and i might be pregnant",
            "is it normal to bleed after sex",
            "a few drops",
            "it's mild",
            "i'm on the pill",
            "no",
            "yes",
            "i don't know",
        ],
    ),
    "es": (
        "abre brújula de cuidado",
        [
            "sangré después de tener relaciones",
            "tuve un poco de sangrado después del sexo",
            "me siento mareada y sangré después de tener relaciones",
            "es normal sangrar después de tener relaciones",
            "unas gotitas",
            "un poco",
            "tomo la pastilla",
            "no",
            "sí",
            "no sé",
        ],
    ),
}


def _locales() -> list[str]:
    from skill.core import available_locales

    return sorted(available_locales())


def time_locale(locale: str, rounds: int) -> tuple[list[float], list[float]]:
    """Milliseconds per utterance, every utterance of the locale's language: the first round
    (which includes whatever the simulator prepares on first use), then ``rounds`` more."""
    from skill.simulator import Simulator

    opening, utterances = UTTERANCES[locale.split("-")[0]]
    first: list[float] = []
    later: list[float] = []
    for index in range(rounds + 1):
        for utterance in utterances:
            simulator: Any = Simulator(locale)
            simulator.say(opening)
            clear_result_caches()
            start = time.perf_counter()
            simulator.say(utterance)
            (later if index else first).append((time.perf_counter() - start) * 1000)
    return first, later


def run(results: Results, *, rounds: int, every_locale: bool = True) -> None:
    """Time every locale (or, for a smoke run, the first of each language)."""
    name = "Simulator: median time per utterance, slowest locale"
    how = "Simulator(locale).say(utterance) after opening the skill, ordinary first sentences "
    how += "and answers per language (bench/simulator.py), the core's result caches cleared"
    medians: dict[str, float] = {}
    firsts: dict[str, float] = {}
    skipped: list[str] = []
    seen: set[str] = set()
    try:
        for locale in _locales():
            language = locale.split("-")[0]
            if language not in UTTERANCES:
                skipped.append(locale)
            if language not in UTTERANCES or (language in seen and not every_locale):
                continue
            seen.add(language)
            first, times = time_locale(locale, rounds)
            results.timing(f"Simulator, {locale}: one utterance, first round", "ms", first)
            results.timing(f"Simulator, {locale}: one utterance", "ms", times)
            medians[locale] = median(times) or 0.0
            firsts[locale] = median(first) or 0.0
    except Exception as exc:  # the simulator is being rewritten: report, do not stop the run
        note = f"failed: {type(exc).__name__}: {str(exc).strip()[:200]}"
        results.target(name, None, "ms", "<", LIMIT_MS, how, note=note)
        return
    slowest = max(medians, key=lambda locale: medians[locale], default=None)
    note = f"slowest: {slowest}" if slowest else "no locale with utterances"
    if skipped:
        note += f"; no utterances for {', '.join(skipped)}"
    results.target(name, medians.get(slowest or ""), "ms", "<", LIMIT_MS, how, note=note)
    results.info(
        "Simulator: median time per utterance in the first round, slowest locale",
        max(firsts.values(), default=None),
        "ms",
        "the first round in the process, with whatever the simulator prepares on first use",
    )
    results.method(
        f"Simulator: {rounds} round(s) over each locale's utterances after a first round "
        "(shown apart); a new Simulator per utterance, opened first (untimed)."
    )
