"""Where the time goes: cProfile per request and over a cold start, ``-X importtime`` by package.

The rows are whatever the profiler reports for the skill's own files (the Lambda entry and
everything under ``skill/``): the bench knows no function of the product by name. cProfile adds
a fixed cost to every Python call, so code made of many small calls looks heavier under it than
it is: read the shares as a map of where to look, not as timings.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.cases import ROOT, Case, Handler, clear_result_caches, ours
from bench.coldstart import Setup
from bench.results import Results

COLUMNS = ["cumulative %", "self %", "calls per run"]


def top_functions(
    stats: pstats.Stats, runs: int, base: Path, top: int = 10
) -> list[list[str | float]]:
    """The skill's own functions by cumulative share of the profiled time (the sum of all self
    times), each as ``path:line(name)`` relative to ``base``."""
    raw: dict[tuple[str, int, str], Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values()) or 1e-12
    homes = (
        str(base / "skill") + "/",
        str(base / "lambda_function.py"),
        str(ROOT / "lambda") + "/",
    )
    rows = []
    for (filename, line, name), (_cc, calls, own, cumulative, _callers) in raw.items():
        path = str(Path(filename).resolve()) if filename.startswith("/") else filename
        if path.startswith(homes):
            where = Path(path).relative_to(base if path.startswith(str(base)) else ROOT)
            label = f"{where}:{line}({name})"
            rows.append([label, 100 * cumulative / total, 100 * own / total, calls / runs])
    rows.sort(key=lambda row: row[1], reverse=True)
    return rows[:top]


def profile_requests(
    handler: Handler, case: Case, calls: int, before: Callable[[], object]
) -> pstats.Stats:
    """cProfile over ``calls`` requests; each event is parsed afresh, and ``before`` runs before
    each, both outside the profile."""
    profiler = cProfile.Profile()
    for _ in range(calls):
        event = json.loads(case.raw)
        before()
        profiler.enable()
        handler(event, None)
        profiler.disable()
    return pstats.Stats(profiler)


def profile_cold_start(setup: Setup, event: dict[str, Any]) -> pstats.Stats:
    """cProfile from the first line of a fresh process to its first answer."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cold.prof"
        code = "import cProfile\n_profiler = cProfile.Profile()\n_profiler.enable()\n"
        code += setup.programs["ours"].replace(
            "os._exit(0)", f"_profiler.disable(); _profiler.dump_stats({str(out)!r}); os._exit(0)"
        )
        setup.run(code, event)
        return pstats.Stats(str(out))


_IMPORT_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+\d+\s+\|\s*(\S+)")


def import_times(setup: Setup, event: dict[str, Any], name: str, runs: int = 3) -> dict[str, float]:
    """Self import time (ms) by top-level package, ``python -X importtime``; each module's time is
    its best over ``runs`` starts, which keeps other work on the machine out."""
    best: dict[str, int] = {}
    for _ in range(runs):
        done = setup.run(setup.programs[name], event, "-X", "importtime")
        for match in _IMPORT_LINE.finditer(done.stderr):
            own, module = int(match.group(1)), match.group(2)
            best[module] = min(own, best.get(module, own))
    packages: dict[str, float] = {}
    for module, own in best.items():
        package = module.split(".")[0]
        packages[package] = packages.get(package, 0.0) + own / 1000
    return packages


def import_rows(
    ours: dict[str, float], bare: dict[str, float], top: int = 12
) -> list[list[str | float]]:
    ranked = sorted(ours, key=lambda package: ours[package], reverse=True)[:top]
    rows: list[list[str | float]] = [[p, ours[p], bare.get(p, 0.0)] for p in ranked]
    rows.append(["(all packages)", sum(ours.values()), sum(bare.values())])
    return rows


def run(results: Results, cases: list[Case], setup: Setup, *, calls: int) -> None:
    """Per-request profiles of ours, then a cold start's profile and imports as ``setup`` runs."""
    for case in cases:
        results.profile(
            f"Per request, {case.key}: the skill's functions",
            f"cProfile over {calls} requests of ours, the core's result caches cleared before "
            "each; shares of all profiled time",
            COLUMNS,
            top_functions(profile_requests(ours(), case, calls, clear_result_caches), calls, ROOT),
        )
    event = cases[0].event
    try:
        stats = profile_cold_start(setup, event)
        imports = {name: import_times(setup, event, name) for name in ("ours", "bare")}
    except RuntimeError as exc:  # reported by the cold-start target already
        print(f"cold-start profiles not taken: {str(exc).splitlines()[0]}", file=sys.stderr)
        return
    results.profile(
        "Cold start: the skill's functions",
        f"cProfile from a fresh process's first line to its first answer, {setup.title}",
        COLUMNS,
        top_functions(stats, 1, setup.base or ROOT),
    )
    results.profile(
        "Cold start: import time by top-level package",
        f"python -X importtime, self time in ms, each module's best of 3, {setup.title}",
        ["ours, ms", "bare SDK, ms"],
        import_rows(imports["ours"], imports["bare"]),
    )
