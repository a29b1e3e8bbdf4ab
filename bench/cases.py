"""Paths, the request cases, and both Lambda handlers loaded the way the Lambda runtime loads them.

The envelopes are built here, shaped as Alexa sends them, so that the bench depends on no test
module and on nothing inside the skill but its Lambda entry point.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LAMBDA_FILE = ROOT / "lambda" / "lambda_function.py"
BARE_FILE = ROOT / "bench" / "bare.py"
SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-0000000be4c0"
USER_ID = "amzn1.ask.account.BENCH"

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
def ours() -> Handler:
    """lambda/lambda_function.lambda_handler, configured with a skill id as in production."""
    root = logging.getLogger()
    level, saved = root.level, os.environ.get("ALEXA_SKILL_ID")
    os.environ["ALEXA_SKILL_ID"] = SKILL_ID
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


def clear_result_caches() -> bool:
    """Make the triage core forget the answers it remembers per process, through the hook it
    offers benchmarks and tests. False when it offers none (the figures then say so)."""
    engine = importlib.import_module("skill.core.engine")
    clear = getattr(engine, "clear_result_caches", None)
    if clear is None:
        return False
    clear()
    return True


def envelope(
    request: dict[str, Any], attributes: dict[str, Any] | None = None, *, new: bool = False
) -> dict[str, Any]:
    """A request envelope as Alexa sends it, with a new request id and the current time."""
    application = {"applicationId": SKILL_ID}
    user = {"userId": USER_ID}
    return {
        "version": "1.0",
        "session": {
            "new": new,
            "sessionId": "amzn1.echo-api.session.bench",
            "application": application,
            "attributes": attributes or {},
            "user": user,
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {"deviceId": "amzn1.ask.device.BENCH", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": {
            "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "locale": "en-US",
            **request,
        },
    }


def intent(
    name: str, slots: dict[str, Any], attributes: dict[str, Any] | None = None, *, new: bool
) -> dict[str, Any]:
    request = {
        "type": "IntentRequest",
        "intent": {"name": name, "confirmationStatus": "NONE", "slots": slots},
    }
    return envelope(request, attributes, new=new)


def resolved_slot(name: str, said: str, value_id: str, type_name: str) -> dict[str, Any]:
    """A slot Alexa resolved to the value ``value_id`` of the slot type ``type_name``."""
    authority = f"amzn1.er-authority.echo-sdk.{SKILL_ID}.{type_name}"
    resolution = {
        "authority": authority,
        "status": {"code": "ER_SUCCESS_MATCH"},
        "values": [{"value": {"name": said, "id": value_id}}],
    }
    return {
        "name": name,
        "value": said,
        "confirmationStatus": "NONE",
        "resolutions": {"resolutionsPerAuthority": [resolution]},
    }


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
    opened = _attributes(handler(envelope({"type": "LaunchRequest"}, new=True), None))
    asked = _attributes(handler(intent("ReportIntent", {}, opened, new=False), None))
    amount = resolved_slot("amount", "soaking through a pad", "heavy", "AmountType")
    return [
        Case("launch", "LaunchRequest", envelope({"type": "LaunchRequest"}, new=True)),
        Case(
            "report",
            "one-shot report (amount: heavy)",
            intent("ReportIntent", {"amount": amount}, new=True),
        ),
        Case(
            "answer",
            "mid-conversation answer (No to the first question)",
            intent("AMAZON.NoIntent", {}, asked, new=False),
        ),
    ]
