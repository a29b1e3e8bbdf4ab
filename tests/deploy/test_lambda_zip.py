"""dist/lambda.zip: only what Lambda needs, and enough to answer Alexa with nothing else around.

The bundle is unzipped into an empty folder and run by a Python that sees only that folder and the
standard library (-I: no environment, no user site, no current directory; -S: no site-packages),
so a missing dependency or data file fails here instead of on Lambda.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from deploy_support import ROOT, build_lambda

from skill import testing
from skill.testing import SKILL_ID, launch

FORBIDDEN_TOP_LEVEL = {"flask", "werkzeug", "cryptography", "flask_ask_sdk", "pytest", "_pytest"}

RUN_EVENTS = """
import json, sys
sys.path.insert(0, {folder!r})
import lambda_function
events = json.load(sys.stdin)
replies = [lambda_function.lambda_handler(event, None) for event in events]
outside = sorted(
    name for name, module in sys.modules.items()
    if "site-packages" in (getattr(module, "__file__", None) or "")
)
json.dump({{"replies": replies, "site_packages_modules": outside}}, sys.stdout)
"""


def run_isolated(
    folder: Path, code: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `code` with a Python that sees `folder` and the standard library, nothing else."""
    return subprocess.run(
        [sys.executable, "-I", "-S", "-B", "-c", code],
        cwd=folder,
        env={"PYTHONPATH": str(folder), **(env or {})},  # -I ignores it: proof it is not needed
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def heavy_report() -> dict[str, Any]:
    """ReportIntent, "there was a lot of blood after sex", amount resolved to the id `heavy`."""
    amount = testing.slot(
        "amount",
        "a lot of blood",
        match="heavy",
        canonical="heavy bleeding",
        slot_type="AmountType",
    )
    return testing.intent("ReportIntent", amount, new=True)


def speech(reply: dict[str, Any]) -> str:
    output = reply["response"]["outputSpeech"]
    return str(output.get("ssml") or output.get("text"))


@pytest.fixture(scope="module")
def unzipped(lambda_bundle: build_lambda.Bundle, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lambda-task")  # what Lambda unpacks to /var/task
    assert not any(folder.iterdir())
    with zipfile.ZipFile(lambda_bundle.zip_path) as archive:
        archive.extractall(folder)
    return folder


@pytest.fixture(scope="module")
def names(lambda_bundle: build_lambda.Bundle) -> list[str]:
    with zipfile.ZipFile(lambda_bundle.zip_path) as archive:
        return archive.namelist()


def test_the_isolated_interpreter_cannot_see_flask_or_the_repository(unzipped: Path) -> None:
    code = f"import sys; sys.path.insert(0, {str(unzipped)!r})\nimport flask"
    result = run_isolated(unzipped, code)
    assert result.returncode != 0
    assert "ModuleNotFoundError: No module named 'flask'" in result.stderr
    where = run_isolated(
        unzipped,
        f"import sys; sys.path.insert(0, {str(unzipped)!r})\n"
        "import skill, yaml; print(skill.__file__); print(yaml.__file__)",
    )
    assert where.returncode == 0, where.stderr
    assert all(Path(line).is_relative_to(unzipped) for line in where.stdout.split())


def test_the_bundle_has_the_versions_the_tests_ran_against(
    lambda_bundle: build_lambda.Bundle, unzipped: Path
) -> None:
    pins = {pin.split("==")[0]: pin.split("==")[1] for pin in lambda_bundle.dependencies}
    assert {"ask-sdk-core", "ask-sdk-model", "PyYAML", "requests"} <= set(pins)
    assert "Flask" not in pins and "cryptography" not in pins
    for name, version in pins.items():
        assert importlib.metadata.version(name) == version, name
    # METADATA is kept: importlib.metadata works in the bundle, from the bundle.
    code = (
        f"import sys; sys.path.insert(0, {str(unzipped)!r})\n"
        "import importlib.metadata as m, json\n"
        f"print(json.dumps({{n: m.version(n) for n in {sorted(pins)!r}}}))"
    )
    result = run_isolated(unzipped, code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == pins


def test_the_default_build_needs_no_network_and_no_pip(
    lambda_bundle: build_lambda.Bundle, tmp_path: Path, no_network: None, no_subprocesses: None
) -> None:
    bundle = build_lambda.build(tmp_path / "dist")
    assert bundle.zip_path.read_bytes() == lambda_bundle.zip_path.read_bytes()
    assert bundle.dependencies == lambda_bundle.dependencies


def test_launch_and_a_heavy_report_are_answered_from_the_bundle_alone(unzipped: Path) -> None:
    events = [launch(), heavy_report()]
    result = run_isolated(unzipped, RUN_EVENTS.format(folder=str(unzipped)), json.dumps(events))
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["site_packages_modules"] == []
    welcome, report = output["replies"]
    assert welcome["response"]["shouldEndSession"] is False
    assert speech(welcome).startswith("<speak>") and len(speech(welcome)) > 20
    assert "911" in speech(report)


def test_the_bundle_rejects_another_skill_when_the_skill_id_is_set(unzipped: Path) -> None:
    events = [launch(skill_id=testing.OTHER_SKILL_ID)]
    code = RUN_EVENTS.format(folder=str(unzipped))
    # -I ignores PYTHON* variables only: ALEXA_SKILL_ID reaches lambda_function.
    result = run_isolated(unzipped, code, json.dumps(events), env={"ALEXA_SKILL_ID": SKILL_ID})
    assert result.returncode != 0
    assert "Skill ID Verification failed" in result.stderr
    accepted = run_isolated(
        unzipped, code, json.dumps([launch()]), env={"ALEXA_SKILL_ID": SKILL_ID}
    )
    assert accepted.returncode == 0, accepted.stderr


def test_the_zip_holds_no_host_test_or_binary_files(names: list[str]) -> None:
    top_level = {build_lambda.normalize(re.split(r"[-/.]", name, maxsplit=1)[0]) for name in names}
    assert not top_level & FORBIDDEN_TOP_LEVEL
    assert not top_level & build_lambda.FORBIDDEN
    assert not [n for n in names if n.startswith(("skill/web/", "skill/simulator/"))]
    assert "skill/cli.py" not in names and "skill/__main__.py" not in names
    assert not [n for n in names if n.endswith((".so", ".pyd", ".pyc")) or "__pycache__" in n]
    assert not [n for n in names if re.match(r"(tests?|bin)/", n)]
    # No requirements.txt: the ASK CLI then deploys the folder as it is instead of pip-installing.
    assert "requirements.txt" not in names
    # Install records of this machine are left out; METADATA stays.
    records = [n for n in names if n.endswith((".dist-info/RECORD", ".dist-info/direct_url.json"))]
    assert records == []
    assert [n for n in names if n.endswith(".dist-info/METADATA")]


def test_the_zip_holds_the_handler_the_skill_and_all_its_data(
    lambda_bundle: build_lambda.Bundle, names: list[str]
) -> None:
    assert "lambda_function.py" in names
    handler = (ROOT / "lambda" / "lambda_function.py").read_bytes()
    with zipfile.ZipFile(lambda_bundle.zip_path) as archive:
        assert archive.read("lambda_function.py") == handler
    data = [
        path.relative_to(ROOT).as_posix()
        for folder in ("skill/knowledge", "skill/content", "skill/alexa")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in {".yaml", ".yml", ".json"}
    ]
    assert "skill/alexa/slots.yaml" in data
    assert [path for path in data if path not in names] == []
    for package in ("skill", "skill/core", "skill/alexa", "ask_sdk_core", "ask_sdk_model", "yaml"):
        assert f"{package}/__init__.py" in names


def test_the_zip_is_small_and_lists_its_size(lambda_bundle: build_lambda.Bundle) -> None:
    assert lambda_bundle.zip_bytes == lambda_bundle.zip_path.stat().st_size
    assert lambda_bundle.zip_bytes < 5_000_000, lambda_bundle.summary()
    assert "MB zipped" in lambda_bundle.summary()


def test_the_folder_and_the_zip_hold_the_same_files(
    lambda_bundle: build_lambda.Bundle, names: list[str]
) -> None:
    assert [name for name, _ in build_lambda.bundle_files(lambda_bundle.folder)] == names


def test_zipping_is_reproducible(lambda_bundle: build_lambda.Bundle, tmp_path: Path) -> None:
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    build_lambda.write_zip(lambda_bundle.folder, first)
    for _, path in build_lambda.bundle_files(lambda_bundle.folder):
        os.utime(path, (1_700_000_000, 1_700_000_000))  # other timestamps, same bytes out
    build_lambda.write_zip(lambda_bundle.folder, second)
    assert first.read_bytes() == second.read_bytes() == lambda_bundle.zip_path.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos] == sorted(info.filename for info in infos)
    assert {info.date_time for info in infos} == {build_lambda.ZIP_DATE}
    assert {info.external_attr >> 16 for info in infos} == {build_lambda.ZIP_FILE_MODE}


# --- the data snapshot, and the bundle's own check at build time --------------------------------

LAMBDA_IMPORTS = """
import json, sys
sys.path.insert(0, {folder!r})
import lambda_function
lambda_function.lambda_handler(json.load(sys.stdin), None)
print(json.dumps(sorted(sys.modules)))
"""

#: Never imported on the Lambda path: the YAML parser (the snapshot replaces it), the web host,
#: and what xml.sax.saxutils once pulled in (urllib.request, email, ssl).
NOT_ON_THE_LAMBDA_PATH = (
    "yaml",
    "flask",
    "cryptography",
    "xml.sax",
    "urllib.request",
    "email",
    "ssl",
    "http.client",
    "skill.web",
    "skill.simulator",
    "skill.alexa.model_checks",
    "skill.alexa.cards",  # only when a card is sent
)


def test_the_bundle_ships_every_yaml_file_parsed(
    lambda_bundle: build_lambda.Bundle, names: list[str]
) -> None:
    from skill.core import loader

    assert "skill/data_snapshot.json" in names
    snapshot = json.loads((lambda_bundle.folder / "skill" / "data_snapshot.json").read_text())
    yaml_files = sorted(n.removeprefix("skill/") for n in names if re.match(r"skill/.*\.yaml$", n))
    assert sorted(snapshot) == yaml_files
    for key, data in snapshot.items():
        assert data == loader.parse_yaml(ROOT / "skill" / key), key


def test_the_repository_never_holds_a_snapshot(lambda_bundle: build_lambda.Bundle) -> None:
    """The tests read the YAML itself: a snapshot in skill/ would hide every edit to it."""
    assert not (ROOT / "skill" / "data_snapshot.json").exists()
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/skill/data_snapshot.json" in ignored


def test_the_lambda_path_imports_no_yaml_parser_and_no_host(unzipped: Path) -> None:
    code = LAMBDA_IMPORTS.format(folder=str(unzipped))
    result = run_isolated(unzipped, code, json.dumps(launch()))
    assert result.returncode == 0, result.stderr
    modules = json.loads(result.stdout)
    found = [m for m in modules if m.startswith(NOT_ON_THE_LAMBDA_PATH)]
    assert found == []
    assert "skill.alexa.entry" in modules and "skill.core.loader" in modules


def test_a_card_is_still_sent_from_the_bundle(unzipped: Path) -> None:
    """cards.py is imported when the card is sent: it must be in the bundle and work there."""
    offered = {"facts": {"amount": "heavy"}, "stage": "offering", "level": "emergency"}
    yes = testing.intent("AMAZON.YesIntent", attributes=offered)
    result = run_isolated(unzipped, RUN_EVENTS.format(folder=str(unzipped)), json.dumps([yes]))
    assert result.returncode == 0, result.stderr
    (reply,) = json.loads(result.stdout)["replies"]
    assert reply["response"]["card"]["type"] == "Simple"
    assert reply["response"]["card"]["content"]


@pytest.fixture
def bundle_copy(lambda_bundle: build_lambda.Bundle, tmp_path: Path) -> Path:
    folder = tmp_path / "lambda"
    shutil.copytree(lambda_bundle.folder, folder)
    return folder


def _edit_snapshot(folder: Path, edit: Any) -> None:
    path = folder / "skill" / "data_snapshot.json"
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    edit(snapshot)
    path.write_text(json.dumps(snapshot), encoding="utf-8")


def test_the_build_check_runs_the_bundle_s_own_skill_and_leaves_no_trace(bundle_copy: Path) -> None:
    import skill.alexa.entry

    before = dict(sys.modules)
    build_lambda.check_bundle_runs(bundle_copy)
    assert dict(sys.modules) == before
    assert sys.modules["skill.alexa.entry"] is skill.alexa.entry
    assert not list(bundle_copy.rglob("__pycache__"))
    assert str(bundle_copy) not in sys.path


def test_the_build_check_fails_when_a_file_is_not_in_the_snapshot(bundle_copy: Path) -> None:
    _edit_snapshot(bundle_copy, lambda snapshot: snapshot.pop("alexa/slots.yaml"))
    with pytest.raises(build_lambda.BuildError, match=r"slots\.yaml is not in the data snapshot"):
        build_lambda.check_bundle_runs(bundle_copy)


def test_the_build_check_fails_on_broken_data_naming_file_and_entry(bundle_copy: Path) -> None:
    _edit_snapshot(bundle_copy, lambda snapshot: snapshot["content/en/voice.yaml"].pop("error"))
    with pytest.raises(build_lambda.BuildError, match=r"voice\.yaml: error: text is missing"):
        build_lambda.check_bundle_runs(bundle_copy)
