"""The triage core is pure: no Alexa SDK, no web framework, no network (the contract: a chat or web
front end must be able to use it without touching it, and `python -m skill triage` must not pay
for Flask or the ASK SDK)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "skill" / "core"

FORBIDDEN = ("ask_sdk_*", "flask", "werkzeug", "requests", "urllib", "http", "socket")


def forbidden(module: str) -> bool:
    """True for the modules the core may not use, and for the skill's own upper layers."""
    root = module.split(".")[0]
    if root.startswith("ask_sdk") or root in {name for name in FORBIDDEN if "*" not in name}:
        return True
    return root == "skill" and module != "skill" and not module.startswith("skill.core")


def imported_modules(source: str) -> list[str]:
    """Every absolute module an import statement in `source` names."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            # `from urllib import request` names urllib.request too
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def core_files() -> list[Path]:
    return sorted(CORE.glob("*.py"))


def test_the_checker_sees_forbidden_imports() -> None:
    snippet = (
        "import flask\nfrom ask_sdk_core.skill_builder import SkillBuilder\n"
        "import urllib.request\nfrom http import client\nfrom skill.web import app\n"
        "def f():\n    import socket\n"
    )
    found = {name for name in imported_modules(snippet) if forbidden(name)}
    assert {"flask", "ask_sdk_core.skill_builder", "urllib.request", "http", "socket"} <= found
    assert "skill.web" in found
    assert not forbidden("skill.core.model") and not forbidden("yaml") and not forbidden("json")


def test_there_is_a_core_to_check() -> None:
    names = {path.name for path in core_files()}
    assert {"__init__.py", "engine.py", "loader.py", "model.py", "content.py"} <= names


@pytest.mark.parametrize("path", core_files(), ids=lambda path: path.name)
def test_no_core_module_imports_a_front_end_or_the_network(path: Path) -> None:
    bad = [name for name in imported_modules(path.read_text(encoding="utf-8")) if forbidden(name)]
    assert bad == [], f"{path.name} imports {bad}"


PROBE = """
import json, sys
import pathlib  # the standard library's pathlib itself imports urllib.parse (Python 3.11)
baseline = set(sys.modules)
import skill.core
from skill.core import assess, default_content, next_question, render
from skill.core.command import triage
facts = {"cycle_timing": "near_period", "pregnant": "possible"}
render(assess(facts), default_content("en-US"))
next_question(facts)
triage('{"soaks_pad_within_hour": true}', "en-US", default_content("en-US"))
print(json.dumps({"baseline": sorted(baseline), "after": sorted(sys.modules)}))
"""


def test_using_the_core_loads_no_front_end_or_network_module() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stdout)
    baseline = {name for name in modules["baseline"] if forbidden(name)}
    # Only the standard library's own use of urllib.parse is tolerated, and only because it was
    # there before the core was imported.
    assert baseline <= {"urllib", "urllib.parse"}, baseline
    added = {name for name in modules["after"] if forbidden(name)} - baseline
    assert added == set(), sorted(added)
    assert "skill.core" in modules["after"]
