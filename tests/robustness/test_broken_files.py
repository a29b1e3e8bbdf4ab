"""A broken content or rules file stops start-up, naming the file and the entry; never mid-talk.

skill/core/loader.py binds KNOWLEDGE_DIR and CONTENT_DIR as default arguments, so the folders
cannot be pointed elsewhere from outside. Instead each test copies the package (skill/ and
lambda/, as deployed) to a temporary folder, breaks one entry there, and starts that copy in a
child Python: `python -m skill serve` (which must exit 1 with one line, no traceback) and the
Lambda module's cold start (which must fail with a KnowledgeError naming the file and entry).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import robust_support as rs

TIMEOUT = 60


@dataclass(frozen=True)
class Breakage:
    file: str  # relative to the package's parent folder, as the error names it
    entry: str  # the entry the error must name
    message: str  # a part of the reason
    edit: Callable[[str], str]


def _drop_line(prefix: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(prefix)]
        assert len(kept) == len(lines) - 1, f"no single line starts with {prefix!r}"
        return "".join(kept)

    return edit


def _replace_once(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def _append(extra: str) -> Callable[[str], str]:
    return lambda text: text + extra


def _flatten_answer_intro(text: str) -> str:
    flattened, count = re.subn(r"(?m)^answer_intro:\n(?:  .*\n)+", 'answer_intro: "Hi."\n', text)
    assert count == 1, "no answer_intro block"
    return flattened


BREAKAGES = {
    "voice text missing": Breakage(
        "skill/content/en/voice.yaml", "card_sent", "text is missing", _drop_line("card_sent:")
    ),
    "rule with an unknown fact": Breakage(
        "skill/knowledge/rules.yaml",
        "E1",
        "dizzy_or_fainted_typo",
        _replace_once("when: {dizzy_or_fainted: [true]}", "when: {dizzy_or_fainted_typo: [true]}"),
    ),
    "invalid YAML": Breakage(
        "skill/knowledge/advice.yaml",
        "line ",
        "not valid YAML",
        _append("  - {id: unclosed, sources: [S27\n"),
    ),
    # The Alexa layer's own files (skill/alexa/slots.py, voice.py): once a KeyError or an
    # AttributeError naming neither file nor entry.
    "slot without a type": Breakage(
        "skill/alexa/slots.yaml",
        "slots.amount",
        "needs a type",
        _replace_once("amount:        {type: AmountType, fact: amount}", "amount: {fact: amount}"),
    ),
    "answer_intro not a mapping": Breakage(
        "skill/content/en/voice.yaml",
        "answer_intro",
        "not one text",
        _flatten_answer_intro,
    ),
}


def copy_package(destination: Path) -> Path:
    """skill/ and lambda/ as they are in the working tree, without caches (a data snapshot, which
    only Lambda bundles carry, would be read instead of the broken YAML)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "data_snapshot.json")
    shutil.copytree(rs.ROOT / "skill", destination / "skill", ignore=ignore)
    shutil.copytree(rs.ROOT / "lambda", destination / "lambda", ignore=ignore)
    return destination


def child_env(package: Path) -> dict[str, str]:
    return rs.subprocess_env(PYTHONPATH=str(package))


def start_serve(package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skill", "serve", "--dev", "--port", str(rs.free_port())],
        cwd=package,
        env=child_env(package),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


COLD_START = """
import json, skill, lambda_function
assert skill.__file__.startswith({root!r}), skill.__file__
event = {event}
print(json.dumps(lambda_function.lambda_handler(event, None)["response"]["outputSpeech"]))
"""


def cold_start_lambda(package: Path) -> subprocess.CompletedProcess[str]:
    event = rs.envelope(rs.launch_request(), new=True)
    code = COLD_START.format(root=str(package), event=repr(event))
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=package / "lambda",
        env=child_env(package),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


@pytest.fixture(scope="module")
def broken_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    packages = {}
    for name, breakage in BREAKAGES.items():
        package = copy_package(tmp_path_factory.mktemp("broken"))
        path = package / breakage.file
        path.write_text(breakage.edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        packages[name] = package
    return packages


def test_an_unbroken_copy_starts(tmp_path: Path) -> None:
    """The control: the copy itself loads and answers, so the failures below are the edits'."""
    done = cold_start_lambda(copy_package(tmp_path))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "<speak>" in done.stdout


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_serve_refuses_to_start_in_one_line_naming_file_and_entry(
    broken_packages: dict[str, Path], name: str
) -> None:
    breakage = BREAKAGES[name]
    done = start_serve(broken_packages[name])
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    problem = [line for line in done.stderr.splitlines() if line.startswith("python -m skill")]
    assert len(problem) == 1, done.stderr
    line = problem[0]
    assert re.search(rf"{re.escape(breakage.file)}: {re.escape(breakage.entry)}", line), line
    assert breakage.message in line, line
    assert "listening on" not in done.stderr  # it never got as far as serving


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_lambda_cold_start_fails_naming_file_and_entry(
    broken_packages: dict[str, Path], name: str
) -> None:
    breakage = BREAKAGES[name]
    done = cold_start_lambda(broken_packages[name])
    assert done.returncode != 0 and done.stdout == "", done.stdout
    error = done.stderr[done.stderr.rfind("skill.core.model.KnowledgeError: ") :]
    assert error.startswith("skill.core.model.KnowledgeError: "), done.stderr[-2000:]
    assert error.split(": ", 1)[1].startswith(f"{breakage.file}: {breakage.entry}"), error
    assert breakage.message in error
