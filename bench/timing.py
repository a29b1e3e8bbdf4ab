"""Interleaved rounds, and the statistics stored in benchmarks.json."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any


def rounded(value: float, digits: int = 4) -> float:
    """``value`` to ``digits`` significant digits: figures in the JSON stay readable in a diff."""
    return float(f"{value:.{digits}g}") if math.isfinite(value) else value


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), interpolated between the two nearest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def stats(values: Sequence[float]) -> dict[str, Any]:
    """Median, p90, min, max, n and the samples themselves."""
    return {
        "median": rounded(statistics.median(values)) if values else None,
        "p90": rounded(percentile(values, 90)) if values else None,
        "min": rounded(min(values)) if values else None,
        "max": rounded(max(values)) if values else None,
        "n": len(values),
        "samples": [rounded(v) for v in values],
    }


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def paired_ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Round by round: both figures of a ratio were measured moments apart."""
    return [a / b for a, b in zip(numerators, denominators, strict=True) if b > 0]


def per_call_us(fn: Callable[[], object], calls: int) -> Callable[[], float]:
    """A subject for interleaved_rounds: the mean time of ``calls`` calls of ``fn``, in µs."""

    def run() -> float:
        start = time.perf_counter_ns()
        for _ in range(calls):
            fn()
        return (time.perf_counter_ns() - start) / calls / 1000

    return run


def interleaved_rounds(
    subjects: dict[str, Callable[[], float]], *, rounds: int, warmup: int = 2
) -> dict[str, list[float]]:
    """Run each subject once per round, alternating their order every round so that drift in
    the machine's speed falls on all of them alike. Returns each subject's per-round figures."""
    names = list(subjects)
    results: dict[str, list[float]] = {name: [] for name in names}
    for index in range(warmup + rounds):
        for name in names if index % 2 == 0 else names[::-1]:
            value = subjects[name]()
            if index >= warmup:
                results[name].append(value)
    return results
