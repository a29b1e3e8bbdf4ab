"""Parsing and three-valued evaluation of rule conditions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from skill.core.model import UNKNOWN, Condition, FactSpec, FactValue, Truth

Fail = Callable[[str], Exception]


def parse_condition(raw: Any, facts: Mapping[str, FactSpec], fail: Fail) -> Condition:
    """Build a Condition from its YAML form, raising `fail(message)` on anything unknown."""
    if not isinstance(raw, Mapping) or not raw:
        raise fail("a condition must be a non-empty mapping")
    parts: list[Condition] = []
    for key, value in raw.items():
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise fail(f"'{key}' needs a non-empty list of conditions")
            children = tuple(parse_condition(item, facts, fail) for item in value)
            parts.append(Condition(op=key, children=children))
        elif key in facts:
            parts.append(_parse_leaf(key, value, facts[key], fail))
        else:
            raise fail(f"unknown fact '{key}'")
    return parts[0] if len(parts) == 1 else Condition(op="all", children=tuple(parts))


def _parse_leaf(name: str, value: Any, spec: FactSpec, fail: Fail) -> Condition:
    if spec.is_number:
        if not (isinstance(value, Mapping) and set(value) == {"min"} and type(value["min"]) is int):
            raise fail(f"fact '{name}' is a number: test it with {{min: n}}")
        return Condition(op="leaf", fact=name, minimum=value["min"])
    if not isinstance(value, list) or not value:
        raise fail(f"fact '{name}' needs a non-empty list of values")
    for item in value:
        if item not in spec.values:
            raise fail(f"fact '{name}' has no value {item!r}")
    return Condition(op="leaf", fact=name, values=frozenset(value))


def evaluate(condition: Condition, facts: Mapping[str, FactValue]) -> Truth:
    """TRUE, FALSE or MAYBE. Absent facts are false; "unknown" is MAYBE unless listed."""
    if condition.op == "leaf":
        return _evaluate_leaf(condition, facts)
    results = [evaluate(child, facts) for child in condition.children]
    return min(results) if condition.op == "all" else max(results)


def _evaluate_leaf(leaf: Condition, facts: Mapping[str, FactValue]) -> Truth:
    if leaf.fact not in facts:
        return Truth.FALSE
    value = facts[leaf.fact]
    if leaf.minimum is not None:
        return Truth.TRUE if int(value) >= leaf.minimum else Truth.FALSE
    if value in leaf.values:
        return Truth.TRUE
    return Truth.MAYBE if value == UNKNOWN else Truth.FALSE
