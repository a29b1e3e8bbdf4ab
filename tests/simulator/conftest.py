"""Shared pieces for the simulator's tests: the real en-US matcher and model copies to break."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skill.simulator.interaction_model import DEFAULT_MODEL_DIR
from skill.simulator.language import LANGUAGE_FILE
from skill.simulator.matcher import Matcher, matcher_for

REAL_MODEL = DEFAULT_MODEL_DIR / "en-US.json"


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return matcher_for("en-US")


@pytest.fixture(scope="session")
def real_model() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(REAL_MODEL.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def model_copy(real_model: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of the en-US model, free to break."""
    return copy.deepcopy(real_model)


def copy_languages(model_dir: Path) -> None:
    """The language files a model folder needs next to it (sentences/<language>/)."""
    for source in sorted((DEFAULT_MODEL_DIR / "sentences").glob(f"*/{LANGUAGE_FILE}")):
        target = model_dir / "sentences" / source.parent.name / LANGUAGE_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


@pytest.fixture
def write_model(tmp_path: Path) -> Callable[..., Path]:
    """Write a model as <dir>/<locale>.json and return the folder."""

    def write(data: dict[str, Any], locale: str = "en-US", folder: str = "models") -> Path:
        target = tmp_path / folder
        target.mkdir(exist_ok=True)
        (target / f"{locale}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
        copy_languages(target)
        return target

    return write
