"""Test support shipped with the package (as `flask.testing` ships with Flask): one way to build
Alexa requests, load the Lambda entry, hold a session and read what the skill said.

The tests, the bench and the simulator all use these; none of it is in the Lambda bundle
(tools/build_lambda.py packs `skill/__init__.py`, core, alexa, knowledge and content only).

- Requests: the builder of `skill.simulator.envelopes`, re-exported here (`launch()`,
  `intent(name, *slots, attributes=, new=)`, `slot(name, value, match=/no_match=/status=)`,
  `in_session(request, attributes)`, `envelope(request, None)` for no session, `skill_event()`,
  `session_ended(reason, error_type)`, `alexa_timestamp()`); the skill ids tests configure
  (`SKILL_ID`) and refuse (`OTHER_SKILL_ID`).
- `load_lambda(skill_id, log_level)`: lambda/lambda_function.py imported from its path, as the
  Lambda runtime imports it, with the environment it reads; the root logger put back afterwards.
- `SessionDriver`: the simulator's session (sessionAttributes carried from turn to turn, a new
  session after one ends), driven by hand-built requests as well as typed text; each turn an
  `Exchange`, the simulator's `Turn` with the raw parts a test reads.
- `ssml_to_text`: what a person hears, from SSML (the simulator's reading); `written=True` keeps
  a number as the content files write it.
- `content_text(key, locale)` and `heard_text(key, locale)`: the words at a content key
  ("questions.amount.say", "card_offer", "card.title"), as the product loads them for the locale
  (`voice_for`), written or as heard once the product's SSML has been read back. Tests name the
  words they expect by key, so rewording a sentence is one edit of skill/content/.

The Amazon certificate authority the web tests and the bench sign with is in `skill.web.testing`,
beside the verification it serves: it needs `cryptography`, which only the web host uses.

Nothing here is in the Lambda bundle: tools/build_lambda.py copies only `SKILL_PARTS`
(`skill/__init__.py`, core, alexa, knowledge, content), and its self-check refuses skill/web.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from pathlib import Path
from types import ModuleType
from typing import Any, Self

from skill.simulator.envelopes import (
    SIMULATOR_SKILL_ID,
    SKILL_EVENTS,
    SessionInfo,
    alexa_timestamp,
    can_fulfill_request,
    envelope,
    in_session,
    intent,
    intent_request,
    launch,
    launch_request,
    session_ended,
    skill_event,
    slot,
)
from skill.simulator.session import Known, Simulator, Turn
from skill.simulator.text import ssml_to_text

__all__ = [
    "LAMBDA_FILE",
    "OTHER_SKILL_ID",
    "SKILL_EVENTS",
    "SKILL_ID",
    "Exchange",
    "Handler",
    "SessionDriver",
    "SessionInfo",
    "Step",
    "alexa_timestamp",
    "can_fulfill_request",
    "content_text",
    "envelope",
    "heard_text",
    "in_session",
    "intent",
    "intent_request",
    "launch",
    "launch_request",
    "load_lambda",
    "session_ended",
    "skill_event",
    "slot",
    "ssml_to_text",
]

#: The skill id the tests configure the skill with (ALEXA_SKILL_ID), and one it must refuse.
SKILL_ID = SIMULATOR_SKILL_ID
OTHER_SKILL_ID = "amzn1.ask.skill.99999999-8888-7777-6666-555555555555"

#: The Lambda entry point, in a checkout of the repository (it is not installed with the package).
LAMBDA_FILE = Path(__file__).resolve().parent.parent / "lambda" / "lambda_function.py"

#: A Lambda handler: (event, context) -> response envelope.
Handler = Callable[[Any, Any], dict[str, Any]]


def load_lambda(skill_id: str | None = SKILL_ID, log_level: str | None = None) -> ModuleType:
    """Import lambda/lambda_function.py from its path, as the Lambda runtime does, with
    ALEXA_SKILL_ID and LOG_LEVEL set (None: unset) while it loads. Each call loads a fresh module.

    The module sets the root logger's level on import: that level is kept as the module's
    `root_level_on_import`, and the root logger, like the environment, is put back as it was."""
    name = f"lambda_function_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(name, LAMBDA_FILE)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {LAMBDA_FILE}")
    module = importlib.util.module_from_spec(spec)
    root = logging.getLogger()
    saved_level = root.level
    wanted = {"ALEXA_SKILL_ID": skill_id, "LOG_LEVEL": log_level}
    saved = {key: os.environ.get(key) for key in wanted}
    try:
        _set_environment(wanted)
        spec.loader.exec_module(module)
        setattr(module, "root_level_on_import", root.level)  # noqa: B010 (a module attribute)
    finally:
        root.setLevel(saved_level)
        _set_environment(saved)
    return module


def _set_environment(values: Mapping[str, str | None]) -> None:
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


# --- the words of the content, by key ------------------------------------------------------


def content_text(key: str, locale: str = "en-US") -> str:
    """The text at a dotted content key, placeholders filled, read by the product's own loader:
    a key of the skill's words (`voice.say`: "welcome.say", "card_offer", "card.todo_heading") or
    of the triage core's (`voice.triage.text`: "levels.soon.say", "questions.amount.reprompt",
    "advice.book_check.text", "disclaimer"). A key that names no text, or names one in both, is a
    KeyError naming the key and the locale: a test never passes on a key that reads nothing."""
    from skill.alexa.voice import voice_for

    voice = voice_for(locale)
    path = tuple(key.split("."))
    readers = [
        read
        for texts, read in ((voice.texts, voice.say), (voice.triage.texts, voice.triage.text))
        if isinstance(_text_at(texts, path), str)
    ]
    if len(readers) != 1:
        where = "no text" if not readers else "two texts"
        raise KeyError(f"{locale} content has {where} at {key!r}")
    return readers[0](*path)


def heard_text(key: str, locale: str = "en-US") -> str:
    """The text at a content key as a person hears it: spoken through the product's SSML (phone
    numbers marked up, a number said by its name) and read back with `ssml_to_text`, as the
    simulator reads every answer. `Turn.speech` contains it when the skill says that sentence."""
    from skill.alexa.responses import to_ssml
    from skill.alexa.voice import voice_for

    phones = voice_for(locale).phones
    return ssml_to_text(to_ssml([content_text(key, locale)], whisper=False, phones=phones))


def _text_at(texts: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = texts
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


# --- one turn, as a test reads it -------------------------------------------------------------


class Exchange(Turn):
    """A `Turn` of the simulator (what was sent, what a person hears, the facts, question and
    level known), with the parts of the raw response a test looks at."""

    @classmethod
    def of(cls, turn: Turn) -> Self:
        return cls(**{f.name: getattr(turn, f.name) for f in fields(turn)})

    @property
    def body(self) -> dict[str, Any]:
        """The `response` object of the response envelope."""
        body = self.response.get("response")
        return body if isinstance(body, dict) else {}

    @property
    def attributes(self) -> dict[str, Any]:
        """The sessionAttributes the skill answered with ({} when the session ends)."""
        return dict(self.response.get("sessionAttributes") or {})

    @property
    def stage(self) -> str | None:
        return self.attributes.get("stage")

    @property
    def asking(self) -> str | None:
        return self.attributes.get("asking")

    @property
    def is_question(self) -> bool:
        return self.stage == "asking"

    @property
    def ends(self) -> bool | None:
        """shouldEndSession as sent (None when the response leaves it out)."""
        return self.body.get("shouldEndSession")

    @property
    def ssml(self) -> str | None:
        return (self.body.get("outputSpeech") or {}).get("ssml")

    @property
    def reprompt_ssml(self) -> str | None:
        return ((self.body.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")

    @property
    def raw_card(self) -> dict[str, Any] | None:
        """The card as sent (type, title, content); `card` is its title and text."""
        return self.body.get("card")

    @property
    def slot_values(self) -> list[str]:
        """The words the person said, as this request's slots carried them."""
        intent = self.request.get("request", {}).get("intent") or {}
        return [s["value"] for s in (intent.get("slots") or {}).values() if s.get("value")]


Step = Callable[["SessionDriver"], Exchange]


class SessionDriver(Simulator):
    """A session with the skill as Alexa holds one, driven by requests built here: each request
    carries the last response's sessionAttributes; after a response that ends the session (or a
    SessionEndedRequest) the next request starts a new one. This is the simulator's session; typed
    text (`say`) works too. Every turn is kept, in order, in `turns`.

    `handler` is a Lambda handler (event, context); `attributes` starts in the middle of a session.
    A subclass reads its turns as its own `turn_class` (a subclass of `Exchange`).
    A locale with no interaction model (to test the skill's fallback) is sent as it is; typed text
    is then read with the default locale's model."""

    turn_class: type[Exchange] = Exchange

    def __init__(
        self,
        handler: Handler,
        locale: str = "en-US",
        *,
        skill_id: str = SKILL_ID,
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        from skill.core import DEFAULT_LOCALE, available_locales

        modelled = locale if locale in available_locales() else DEFAULT_LOCALE
        super().__init__(modelled, send=lambda event: handler(event, None), skill_id=skill_id)
        self.handler = handler
        self.locale = locale
        self.turns: list[Exchange] = []
        if attributes is not None:
            self.session = SessionInfo(skill_id=skill_id, new=False, attributes=dict(attributes))

    # -- sending ----------------------------------------------------------------------------

    def send_request(self, request: Mapping[str, Any]) -> Exchange:
        """Send a `request` object (launch_request(), intent_request(...), session_ended(...))
        in the session, opening one if none is open."""
        if self.session is None:
            self.session = SessionInfo(skill_id=self.skill_id)
            self.known = Known()
        event = envelope(request, self.session, self.locale)
        name = (request.get("intent") or {}).get("name") or str(request.get("type"))
        turn = self._exchange(" ".join(_said(event)), name, event)
        turn.slots = _slot_labels(event)
        if request.get("type") == "SessionEndedRequest":
            self.session = None
        return turn

    def _exchange(self, text: str, intent: str, event: dict[str, Any]) -> Exchange:
        turn = self.turn_class.of(super()._exchange(text, intent, event))
        self.turns.append(turn)
        return turn

    def launch(self) -> Exchange:
        return self.send_request(launch_request())

    def intent(
        self, name: str, *slots: Mapping[str, Any], dialog_state: str | None = None
    ) -> Exchange:
        return self.send_request(intent_request(name, *slots, dialog_state=dialog_state))

    def report(self, *slots: Mapping[str, Any], dialog_state: str | None = None) -> Exchange:
        return self.intent("ReportIntent", *slots, dialog_state=dialog_state)

    def answer(self, *slots: Mapping[str, Any], dialog_state: str | None = None) -> Exchange:
        return self.intent("AnswerIntent", *slots, dialog_state=dialog_state)

    def yes(self) -> Exchange:
        return self.intent("AMAZON.YesIntent")

    def no(self) -> Exchange:
        return self.intent("AMAZON.NoIntent")

    def dont_know(self) -> Exchange:
        return self.intent("DontKnowIntent")

    def end(self, reason: str = "USER_INITIATED", error_type: str | None = None) -> Exchange:
        """A SessionEndedRequest, as Alexa sends when the person walks away or on an error (sent
        in a new session if none is open)."""
        return self.send_request(session_ended(reason, error_type))

    # -- reading ----------------------------------------------------------------------------

    @property
    def last(self) -> Exchange:
        return self.turns[-1]

    @property
    def said(self) -> list[str]:
        """Every slot value sent so far: the words a person said."""
        return [value for turn in self.turns for value in turn.slot_values]

    def run(self, steps: Iterable[Step]) -> list[Exchange]:
        return [step(self) for step in steps]

    def answer_questions(
        self,
        answers: Mapping[str, Step],
        *,
        otherwise: Step | None = None,
        limit: int = 15,
    ) -> Exchange:
        """Answer each question the skill asks with the step given for it (else `otherwise`),
        until it stops asking. A question with neither fails, naming the question."""
        turn = self.last
        for _ in range(limit):
            if not turn.is_question:
                return turn
            asked = str(turn.asking)
            step = answers.get(asked, otherwise)
            if step is None:
                raise AssertionError(f"unexpected question '{asked}'")
            turn = step(self)
        raise AssertionError(f"still asking after {limit} answers")

    def questions_asked(self) -> list[str]:
        return [str(turn.asking) for turn in self.turns if turn.is_question]


def _slots(event: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    intent = event.get("request", {}).get("intent") or {}
    return [s for s in (intent.get("slots") or {}).values() if isinstance(s, Mapping)]


def _said(event: Mapping[str, Any]) -> list[str]:
    return [str(s["value"]) for s in _slots(event) if s.get("value")]


def _slot_labels(event: Mapping[str, Any]) -> dict[str, str]:
    """Each filled slot: its resolved id, or the words (as the simulator's turns show them). Tests
    send malformed slots on purpose: whatever is not where Alexa puts it is passed over."""
    labels = {}
    for s in _slots(event):
        if not s.get("value"):
            continue
        label = s["value"]
        authorities = (s.get("resolutions") or {}).get("resolutionsPerAuthority")
        first = authorities[0] if isinstance(authorities, list) and authorities else None
        values = first.get("values") if isinstance(first, Mapping) else None
        value = values[0] if isinstance(values, list) and values else None
        resolved = value.get("value") if isinstance(value, Mapping) else None
        if isinstance(resolved, Mapping) and resolved.get("id"):
            label = resolved["id"]
        labels[str(s.get("name"))] = str(label)
    return labels
