"""The Alexa adapter: the triage core behind an ask-sdk-core CustomSkill.

`build_skill()` is the one skill object every host serves: lambda/lambda_function.py and the
Flask endpoint in skill.web. Importing this package loads nothing else: a host that only needs
skill.alexa.entry (the Flask adapter) does not import the handlers, the voices or the core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ask_sdk_core.skill import CustomSkill

__all__ = ["build_skill"]


def build_skill(skill_id: str | None = None) -> CustomSkill:
    """Load and check all knowledge and words, then assemble the skill.

    A broken YAML file fails here, at start-up, naming the file and the entry.
    With `skill_id`, the SDK rejects requests meant for another skill.
    """
    from ask_sdk_core.skill_builder import SkillBuilder

    from skill.alexa.handlers import CatchAllExceptionHandler, known_locales, request_handlers
    from skill.alexa.slots import slot_specs
    from skill.alexa.voice import load_all_voices

    load_all_voices()
    slot_specs()
    known_locales()
    builder = SkillBuilder()
    if skill_id:
        builder.skill_id = skill_id
    for handler in request_handlers():
        builder.add_request_handler(handler)
    builder.add_exception_handler(CatchAllExceptionHandler())
    return builder.create()
