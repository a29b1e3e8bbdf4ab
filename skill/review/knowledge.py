"""The triage knowledge as a clinician reads it: every rule in plain words with its level,
causes, advice, sources and the team's decision, then the questions, implications, advice items,
causes, safety net, sources and locale policies. All of it from the loaded knowledge (what runs),
the decisions from rules.yaml's `decision:` texts, the words of causes and advice in US English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skill.core import Knowledge, Level, LocaleContent
from skill.core.loader import KNOWLEDGE_DIR, read_yaml
from skill.core.model import Condition, Rule
from skill.review.words import Words

__all__ = ["decisions", "knowledge_data"]

UNCERTAIN_WORDS = (
    'a warning sign answered "not sure" could make an emergency rule hold (or an urgent rule, '
    "when no other rule already gives urgent)"
)
DEFAULT_WORDS = "no other rule applies"


def decisions(path: Any = None) -> dict[str, str]:
    """Each rule's `decision:` text from rules.yaml (the loader checks that it is text)."""
    data = read_yaml(path or KNOWLEDGE_DIR / "rules.yaml")
    return {
        str(raw["id"]): " ".join(str(raw["decision"]).split())
        for raw in data.get("rules", [])
        if isinstance(raw, Mapping) and raw.get("decision")
    }


def _when(rule: Rule, words: Words) -> str:
    if rule.kind == "default":
        return DEFAULT_WORDS
    if rule.kind == "uncertain":
        return UNCERTAIN_WORDS
    assert rule.when is not None
    said = words.condition(rule.when)
    return f"all known for certain: {said}" if rule.kind == "benign" else said


def _level_by_locale(rule: Rule, knowledge: Knowledge) -> dict[str, str]:
    """Locales whose policy answers this rule at another level (C1 is soon in en-GB)."""
    if rule.kind != "benign":
        return {}
    return {
        locale: policy.benign_level.id
        for locale, policy in sorted(knowledge.policies.items())
        if policy.benign_level is not rule.level
    }


def _condition(condition: Condition | None, words: Words) -> str | None:
    return words.condition(condition) if condition is not None else None


def knowledge_data(
    knowledge: Knowledge, words: Words, content: LocaleContent, decided: Mapping[str, str]
) -> dict[str, Any]:
    """Everything the rules and knowledge pages show, as plain data (it goes into pack.json)."""
    rules = [
        {
            "id": rule.id,
            "level": rule.level.id,
            "kind": rule.kind,
            "when": _when(rule, words),
            "level_by_locale": _level_by_locale(rule, knowledge),
            "causes": list(rule.causes),
            "advice": list(rule.advice),
            "advice_if_unsure": list(rule.advice_if_unsure or ()),
            "sources": list(rule.sources),
            "show": list(rule.show),
            "material": rule.material,
            "keep_in_emergency": rule.keep_in_emergency,
            "decision": decided.get(rule.id),
        }
        for rule in sorted(knowledge.rules, key=lambda r: -int(r.level))
    ]
    advice = {
        item.id: {
            "say": content.text("advice", item.id, "say"),
            "text": content.text("advice", item.id, "text"),
            "spoken": "always" if item.always_spoken else item.spoken,
            "on_card": item.on_card,
            "sources": list(item.sources),
            "show": list(item.show),
        }
        for item in knowledge.advice.values()
    }
    causes = {
        cause.id: {
            "name": content.text("causes", cause.id, "name"),
            "points_to": [
                {
                    "id": pointer.id,
                    "why": content.text("causes", cause.id, "why", pointer.id),
                    "when": words.condition(pointer.when),
                }
                for pointer in cause.points_to
            ],
            "unless": _condition(cause.unless, words),
            "sources": list(cause.sources),
        }
        for cause in knowledge.causes.values()
    }
    return {
        "levels": {level.id: words.level(level) for level in sorted(Level, reverse=True)},
        "rules": rules,
        "questions": [
            {
                "id": q.id,
                "fact": words.fact(q.id),
                "yes": words.value(q.id, q.yes) if q.yes is not None else None,
                "no": words.value(q.id, q.no) if q.no is not None else None,
                "unknown": words.value(q.id, q.unknown) if q.unknown is not None else None,
                "ask_when": _condition(q.ask_when, words),
                "early": (
                    {"before": q.early_before, "when": _condition(q.early_when, words)}
                    if q.early_before
                    else None
                ),
            }
            for q in knowledge.questions
        ],
        "implications": [
            {
                "id": imp.id,
                "when": words.condition(imp.when),
                "raise": words.facts_in_words(imp.raise_to),
                "fill": words.facts_in_words(imp.fill),
                "settles": imp.settles,
                "sources": list(imp.sources),
            }
            for imp in knowledge.implications
        ],
        "advice": advice,
        "causes": causes,
        "safety_net": [
            {
                "id": item.id,
                "escalates_to": item.escalates_to.id,
                "when": _condition(item.when, words),
                "say": content.text("safety_net", item.id, "say"),
                "text": content.text("safety_net", item.id, "text"),
                "sources": list(item.sources),
            }
            for item in knowledge.safety_net
        ],
        "facts": [
            {
                "id": name,
                "label": words.fact(name),
                "meaning": words.meaning(name),
                "values": words.values(name) if not spec.is_number else [],
            }
            for name, spec in knowledge.facts.items()
        ],
        "sources": {
            source.id: {
                "title": source.title,
                "url": source.url,
                "canonical": source.canonical,
                "kind": source.kind,
                "region": source.region,
            }
            for source in knowledge.sources.values()
        },
        "policies": {
            locale: {"benign_level": policy.benign_level.id, "region": policy.region}
            for locale, policy in sorted(knowledge.policies.items())
        },
    }
