"""Fixtures for the Alexa skill: the Lambda handler, and sessions that carry state like Alexa does.

Every test here drives the skill through lambda/lambda_function.py with request envelopes shaped
as Alexa sends them (tests/alexa/envelopes.py), and reads the response envelope it returns.
Helpers for reading replies and holding a session live in tests/alexa/alexa_session.py.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import envelopes as env
import pytest
from alexa_session import Handler, Reply, Session, Step

from skill.alexa.voice import Voice, voice_for

ROOT = Path(__file__).resolve().parents[2]
LAMBDA_FILE = ROOT / "lambda" / "lambda_function.py"


def load_lambda_module(skill_id: str = env.SKILL_ID) -> ModuleType:
    """Import lambda/lambda_function.py from its path, as the Lambda runtime would, configured
    with ALEXA_SKILL_ID so the SDK checks every request's skill id. The module sets the root
    logger's level on import: that is put back, so other tests see the logging they expect."""
    spec = importlib.util.spec_from_file_location("care_compass_lambda_function", LAMBDA_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    root = logging.getLogger()
    level, saved_id = root.level, os.environ.get("ALEXA_SKILL_ID")
    os.environ["ALEXA_SKILL_ID"] = skill_id
    try:
        spec.loader.exec_module(module)
    finally:
        root.setLevel(level)
        if saved_id is None:
            del os.environ["ALEXA_SKILL_ID"]
        else:
            os.environ["ALEXA_SKILL_ID"] = saved_id
    return module


@pytest.fixture(scope="session")
def lambda_module() -> ModuleType:
    return load_lambda_module()


@pytest.fixture(scope="session")
def handler(lambda_module: ModuleType) -> Handler:
    """The Lambda entry point: lambda_function.lambda_handler."""
    return lambda_module.lambda_handler  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def voice() -> Voice:
    return voice_for("en-US")


@pytest.fixture
def session(handler: Handler) -> Session:
    """A fresh conversation; each turn carries sessionAttributes forward."""
    return Session(handler)


@pytest.fixture
def converse(handler: Handler) -> Callable[..., list[Reply]]:
    """Run a sequence of turns (callables taking the Session) in one session."""

    def run(*steps: Step) -> list[Reply]:
        return Session(handler).run(steps)

    return run
