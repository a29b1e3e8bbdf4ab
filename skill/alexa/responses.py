"""The one response builder: speech, reprompt, card and session state, as valid SSML."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa.conversation import Reply, State

# Alexa accepts at most 8,000 characters of output speech.
SPEECH_LIMIT = 8000


def escape(text: str) -> str:
    """& < > as entities: what html.escape(text, quote=False) and xml.sax.saxutils.escape do
    (tests/alexa/test_ssml.py pins it), without importing either at cold start (saxutils pulls in
    urllib.request, email and ssl; html its table of entities)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_ssml(sentences: list[str], whisper: bool) -> str:
    """Escaped text inside <speak>, whispered when the person asked for it."""
    body = " ".join(escape(sentence.strip()) for sentence in sentences if sentence.strip())
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


def build_response(handler_input: HandlerInput, reply: Reply, state: State) -> Response:
    builder = handler_input.response_builder
    builder.speak(to_ssml(reply.speech, state.whisper))
    if reply.reprompt and not reply.end_session:
        builder.ask(to_ssml([reply.reprompt], state.whisper))
    if reply.card is not None:
        from ask_sdk_model.ui import SimpleCard  # only the last turn of a conversation sends one

        builder.set_card(SimpleCard(title=reply.card.title, content=reply.card.content))
    builder.set_should_end_session(reply.end_session)
    attributes = session_attributes(handler_input)
    attributes.clear()
    if not reply.end_session:
        attributes.update(state.to_attributes())
    return builder.response
