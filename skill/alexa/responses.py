"""The one response builder: speech, reprompt, card, screen, dialog directive and session state."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest, Response

from skill.alexa.conversation import ASKING, Reply, State
from skill.alexa.screen import screen_directive
from skill.alexa.slots import SlotPlan, elicit_slot_directive
from skill.alexa.voice import Voice

# Alexa accepts at most 8,000 characters of output speech.
SPEECH_LIMIT = 8000


def escape(text: str) -> str:
    """& < > as entities: what html.escape(text, quote=False) and xml.sax.saxutils.escape do
    (tests/alexa/test_ssml.py pins it), without importing either at cold start (saxutils pulls in
    urllib.request, email and ssl; html its table of entities)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _phone_markup(number: str, spoken_as: str | None) -> str:
    # Digit by digit ("nine one one", never "nine hundred eleven"), or the name people use.
    if spoken_as:
        return f'<sub alias="{escape(spoken_as)}">{number}</sub>'
    return f'<say-as interpret-as="telephone">{number}</say-as>'


def _mark_phones(body: str, phones: Mapping[str, str | None]) -> str:
    """Every phone number the locale lists, marked up wherever it stands as a whole number."""
    if not phones:
        return body
    numbers = sorted(phones, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in numbers) + r")(?![\w-])")
    return pattern.sub(lambda found: _phone_markup(found.group(1), phones[found.group(1)]), body)


def to_ssml(
    sentences: list[str], whisper: bool, phones: Mapping[str, str | None] | None = None
) -> str:
    """Escaped text inside <speak>, phone numbers read as numbers, whispered when asked for."""
    body = " ".join(escape(sentence.strip()) for sentence in sentences if sentence.strip())
    body = _mark_phones(body, phones or {})
    if whisper:
        body = f'<amazon:effect name="whispered">{body}</amazon:effect>'
    ssml = f"<speak>{body}</speak>"
    if len(ssml) > SPEECH_LIMIT:  # never expected with our texts; a guard, not a feature
        raise ValueError("speech exceeds Alexa's limit")
    return ssml


def session_attributes(handler_input: HandlerInput) -> Any:
    """The session's attributes; for a request outside any session (a skill event, a malformed
    envelope), a throwaway dict: the SDK raises when such a request's attributes are touched."""
    if handler_input.request_envelope.session is None:
        return {}
    return handler_input.attributes_manager.session_attributes


def has_screen(handler_input: HandlerInput) -> bool:
    """True when the device renders APL (an Echo Show, a Fire TV): Alexa lists the interface in
    context.System.device.supportedInterfaces."""
    context = handler_input.request_envelope.context
    device = getattr(getattr(context, "system", None), "device", None)
    interfaces = getattr(device, "supported_interfaces", None)
    return getattr(interfaces, "alexa_presentation_apl", None) is not None


def elicit_directive(
    handler_input: HandlerInput, reply: Reply, state: State, slots: SlotPlan
) -> Any:
    """Dialog.ElicitSlot for a question answered with one of a slot's values ("a few drops"), so
    Alexa also tries that slot's own samples (docs/nlu.md). Only while asking, and only in answer
    to an IntentRequest: Alexa accepts dialog directives for nothing else."""
    request = handler_input.request_envelope.request
    if reply.end_session or state.stage != ASKING or not isinstance(request, IntentRequest):
        return None
    directive = elicit_slot_directive(state.asking, slots)
    if directive is None:
        return None
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
    return ElicitSlotDirective(slot_to_elicit=directive["slotToElicit"], updated_intent=intent)


def build_response(
    handler_input: HandlerInput, reply: Reply, state: State, voice: Voice, slots: SlotPlan
) -> Response:
    builder = handler_input.response_builder
    builder.speak(to_ssml(reply.speech, state.whisper, voice.phones))
    if reply.reprompt and not reply.end_session:
        builder.ask(to_ssml([reply.reprompt], state.whisper, voice.phones))
    if reply.card is not None:
        from ask_sdk_model.ui import SimpleCard  # only the last turn of a conversation sends one

        builder.set_card(SimpleCard(title=reply.card.title, content=reply.card.content))
    elicit = elicit_directive(handler_input, reply, state, slots)
    if elicit is not None:
        builder.add_directive(elicit)
    if has_screen(handler_input):
        # A screen shows our neutral document instead of Alexa's default rendering of the
        # speech or the card, so no topic word appears on a shared screen.
        builder.add_directive(screen_directive(voice))
    builder.set_should_end_session(reply.end_session)
    attributes = session_attributes(handler_input)
    attributes.clear()
    if not reply.end_session:
        attributes.update(state.to_attributes())
    return builder.response
