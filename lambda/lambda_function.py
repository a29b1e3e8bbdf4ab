"""AWS Lambda entry point (handler string: lambda_function.lambda_handler).

The same skill the Flask endpoint serves. With ALEXA_SKILL_ID set, the SDK rejects requests
for any other skill (the Lambda trigger should be restricted to that id too); without it, a
warning at start says that requests for any skill are answered.

LOG_LEVEL (default INFO) sets the root logger's level; a value that is not a level name (say
"verbose") gets a warning and INFO, never a failed start.
"""

import logging
import os
import re

from skill.alexa import build_skill
from skill.alexa.entry import make_event_handler

_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_SKILL_ID = re.compile(
    r"amzn1\.ask\.skill\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    re.ASCII | re.IGNORECASE,
)
log = logging.getLogger("lambda_function")


def _set_log_level() -> None:
    wanted = os.environ.get("LOG_LEVEL", "").strip().upper() or "INFO"
    root = logging.getLogger()
    if wanted in _LEVELS:
        root.setLevel(wanted)
        return
    root.setLevel(logging.INFO)
    shown = wanted[:20].encode("ascii", "replace").decode()  # operator's text, kept short
    log.warning("LOG_LEVEL %r is not one of %s: using INFO", shown, ", ".join(_LEVELS))


def _skill_id() -> str | None:
    skill_id = os.environ.get("ALEXA_SKILL_ID", "").strip() or None
    if skill_id is None:
        log.warning("ALEXA_SKILL_ID is not set: requests for any skill are answered")
    elif not _SKILL_ID.fullmatch(skill_id):
        log.warning("ALEXA_SKILL_ID is not of the form amzn1.ask.skill.<uuid>: check it")
    return skill_id


_set_log_level()
lambda_handler = make_event_handler(build_skill(skill_id=_skill_id()))
