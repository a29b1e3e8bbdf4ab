"""A conversation with the skill as Alexa holds one: replies, sessions, and conversation paths.

Session carries each response's sessionAttributes into the next request, as Alexa does, and starts
a new session after a response that ends one. PATHS are whole conversations, at least one per
triage level, with the explicit words a person might use as slot values.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import envelopes as env

from skill.alexa.voice import voice_for

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]

VOICE = voice_for("en-US")
DISCLAIMER = VOICE.triage.text("disclaimer")
EMERGENCY_FIRST = VOICE.triage.text("levels", "emergency", "say")
CARD_OFFER = VOICE.say("card_offer")
NOT_SAFE_ANSWER = VOICE.say("not_safe_answer")
SESSION_ID_LEVELS = ("emergency", "urgent", "soon", "self_care")

# --- reading a response ---------------------------------------------------------------------


def parse_ssml(ssml: str) -> ET.Element:
    """Parse SSML as XML; the amazon: prefix is not a declared namespace, so rename it."""
    return ET.fromstring(ssml.replace("<amazon:", "<amazon-").replace("</amazon:", "</amazon-"))


def ssml_text(ssml: str) -> str:
    """The words of an SSML string, tags removed and entities decoded."""
    return " ".join("".join(parse_ssml(ssml).itertext()).split())


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text) if s]


def words(text: str) -> int:
    return len(text.split())


@dataclass
class Reply:
    """One response envelope from the skill, with the parts the tests look at."""

    raw: dict[str, Any]
    request: dict[str, Any]

    @property
    def response(self) -> dict[str, Any]:
        return self.raw.get("response") or {}

    @property
    def ssml(self) -> str | None:
        speech = self.response.get("outputSpeech")
        return speech.get("ssml") if speech else None

    @property
    def speech(self) -> str:
        """The spoken words as plain text ('' when there is no speech)."""
        return ssml_text(self.ssml) if self.ssml else ""

    @property
    def reprompt_ssml(self) -> str | None:
        reprompt = self.response.get("reprompt")
        return reprompt["outputSpeech"].get("ssml") if reprompt else None

    @property
    def reprompt(self) -> str:
        return ssml_text(self.reprompt_ssml) if self.reprompt_ssml else ""

    @property
    def card(self) -> dict[str, Any] | None:
        return self.response.get("card")

    @property
    def ends(self) -> bool | None:
        return self.response.get("shouldEndSession")

    @property
    def attributes(self) -> dict[str, Any]:
        return self.raw.get("sessionAttributes") or {}

    @property
    def stage(self) -> str | None:
        return self.attributes.get("stage")

    @property
    def asking(self) -> str | None:
        return self.attributes.get("asking")

    @property
    def level(self) -> str | None:
        """The level of a final answer: from the session, or, once the session has ended (and
        forgotten everything), from the level's own sentence in the speech."""
        if self.attributes.get("level"):
            return str(self.attributes["level"])
        if not self.is_answer:
            return None
        if NOT_SAFE_ANSWER in self.speech:
            return "emergency"
        for level in ("emergency", "urgent", "soon", "self_care"):
            if VOICE.triage.text("levels", level, "say") in self.speech:
                return level
        return None

    @property
    def facts(self) -> dict[str, Any]:
        return self.attributes.get("facts") or {}

    @property
    def is_question(self) -> bool:
        return self.stage == "asking"

    @property
    def is_answer(self) -> bool:
        """A final answer: it says it is not a diagnosis (and carries no card)."""
        return DISCLAIMER in self.speech and self.card is None

    @property
    def offers_card(self) -> bool:
        return CARD_OFFER in self.speech

    @property
    def intent_name(self) -> str | None:
        intent = self.request["request"].get("intent")
        return intent["name"] if intent else None

    def sentences(self) -> list[str]:
        return sentences(self.speech)

    def first_sentence(self) -> str:
        return self.sentences()[0] if self.speech else ""

    def answer_text(self) -> str:
        """A final answer's words, before the offer of a note if there is one."""
        assert self.is_answer, self.speech
        return self.speech.split(CARD_OFFER)[0].strip()

    def slot_values(self) -> list[str]:
        """The literal words the person said in this request's slots."""
        intent = self.request["request"].get("intent") or {}
        return [s["value"] for s in (intent.get("slots") or {}).values() if s.get("value")]


# --- a conversation, turn by turn -----------------------------------------------------------


@dataclass
class Session:
    """A conversation with the skill: each request carries the previous response's
    sessionAttributes, as Alexa does; a response that ends the session starts a new one."""

    handler: Handler
    attributes: dict[str, Any] = field(default_factory=dict)
    new: bool = True
    replies: list[Reply] = field(default_factory=list)
    locale: str = "en-US"

    def send(self, envelope: dict[str, Any]) -> Reply:
        raw = self.handler(envelope, None)
        reply = Reply(raw, envelope)
        self.replies.append(reply)
        if envelope["request"]["type"] == "SessionEndedRequest" or reply.ends:
            self.attributes, self.new = {}, True
        else:
            self.attributes, self.new = dict(reply.attributes), False
        return reply

    def launch(self) -> Reply:
        return self.send(env.launch(locale=self.locale))

    def say(self, name: str, *slots: dict[str, Any], dialog_state: str | None = None) -> Reply:
        return self.send(
            env.intent(
                name,
                list(slots),
                self.attributes,
                dialog_state=dialog_state,
                new=self.new,
                locale=self.locale,
            )
        )

    def report(self, *slots: dict[str, Any], dialog_state: str | None = None) -> Reply:
        return self.say("ReportIntent", *slots, dialog_state=dialog_state)

    def answer(self, *slots: dict[str, Any], dialog_state: str | None = None) -> Reply:
        return self.say("AnswerIntent", *slots, dialog_state=dialog_state)

    def yes(self) -> Reply:
        return self.say("AMAZON.YesIntent")

    def no(self) -> Reply:
        return self.say("AMAZON.NoIntent")

    def dont_know(self) -> Reply:
        return self.say("DontKnowIntent")

    def end(self, reason: str = "USER_INITIATED", error_type: str | None = None) -> Reply:
        return self.send(env.session_ended(reason, self.attributes, error_type))

    @property
    def last(self) -> Reply:
        return self.replies[-1]

    def run(self, steps: Iterable[Step]) -> list[Reply]:
        return [step(self) for step in steps]

    def answer_questions(self, answers: Mapping[str, Step], limit: int = 12) -> Reply:
        """Answer each question the skill asks with the step given for its fact, until it stops
        asking. A question with no step fails the test, naming the question."""
        reply = self.last
        for _ in range(limit):
            if not reply.is_question:
                return reply
            asked = reply.asking
            assert asked in answers, f"unexpected question '{asked}'"
            reply = answers[str(asked)](self)
        raise AssertionError(f"still asking after {limit} answers")

    def questions_asked(self) -> list[str]:
        return [str(r.asking) for r in self.replies if r.is_question]


Step = Callable[[Session], Reply]


# Steps, for tables of conversations.
def yes(s: Session) -> Reply:
    return s.yes()


def no(s: Session) -> Reply:
    return s.no()


def dont_know(s: Session) -> Reply:
    return s.dont_know()


def launch(s: Session) -> Reply:
    return s.launch()


def report(*slots: dict[str, Any]) -> Step:
    return lambda s: s.report(*slots)


def answer(*slots: dict[str, Any]) -> Step:
    return lambda s: s.answer(*slots)


def intent(name: str, *slots: dict[str, Any]) -> Step:
    return lambda s: s.say(name, *slots)


slot = env.slot

# The most reassuring answer to every question the skill can ask.
REASSURING: dict[str, Step] = {
    "warning_signs": no,
    "dizzy_or_fainted": no,
    "amount": answer(slot("amount", "just a few spots of blood", match="spotting")),
    "soaks_pad_within_hour": no,
    "still_bleeding": no,
    "bleeding_over_a_day": no,
    "pain": no,
    "fever": no,
    "high_fever_or_shivering": no,
    "vomiting": no,
    "safe_now": yes,
    "pregnant": no,
    "pregnancy_confirmed": no,
    "consent": yes,
    "frequency": no,
    "cycle_timing": answer(slot("cycleTiming", "right before my period", match="near_period")),
    "menopause": no,
    "discharge_partner_or_screening": no,
}


@dataclass(frozen=True)
class Path:
    """A whole conversation: the opening turns, then answers to whatever the skill asks."""

    name: str
    level: str
    opening: tuple[Step, ...]
    answers: Mapping[str, Step] = field(default_factory=dict)
    offered: bool | None = None  # a note offered at the end (None: unless an emergency)
    quiet: bool = False  # ends with the quiet not-safe answer

    def run(self, handler: Handler) -> Session:
        session = Session(handler)
        session.run(self.opening)
        session.answer_questions({**REASSURING, **self.answers})
        return session


PATHS: tuple[Path, ...] = (
    # emergency
    Path("heavy", "emergency", (report(slot("amount", "a lot of blood", match="heavy")),)),
    Path(
        "fainted",
        "emergency",
        (report(slot("symptom", "i nearly fainted from the bleeding", match="dizzy_or_fainted")),),
    ),
    Path(
        "soaking",
        "emergency",
        (
            report(
                slot(
                    "symptom", "soaking a pad with blood every hour", match="soaks_pad_within_hour"
                )
            ),
        ),
    ),
    Path("severe pain", "emergency", (report(slot("pain", "agony after sex", match="severe")),)),
    Path(
        "pregnant with one-sided pain",
        "emergency",
        (
            report(
                slot("pregnancy", "i'm pregnant and bled after sex", match="yes"),
                slot("painSite", "a stabbing pain on one side of my vagina", match="one_sided"),
            ),
        ),
    ),
    Path(
        "not safe",
        "emergency",
        (
            report(slot("consent", "he forced me to have sex", match="no")),
            no,
            intent("NotSafeIntent"),
        ),
        quiet=True,
    ),
    Path("launch, warning signs, dizzy", "emergency", (launch, report(), yes, yes)),
    Path(
        "contradiction",
        "emergency",
        (
            report(),
            yes,
            no,
            answer(slot("amount", "just spotting", match="spotting")),
            answer(slot("amount", "a lot of blood", match="heavy")),
        ),
    ),
    # urgent
    Path(
        "not consensual",
        "urgent",
        (report(slot("consent", "it wasn't consensual", match="no")),),
        offered=False,
    ),
    Path("consent unsure", "urgent", (report(),), {"consent": dont_know}, offered=False),
    Path("pregnant", "urgent", (report(slot("pregnancy", "i'm pregnant", match="yes")),)),
    Path("might be pregnant", "urgent", (report(),), {"pregnant": yes}),
    Path(
        "period late",
        "urgent",
        (report(slot("context", "my period is late and i bled after sex", match="period_late")),),
    ),
    Path(
        "warning signs unknown",
        "urgent",
        (report(),),
        {
            "warning_signs": dont_know,
            "dizzy_or_fainted": dont_know,
            "amount": dont_know,
            "pain": dont_know,
            "fever": dont_know,
        },
    ),
    Path(
        "fever",
        "urgent",
        (report(slot("symptom", "fever and bleeding after intercourse", match="fever")),),
        {"warning_signs": yes, "fever": yes},
    ),
    # soon
    Path(
        "after menopause",
        "soon",
        (report(slot("menopause", "my periods stopped years ago", match="post")),),
    ),
    Path(
        "keeps happening",
        "soon",
        (
            report(
                slot("frequency", "it keeps happening every time we have sex", match="recurrent")
            ),
        ),
    ),
    Path(
        "dryness",
        "soon",
        (report(slot("symptom", "my vagina is dry during intercourse", match="dryness")),),
    ),
    Path(
        "discharge",
        "soon",
        (report(slot("symptom", "a smelly discharge", match="unusual_discharge")),),
    ),
    Path(
        "no trigger",
        "soon",
        (report(),),
        {"cycle_timing": answer(slot("cycleTiming", "random", match="other"))},
    ),
    # self care
    Path("near period", "self_care", (report(),)),
    Path(
        "after rough sex",
        "self_care",
        (
            report(
                slot("amount", "a little blood after sex", match="light"),
                slot("context", "after rough sex", match="rough_or_deep_sex"),
            ),
        ),
    ),
    Path(
        "mid cycle, launched first",
        "self_care",
        (launch, report()),
        {
            "cycle_timing": answer(
                slot("cycleTiming", "in the middle of my cycle", match="mid_cycle")
            )
        },
    ),
)


def offers_a_note(path: Path) -> bool:
    """Whether the path's answer ends with the offer of a note."""
    return (path.level != "emergency" if path.offered is None else path.offered) and not path.quiet


OFFERING_PATHS = tuple(p for p in PATHS if offers_a_note(p))
ENDING_PATHS = tuple(p for p in PATHS if not offers_a_note(p))
