"""The repository refers to nothing outside itself: no relative paths up into a `shared` folder
beside the checkout, in code, data, tools or tests. The project's own words are in docs/
(docs/triage-contract.md, docs/clinical-basis.md).

README.md is the lead's to edit and is left out here.
"""

from __future__ import annotations

import re
import subprocess

from deploy_support import ROOT

OUTSIDE = re.compile(r"\.\./(?:\.\./)*shared\b")


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30
    )
    return [name for name in listed.stdout.decode().split("\0") if name]


def test_no_tracked_file_points_outside_the_repository() -> None:
    found = []
    for name in tracked_files():
        if name == "README.md":
            continue
        path = ROOT / name
        if not path.is_file() or path.suffix in {".png", ".zip", ".svg"}:
            continue
        text = path.read_text("utf-8", errors="replace")
        found += [
            f"{name}:{n}" for n, line in enumerate(text.splitlines(), 1) if OUTSIDE.search(line)
        ]
    assert found == []
