"""The version a clinician signs (the fingerprint) and the re-review of what changed (--since)."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from skill.cli import main
from skill.core.loader import CONTENT_DIR, KNOWLEDGE_DIR
from skill.review.check import parse_page
from skill.review.paths import ROOT
from skill.review.version import changes, fingerprint, fingerprinted_files


def test_the_fingerprint_covers_the_knowledge_the_words_and_the_templates() -> None:
    listed = fingerprint()["files"]
    assert "skill/knowledge/rules.yaml" in listed
    # Every file of words: a language's (skill/content/en/) and each locale's own.
    for path in CONTENT_DIR.glob("*/*.yaml"):
        assert f"skill/content/{path.parent.name}/{path.name}" in listed
    assert "skill/content/en/triage.yaml" in listed and "skill/content/en-GB/locale.yaml" in listed
    sentences = ROOT / "interaction_model" / "sentences"
    if sentences.is_dir():  # on branches with sentence templates
        assert any(path.startswith("interaction_model/sentences/") for path in listed)


def test_the_fingerprint_can_be_recomputed_with_sha256sum_alone() -> None:
    found = fingerprint()
    paths = list(found["files"])
    done = subprocess.run(
        ["sha256sum", *paths], cwd=ROOT, capture_output=True, text=True, check=True, timeout=30
    )
    assert done.stdout == found["list"]
    assert hashlib.sha256(done.stdout.encode()).hexdigest() == found["sha256"]


def test_any_change_to_a_file_changes_the_fingerprint(tmp_path: Path) -> None:
    knowledge, content = tmp_path / "knowledge", tmp_path / "content"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    shutil.copytree(CONTENT_DIR, content)
    sentences = tmp_path / "sentences"
    before = fingerprint(fingerprinted_files(knowledge, content, sentences))["sha256"]
    path = content / "en-GB" / "triage.yaml"
    path.write_text(path.read_text("utf-8") + "\n", "utf-8")
    after = fingerprint(fingerprinted_files(knowledge, content, sentences))["sha256"]
    assert before != after
    sentences.mkdir()
    (sentences / "en-US.yaml").write_text("intents: {}\n", "utf-8")
    assert fingerprint(fingerprinted_files(knowledge, content, sentences))["sha256"] != after


def _earlier(data: dict[str, Any]) -> dict[str, Any]:
    """The same pack as it might have been before a rule, a text and a vignette's level moved."""
    old = copy.deepcopy(data)
    old["fingerprint"]["sha256"] = "0" * 64
    rules = old["knowledge"]["rules"]
    next(r for r in rules if r["id"] == "E2")["when"] = "soaking a pad within two hours: yes"
    old["knowledge"]["rules"] = [r for r in rules if r["id"] != "N7"]
    text = next(
        row for row in old["locales"]["en-GB"]["texts"] if row["key"] == "questions.pregnant.say"
    )
    text["text"] = "Could you be pregnant?"
    old["vignettes"][0]["actual"] = "soon"
    return old


def test_changes_lists_only_what_moved(pack_data: dict[str, Any]) -> None:
    assert all(found == [] for found in changes(pack_data, pack_data).values())
    found = changes(_earlier(pack_data), pack_data)
    assert [(c["id"], c["change"]) for c in found["rules"]] == [("E2", "changed"), ("N7", "added")]
    (text,) = found["texts en-GB"]
    assert text["id"] == "triage.yaml: questions.pregnant.say"
    assert text["old"] == "Could you be pregnant?"
    (vignette,) = found["vignettes"]
    assert vignette["old"]["actual"] == "soon"
    assert found["texts en-US"] == []


def test_since_writes_a_re_review_of_the_changes(
    tmp_path: Path, pack_dir: Path, pack_data: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    earlier = tmp_path / "signed"
    earlier.mkdir()
    (earlier / "pack.json").write_text(json.dumps(_earlier(pack_data)), "utf-8")
    out = tmp_path / "now"
    assert main(["review", "--out", str(out), "--since", str(earlier)]) == 0
    assert "0 problem(s)" in capsys.readouterr().out
    page = (out / "changes.html").read_text("utf-8")
    text = " ".join("".join(parse_page(page).itertext()).split())
    assert "since the pack of " + "0" * 64 in text
    assert "rule E2" in text and "rule N7" in text and "Could you be pregnant?" in text
    assert "rule E1" not in text
    signoff = (out / "signoff.html").read_text("utf-8")
    assert "re-review of the changes since" in signoff and "0" * 64 in signoff
    record = json.loads((out / "pack.json").read_text("utf-8"))
    assert record["since"] == "0" * 64
    assert record["changes"]["rules"][0]["id"] == "E2"


def test_without_since_the_changes_page_says_to_review_everything(pages: dict[str, str]) -> None:
    assert "No earlier pack was given" in pages["changes.html"]
    assert "full review (no earlier pack)" in pages["signoff.html"]


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("missing", "no pack.json there"),
        ("not-json", "cannot be read"),
        ("other-format", "not a review pack of format 1"),
    ],
)
def test_a_since_folder_that_is_not_a_pack_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], since: str, message: str
) -> None:
    folder = tmp_path / since
    folder.mkdir()
    if since == "not-json":
        (folder / "pack.json").write_text("{", "utf-8")
    if since == "other-format":
        (folder / "pack.json").write_text('{"format": 99}', "utf-8")
    assert main(["review", "--out", str(tmp_path / "out"), "--since", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("python -m skill review: ") and message in err
    assert err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_since_cannot_be_the_folder_being_written(
    pack_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["review", "--out", str(pack_dir), "--since", str(pack_dir)]) == 2
    assert "another folder than --out" in capsys.readouterr().err


def test_the_sign_off_sheet_s_command_recomputes_the_fingerprint(
    pack_data: dict[str, Any],
) -> None:
    from skill.review.pages import RECOMPUTE

    done = subprocess.run(
        ["bash", "-c", RECOMPUTE], cwd=ROOT, capture_output=True, text=True, timeout=30, check=True
    )
    assert done.stdout.split()[0] == pack_data["fingerprint"]["sha256"]
