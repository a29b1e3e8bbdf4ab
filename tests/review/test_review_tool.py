"""The review tool is a development tool: a command of its own, kept out of the Lambda bundle,
and never imported by the skill's serving paths."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from skill.cli import main
from skill.core import available_locales
from skill.review.pages import page_names
from skill.review.paths import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import build_lambda


def test_the_lambda_bundle_leaves_the_review_tool_out(tmp_path: Path) -> None:
    assert not any(part.startswith("review") for part in build_lambda.SKILL_PARTS)
    build_lambda.copy_skill(tmp_path)
    copied = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()]
    assert "skill/core/engine.py" in copied and "skill/alexa/conversation.py" in copied
    assert not [name for name in copied if name.startswith("skill/review/")]


def test_the_skill_never_imports_the_review_tool() -> None:
    code = (
        "import sys\n"
        "from skill.alexa import build_skill\n"
        "from skill.web.app import create_app\n"
        "create_app({'ALEXA_SKILL_ID': None})\n"
        "build_skill()\n"
        "print(sorted(m for m in sys.modules if m.startswith('skill.review')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_review_is_a_command_with_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--out DIR" in out and "--since OLD_PACK_DIR" in out


def test_the_command_writes_the_pack_and_keeps_screenshots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "review"
    (out / "screenshots").mkdir(parents=True)
    (out / "screenshots" / "index.png").write_bytes(b"png")
    (out / "stale.html").write_text("old", "utf-8")
    assert main(["review", "--out", str(out)]) == 0
    said = capsys.readouterr()
    assert said.err == ""
    pages = len(page_names(available_locales()))
    assert said.out.strip() == f"{out}: {pages} pages, 0 problem(s)"
    assert (out / "index.html").is_file() and (out / "pack.json").is_file()
    assert (out / "screenshots" / "index.png").read_bytes() == b"png"
    assert not (out / "stale.html").exists()
