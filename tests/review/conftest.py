"""Fixtures for the clinician review pack: the pack, built once per session into a temporary
folder by the same function `python -m skill review` uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from skill.review import write_pack


@pytest.fixture(scope="session")
def pack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("review") / "pack"
    write_pack(folder)
    return folder


@pytest.fixture(scope="session")
def pages(pack_dir: Path) -> dict[str, str]:
    return {path.name: path.read_text("utf-8") for path in sorted(pack_dir.glob("*.html"))}


@pytest.fixture(scope="session")
def pack_data(pack_dir: Path) -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads((pack_dir / "pack.json").read_text("utf-8"))
    return data
