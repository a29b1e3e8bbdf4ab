#!/usr/bin/env python3
"""Export tests/conversations/ as replay files for `ask dialog --replay`.

    python tools/export_replays.py [--skill-id amzn1.ask.skill.<uuid>] [--out build/replay]
    ask dialog --replay build/replay/en-US/emergency_heavy.json      (from the project root)

Each conversation (tests/conversations/<locale>/<name>.yaml) becomes
build/replay/<locale>/<name>.json in the ASK CLI's replay format (its docs/concepts/
Dialog-Command.md and lib/model/dialog-replay-file.js):

    {"skillId": "...", "locale": "en-US", "type": "text", "userInput": ["open care compass", ...]}

so the same words can be said to the deployed skill through Alexa's simulation API. The ASK CLI
needs the skill id in the file (--skill-id, default environment ALEXA_SKILL_ID, else the id `ask
deploy` recorded in ask-resources.json); ".quit" ends the list, so a replay exits instead of
staying in interactive mode.

Alexa only sends a turn to the skill while its session is open, or when the words name the skill.
The offline simulator accepts a conversation's first words without the invocation name; for
Alexa such a turn (at the start, or after the skill ended the session) is prefixed with the
locale's "ask <invocation name>", found by playing the conversation through the simulator. The
expectations stay in the YAML: a replay shows the live answers; compare them by reading.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONVERSATIONS = ROOT / "tests" / "conversations"
DEFAULT_OUT = ROOT / "build" / "replay"
SKILL_ID = re.compile(r"^amzn1\.ask\.skill\.[0-9a-fA-F-]{36}$")
ASK = {"en": "ask {invocation} {said}", "es": "pídele a {invocation} que {said}"}
QUIT = ".quit"


class ExportError(RuntimeError):
    """A conversation cannot be exported; the message says why."""


def conversation_says(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text("utf-8"))
    turns = data.get("turns") if isinstance(data, dict) else None
    if not isinstance(turns, list) or not turns:
        raise ExportError(f"{path}: no turns")
    says = [turn.get("say") if isinstance(turn, dict) else None for turn in turns]
    if not all(isinstance(say, str) and say.strip() for say in says):
        raise ExportError(f"{path}: every turn needs a `say` string")
    return [str(say) for say in says]


def user_input(locale: str, says: Iterable[str]) -> list[str]:
    """What to type to Alexa, turn by turn: the invocation added where Alexa would need it."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from skill.simulator import Simulator
    from skill.simulator.interaction_model import load_model

    simulator = Simulator(locale)
    invocation = load_model(locale).invocation
    template = ASK.get(locale.split("-")[0])
    if template is None:
        raise ExportError(f"{locale}: no way known to ask the skill in this language")
    typed = []
    for said in says:
        if not simulator.in_session and not simulator.matcher.understand(said).new_session:
            said = template.format(invocation=invocation, said=said)
        simulator.say(said)
        typed.append(said)
    return [*typed, QUIT]


def replay_file(skill_id: str, locale: str, says: Iterable[str]) -> dict[str, Any]:
    return {
        "skillId": skill_id,
        "locale": locale,
        "type": "text",
        "userInput": user_input(locale, says),
    }


def export(
    skill_id: str, out: Path = DEFAULT_OUT, conversations: Path = CONVERSATIONS
) -> list[Path]:
    """Write one replay file per conversation under `out`/<locale>/; return them."""
    if not SKILL_ID.match(skill_id):
        raise ExportError(f"not an Alexa skill id: {skill_id!r}")
    files = sorted(conversations.glob("*/*.yaml"))
    if not files:
        raise ExportError(f"no conversations in {conversations}")
    written = []
    for path in files:
        locale = path.parent.name
        target = out / locale / f"{path.stem}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        data = replay_file(skill_id, locale, conversation_says(path))
        target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
        written.append(target)
    return written


def recorded_skill_id(resources: Path = ROOT / "ask-resources.json") -> str | None:
    """The skill id `ask deploy` wrote into ask-resources.json, if any."""
    try:
        data = json.loads(resources.read_text("utf-8"))
        skill_id = data["profiles"]["default"]["skillId"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return skill_id if isinstance(skill_id, str) and skill_id else None


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--skill-id",
        default=os.environ.get("ALEXA_SKILL_ID") or recorded_skill_id(),
        help="the deployed skill's id (env ALEXA_SKILL_ID, else the one ask deploy recorded in "
        "ask-resources.json); the ASK CLI needs it in the file",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(None if argv is None else list(argv))
    if not args.skill_id:
        print(
            "export_replays: no skill id: set ALEXA_SKILL_ID (ask-resources.json has it after "
            "the first `ask deploy`)",
            file=sys.stderr,
        )
        return 2
    try:
        written = export(args.skill_id, args.out)
    except ExportError as error:
        print(f"export_replays: {error}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} replay files under {args.out}")
    example = written[0].relative_to(ROOT) if written[0].is_relative_to(ROOT) else written[0]
    print(f"replay one against the deployed skill (from {ROOT}): ask dialog --replay {example}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
