"""`python -m skill <command>` (or `care-compass <command>`): one entry point, each command in
the layer that owns it.

Command modules are imported lazily so that `triage` never pays for Flask or the ASK SDK.

What every command gets from here, so none of them ends in a traceback:
- `--help` on stdout with status 0; no command, or an unknown one, a one-line error (plus the
  usage when there is no command at all) on stderr with status 2; `--version`;
- a closed pipe (`... | head`) ends the command quietly, with the status a shell gives a command
  killed by SIGPIPE (141); Ctrl-C ends it with 130.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# command name -> module exposing `configure(parser)` and `run(args) -> int`
COMMANDS: dict[str, tuple[str, str]] = {
    "triage": ("skill.core.command", "Assess facts read as JSON and print the result as JSON."),
    "serve": ("skill.web.serve", "Serve the skill over Flask with Alexa's request checks."),
    "chat": ("skill.simulator.chat", "Talk to the skill offline, as a speaker would hear it."),
    "check-model": ("skill.simulator.check", "Check the interaction models and their content."),
    "models": ("skill.simulator.templates", "Build the interaction models from their templates."),
    "review": ("skill.review.command", "Write the clinician review pack (a static site)."),
}
DISTRIBUTION = "care-compass"
BROKEN_PIPE_STATUS = 141  # 128 + SIGPIPE, as a shell reports a command the pipe closed on
INTERRUPTED_STATUS = 130  # 128 + SIGINT


def version() -> str:
    """The installed distribution's version, or the one pyproject.toml declares."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a checkout that was never pip-installed
        return "unknown"


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description=__doc__.split("\n\n", 1)[0].replace("\n", " ") if __doc__ else None,
        epilog=f"'{prog} <command> --help' tells more about one command.",
    )
    parser.add_argument("--version", action="version", version=f"{DISTRIBUTION} {version()}")
    sub = parser.add_subparsers(dest="command", metavar="command")
    for name, (_module, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    return parser


def _default_prog() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "python -m skill" if name in ("", "__main__.py", "-c") else name


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    prog = prog or _default_prog()
    try:
        return _dispatch(argv, prog)
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE_STATUS
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return INTERRUPTED_STATUS


def _dispatch(argv: list[str], prog: str) -> int:
    parser = _parser(prog)
    if not argv:
        parser.print_usage(sys.stderr)
        print(f"{prog}: no command given (one of: {', '.join(COMMANDS)})", file=sys.stderr)
        return 2
    first = argv[0]
    if first.startswith("-"):  # --help, -h, --version, or an option that does not exist
        try:
            parser.parse_args(argv[:1])
        except SystemExit as done:  # argparse has printed help, version or its error line
            return int(done.code or 0)
        return 2  # pragma: no cover - a lone option always exits above
    if first not in COMMANDS:
        print(
            f"{prog}: unknown command '{first}' (commands: {', '.join(COMMANDS)}; "
            f"'{prog} --help' lists them)",
            file=sys.stderr,
        )
        return 2
    module = importlib.import_module(COMMANDS[first][0])
    command_parser = argparse.ArgumentParser(prog=f"{prog} {first}", description=COMMANDS[first][1])
    module.configure(command_parser)
    try:
        args = command_parser.parse_args(argv[1:])
    except SystemExit as done:  # --help (0) or a usage error (2), already printed by argparse
        return int(done.code or 0)
    return int(module.run(args))


def _silence_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is not a real file (a test's StringIO): nothing to do
        pass
