"""assess() and next_question(): the triage decisions, driven entirely by the loaded knowledge."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from skill.core.conditions import Test, compiled
from skill.core.loader import load_knowledge
from skill.core.model import (
    UNKNOWN,
    Assessment,
    Cause,
    CauseMatch,
    FactError,
    FactSpec,
    FactValue,
    Knowledge,
    Level,
    Question,
    Rule,
    SafetyNetItem,
    Source,
    Truth,
)

_TRUE = int(Truth.TRUE)


@lru_cache(maxsize=1)
def default_knowledge() -> Knowledge:
    """The shipped knowledge, loaded and validated once per process."""
    return load_knowledge()


def validate_facts(facts: Any, knowledge: Knowledge | None = None) -> dict[str, FactValue]:
    """Check names and values against the vocabulary; raise FactError naming what is wrong."""
    knowledge = knowledge or default_knowledge()
    if not isinstance(facts, Mapping):
        raise FactError("facts must be a JSON object")
    clean: dict[str, FactValue] = {}
    for name, value in facts.items():
        spec = knowledge.facts.get(name)
        if spec is None:
            raise FactError(f"unknown fact '{name}'")
        clean[name] = _check_value(spec, value)
    return clean


def _check_value(spec: FactSpec, value: Any) -> FactValue:
    if spec.is_number:
        if type(value) is not int:
            raise FactError(f"fact '{spec.name}' must be a whole number, not {_show(value)}")
        low = spec.minimum if spec.minimum is not None else value
        high = spec.maximum if spec.maximum is not None else value
        if not low <= value <= high:
            raise FactError(f"fact '{spec.name}' must be between {low} and {high}, not {value}")
        return int(value)
    # bool is checked by identity so that 1 and 0 are not taken for true and false.
    if any(value is v or (type(value) is type(v) and value == v) for v in spec.values):
        return value  # type: ignore[no-any-return]
    allowed = ", ".join(_show(v) for v in spec.values)
    raise FactError(f"fact '{spec.name}' has no value {_show(value)} (expected one of {allowed})")


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else repr(value)


def more_cautious(spec: FactSpec, first: FactValue, second: FactValue) -> FactValue:
    """Of two answers to the same fact, the one that reads the situation as more serious."""
    return first if spec.rank(first) >= spec.rank(second) else second


def merge_facts(
    earlier: Mapping[str, FactValue],
    later: Mapping[str, FactValue],
    knowledge: Knowledge | None = None,
) -> dict[str, FactValue]:
    """Combine facts from two turns; a contradiction keeps the more cautious value.

    A trigger (an ordinary explanation, such as rough sex or the time in the cycle) is read both
    ways by the rules: as a harmless explanation (C1) and as a sign of injury (E6). Contradictory
    answers about one are "unknown": no explanation is assumed, and no sign is ruled out.
    """
    knowledge = knowledge or default_knowledge()
    merged = dict(earlier)
    for name, value in validate_facts(later, knowledge).items():
        spec = knowledge.facts[name]
        if name not in merged:
            merged[name] = value
        elif spec.kind == "trigger" and merged[name] != value and UNKNOWN in spec.values:
            merged[name] = UNKNOWN
        else:
            merged[name] = more_cautious(spec, merged[name], value)
    return merged


class _Plan:
    """One knowledge made ready to run: every condition compiled, every lookup done once.

    Built once per Knowledge (see _plan) and holding nothing but what that knowledge says, so two
    Knowledge objects never share a plan or a cached answer.
    """

    def __init__(self, knowledge: Knowledge) -> None:
        facts = knowledge.facts
        self.facts = facts
        self.implications = tuple(
            (
                compiled(implication.when),
                tuple(implication.fill.items()),
                tuple((name, value, facts[name]) for name, value in implication.raise_to.items()),
                implication.settles,
            )
            for implication in knowledge.implications
        )
        self.rounds = len(knowledge.implications) + 1
        self.rules = tuple(
            (rule, compiled(rule.when), rule.kind == "benign")
            for rule in knowledge.rules
            if rule.when is not None
        )
        self.default_rule = next((rule for rule in knowledge.rules if rule.kind == "default"), None)
        self.uncertain_rule = next(
            (rule for rule in knowledge.rules if rule.kind == "uncertain"), None
        )
        self.policies = knowledge.policies
        self.advice_order = tuple(knowledge.advice)
        self.causes: tuple[tuple[int, Cause, Test | None, tuple[tuple[str, Test], ...]], ...] = (
            tuple(
                (
                    position,
                    cause,
                    None if cause.unless is None else compiled(cause.unless),
                    tuple((pointer.id, compiled(pointer.when)) for pointer in cause.points_to),
                )
                for position, cause in enumerate(knowledge.causes.values())
            )
        )
        self.safety_net: tuple[tuple[SafetyNetItem, Test | None], ...] = tuple(
            (item, None if item.when is None else compiled(item.when))
            for item in knowledge.safety_net
        )
        self.questions: tuple[Question, ...] = knowledge.questions
        self.ask_when = {
            question.id: None if question.ask_when is None else compiled(question.ask_when)
            for question in knowledge.questions
        }
        self.early_when = {
            question.id: None if question.early_when is None else compiled(question.early_when)
            for question in knowledge.questions
        }
        self.position = {question.id: index for index, question in enumerate(knowledge.questions)}
        ids = [question.id for question in knowledge.questions]
        self.answers = {fact: facts[fact].values for fact in ids}
        self.harmless = {fact: facts[fact].harmless for fact in ids}
        self.decided = _implied_by(knowledge)
        self.knowledge = knowledge
        # assess() and next_question() answers, remembered per process and per knowledge: bounded
        # and thread-safe (lru_cache). next_question does not depend on the order of the facts, so
        # it is keyed on their set; assess on their sequence (its facts keep the order).
        self.assess = lru_cache(maxsize=1024)(self._assess)
        self.next_question = lru_cache(maxsize=1024)(self._next_question)

    def _assess(self, items: tuple[tuple[str, FactValue], ...], locale: str | None) -> Assessment:
        return _assess(dict(items), locale, self.knowledge, self)

    def derive(self, facts: Mapping[str, FactValue]) -> tuple[dict[str, FactValue], set[str]]:
        working = dict(facts)
        settled: set[str] = set()
        for _ in range(self.rounds):
            changed = False
            for test, fill, raise_to, settles in self.implications:
                if test(working) != _TRUE:
                    continue
                for name, value in fill:
                    if name not in working:
                        working[name] = value
                        changed = True
                    # Settled only if this implication's value is the one that stands: a fact
                    # another implication left open (e.g. menopause from age) stays open.
                    if settles and working[name] == value:
                        settled.add(name)
                for name, value, spec in raise_to:
                    known = name in working
                    new = more_cautious(spec, working[name], value) if known else value
                    if not known or working[name] != new:
                        working[name] = new
                        changed = True
                    if settles:
                        settled.add(name)
            if not changed:
                break
        return working, settled

    def fired_rules(
        self, facts: Mapping[str, FactValue], locale: str | None
    ) -> tuple[Level, list[Rule]]:
        level, fired, _unsure = self.fired_rules_unsure(facts, locale)
        return level, fired

    def fired_rules_unsure(
        self, facts: Mapping[str, FactValue], locale: str | None
    ) -> tuple[Level, list[Rule], frozenset[str]]:
        """The level and the fired rules, and the ids of those that fired only because a fact is
        "unknown" (their advice must not assume what the person never said)."""
        fired: list[Rule] = []
        uncertain: list[Rule] = []  # serious rules whose test is uncertain ("unknown")
        benign: list[Rule] = []
        unsure: set[str] = set()
        uncertain_rule = self.uncertain_rule
        for rule, test, is_benign in self.rules:
            truth = test(facts)
            if is_benign:
                if truth == _TRUE:
                    benign.append(rule)
            elif truth == _TRUE:
                fired.append(rule)
            elif truth:  # MAYBE
                # An uncertain concern is never read as absent. A minor one counts as present;
                # a serious one (urgent or emergency) fires the uncertain-red-flag rule (U6), so
                # the advice says what could not be ruled out rather than assuming it.
                if uncertain_rule is not None and rule.level >= uncertain_rule.level:
                    uncertain.append(rule)
                else:
                    fired.append(rule)
                    unsure.add(rule.id)
        if uncertain_rule is not None and any(
            rule.level is Level.EMERGENCY or not _covered_by(rule, fired) for rule in uncertain
        ):
            fired.append(uncertain_rule)
        if not fired:
            if benign:
                policy = self.policies.get(locale or "")
                floor = max(benign[0].level, policy.benign_level if policy else Level.SELF_CARE)
                if floor is Level.SELF_CARE:
                    return floor, benign, frozenset()
                return floor, [*benign, *_as_list(self.default_rule)], frozenset()
            fired = _as_list(self.default_rule)
        level = max(rule.level for rule in fired)
        fired.sort(key=lambda rule: -rule.level)
        return level, fired, frozenset(unsure)

    def outcome(
        self, facts: Mapping[str, FactValue], locale: str | None
    ) -> tuple[Level, frozenset[str]]:
        """The level and the material rules these facts lead to (emergency: no rule is material)."""
        effective, _ = self.derive(facts)
        level, fired = self.fired_rules(effective, locale)
        if level is Level.EMERGENCY:
            return level, frozenset()  # emergency first: nothing else is worth a question
        return level, frozenset(rule.id for rule in fired if rule.material)

    def open_questions(self, facts: Mapping[str, FactValue], settled: set[str]) -> list[Question]:
        return [
            question
            for question in self.questions
            if question.id not in facts and question.id not in settled
        ]

    def early_questions(
        self, candidates: list[Question], effective: Mapping[str, FactValue]
    ) -> frozenset[str]:
        """The open questions whose `early` condition holds for these facts."""
        return frozenset(
            question.id
            for question in candidates
            if (test := self.early_when[question.id]) is not None and test(effective) == _TRUE
        )

    def in_asking_order(self, candidates: list[Question], early: frozenset[str]) -> list[Question]:
        """The candidates in the order questions.yaml gives, each early one moved to just before
        the question it names (Python's sort is stable: the rest keep their order)."""
        if not early:
            return candidates
        position = self.position

        def key(question: Question) -> float:
            if question.id in early and question.early_before is not None:
                return position[question.early_before] - 0.5
            return position[question.id]

        return sorted(candidates, key=key)

    def _next_question(
        self, items: frozenset[tuple[str, FactValue]], locale: str | None
    ) -> str | None:
        given = dict(items)
        effective, settled = self.derive(given)  # once: open questions and ask_when share it
        candidates = self.open_questions(given, settled)
        memo: dict[frozenset[tuple[str, FactValue]], tuple[Level, frozenset[str]]] = {}

        def outcome(facts: dict[str, FactValue]) -> tuple[Level, frozenset[str]]:
            key = frozenset(facts.items())
            found = memo.get(key)
            if found is None:
                found = memo[key] = self.outcome(facts, locale)
            return found

        harmless = self.harmless
        # The open questions that would be asked now: only these take assumed answers below.
        askable = [
            question
            for question in candidates
            if (test := self.ask_when[question.id]) is None or test(effective) == _TRUE
        ]
        emergency = self.fired_rules(effective, locale)[0] is Level.EMERGENCY
        if emergency:
            # An emergency that holds even with every open question given its most reassuring
            # answer rests on nothing still open: no answer can lower it, and at emergency no rule
            # is material, so nothing is worth asking. (An emergency that rests on a red flag
            # nobody has answered yet, say pain filled in as "unknown", fails this test and is
            # asked about below.)
            optimistic = {**{q.id: harmless[q.id] for q in askable}, **given}
            if outcome(optimistic)[0] is Level.EMERGENCY:
                return None
        early = self.early_questions(candidates, effective)
        for question in self.in_asking_order(askable, early):
            if question.id in early and not emergency:
                return question.id  # asked early, its answer shapes the rest (see questions.yaml)
            # The rest of the open questions take their most reassuring answer, except those this
            # question's own answer decides and those that would not be asked now (their
            # `ask_when` does not hold: a pain site is no answer while it is not known whether
            # there is pain at all).
            decided = self.decided.get(question.id, frozenset())
            others = {
                other.id: harmless[other.id]
                for other in askable
                if other.id != question.id and other.id not in decided
            }
            first: tuple[Level, frozenset[str]] | None = None
            for answer in self.answers[question.id]:
                found = outcome({**others, **given, question.id: answer})
                if first is None:
                    first = found
                elif found != first:
                    return question.id  # two answers lead apart: worth asking
        return None


@lru_cache(maxsize=8)
def _plan(knowledge: Knowledge) -> _Plan:
    """The knowledge's plan, built on first use (Knowledge hashes by identity)."""
    return _Plan(knowledge)


def _covered_by(rule: Rule, fired: list[Rule]) -> bool:
    """True if a rule that holds for certain already sets at least this rule's level."""
    return any(other.level >= rule.level for other in fired)


def _as_list(rule: Rule | None) -> list[Rule]:
    return [rule] if rule is not None else []


def assess(
    facts: Mapping[str, Any], *, locale: str | None = None, knowledge: Knowledge | None = None
) -> Assessment:
    """The level, likely causes, advice, safety net and sources for these facts.

    `locale` only selects the locale's clinical policy (for example a stricter answer where the
    health service advises a check for every episode); the result is ids, never words.
    """
    knowledge = knowledge or default_knowledge()
    given = validate_facts(facts, knowledge)
    # Remembered per process under the facts in their order (Assessment.facts keeps it) and the
    # locale; each caller gets its own copy of the facts dict, the rest is immutable.
    found = _plan(knowledge).assess(tuple(given.items()), locale)
    return dataclasses.replace(found, facts=dict(found.facts))


def _assess(
    given: Mapping[str, FactValue], locale: str | None, knowledge: Knowledge, plan: _Plan
) -> Assessment:
    effective, _ = plan.derive(given)
    level, fired, unsure = plan.fired_rules_unsure(effective, locale)
    if level is Level.EMERGENCY:
        # Emergency first: the answer leads with what to do now, nothing else.
        fired = [rule for rule in fired if rule.level is Level.EMERGENCY or rule.keep_in_emergency]
    causes = _rank_causes(effective, fired, plan)
    advice = _ordered(
        (advice_id for rule in fired for advice_id in _rule_advice(rule, unsure)),
        plan.advice_order,
    )
    safety_net = tuple(
        item.id
        for item, when in plan.safety_net
        if level < item.escalates_to and (when is None or when(effective) == _TRUE)
    )
    source_ids = [s for rule in fired for s in rule.sources]
    source_ids += [s for advice_id in advice for s in knowledge.advice[advice_id].sources]
    source_ids += [
        s for item in knowledge.safety_net if item.id in safety_net for s in item.sources
    ]
    source_ids += [s for cause in causes for s in knowledge.causes[cause.id].sources]
    return Assessment(
        level=level,
        rules=tuple(rule.id for rule in fired),
        causes=causes,
        advice=advice,
        safety_net=safety_net,
        sources=_unique_sources(source_ids, knowledge),
        facts=effective,
        further_reading=further_reading(
            [rule for rule in fired if rule.id not in unsure],
            advice,
            knowledge,
            _region(plan, locale),
        ),
    )


FURTHER_READING = 3


def further_reading(
    fired: Iterable[Rule], advice: Iterable[str], knowledge: Knowledge, region: str | None
) -> tuple[Source, ...]:
    """At most three canonical pages a person may read about this answer, most relevant first:
    the `show` sources of the fired rules (most serious first; a rule that fired only on an
    "unknown" is represented by the advice it gave instead), then of the advice given.
    Helplines are left out (the front end names its own locale's services), and so is a page about
    another market's services (a page with a region is shown only in that region)."""
    ids = [s for rule in fired for s in rule.show]
    ids += [s for advice_id in advice for s in knowledge.advice[advice_id].show]
    found = []
    for source_id in dict.fromkeys(ids):
        source = knowledge.sources[source_id]
        if not (source.canonical and source.url.startswith("https://")):
            continue  # the loader refuses such a `show`; never shown all the same
        if source.kind == "helpline" or source.region not in (None, region):
            continue
        found.append(source)
    return tuple(found[:FURTHER_READING])


def _region(plan: _Plan, locale: str | None) -> str | None:
    policy = plan.policies.get(locale or "")
    return policy.region if policy is not None else None


def _rule_advice(rule: Rule, unsure: frozenset[str]) -> tuple[str, ...]:
    """A rule's advice; the words for not knowing when it fired only on an "unknown"."""
    if rule.id in unsure and rule.advice_if_unsure is not None:
        return rule.advice_if_unsure
    return rule.advice


def _ordered(ids: Iterable[str], canonical: Iterable[str]) -> tuple[str, ...]:
    wanted = set(ids)
    return tuple(item for item in canonical if item in wanted)


def _unique_sources(ids: Iterable[str], knowledge: Knowledge) -> tuple[Source, ...]:
    return tuple(knowledge.sources[source_id] for source_id in dict.fromkeys(ids))


def _rank_causes(
    facts: Mapping[str, FactValue], fired: list[Rule], plan: _Plan
) -> tuple[CauseMatch, ...]:
    named = {cause_id for rule in fired for cause_id in rule.causes}
    scored = []
    for position, cause, unless, points_to in plan.causes:
        if unless is not None and unless(facts) == _TRUE:
            continue
        why = tuple([sign for sign, when in points_to if when(facts) == _TRUE])
        if not why and cause.id not in named:
            continue
        score = len(why) + (1 if cause.id in named else 0)
        scored.append((-score, position, CauseMatch(cause.id, why)))
    return tuple(match for _, _, match in sorted(scored, key=lambda item: item[:2]))


def _implied_by(knowledge: Knowledge) -> dict[str, frozenset[str]]:
    """For each fact, the facts that implications derive from it (e.g. the warning-signs answer
    fills in dizziness, amount, pain and fever). Computed once per plan."""
    implied: dict[str, set[str]] = {}
    for implication in knowledge.implications:
        targets = set(implication.fill) | set(implication.raise_to)
        for leaf in implication.when.leaves():
            implied.setdefault(leaf.fact, set()).update(targets)
    return {fact: frozenset(targets) for fact, targets in implied.items()}


def next_question(
    facts: Mapping[str, Any], *, locale: str | None = None, knowledge: Knowledge | None = None
) -> str | None:
    """The next fact worth asking about, red flags first, or None when nothing could matter.

    A question is worth asking if, with every other open question given its most reassuring
    answer, two answers to it lead to a different level or a different material rule. Asking
    under the most reassuring assumption for the rest keeps questions that could still lower the
    level to self-care, and an answer never asked is never assumed: assess() reads it as absent.

    The same decision, computed fast (see _Plan._next_question): the facts are derived once, each
    distinct set of facts is judged once, an emergency that no open question could lower returns
    at once, and answers are remembered per knowledge.
    """
    knowledge = knowledge or default_knowledge()
    given = validate_facts(facts, knowledge)
    # The answer depends on the facts as a set, not their order: remembered under that key.
    return _plan(knowledge).next_question(frozenset(given.items()), locale)


def clear_result_caches(knowledge: Knowledge | None = None) -> None:
    """Forget the remembered assess/next_question answers (exists for benchmarks and tests)."""
    plan = _plan(knowledge or default_knowledge())
    plan.assess.cache_clear()
    plan.next_question.cache_clear()
