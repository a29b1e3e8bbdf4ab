"""Conversations with the skill for these tests: turns read in en-US words, and paths.

Session is the shared session driver (skill.testing.SessionDriver: each request carries the last
response's sessionAttributes, as Alexa does; a response that ends the session starts a new one);
its turns are AlexaTurns. PATHS are whole conversations, at least one per triage level, with the
explicit words a person might use as slot values.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from skill import testing as env
from skill.alexa.voice import voice_for
from skill.testing import Exchange, Handler, SessionDriver

VOICE = voice_for("en-US")
DISCLAIMER = VOICE.triage.text("disclaimer")
EMERGENCY_FIRST = VOICE.triage.text("levels", "emergency", "say")
CARD_OFFER = VOICE.say("card_offer")
NOT_SAFE_ANSWER = VOICE.say("not_safe_answer")
SESSION_ID_LEVELS = ("emergency", "urgent", "soon", "self_care")

# --- reading a turn ---------------------------------------------------------------------------


def parse_ssml(ssml: str) -> ET.Element:
    """Parse SSML as XML; the amazon: prefix is not a declared namespace, so rename it."""
    return ET.fromstring(ssml.replace("<amazon:", "<amazon-").replace("</amazon:", "</amazon-"))


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text) if s]


def words(text: str) -> int:
    return len(text.split())


class AlexaTurn(Exchange):
    """One turn of the shared session driver, read in the en-US words these tests speak of."""

    @property
    def is_answer(self) -> bool:
        """A final answer: it says it is not a diagnosis (and carries no card)."""
        return DISCLAIMER in self.speech and self.card is None

    @property
    def offers_card(self) -> bool:
        return CARD_OFFER in self.speech

    @property
    def session_facts(self) -> dict[str, Any]:
        """The facts in the sessionAttributes the skill answered with ({} once a session ends);
        `facts` is what the driver knows of the session."""
        return dict(self.attributes.get("facts") or {})

    def sentences(self) -> list[str]:
        return sentences(self.speech)

    def first_sentence(self) -> str:
        return self.sentences()[0] if self.speech else ""

    def answer_text(self) -> str:
        """A final answer's words, before the offer of a note if there is one."""
        assert self.is_answer, self.speech
        return self.speech.split(CARD_OFFER)[0].strip()


# --- a conversation, turn by turn -----------------------------------------------------------


class Session(SessionDriver):
    """The shared session driver (skill.testing), its turns read as `AlexaTurn`s."""

    turn_class = AlexaTurn
    turns: list[AlexaTurn]  # type: ignore[assignment]

    def launch(self) -> AlexaTurn:
        return cast(AlexaTurn, super().launch())

    def intent(
        self, name: str, *slots: Mapping[str, Any], dialog_state: str | None = None
    ) -> AlexaTurn:
        return cast(AlexaTurn, super().intent(name, *slots, dialog_state=dialog_state))

    @property
    def last(self) -> AlexaTurn:
        return self.turns[-1]


Step = Callable[[Session], AlexaTurn]


# Steps, for tables of conversations.
def yes(s: Session) -> AlexaTurn:
    return s.yes()


def no(s: Session) -> AlexaTurn:
    return s.no()


def dont_know(s: Session) -> AlexaTurn:
    return s.dont_know()


def launch(s: Session) -> AlexaTurn:
    return s.launch()


def report(*slots: dict[str, Any]) -> Step:
    return lambda s: s.report(*slots)


def answer(*slots: dict[str, Any]) -> Step:
    return lambda s: s.answer(*slots)


def intent(name: str, *slots: dict[str, Any]) -> Step:
    return lambda s: s.intent(name, *slots)


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
