"""A conversation with the skill as Alexa would hold it: one session across turns.

The simulator keeps the session going like Alexa: `new` is true on the first request, the
response's sessionAttributes come back on the next request, and after shouldEndSession the next
utterance starts a new session. Requests go to the skill in-process, or to any `send` callable
(for example `http_send(url)`, a running endpoint).
"""

from __future__ import annotations

import ipaddress
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from skill.simulator.envelopes import (
    SIMULATOR_SKILL_ID,
    SessionInfo,
    envelope,
    request_for,
    session_ended,
)
from skill.simulator.matcher import NO_MATCH, Understood, matcher_for
from skill.simulator.text import ssml_to_text

__all__ = [
    "DEFAULT_TIMEOUT",
    "Send",
    "Simulator",
    "SimulatorError",
    "Turn",
    "http_send",
    "in_process",
]

Send = Callable[[dict[str, Any]], dict[str, Any]]
DEFAULT_TIMEOUT = 10.0
WHISPER_TAG = '<amazon:effect name="whispered">'


class SimulatorError(Exception):
    """The skill could not be reached, or answered with something that is not a response."""


@lru_cache(maxsize=1)
def in_process() -> Send:
    """The skill itself, built once per process, called as Lambda would call it."""
    from skill.alexa import build_skill
    from skill.alexa.entry import make_event_handler

    handler = make_event_handler(build_skill())
    return lambda event: handler(event, None)


def _is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def http_send(url: str, timeout: float = DEFAULT_TIMEOUT) -> Send:
    """POST each envelope as JSON to a running endpoint (e.g. `python -m skill serve --dev`).
    A loopback address is reached directly, never through a proxy."""
    handlers = [urllib.request.ProxyHandler({})] if _is_loopback(url) else []
    opener = urllib.request.build_opener(*handlers)

    def send(event: dict[str, Any]) -> dict[str, Any]:
        data = json.dumps(event).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with opener.open(request, timeout=timeout) as reply:
                body = reply.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip().splitlines()
            raise SimulatorError(
                f"{url} answered HTTP {error.code}: {detail[0] if detail else error.reason}"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SimulatorError(f"cannot reach {url}: {reason}") from None
        try:
            answer = json.loads(body)
        except json.JSONDecodeError:
            raise SimulatorError(f"{url} did not answer with JSON") from None
        if not isinstance(answer, dict):
            raise SimulatorError(f"{url} did not answer with a JSON object")
        return answer

    return send


@dataclass
class Turn:
    """One exchange: what was said, what was sent, what a person would hear."""

    you: str
    intent: str  # the intent name, or the request type (LaunchRequest, SessionEndedRequest)
    slots: dict[str, str]
    speech: str
    reprompt: str | None
    card: dict[str, str] | None
    facts: dict[str, Any]
    question: str | None
    level: str | None
    end_session: bool
    whispered: bool = False
    sample: str | None = None  # the sample that matched
    no_match: list[str] = field(default_factory=list)  # slots said outside the catalogue
    request: dict[str, Any] = field(default_factory=dict, repr=False)
    response: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The --json object of one turn."""
        return {
            "you": self.you,
            "intent": self.intent,
            "slots": dict(self.slots),
            "speech": self.speech,
            "reprompt": self.reprompt,
            "card": dict(self.card) if self.card is not None else None,
            "facts": dict(self.facts),
            "question": self.question,
            "level": self.level,
            "end_session": self.end_session,
        }


def _speech(output: Any) -> tuple[str, bool]:
    """(text a person hears, whether it is whispered) from an outputSpeech object."""
    if not isinstance(output, Mapping):
        return "", False
    if output.get("type") == "PlainText":
        return str(output.get("text") or ""), False
    ssml = str(output.get("ssml") or "")
    return ssml_to_text(ssml), WHISPER_TAG in ssml


def _elicited_slot(response: Mapping[str, Any]) -> str | None:
    """The slot a Dialog.ElicitSlot directive in the response asks for, if any."""
    directives = response.get("directives")
    for directive in directives if isinstance(directives, list) else ():
        if isinstance(directive, Mapping) and directive.get("type") == "Dialog.ElicitSlot":
            slot = directive.get("slotToElicit")
            return slot if isinstance(slot, str) else None
    return None


def _card(raw: Any) -> dict[str, str] | None:
    if not isinstance(raw, Mapping):
        return None
    text = raw.get("content") if raw.get("content") is not None else raw.get("text")
    return {"title": str(raw.get("title") or ""), "text": str(text or "")}


@dataclass
class Known:
    """The last known facts and level of the current session (attributes are cleared at its end)."""

    facts: dict[str, Any] = field(default_factory=dict)
    level: str | None = None
    question: str | None = None

    def update(self, attributes: Mapping[str, Any]) -> None:
        if not attributes:  # the session ended: keep what was known, nothing is being asked
            self.question = None
            return
        facts = attributes.get("facts")
        self.facts = dict(facts) if isinstance(facts, Mapping) else {}
        self.level = attributes.get("level") if isinstance(attributes.get("level"), str) else None
        asking = attributes.get("asking")
        self.question = asking if attributes.get("stage") == "asking" else None


def spoken_level(speech: str, locale: str) -> str | None:
    """The level a final answer says, from the level's own sentence in the locale's words (the
    quiet answer to "not safe" is the emergency's)."""
    from skill.alexa.data import default_data
    from skill.core import Level

    # The skill answers a locale it has no words for in its default locale's words.
    voice = default_data().voice(locale)

    def heard(text: str) -> str:  # a number said by its name ("triple zero") is heard so
        for number, name in voice.phones.items():
            text = text.replace(number, name) if name else text
        return text

    if heard(voice.say("not_safe_answer")) in speech:
        return Level.EMERGENCY.id
    for level in sorted(Level, reverse=True):
        if heard(voice.triage.text("levels", level.id, "say")) in speech:
            return level.id
    return None


def facts_carried(event: Mapping[str, Any]) -> dict[str, Any]:
    """The facts a request's slots carry, read as the skill reads them, and what its intent
    says by itself (NotSafeIntent: not safe)."""
    from skill.simulator.coverage import facts_of_request

    return facts_of_request(event)


class Simulator:
    """Talk to the skill turn by turn, as a speaker would."""

    def __init__(
        self,
        locale: str = "en-US",
        *,
        model_dir: Path | None = None,
        send: Send | None = None,
        skill_id: str = SIMULATOR_SKILL_ID,
    ) -> None:
        self.locale = locale
        self.matcher = matcher_for(locale, model_dir)
        self.send = send or in_process()
        self.skill_id = skill_id
        self.session: SessionInfo | None = None
        self.known = Known()
        self.eliciting: str | None = None  # the slot the last response elicited (ElicitSlot)

    @property
    def in_session(self) -> bool:
        return self.session is not None

    def say(self, text: str) -> Turn:
        """Resolve what was typed against the model and send it."""
        eliciting = self.eliciting if self.session is not None else None
        return self.send_understood(text, self.matcher.understand(text, eliciting=eliciting))

    def send_understood(self, text: str, understood: Understood) -> Turn:
        if understood.new_session or self.session is None:
            self.session = SessionInfo(skill_id=self.skill_id)
            self.known = Known()
        event = envelope(request_for(understood, self.skill_id), self.session, self.locale)
        turn = self._exchange(text, understood.intent or understood.request_type, event)
        turn.slots, turn.sample = understood.filled, understood.sample
        turn.no_match = [s.name for s in understood.slots if s.status == NO_MATCH]
        return turn

    def end(self, reason: str = "USER_INITIATED") -> Turn | None:
        """Close an open session as Alexa does when the person walks away."""
        if self.session is None:
            return None
        event = envelope(session_ended(reason), self.session, self.locale)
        turn = self._exchange("", "SessionEndedRequest", event)
        self.session = None
        return turn

    def _exchange(self, text: str, intent: str, event: dict[str, Any]) -> Turn:
        answer = self.send(event)
        if not isinstance(answer, Mapping) or not isinstance(answer.get("response"), Mapping):
            raise SimulatorError("the skill's answer is not a response envelope")
        response = answer["response"]
        self.eliciting = _elicited_slot(response)
        attributes = answer.get("sessionAttributes")
        self.known.update(attributes if isinstance(attributes, Mapping) else {})
        end_session = response.get("shouldEndSession") is True
        self._carry_session(end_session, attributes)
        speech, whispered = _speech(response.get("outputSpeech"))
        if end_session and not attributes:
            # The skill forgets everything when the session ends: what the person hears says the
            # level, and the facts are what was known plus what this request carried.
            self.known.level = spoken_level(speech, self.locale) or self.known.level
            self.known.facts = {**self.known.facts, **facts_carried(event)}
        reprompt, _ = _speech((response.get("reprompt") or {}).get("outputSpeech"))
        return Turn(
            you=text,
            intent=intent,
            slots={},
            speech=speech,
            reprompt=reprompt or None,
            card=_card(response.get("card")),
            facts=dict(self.known.facts),
            question=self.known.question,
            level=self.known.level,
            end_session=end_session,
            whispered=whispered,
            request=event,
            response=dict(answer),
        )

    def _carry_session(self, end_session: bool, attributes: Any) -> None:
        if self.session is None:
            return
        if end_session:
            self.session = None
            return
        self.session.new = False
        self.session.attributes = dict(attributes) if isinstance(attributes, Mapping) else {}
