"""Request handlers: thin, alike, and registered in one visible list (order is behaviour)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import IntentRequest, Response

from skill.alexa.conversation import ASKING, Conversation, Reply, State
from skill.alexa.responses import build_response, session_attributes
from skill.alexa.slots import elicit_slot_directive, read_slots
from skill.alexa.voice import Voice, voice_for
from skill.core import DEFAULT_LOCALE, available_locales

# Only exception types are ever logged: never speech, slots, facts or levels.
log = logging.getLogger("skill.alexa")

Turn = Callable[[Conversation, HandlerInput], Reply]


@lru_cache(maxsize=1)
def known_locales() -> frozenset[str]:
    """The locales skill/content/ holds: listed once (build_skill), as they cannot change while
    the process lives."""
    return frozenset(available_locales())


def locale_of(handler_input: HandlerInput) -> str:
    locale = getattr(handler_input.request_envelope.request, "locale", None)
    return locale if isinstance(locale, str) and locale in known_locales() else DEFAULT_LOCALE


def _voice(handler_input: HandlerInput) -> Voice:
    return voice_for(locale_of(handler_input))


def run_turn(handler_input: HandlerInput, turn: Turn) -> Response:
    state = State.from_attributes(session_attributes(handler_input))
    conversation = Conversation(_voice(handler_input), state)
    reply = turn(conversation, handler_input)
    if not reply.end_session:
        _elicit(handler_input, conversation.state)
    return build_response(handler_input, reply, conversation.state)


def _elicit(handler_input: HandlerInput, state: State) -> None:
    """A question answered with one of a slot's values goes out with Dialog.ElicitSlot, so Alexa
    also tries that slot's own samples ("a few drops"). Only in answer to an IntentRequest: Alexa
    accepts dialog directives for nothing else. See docs/nlu.md."""
    request = handler_input.request_envelope.request
    if state.stage != ASKING or not isinstance(request, IntentRequest):
        return
    directive = elicit_slot_directive(state.asking)
    if directive is None:
        return
    from ask_sdk_model import Intent, IntentConfirmationStatus, Slot, SlotConfirmationStatus
    from ask_sdk_model.dialog import ElicitSlotDirective

    slots = {
        name: Slot(name=name, confirmation_status=SlotConfirmationStatus.NONE)
        for name in directive["updatedIntent"]["slots"]
    }
    intent = Intent(
        name=directive["updatedIntent"]["name"],
        confirmation_status=IntentConfirmationStatus.NONE,
        slots=slots,
    )
    handler_input.response_builder.add_directive(
        ElicitSlotDirective(slot_to_elicit=directive["slotToElicit"], updated_intent=intent)
    )


def _slots(handler_input: HandlerInput) -> dict[str, object]:
    request = handler_input.request_envelope.request
    intent = getattr(request, "intent", None) if isinstance(request, IntentRequest) else None
    slots = getattr(intent, "slots", None)
    return dict(slots) if isinstance(slots, dict) else {}


class TurnHandler(AbstractRequestHandler):
    """Handles one request type or intent with one conversation step."""

    def __init__(self, matches: Callable[[HandlerInput], bool], turn: Turn) -> None:
        self.matches = matches
        self.turn = turn

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return self.matches(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return run_turn(handler_input, self.turn)


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

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("turn failed: %s", type(exception).__name__)
        try:
            voice = _voice(handler_input)
            state = State.from_attributes(session_attributes(handler_input))
        except Exception:  # the apology itself must not fail
            voice, state = voice_for(DEFAULT_LOCALE), State()
        reply = Reply([voice.say("error")], voice.say("welcome", "reprompt"))
        return build_response(handler_input, reply, state)


def _intent(*names: str) -> Callable[[HandlerInput], bool]:
    return lambda handler_input: any(is_intent_name(name)(handler_input) for name in names)


def request_handlers() -> list[AbstractRequestHandler]:
    """Every handler, in the order the SDK tries them. The catch-all comes last."""
    return [
        TurnHandler(is_request_type("LaunchRequest"), lambda c, _h: c.launch()),
        TurnHandler(_intent("ReportIntent"), lambda c, h: c.report(read_slots(_slots(h)))),
        TurnHandler(_intent("AnswerIntent"), lambda c, h: c.answer(read_slots(_slots(h)))),
        TurnHandler(_intent("AMAZON.YesIntent"), lambda c, _h: c.yes()),
        TurnHandler(_intent("AMAZON.NoIntent"), lambda c, _h: c.no()),
        TurnHandler(_intent("DontKnowIntent"), lambda c, _h: c.dont_know()),
        TurnHandler(_intent("NotSafeIntent"), lambda c, _h: c.not_safe()),
        TurnHandler(_intent("WhisperIntent"), lambda c, _h: c.whisper()),
        TurnHandler(_intent("SupportLineIntent"), lambda c, _h: c.support_line()),
        TurnHandler(_intent("AMAZON.HelpIntent"), lambda c, _h: c.help()),
        TurnHandler(_intent("AMAZON.RepeatIntent"), lambda c, _h: c.repeat()),
        TurnHandler(_intent("AMAZON.StartOverIntent"), lambda c, _h: c.start_over()),
        TurnHandler(
            _intent("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"),
            lambda c, _h: c.stop(),
        ),
        SessionEndedHandler(),
        TurnHandler(_intent("AMAZON.FallbackIntent"), lambda c, _h: c.fallback()),
        OutOfSessionHandler(),
        # Anything else (an intent this model does not have, another request type): re-ask.
        TurnHandler(lambda _h: True, lambda c, _h: c.fallback()),
    ]
