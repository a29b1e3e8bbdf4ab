"""One run's measurements, as the JSON document ``docs/benchmarks.json`` holds them.

The measuring modules add to a :class:`Results`; :mod:`bench.report` renders the document into
Markdown and SVG without knowing what was measured. The document (``schema`` 1):

- ``command``, ``quick``, ``date``, ``seconds``: how, when and how long the run was made;
- ``about``: one paragraph saying what is compared with what;
- ``machine`` (cpu, cores, platform, python, commit, load) and ``versions`` (package: version);
- ``targets``: the judged figures, each ``{name, value, unit, compare, limit, how, note,
  available}``; ``compare`` is one of ``<``, ``<=``, ``>``, ``>=`` (value compare limit passes);
  ``value`` is null when nothing was measured: a failure, unless ``available`` is false (the
  thing measured does not exist yet: not judged);
- ``information``: figures shown but not judged, ``{name, value, unit, how}``;
- ``timings``: every timed series, ``{name, unit, median, p90, min, max, n, samples}``;
- ``profiles``: tables of where the time goes, ``{title, how, columns, rows}``, each row a label
  (a function or module as the profiler names it) followed by one number per column;
- ``method``: sentences on how the figures were taken.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.timing import rounded, stats

SCHEMA = 1
RATIO = "\N{MULTIPLICATION SIGN}"  # the unit of ratios


class Results:
    def __init__(self, **header: Any) -> None:
        self.data: dict[str, Any] = {"schema": SCHEMA, **header}
        for key in ("targets", "information", "timings", "profiles", "method"):
            self.data[key] = []

    def timing(self, name: str, unit: str, values: Sequence[float]) -> dict[str, Any]:
        entry = {"name": name, "unit": unit, **stats(values)}
        self.data["timings"].append(entry)
        return entry

    def target(
        self,
        name: str,
        value: float | None,
        unit: str,
        compare: str,
        limit: float,
        how: str,
        *,
        note: str | None = None,
        available: bool = True,
    ) -> None:
        self.data["targets"].append(
            {
                "name": name,
                "value": None if value is None else rounded(value),
                "unit": unit,
                "compare": compare,
                "limit": limit,
                "how": how,
                "note": note,
                "available": available,
            }
        )

    def info(self, name: str, value: float | None, unit: str, how: str) -> None:
        shown = None if value is None else rounded(value)
        self.data["information"].append({"name": name, "value": shown, "unit": unit, "how": how})

    def profile(
        self, title: str, how: str, columns: list[str], rows: list[list[str | float]]
    ) -> None:
        cells = [[c if isinstance(c, str) else rounded(c, 3) for c in row] for row in rows]
        self.data["profiles"].append(
            {"title": title, "how": how, "columns": columns, "rows": cells}
        )

    def method(self, text: str) -> None:
        self.data["method"].append(text)

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.data, indent=1, ensure_ascii=False) + "\n", "utf-8")
        return path
