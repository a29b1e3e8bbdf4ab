"""`python -m skill triage`: facts in as JSON, the assessment out as JSON (see the contract)."""

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
from skill.core.model import TriageError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--locale", default=DEFAULT_LOCALE, help="words and policy (default en-US)")
    parser.add_argument("--facts", help="a JSON object of facts (default: read standard input)")
    parser.add_argument(
        "--batch", action="store_true", help="one JSON object per input line, one result per line"
    )


def triage(raw: str, locale: str, content: LocaleContent) -> dict[str, Any]:
    """One JSON text of facts -> the contract's result object; raises ValueError or TriageError."""
    try:
        facts = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(f"input is not JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(facts, dict):
        raise ValueError("input must be a JSON object of facts")
    result = render(assess(facts, locale=locale), content)
    question = next_question(facts, locale=locale)
    result["next_question"] = (
        {"id": question, "text": content.text("questions", question, "say")} if question else None
    )
    return result


def run(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if args.locale not in available_locales():
        print(
            f"unknown locale '{args.locale}' (have: {', '.join(available_locales())})",
            file=sys.stderr,
        )
        return 2
    content = default_content(args.locale)
    if args.batch:
        for line in stdin:
            if not line.strip():
                # One result per input line, so an empty line gets its own error line.
                print(json.dumps({"error": "empty line"}), file=stdout)
                continue
            try:
                result = triage(line, args.locale, content)
            except (ValueError, TriageError) as error:
                result = {"error": str(error)}
            print(json.dumps(result, ensure_ascii=False), file=stdout)
        return 0
    raw = args.facts if args.facts is not None else stdin.read()
    try:
        result = triage(raw, args.locale, content)
    except (ValueError, TriageError) as error:
        print(str(error).splitlines()[0], file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False), file=stdout)
    return 0
