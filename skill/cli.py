"""`python -m skill <command>`: one entry point, each command in the layer that owns it.

Command modules are imported lazily so that `triage` never pays for Flask or the ASK SDK.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# command name -> module exposing `configure(parser)` and `run(args) -> int`
COMMANDS: dict[str, tuple[str, str]] = {
    "triage": ("skill.core.command", "Assess facts read as JSON and print the result as JSON."),
    "serve": ("skill.web.serve", "Serve the skill over Flask with Alexa's request checks."),
    "chat": ("skill.simulator.chat", "Talk to the skill offline, as a speaker would hear it."),
    "check-model": ("skill.simulator.check", "Check the interaction models and their content."),
    "models": ("skill.simulator.templates", "Build the interaction models from their templates."),
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m skill", description=__doc__)
    sub = parser.add_subparsers(dest="command", metavar="command")
    for name, (_module, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    if not argv or argv[0] not in COMMANDS:
        parser.print_help(sys.stderr if argv else sys.stdout)
        return 2 if argv else 0
    name = argv[0]
    module = importlib.import_module(COMMANDS[name][0])
    command_parser = argparse.ArgumentParser(
        prog=f"python -m skill {name}", description=COMMANDS[name][1]
    )
    module.configure(command_parser)
    args = command_parser.parse_args(argv[1:])
    return int(module.run(args))
