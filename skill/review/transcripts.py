"""Whole conversations, per locale: tests/conversations/<locale>/*.yaml played through the product's
simulator, turn by turn, as a reader would follow them.

Only the simulator's public surface is used: `Simulator(locale).say(text)` and the Turn's speech,
intent, level, card, reprompt, whispered and end_session. A turn the simulator cannot play is shown
with its error; a level other than the file's `expect.level` is marked for the reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from skill.review.paths import CONVERSATIONS_DIR, ReviewError, relative, remembered

__all__ = ["conversations"]


def _turn(simulator: Any, step: Mapping[str, Any]) -> dict[str, Any]:
    said = str(step.get("say", ""))
    expect = step.get("expect") or {}
    row: dict[str, Any] = {"say": said, "expected_level": expect.get("level", "-")}
    try:
        turn = simulator.say(said)
    except Exception as error:  # the simulator is the skill under review: show what went wrong
        row.update(error=f"{type(error).__name__}: {error}")
        return row
    card = getattr(turn, "card", None)
    row.update(
        intent=turn.intent,
        speech=turn.speech,
        reprompt=getattr(turn, "reprompt", None),
        card=(
            {"title": str(card.get("title", "")), "content": str(card.get("text", ""))}
            if isinstance(card, Mapping)
            else None
        ),
        level=turn.level,
        whispered=bool(getattr(turn, "whispered", False)),
        end_session=bool(getattr(turn, "end_session", False)),
    )
    return row


def _play(path: Path, locale: str) -> dict[str, Any]:
    from skill.simulator import Simulator  # the simulator loads the models: only when playing

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ReviewError(f"{relative(path)}: cannot be read ({error})") from None
    if not isinstance(data, Mapping) or not isinstance(data.get("turns"), list):
        raise ReviewError(f"{relative(path)}: needs a description and a list of turns")
    simulator = Simulator(locale)
    turns = [_turn(simulator, step) for step in data["turns"] if isinstance(step, Mapping)]
    for row in turns:
        wanted = row.pop("expected_level")
        row["as_expected"] = wanted == "-" or row.get("level") == wanted
        if wanted != "-":
            row["expected_level"] = wanted
    return {
        "id": path.stem,
        "file": relative(path),
        "description": str(data.get("description", "")).strip(),
        "turns": turns,
    }


def conversations(locales: list[str], folder: Path = CONVERSATIONS_DIR) -> dict[str, list[Any]]:
    """Each locale's conversations, played, in file-name order ([] for a locale without any)."""
    return {
        locale: [
            remembered(_play, path, locale, inputs=(path,))
            for path in sorted((folder / locale).glob("*.yaml"))
        ]
        for locale in locales
    }
