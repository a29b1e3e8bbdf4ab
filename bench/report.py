"""Render a benchmarks JSON document (bench/results.py) as Markdown and SVG, with generic tables.

    python -m bench.report docs/benchmarks.json [--out docs/benchmarks.md]

Nothing here knows what was measured: each target is judged by its value, limit and comparison
alone (PASS, FAIL, or n/a when the thing measured does not exist yet), and every other section is
a table of whatever the document holds.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import operator
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

NONE = "\N{EN DASH}"
RATIO = "\N{MULTIPLICATION SIGN}"
COMPARE: dict[str, tuple[str, Callable[[float, float], bool]]] = {
    "<": ("<", operator.lt),
    "<=": ("≤", operator.le),
    ">": (">", operator.gt),
    ">=": ("≥", operator.ge),
}


def number(value: float | None, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NONE
    if unit == RATIO:
        return f"{value:.2f}{RATIO}"
    if abs(value) >= 100 or value == int(value):
        shown = f"{value:,.0f}"
    else:
        shown = f"{value:.3g}" if abs(value) >= 0.01 else "< 0.01"
    return f"{shown}%" if unit == "%" else f"{shown} {unit}".rstrip()


def limit(target: dict[str, Any]) -> str:
    return f"{COMPARE[target['compare']][0]} {number(target['limit'], target['unit'])}"


def verdict(target: dict[str, Any]) -> str:
    """PASS or FAIL by value, comparison and limit; n/a when what is measured does not exist
    yet (not a failure); FAIL when it exists and nothing was measured."""
    if not target.get("available", True):
        return "n/a"
    if target["value"] is None:
        return "FAIL"
    passes = COMPARE[target["compare"]][1](target["value"], target["limit"])
    return "PASS" if passes else "FAIL"


def share(target: dict[str, Any]) -> float | None:
    """The value as a share of its limit (1.0: on the line)."""
    value, bound = target["value"], target["limit"]
    return None if value is None or not bound else value / bound


def table(header: list[str], rows: Iterable[Iterable[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _note(note: str | None) -> str:
    return f" ({note})." if note else "."


def _cell(value: object) -> str:
    return f"`{value}`" if isinstance(value, str) else number(value)  # type: ignore[arg-type]


def markdown(doc: dict[str, Any], chart: str) -> str:
    quick = " A quick smoke run: its figures are not worth keeping." if doc.get("quick") else ""
    lines = [
        "# Benchmarks",
        "",
        f"_Produced by `{doc['command']}` on {doc['date']}, commit {doc['machine']['commit']}, "
        f"in {doc['seconds']:.0f} s (`make bench` runs `python -m bench --out "
        "docs/benchmarks.md`). The measurements are in the JSON file beside this one; "
        "`python -m bench.report` renders it again. Do not edit by hand._" + quick,
        "",
        doc["about"],
        "",
        "## Targets",
        "",
    ]
    targets = doc["targets"]
    rows = []
    for t in targets:
        of_limit = share(t)
        shown = NONE if of_limit is None else f"{100 * of_limit:.0f}%"
        rows.append(
            [t["name"], number(t["value"], t["unit"]), limit(t), shown, f"**{verdict(t)}**"]
        )
    lines += table(["Target", "Measured", "Limit", "Of limit", "Result"], rows)
    passed = sum(verdict(t) == "PASS" for t in targets)
    unjudged = sum(verdict(t) == "n/a" for t in targets)
    lines += [
        f"{passed} of {len(targets) - unjudged} judged targets pass"
        + (f"; {unjudged} not judged (n/a is not a failure)." if unjudged else "."),
        "",
        f"![Each target: measured ÷ limit]({chart})",
        "",
    ]
    lines += [f"- **{t['name']}**: {t['how']}" + _note(t["note"]) for t in targets]
    lines += ["", "## Not judged", ""]
    lines += table(
        ["Figure", "Measured", "How"],
        ([i["name"], number(i["value"], i["unit"]), i["how"]] for i in doc["information"]),
    )
    lines += ["## Timings", ""]
    lines += table(
        ["Series", "Median", "p90", "Min", "Max", "n"],
        (
            [t["name"], *(number(t[k], t["unit"]) for k in ("median", "p90", "min", "max")), t["n"]]
            for t in doc["timings"]
        ),
    )
    lines += ["## Where the time goes", ""]
    for p in doc["profiles"]:
        lines += [f"### {p['title']}", "", p["how"] + ".", ""]
        lines += table(["", *p["columns"]], ([_cell(c) for c in row] for row in p["rows"]))
    lines += ["## Machine", ""]
    machine = [[key, value] for key, value in doc["machine"].items()]
    machine.append(["packages", ", ".join(f"{k} {v}" for k, v in doc["versions"].items())])
    lines += table(["", ""], machine)
    lines += ["## How it is measured", ""] + [f"- {m}" for m in doc["method"]]
    return "\n".join(lines) + "\n"


COLOURS = {"PASS": "#2e7d32", "FAIL": "#c62828", "n/a": "#9e9e9e"}


def svg(targets: list[dict[str, Any]]) -> str:
    """Each target as a bar: measured ÷ limit, so 1 is the line (stay under it for ≤ and <, over
    it for ≥ and >)."""
    label_w = 12 + 7 * max((len(t["name"]) for t in targets), default=10)
    bar_w, text_w, row_h, top = 360, 260, 30, 56
    width, height = label_w + bar_w + text_w, top + row_h * len(targets) + 36
    shares = [share(t) or 0.0 for t in targets]
    scale = max(2.0, math.ceil(max(shares, default=1.0) * 2) / 2)

    def x(value: float) -> float:
        return label_w + bar_w * min(value, scale) / scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">',
        '<rect width="100%" height="100%" fill="#fff"/>',
        '<text x="10" y="22" font-size="15" font-weight="bold">Targets</text>',
        '<text x="10" y="40" font-size="12" fill="#444">bar = measured ÷ limit (dashed line); '
        "green passes, red fails, grey is not judged</text>",
    ]
    for index, (t, value) in enumerate(zip(targets, shares, strict=True)):
        y = top + index * row_h
        shown = f"{number(t['value'], t['unit'])} ({limit(t)}) {verdict(t)}"
        parts += [
            f'<text x="10" y="{y + 17}">{html.escape(t["name"])}</text>',
            f'<rect x="{label_w}" y="{y + 4}" width="{max(x(value) - label_w, 1):.1f}" '
            f'height="18" fill="{COLOURS[verdict(t)]}"/>',
            f'<text x="{label_w + bar_w + 8}" y="{y + 17}">{html.escape(shown)}</text>',
        ]
    bottom = top + row_h * len(targets)
    parts.append(
        f'<line x1="{x(1):.1f}" y1="{top - 4}" x2="{x(1):.1f}" y2="{bottom}" '
        'stroke="#333" stroke-dasharray="4 3"/>'
    )
    ticks = [i / 2 for i in range(int(scale * 2) + 1)]
    parts += [
        f'<text x="{x(t) - 6:.1f}" y="{bottom + 16}" font-size="11" fill="#555">{t:g}</text>'
        for t in ticks
    ]
    return "\n".join([*parts, "</svg>"]) + "\n"


def write(doc: dict[str, Any], out: Path) -> None:
    """``out`` (Markdown) and the SVG chart beside it."""
    chart = out.with_suffix(".svg")
    out.parent.mkdir(parents=True, exist_ok=True)
    chart.write_text(svg(doc["targets"]), encoding="utf-8")
    out.write_text(markdown(doc, chart.name), encoding="utf-8")


def summary(doc: dict[str, Any]) -> list[str]:
    """One line per target, for the terminal."""
    return [
        f"{verdict(t):<4}  {t['name']}: {number(t['value'], t['unit'])} (limit {limit(t)})"
        + (f"  [{t['note']}]" if t["note"] else "")
        for t in doc["targets"]
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.report", description=__doc__.split("\n")[0]
    )
    parser.add_argument("json", type=Path, help="a benchmarks JSON document")
    parser.add_argument("--out", type=Path, help="the Markdown file (default: beside the JSON)")
    args = parser.parse_args(argv)
    doc = json.loads(args.json.read_text(encoding="utf-8"))
    write(doc, args.out or args.json.with_suffix(".md"))
    print("\n".join(summary(doc)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
