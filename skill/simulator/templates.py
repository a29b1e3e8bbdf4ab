"""`python -m skill models`: the interaction models, built from sentence templates.

The templates live in `interaction_model/sentences/`: one folder per language (`en/`, `es/`) with
hassil YAML files (`intents`, `lists`, `expansion_rules`, plus this project's `slot_samples`) and a
`_language.yaml`; one folder per locale (`en-GB/`) with `_locale.yaml` (language and invocation
name) and, only where that market's words differ, more YAML in the same format, merged into the
language's (lists and sentences are added; an expansion rule named in both becomes the choice of
either). hassil parses and expands them (`(a|b)`, `[optional]`, `<rule>`; `{slot}` stays a slot).

An expansion that would hold a slot twice ("<fact> and <fact>") is left out: Alexa takes each
slot once per sample. An intent's templates can expand to far more samples than a model should
hold. Each template keeps
at most `cap` samples (its `metadata: {cap: N}`, else DEFAULT_CAP), chosen deterministically for
variety: first one sample for every way a slot is placed (its neighbouring words), then, greedily,
the sample that adds the most words and word pairs not yet kept. A template that expands to more
than MAX_EXPANSIONS is an error: split it.

Slot values: each list is named after a slot type of skill/alexa/slots.yaml; each value's `in` is
a template whose expansions become the value's name (the first) and synonyms, `out` is its id (the
contract value). The output is the JSON the ASK CLI deploys, written with sorted-free, stable
formatting so that the same templates always give the same bytes.
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import json
import re
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml
from hassil import Intents, sample_expression
from hassil.expression import Sentence
from hassil.intents import TextSlotList
from hassil.util import merge_dict, normalize_whitespace

from skill.simulator.interaction_model import DEFAULT_MODEL_DIR
from skill.simulator.language import LANGUAGE_FILE, LanguageError, language_for

__all__ = [
    "BUILTIN_INTENTS",
    "DEFAULT_CAP",
    "MAX_EXPANSIONS",
    "TemplateError",
    "build_model",
    "configure",
    "locales",
    "model_text",
    "most_varied",
    "run",
    "write_models",
]

LOCALE_FILE = "_locale.yaml"
_SLOT_RE = re.compile(r"\{([^{}]*)\}")
DEFAULT_CAP = 150
MAX_EXPANSIONS = 50_000
SLOTTED_INTENTS = ("ReportIntent", "AnswerIntent")
ELICITING_INTENT = "AnswerIntent"
BUILTIN_INTENTS = (
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.StartOverIntent",
    "AMAZON.HelpIntent",
    "AMAZON.CancelIntent",
    "AMAZON.StopIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.FallbackIntent",
)
_OWN_KEYS = ("slot_samples",)


class TemplateError(Exception):
    """A template file is missing, malformed or expands to too much; the message names it."""


def sentences_dir(model_dir: Path) -> Path:
    return model_dir / "sentences"


def locales(model_dir: Path | None = None) -> list[str]:
    """Every locale with a `_locale.yaml` under the sentences folder."""
    root = sentences_dir(model_dir or DEFAULT_MODEL_DIR)
    return sorted(p.parent.name for p in root.glob(f"*/{LOCALE_FILE}"))


# ----------------------------------------------------------------------------- reading


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise TemplateError(f"{path}: not valid YAML ({error})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: needs a mapping")
    return data


def _merge(base: dict[str, Any], new: dict[str, Any], path: Path) -> None:
    rules = new.get("expansion_rules") or {}
    if not isinstance(rules, dict):
        raise TemplateError(f"{path}: 'expansion_rules' needs a mapping")
    known = base.setdefault("expansion_rules", {})
    for name, body in rules.items():
        if name in known:
            known[name] = f"({known[name]}|{body})"
        else:
            known[name] = body
    rest = {k: v for k, v in new.items() if k not in ("expansion_rules", "language")}
    try:
        merge_dict(base, rest)
    except AssertionError as error:
        raise TemplateError(f"{path}: cannot be merged ({error})") from None


@dataclass
class Source:
    """Everything one locale's model is built from."""

    locale: str
    invocation: str
    intents: Intents
    slot_samples: dict[str, list[str]]
    files: list[Path] = field(default_factory=list)


def load_source(locale: str, model_dir: Path | None = None) -> Source:
    root = sentences_dir(model_dir or DEFAULT_MODEL_DIR)
    locale_file = root / locale / LOCALE_FILE
    if not locale_file.is_file():
        raise TemplateError(f"{locale_file}: no such locale file")
    settings = _read(locale_file)
    invocation = settings.get("invocation")
    if not isinstance(invocation, str) or not invocation:
        raise TemplateError(f"{locale_file}: needs 'invocation', the invocation name")
    try:
        language = language_for(locale, root)
    except LanguageError as error:
        raise TemplateError(str(error)) from None
    files = sorted(p for p in (root / language.code).glob("*.yaml") if p.name != LANGUAGE_FILE)
    files += sorted(p for p in (root / locale).glob("*.yaml") if p.name != LOCALE_FILE)
    merged: dict[str, Any] = {"language": language.code, "intents": {}, "lists": {}}
    for path in files:
        _merge(merged, _read(path), path)
    own = {key: merged.pop(key, {}) for key in _OWN_KEYS}
    try:
        intents = Intents.from_dict(merged)
    except Exception as error:  # hassil raises parse errors of several types
        raise TemplateError(f"{root / language.code}: {type(error).__name__}: {error}") from None
    samples = own["slot_samples"]
    if not isinstance(samples, dict) or not all(isinstance(v, list) for v in samples.values()):
        raise TemplateError(f"{root}: 'slot_samples' needs slot names mapped to templates")
    return Source(locale, invocation, intents, {str(k): list(v) for k, v in samples.items()}, files)


# ---------------------------------------------------------------------------- expanding


def expand(template: Sentence | str, intents: Intents, where: str) -> list[str]:
    """Every sample a template stands for, `{slot}` kept, in hassil's order, without repeats."""
    sentence = template if isinstance(template, Sentence) else _parse(template, where)
    found: dict[str, None] = {}
    try:
        for text in sample_expression(
            sentence.expression,
            intents.slot_lists,
            intents.expansion_rules,
            expand_lists=False,
        ):
            sample = normalize_whitespace(text).strip()
            slots = _SLOT_RE.findall(sample)
            if sample and len(slots) == len(set(slots)):  # Alexa: each slot once per sample
                found[sample] = None
            if len(found) > MAX_EXPANSIONS:
                raise TemplateError(f"{where}: expands to more than {MAX_EXPANSIONS}; split it")
    except TemplateError:
        raise
    except Exception as error:
        raise TemplateError(f"{where}: {type(error).__name__}: {error}") from None
    return list(found)


def _parse(text: str, where: str) -> Sentence:
    from hassil import parse_sentence

    try:
        return parse_sentence(text)
    except Exception as error:
        raise TemplateError(f"{where}: cannot parse {text!r} ({error})") from None


def _tokens(sample: str) -> list[str]:
    return ["^", *sample.split(), "$"]


def slot_contexts(sample: str) -> set[tuple[str, str, str]]:
    """(word before, {slot}, word after) for each slot: how the sample places its slots."""
    tokens = _tokens(sample)
    return {
        (tokens[i - 1], token, tokens[i + 1])
        for i, token in enumerate(tokens)
        if token.startswith("{")
    }


def _features(sample: str) -> set[tuple[str, ...]]:
    tokens = _tokens(sample)
    found: set[tuple[str, ...]] = {(t,) for t in tokens[1:-1]}
    found |= set(itertools.pairwise(tokens))
    return found


_CHOSEN: dict[tuple[tuple[str, ...], int], list[str]] = {}


def most_varied(candidates: Sequence[str], cap: int) -> list[str]:
    """At most `cap` of the candidates (more only to place every slot as the templates do),
    chosen for variety and returned in the candidates' order. Deterministic, and remembered:
    locales of one language mostly choose from the same expansions."""
    if len(candidates) <= cap:
        return list(candidates)
    key = (tuple(candidates), cap)
    if key not in _CHOSEN:
        _CHOSEN[key] = _most_varied(candidates, cap)
    return list(_CHOSEN[key])


def _most_varied(candidates: Sequence[str], cap: int) -> list[str]:
    chosen: set[int] = set()
    # Every way a slot is placed, once: the model teaches Alexa where each slot may stand.
    placed: set[tuple[str, str, str]] = set()
    for index, sample in enumerate(candidates):
        new = slot_contexts(sample) - placed
        if new:
            chosen.add(index)
            placed |= new
    covered: set[tuple[str, ...]] = set()
    for index in chosen:
        covered |= _features(candidates[index])
    features = [_features(sample) for sample in candidates]
    # Lazy greedy: a candidate's gain only shrinks as more is covered.
    heap = [(-len(f - covered), i) for i, f in enumerate(features) if i not in chosen]
    heapq.heapify(heap)
    while heap and len(chosen) < cap:
        negative, index = heapq.heappop(heap)
        gain = len(features[index] - covered)
        if gain != -negative:
            heapq.heappush(heap, (-gain, index))
            continue
        chosen.add(index)
        covered |= features[index]
    return [candidates[i] for i in sorted(chosen)]


# ----------------------------------------------------------------------------- building


@dataclass(frozen=True)
class Plan:
    """What skill/alexa/slots.yaml says the model needs."""

    slots: Mapping[str, str]  # slot name -> slot type
    types: Mapping[str, Sequence[str]]  # slot type -> ids, in order
    elicit: Mapping[str, str]  # question id -> slot name


def slot_plan() -> Plan:
    from skill.alexa.slots import load_slot_plan
    from skill.core import default_knowledge

    plan = load_slot_plan(default_knowledge())
    return Plan({name: spec.type for name, spec in plan.specs.items()}, plan.type_ids, plan.elicit)


def _intent_samples(source: Source, name: str) -> list[str]:
    intent = source.intents.intents[name]
    samples: dict[str, None] = {}
    for block, data in enumerate(intent.data):
        cap = DEFAULT_CAP
        if isinstance(data.metadata, Mapping) and isinstance(data.metadata.get("cap"), int):
            cap = data.metadata["cap"]
        for index, sentence in enumerate(data.sentences):
            where = f"{source.locale}: intents.{name}.data[{block}].sentences[{index}]"
            for sample in most_varied(expand(sentence, source.intents, where), cap):
                samples.setdefault(sample, None)
    return list(samples)


def _type_values(source: Source, type_name: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    slot_list = source.intents.slot_lists.get(type_name)
    if not isinstance(slot_list, TextSlotList):
        raise TemplateError(f"{source.locale}: no list '{type_name}' in the templates")
    phrases: dict[str, dict[str, None]] = {value_id: {} for value_id in ids}
    for value in slot_list.values:
        value_id = value.value_out
        if isinstance(value_id, bool):  # YAML 1.1 reads unquoted yes/no/true/false as booleans
            raise TemplateError(f"{source.locale}: lists.{type_name}: quote the id {value_id!r}")
        if value_id not in phrases:
            raise TemplateError(
                f"{source.locale}: lists.{type_name}: out {value.value_out!r} is not an id of "
                f"{type_name} in skill/alexa/slots.yaml"
            )
        where = f"{source.locale}: lists.{type_name}[{value_id}]"
        for phrase in expand(Sentence(value.text_in), source.intents, where):
            phrases[str(value_id)].setdefault(phrase, None)
    values = []
    for value_id, found in phrases.items():
        if not found:
            raise TemplateError(f"{source.locale}: lists.{type_name}: no words for id {value_id!r}")
        first, *rest = list(found)
        values.append({"id": value_id, "name": {"value": first, "synonyms": rest}})
    return values


def build_model(locale: str, model_dir: Path | None = None) -> dict[str, Any]:
    """The interaction model of one locale, as the ASK CLI deploys it."""
    source = load_source(locale, model_dir)
    plan = slot_plan()
    intents: list[dict[str, Any]] = []
    elicited = set(plan.elicit.values())
    names = [n for n in source.intents.intents if not n.startswith("AMAZON.")]
    names.sort(key=lambda n: SLOTTED_INTENTS.index(n) if n in SLOTTED_INTENTS else 9)
    for name in source.intents.intents:
        if name.startswith("AMAZON.") and name not in BUILTIN_INTENTS:
            raise TemplateError(f"{locale}: {name} is not a built-in intent this skill uses")
    for name in names:
        entry: dict[str, Any] = {"name": name}
        if name in SLOTTED_INTENTS:
            slots = []
            for slot, slot_type in plan.slots.items():
                declared: dict[str, Any] = {"name": slot, "type": slot_type}
                if name == ELICITING_INTENT and slot in elicited:
                    templates = source.slot_samples.get(slot) or []
                    if not templates:
                        raise TemplateError(f"{locale}: slot_samples.{slot} is missing")
                    declared["samples"] = [
                        s
                        for i, t in enumerate(templates)
                        for s in expand(t, source.intents, f"{locale}: slot_samples.{slot}[{i}]")
                    ]
                slots.append(declared)
            entry["slots"] = slots
        entry["samples"] = _intent_samples(source, name)
        intents.append(entry)
    # Built-in intents: Amazon's own phrases, plus any a market adds (en-IN "haan").
    intents += [
        {
            "name": name,
            "samples": _intent_samples(source, name) if name in source.intents.intents else [],
        }
        for name in BUILTIN_INTENTS
    ]
    types = [
        {"name": type_name, "values": _type_values(source, type_name, ids)}
        for type_name, ids in plan.types.items()
    ]
    model: dict[str, Any] = {
        "interactionModel": {
            "languageModel": {
                "invocationName": source.invocation,
                "intents": intents,
                "types": types,
            }
        }
    }
    if elicited:
        model["interactionModel"]["dialog"] = _dialog(plan, elicited)
    return model


def _dialog(plan: Plan, elicited: set[str]) -> dict[str, Any]:
    """The dialog model Dialog.ElicitSlot needs: AnswerIntent's elicited slots, no prompts,
    nothing delegated (the skill asks its own questions)."""
    slots = [
        {
            "name": slot,
            "type": plan.slots[slot],
            "confirmationRequired": False,
            "elicitationRequired": False,
            "prompts": {},
        }
        for slot in plan.slots
        if slot in elicited
    ]
    return {
        "intents": [
            {
                "name": ELICITING_INTENT,
                "delegationStrategy": "SKILL_RESPONSE",
                "confirmationRequired": False,
                "prompts": {},
                "slots": slots,
            }
        ],
        "delegationStrategy": "SKILL_RESPONSE",
    }


def model_text(model: Mapping[str, Any]) -> str:
    """The bytes written for a model: stable, readable, one trailing newline."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def write_models(
    model_dir: Path | None = None, only: Iterable[str] | None = None, check: bool = False
) -> list[str]:
    """Build every locale's model; write it (or, with check, list the locales whose committed
    file differs). Returns the locales written or differing."""
    folder = model_dir or DEFAULT_MODEL_DIR
    changed = []
    for locale in only or locales(folder):
        text = model_text(build_model(locale, folder))
        path = folder / f"{locale}.json"
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            changed.append(locale)
            if not check:
                path.write_text(text, encoding="utf-8")
    return changed


# ---------------------------------------------------------------------------- command


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model-dir", type=Path, default=DEFAULT_MODEL_DIR, help="interaction_model folder"
    )
    parser.add_argument("--locale", action="append", help="only this locale (repeatable)")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a model is out of date"
    )


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    started = time.perf_counter()
    try:
        changed = write_models(args.model_dir, args.locale, check=args.check)
    except (TemplateError, LanguageError) as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    seconds = time.perf_counter() - started
    if args.check:
        for locale in changed:
            out.write(f"{locale}.json differs from its templates: run make models\n")
        out.write(f"models {'out of date' if changed else 'up to date'} ({seconds:.1f} s)\n")
        return 1 if changed else 0
    out.write(f"models: {len(changed)} written, {seconds:.1f} s\n")
    return 0
