"""The neutral screen sent to devices with a display (APL): the skill's name, nothing else.

Without it an Echo Show renders the speech or the card on a screen the household shares; with it
the screen shows the same plain document for the whole session, whatever is said or sent.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from skill.alexa.voice import Voice

SCREEN_FILE = Path(__file__).resolve().parent / "screen.json"
SCREEN_TOKEN = "care-compass-screen"


@lru_cache(maxsize=1)
def screen_document() -> dict[str, Any]:
    """The APL document (skill/alexa/screen.json), read once per process."""
    document: dict[str, Any] = json.loads(SCREEN_FILE.read_text(encoding="utf-8"))
    return document


def screen_data(voice: Voice) -> dict[str, Any]:
    """The document's data source: the locale's title for the screen."""
    return {"screen": {"title": voice.say("screen", "title")}}


def screen_directive(voice: Voice) -> Any:
    """Alexa.Presentation.APL.RenderDocument with the neutral document and this locale's title."""
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    return RenderDocumentDirective(
        token=SCREEN_TOKEN, document=screen_document(), datasources=screen_data(voice)
    )
