"""Turn the slots Alexa sends into triage facts, as skill/alexa/slots.yaml maps them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.core import FactError, FactValue, Knowledge, validate_facts
from skill.core.loader import display_path, read_yaml
from skill.core.model import FactSpec, KnowledgeError

SLOTS_FILE = Path(__file__).resolve().parent / "slots.yaml"
MATCH = "ER_SUCCESS_MATCH"


@dataclass(frozen=True)
class SlotSpec:
    name: str
    type: str
    fact: str | None = None  # the resolved id is this fact's value
    flags: bool = False  # the resolved id names a flag fact that becomes true
    number: str | None = None  # AMAZON.NUMBER digits become this fact


@dataclass
class SlotReading:
    """What a turn's slots said: facts, and the facts a person mentioned that we could not place."""

    facts: dict[str, FactValue] = field(default_factory=dict)
    unclear: list[str] = field(default_factory=list)  # fact names, or slot names for flag slots


@dataclass(frozen=True)
class SlotPlan:
    """skill/alexa/slots.yaml checked against the knowledge: which slot carries which fact, the
    ids each slot type must have, and which slot each enumerated question elicits."""

    specs: Mapping[str, SlotSpec]
    type_ids: Mapping[str, list[str]]  # slot type -> the ids the interaction models must have
    elicit: Mapping[str, str]  # question id -> the AnswerIntent slot Dialog.ElicitSlot asks for
    knowledge: Knowledge


def load_slot_plan(knowledge: Knowledge, path: Path = SLOTS_FILE) -> SlotPlan:
    """Read and check slots.yaml against the fact vocabulary."""
    file = display_path(path)
    data = read_yaml(path)
    if not isinstance(data, Mapping):
        raise KnowledgeError(file, "slots", "needs a mapping of slots and types")
    specs = _slot_specs(file, data, knowledge.facts)
    type_ids = {str(name): [str(i) for i in ids] for name, ids in (data.get("types") or {}).items()}
    return SlotPlan(specs, type_ids, _elicited(file, data, specs), knowledge)


def _slot_specs(
    file: str, data: Mapping[str, Any], facts: Mapping[str, FactSpec]
) -> dict[str, SlotSpec]:
    specs: dict[str, SlotSpec] = {}
    types = data.get("types") or {}
    slots = data.get("slots") or {}
    if not isinstance(types, Mapping):
        raise KnowledgeError(file, "types", "needs a mapping of slot types to ids")
    if not isinstance(slots, Mapping):
        raise KnowledgeError(file, "slots", "needs a mapping of slot names")
    for name, raw in slots.items():
        spec = _slot_spec(file, str(name), raw)
        target = spec.fact or spec.number
        if target is not None and target not in facts:
            raise KnowledgeError(file, f"slots.{name}", f"unknown fact '{target}'")
        if not spec.type.startswith("AMAZON.") and spec.type not in types:
            raise KnowledgeError(file, f"slots.{name}", f"type '{spec.type}' has no ids listed")
        specs[name] = spec
    for type_name, ids in types.items():
        if not isinstance(ids, list):
            raise KnowledgeError(file, f"types.{type_name}", "needs a list of ids")
        users = [s for s in specs.values() if s.type == type_name]
        for value_id in ids:
            for spec in users:
                if spec.flags and value_id not in facts:
                    raise KnowledgeError(file, f"types.{type_name}", f"'{value_id}' is not a fact")
                if spec.fact and _typed(str(value_id)) not in facts[spec.fact].values:
                    raise KnowledgeError(
                        file, f"types.{type_name}", f"'{value_id}' is not a value of '{spec.fact}'"
                    )
    return specs


def _elicited(file: str, data: Mapping[str, Any], specs: Mapping[str, SlotSpec]) -> dict[str, str]:
    """slots.yaml `elicit`: the enumerated questions' slots, not the yes-or-no ones."""
    raw = data.get("elicit") or {}
    if not isinstance(raw, Mapping):
        raise KnowledgeError(file, "elicit", "needs question ids mapped to slot names")
    for question, slot in raw.items():
        spec = specs.get(str(slot))
        if spec is None or spec.fact != question:
            message = f"'{slot}' is not the slot of that fact"
            raise KnowledgeError(file, f"elicit.{question}", message)
    return {str(question): str(slot) for question, slot in raw.items()}


# The shipped plan, as skill.alexa.data.default_data() holds it: views for tests and development
# tools. The skill hands each turn its own SlotPlan.
def slot_specs() -> Mapping[str, SlotSpec]:
    return _shipped().specs


def expected_type_ids() -> dict[str, list[str]]:
    return dict(_shipped().type_ids)


def elicited_slots() -> Mapping[str, str]:
    return _shipped().elicit


def _shipped() -> SlotPlan:
    from skill.alexa.data import default_data

    return default_data().slots


def _slot_spec(file: str, name: str, raw: Any) -> SlotSpec:
    entry = f"slots.{name}"
    if not isinstance(raw, Mapping):
        raise KnowledgeError(file, entry, "needs a mapping with a type")
    slot_type = raw.get("type")
    if not isinstance(slot_type, str) or not slot_type:
        raise KnowledgeError(file, entry, "needs a type")
    fields = {key: raw.get(key) for key in ("fact", "number")}
    for key, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise KnowledgeError(file, entry, f"'{key}' must name a fact")
    return SlotSpec(name, slot_type, fields["fact"], bool(raw.get("flags")), fields["number"])


def elicit_slot_directive(question_id: str | None, plan: SlotPlan) -> dict[str, Any] | None:
    """The Dialog.ElicitSlot directive (as JSON) to send with the question `question_id`, or None
    for a question answered yes or no. AnswerIntent's slots all go in updatedIntent, empty."""
    slot = plan.elicit.get(question_id or "")
    if slot is None:
        return None
    return {
        "type": "Dialog.ElicitSlot",
        "slotToElicit": slot,
        "updatedIntent": {
            "name": "AnswerIntent",
            "confirmationStatus": "NONE",
            "slots": {name: {"name": name, "confirmationStatus": "NONE"} for name in plan.specs},
        },
    }


def resolved_id(slot: Any) -> tuple[str | None, bool]:
    """(canonical id or None, whether something was said). Reads ask_sdk_model Slot objects.

    A match whose value or id is missing (null) is not a match: nothing is guessed, and the
    person, who did say something, is asked again."""
    value = getattr(slot, "value", None)
    said = bool(value and str(value).strip())
    resolutions = getattr(slot, "resolutions", None)
    authorities = getattr(resolutions, "resolutions_per_authority", None)
    for authority in authorities if isinstance(authorities, list) else ():
        status = getattr(getattr(authority, "status", None), "code", None)
        code = getattr(status, "value", status)
        values = getattr(authority, "values", None)
        if code != MATCH or not values:
            continue
        first = values[0] if isinstance(values, list) else None
        value_id = getattr(getattr(first, "value", None), "id", None)
        if value_id is not None:
            return str(value_id), True
        said = True  # Alexa matched what was said, but the match names no id
    return None, said


def read_slots(slots: Mapping[str, Any] | None, plan: SlotPlan | None = None) -> SlotReading:
    """Facts from one intent's slots, as `plan` maps them (the shipped plan if none is given).
    A value outside the catalogue is never guessed."""
    plan = plan or _shipped()
    reading = SlotReading()
    specs, knowledge = plan.specs, plan.knowledge
    for name, slot in (slots or {}).items():
        spec = specs.get(name)
        if spec is None:
            continue
        if spec.number is not None:
            _read_number(spec, getattr(slot, "value", None), reading, knowledge)
            continue
        value_id, said = resolved_id(slot)
        if value_id is None:
            if said:
                reading.unclear.append(spec.fact or name)
            continue
        candidate: dict[str, FactValue] = (
            {value_id: True} if spec.flags else {str(spec.fact): _typed(value_id)}
        )
        try:
            reading.facts.update(validate_facts(candidate, knowledge))
        except FactError:
            reading.unclear.append(spec.fact or name)
    return reading


def _typed(value_id: str) -> FactValue:
    return {"true": True, "false": False}.get(value_id, value_id)


def _read_number(spec: SlotSpec, raw: Any, reading: SlotReading, knowledge: Knowledge) -> None:
    if raw is None or not str(raw).strip():
        return
    text = str(raw).strip()
    try:
        # int() refuses more than 4,300 digits, and some isdigit() characters (superscripts).
        number = int(text) if text.isdigit() else None
    except ValueError:
        number = None
    if number is None:
        reading.unclear.append(str(spec.number))
        return
    try:
        reading.facts.update(validate_facts({str(spec.number): number}, knowledge))
    except FactError:
        reading.unclear.append(str(spec.number))
