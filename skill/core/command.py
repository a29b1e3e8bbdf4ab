"""`python -m skill triage`: facts in as JSON, the assessment out as JSON (docs/triage-contract.md,
"The command").

Bad input never ends in a traceback: one line on stderr and status 2 (in --batch, an
`{"error": ...}` line in the input line's place). A broken knowledge or content file: one line
naming it, status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from skill.core.content import (
    DEFAULT_LOCALE,
    LocaleContent,
    available_locales,
    default_content,
    render,
)
from skill.core.engine import assess, next_question
from skill.core.model import KnowledgeError, TriageError

NO_INPUT = "no input: pipe a JSON object or use --facts"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--locale",
        default=DEFAULT_LOCALE,
        help=f"words and policy, e.g. en-GB or en-gb (default {DEFAULT_LOCALE})",
    )
    parser.add_argument("--facts", help="a JSON object of facts (default: read standard input)")
    parser.add_argument(
        "--batch",
        action="store_true",
        help="one JSON object per input line, one result per line (not with --facts)",
    )


def resolve_locale(requested: str) -> str | None:
    """The shipped locale `requested` names, in any letter case, with '-' or '_'; else None."""
    wanted = requested.strip().replace("_", "-").lower()
    return next((locale for locale in available_locales() if locale.lower() == wanted), None)


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key '{key}' in the input: say each fact once")
        result[key] = value
    return result


def parse_facts(raw: str) -> dict[str, Any]:
    """One JSON text -> a facts object; raises ValueError with a one-line reason."""
    if not raw.strip():
        raise ValueError(NO_INPUT)
    try:
        facts = json.loads(raw, object_pairs_hook=_object_without_duplicates)
    except json.JSONDecodeError as error:
        raise ValueError(f"input is not JSON ({error.msg} at line {error.lineno})") from None
    except RecursionError:
        raise ValueError("input is not a facts object (JSON nested too deeply)") from None
    if not isinstance(facts, dict):
        raise ValueError("input must be a JSON object of facts")
    return facts


def triage(raw: str, locale: str, content: LocaleContent) -> dict[str, Any]:
    """One JSON text of facts -> the contract's result object; raises ValueError or TriageError."""
    facts = parse_facts(raw)
    result = render(assess(facts, locale=locale), content)
    question = next_question(facts, locale=locale)
    result["next_question"] = (
        {"id": question, "text": content.text("questions", question, "say")} if question else None
    )
    return result


def _one_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _fail(message: str, status: int = 2) -> int:
    print(message, file=sys.stderr)
    return status


def run(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if args.batch and args.facts is not None:
        return _fail("--facts and --batch do not go together: --batch reads standard input")
    locale = resolve_locale(args.locale)
    if locale is None:
        return _fail(f"unknown locale '{args.locale}' (have: {', '.join(available_locales())})")
    try:
        content = default_content(locale)
    except KnowledgeError as error:  # the installation is broken, not the input
        return _fail(f"the skill's data does not load: {_one_line(error)}", 1)
    if args.batch:
        return _batch(stdin, stdout, locale, content)
    if args.facts is not None:
        raw = args.facts
    elif stdin.isatty():  # nothing piped: say what to do instead of waiting for a typed object
        return _fail(NO_INPUT)
    else:
        try:
            raw = stdin.read()
        except UnicodeDecodeError:
            return _fail("input is not UTF-8 text")
    try:
        result = triage(raw, locale, content)
    except (ValueError, TriageError) as error:
        return _fail(_one_line(error))
    print(json.dumps(result, ensure_ascii=False), file=stdout)
    return 0


def _batch(stdin: TextIO, stdout: TextIO, locale: str, content: LocaleContent) -> int:
    """One result line per input line, in order; a bad line gets an error line of its own."""
    lines = iter(stdin)
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return 0
        except UnicodeDecodeError:
            return _fail("input is not UTF-8 text")
        if not line.strip():
            # One result per input line, so an empty line gets its own error line.
            result: dict[str, Any] = {"error": "empty line"}
        else:
            try:
                result = triage(line, locale, content)
            except (ValueError, TriageError) as error:
                result = {"error": _one_line(error)}
        print(json.dumps(result, ensure_ascii=False), file=stdout)
