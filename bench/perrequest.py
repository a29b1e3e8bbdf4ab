"""Per-request time through each Lambda handler, bare SDK and ours, in interleaved rounds."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.common import Case, Handler
from bench.timing import Summary, interleaved_rounds, paired_ratios


@dataclass(frozen=True)
class CaseResult:
    case: Case
    calls_per_round: int
    bare: Summary  # per-round mean, microseconds
    ours: Summary
    ratio: Summary  # ours / bare, round by round
    problem: str | None  # our answer was not the expected one


def _mean_call_us(handler: Handler, raw: str, calls: int) -> Callable[[], float]:
    """A subject: the mean time of ``calls`` calls, each given a freshly parsed event (as the
    Lambda runtime hands over a new dict every time); the parsing is not timed."""

    def run() -> float:
        total = 0
        for _ in range(calls):
            event = json.loads(raw)
            start = time.perf_counter_ns()
            handler(event, None)
            total += time.perf_counter_ns() - start
        return total / calls / 1000

    return run


def measure(
    cases: list[Case], bare: Handler, ours: Handler, *, rounds: int, calls: int
) -> list[CaseResult]:
    results = []
    for case in cases:
        raw = case.raw
        problem = case.check(ours(json.loads(raw), None))
        figures = interleaved_rounds(
            {"bare": _mean_call_us(bare, raw, calls), "ours": _mean_call_us(ours, raw, calls)},
            rounds=rounds,
        )
        results.append(
            CaseResult(
                case,
                calls,
                Summary.of(figures["bare"]),
                Summary.of(figures["ours"]),
                Summary.of(paired_ratios(figures["ours"], figures["bare"])),
                problem,
            )
        )
    return results
