"""The version a clinician signs, and what changed since an earlier pack.

The fingerprint is the sha256 of a `sha256sum`-style list (one "<sha256>  <path>" line per file,
sorted by path) of the knowledge (skill/knowledge/*.yaml), the words (skill/content/<locale>/*.yaml)
and the sentence templates (interaction_model/sentences/, when the branch has them), so anyone can
recompute it with `sha256sum` alone (docs/review-pack.md). `changes(old, new)` compares two packs'
pack.json data: rules, knowledge items, texts, rendered answers, questions, vignettes' levels and
conversations; only what differs is shown on the changes page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from skill.core.loader import CONTENT_DIR, KNOWLEDGE_DIR
from skill.review.paths import SENTENCES_DIR, relative

__all__ = ["changes", "digest", "fingerprint", "fingerprinted_files"]


def fingerprinted_files(
    knowledge_dir: Path = KNOWLEDGE_DIR,
    content_dir: Path = CONTENT_DIR,
    sentences_dir: Path = SENTENCES_DIR,
) -> list[Path]:
    files = [*knowledge_dir.glob("*.yaml"), *content_dir.glob("*/*.yaml")]
    if sentences_dir.is_dir():
        files += [
            p for p in sentences_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ]
    return sorted(files, key=relative)


def fingerprint(files: Iterable[Path] | None = None) -> dict[str, Any]:
    """{"sha256": the fingerprint, "list": the sha256sum-style text it is the hash of, "files":
    {path: sha256}}."""
    hashes = {
        relative(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in (fingerprinted_files() if files is None else files)
    }
    listing = "".join(f"{sha}  {path}\n" for path, sha in sorted(hashes.items()))
    return {
        "sha256": hashlib.sha256(listing.encode("utf-8")).hexdigest(),
        "list": listing,
        "files": dict(sorted(hashes.items())),
    }


def digest(data: Any) -> str:
    """The sha256 of JSON data, written canonically (sorted keys, no spaces)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


Change = dict[str, Any]  # {"what": ..., "id": ..., "change": added|removed|changed, "old", "new"}


def _compare(what: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    found: list[Change] = []
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        change = "added" if key not in old else "removed" if key not in new else "changed"
        found.append({"what": what, "id": key, "change": change, "old": before, "new": after})
    return found


def _by(items: Iterable[Mapping[str, Any]], key: str) -> dict[str, Any]:
    return {str(item[key]): item for item in items}


def _texts(pack: Mapping[str, Any], locale: str) -> dict[str, Any]:
    rows = pack.get("locales", {}).get(locale, {}).get("texts", [])
    return {f"{row['file']}: {row['key']}": row["text"] for row in rows}


def _answers(pack: Mapping[str, Any], locale: str) -> dict[str, Any]:
    rows = pack.get("locales", {}).get(locale, {}).get("answers", [])
    keep = ("level", "speech", "card", "whispered", "offer")
    return {row["case"]: {k: row.get(k) for k in keep} for row in rows}


def _questions(pack: Mapping[str, Any], locale: str) -> dict[str, Any]:
    rows = pack.get("locales", {}).get(locale, {}).get("questions", [])
    return {row["id"]: {k: row.get(k) for k in ("say", "reprompt", "choices")} for row in rows}


def _vignette_levels(pack: Mapping[str, Any]) -> dict[str, Any]:
    return {
        row["name"]: {"expected": row["expected"], "actual": row["actual"]}
        for row in pack.get("vignettes", [])
    }


def _conversation(pack: Mapping[str, Any], locale: str) -> dict[str, Any]:
    keep = ("say", "intent", "speech", "level", "card", "error")
    return {
        item["id"]: [{k: turn.get(k) for k in keep} for turn in item["turns"]]
        for item in pack.get("conversations", {}).get(locale, [])
    }


def changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Change]]:
    """What differs between two packs, section by section (empty sections included)."""
    ok, nk = old.get("knowledge", {}), new.get("knowledge", {})
    found: dict[str, list[Change]] = {
        "rules": _compare("rule", _by(ok.get("rules", []), "id"), _by(nk.get("rules", []), "id")),
        "knowledge": [
            *_compare("advice", ok.get("advice", {}), nk.get("advice", {})),
            *_compare("cause", ok.get("causes", {}), nk.get("causes", {})),
            *_compare(
                "question", _by(ok.get("questions", []), "id"), _by(nk.get("questions", []), "id")
            ),
            *_compare(
                "implication",
                _by(ok.get("implications", []), "id"),
                _by(nk.get("implications", []), "id"),
            ),
            *_compare(
                "safety net",
                _by(ok.get("safety_net", []), "id"),
                _by(nk.get("safety_net", []), "id"),
            ),
            *_compare("source", ok.get("sources", {}), nk.get("sources", {})),
            *_compare("policy", ok.get("policies", {}), nk.get("policies", {})),
        ],
        "vignettes": _compare("vignette", _vignette_levels(old), _vignette_levels(new)),
    }
    locales = list(dict.fromkeys([*old.get("locales", {}), *new.get("locales", {})]))
    for locale in locales:
        found[f"texts {locale}"] = _compare("text", _texts(old, locale), _texts(new, locale))
        found[f"answers {locale}"] = [
            *_compare("answer", _answers(old, locale), _answers(new, locale)),
            *_compare("question", _questions(old, locale), _questions(new, locale)),
        ]
        found[f"conversations {locale}"] = _compare(
            "conversation", _conversation(old, locale), _conversation(new, locale)
        )
    return found
