"""The Lambda entry's start: LOG_LEVEL that is not a level, and a missing skill id.

Run as the Lambda runtime would import it (a fresh interpreter, lambda/ on the path), so what a
bad setting does at start is seen exactly: a warning line, never a traceback or a failed start.
"""

from __future__ import annotations

import json
import subprocess
from types import SimpleNamespace
from typing import Any

import pytest

PROBE = (
    "import json, logging, lambda_function as f; "
    "print(json.dumps({'level': logging.getLogger().level, "
    "'answer': f.lambda_handler(json.loads(input()), None)}))"
)


def start(web: SimpleNamespace, kit: SimpleNamespace, **env: str) -> Any:
    paths = f"{web.ROOT / 'lambda'}:{web.ROOT}"
    event = json.dumps(kit.make_envelope())
    return subprocess.run(
        [web.PYTHON, "-c", PROBE], input=event, env=web.subprocess_env(PYTHONPATH=paths, **env),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize("value", ["verbose", "loud", "5", "INFO2"])
def test_unknown_log_level_warns_and_uses_info(
    web: SimpleNamespace, kit: SimpleNamespace, value: str
) -> None:
    result = start(web, kit, LOG_LEVEL=value, ALEXA_SKILL_ID=kit.SKILL_ID)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"LOG_LEVEL {value.upper()!r} is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL: "
        "using INFO"
    ]
    outcome = json.loads(result.stdout)
    assert outcome["level"] == 20
    assert outcome["answer"]["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize(("value", "level"), [("debug", 10), ("WARNING", 30), (" info ", 20)])
def test_known_log_levels_in_any_case(
    web: SimpleNamespace, kit: SimpleNamespace, value: str, level: int
) -> None:
    result = start(web, kit, LOG_LEVEL=value, ALEXA_SKILL_ID=kit.SKILL_ID)
    assert result.returncode == 0 and result.stderr == ""
    assert json.loads(result.stdout)["level"] == level


def test_missing_skill_id_is_a_warning_at_start(web: SimpleNamespace, kit: SimpleNamespace) -> None:
    result = start(web, kit)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "ALEXA_SKILL_ID is not set: requests for any skill are answered"
    ]


def test_malformed_skill_id_is_a_warning_at_start(
    web: SimpleNamespace, kit: SimpleNamespace
) -> None:
    result = start(web, kit, ALEXA_SKILL_ID="banana")
    assert "ALEXA_SKILL_ID is not of the form amzn1.ask.skill.<uuid>" in result.stderr
