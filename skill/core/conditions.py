"""Parsing and three-valued evaluation of rule conditions (compiled once into small functions)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from skill.core.model import UNKNOWN, Condition, FactSpec, FactValue, Truth

Fail = Callable[[str], Exception]

# A compiled condition: the facts in, the truth out as an int (Truth.FALSE, MAYBE or TRUE's value),
# so the engine compares small ints instead of building Truth members on every test.
Test = Callable[[Mapping[str, FactValue]], int]

_FALSE, _MAYBE, _TRUE = int(Truth.FALSE), int(Truth.MAYBE), int(Truth.TRUE)
_TRUTHS = (Truth.FALSE, Truth.MAYBE, Truth.TRUE)
_ABSENT = object()  # stands for a fact nobody gave: no leaf's table holds it


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
    condition = parts[0] if len(parts) == 1 else Condition(op="all", children=tuple(parts))
    compiled(condition)  # once, at load: evaluation never walks the tree
    return condition


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
    return _TRUTHS[compiled(condition)(facts)]


def compiled(condition: Condition) -> Test:
    """The condition as a function, built once per Condition and kept on it.

    The same three-valued logic as the tree (an `all` is the least truth of its parts, any other
    combination the greatest), without walking the tree on every evaluation: a leaf is one dict
    lookup, and a combination stops as soon as its answer cannot change.
    """
    test: Test | None = condition.__dict__.get("_test")
    if test is None:
        test = _compile(condition)
        # Condition is frozen; the compiled form is derived from its fields, not one of them (so it
        # takes no part in equality, hashing or repr).
        object.__setattr__(condition, "_test", test)
    return test


def _compile(condition: Condition) -> Test:
    if condition.op == "leaf":
        return _compile_leaf(condition)
    tests = tuple(compiled(child) for child in condition.children)
    if not tests:
        # The tree form fails on an empty combination (min() of nothing): so does this one.
        def empty(facts: Mapping[str, FactValue]) -> int:
            raise ValueError(f"condition '{condition.op}' has no parts")

        return empty
    if len(tests) == 1:
        return tests[0]
    if condition.op == "all":

        def all_of(facts: Mapping[str, FactValue]) -> int:
            lowest = _TRUE
            for test in tests:
                truth = test(facts)
                if truth < lowest:
                    if truth == _FALSE:
                        return _FALSE
                    lowest = truth
            return lowest

        return all_of

    def any_of(facts: Mapping[str, FactValue]) -> int:
        highest = _FALSE
        for test in tests:
            truth = test(facts)
            if truth > highest:
                if truth == _TRUE:
                    return _TRUE
                highest = truth
        return highest

    return any_of


def _compile_leaf(leaf: Condition) -> Test:
    fact = leaf.fact
    minimum = leaf.minimum
    if minimum is not None:

        def at_least(facts: Mapping[str, FactValue]) -> int:
            value = facts.get(fact)  # a fact's value is never None: None is "not given"
            if value is None:
                return _FALSE
            return _TRUE if int(value) >= minimum else _FALSE

        return at_least
    # Listed values are TRUE; "unknown", when not listed, is MAYBE; anything else (or nothing) is
    # FALSE. A dict lookup matches values exactly as `value in leaf.values` does.
    table: dict[object, int] = {value: _TRUE for value in leaf.values}
    table.setdefault(UNKNOWN, _MAYBE)
    lookup = table.get

    def one_of(facts: Mapping[str, FactValue]) -> int:
        return lookup(facts.get(fact, _ABSENT), _FALSE)

    return one_of
