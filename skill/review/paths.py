"""Where the review tool finds what it shows: the repository's own files, beside the package.

The knowledge and the words are the installed package's (skill/knowledge, skill/content); the
evidence lives in the repository only (tests/, interaction_model/sentences/), so the pack is made
from a checkout, never from an installed wheel.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CONVERSATIONS_DIR",
    "NLU_DIR",
    "ROOT",
    "SENTENCES_DIR",
    "VIGNETTES_FILE",
    "ReviewError",
    "relative",
]

ROOT = Path(__file__).resolve().parent.parent.parent
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
