"""The bare ASK SDK skill: one handler that answers any request with an empty response.

Served exactly as the SDK documents it, through the stock ``SkillBuilder.lambda_handler()``.
This file imports nothing from the bench package, so a fresh process can load it by path, the
way the Lambda runtime loads a handler module.
"""

from __future__ import annotations

from typing import Any

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model.response import Response


class DoNothing(AbstractRequestHandler):
    """LaunchRequest and everything else: an empty response."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


def skill_builder() -> SkillBuilder:
    builder = SkillBuilder()
    builder.add_request_handler(DoNothing())
    return builder


def build_bare_skill() -> CustomSkill:
    """The same skill as a CustomSkill, for hosts that take one (the Flask endpoint)."""
    return skill_builder().create()


lambda_handler: Any = skill_builder().lambda_handler()
