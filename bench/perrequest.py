"""Per-request time through each Lambda handler, bare SDK and ours, in interleaved rounds.

The triage core remembers its assess() and next_question() answers per process, so the same event
sent again and again would mostly time cache hits. Ours is therefore timed twice:

- ``ours``: the computed cost. ``skill.core.engine.clear_result_caches()`` runs before every call,
  outside the timed region (only the handler call is timed); this is the figure judged.
- ``ours_cached``: the same event repeated, the core answering from its cache (information only).
  Each round starts with one untimed call, since the other subject has just cleared the caches.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.common import Case, Handler
from bench.timing import Summary, interleaved_rounds, paired_ratios


def clear_core_caches() -> None:
    """Forget the triage core's remembered answers (skill.core.engine.clear_result_caches)."""
    from skill.core.engine import clear_result_caches

    clear_result_caches()


@dataclass(frozen=True)
class CaseResult:
    case: Case
    calls_per_round: int
    bare: Summary  # per-round mean, microseconds
    ours: Summary  # computed: the core's result caches cleared before every call (judged)
    ours_cached: Summary  # the same event repeated: the core answers from its caches
    ratio: Summary  # ours / bare, round by round (judged)
    ratio_cached: Summary  # ours_cached / bare, round by round (information)
    problem: str | None  # our answer was not the expected one


def _mean_call_us(
    handler: Handler,
    raw: str,
    calls: int,
    *,
    before: Callable[[], object] | None = None,
    warm: bool = False,
) -> Callable[[], float]:
    """A subject: the mean time of ``calls`` calls, each given a freshly parsed event (as the
    Lambda runtime hands over a new dict every time). Neither the parsing nor ``before`` (run
    before each call) is timed; with ``warm``, one untimed call opens the round."""

    def run() -> float:
        if warm:
            handler(json.loads(raw), None)
        total = 0
        for _ in range(calls):
            event = json.loads(raw)
            if before is not None:
                before()
            start = time.perf_counter_ns()
            handler(event, None)
            total += time.perf_counter_ns() - start
        return total / calls / 1000

    return run


def clear_cost(*, rounds: int, calls: int = 1000) -> Summary:
    """What clearing the caches costs per call (µs), timed alone: it runs outside the timed
    region of every call of ours, so this only shows that it does not disturb it."""

    def run() -> float:
        start = time.perf_counter_ns()
        for _ in range(calls):
            clear_core_caches()
        return (time.perf_counter_ns() - start) / calls / 1000

    return Summary.of(interleaved_rounds({"clear": run}, rounds=rounds)["clear"])


def measure(
    cases: list[Case], bare: Handler, ours: Handler, *, rounds: int, calls: int
) -> list[CaseResult]:
    results = []
    for case in cases:
        raw = case.raw
        clear_core_caches()
        problem = case.check(ours(json.loads(raw), None))
        figures = interleaved_rounds(
            {
                "bare": _mean_call_us(bare, raw, calls),
                "ours": _mean_call_us(ours, raw, calls, before=clear_core_caches),
                "ours_cached": _mean_call_us(ours, raw, calls, warm=True),
            },
            rounds=rounds,
        )
        results.append(
            CaseResult(
                case,
                calls,
                Summary.of(figures["bare"]),
                Summary.of(figures["ours"]),
                Summary.of(figures["ours_cached"]),
                Summary.of(paired_ratios(figures["ours"], figures["bare"])),
                Summary.of(paired_ratios(figures["ours_cached"], figures["bare"])),
                problem,
            )
        )
    return results
