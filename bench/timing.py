"""Interleaved rounds, and the statistics the report quotes."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), interpolated between the two nearest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Summary:
    median: float
    p90: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        return cls(statistics.median(values), percentile(values, 90), len(values))


def paired_ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Round by round: both figures of a ratio were measured moments apart."""
    return [a / b for a, b in zip(numerators, denominators, strict=True) if b > 0]


def interleaved_rounds(
    subjects: dict[str, Callable[[], float]],
    *,
    rounds: int,
    warmup: int = 2,
) -> dict[str, list[float]]:
    """Run each subject once per round, alternating their order every round so that drift in
    the machine's speed falls on all of them alike. Returns each subject's per-round figures."""
    names = list(subjects)
    results: dict[str, list[float]] = {name: [] for name in names}
    for index in range(warmup + rounds):
        order = names if index % 2 == 0 else names[::-1]
        for name in order:
            value = subjects[name]()
            if index >= warmup:
                results[name].append(value)
    return results
