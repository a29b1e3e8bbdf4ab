"""Paths, the request cases, and both Lambda handlers loaded the way the Lambda runtime loads them.

The envelopes, and the loading of our Lambda entry point, are skill.testing's: the same as the
tests and the simulator use. The bench imports no test module.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from skill.testing import LAMBDA_FILE, SKILL_ID, Handler, intent, launch, load_lambda, slot

__all__ = [
    "BARE_FILE",
    "LAMBDA_FILE",
    "ROOT",
    "SKILL_ID",
    "Case",
    "Handler",
    "bare",
    "cases",
    "ours",
]

ROOT = Path(__file__).resolve().parent.parent
BARE_FILE = ROOT / "bench" / "bare.py"


def load_module(name: str, path: Path) -> ModuleType:
    """Import a module from its file, as the Lambda runtime imports ``lambda_function``."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def ours() -> Handler:
    """lambda/lambda_function.lambda_handler, configured with a skill id as in production."""
    return load_lambda(SKILL_ID).lambda_handler  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def bare() -> Handler:
    """The bare SDK skill behind the stock ``SkillBuilder.lambda_handler()``."""
    return load_module("bench_bare_lambda", BARE_FILE).lambda_handler  # type: ignore[no-any-return]


def clear_result_caches() -> bool:
    """Make the triage core forget the answers it remembers per process, through the hook it
    offers benchmarks and tests. False when it offers none (the figures then say so)."""
    engine = importlib.import_module("skill.core.engine")
    clear = getattr(engine, "clear_result_caches", None)
    if clear is None:
        return False
    clear()
    return True


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    event: dict[str, Any]

    @property
    def raw(self) -> str:
        return json.dumps(self.event)


def _attributes(reply: dict[str, Any]) -> dict[str, Any]:
    return dict(reply.get("sessionAttributes") or {})


def cases() -> list[Case]:
    """A LaunchRequest; a one-shot report of heavy bleeding; and a No answering whatever the
    skill asked after a report with no details, with the session attributes of that real turn."""
    handler = ours()
    opened = _attributes(handler(launch(), None))
    asked = _attributes(handler(intent("ReportIntent", attributes=opened), None))
    amount = slot("amount", "soaking through a pad", match="heavy", slot_type="AmountType")
    return [
        Case("launch", "LaunchRequest", launch()),
        Case("report", "one-shot report (amount: heavy)", intent("ReportIntent", amount, new=True)),
        Case(
            "answer",
            "mid-conversation answer (No to the first question)",
            intent("AMAZON.NoIntent", attributes=asked),
        ),
    ]
