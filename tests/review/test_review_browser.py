"""The real-browser check (skill.review.browser, `make review-check`) catches what it is for: a
page printed at another size than A4, content wider than the window at 200% zoom, and text under
WCAG AA contrast. Needs Chromium, chromedriver and selenium, which `make review-check` installs
(apt and pip) before it runs this file (`pytest -m browser`). `make test` does not collect it:
the tests are marked `browser` and pyproject's pytest options leave that mark out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from skill.review.browser import check_pack_in_browser

pytestmark = pytest.mark.browser

BROKEN_CSS = """
.note, footer { color: #aaaaaa; }
@page { size: letter; }
.brand::after { content: ""; display: inline-block; width: 900px; }
"""


@pytest.fixture(scope="module")
def reports(pack_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Two copies of the overview page: one as built, one with a stylesheet broken three ways."""
    good, bad = (tmp_path_factory.mktemp(name) for name in ("good", "bad"))
    for folder in (good, bad):
        for name in ("index.html", "style.css"):
            shutil.copy(pack_dir / name, folder / name)
    (bad / "style.css").write_text((pack_dir / "style.css").read_text("utf-8") + BROKEN_CSS)
    found = {}
    for label, folder in (("good", good), ("bad", bad)):
        (report,) = check_pack_in_browser(folder)
        found[label] = report.problems
        assert (folder / "screenshots" / "index.png").stat().st_size > 0
        assert (folder / "screenshots" / "index.pdf").read_bytes().startswith(b"%PDF")
    return found


def test_the_built_page_passes(reports: dict[str, list[str]]) -> None:
    assert reports["good"] == []


@pytest.mark.parametrize(
    "problem",
    [
        "print: a page of 612.0 x 792.0 pt, not A4",
        "zoom 200%: ",
        "print width: ",
        "contrast: p 2.32:1 < 4.5",
    ],
)
def test_a_broken_page_fails_each_check(reports: dict[str, list[str]], problem: str) -> None:
    assert any(found.startswith(problem) for found in reports["bad"]), reports["bad"]
