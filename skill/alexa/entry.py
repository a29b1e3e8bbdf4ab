"""Turn a raw Alexa event (a dict) into a response dict, as any host needs to."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

log = logging.getLogger("skill.alexa")
serializer = DefaultSerializer()

EventHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def make_event_handler(skill: CustomSkill) -> EventHandler:
    """A Lambda-style handler: event dict in, response envelope dict out."""

    def handle_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        try:
            envelope = serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
        except SerializationException:
            # A request type newer than ask-sdk-model: answer with nothing rather than fail.
            log.warning("request type not understood")  # nothing of the request is logged
            return {"version": "1.0", "response": {}}
        response = skill.invoke(request_envelope=envelope, context=context)
        return serializer.serialize(response)  # type: ignore[no-any-return]

    return handle_event
