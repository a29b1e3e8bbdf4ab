"""The conversation, as plain functions over a session State: no ASK SDK types here.

Each turn takes the state (from session attributes) and what the person said, asks the triage
core what is still worth asking, and returns a Reply for the one response builder to speak.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from skill.alexa.slots import SlotReading
from skill.alexa.voice import Voice
from skill.core import (
    Assessment,
    FactError,
    FactValue,
    Knowledge,
    Level,
    Question,
    assess,
    default_knowledge,
    merge_facts,
    next_question,
    validate_facts,
)

LISTENING, ASKING, OFFERING = "listening", "asking", "offering"
STAGES = (LISTENING, ASKING, OFFERING)
LEVEL_IDS = frozenset(level.id for level in Level)
# A spoken answer stays within about 25 seconds: at Alexa's ~2.8 words a second, some 70 words
# before the offer of a note.
ANSWER_WORD_BUDGET = 70
SPOKEN_ADVICE = 3


_questions_of: tuple[Knowledge, dict[str, Question]] | None = None


def questions_by_id(knowledge: Knowledge) -> dict[str, Question]:
    """The knowledge's questions by id, built once per Knowledge object (not once per turn)."""
    global _questions_of
    cached = _questions_of
    if cached is None or cached[0] is not knowledge:
        cached = _questions_of = (knowledge, {q.id: q for q in knowledge.questions})
    return cached[1]


def build_card(assessment: Assessment, voice: Voice) -> tuple[str, str]:
    """The follow-up card; skill.alexa.cards is imported only when a card is sent."""
    from skill.alexa.cards import build_card as build

    return build(assessment, voice)


@dataclass
class Card:
    title: str
    content: str


@dataclass
class Reply:
    speech: list[str]
    reprompt: str | None = None
    card: Card | None = None
    end_session: bool = False


@dataclass
class State:
    """What the session remembers. Only for this session: nothing is stored anywhere else."""

    facts: dict[str, FactValue] = field(default_factory=dict)
    stage: str = LISTENING
    asking: str | None = None
    whisper: bool = False
    level: str | None = None
    last_speech: list[str] = field(default_factory=list)
    last_reprompt: str | None = None

    def to_attributes(self) -> dict[str, Any]:
        return {
            "facts": dict(self.facts),
            "stage": self.stage,
            "asking": self.asking,
            "whisper": self.whisper,
            "level": self.level,
            "last_speech": list(self.last_speech),
            "last_reprompt": self.last_reprompt,
        }

    @classmethod
    def from_attributes(cls, raw: Mapping[str, Any] | None) -> State:
        """Rebuild the state; anything malformed starts a fresh conversation instead of crashing."""
        if not isinstance(raw, Mapping):
            return cls()
        try:
            facts = validate_facts(raw.get("facts") or {})
        except FactError:
            return cls(whisper=raw.get("whisper") is True)
        # Only strings are looked up: a list or a mapping here is garbage, not a crash.
        asking, stage, level = (
            value if isinstance(value, str) else None
            for value in (raw.get("asking"), raw.get("stage"), raw.get("level"))
        )
        known_questions = questions_by_id(default_knowledge())
        level = level if level in LEVEL_IDS else None
        stage = stage if stage in STAGES else LISTENING
        if stage == OFFERING and level is None:  # nothing was answered: no note to offer
            stage = LISTENING
        last = raw.get("last_speech")
        return cls(
            facts=facts,
            stage=stage,
            asking=asking if asking in known_questions else None,
            whisper=raw.get("whisper") is True,
            level=level,
            last_speech=[s for s in last if isinstance(s, str)] if isinstance(last, list) else [],
            last_reprompt=raw.get("last_reprompt")
            if isinstance(raw.get("last_reprompt"), str)
            else None,
        )


class Conversation:
    """One turn of the dialogue for one locale's voice."""

    def __init__(self, voice: Voice, state: State) -> None:
        self.voice = voice
        self.state = state
        self.knowledge = default_knowledge()
        self.questions = questions_by_id(self.knowledge)

    # --- what the person can do -------------------------------------------------------------

    def launch(self) -> Reply:
        return self._remember(
            Reply([self.voice.say("welcome", "say")], self.voice.say("welcome", "reprompt"))
        )

    def report(self, reading: SlotReading) -> Reply:
        """The person's account, with or without details: add what it says, then ask or answer."""
        self._add(reading.facts)
        if self.state.stage == LISTENING or reading.facts or not reading.unclear:
            return self._proceed()
        return self._not_understood(reading.unclear)

    def answer(self, reading: SlotReading) -> Reply:
        """A short answer: it must carry something we understood, or we ask again."""
        self._add(reading.facts)
        if not reading.facts:
            return self._not_understood(reading.unclear)
        return self._proceed()

    def yes(self) -> Reply:
        return self._yes_or_no("yes")

    def no(self) -> Reply:
        return self._yes_or_no("no")

    def dont_know(self) -> Reply:
        question = self._current_question()
        if question is None:
            return self.help() if self.state.stage != OFFERING else self._offer_again()
        value = question.unknown
        if value is None:
            return self._not_understood([question.id])
        self._add({question.id: value})
        return self._proceed()

    def not_safe(self) -> Reply:
        self._add({"safe_now": False})
        return self._proceed()

    def whisper(self) -> Reply:
        self.state.whisper = True
        return self._remember(
            Reply(
                [self.voice.say("whisper_on"), *self._current_prompt()], self._current_reprompt()
            ),
            speech_to_repeat=self._current_prompt(),
        )

    def support_line(self) -> Reply:
        """The locale's support line (the support_services advice words), whispered from now on,
        and the conversation stays where it was: what was being asked is asked again."""
        self.state.whisper = True
        line = self.voice.triage.text("advice", "support_services", "say")
        return Reply([line, *self._current_prompt(rephrase=True)], self._current_reprompt())

    def help(self) -> Reply:
        return Reply(
            [self.voice.say("help", "say"), *self._current_prompt(help_mode=True)],
            self._current_reprompt(),
        )

    def repeat(self) -> Reply:
        if not self.state.last_speech:
            return self.launch()
        return Reply(
            list(self.state.last_speech), self.state.last_reprompt or self._current_reprompt()
        )

    def start_over(self) -> Reply:
        whisper = self.state.whisper
        self.state = State(whisper=whisper)
        return self._remember(
            Reply(
                [self.voice.say("start_over"), self.voice.say("welcome", "say")],
                self.voice.say("welcome", "reprompt"),
            ),
            speech_to_repeat=[self.voice.say("welcome", "say")],
        )

    def stop(self) -> Reply:
        return Reply([self.voice.say("goodbye_with_net")], end_session=True)

    def fallback(self) -> Reply:
        return self._not_understood([])

    # --- the flow ---------------------------------------------------------------------------

    def _add(self, facts: Mapping[str, FactValue]) -> None:
        self.state.facts = merge_facts(self.state.facts, facts, self.knowledge)

    def _proceed(self) -> Reply:
        question_id = next_question(self.state.facts, locale=self.voice.locale)
        if question_id is not None:
            self.state.stage, self.state.asking = ASKING, question_id
            return self._remember(
                Reply(
                    [self.voice.triage.text("questions", question_id, "say")],
                    self.voice.triage.text("questions", question_id, "reprompt"),
                )
            )
        return self._answer()

    def _answer(self) -> Reply:
        assessment = assess(self.state.facts, locale=self.voice.locale)
        self.state.stage, self.state.asking = OFFERING, None
        self.state.level = assessment.level.id
        speech = answer_speech(
            assessment.level, assessment.advice, assessment.safety_net, self.voice
        )
        speech.append(self.voice.say("card_offer"))
        return self._remember(Reply(speech, self.voice.say("card_offer_reprompt")))

    def _yes_or_no(self, said: str) -> Reply:
        if self.state.stage == OFFERING:
            return self._send_card() if said == "yes" else self._decline_card()
        question = self._current_question()
        if question is None:
            return self._not_understood([])
        value = question.yes if said == "yes" else question.no
        if value is None:
            return Reply(
                [self.voice.say("need_words"), self._question_text("reprompt")],
                self._question_text("reprompt"),
            )
        self._add({question.id: value})
        return self._proceed()

    def _send_card(self) -> Reply:
        assessment = assess(self.state.facts, locale=self.voice.locale)
        title, content = build_card(assessment, self.voice)
        return Reply([self.voice.say("card_sent")], card=Card(title, content), end_session=True)

    def _decline_card(self) -> Reply:
        return Reply([self.voice.say("card_declined")], end_session=True)

    def _offer_again(self) -> Reply:
        return Reply([self.voice.say("card_offer_reprompt")], self.voice.say("card_offer_reprompt"))

    def _not_understood(self, unclear: list[str]) -> Reply:
        """Ask again in other words: the current question's reprompt, or the one about what was
        unclear. Nothing is guessed."""
        switched = False
        for fact in unclear:
            if fact in self.questions:
                switched = (self.state.stage, self.state.asking) != (ASKING, fact)
                self.state.stage, self.state.asking = ASKING, fact
                break
        reply = Reply(
            [self.voice.say("not_understood"), *self._current_prompt(rephrase=True)],
            self._current_reprompt(),
        )
        if switched:  # Repeat must ask what a yes or no now answers
            return self._remember(reply, speech_to_repeat=self._current_prompt(rephrase=True))
        return reply

    # --- what is being asked ----------------------------------------------------------------

    def _current_question(self) -> Any:
        if self.state.stage == ASKING and self.state.asking in self.questions:
            return self.questions[self.state.asking]
        return None

    def _question_text(self, kind: str) -> str:
        return self.voice.triage.text("questions", str(self.state.asking), kind)

    def _current_prompt(self, *, rephrase: bool = False, help_mode: bool = False) -> list[str]:
        if self.state.stage == ASKING and self.state.asking:
            return [self._question_text("reprompt" if rephrase or help_mode else "say")]
        if self.state.stage == OFFERING:
            return [self.voice.say("card_offer_reprompt")]
        return [] if help_mode else [self.voice.say("welcome", "reprompt")]

    def _current_reprompt(self) -> str:
        if self.state.stage == ASKING and self.state.asking:
            return self._question_text("reprompt")
        if self.state.stage == OFFERING:
            return self.voice.say("card_offer_reprompt")
        return self.voice.say("welcome", "reprompt")

    def _remember(self, reply: Reply, speech_to_repeat: list[str] | None = None) -> Reply:
        self.state.last_speech = list(
            speech_to_repeat if speech_to_repeat is not None else reply.speech
        )
        self.state.last_reprompt = reply.reprompt
        return reply


def answer_speech(
    level: Level, advice: tuple[str, ...], safety_net: tuple[str, ...], voice: Voice
) -> list[str]:
    """The spoken answer, built from `say` texts only, in about 25 seconds.

    Emergency first: its first sentence is the call to the emergency number. Every answer then
    gives the most pressing advice and any advice that is always spoken (support services); a
    non-emergency answer always says when to call the emergency number (clinical brief 2.4),
    and a self-care answer when to get checked after all (the brief's product decision). More
    advice, more of the safety net and a friendly opening follow only as time allows; the
    disclaimer comes last.
    """
    triage = voice.triage
    items = default_knowledge().advice
    said = _unique(
        triage.text("advice", a, "say") for a in advice if a in items and items[a].spoken
    )
    always = {
        triage.text("advice", a, "say") for a in advice if a in items and items[a].always_spoken
    }
    level_say = triage.text("levels", level.id, "say")
    said = [sentence for sentence in said if sentence != level_say]
    # Every net item that says when to call the emergency number (signs, not being safe).
    escalates = {i.id for i in default_knowledge().safety_net if i.escalates_to is Level.EMERGENCY}
    must_net = [s for s in safety_net if s in escalates]
    if level is Level.SELF_CARE:
        must_net = [*safety_net[-1:], *must_net]
    closing = [triage.text("disclaimer")]
    chosen = _unique([*said[:1], *[s for s in said if s in always]])
    nets = [triage.text("safety_net", s, "say") for s in dict.fromkeys(must_net)]

    def fits(*extra: str) -> bool:
        return _words([level_say, *chosen, *nets, *extra, *closing]) <= ANSWER_WORD_BUDGET

    for sentence in [s for s in said[1:SPOKEN_ADVICE] if s not in chosen]:
        if fits(sentence):
            chosen.append(sentence)
    for item in safety_net:
        sentence = triage.text("safety_net", item, "say")
        if sentence not in nets and fits(sentence):
            nets.append(sentence)
    chosen.sort(key=said.index)  # in the order of the advice, most pressing first
    intro = voice.say("answer_intro", level.id)
    lead = (
        [intro, level_say]
        if intro and level is not Level.EMERGENCY and fits(intro)
        else [level_say]
    )
    return [*lead, *chosen, *nets, *closing]


def _unique(sentences: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(sentences))


def _words(sentences: list[str]) -> int:
    return sum(len(sentence.split()) for sentence in sentences)
