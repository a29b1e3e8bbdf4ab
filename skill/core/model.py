"""Typed, immutable pieces of the triage knowledge and its results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum

FactValue = str | bool | int
Facts = Mapping[str, FactValue]

UNKNOWN = "unknown"


class Level(IntEnum):
    """Triage levels, ordered so that a larger value is more serious."""

    SELF_CARE = 0
    SOON = 1
    URGENT = 2
    EMERGENCY = 3

    @property
    def id(self) -> str:
        return self.name.lower()

    @classmethod
    def from_id(cls, level_id: str) -> Level:
        return cls[level_id.upper()]


class TriageError(Exception):
    """Base class of the core's errors."""


class KnowledgeError(TriageError):
    """A knowledge or content file is broken; the message names the file and the entry."""

    def __init__(self, file: str, entry: str, message: str) -> None:
        super().__init__(f"{file}: {entry}: {message}")
        self.file = file
        self.entry = entry


class FactError(TriageError):
    """Facts given to the core use an unknown name or value."""


@dataclass(frozen=True)
class FactSpec:
    """One fact of the vocabulary. `order` runs from most reassuring to least."""

    name: str
    kind: str
    order: tuple[FactValue, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    @property
    def is_number(self) -> bool:
        return self.kind == "number"

    @property
    def is_flag(self) -> bool:
        return bool(self.order) and all(isinstance(v, bool) for v in self.order if v != UNKNOWN)

    @property
    def values(self) -> tuple[FactValue, ...]:
        return self.order

    @property
    def harmless(self) -> FactValue:
        return self.order[0] if self.order else 0

    def rank(self, value: FactValue) -> int:
        if self.is_number:
            return int(value)
        return self.order.index(value)


class Truth(IntEnum):
    """Three-valued logic: an "unknown" fact makes a test uncertain, never false."""

    FALSE = 0
    MAYBE = 1
    TRUE = 2


@dataclass(frozen=True)
class Condition:
    """A test on facts: a leaf (`fact` in `values`, or `fact` >= `minimum`) or a combination."""

    op: str  # "leaf", "all", "any"
    fact: str = ""
    values: frozenset[FactValue] = frozenset()
    minimum: int | None = None
    children: tuple[Condition, ...] = ()

    def leaves(self) -> tuple[Condition, ...]:
        if self.op == "leaf":
            return (self,)
        return tuple(leaf for child in self.children for leaf in child.leaves())


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    when: Condition | None  # None for the default rule and the uncertain-red-flag rule
    kind: str  # "concern", "benign", "default", "uncertain"
    causes: tuple[str, ...]
    advice: tuple[str, ...]
    sources: tuple[str, ...]
    material: bool = False
    # Kept in an emergency answer (which otherwise keeps only emergency rules), e.g. non-consent.
    keep_in_emergency: bool = False
    # Rules at least as serious that catch the worse values this rule leaves out.
    covered_by: tuple[str, ...] = ()
    # Which of its sources a person may be shown (canonical, https: checked at load).
    show: tuple[str, ...] = ()
    # Advice given instead of `advice` when the rule fires only because a fact is "unknown"
    # (a minor rule fires as if present): words that do not assume what the person never said.
    advice_if_unsure: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Implication:
    id: str
    when: Condition
    fill: Mapping[str, FactValue]
    raise_to: Mapping[str, FactValue]
    settles: bool
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Pointer:
    id: str
    when: Condition


@dataclass(frozen=True)
class Cause:
    id: str
    points_to: tuple[Pointer, ...]
    unless: Condition | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class AdviceItem:
    id: str
    sources: tuple[str, ...]
    spoken: bool = True  # False: written on the card only (the spoken answer says it already)
    always_spoken: bool = False  # never left out of a spoken answer for lack of time
    show: tuple[str, ...] = ()  # which of its sources a person may be shown
    on_card: bool = True  # False: the card says it already (its level line names the services)


@dataclass(frozen=True)
class SafetyNetItem:
    id: str
    escalates_to: Level
    when: Condition | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str  # the fact it asks about
    yes: FactValue | None
    no: FactValue | None
    unknown: FactValue | None
    ask_when: Condition | None
    # When `early_when` holds, the question is asked just before the question `early_before`, and
    # even if no answer would change the outcome (its answer decides how the rest is asked).
    early_before: str | None = None
    early_when: Condition | None = None


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str
    # The publisher's own current page, over https: the only kind a person is ever shown. Mirrors,
    # copies, snapshots, forums and news items are kept as provenance (canonical: False).
    canonical: bool = False
    kind: str = "reference"  # "reference" or "helpline" (a support or advice service)
    # The one market a page is about (e.g. "GB" for a finder of England's services), or None for a
    # page that holds wherever the person is. Only shown to a person in that market.
    region: str | None = None


@dataclass(frozen=True)
class LocalePolicy:
    """Per-locale clinical settings, from the locale's data (never a code branch)."""

    benign_level: Level = Level.SELF_CARE
    region: str | None = None  # the market (e.g. "US", "GB"): which regional pages it may show


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per process
class Knowledge:
    facts: Mapping[str, FactSpec]
    implications: tuple[Implication, ...]
    rules: tuple[Rule, ...]
    causes: Mapping[str, Cause]
    advice: Mapping[str, AdviceItem]
    safety_net: tuple[SafetyNetItem, ...]
    questions: tuple[Question, ...]
    sources: Mapping[str, Source]
    policies: Mapping[str, LocalePolicy] = field(default_factory=dict)
    questions_by_id: Mapping[str, Question] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "questions_by_id", {q.id: q for q in self.questions})


@dataclass(frozen=True)
class CauseMatch:
    id: str
    why: tuple[str, ...]  # ids of the signs that point to it


@dataclass(frozen=True)
class Assessment:
    """The core's answer. Ids only: a front end renders them in its locale."""

    level: Level
    rules: tuple[str, ...]
    causes: tuple[CauseMatch, ...]
    advice: tuple[str, ...]
    safety_net: tuple[str, ...]
    sources: tuple[Source, ...]
    facts: Mapping[str, FactValue]  # the facts as the rules read them, after implications
    # Addition to the contract: at most three canonical pages a person may read about this answer,
    # most relevant first (the fired rules' and their advice's `show` sources; no helplines).
    further_reading: tuple[Source, ...] = ()
