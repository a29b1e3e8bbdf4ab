"""Helpers to read and break interaction-model dicts in the simulator's tests."""

from __future__ import annotations

from typing import Any


def language(model: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = model["interactionModel"]["languageModel"]
    return found


def intent_of(model: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in language(model)["intents"] if i["name"] == name)
    return found


def type_of(model: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in language(model)["types"] if t["name"] == name)
    return found
