"""`python -m skill check-model`: the interaction models and their content, checked offline.

Prints `ERROR path: message` or `WARNING path: message`, one line per problem, then a summary;
exits 1 when there is an ERROR. What is checked:

- every model file: skill.alexa.model_checks.check_all against the slot plan
  (skill/alexa/slots.yaml): shape, invocation name, samples, slots, built-ins, type ids,
  synonyms, utterance conflicts;
- one phrase reaching one intent with different slot values (ERROR) or with a slot in one reading
  and not in another (WARNING: Alexa may send either);
- every intent of the model reaches a handler other than the catch-all (asked of the skill's own
  handlers with a real envelope per intent);
- every value a question can receive can be said: an id of the slot type carrying the fact, and an
  AnswerIntent sample with that slot;
- slots the slot plan does not know (WARNING: the skill ignores them);
- locales complete against each other: the same locales in interaction_model/ and skill/content/,
  the same intents, slot types and ids, the same text keys in voice.yaml and triage.yaml.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from skill.core.loader import ROOT
from skill.simulator.interaction_model import (
    DEFAULT_MODEL_DIR,
    InteractionModel,
    ModelError,
    parse_model,
    read_json,
)

__all__ = ["Finding", "check_everything", "configure", "run"]

ERROR, WARNING = "ERROR", "WARNING"
ANSWER_INTENT = "AnswerIntent"
QUESTIONS_FILE = "skill/knowledge/questions.yaml"
SLOTS_FILE = "skill/alexa/slots.yaml"
EXPANSION_CAP = 400
# Intents whose samples are read every way their slots can be filled. ReportIntent's thousands of
# generated samples are left out (minutes of work); its readings are what the simulator's tests
# and the coverage report measure.
AMBIGUITY_INTENTS = frozenset({ANSWER_INTENT})
_SLOT = re.compile(r"\{([^{}]*)\}")
_NUMBERS = (("five", "5"), ("twenty", "20"))


@dataclass(frozen=True)
class Finding:
    """One line of check-model's report: an ERROR (fails the check) or a WARNING, where, and what.
    (skill.simulator.model_checks' problems are (path, message) pairs; each becomes a Finding.)"""

    severity: str
    path: str
    message: str

    def line(self) -> str:
        return f"{self.severity} {self.path}: {self.message}"


def shown(path: Path) -> str:
    """A path as a maintainer types it: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- the slot plan


def _slot_plan() -> tuple[Mapping[str, list[str]], dict[str, Any]]:
    from skill.alexa.data import default_data

    plan = default_data().slots
    return plan.type_ids, dict(plan.specs)


# ------------------------------------------------------------------------------ per model


def model_problems(model: InteractionModel) -> list[Finding]:
    """Every check of one model file."""
    from skill.simulator.language import LanguageError, language_for
    from skill.simulator.model_checks import check_all

    types, specs = _slot_plan()
    where = shown(model.path)
    expected_slots = {name: spec.type for name, spec in specs.items()}
    try:
        language = language_for(model.locale, model.path.parent / "sentences")
    except LanguageError as error:
        return [Finding(ERROR, where, str(error))]
    size = model.path.stat().st_size if model.path.exists() else None
    found = [
        Finding(ERROR, f"{where}:{p}", m)
        for p, m in check_all(model.raw, types, language, expected_slots, size_bytes=size)
    ]
    found += ambiguity_problems(model)
    found += handler_problems(model)
    found += question_problems(model)
    found += unplanned_slot_problems(model, specs)
    return found


def _choices(model: InteractionModel, slot_type: str | None) -> list[tuple[str, str]]:
    """(phrase as written, id) for each way to fill a slot of this type."""
    if slot_type is None or slot_type not in model.types:
        return list(_NUMBERS)  # AMAZON.NUMBER, and any type without values here
    return [(phrase, value.id) for value in model.types[slot_type] for phrase in value.phrases]


def _combinations(choices: Sequence[Sequence[tuple[str, str]]]) -> Iterable[Sequence[Any]]:
    """All fillings, or (beyond the cap) each option of each slot with the others at their first."""
    total = 1
    for options in choices:
        total *= len(options)
    if total <= EXPANSION_CAP:
        return itertools.product(*choices)
    return [
        [option if j == i else choices[j][0] for j in range(len(choices))]
        for i, options in enumerate(choices)
        for option in options
    ]


Reading = tuple[str, str, frozenset[tuple[str, str]], int]


def _readings(model: InteractionModel, intent_name: str) -> Iterator[Reading]:
    """(normalised phrase, phrase as written, slot assignment, sample index) for every filling
    of every sample."""
    intent = model.intent(intent_name)
    assert intent is not None
    samples = list(intent.samples)
    for slot_samples in intent.slot_samples.values():  # said when that slot is elicited
        samples += [s for s in slot_samples if s not in samples]
    for index, sample in enumerate(samples):
        names = list(dict.fromkeys(_SLOT.findall(sample)))
        choices = [_choices(model, intent.slot_type(name)) for name in names]
        if any(not options for options in choices):
            continue
        # The sample split at its slots (odd places hold a slot's position in `names`): filling
        # is then a join, not a substitution per reading.
        parts = _SLOT.split(sample)
        where = [names.index(part) if i % 2 else -1 for i, part in enumerate(parts)]
        for combo in _combinations(choices):
            phrase = "".join(combo[where[i]][0] if i % 2 else part for i, part in enumerate(parts))
            yield (
                " ".join(phrase.lower().split()),
                phrase,
                frozenset((n, v[1]) for n, v in zip(names, combo, strict=True)),
                index,
            )


def ambiguity_problems(model: InteractionModel) -> list[Finding]:
    """One phrase, one intent, two readings of its slots."""
    found: list[Finding] = []
    where = shown(model.path)
    for intent in model.intents:
        if not intent.slots or intent.name not in AMBIGUITY_INTENTS:
            continue
        seen: dict[str, tuple[frozenset[tuple[str, str]], int]] = {}
        reported: set[tuple[int, int]] = set()
        for key, phrase, assignment, index in _readings(model, intent.name):
            first = seen.setdefault(key, (assignment, index))
            if first[0] == assignment or (first[1], index) in reported:
                continue
            reported.add((first[1], index))
            found.append(_ambiguity(where, intent.name, phrase, first, (assignment, index)))
    return found


def _ambiguity(
    where: str,
    intent: str,
    phrase: str,
    first: tuple[frozenset[Any], int],
    second: tuple[frozenset[Any], int],
) -> Finding:
    one, other = dict(first[0]), dict(second[0])
    clash = any(one[name] != other[name] for name in one.keys() & other.keys())
    shown_one = ", ".join(f"{k}={v}" for k, v in sorted(one.items())) or "no slots"
    shown_other = ", ".join(f"{k}={v}" for k, v in sorted(other.items())) or "no slots"
    message = (
        f"{phrase!r} reads as {shown_other} here and as {shown_one} via "
        f"samples[{first[1]}]: Alexa may send either"
    )
    return Finding(
        ERROR if clash else WARNING, f"{where}:intents[{intent}].samples[{second[1]}]", message
    )


def handler_problems(model: InteractionModel) -> list[Finding]:
    """Each intent of the model, sent as a real envelope, must reach a handler before the
    catch-all (the last handler of skill.alexa.handlers.request_handlers())."""
    where = shown(model.path)
    return [
        Finding(ERROR, f"{where}:intents[{name}]", "no handler: only the catch-all answers it")
        for name in model.intent_names
        if handler_index(name, model.locale) is None
    ]


def handler_index(intent_name: str, locale: str) -> int | None:
    """Which handler accepts this intent (its position), None for the catch-all or nobody."""
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model.request_envelope import RequestEnvelope

    from skill.alexa.data import default_data
    from skill.alexa.handlers import request_handlers
    from skill.simulator.envelopes import SessionInfo, envelope, request_for
    from skill.simulator.matcher import INTENT, Understood

    event = envelope(request_for(Understood(INTENT, intent_name), ""), SessionInfo(), locale)
    request = DefaultSerializer().deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    probe = HandlerInput(request_envelope=request)
    handlers = request_handlers(default_data())
    for index, handler in enumerate(handlers[:-1]):
        if handler.can_handle(probe):
            return index
    return None


def question_problems(model: InteractionModel) -> list[Finding]:
    """Every value a question can receive has a way to be said in this model."""
    from skill.core import UNKNOWN, default_knowledge

    knowledge = default_knowledge()
    types, specs = _slot_plan()
    answer = model.intent(ANSWER_INTENT)
    used = {name for sample in (answer.samples if answer else ()) for name in _SLOT.findall(sample)}
    used |= set(answer.slot_samples) if answer else set()  # said alone when elicited
    found: list[Finding] = []
    for question in knowledge.questions:
        spec = knowledge.facts[question.id]
        by_yes_no = {question.yes, question.no} - {None}
        for value in spec.values:
            if value == UNKNOWN or value in by_yes_no:
                continue
            reason = _unsayable(question.id, value, specs, types, used, model)
            if reason:
                path = f"{QUESTIONS_FILE}:questions[{question.id}]"
                found.append(Finding(ERROR, path, f"{shown(model.path)}: {reason}"))
    return found


def _id_text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _unsayable(
    fact: str,
    value: Any,
    specs: Mapping[str, Any],
    types: Mapping[str, list[str]],
    used: set[str],
    model: InteractionModel,
) -> str | None:
    """Why `fact` = `value` cannot be said as an answer, or None when it can."""
    if isinstance(value, bool):
        carriers = [s for s in specs.values() if s.flags and fact in types.get(s.type, [])]
        wanted, label = (fact, f"the flag '{fact}'") if value else (None, None)
        if wanted is None:
            return f"'{fact}' = false can only be said with no, which the question does not map"
    else:
        carriers = [s for s in specs.values() if s.fact == fact]
        wanted, label = _id_text(value), f"'{fact}' = '{_id_text(value)}'"
    if not carriers:
        return f"no slot in {SLOTS_FILE} carries {label}"
    typed = [s for s in carriers if wanted in types.get(s.type, [])]
    if not typed:
        names = ", ".join(sorted({s.type for s in carriers}))
        return f"{label}: no id '{wanted}' in {names} ({SLOTS_FILE})"
    if not any(s.name in used for s in typed):
        names = ", ".join(f"{{{s.name}}}" for s in typed)
        return f"{label}: no {ANSWER_INTENT} sample or slot sample uses {names}"
    return None


def unplanned_slot_problems(model: InteractionModel, specs: Mapping[str, Any]) -> list[Finding]:
    where = shown(model.path)
    return [
        Finding(
            WARNING,
            f"{where}:intents[{intent.name}].slots[{name}]",
            "not in the slot plan: the skill ignores it",
        )
        for intent in model.intents
        for name, _type in intent.slots
        if name not in specs
    ]


# -------------------------------------------------------------------------- across locales


def model_files(model_dir: Path) -> list[Path]:
    return sorted(model_dir.glob("*.json"))


def locale_set_problems(models: Sequence[Path], content_dir: Path) -> list[Finding]:
    from skill.core import available_locales

    modelled = {path.stem for path in models}
    content = set(available_locales(content_dir))
    found = [
        Finding(ERROR, shown(path), f"no content folder {shown(content_dir / path.stem)}")
        for path in models
        if path.stem not in content
    ]
    found += [
        Finding(ERROR, shown(content_dir / locale), f"no interaction model {locale}.json")
        for locale in sorted(content - modelled)
    ]
    return found


def _compare(
    where: str, what: str, mine: set[str], theirs: set[str], reference: str
) -> list[Finding]:
    found = [
        Finding(ERROR, where, f"{what} {n!r} is missing (it is in {reference})")
        for n in sorted(theirs - mine)
    ]
    found += [
        Finding(ERROR, where, f"{what} {n!r} is not in {reference}") for n in sorted(mine - theirs)
    ]
    return found


def model_pair_problems(model: InteractionModel, reference: InteractionModel) -> list[Finding]:
    """The same intents, slots, slot types and ids as the reference locale's model."""
    where, ref = shown(model.path), reference.path.name
    found = _compare(where, "intent", set(model.intent_names), set(reference.intent_names), ref)
    found += _compare(where, "slot type", set(model.types), set(reference.types), ref)
    for name in sorted(set(model.types) & set(reference.types)):
        mine = {v.id for v in model.types[name]}
        theirs = {v.id for v in reference.types[name]}
        found += _compare(f"{where}:types[{name}]", "id", mine, theirs, ref)
    for intent in model.intents:
        other = reference.intent(intent.name)
        if other is not None:
            mine = {f"{n}:{t}" for n, t in intent.slots}
            theirs = {f"{n}:{t}" for n, t in other.slots}
            found += _compare(f"{where}:intents[{intent.name}]", "slot", mine, theirs, ref)
    return found


def text_keys(node: Any) -> set[str]:
    """Every leaf's dotted key in a content file (a list counts as one leaf)."""
    return {key for key, _ in leaves(node)}


def content_pair_problems(locale: str, reference: str, content_dir: Path) -> list[Finding]:
    """The same text keys as the reference locale, each locale's words merged as the skill merges
    them (its language's file, its own laid over it). A missing text is named in the file it
    belongs in: the language's file, or the locale's where the language has none."""
    from skill.core.content import LOCALE_ADDITIONS, WORD_FILES, merge_words
    from skill.core.model import KnowledgeError

    found: list[Finding] = []
    for name in WORD_FILES:
        try:
            mine = merge_words(locale, name, content_dir)
            theirs = merge_words(reference, name, content_dir)
        except KnowledgeError as error:
            found.append(_problem(error))
            continue
        found += [
            Finding(ERROR, f"{mine.file}:{key}", f"text is missing (it is in {reference})")
            for key in sorted(text_keys(theirs.texts) - text_keys(mine.texts))
        ]
        found += [
            Finding(
                WARNING,
                f"{mine.origins.get(key, mine.file)}:{key}",
                f"not in {reference}, the reference locale",
            )
            for key in sorted(text_keys(mine.texts) - text_keys(theirs.texts) - LOCALE_ADDITIONS)
        ]
    return found


def override_problems(locale: str, content_dir: Path) -> list[Finding]:
    """A locale's own text that says exactly what its language's file says: it need not be there
    (WARNING), so that changing the shared sentence stays one edit."""
    from skill.core.content import WORD_FILES, word_files
    from skill.core.loader import data_file_exists, read_yaml
    from skill.core.model import KnowledgeError

    found: list[Finding] = []
    for name in WORD_FILES:
        language_path, locale_path = word_files(locale, name, content_dir)
        if not (data_file_exists(language_path) and data_file_exists(locale_path)):
            continue
        try:
            shared, own = read_yaml(language_path), read_yaml(locale_path)
        except KnowledgeError as error:
            found.append(_problem(error))
            continue
        shared_leaves = dict(leaves(shared))
        found += [
            Finding(
                WARNING,
                f"{shown(locale_path)}:{key}",
                f"says what {shown(language_path)} says: leave it to the language's file",
            )
            for key, text in leaves(own)
            if key in shared_leaves and shared_leaves[key] == text
        ]
    return found


def leaves(node: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf of a content file with its dotted key (a list counts as one leaf)."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from leaves(value, f"{prefix}.{key}" if prefix else str(key))
    elif prefix:
        yield prefix, node


def content_load_problems(locale: str, content_dir: Path) -> list[Finding]:
    """The locale's words load as the skill loads them at start-up."""
    from skill.alexa.voice import load_voice
    from skill.core import default_knowledge
    from skill.core.model import KnowledgeError

    try:
        load_voice(locale, default_knowledge(), content_dir)
    except KnowledgeError as error:
        return [_problem(error)]
    return []


def _problem(error: Exception) -> Finding:
    """A KnowledgeError (file, entry, message) as an ERROR line."""
    file, entry = getattr(error, "file", "-"), getattr(error, "entry", "-")
    return Finding(ERROR, f"{file}:{entry}", str(error).split(": ", 2)[-1])


# -------------------------------------------------------------------------------- all of it


@dataclass
class Report:
    problems: list[Finding]
    models: int
    locales: int

    @property
    def errors(self) -> int:
        return sum(p.severity == ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == WARNING for p in self.problems)

    def summary(self) -> str:
        verdict = "FAILED" if self.errors else "OK"
        return (
            f"check-model {verdict}: {self.models} model(s), {self.locales} content locale(s); "
            f"{self.errors} error(s), {self.warnings} warning(s)"
        )


def _load(paths: Sequence[Path]) -> tuple[list[InteractionModel], list[Finding]]:
    models: list[InteractionModel] = []
    problems: list[Finding] = []
    for path in paths:
        try:
            models.append(parse_model(read_json(path), path.stem, path))
        except ModelError as error:
            problems.append(Finding(ERROR, shown(path), str(error).split(": ", 1)[-1]))
    return models, problems


def check_everything(model_dir: Path, content_dir: Path) -> Report:
    from skill.core import DEFAULT_LOCALE, available_locales

    paths = model_files(model_dir)
    locales = available_locales(content_dir) if content_dir.is_dir() else []
    if not paths:
        return Report(
            [Finding(ERROR, shown(model_dir), "no interaction model files")], 0, len(locales)
        )
    models, problems = _load(paths)
    for model in models:
        problems += model_problems(model)
    problems += locale_set_problems(paths, content_dir)
    reference = next(
        (m for m in models if m.locale == DEFAULT_LOCALE), models[0] if models else None
    )
    for model in models:
        if reference is not None and model is not reference:
            problems += model_pair_problems(model, reference)
    for locale in locales:
        problems += locale_content_problems(locale, reference, locales, content_dir)
    return Report(problems, len(paths), len(locales))


def locale_content_problems(
    locale: str, reference: InteractionModel | None, locales: list[str], content_dir: Path
) -> list[Finding]:
    """Missing texts against the reference locale (all of them), else whatever stops loading."""
    found: list[Finding] = []
    if reference is not None and locale != reference.locale and reference.locale in locales:
        found = content_pair_problems(locale, reference.locale, content_dir)
    found += override_problems(locale, content_dir)
    if any(problem.severity == ERROR for problem in found):
        return found  # loading would stop at the first of the texts already named
    return found + content_load_problems(locale, content_dir)


def configure(parser: argparse.ArgumentParser) -> None:
    from skill.core.loader import CONTENT_DIR

    parser.add_argument(
        "--model-dir", type=Path, default=DEFAULT_MODEL_DIR, help="folder of <locale>.json models"
    )
    parser.add_argument(
        "--content-dir", type=Path, default=CONTENT_DIR, help="folder of <locale>/ content"
    )
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="also measure the held-out phrasings (<phrasings-dir>/<locale>.yaml) and list misses",
    )
    parser.add_argument(
        "--phrasings-dir",
        type=Path,
        default=None,
        help="folder of <locale>.yaml phrasings for --coverage (tests/nlu)",
    )


def run_coverage(args: argparse.Namespace, out: TextIO) -> int:
    from skill.simulator.coverage import (
        DEFAULT_NLU_DIR,
        PhrasingError,
        load_phrasings,
        measure,
        write_report,
    )

    folder = args.phrasings_dir or DEFAULT_NLU_DIR
    files = sorted(folder.glob("*.yaml"))
    if not files:
        out.write(f"coverage: no phrasings in {shown(folder)}\n")
        return 1
    results = []
    for path in files:
        try:
            locale, phrasings = load_phrasings(path)
        except PhrasingError as error:
            out.write(f"ERROR {error}\n")
            return 1
        results.append(measure(locale, phrasings, args.model_dir))
    write_report(results, out)
    return 0


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if getattr(args, "coverage", False):
        status = run_coverage(args, out)
        if status:
            return status
    report = check_everything(args.model_dir, args.content_dir)
    for problem in report.problems:
        out.write(problem.line() + "\n")
    out.write(report.summary() + "\n")
    return 1 if report.errors else 0
