"""Where the review tool finds what it shows: the repository's own files, beside the package.

The knowledge and the words are the installed package's (skill/knowledge, skill/content); the
evidence lives in the repository only (tests/, interaction_model/sentences/), so the pack is made
from a checkout, never from an installed wheel.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from skill.core.loader import ROOT

__all__ = [
    "CONVERSATIONS_DIR",
    "NLU_DIR",
    "ROOT",
    "SENTENCES_DIR",
    "VIGNETTES_FILE",
    "ReviewError",
    "relative",
    "remembered",
]

VIGNETTES_FILE = ROOT / "tests" / "core" / "vignettes.yaml"
CONVERSATIONS_DIR = ROOT / "tests" / "conversations"
NLU_DIR = ROOT / "tests" / "nlu"
SENTENCES_DIR = ROOT / "interaction_model" / "sentences"


class ReviewError(Exception):
    """The pack cannot be made; the message names the file and what is wrong, in one line."""


def relative(path: Path) -> str:
    """A path as the repository names it (POSIX style), or as given when outside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


# What the skill's answers are made of: a played conversation or a measured phrasing changes only
# when one of these files does.
_SKILL_DATA = (
    ROOT / "skill" / "knowledge",
    ROOT / "skill" / "content",
    ROOT / "skill" / "alexa",
    ROOT / "interaction_model",
)
Result = TypeVar("Result")


def _stamp(path: Path) -> tuple[tuple[str, int, int], ...]:
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.exists())


def data_stamp(*inputs: Path) -> tuple[Any, ...]:
    """Names, times and sizes of the skill's data files and of `inputs`: a cheap key that changes
    whenever any of them does."""
    return tuple(_stamp(path) for path in (*_SKILL_DATA, *inputs))


@lru_cache(maxsize=256)
def _remembered(work: Callable[..., Any], args: tuple[Any, ...], stamp: tuple[Any, ...]) -> Any:
    return work(*args)


def remembered(work: Callable[..., Result], *args: Any, inputs: tuple[Path, ...]) -> Result:
    """work(*args), computed once per process for the same skill data and input files: playing
    every conversation and measuring every phrasing take half a minute, and a pack is often made
    several times in one process (the tests, a served /review)."""
    return _remembered(work, args, data_stamp(*inputs))  # type: ignore[no-any-return]
