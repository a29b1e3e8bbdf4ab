"""`python -m skill review`: write the clinician review pack (docs/review-pack.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from skill.review.paths import ROOT

DEFAULT_OUT = ROOT / "dist" / "review"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="DIR",
        help="write the pack here (default dist/review/)",
    )
    parser.add_argument(
        "--since",
        type=Path,
        metavar="OLD_PACK_DIR",
        help="an earlier pack's folder: show what changed since it, for a re-review",
    )


def _fail(message: str) -> int:
    print(f"python -m skill review: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from skill.core import TriageError
    from skill.review import ReviewError, write_pack
    from skill.review.check import check_pack

    out: Path = args.out
    if args.since is not None and args.since.resolve() == out.resolve():
        return _fail("--since must name another folder than --out (the pack is rewritten)")
    try:
        site = write_pack(out, since=args.since)
    except ReviewError as error:
        return _fail(str(error))
    except TriageError as error:  # a broken knowledge or content file names itself
        return _fail(f"the skill's files are broken: {' '.join(str(error).split())}")
    except OSError as error:
        return _fail(f"cannot write {out}: {error.strerror or error}")
    problems = check_pack(out)
    for file, message in problems:
        print(f"[ERROR] {file}: {message}", file=sys.stderr)
    pages = sum(1 for name in site if name.endswith(".html"))
    print(f"{out}: {pages} pages, {len(problems)} problem(s)")
    return 1 if problems else 0
