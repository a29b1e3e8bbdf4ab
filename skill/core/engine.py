"""assess() and next_question(): the triage decisions, driven entirely by the loaded knowledge."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from skill.core.conditions import evaluate
from skill.core.loader import load_knowledge
from skill.core.model import (
    Assessment,
    CauseMatch,
    FactError,
    FactSpec,
    FactValue,
    Knowledge,
    Level,
    Question,
    Rule,
    Source,
    Truth,
)


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
            raise FactError(f"fact '{spec.name}' must be a whole number, not {value!r}")
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
    """Combine facts from two turns; a contradiction keeps the more cautious value."""
    knowledge = knowledge or default_knowledge()
    merged = dict(earlier)
    for name, value in validate_facts(later, knowledge).items():
        spec = knowledge.facts[name]
        merged[name] = value if name not in merged else more_cautious(spec, merged[name], value)
    return merged


def derive(
    facts: Mapping[str, FactValue], knowledge: Knowledge
) -> tuple[dict[str, FactValue], set[str]]:
    """Apply the implications until nothing changes.

    Returns the facts as the rules read them, and the names of facts that implications settled
    (answered for the purposes of next_question).
    """
    working = dict(facts)
    settled: set[str] = set()
    for _ in range(len(knowledge.implications) + 1):
        changed = False
        for implication in knowledge.implications:
            if evaluate(implication.when, working) is not Truth.TRUE:
                continue
            for name, value in implication.fill.items():
                if name not in working:
                    working[name] = value
                    changed = True
                if implication.settles:
                    settled.add(name)
            for name, value in implication.raise_to.items():
                spec = knowledge.facts[name]
                new = value if name not in working else more_cautious(spec, working[name], value)
                if working.get(name) != new or name not in working:
                    working[name] = new
                    changed = True
                if implication.settles:
                    settled.add(name)
        if not changed:
            break
    return working, settled


def _fired_rules(
    facts: Mapping[str, FactValue], knowledge: Knowledge, locale: str | None
) -> tuple[Level, list[Rule]]:
    fired: list[Rule] = []
    uncertain: list[Rule] = []  # serious rules whose test is uncertain ("unknown")
    benign: list[Rule] = []
    default_rule = next((rule for rule in knowledge.rules if rule.kind == "default"), None)
    uncertain_rule = next((rule for rule in knowledge.rules if rule.kind == "uncertain"), None)
    for rule in knowledge.rules:
        if rule.when is not None:
            truth = evaluate(rule.when, facts)
            if rule.kind == "benign":
                if truth is Truth.TRUE:
                    benign.append(rule)
            elif truth is Truth.TRUE:
                fired.append(rule)
            elif truth is Truth.MAYBE:
                # An uncertain concern is never read as absent. A minor one counts as present;
                # a serious one (urgent or emergency) fires the uncertain-red-flag rule (U6), so
                # the advice says what could not be ruled out rather than assuming it.
                if uncertain_rule is not None and rule.level >= uncertain_rule.level:
                    uncertain.append(rule)
                else:
                    fired.append(rule)
    if uncertain_rule is not None and any(
        rule.level is Level.EMERGENCY or not _covered_by(rule, fired) for rule in uncertain
    ):
        fired.append(uncertain_rule)
    if not fired:
        if benign:
            policy = knowledge.policies.get(locale or "")
            floor = max(benign[0].level, policy.benign_level if policy else Level.SELF_CARE)
            return floor, benign if floor is Level.SELF_CARE else [*benign, *_as_list(default_rule)]
        fired = _as_list(default_rule)
    level = max(rule.level for rule in fired)
    fired.sort(key=lambda rule: -rule.level)
    return level, fired


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
    effective, _ = derive(validate_facts(facts, knowledge), knowledge)
    level, fired = _fired_rules(effective, knowledge, locale)
    if level is Level.EMERGENCY:
        # Emergency first: the answer leads with what to do now, nothing else.
        fired = [rule for rule in fired if rule.level is Level.EMERGENCY or rule.keep_in_emergency]
    causes = _rank_causes(effective, fired, knowledge)
    advice = _ordered(
        (advice_id for rule in fired for advice_id in rule.advice), list(knowledge.advice)
    )
    safety_net = tuple(
        item.id
        for item in knowledge.safety_net
        if level < item.escalates_to
        and (item.when is None or evaluate(item.when, effective) is Truth.TRUE)
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
    )


def _ordered(ids: Iterable[str], canonical: list[str]) -> tuple[str, ...]:
    wanted = set(ids)
    return tuple(item for item in canonical if item in wanted)


def _unique_sources(ids: Iterable[str], knowledge: Knowledge) -> tuple[Source, ...]:
    return tuple(knowledge.sources[source_id] for source_id in dict.fromkeys(ids))


def _rank_causes(
    facts: Mapping[str, FactValue], fired: list[Rule], knowledge: Knowledge
) -> tuple[CauseMatch, ...]:
    named = {cause_id for rule in fired for cause_id in rule.causes}
    scored = []
    for position, cause in enumerate(knowledge.causes.values()):
        if cause.unless is not None and evaluate(cause.unless, facts) is Truth.TRUE:
            continue
        why = tuple(p.id for p in cause.points_to if evaluate(p.when, facts) is Truth.TRUE)
        if not why and cause.id not in named:
            continue
        score = len(why) + (1 if cause.id in named else 0)
        scored.append((-score, position, CauseMatch(cause.id, why)))
    return tuple(match for _, _, match in sorted(scored, key=lambda item: item[:2]))


def _outcome(
    facts: Mapping[str, FactValue], knowledge: Knowledge, locale: str | None
) -> tuple[Level, frozenset[str]]:
    effective, _ = derive(facts, knowledge)
    level, fired = _fired_rules(effective, knowledge, locale)
    if level is Level.EMERGENCY:
        return level, frozenset()  # emergency first: nothing else is worth a question
    return level, frozenset(rule.id for rule in fired if rule.material)


@lru_cache(maxsize=8)
def _implied_by(knowledge: Knowledge) -> dict[str, frozenset[str]]:
    """For each fact, the facts that implications derive from it (e.g. the warning-signs answer
    fills in dizziness, amount, pain and fever)."""
    implied: dict[str, set[str]] = {}
    for implication in knowledge.implications:
        targets = set(implication.fill) | set(implication.raise_to)
        for leaf in implication.when.leaves():
            implied.setdefault(leaf.fact, set()).update(targets)
    return {fact: frozenset(targets) for fact, targets in implied.items()}


def open_questions(facts: Mapping[str, FactValue], knowledge: Knowledge) -> list[Question]:
    """Questions whose fact nobody has answered, neither the person nor an implication."""
    _effective, settled = derive(facts, knowledge)
    return [
        question
        for question in knowledge.questions
        if question.id not in facts and question.id not in settled
    ]


def next_question(
    facts: Mapping[str, Any], *, locale: str | None = None, knowledge: Knowledge | None = None
) -> str | None:
    """The next fact worth asking about, red flags first, or None when nothing could matter.

    A question is worth asking if, with every other open question given its most reassuring
    answer, two answers to it lead to a different level or a different material rule. Asking
    under the most reassuring assumption for the rest keeps questions that could still lower the
    level to self-care, and an answer never asked is never assumed: assess() reads it as absent.
    """
    knowledge = knowledge or default_knowledge()
    given = validate_facts(facts, knowledge)
    candidates = open_questions(given, knowledge)
    effective, _ = derive(given, knowledge)
    for question in candidates:
        if (
            question.ask_when is not None
            and evaluate(question.ask_when, effective) is not Truth.TRUE
        ):
            continue
        # The rest of the open questions take their most reassuring answer, except those this
        # question's own answer decides.
        decided = _implied_by(knowledge).get(question.id, frozenset())
        others = {
            other.id: knowledge.facts[other.id].harmless
            for other in candidates
            if other.id != question.id and other.id not in decided
        }
        spec = knowledge.facts[question.id]
        outcomes = {
            _outcome({**others, **given, question.id: answer}, knowledge, locale)
            for answer in spec.values
        }
        if len(outcomes) > 1:
            return question.id
    return None
