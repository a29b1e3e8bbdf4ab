"""Request handlers: thin, alike, and registered in one visible list (order is behaviour)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import IntentRequest, Response

from skill.alexa.conversation import Conversation, Reply, State
from skill.alexa.data import SkillData
from skill.alexa.responses import build_response, session_attributes
from skill.alexa.slots import SlotPlan, read_slots
from skill.alexa.voice import Voice

# Only exception types are ever logged: never speech, slots, facts or levels.
log = logging.getLogger("skill.alexa")

# One conversation step: what a handler asks of the Conversation, given the request (its slots
# read with the slot plan).
Step = Callable[[Conversation, HandlerInput, SlotPlan], Reply]


def _voice(handler_input: HandlerInput, data: SkillData) -> Voice:
    """The request's locale's voice (the default locale's for a locale we have no words for)."""
    return data.voice(getattr(handler_input.request_envelope.request, "locale", None))


def run_turn(handler_input: HandlerInput, step: Step, data: SkillData) -> Response:
    voice = _voice(handler_input, data)
    state = State.from_attributes(session_attributes(handler_input), data.knowledge)
    conversation = Conversation(voice, state)
    reply = step(conversation, handler_input, data.slots)
    return build_response(handler_input, reply, conversation.state, voice, data.slots)


def _slots(handler_input: HandlerInput) -> dict[str, object]:
    request = handler_input.request_envelope.request
    intent = getattr(request, "intent", None) if isinstance(request, IntentRequest) else None
    slots = getattr(intent, "slots", None)
    return dict(slots) if isinstance(slots, dict) else {}


class TurnHandler(AbstractRequestHandler):
    """Handles one request type or intent with one conversation step."""

    def __init__(
        self, matches: Callable[[HandlerInput], bool], step: Step, data: SkillData
    ) -> None:
        self.matches = matches
        self.step = step
        self.data = data

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return self.matches(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return run_turn(handler_input, self.step, self.data)


class SessionEndedHandler(AbstractRequestHandler):
    """Alexa closed the session (the person left, or an error): nothing to say, nothing kept."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("SessionEndedRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        session_attributes(handler_input).clear()
        return handler_input.response_builder.response


class OutOfSessionHandler(AbstractRequestHandler):
    """A request outside any session that no turn handles (a skill event such as
    AlexaSkillEvent.SkillEnabled, a CanFulfillIntentRequest without a session): there is no
    conversation to continue, so nothing is said and nothing is kept."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return handler_input.request_envelope.session is None

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Still speak a helpful sentence; log the exception's type only."""

    def __init__(self, data: SkillData) -> None:
        self.data = data

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("turn failed: %s", type(exception).__name__)
        try:
            voice = _voice(handler_input, self.data)
            state = State.from_attributes(session_attributes(handler_input), self.data.knowledge)
        except Exception:  # the apology itself must not fail
            voice, state = self.data.voice(None), State()
        reply = Reply([voice.say("error")], voice.say("welcome", "reprompt"))
        return build_response(handler_input, reply, state, voice, self.data.slots)


def _intent(*names: str) -> Callable[[HandlerInput], bool]:
    return lambda handler_input: any(is_intent_name(name)(handler_input) for name in names)


def request_handlers(data: SkillData) -> list[AbstractRequestHandler]:
    """Every handler, in the order the SDK tries them. The catch-all comes last."""

    def turn(matches: Callable[[HandlerInput], bool], step: Step) -> TurnHandler:
        return TurnHandler(matches, step, data)

    return [
        turn(is_request_type("LaunchRequest"), lambda c, _h, _p: c.launch()),
        turn(_intent("ReportIntent"), lambda c, h, p: c.report(read_slots(_slots(h), p))),
        turn(_intent("AnswerIntent"), lambda c, h, p: c.answer(read_slots(_slots(h), p))),
        turn(_intent("AMAZON.YesIntent"), lambda c, _h, _p: c.yes()),
        turn(_intent("AMAZON.NoIntent"), lambda c, _h, _p: c.no()),
        turn(_intent("DontKnowIntent"), lambda c, _h, _p: c.dont_know()),
        turn(_intent("NotSafeIntent"), lambda c, _h, _p: c.not_safe()),
        turn(_intent("SupportLineIntent"), lambda c, _h, _p: c.support_line()),
        turn(_intent("WhisperIntent"), lambda c, _h, _p: c.whisper()),
        turn(_intent("AMAZON.HelpIntent"), lambda c, _h, _p: c.help()),
        turn(_intent("AMAZON.RepeatIntent"), lambda c, _h, _p: c.repeat()),
        turn(_intent("AMAZON.StartOverIntent"), lambda c, _h, _p: c.start_over()),
        turn(
            _intent("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"),
            lambda c, _h, _p: c.stop(),
        ),
        SessionEndedHandler(),
        turn(_intent("AMAZON.FallbackIntent"), lambda c, _h, _p: c.fallback()),
        OutOfSessionHandler(),
        # Anything else (an intent this model does not have, another request type): re-ask.
        turn(lambda _h: True, lambda c, _h, _p: c.fallback()),
    ]
