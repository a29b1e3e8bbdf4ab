"""The evidence a clinician weighs: the clinical vignettes with their expected and actual levels,
the held-out phrasing coverage per locale, and the invariants the tests hold (invariants.yaml).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from skill.core import FactError, Knowledge, assess, merge_facts, validate_facts
from skill.core.loader import read_yaml
from skill.review.paths import NLU_DIR, ROOT, VIGNETTES_FILE, ReviewError, relative, remembered
from skill.review.words import Words

__all__ = [
    "COVERAGE_COMMAND",
    "INVARIANTS_FILE",
    "coverage",
    "invariants",
    "missing_tests",
    "vignettes",
]

INVARIANTS_FILE = Path(__file__).resolve().parent / "invariants.yaml"
COVERAGE_COMMAND = "python -m skill check-model --coverage"
COVERAGE_MODULE = "skill.simulator.coverage"


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReviewError(f"{relative(path)}: missing (make the pack in a checkout)") from None
    except (OSError, yaml.YAMLError) as error:
        raise ReviewError(f"{relative(path)}: cannot be read ({error})") from None


def vignettes(
    knowledge: Knowledge, words: Words, path: Path = VIGNETTES_FILE
) -> list[dict[str, Any]]:
    """Each vignette's facts as told, the level expected and the level the core gives now."""
    data = _read(path)
    if not isinstance(data, Mapping) or not isinstance(data.get("vignettes"), list):
        raise ReviewError(f"{relative(path)}: needs a list of vignettes")
    benign = data.get("benign_story") or {}
    rows = []
    for number, raw in enumerate(data["vignettes"], 1):
        name = raw.get("name", f"#{number}") if isinstance(raw, Mapping) else f"#{number}"
        try:
            told = validate_facts(raw.get("facts") or {}, knowledge)
            base = validate_facts(benign, knowledge) if raw.get("on_benign_story") else {}
            facts = {**base, **told}
            later = validate_facts(raw.get("later") or {}, knowledge)
            facts = merge_facts(facts, later, knowledge) if later else facts
        except (FactError, AttributeError) as error:
            raise ReviewError(f"{relative(path)}: vignette {name}: {error}") from None
        assessment = assess(facts)
        rows.append(
            {
                "name": str(name),
                "story": str(raw.get("story", "")).strip(),
                "facts": words.facts_in_words(told),
                "on_benign_story": bool(raw.get("on_benign_story")),
                "later": words.facts_in_words(later),
                "expected": str(raw.get("level")),
                "actual": assessment.level.id,
                "rules_expected": [str(r) for r in raw.get("rules") or []],
                "rules_fired": list(assessment.rules),
                "basis": [str(b) for b in raw.get("basis") or []],
                "sources": [str(s) for s in raw.get("sources") or []],
                "note": str(raw.get("note", "")).strip(),
            }
        )
    return rows


def benign_story(words: Words, knowledge: Knowledge, path: Path = VIGNETTES_FILE) -> list[str]:
    data = _read(path)
    story = data.get("benign_story") if isinstance(data, Mapping) else None
    try:
        return words.facts_in_words(validate_facts(story or {}, knowledge))
    except FactError as error:
        raise ReviewError(f"{relative(path)}: benign_story: {error}") from None


def _coverage_module() -> Any:
    """skill.simulator.coverage (check-model --coverage) when it exists on this branch."""
    try:
        module = importlib.import_module(COVERAGE_MODULE)
    except ModuleNotFoundError as error:
        if error.name not in (COVERAGE_MODULE, COVERAGE_MODULE.rsplit(".", 1)[0]):
            raise
        return None
    if not (hasattr(module, "load_phrasings") and hasattr(module, "measure")):
        return None
    return module


def _measure(module: Any, locale: str, path: Path) -> tuple[int, float]:
    _, loaded = module.load_phrasings(path)
    result = module.measure(locale, loaded)
    return int(result.understood), round(float(result.share), 4)


def coverage(locales: list[str], folder: Path = NLU_DIR) -> dict[str, Any]:
    """Held-out phrasings per locale; with check-model's coverage module, how many are understood.

    {"measured": bool, "command": ..., "locales": {locale: {"file", "phrasings", "understood",
    "share"}}}: `understood` and `share` are None when the figure could not be measured here."""
    module = _coverage_module()
    found: dict[str, Any] = {}
    for locale in locales:
        path = folder / f"{locale}.yaml"
        row: dict[str, Any] = {"file": relative(path), "phrasings": 0, "understood": None}
        row["share"] = None
        if path.is_file():
            data = _read(path)
            phrasings = data.get("phrasings") if isinstance(data, Mapping) else None
            row["phrasings"] = len(phrasings) if isinstance(phrasings, list) else 0
            if module is not None:
                understood, share = remembered(_measure, module, locale, path, inputs=(path,))
                row["understood"], row["share"] = understood, share
        found[locale] = row
    return {"measured": module is not None, "command": COVERAGE_COMMAND, "locales": found}


def invariants(path: Path = INVARIANTS_FILE) -> list[dict[str, Any]]:
    data = read_yaml(path)
    entries = data.get("invariants") if isinstance(data, Mapping) else None
    if not isinstance(entries, list) or not entries:
        raise ReviewError(f"{path.name}: needs a list of invariants")
    found = []
    for index, entry in enumerate(entries, 1):
        says, tests = (
            entry.get(k) if isinstance(entry, Mapping) else None for k in ("says", "tests")
        )
        if not isinstance(says, str) or not isinstance(tests, list) or not tests:
            raise ReviewError(f"{path.name}: invariant {index}: needs 'says' and a list of 'tests'")
        found.append({"says": says.strip(), "tests": [str(t) for t in tests]})
    return found


def missing_tests(entries: list[dict[str, Any]], root: Path = ROOT) -> list[str]:
    """The tests an invariant names that do not exist (file, or `def` of that name in it)."""
    missing = []
    for entry in entries:
        for test in entry["tests"]:
            file, _, name = test.partition("::")
            path = root / file
            source = path.read_text(encoding="utf-8") if path.is_file() else ""
            if not name or not re.search(rf"^\s*def {re.escape(name)}\(", source, re.MULTILINE):
                missing.append(test)
    return missing
