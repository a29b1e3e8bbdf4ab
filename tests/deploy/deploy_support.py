"""Shared by the deployment tests: paths, and the build scripts in tools/ importable (from here).

(A module with its own name: tests/*/conftest.py files all share the module name `conftest`.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from skill.testing import SKILL_ID

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools"

if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

import build_lambda  # noqa: E402
import build_skill_package  # noqa: E402

__all__ = ["ROOT", "SKILL_ID", "TOOLS", "build_lambda", "build_skill_package"]
