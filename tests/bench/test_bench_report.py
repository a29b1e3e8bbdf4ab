"""The benchmark renderer (bench/report.py) on a small JSON document: generic tables and verdicts.

No timing is asserted here: speed is measured by `make bench`, not by the tests.
"""

from __future__ import annotations

import inspect
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from bench import report

FIXTURE = Path(__file__).with_name("benchmarks_fixture.json")
X, NONE = report.RATIO, report.NONE  # the multiplication sign and the dash of an empty cell


@pytest.fixture
def doc() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_targets_are_judged_by_value_limit_and_comparison_alone(doc: dict[str, Any]) -> None:
    assert [report.verdict(t) for t in doc["targets"]] == ["PASS", "FAIL", "FAIL", "n/a"]


def test_markdown_has_one_generic_row_per_target(doc: dict[str, Any]) -> None:
    text = report.markdown(doc, "chart.svg")
    assert f"| Ratio under its limit | 1.20{X} | ≤ 1.50{X} | 80% | **PASS** |" in text
    assert "| Share over its floor | 85% | ≥ 90% | 94% | **FAIL** |" in text
    assert f"| Nothing measured | {NONE} | < 50 ms | {NONE} | **FAIL** |" in text
    assert f"| Not there yet | {NONE} | < 30 s | {NONE} | **n/a** |" in text
    assert "1 of 3 judged targets pass; 1 not judged (n/a is not a failure)." in text
    assert "- **Nothing measured**: a figure the run failed to take (failed: it broke)." in text
    assert "![Each target: measured ÷ limit](chart.svg)" in text


def test_markdown_says_how_it_was_produced(doc: dict[str, Any]) -> None:
    header = report.markdown(doc, "chart.svg").splitlines()[2]
    assert "`python -m bench --out docs/benchmarks.md`" in header
    assert "commit abc1234" in header
    assert "Do not edit by hand" in header


def test_other_sections_are_tables_of_whatever_the_document_holds(doc: dict[str, Any]) -> None:
    text = report.markdown(doc, "chart.svg")
    assert f"| A figure shown, not judged | 0.60{X} | for reading |" in text
    assert "| Some series | 41.7 µs | 45 µs | 40 µs | 60 µs | 3 |" in text
    assert "| `pkg/module.py:12(some_function)` | 55.5 | 3.25 | 1 |" in text
    assert "| `pkg/other.py:3(helper)` | 12 | < 0.01 | 4 |" in text
    assert "| packages | somepackage 1.2.3 |" in text
    assert "- How the made-up figures were taken." in text


def test_the_chart_has_a_bar_per_target_coloured_by_verdict(doc: dict[str, Any]) -> None:
    chart = ET.fromstring(report.svg(doc["targets"]))
    bars = [r for r in chart.iter("{http://www.w3.org/2000/svg}rect") if r.get("height") == "18"]
    assert [bar.get("fill") for bar in bars] == [
        report.COLOURS[v] for v in ("PASS", "FAIL", "FAIL", "n/a")
    ]


def test_rendering_again_from_the_json_file(tmp_path: Path, doc: dict[str, Any]) -> None:
    source = tmp_path / "benchmarks.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    assert report.main([str(source)]) == 0
    assert (tmp_path / "benchmarks.md").read_text(encoding="utf-8") == report.markdown(
        doc, "benchmarks.svg"
    )
    assert (tmp_path / "benchmarks.svg").is_file()


def test_the_renderer_knows_nothing_of_the_product() -> None:
    assert "skill" not in inspect.getsource(report).lower()
