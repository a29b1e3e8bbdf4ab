"""Everything the pack shows, gathered once into plain data: the pack.json a later pack's
`--since` compares with, and what the pages are rendered from.
"""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path
from typing import Any

from skill.alexa.conversation import ANSWER_WORD_BUDGET
from skill.alexa.data import default_data
from skill.alexa.voice import Voice
from skill.core import Knowledge, available_locales
from skill.review import evidence
from skill.review.knowledge import decisions, knowledge_data
from skill.review.paths import CONVERSATIONS_DIR, NLU_DIR, ROOT, VIGNETTES_FILE
from skill.review.speech import (
    WORDS_PER_SECOND,
    answer,
    finished,
    load_cases,
    locale_texts,
    questions,
)
from skill.review.transcripts import conversations
from skill.review.version import digest, fingerprint
from skill.review.words import Words, load_words

__all__ = ["PACK_FORMAT", "collect"]

PACK_FORMAT = 1
REVIEW_LOCALE = "en-US"  # the words of causes and advice on the rules pages


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def made() -> dict[str, Any]:
    """When and from what the pack was made (not compared between packs)."""
    status = _git("status", "--porcelain", "--", "skill", "interaction_model", "tests")
    return {
        "date": datetime.date.today().isoformat(),
        "commit": _git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(status) if status is not None else None,
    }


def _locale(
    voice: Voice, knowledge: Knowledge, words: Words, cases: Any, answers: Any
) -> dict[str, Any]:
    rendered = []
    for case in cases:
        facts = finished(case, answers, voice.locale, knowledge)
        rendered.append(
            {
                "case": case.id,
                "story": case.story,
                "facts": words.facts_in_words(facts),
                **answer(facts, voice),
            }
        )
    return {
        "services": dict(voice.services),
        "service_sources": list(voice.triage.service_sources),
        "policy": {
            "benign_level": knowledge.policies[voice.locale].benign_level.id
            if voice.locale in knowledge.policies
            else None
        },
        "answers": rendered,
        "questions": questions(voice, knowledge),
        "texts": locale_texts(voice),
    }


def collect(
    conversations_dir: Path = CONVERSATIONS_DIR,
    nlu_dir: Path = NLU_DIR,
    vignettes_file: Path = VIGNETTES_FILE,
) -> dict[str, Any]:
    """The pack's data. Loading the skill's files checks them first, as the skill does at start."""
    skill_data = default_data()
    knowledge, voices = skill_data.knowledge, skill_data.voices
    locales = available_locales()
    words = load_words(knowledge)
    cases, answers = load_cases(knowledge)
    data: dict[str, Any] = {
        "format": PACK_FORMAT,
        "fingerprint": fingerprint(),
        "word_budget": ANSWER_WORD_BUDGET,
        "words_per_second": WORDS_PER_SECOND,
        "locales_order": locales,
        "knowledge": knowledge_data(knowledge, words, voices[REVIEW_LOCALE].triage, decisions()),
        "cases": [
            {"id": c.id, "story": c.story, "facts": words.facts_in_words(c.facts)} for c in cases
        ],
        "locales": {
            locale: _locale(voices[locale], knowledge, words, cases, answers) for locale in locales
        },
        "conversations": conversations(locales, conversations_dir),
        "benign_story": evidence.benign_story(words, knowledge, vignettes_file),
        "vignettes": evidence.vignettes(knowledge, words, vignettes_file),
        "coverage": evidence.coverage(locales, nlu_dir),
        "invariants": evidence.invariants(),
    }
    # What the pages show, hashed: a change in code that changes what people hear changes this
    # even when the fingerprint of the files does not.
    data["shown_sha256"] = digest({k: v for k, v in data.items() if k != "fingerprint"})
    data["made"] = made()
    return data
