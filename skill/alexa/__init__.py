"""The Alexa adapter: the triage core behind an ask-sdk-core CustomSkill.

`build_skill()` is the one skill object every host serves: lambda/lambda_function.py and the
Flask endpoint in skill.web. Importing this package loads nothing else: a host that only needs
skill.alexa.entry (the Flask adapter) does not import the handlers, the voices or the core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ask_sdk_core.skill import CustomSkill

    from skill.alexa.data import SkillData

__all__ = ["build_skill"]


def build_skill(skill_id: str | None = None, data: SkillData | None = None) -> CustomSkill:
    """Assemble the skill on `data`: by default the shipped knowledge and words, loaded and
    checked once per process (skill.alexa.data.default_data()).

    A broken YAML file fails here, at start-up, naming the file and the entry.
    With `skill_id`, the SDK rejects requests meant for another skill.
    """
    from ask_sdk_core.skill_builder import SkillBuilder

    from skill.alexa.data import default_data
    from skill.alexa.handlers import CatchAllExceptionHandler, request_handlers

    data = data or default_data()
    builder = SkillBuilder()
    if skill_id:
        builder.skill_id = skill_id
    for handler in request_handlers(data):
        builder.add_request_handler(handler)
    builder.add_exception_handler(CatchAllExceptionHandler(data))
    return builder.create()
