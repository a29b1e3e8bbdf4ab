"""Fixtures for the Alexa skill: the Lambda handler, and sessions that carry state like Alexa does.

Every test here drives the skill through lambda/lambda_function.py, loaded as the Lambda runtime
loads it (skill.testing.load_lambda), with request envelopes shaped as Alexa sends them
(skill.testing), and reads the response envelope it returns. Turns are read, and sessions held,
by tests/alexa/alexa_session.py over the shared session driver.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest
from alexa_session import AlexaTurn, Handler, Session, Step

from skill.alexa.voice import Voice, voice_for
from skill.testing import load_lambda


@pytest.fixture(scope="session")
def lambda_module() -> ModuleType:
    return load_lambda()


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
def converse(handler: Handler) -> Callable[..., list[AlexaTurn]]:
    """Run a sequence of turns (callables taking the Session) in one session."""

    def run(*steps: Step) -> list[AlexaTurn]:
        return Session(handler).run(steps)  # type: ignore[return-value]

    return run
