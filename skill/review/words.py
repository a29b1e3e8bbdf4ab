"""Plain words for the triage core's facts, values, levels and rule conditions (words.yaml).

`Words.condition(rule.when)` gives a rule's condition as a clinician reads it, for example
"pregnant: yes, might be or not sure, and pain: severe" (values in the order of facts.yaml, from the
most reassuring). A fact or value without a label is an error naming words.yaml and the entry:
an id is never shown in place of words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.core import Knowledge, Level
from skill.core.loader import read_yaml
from skill.core.model import Condition, FactSpec, FactValue
from skill.review.paths import ReviewError

__all__ = ["WORDS_FILE", "Words", "load_words"]

WORDS_FILE = Path(__file__).resolve().parent / "words.yaml"


@dataclass(frozen=True)
class Words:
    levels: Mapping[str, str]
    facts: Mapping[str, Mapping[str, Any]]
    flags: Mapping[str, str]
    specs: Mapping[str, FactSpec]

    def level(self, level: Level | str) -> str:
        return self.levels[level.id if isinstance(level, Level) else level]

    def fact(self, name: str) -> str:
        return str(self.facts[name]["label"])

    def meaning(self, name: str) -> str:
        return str(self.facts[name]["meaning"])

    def value(self, name: str, value: FactValue) -> str:
        spec = self.specs[name]
        if spec.is_number:
            return str(value)
        if spec.is_flag:
            return self.flags[str(value).lower()]
        return str(self.facts[name]["values"][value])

    def values(self, name: str) -> list[str]:
        """Every value of a fact in words, from the most reassuring."""
        return [self.value(name, v) for v in self.specs[name].values]

    def facts_in_words(self, facts: Mapping[str, FactValue]) -> list[str]:
        """Each fact as "label: value", in the order of facts.yaml."""
        return [f"{self.fact(n)}: {self.value(n, facts[n])}" for n in self.specs if n in facts]

    def condition(self, condition: Condition, nested: bool = False) -> str:
        if condition.op == "leaf":
            return self._leaf(condition)
        parts = [self.condition(child, nested=True) for child in condition.children]
        if len(parts) == 1:
            return parts[0]
        said = (", and " if condition.op == "all" else ", or ").join(parts)
        return f"({said})" if nested else said

    def _leaf(self, leaf: Condition) -> str:
        name = leaf.fact
        if leaf.minimum is not None:
            return f"{self.fact(name)}: {leaf.minimum} or more"
        ordered = [v for v in self.specs[name].values if v in leaf.values]
        said = [self.value(name, v) for v in ordered]
        listed = said[0] if len(said) == 1 else f"{', '.join(said[:-1])} or {said[-1]}"
        return f"{self.fact(name)}: {listed}"


def load_words(knowledge: Knowledge, path: Path = WORDS_FILE) -> Words:
    """Read words.yaml and check it names every level, fact and value of the knowledge."""
    data = read_yaml(path)
    where = path.name
    if not isinstance(data, Mapping):
        raise ReviewError(f"{where}: expected a mapping with levels, flags and facts")
    levels, flags, facts = (data.get(key) for key in ("levels", "flags", "facts"))
    if not isinstance(levels, Mapping) or not isinstance(flags, Mapping):
        raise ReviewError(f"{where}: needs 'levels' and 'flags' mappings")
    if not isinstance(facts, Mapping):
        raise ReviewError(f"{where}: needs a 'facts' mapping")
    for level in Level:
        _need_text(levels.get(level.id), f"{where}: levels.{level.id}")
    for flag in ("true", "false", "unknown"):
        _need_text(flags.get(flag), f"{where}: flags.{flag}")
    for name, spec in knowledge.facts.items():
        entry = facts.get(name)
        if not isinstance(entry, Mapping):
            raise ReviewError(f"{where}: facts.{name}: no label for this fact")
        _need_text(entry.get("label"), f"{where}: facts.{name}.label")
        _need_text(entry.get("meaning"), f"{where}: facts.{name}.meaning")
        if spec.is_number or spec.is_flag:
            continue
        values = entry.get("values")
        for value in spec.values:
            if not isinstance(values, Mapping):
                raise ReviewError(f"{where}: facts.{name}.values: needs a label for each value")
            _need_text(values.get(value), f"{where}: facts.{name}.values.{value}")
    unknown = sorted(set(facts) - set(knowledge.facts))
    if unknown:
        raise ReviewError(f"{where}: facts.{unknown[0]}: no such fact in facts.yaml")
    return Words(
        levels={str(k): str(v) for k, v in levels.items()},
        facts=facts,
        flags={str(k).lower(): str(v) for k, v in flags.items()},
        specs=knowledge.facts,
    )


def _need_text(value: Any, where: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ReviewError(f"{where}: needs a text")
