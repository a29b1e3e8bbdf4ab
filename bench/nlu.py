"""The voice front end's two budgets (issue 10): the simulator's median time per utterance with
the generated models (under 50 ms) and the time `make models` takes (under 30 s).

`python -m bench.nlu` runs only these; `make bench` prints them with the other targets.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

UTTERANCE_LIMIT_MS = 50.0
MODELS_LIMIT_S = 30.0

# Everyday phrasings of our own (not the held-out ones), a mix of hits, misses and answers.
UTTERANCES = {
    "en-US": [
        "i bled after sex and i feel dizzy",
        "um so i bled a little after sex last night",
        "is it normal to bleed after sex",
        "i'm past menopause and noticed blood after sex",
        "there was some blood after we had sex",
        "what's the weather like",
        "yes",
        "i don't know",
    ],
    "en-GB": ["i've got a high temperature and i bled after sex", "no"],
    "es-US": ["sangré después de tener relaciones y me siento mareada", "no sé"],
}


@dataclass(frozen=True)
class NluFigures:
    utterance_ms: float  # median, first call of each locale excluded (it compiles the model)
    utterances: int
    models_s: float


def measure(rounds: int = 5) -> NluFigures:
    from skill.simulator.matcher import matcher_for
    from skill.simulator.templates import write_models

    started = time.perf_counter()
    stale = write_models(check=True)  # builds every model, writes nothing
    models_s = time.perf_counter() - started
    if stale:
        raise RuntimeError(f"models out of date: {', '.join(stale)} (run make models)")
    times: list[float] = []
    for locale, phrases in UTTERANCES.items():
        matcher = matcher_for(locale)
        matcher.understand(phrases[0])
        for _ in range(rounds):
            for phrase in phrases:
                begun = time.perf_counter()
                matcher.understand(phrase)
                times.append((time.perf_counter() - begun) * 1000)
    return NluFigures(statistics.median(times), len(times), models_s)


def lines(figures: NluFigures) -> list[str]:
    verdict = {True: "PASS", False: "FAIL"}
    limit = f"(limit {UTTERANCE_LIMIT_MS:.0f} ms)"
    return [
        f"{verdict[figures.utterance_ms < UTTERANCE_LIMIT_MS]}  simulator, median per utterance: "
        f"{figures.utterance_ms:.1f} ms over {figures.utterances} {limit}",
        f"{verdict[figures.models_s < MODELS_LIMIT_S]}  make models, all locales: "
        f"{figures.models_s:.1f} s (limit {MODELS_LIMIT_S:.0f} s)",
    ]


def main() -> int:
    for line in lines(measure()):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
