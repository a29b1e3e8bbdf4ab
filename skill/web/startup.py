"""What production needs before it starts: a well-formed skill id, or an explicit "any skill".

Kept free of Flask and the SDK so that ``python -m skill serve`` can refuse bad options at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = [
    "SKILL_ID_FORMAT",
    "StartupRefused",
    "check_skill_id_format",
    "require_skill_id",
    "skill_id_from_environment",
]

SKILL_ID_FORMAT = "amzn1.ask.skill.<uuid>"
_SKILL_ID = re.compile(
    r"amzn1\.ask\.skill\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    re.ASCII | re.IGNORECASE,
)


class StartupRefused(Exception):
    """A production entry point must not start as configured; the message is one line."""


def check_skill_id_format(skill_id: str) -> str:
    """``skill_id`` if it has the form of an Alexa skill id; StartupRefused otherwise."""
    if not _SKILL_ID.fullmatch(skill_id):
        raise StartupRefused(f"the skill id is not of the form {SKILL_ID_FORMAT}")
    return skill_id


def require_skill_id(skill_id: str | None, *, any_skill: bool, how: str) -> str | None:
    """The skill id production runs with: a well-formed id, or None when ``any_skill`` was said.

    ``how`` names the switches in the refusal (e.g. "set ALEXA_SKILL_ID, or ALEXA_ANY_SKILL=1"),
    so that the one line tells the operator what to do."""
    skill_id = (skill_id or "").strip() or None
    if skill_id is not None and any_skill:
        raise StartupRefused("a skill id and 'any skill' contradict each other: give one")
    if skill_id is not None:
        return check_skill_id_format(skill_id)
    if not any_skill:
        raise StartupRefused(
            f"no skill id: {how} (without the id, requests for any skill would be answered)"
        )
    return None


_FROM_ENVIRONMENT = (
    "set ALEXA_SKILL_ID=amzn1.ask.skill.<uuid>, or ALEXA_ANY_SKILL=1 to accept any skill"
)


def skill_id_from_environment(environ: Mapping[str, str]) -> str | None:
    """ALEXA_SKILL_ID, required unless ALEXA_ANY_SKILL=1 says otherwise (the WSGI entry)."""
    switch = environ.get("ALEXA_ANY_SKILL", "").strip()
    if switch not in ("", "0", "1"):
        raise StartupRefused("ALEXA_ANY_SKILL must be 1 (or unset)")
    return require_skill_id(
        environ.get("ALEXA_SKILL_ID"), any_skill=switch == "1", how=_FROM_ENVIRONMENT
    )
