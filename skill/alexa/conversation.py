"""The conversation, as plain functions over a session State: no ASK SDK types here.

Each turn takes the state (from session attributes) and what the person said, asks the triage
core what is still worth asking, and returns a Reply for the one response builder to speak.

Three promises shape it:
- it never loops: a second miss at the opening starts the guided questions, a second miss at a
  question offers the choices in plain words, a third gives the safest answer and ends;
- an emergency stays an emergency: the answer says the number, what to do while waiting, and
  ends; stop, cancel or an unclear reply after it repeat the number;
- a person who is not safe hears it quietly: whispered from then on, the emergency number first,
  no service or topic named aloud, no card, and the session ends.
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
    merge_facts,
    next_question,
    validate_facts,
)

LISTENING, ASKING, OFFERING = "listening", "asking", "offering"
STAGES = (LISTENING, ASKING, OFFERING)
LEVEL_IDS = frozenset(level.id for level in Level)
# A spoken answer, the offer of a note included, stays within about 25 seconds: at Alexa's ~2.8
# words a second, some 70 words.
ANSWER_WORD_BUDGET = 70
SPOKEN_ADVICE = 3
# Misunderstandings in a row at one point of the conversation before it changes course.
GUIDE_AFTER = 2  # at the opening: start the guided questions
CHOICES_AFTER = 2  # at a question: offer the choices in plain words
GIVE_UP_AFTER = 3  # at a question: give the safest answer and end


def card_for(assessment: Assessment, voice: Voice) -> tuple[str, str]:
    """The follow-up card; skill.alexa.cards is imported only when a card is sent."""
    from skill.alexa.cards import build_card

    return build_card(assessment, voice)


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
    misses: int = 0  # misunderstandings in a row at the current point

    def to_attributes(self) -> dict[str, Any]:
        return {
            "facts": dict(self.facts),
            "stage": self.stage,
            "asking": self.asking,
            "whisper": self.whisper,
            "level": self.level,
            "last_speech": list(self.last_speech),
            "last_reprompt": self.last_reprompt,
            "misses": self.misses,
        }

    @classmethod
    def from_attributes(cls, raw: Mapping[str, Any] | None, knowledge: Knowledge) -> State:
        """Rebuild the state; anything malformed starts a fresh conversation instead of crashing."""
        if not isinstance(raw, Mapping):
            return cls()
        try:
            facts = validate_facts(raw.get("facts") or {}, knowledge)
        except FactError:
            return cls(whisper=raw.get("whisper") is True)
        # Only strings are looked up: a list or a mapping here is garbage, not a crash.
        asking, stage, level = (
            value if isinstance(value, str) else None
            for value in (raw.get("asking"), raw.get("stage"), raw.get("level"))
        )
        known_questions = knowledge.questions_by_id
        level = level if level in LEVEL_IDS else None
        stage = stage if stage in STAGES else LISTENING
        if stage == OFFERING and level is None:  # nothing was answered: no note to offer
            stage = LISTENING
        last = raw.get("last_speech")
        misses = raw.get("misses")
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
            misses=misses if type(misses) is int and 0 <= misses <= GIVE_UP_AFTER else 0,
        )


class Conversation:
    """One turn of the dialogue for one locale's voice (and the knowledge it was checked with)."""

    def __init__(self, voice: Voice, state: State) -> None:
        self.voice = voice
        self.state = state
        self.knowledge = voice.knowledge
        self.questions = self.knowledge.questions_by_id

    # --- what the person can do -------------------------------------------------------------

    def launch(self) -> Reply:
        return self._remember(
            Reply([self.voice.say("welcome", "say")], self.voice.say("welcome", "reprompt"))
        )

    def report(self, reading: SlotReading) -> Reply:
        """The person's account, with or without details. At the opening the account itself is
        understood (the questions follow); at a question it must carry an answer."""
        if reading.facts:
            self._add(reading.facts)
            return self._proceed()
        if self.state.stage == LISTENING and not reading.unclear:
            return self._proceed()
        return self._not_understood(reading.unclear)

    def answer(self, reading: SlotReading) -> Reply:
        """A short answer: it must carry something we understood, or we ask again."""
        if not reading.facts:
            return self._not_understood(reading.unclear)
        self._add(reading.facts)
        return self._proceed()

    def yes(self) -> Reply:
        return self._yes_or_no("yes")

    def no(self) -> Reply:
        return self._yes_or_no("no")

    def dont_know(self) -> Reply:
        if self.state.stage == OFFERING:
            return self._not_understood([])
        question = self._current_question()
        if question is None:  # before any question: the guided questions start
            return self._proceed()
        if question.unknown is None:
            return self._not_understood([question.id])
        self._add({question.id: question.unknown})
        return self._proceed()

    def not_safe(self) -> Reply:
        self._add({"safe_now": False})
        return self._not_safe_reply()

    def support_line(self) -> Reply:
        """A number to call, asked for: said quietly, the service not named; the conversation
        goes on where it was, or ends if nothing was being asked."""
        self.state.whisper = True
        line = self.voice.say("support_line")
        if self.state.stage == ASKING and not self._not_safe():
            return self._remember(
                Reply([line, *self._current_prompt(rephrase=True)], self._current_reprompt()),
                speech_to_repeat=self._current_prompt(rephrase=True),
            )
        return Reply([line], end_session=True)

    def whisper(self) -> Reply:
        self.state.whisper = True
        return self._remember(
            Reply(
                [self.voice.say("whisper_on"), *self._current_prompt()], self._current_reprompt()
            ),
            speech_to_repeat=self._current_prompt(),
        )

    def help(self) -> Reply:
        """What the skill does, and two or three examples of what to say at this point."""
        if self.state.stage == ASKING and self.state.asking:
            lead = [self.voice.say("help", "question"), self._choices()]
        elif self.state.stage == OFFERING:
            lead = [self.voice.say("help", "offer")]
        else:
            lead = [self.voice.say("help", "say"), self.voice.say("examples")]
        return Reply(lead, self._current_reprompt())

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
        if self._emergency_now():  # never end an emergency on "if it gets worse"
            return self._emergency_repeat()
        return Reply([self.voice.say("goodbye_with_net")], end_session=True)

    def fallback(self) -> Reply:
        return self._not_understood([])

    # --- the flow ---------------------------------------------------------------------------

    def _assess(self, facts: Mapping[str, FactValue]) -> Assessment:
        return assess(facts, locale=self.voice.locale, knowledge=self.knowledge)

    def _add(self, facts: Mapping[str, FactValue]) -> None:
        self.state.facts = merge_facts(self.state.facts, facts, self.knowledge)
        self.state.misses = 0

    def _not_safe(self) -> bool:
        return self.state.facts.get("safe_now") is False

    def _proceed(self) -> Reply:
        self.state.misses = 0
        if self._not_safe():
            return self._not_safe_reply()
        question_id = next_question(
            self.state.facts, locale=self.voice.locale, knowledge=self.knowledge
        )
        if question_id is not None:
            self.state.stage, self.state.asking = ASKING, question_id
            return self._remember(
                Reply(
                    [self.voice.triage.text("questions", question_id, "say")],
                    self.voice.triage.text("questions", question_id, "reprompt"),
                )
            )
        return self._answer(self._assess(self.state.facts))

    def _answer(
        self, assessment: Assessment, *, offer: bool = True, lead: tuple[str, ...] = ()
    ) -> Reply:
        self.state.stage, self.state.asking = OFFERING, None
        self.state.level = assessment.level.id
        if assessment.level is Level.EMERGENCY:
            speech = [*lead, *emergency_speech(assessment.advice, self.voice)]
            return self._remember(Reply(speech, end_session=True))
        # No note after a disclosure of assault: cards show in the household's app and screens.
        offer = offer and self.state.facts.get("consent") not in ("no", "unclear")
        closing = [self.voice.say("card_offer")] if offer else []
        speech = answer_speech(
            assessment.level,
            assessment.advice,
            assessment.safety_net,
            self.voice,
            budget=ANSWER_WORD_BUDGET - _words([*lead, *closing]),
            friendly=not lead,
        )
        speech = [*lead, *speech]
        if not offer:
            return self._remember(Reply(speech, end_session=True))
        return self._remember(Reply([*speech, *closing], self.voice.say("card_offer_reprompt")))

    def _not_safe_reply(self) -> Reply:
        """Quiet from now on; the emergency number first; nothing named; no card; the end."""
        self.state.whisper = True
        self.state.stage, self.state.asking, self.state.level = OFFERING, None, Level.EMERGENCY.id
        speech = [self.voice.say("not_safe_answer"), self.voice.triage.text("disclaimer")]
        return self._remember(Reply(speech, end_session=True))

    def _emergency_now(self) -> bool:
        if self.state.level == Level.EMERGENCY.id:
            return True
        return self._assess(self.state.facts).level is Level.EMERGENCY

    def _emergency_repeat(self) -> Reply:
        if self._not_safe():
            return self._not_safe_reply()
        return Reply([self.voice.triage.text("levels", "emergency", "say")], end_session=True)

    def _yes_or_no(self, said: str) -> Reply:
        if self.state.stage == OFFERING:
            return self._send_card() if said == "yes" else self._decline_card()
        question = self._current_question()
        if question is None:  # before any question: the guided questions start
            return self._proceed()
        value = question.yes if said == "yes" else question.no
        if value is None:
            return self._not_understood([question.id])
        self._add({question.id: value})
        return self._proceed()

    def _send_card(self) -> Reply:
        assessment = self._assess(self.state.facts)
        title, content = card_for(assessment, self.voice)
        return Reply([self.voice.say("card_sent")], card=Card(title, content), end_session=True)

    def _decline_card(self) -> Reply:
        return Reply([self.voice.say("card_declined")], end_session=True)

    def _not_understood(self, unclear: list[str]) -> Reply:
        """Never the same failed sentence in a loop: each miss in a row changes what is said."""
        if self._emergency_now() and self.state.stage != ASKING:
            return self._emergency_repeat()
        self.state.misses += 1
        if self.state.stage == OFFERING:
            return self._offer_again()
        for fact in unclear:  # an answer was given to another question: ask that one
            if fact in self.questions and (ASKING, fact) != (self.state.stage, self.state.asking):
                self.state.stage, self.state.asking, self.state.misses = ASKING, fact, 1
                break
        if self.state.stage != ASKING:
            return self._not_understood_at_opening()
        if self.state.misses >= GIVE_UP_AFTER:
            return self._safest_answer()
        sorry = self.voice.say("not_understood")
        prompt = (
            [self._choices()]
            if self.state.misses >= CHOICES_AFTER
            else self._current_prompt(rephrase=True)
        )
        return self._remember(
            Reply([sorry, *prompt], self._current_reprompt()), speech_to_repeat=prompt
        )

    def _not_understood_at_opening(self) -> Reply:
        if self.state.misses >= GUIDE_AFTER:  # twice: ask, rather than wait for the right words
            reply = self._proceed()
            reply.speech.insert(0, self.voice.say("guided_start"))
            return reply
        return self._remember(
            Reply(
                [self.voice.say("not_understood"), self.voice.say("examples")],
                self.voice.say("welcome", "reprompt"),
            )
        )

    def _offer_again(self) -> Reply:
        if self.state.misses >= CHOICES_AFTER:
            return self._decline_card()
        return Reply([self.voice.say("card_offer_reprompt")], self.voice.say("card_offer_reprompt"))

    def _safest_answer(self) -> Reply:
        """Three misses at a question: the answer for the facts known so far, with what was
        asked, and any warning signs not yet ruled out, taken as not known; then the end."""
        cautious: dict[str, FactValue] = {}
        for question_id in (str(self.state.asking), "warning_signs"):
            question = self.questions.get(question_id)
            if question is not None and question.unknown is not None:
                cautious[question_id] = question.unknown
        facts = merge_facts(cautious, self.state.facts, self.knowledge)
        assessment = self._assess(facts)
        return self._answer(assessment, offer=False, lead=(self.voice.say("safest_lead"),))

    # --- what is being asked ----------------------------------------------------------------

    def _current_question(self) -> Question | None:
        if self.state.stage == ASKING and self.state.asking in self.questions:
            return self.questions[self.state.asking]
        return None

    def _question_text(self, kind: str) -> str:
        return self.voice.triage.text("questions", str(self.state.asking), kind)

    def _choices(self) -> str:
        """The choices at the current question, in plain words."""
        choices = self.voice.texts.get("choices", {})
        return self.voice.say(
            "choices", str(self.state.asking) if self.state.asking in choices else "yes_no"
        )

    def _current_prompt(self, *, rephrase: bool = False) -> list[str]:
        if self.state.stage == ASKING and self.state.asking:
            return [self._question_text("reprompt" if rephrase else "say")]
        if self.state.stage == OFFERING:
            return [self.voice.say("card_offer_reprompt")]
        return [self.voice.say("welcome", "reprompt")]

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


def emergency_speech(advice: tuple[str, ...], voice: Voice) -> list[str]:
    """The emergency answer: the number first, one line on what to do while waiting (the first
    advice spoken), what is always spoken (after a disclosure of assault: where to go, the time
    windows, the support line), and the disclaimer. Nothing is asked."""
    triage = voice.triage
    items = voice.knowledge.advice
    spoken = [a for a in advice if a in items and items[a].spoken]
    always = [a for a in spoken if items[a].always_spoken]
    chosen = [a for a in spoken if a in spoken[:1] or a in always]
    return _unique(
        [
            triage.text("levels", "emergency", "say"),
            *(triage.text("advice", a, "say") for a in chosen),
            triage.text("disclaimer"),
        ]
    )


def answer_speech(
    level: Level,
    advice: tuple[str, ...],
    safety_net: tuple[str, ...],
    voice: Voice,
    *,
    budget: int = ANSWER_WORD_BUDGET,
    friendly: bool = True,
) -> list[str]:
    """The spoken answer, built from `say` texts only, within `budget` words.

    The level's sentence first, then the advice that is always spoken (after non-consent: where
    to go, the time windows, the support line); every non-emergency answer says when to call the
    emergency number (clinical brief 2.4), and a self-care answer when to get checked after all
    (the brief's product decision). The most pressing other advice, more of the safety net and a
    friendly opening follow only as time allows; the disclaimer comes last.
    """
    if level is Level.EMERGENCY:
        return emergency_speech(advice, voice)
    triage = voice.triage
    knowledge = voice.knowledge
    items = knowledge.advice
    said = _unique(
        triage.text("advice", a, "say") for a in advice if a in items and items[a].spoken
    )
    always = {
        triage.text("advice", a, "say") for a in advice if a in items and items[a].always_spoken
    }
    level_say = triage.text("levels", level.id, "say")
    escalates = {i.id for i in knowledge.safety_net if i.escalates_to is Level.EMERGENCY}
    must_net = [s for s in safety_net if s in escalates]
    if level is Level.SELF_CARE:
        must_net = [*safety_net[-1:], *must_net]
    closing = [triage.text("disclaimer")]
    chosen = [s for s in said if s in always]
    nets = [triage.text("safety_net", s, "say") for s in dict.fromkeys(must_net)]

    def fits(*extra: str) -> bool:
        return _words([level_say, *chosen, *nets, *extra, *closing]) <= budget

    # What must be said is said; the most pressing other advice, then more of the safety net,
    # only as time allows.
    for sentence in [s for s in said[:SPOKEN_ADVICE] if s not in chosen]:
        if fits(sentence):
            chosen.append(sentence)
    for item in safety_net:
        sentence = triage.text("safety_net", item, "say")
        if sentence not in nets and fits(sentence):
            nets.append(sentence)
    chosen.sort(key=said.index)  # in the order of the advice, most pressing first
    intro = voice.say("answer_intro", level.id) if friendly else ""
    lead = [intro, level_say] if intro and fits(intro) else [level_say]
    return [*lead, *chosen, *nets, *closing]


def _unique(sentences: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(sentences))


def _words(sentences: list[str]) -> int:
    return sum(len(sentence.split()) for sentence in sentences)
