"""Paths, the request cases, and loading both Lambda handlers the way the Lambda runtime does."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LAMBDA_FILE = ROOT / "lambda" / "lambda_function.py"
BARE_FILE = ROOT / "bench" / "bare.py"
ENVELOPES_FILE = ROOT / "tests" / "alexa" / "envelopes.py"
DOCS_DIR = ROOT / "docs"

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def load_module(name: str, path: Path) -> ModuleType:
    """Import a module from its file, as the Lambda runtime imports ``lambda_function``."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def envelopes() -> ModuleType:
    """tests/alexa/envelopes.py: request envelopes shaped as Alexa sends them."""
    return load_module("bench_envelopes", ENVELOPES_FILE)


def skill_id() -> str:
    return str(envelopes().SKILL_ID)


@lru_cache(maxsize=1)
def ours() -> Handler:
    """lambda/lambda_function.lambda_handler, configured with the skill id as in production."""
    root = logging.getLogger()
    level, saved = root.level, os.environ.get("ALEXA_SKILL_ID")
    os.environ["ALEXA_SKILL_ID"] = skill_id()
    try:
        module = load_module("lambda_function", LAMBDA_FILE)
    finally:
        root.setLevel(level)  # the module sets the root level from LOG_LEVEL
        if saved is None:
            del os.environ["ALEXA_SKILL_ID"]
        else:
            os.environ["ALEXA_SKILL_ID"] = saved
    return module.lambda_handler  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def bare() -> Handler:
    """The bare SDK skill behind the stock ``SkillBuilder.lambda_handler()``."""
    return load_module("bench_bare_lambda", BARE_FILE).lambda_handler  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    event: dict[str, Any]
    check: Callable[[dict[str, Any]], str | None]  # None when our answer is the expected one

    @property
    def raw(self) -> str:
        return json.dumps(self.event)


def _attributes(reply: dict[str, Any]) -> dict[str, Any]:
    return dict(reply.get("sessionAttributes") or {})


def _speech(reply: dict[str, Any]) -> str:
    speech = (reply.get("response") or {}).get("outputSpeech") or {}
    return str(speech.get("ssml") or "")


def _expect_welcome(reply: dict[str, Any]) -> str | None:
    stage = _attributes(reply).get("stage")
    return None if stage == "listening" and _speech(reply) else f"launch: stage {stage!r}"


def _expect_emergency(reply: dict[str, Any]) -> str | None:
    level = _attributes(reply).get("level")
    return None if level == "emergency" else f"report: level {level!r}, not 'emergency'"


def _expect_next_question(reply: dict[str, Any]) -> str | None:
    attributes = _attributes(reply)
    if attributes.get("stage") == "asking" and attributes.get("asking") != "warning_signs":
        return None
    return f"mid-conversation: asking {attributes.get('asking')!r} after the no"


def cases() -> list[Case]:
    """LaunchRequest; a one-shot report (amount resolved to "heavy": an emergency answer); and
    AMAZON.NoIntent answering warning_signs, with the session attributes of a real earlier turn."""
    env = envelopes()
    heavy = env.slot("amount", "a lot of blood", match="heavy", type_name="AmountType")
    handler = ours()
    attributes = _attributes(handler(env.launch(), None))
    asked = handler(env.intent("ReportIntent", [], attributes), None)
    asked_attributes = _attributes(asked)
    expect_next = _expect_next_question
    if asked_attributes.get("asking") != "warning_signs":  # the skill changed: say so, go on
        found = asked_attributes.get("asking")

        def expect_next(_reply: dict[str, Any]) -> str | None:
            return f"mid-conversation: the earlier turn asked {found!r}, not 'warning_signs'"

    return [
        Case("launch", "LaunchRequest", env.launch(), _expect_welcome),
        Case(
            "report",
            "One-shot report (heavy → emergency)",
            env.intent("ReportIntent", [heavy], new=True),
            _expect_emergency,
        ),
        Case(
            "answer",
            "Mid-conversation answer (No to warning_signs)",
            env.intent("AMAZON.NoIntent", [], asked_attributes),
            expect_next,
        ),
    ]
