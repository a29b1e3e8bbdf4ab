"""`pip install .` into a fresh virtual environment, offline, as a user would do it.

The project's wheel is built from a copy of the tracked files (plus a stray skill-package/ folder,
as `make skill-package` leaves one) without build isolation; its dependencies come from the local
wheel cache that `make` fills (build/wheels: the production set pinned in constraints.txt). No
package index is asked. Then the `care-compass` command is run from a folder outside the
repository: triage, chat (which needs the interaction models) and check-model must all work.
"""

from __future__ import annotations

import email
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from deploy_support import ROOT

WHEELS = ROOT / "build" / "wheels"
TIMEOUT = 300


def hermetic_pip_env() -> dict[str, str]:
    """This machine's pip settings (extra indexes, find-links) left out: only what we pass."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("PYTHONPATH", None)
    return env


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env or hermetic_pip_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30
    )
    return [name for name in listed.stdout.decode().split("\0") if name]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not any(WHEELS.glob("*.whl")):
        pytest.skip("no local wheel cache in build/wheels: `make` fills it")
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    for name in tracked_files():
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    stray = source / "skill-package" / "interactionModels" / "custom"
    stray.mkdir(parents=True)
    (stray / "en-US.json").write_text("{}", "utf-8")
    (source / "skill-package" / "skill.json").write_text("{}", "utf-8")
    dist = work / "dist"
    # The test virtualenv has setuptools>=77 (a dev dependency): no build isolation, no index.
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "--wheel-dir", dist, source, cwd=work)  # fmt: skip
    (wheel,) = dist.glob("care_compass-*.whl")
    venv = work / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=work)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--no-index", "--find-links", WHEELS,
        "--constraint", ROOT / "constraints.txt", f"care-compass[serve] @ {wheel.as_uri()}",
        cwd=work)  # fmt: skip
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                    cwd=work).strip())  # fmt: skip
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    return {"venv": venv, "site": site, "wheel": wheel, "elsewhere": elsewhere}


def command(installed: dict[str, Any], *args: str) -> subprocess.CompletedProcess[str]:
    env = hermetic_pip_env()
    env["PATH"] = f"{installed['venv'] / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [str(installed["venv"] / "bin" / "care-compass"), *args],
        cwd=installed["elsewhere"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_triage_works_from_any_folder(installed: dict[str, Any]) -> None:
    done = command(installed, "triage", "--facts", json.dumps({"pregnant": "yes"}))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["level"] == "urgent"
    version = command(installed, "--version")
    assert version.returncode == 0 and version.stdout.startswith("care-compass ")


@pytest.mark.parametrize(
    ("locale", "opening"), [("en-US", "open care compass"), ("es-US", "abre brújula de cuidado")]
)
def test_chat_finds_the_interaction_models_in_the_package(
    installed: dict[str, Any], locale: str, opening: str
) -> None:
    done = command(installed, "chat", "--locale", locale, "--say", opening, "--json")
    assert done.returncode == 0, done.stderr
    turn = json.loads(done.stdout.splitlines()[0])
    assert "LaunchRequest" in json.dumps(turn)


def test_check_model_passes_on_the_installed_package(installed: dict[str, Any]) -> None:
    done = command(installed, "check-model")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 model(s), 6 content locale(s); 0 error(s)" in done.stdout


def test_the_models_are_package_data_and_nothing_stray_is_installed(
    installed: dict[str, Any],
) -> None:
    site: Path = installed["site"]
    models = site / "skill" / "interaction_model"
    shipped = sorted(path.name for path in models.glob("*.json"))
    assert shipped == sorted(path.name for path in (ROOT / "interaction_model").glob("*.json"))
    for name in shipped:
        assert (models / name).read_bytes() == (ROOT / "interaction_model" / name).read_bytes()
    assert not (site / "skill-package").exists()
    assert not (site / "interaction_model").exists()
    (info,) = site.glob("care_compass-*.dist-info")
    with zipfile.ZipFile(installed["wheel"]) as archive:
        top_level = {name.split("/", 1)[0] for name in archive.namelist()}
    assert top_level == {"skill", info.name}


def test_every_file_under_skill_is_in_the_wheel(installed: dict[str, Any]) -> None:
    with zipfile.ZipFile(installed["wheel"]) as archive:
        names = set(archive.namelist())
    wanted = [name for name in tracked_files() if name.startswith("skill/")]
    assert wanted and [name for name in wanted if name not in names] == []


def test_the_licence_metadata_is_an_spdx_expression(installed: dict[str, Any]) -> None:
    with zipfile.ZipFile(installed["wheel"]) as archive:
        (metadata_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.message_from_bytes(archive.read(metadata_name))
        licence_files = [n for n in archive.namelist() if "/licenses/" in n]
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert metadata["License"] is None  # the deprecated free-text field is gone
    assert [name.rsplit("/", 1)[1] for name in licence_files] == ["LICENSE"]
    requires = metadata.get_all("Requires-Dist") or []
    assert any(r.replace(" ", "").startswith("cryptography>=50") for r in requires), requires
    assert any("gunicorn>=23" in r.replace(" ", "") and "serve" in r for r in requires), requires
