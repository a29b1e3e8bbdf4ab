"""Per-request time through each Lambda handler, the bare SDK skill and ours, in interleaved rounds.

The triage core remembers its answers per process, so the same event sent again and again would
mostly time cache hits. Ours is therefore timed twice: with the core's result caches cleared
before every call, outside the timed region (the computed cost: judged), and with the same event
repeated (the core answering from its caches: information). Every call gets a freshly parsed
event, as the Lambda runtime hands over a new dict each time; the parsing is not timed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from bench.cases import Case, Handler, bare, clear_result_caches, ours
from bench.results import RATIO, Results
from bench.timing import interleaved_rounds, median, paired_ratios

LIMIT = 1.5  # ours / bare, with the result caches cleared


def _mean_call_us(
    handler: Handler, raw: str, calls: int, *, clear: bool = False, warm: bool = False
) -> Callable[[], float]:
    def run() -> float:
        if warm:  # the other subjects have just cleared the caches: fill them again, untimed
            handler(json.loads(raw), None)
        total = 0
        for _ in range(calls):
            event = json.loads(raw)
            if clear:
                clear_result_caches()
            start = time.perf_counter_ns()
            handler(event, None)
            total += time.perf_counter_ns() - start
        return total / calls / 1000

    return run


def run(results: Results, cases: list[Case], *, rounds: int, calls: int) -> None:
    cleared = clear_result_caches()
    note = None if cleared else "the core offers no way to clear its result caches: not cleared"
    for case in cases:
        figures = interleaved_rounds(
            {
                "bare": _mean_call_us(bare(), case.raw, calls),
                "ours": _mean_call_us(ours(), case.raw, calls, clear=cleared),
                "repeated": _mean_call_us(ours(), case.raw, calls, warm=True),
            },
            rounds=rounds,
        )
        results.timing(f"Per request, {case.key}: bare SDK", "µs", figures["bare"])
        results.timing(f"Per request, {case.key}: ours, caches cleared", "µs", figures["ours"])
        results.timing(f"Per request, {case.key}: ours, event repeated", "µs", figures["repeated"])
        results.target(
            f"Per request, {case.key}: ours / bare SDK",
            median(paired_ratios(figures["ours"], figures["bare"])),
            RATIO,
            "<=",
            LIMIT,
            f"{case.title} through each Lambda handler; the core's result caches cleared before "
            "each call of ours; the median of the round-by-round ratios",
            note=note,
        )
        results.info(
            f"Per request, {case.key}, event repeated: ours / bare SDK",
            median(paired_ratios(figures["repeated"], figures["bare"])),
            RATIO,
            "the same event again and again: the core answers from its result caches",
        )
    results.method(
        f"Per request: {rounds} round(s) of {calls} calls of each handler (bare SDK, ours with the "
        "caches cleared, ours with the event repeated), their order alternating round by round; "
        "ours is lambda/lambda_function.py loaded by path with ALEXA_SKILL_ID set. Timings are "
        "per-round means of one call."
    )
