"""Offline checks for an Alexa interaction model (the JSON the ASK CLI and the console accept).

The ASK CLI cannot validate a model offline and Amazon's utterance-conflict API is deprecated, so
these checks are the project's only validation before upload. Each `check_xxx` is a pure function
of the parsed model (plus, where needed, what the slot plan expects) and returns a list of
`(path, message)` problems: `path` points into the model, e.g. `intents[ReportIntent].samples[3]`,
and `message` is one line. An empty list means the check found nothing.

The caller reads the JSON, the slot plan (`skill/alexa/slots.yaml`) and the language
(`skill/simulator/language.py`). These are development tools: they do not ship in the Lambda
bundle.
"""

from __future__ import annotations

import itertools
import random
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from skill.simulator.language import Language

Problem = tuple[str, str]

WAKE_WORDS = frozenset({"alexa", "amazon", "echo", "computer", "ziggy"})

# Built-in intents every custom skill carries (Amazon's certification list) and the others this
# skill's handlers rely on.
REQUIRED_BUILTINS: tuple[str, ...] = (
    "AMAZON.CancelIntent",
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.FallbackIntent",
)
SKILL_BUILTINS: tuple[str, ...] = (
    *REQUIRED_BUILTINS,
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.StartOverIntent",
)

# Values substituted for built-in slot types when expanding samples for the conflict check.
BUILTIN_SLOT_VALUES: Mapping[str, tuple[str, ...]] = {
    "AMAZON.NUMBER": ("one", "two", "five", "ten", "twenty", "thirty five", "sixty"),
}

# Amazon's documented limits for an interaction model: "Create the Interaction Model for Your
# Skill", section "Interaction model limits",
# https://developer.amazon.com/en-US/docs/alexa/custom-skills/create-the-interaction-model-for-your-skill.html#limits
LIMITS_SOURCE = (
    "https://developer.amazon.com/en-US/docs/alexa/custom-skills/"
    "create-the-interaction-model-for-your-skill.html#limits"
)
MAX_MODEL_BYTES = 1_500_000  # "1.5 MB" total model size (read as decimal megabytes: the stricter)
MAX_INTENTS = 250
MAX_INTENTS_AND_TYPES = 350
MAX_VALUE_CHARACTERS = 140  # a slot value or a synonym


def _builtin_phrases(language: Language) -> Mapping[str, tuple[str, ...]]:
    return language.builtin_phrases


MAX_SAMPLE_LENGTH = 200
DEFAULT_EXPANSION_CAP = 2000

_SLOT_RE = re.compile(r"\{([^{}]*)\}")
_SLOT_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_ABBREVIATION_RE = re.compile(r"(?:[a-z]\.)+")  # "i.u.d." style


# --------------------------------------------------------------------------------------- helpers


def _language_model(model: Mapping[str, Any]) -> Mapping[str, Any]:
    interaction = model.get("interactionModel") if isinstance(model, Mapping) else None
    language = interaction.get("languageModel") if isinstance(interaction, Mapping) else None
    return language if isinstance(language, Mapping) else {}


def _intents(model: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    intents = _language_model(model).get("intents")
    if not isinstance(intents, list):
        return []
    return [intent for intent in intents if isinstance(intent, Mapping)]


def _types(model: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    types = _language_model(model).get("types")
    if not isinstance(types, list):
        return []
    return [slot_type for slot_type in types if isinstance(slot_type, Mapping)]


def _samples(intent: Mapping[str, Any]) -> list[Any]:
    samples = intent.get("samples")
    return samples if isinstance(samples, list) else []


def _slots(intent: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    slots = intent.get("slots")
    if not isinstance(slots, list):
        return []
    return [slot for slot in slots if isinstance(slot, Mapping)]


def _intent_path(intent: Mapping[str, Any]) -> str:
    return f"intents[{intent.get('name', '?')}]"


def _type_path(slot_type: Mapping[str, Any]) -> str:
    return f"types[{slot_type.get('name', '?')}]"


def _normalise(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def slot_names_in(sample: str) -> list[str]:
    """The slot names a sample refers to, in order, repeats included."""
    return _SLOT_RE.findall(sample)


def _value_phrases(value: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """(relative path, phrase) for a type value's name and each synonym."""
    name = value.get("name")
    if not isinstance(name, Mapping):
        return
    if isinstance(name.get("value"), str):
        yield "name.value", name["value"]
    synonyms = name.get("synonyms")
    if isinstance(synonyms, list):
        for index, synonym in enumerate(synonyms):
            if isinstance(synonym, str):
                yield f"name.synonyms[{index}]", synonym


def _values(slot_type: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    values = slot_type.get("values")
    if not isinstance(values, list):
        return []
    return [value for value in values if isinstance(value, Mapping)]


def _value_label(value: Mapping[str, Any], index: int) -> str:
    value_id = value.get("id")
    return str(value_id) if isinstance(value_id, str) and value_id else str(index)


def _word_problem(text: str, language: Language) -> str | None:
    """Why `text` breaks Amazon's spoken-form rules, or None. Slot references are not allowed."""
    if text != text.strip() or "  " in text:
        return "has leading, trailing or doubled spaces"
    if not text:
        return "is empty"
    if any(char.isdigit() for char in text):
        return "contains a digit: numbers must be spelled out"
    if text != text.lower():
        return "is not lower case"
    for token in text.split(" "):
        if not (language.word_re().fullmatch(token) or _ABBREVIATION_RE.fullmatch(token)):
            return f"token {token!r}: only letters, apostrophes and abbreviation periods allowed"
    return None


# ---------------------------------------------------------------------------------------- checks


def check_structure(model: Mapping[str, Any]) -> list[Problem]:
    """The shape the ASK CLI expects: interactionModel.languageModel with its three keys."""
    problems: list[Problem] = []
    interaction = model.get("interactionModel") if isinstance(model, Mapping) else None
    if not isinstance(interaction, Mapping):
        return [("interactionModel", "missing or not an object")]
    language = interaction.get("languageModel")
    if not isinstance(language, Mapping):
        return [("interactionModel.languageModel", "missing or not an object")]
    base = "interactionModel.languageModel"
    if not isinstance(language.get("invocationName"), str):
        problems.append((f"{base}.invocationName", "missing or not a string"))
    for key in ("intents", "types"):
        if not isinstance(language.get(key), list):
            problems.append((f"{base}.{key}", "missing or not a list"))
    names: set[str] = set()
    for index, intent in enumerate(language.get("intents") or []):
        if not isinstance(intent, Mapping) or not isinstance(intent.get("name"), str):
            problems.append((f"intents[{index}]", "an intent needs a string name"))
            continue
        if intent["name"] in names:
            problems.append((_intent_path(intent), "intent declared twice"))
        names.add(intent["name"])
        if not isinstance(intent.get("samples", []), list):
            problems.append((f"{_intent_path(intent)}.samples", "not a list"))
    type_names: set[str] = set()
    for index, slot_type in enumerate(language.get("types") or []):
        if not isinstance(slot_type, Mapping) or not isinstance(slot_type.get("name"), str):
            problems.append((f"types[{index}]", "a slot type needs a string name"))
            continue
        if slot_type["name"] in type_names:
            problems.append((_type_path(slot_type), "slot type declared twice"))
        type_names.add(slot_type["name"])
        for value_index, value in enumerate(slot_type.get("values") or []):
            name = value.get("name") if isinstance(value, Mapping) else None
            if not isinstance(name, Mapping) or not isinstance(name.get("value"), str):
                path = f"{_type_path(slot_type)}.values[{value_index}]"
                problems.append((path, "a value needs name.value"))
    return problems


def check_invocation_name(model: Mapping[str, Any], language: Language) -> list[Problem]:
    """Amazon's invocation-name rules, plus: nothing in the name may reveal the topic."""
    path = "invocationName"
    name = _language_model(model).get("invocationName")
    if not isinstance(name, str) or not name:
        return [(path, "missing invocation name")]
    problems: list[Problem] = []
    if name != name.lower():
        problems.append((path, f"{name!r} is not lower case"))
    if any(char.isdigit() for char in name):
        problems.append((path, f"{name!r} contains a digit: numbers must be spelled out"))
    if not language.invocation_re().fullmatch(name.lower()) or "  " in name:
        problems.append(
            (path, f"{name!r}: only letters, single spaces, apostrophes and periods are allowed")
        )
    words = [word.strip(".'") for word in name.lower().split()]
    if len(words) < 2:
        problems.append((path, f"{name!r} has fewer than two words"))
    for word in words:
        if word in language.launch_words:
            problems.append((path, f"{name!r} contains the launch word {word!r}"))
        if word in WAKE_WORDS:
            problems.append((path, f"{name!r} contains the wake word or brand {word!r}"))
        if word in language.topic_words:
            problems.append((path, f"{name!r} reveals the topic with {word!r}"))
    return problems


def check_samples(model: Mapping[str, Any], language: Language) -> list[Problem]:
    """Amazon's sample rules: characters, case, length, slots at most once, no duplicates."""
    problems: list[Problem] = []
    for intent in _intents(model):
        seen: dict[str, int] = {}
        for index, sample in enumerate(_samples(intent)):
            path = f"{_intent_path(intent)}.samples[{index}]"
            if not isinstance(sample, str):
                problems.append((path, "a sample must be a string"))
                continue
            if len(sample) > MAX_SAMPLE_LENGTH:
                problems.append((path, f"longer than {MAX_SAMPLE_LENGTH} characters"))
            names = slot_names_in(sample)
            for slot_name in names:
                if not _SLOT_NAME_RE.fullmatch(slot_name):
                    problems.append((path, f"bad slot reference {{{slot_name}}}"))
            for slot_name in sorted({n for n in names if names.count(n) > 1}):
                problems.append((path, f"slot {{{slot_name}}} used more than once"))
            words = _SLOT_RE.sub(" ", sample)
            if "{" in words or "}" in words:
                problems.append((path, f"{sample!r} has an unbalanced brace"))
                continue
            if sample != sample.strip() or "  " in sample:
                problems.append((path, f"{sample!r} has leading, trailing or doubled spaces"))
                continue
            for chunk in (part.strip() for part in words.split(" ") if part.strip()):
                reason = _word_problem(chunk, language)
                if reason:
                    problems.append((path, f"{sample!r} {reason}"))
                    break
            key = _normalise(sample)
            if key in seen:
                problems.append((path, f"duplicate of samples[{seen[key]}]"))
            else:
                seen[key] = index
    return problems


def check_slots_declared(model: Mapping[str, Any]) -> list[Problem]:
    """Every {slot} in a sample is declared on its intent; declared slots have a name and type."""
    problems: list[Problem] = []
    for intent in _intents(model):
        declared: set[str] = set()
        for slot in _slots(intent):
            name = slot.get("name")
            if not isinstance(name, str) or not isinstance(slot.get("type"), str):
                problems.append((f"{_intent_path(intent)}.slots", "a slot needs a name and type"))
                continue
            if name in declared:
                problems.append((f"{_intent_path(intent)}.slots[{name}]", "slot declared twice"))
            declared.add(name)
        for index, sample in enumerate(_samples(intent)):
            if not isinstance(sample, str):
                continue
            for slot_name in dict.fromkeys(slot_names_in(sample)):
                if slot_name not in declared:
                    problems.append(
                        (
                            f"{_intent_path(intent)}.samples[{index}]",
                            f"slot {{{slot_name}}} is not declared on {intent.get('name')}",
                        )
                    )
    return problems


def check_slot_types(model: Mapping[str, Any]) -> list[Problem]:
    """A slot's type is a built-in (AMAZON.*) or a custom type declared in `types`."""
    declared = {slot_type.get("name") for slot_type in _types(model)}
    problems: list[Problem] = []
    for intent in _intents(model):
        for slot in _slots(intent):
            slot_type = slot.get("type")
            if not isinstance(slot_type, str):
                continue
            if slot_type.startswith("AMAZON."):
                continue
            if slot_type not in declared:
                problems.append(
                    (
                        f"{_intent_path(intent)}.slots[{slot.get('name')}]",
                        f"slot type {slot_type!r} is neither AMAZON.* nor declared in types",
                    )
                )
    return problems


def check_intent_slots(
    model: Mapping[str, Any], intent_name: str, expected_slots: Mapping[str, str]
) -> list[Problem]:
    """`intent_name` declares each expected slot with its type and uses it in some sample."""
    intent = next((i for i in _intents(model) if i.get("name") == intent_name), None)
    if intent is None:
        return [(f"intents[{intent_name}]", "intent missing")]
    path = _intent_path(intent)
    declared = {slot.get("name"): slot.get("type") for slot in _slots(intent)}
    used = {
        name
        for sample in _samples(intent)
        if isinstance(sample, str)
        for name in slot_names_in(sample)
    }
    problems: list[Problem] = []
    for name, slot_type in expected_slots.items():
        if name not in declared:
            problems.append((f"{path}.slots", f"slot {name!r} ({slot_type}) is not declared"))
            continue
        if declared[name] != slot_type:
            problems.append(
                (f"{path}.slots[{name}]", f"type is {declared[name]!r}, expected {slot_type!r}")
            )
        if name not in used:
            problems.append((f"{path}.slots[{name}]", f"slot {name!r} is used in no sample"))
    return problems


def check_unique_samples(model: Mapping[str, Any]) -> list[Problem]:
    """No sample (as written, case and spacing aside) appears in two intents."""
    owner: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    for intent in _intents(model):
        name = str(intent.get("name"))
        for index, sample in enumerate(_samples(intent)):
            if not isinstance(sample, str):
                continue
            key = _normalise(sample)
            first = owner.get(key)
            if first is None:
                owner[key] = (name, index)
            elif first[0] != name:
                problems.append(
                    (
                        f"{_intent_path(intent)}.samples[{index}]",
                        f"{sample!r} is also intents[{first[0]}].samples[{first[1]}]",
                    )
                )
    return problems


def check_builtins(
    model: Mapping[str, Any], required: Sequence[str] = REQUIRED_BUILTINS
) -> list[Problem]:
    """Each required built-in intent is present."""
    present = {intent.get("name") for intent in _intents(model)}
    return [
        (f"intents[{name}]", "required built-in intent is missing")
        for name in required
        if name not in present
    ]


def check_type_ids(
    model: Mapping[str, Any], expected_types: Mapping[str, Sequence[str]]
) -> list[Problem]:
    """Each custom type has exactly the value ids the slot plan lists; no unplanned types."""
    problems: list[Problem] = []
    by_name = {slot_type.get("name"): slot_type for slot_type in _types(model)}
    for type_name, expected_ids in expected_types.items():
        slot_type = by_name.get(type_name)
        if slot_type is None:
            problems.append((f"types[{type_name}]", "slot type from the slot plan is missing"))
            continue
        path = _type_path(slot_type)
        ids: list[str] = []
        for index, value in enumerate(_values(slot_type)):
            value_id = value.get("id")
            if not isinstance(value_id, str) or not value_id:
                problems.append((f"{path}.values[{index}]", "value has no id"))
                continue
            if value_id in ids:
                problems.append((f"{path}.values[{value_id}]", "id used twice"))
            ids.append(value_id)
        expected: list[str] = []
        for value_id in expected_ids:
            if isinstance(value_id, str):
                expected.append(value_id)
                continue
            # YAML 1.1 reads unquoted yes/no/on/off as booleans: the plan must quote them.
            problems.append(
                (
                    f"{path}.values",
                    f"the slot plan's id {value_id!r} is not a string (quote yes/no in YAML)",
                )
            )
        for value_id in expected:
            if value_id not in ids:
                problems.append(
                    (f"{path}.values", f"id {value_id!r} from the slot plan is missing")
                )
        for value_id in dict.fromkeys(ids):
            if value_id not in expected:
                problems.append(
                    (f"{path}.values[{value_id}]", f"id {value_id!r} is not in the slot plan")
                )
    for unplanned in by_name:
        if unplanned not in expected_types:
            problems.append((f"types[{unplanned}]", "slot type is not in the slot plan"))
    return problems


def check_value_phrases(model: Mapping[str, Any], language: Language) -> list[Problem]:
    """Slot values and synonyms follow the spoken-form rules samples follow."""
    problems: list[Problem] = []
    for slot_type in _types(model):
        for index, value in enumerate(_values(slot_type)):
            base = f"{_type_path(slot_type)}.values[{_value_label(value, index)}]"
            for relative, phrase in _value_phrases(value):
                reason = _word_problem(phrase, language)
                if reason:
                    problems.append((f"{base}.{relative}", f"{phrase!r} {reason}"))
    return problems


def check_duplicate_synonyms(model: Mapping[str, Any]) -> list[Problem]:
    """Within one type, no value name or synonym appears twice (in one value or across values)."""
    problems: list[Problem] = []
    for slot_type in _types(model):
        seen: dict[str, str] = {}
        for index, value in enumerate(_values(slot_type)):
            base = f"{_type_path(slot_type)}.values[{_value_label(value, index)}]"
            for relative, phrase in _value_phrases(value):
                key = _normalise(phrase)
                path = f"{base}.{relative}"
                if key in seen:
                    problems.append((path, f"{phrase!r} already appears at {seen[key]}"))
                else:
                    seen[key] = path
    return problems


def check_shared_phrases(model: Mapping[str, Any]) -> list[Problem]:
    """No phrase belongs to two different types used by one intent (it could fill either slot)."""
    phrases: dict[str, dict[str, str]] = {}  # type name -> phrase -> path
    for slot_type in _types(model):
        table = phrases.setdefault(str(slot_type.get("name")), {})
        for index, value in enumerate(_values(slot_type)):
            base = f"{_type_path(slot_type)}.values[{_value_label(value, index)}]"
            for relative, phrase in _value_phrases(value):
                table.setdefault(_normalise(phrase), f"{base}.{relative}")
    reported: set[tuple[str, str]] = set()
    problems: list[Problem] = []
    for intent in _intents(model):
        type_names = sorted({str(slot.get("type")) for slot in _slots(intent)} & phrases.keys())
        for first, second in itertools.combinations(type_names, 2):
            for phrase in sorted(phrases[first].keys() & phrases[second].keys()):
                if (phrase, second) in reported:
                    continue
                reported.add((phrase, second))
                problems.append(
                    (phrases[second][phrase], f"{phrase!r} is also {phrases[first][phrase]}")
                )
    return problems


def _fill(sample: str, filled: Mapping[str, str]) -> str:
    return _SLOT_RE.sub(lambda match: filled.get(match.group(1), ""), sample)


def _expansions(
    sample: str,
    slot_types: Mapping[str, str],
    type_phrases: Mapping[str, Sequence[str]],
    cap: int,
) -> list[str]:
    """The sample with slot values filled in: all of them, or a deterministic subset.

    The subset always holds every value of every slot at least once (the others at their first
    value: a number of variants linear in the slots' sizes, kept even beyond `cap`), then
    pseudo-random combinations seeded by the sample's text until there are `cap` variants.
    """
    names = list(dict.fromkeys(slot_names_in(sample)))
    if not names:
        return [_normalise(sample)]
    choices: list[Sequence[str]] = []
    for name in names:
        slot_type = slot_types.get(name, "")
        options = type_phrases.get(slot_type) or BUILTIN_SLOT_VALUES.get(slot_type)
        choices.append(options or (f"<{slot_type or name}>",))
    total = 1
    for options in choices:
        total *= len(options)
    if total <= cap:
        combos: Iterable[Sequence[str]] = itertools.product(*choices)
    else:
        picked: dict[tuple[int, ...], None] = {}
        for position, options in enumerate(choices):
            for option_index in range(len(options)):
                key = tuple(option_index if p == position else 0 for p in range(len(choices)))
                picked[key] = None
        rng = random.Random(zlib.crc32(sample.encode("utf-8")))
        attempts = 0
        while len(picked) < cap and attempts < cap * 4:
            attempts += 1
            picked[tuple(rng.randrange(len(options)) for options in choices)] = None
        combos = [[options[i] for options, i in zip(choices, key, strict=True)] for key in picked]
    return [_normalise(_fill(sample, dict(zip(names, combo, strict=True)))) for combo in combos]


FAMILY = frozenset({"ReportIntent", "AnswerIntent"})


class _SampleMatcher:
    """Whether a phrase is the sample with each slot filled by one of its type's phrases: what a
    regular expression of the sample with an alternation per slot would say, without compiling
    an alternation of thousands of phrases for each sample."""

    def __init__(self, pieces: Sequence[str | frozenset[str]]) -> None:
        self._pieces = pieces

    def fullmatch(self, phrase: str) -> bool:
        return self._match(phrase, 0, 0)

    def _match(self, phrase: str, index: int, at: int) -> bool:
        if index == len(self._pieces):
            return at == len(phrase)
        piece = self._pieces[index]
        if isinstance(piece, str):
            return phrase.startswith(piece, at) and self._match(phrase, index + 1, at + len(piece))
        return any(
            phrase[at:end] in piece and self._match(phrase, index + 1, end)
            for end in range(at + 1, len(phrase) + 1)
        )


def _sample_regex(
    sample: str, slot_types: Mapping[str, str], type_phrases: Mapping[str, Sequence[str]]
) -> _SampleMatcher:
    pieces: list[str | frozenset[str]] = []
    for index, piece in enumerate(_SLOT_RE.split(_normalise(sample))):
        if index % 2:
            slot_type = slot_types.get(piece, "")
            options = type_phrases.get(slot_type) or BUILTIN_SLOT_VALUES.get(slot_type) or ()
            pieces.append(frozenset(options))
        elif piece:
            pieces.append(piece)
    return _SampleMatcher(pieces)


def check_conflicts(
    model: Mapping[str, Any],
    language: Language,
    cap: int = DEFAULT_EXPANSION_CAP,
    family: frozenset[str] = FAMILY,
) -> list[Problem]:
    """No phrase reaches two intents once slot values and synonyms are filled in.

    Built-in intents own the phrases the language file lists for them. Samples without slots
    are phrases as they stand; a slotted sample outside `family` is expanded with its slots'
    values and synonyms (at most `cap` variants, chosen deterministically); a slotted sample of
    `family` (ReportIntent and AnswerIntent, whose facts the skill adds alike, so that a phrase
    reaching both is no conflict) is matched against every phrase owned by another intent.
    """
    type_phrases: dict[str, list[str]] = {}
    for slot_type in _types(model):
        phrases = type_phrases.setdefault(str(slot_type.get("name")), [])
        for value in _values(slot_type):
            for _relative, phrase in _value_phrases(value):
                key = _normalise(phrase)
                if key not in phrases:
                    phrases.append(key)
    owner: dict[str, tuple[str, str]] = {}  # phrase -> (intent name, path)
    present = {intent.get("name") for intent in _intents(model)}
    for intent_name, builtin_phrases in _builtin_phrases(language).items():
        if intent_name in present:
            for phrase in builtin_phrases:
                owner.setdefault(
                    _normalise(phrase), (intent_name, f"intents[{intent_name}] (built-in)")
                )
    problems: list[Problem] = []
    reported: set[tuple[str, str]] = set()

    def claim(phrase: str, name: str, path: str) -> None:
        first = owner.get(phrase)
        if first is None:
            owner[phrase] = (name, path)
        elif (
            first[0] != name and not {first[0], name} <= family and (path, first[1]) not in reported
        ):
            reported.add((path, first[1]))
            problems.append((path, f"{phrase!r} also reaches {first[0]} via {first[1]}"))

    matched_later: list[tuple[str, str, str, Mapping[str, str]]] = []
    for intent in _intents(model):
        name = str(intent.get("name"))
        slot_types = {str(slot.get("name")): str(slot.get("type")) for slot in _slots(intent)}
        for index, sample in enumerate(_samples(intent)):
            if not isinstance(sample, str):
                continue
            path = f"{_intent_path(intent)}.samples[{index}]"
            if name in family and slot_names_in(sample):
                matched_later.append((sample, name, path, slot_types))
                continue
            for phrase in _expansions(sample, slot_types, type_phrases, cap):
                claim(phrase, name, path)
    others = [(p, o) for p, o in owner.items() if o[0] not in family]
    words_of = {p: set(p.split()) for p, _o in others}
    for sample, _name, path, slot_types in matched_later:
        literal = set(_SLOT_RE.sub(" ", _normalise(sample)).split())
        regex: _SampleMatcher | None = None
        for phrase, first in others:
            if not literal <= words_of[phrase] or (path, first[1]) in reported:
                continue
            regex = regex or _sample_regex(sample, slot_types, type_phrases)
            if regex.fullmatch(phrase):
                reported.add((path, first[1]))
                problems.append((path, f"{phrase!r} also reaches {first[0]} via {first[1]}"))
    return problems


def check_limits(model: Mapping[str, Any], size_bytes: int | None = None) -> list[Problem]:
    """Amazon's documented limits (LIMITS_SOURCE): model size, intents, intents and slot types,
    characters in a slot value or synonym."""
    problems: list[Problem] = []
    where = "interactionModel"
    if size_bytes is not None and size_bytes > MAX_MODEL_BYTES:
        problems.append(
            (
                where,
                f"{size_bytes:,} bytes: more than Amazon's {MAX_MODEL_BYTES:,} ({LIMITS_SOURCE})",
            )
        )
    intents, types = len(_intents(model)), len(_types(model))
    if intents > MAX_INTENTS:
        problems.append((where, f"{intents} intents: more than {MAX_INTENTS} ({LIMITS_SOURCE})"))
    if intents + types > MAX_INTENTS_AND_TYPES:
        problems.append(
            (
                where,
                f"{intents + types} intents and slot types: more than "
                f"{MAX_INTENTS_AND_TYPES} ({LIMITS_SOURCE})",
            )
        )
    for slot_type in _types(model):
        for index, value in enumerate(_values(slot_type)):
            base = f"{_type_path(slot_type)}.values[{_value_label(value, index)}]"
            for relative, phrase in _value_phrases(value):
                if len(phrase) > MAX_VALUE_CHARACTERS:
                    problems.append(
                        (
                            f"{base}.{relative}",
                            f"longer than {MAX_VALUE_CHARACTERS} characters ({LIMITS_SOURCE})",
                        )
                    )
    return problems


def check_open_samples(model: Mapping[str, Any], language: Language) -> list[Problem]:
    """No intent sample is only slots and words that say nothing ("i'm {pregnancy}"): Alexa
    would fill such a slot with anything. Bare answers belong in a slot's own samples, used
    with Dialog.ElicitSlot."""
    hollow = language.hollow_words | language.fillers | language.edge_fillers
    problems: list[Problem] = []
    for intent in _intents(model):
        for index, sample in enumerate(_samples(intent)):
            if not isinstance(sample, str) or not slot_names_in(sample):
                continue
            words = _SLOT_RE.sub(" ", sample).split()
            if all(word in hollow for word in words):
                problems.append(
                    (
                        f"{_intent_path(intent)}.samples[{index}]",
                        f"{sample!r} is open: only slots and words that say nothing",
                    )
                )
    return problems


def check_slot_placement(model: Mapping[str, Any], language: Language) -> list[Problem]:
    """A value said where the model only has another type's slot lands in that slot ("i feel
    dizzy and i bled" read as consent='i feel dizzy'). For each intent, every custom slot type
    that stands at an open place (between the start or end of a sample and a joining word, or
    between two joining words: "{x} and ...", "... and {x}", "... and {x} and ...") must stand
    at each such place the intent has. Reports one example value of each missing type."""
    joining = language.joining_words
    examples = {
        str(t.get("name")): phrase
        for t in _types(model)
        for value in _values(t)[:1]
        for _r, phrase in list(_value_phrases(value))[:1]
    }
    problems: list[Problem] = []
    for intent in _intents(model):
        slot_types = {str(slot.get("name")): str(slot.get("type")) for slot in _slots(intent)}
        places: dict[tuple[str, str], dict[str, tuple[int, str]]] = {}
        for index, sample in enumerate(_samples(intent)):
            if not isinstance(sample, str):
                continue
            tokens = ["^", *sample.split(), "$"]
            for position, token in enumerate(tokens):
                if not token.startswith("{"):
                    continue
                slot_type = slot_types.get(token[1:-1], "")
                if slot_type.startswith("AMAZON.") or slot_type not in examples:
                    continue
                before, after = tokens[position - 1], tokens[position + 1]
                if not {before, after} <= {"^", "$", *joining}:
                    continue
                places.setdefault((before, after), {}).setdefault(slot_type, (index, token))
        open_types = {t for found in places.values() for t in found}
        for (before, after), found in sorted(places.items()):
            for missing in sorted(open_types - set(found)):
                index, token = next(iter(found.values()))
                problems.append(
                    (
                        f"{_intent_path(intent)}.samples[{index}]",
                        f"{examples[missing]!r} ({missing}) said between {before!r} and {after!r} "
                        f"would land in {token}: no sample puts a {missing} slot there",
                    )
                )
    return problems


def check_all(
    model: Mapping[str, Any],
    expected_types: Mapping[str, Sequence[str]],
    language: Language,
    expected_slots: Mapping[str, str] | None = None,
    slot_intents: Sequence[str] = ("ReportIntent", "AnswerIntent"),
    builtins: Sequence[str] = SKILL_BUILTINS,
    size_bytes: int | None = None,
) -> list[Problem]:
    """Every check. `expected_types`: type name -> ids (the slot plan's `types`);
    `expected_slots`: slot name -> type (the slot plan's `slots`), required on each of
    `slot_intents`."""
    problems = check_structure(model)
    if problems:
        return problems
    problems += check_invocation_name(model, language)
    problems += check_samples(model, language)
    problems += check_slots_declared(model)
    problems += check_slot_types(model)
    problems += check_unique_samples(model)
    problems += check_builtins(model, builtins)
    problems += check_type_ids(model, expected_types)
    problems += check_value_phrases(model, language)
    problems += check_duplicate_synonyms(model)
    problems += check_shared_phrases(model)
    if expected_slots is not None:
        for intent_name in slot_intents:
            problems += check_intent_slots(model, intent_name, expected_slots)
    problems += check_limits(model, size_bytes)
    problems += check_open_samples(model, language)
    problems += check_slot_placement(model, language)
    problems += check_slot_samples(model, language)
    problems += check_conflicts(model, language)
    return problems


def check_slot_samples(model: Mapping[str, Any], language: Language) -> list[Problem]:
    """A slot's own samples (for Dialog.ElicitSlot) follow the sample rules and hold that slot."""
    problems: list[Problem] = []
    for intent in _intents(model):
        for slot in _slots(intent):
            samples = slot.get("samples")
            if samples is None:
                continue
            path = f"{_intent_path(intent)}.slots[{slot.get('name')}].samples"
            if not isinstance(samples, list) or not samples:
                problems.append((path, "needs a non-empty list"))
                continue
            for index, sample in enumerate(samples):
                if not isinstance(sample, str) or f"{{{slot.get('name')}}}" not in sample:
                    problems.append((f"{path}[{index}]", f"{sample!r} does not hold the slot"))
                    continue
                words = _SLOT_RE.sub(" ", sample).split()
                reason = next(filter(None, (_word_problem(w, language) for w in words)), None)
                if reason:
                    problems.append((f"{path}[{index}]", f"{sample!r} {reason}"))
    return problems
