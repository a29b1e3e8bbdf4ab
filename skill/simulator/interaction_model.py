"""An interaction model file (`interaction_model/<locale>.json`), read into small typed pieces."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.core.loader import PACKAGE_DIR, ROOT

__all__ = [
    "DEFAULT_MODEL_DIR",
    "ELICITING_INTENT",
    "Intent",
    "InteractionModel",
    "ModelError",
    "TypeValue",
    "default_model_dir",
    "load_model",
    "model_path",
    "parse_model",
    "read_json",
]


def default_model_dir() -> Path:
    """The folder of <locale>.json models: skill/interaction_model/ in an installed package (the
    wheel maps the repository's interaction_model/ there), else interaction_model/ in a checkout."""
    installed = PACKAGE_DIR / "interaction_model"
    return installed if installed.is_dir() else ROOT / "interaction_model"


DEFAULT_MODEL_DIR = default_model_dir()
ELICITING_INTENT = "AnswerIntent"  # the intent whose slots Dialog.ElicitSlot asks for


class ModelError(Exception):
    """A model file is missing or not shaped as the ASK CLI expects; the message names the file."""


@dataclass(frozen=True)
class TypeValue:
    id: str
    name: str
    synonyms: tuple[str, ...]

    @property
    def phrases(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms)


@dataclass(frozen=True)
class Intent:
    name: str
    slots: tuple[tuple[str, str], ...]  # (slot name, slot type), as declared
    samples: tuple[str, ...]
    slot_samples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # for ElicitSlot

    def slot_type(self, slot: str) -> str | None:
        return dict(self.slots).get(slot)


@dataclass(frozen=True)
class InteractionModel:
    locale: str
    path: Path
    invocation: str
    intents: tuple[Intent, ...]
    types: Mapping[str, tuple[TypeValue, ...]]
    raw: Mapping[str, Any]

    def intent(self, name: str) -> Intent | None:
        return next((intent for intent in self.intents if intent.name == name), None)

    @property
    def intent_names(self) -> list[str]:
        return [intent.name for intent in self.intents]


def model_path(locale: str, model_dir: Path | None = None) -> Path:
    return (model_dir or DEFAULT_MODEL_DIR) / f"{locale}.json"


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: no such model file") from None
    except json.JSONDecodeError as error:
        raise ModelError(f"{path}: not valid JSON (line {error.lineno}: {error.msg})") from None


def _list(node: Any) -> list[Mapping[str, Any]]:
    return [item for item in node if isinstance(item, Mapping)] if isinstance(node, list) else []


def _intent(raw: Mapping[str, Any]) -> Intent:
    slots = tuple(
        (str(slot.get("name")), str(slot.get("type")))
        for slot in _list(raw.get("slots"))
        if slot.get("name") and slot.get("type")
    )
    samples = tuple(s for s in raw.get("samples") or [] if isinstance(s, str))
    slot_samples = {
        str(slot["name"]): tuple(s for s in slot["samples"] if isinstance(s, str))
        for slot in _list(raw.get("slots"))
        if slot.get("name") and isinstance(slot.get("samples"), list)
    }
    return Intent(str(raw.get("name")), slots, samples, slot_samples)


def _type_values(raw: Mapping[str, Any]) -> tuple[TypeValue, ...]:
    values: list[TypeValue] = []
    for index, value in enumerate(_list(raw.get("values"))):
        name = value.get("name")
        if not isinstance(name, Mapping) or not isinstance(name.get("value"), str):
            continue
        synonyms = tuple(s for s in name.get("synonyms") or [] if isinstance(s, str))
        values.append(TypeValue(str(value.get("id") or index), name["value"], synonyms))
    return tuple(values)


def parse_model(raw: Any, locale: str, path: Path) -> InteractionModel:
    interaction = raw.get("interactionModel") if isinstance(raw, Mapping) else None
    language = interaction.get("languageModel") if isinstance(interaction, Mapping) else None
    if not isinstance(language, Mapping):
        raise ModelError(f"{path}: no interactionModel.languageModel")
    types = {
        str(raw_type.get("name")): _type_values(raw_type)
        for raw_type in _list(language.get("types"))
    }
    intents = tuple(_intent(raw_intent) for raw_intent in _list(language.get("intents")))
    invocation = str(language.get("invocationName") or "")
    return InteractionModel(locale, path, invocation, intents, types, raw)


def load_model(locale: str, model_dir: Path | None = None) -> InteractionModel:
    path = model_path(locale, model_dir)
    return parse_model(read_json(path), locale, path)
