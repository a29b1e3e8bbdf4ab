"""`python -m skill chat`: talk to the skill without a speaker and see what a person would hear.

python -m skill chat                                  # interactive; Ctrl-D or :quit to leave
python -m skill chat --say "open care compass" --say "i bled after sex" --json
python -m skill chat --url http://127.0.0.1:5000/     # a running `python -m skill serve --dev`
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from skill.simulator.envelopes import SIMULATOR_SKILL_ID
from skill.simulator.interaction_model import ModelError
from skill.simulator.language import LanguageError
from skill.simulator.session import (
    DEFAULT_TIMEOUT,
    Send,
    Simulator,
    SimulatorError,
    Turn,
    http_send,
)

__all__ = ["configure", "format_turn", "run"]

QUIT = frozenset({":quit", ":q", ":exit"})


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--say",
        action="append",
        default=[],
        metavar="TEXT",
        help="one turn: what a person would say (repeatable); without it, an interactive chat",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object per turn")
    parser.add_argument("--locale", default="en-US", help="model and content locale (en-US)")
    parser.add_argument("--url", help="POST to this running endpoint instead of in-process")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait with --url (10)"
    )
    parser.add_argument(
        "--model-dir", type=Path, default=None, help="folder of <locale>.json interaction models"
    )
    parser.add_argument(
        "--skill-id", default=SIMULATOR_SKILL_ID, help="applicationId sent in each request"
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="also show the sample that matched and the request envelope sent",
    )


def _slot_text(turn: Turn) -> str:
    return ", ".join(
        f"{name}={value!r} (not in the catalogue)" if name in turn.no_match else f"{name}={value}"
        for name, value in turn.slots.items()
    )


def format_turn(turn: Turn, verbose: bool = False) -> str:
    """A turn as a maintainer reads it: what was understood, what would be heard."""
    slots = _slot_text(turn)
    lines = [f"  -> {turn.intent}" + (f" ({slots})" if slots else "")]
    if verbose:
        lines.append(f"  sample: {turn.sample}" if turn.sample else "  sample: (none)")
        lines.append(f"  request: {json.dumps(turn.request, ensure_ascii=False)}")
    voice = "Alexa (whispering)" if turn.whispered else "Alexa"
    lines.append(f"{voice}: {turn.speech}" if turn.speech else f"{voice}: (nothing)")
    if turn.reprompt:
        lines.append(f"  reprompt: {turn.reprompt}")
    if turn.card is not None:
        lines.append(f"  card: {turn.card['title']}")
        lines += [f"    {line}" if line else "" for line in turn.card["text"].splitlines()]
    if turn.question:
        lines.append(f"  asking: {turn.question}")
    if turn.level:
        lines.append(f"  level: {turn.level}")
    if turn.end_session:
        lines.append("  (session ended)")
    return "\n".join(lines)


@dataclass(frozen=True)
class Output:
    out: TextIO
    as_json: bool = False
    verbose: bool = False

    def show(self, turn: Turn) -> None:
        if self.as_json:
            self.out.write(json.dumps(turn.to_json(), ensure_ascii=False) + "\n")
        else:
            self.out.write(format_turn(turn, self.verbose) + "\n")
        self.out.flush()


def _script(simulator: Simulator, lines: list[str], output: Output) -> None:
    for line in lines:
        if not output.as_json:
            output.out.write(f"you: {line}\n")
        output.show(simulator.say(line))


def _interactive(simulator: Simulator, output: Output) -> None:
    invocation = simulator.matcher.model.invocation
    banner = sys.stderr if output.as_json else output.out  # keep --json output one object per line
    banner.write(
        f"Talking to '{invocation}' ({simulator.locale}). Say 'open {invocation}', or just "
        "talk. Ctrl-D or :quit to leave.\n"
    )
    typed = sys.stdin.isatty()
    while True:
        try:
            line = (input("you: ") if typed else _read_piped(output)).strip()
        except EOFError:
            banner.write("\n")
            return
        if line in QUIT:
            return
        if line:
            _turn(simulator, line, output)


def _turn(simulator: Simulator, line: str, output: Output) -> None:
    """One interactive turn; an endpoint that fails is reported and the chat goes on."""
    try:
        output.show(simulator.say(line))
    except SimulatorError as error:
        sys.stderr.write(f"error: {error}\n")


def _read_piped(output: Output) -> str:
    """A line from a pipe, echoed (without --json) so the transcript reads like a conversation."""
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    if not output.as_json:
        output.out.write(f"you: {line.strip()}\n")
    return line


def _sender(args: argparse.Namespace) -> Send | None:
    return http_send(args.url, timeout=args.timeout) if args.url else None


def usage_problem(args: argparse.Namespace) -> str | None:
    """Why --url or --timeout cannot work, before anything is sent."""
    if not (args.timeout > 0 and math.isfinite(args.timeout)):
        return f"--timeout must be a positive number of seconds, not {args.timeout:g}"
    if args.url is not None:
        parts = urllib.parse.urlsplit(args.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return f"--url must be an http:// or https:// address, not {args.url!r}"
    return None


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    problem = usage_problem(args)
    if problem:
        sys.stderr.write(f"error: {problem}\n")
        return 2
    try:
        simulator = Simulator(
            args.locale, model_dir=args.model_dir, send=_sender(args), skill_id=args.skill_id
        )
        output = Output(out, args.json, args.verbose)
        if args.say:
            _script(simulator, list(args.say), output)
        else:
            _interactive(simulator, output)
    except (ModelError, SimulatorError, LanguageError) as error:
        sys.stderr.write(f"error: {error}\n")
        return 1
    return 0
