"""`python -m skill serve`: the skill on Flask's built-in server, for local use.

For production use a WSGI server behind TLS: ``gunicorn -w 4 skill.web.wsgi:app``.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["configure", "is_loopback", "run"]

log = logging.getLogger("skill.web")

LOG_LEVELS = ("debug", "info", "warning", "error")
_DEV_BANNER = (
    "DEV MODE: Alexa signature and timestamp checks are OFF. "
    "Loopback only; never expose this server."
)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("port must be a number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError("port must be between 1 and 65535")
    return port


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=5000, help="port to bind (default 5000)")
    parser.add_argument(
        "--skill-id",
        default=os.environ.get("ALEXA_SKILL_ID"),
        help="accept requests for this skill only (default: environment ALEXA_SKILL_ID)",
    )
    parser.add_argument(
        "--dev",
        action="store_true",
        help="turn signature and timestamp checks off; loopback addresses only",
    )
    parser.add_argument(
        "--cert-dir", metavar="DIR", help="serve certificate chains from DIR, not the network"
    )
    parser.add_argument(
        "--trust-root",
        metavar="PEM",
        action="append",
        default=[],
        help="also trust the root certificate(s) in PEM (repeatable)",
    )
    parser.add_argument("--log-level", choices=LOG_LEVELS, default="info")


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _fail(message: str, status: int = 2) -> int:
    """One line on stderr; 2 for options that cannot work, 1 when the app itself cannot start."""
    print(f"python -m skill serve: {message}", file=sys.stderr)
    return status


def _first_line(exc: BaseException) -> str:
    lines = str(exc).splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"


def _problem(args: argparse.Namespace) -> str | None:
    """A one-line reason to refuse these options, or None."""
    if args.dev and not is_loopback(args.host):
        return f"--dev serves without Alexa's checks, so it binds loopback only, not {args.host}"
    if args.cert_dir and not Path(args.cert_dir).is_dir():
        return f"--cert-dir {args.cert_dir} is not a directory"
    for pem in args.trust_root:
        if not Path(pem).is_file():
            return f"--trust-root {pem} is not a file"
    return None


def _config(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "ALEXA_SKILL_ID": args.skill_id or None,
        "VERIFY_SIGNATURE": not args.dev,
        "VERIFY_TIMESTAMP": not args.dev,
        "CERT_DIR": args.cert_dir,
        "TRUST_ROOTS": list(args.trust_root),
    }


def _configure_logging(level_name: str) -> None:
    """--log-level applies to our logger; other libraries stay at INFO or above."""
    level = logging.getLevelNamesMapping()[level_name.upper()]
    logging.basicConfig(
        level=max(level, logging.INFO), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    log.setLevel(level)
    # werkzeug's access lines carry the query string: our own access log replaces them.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def _announce(args: argparse.Namespace) -> None:
    if args.dev:
        rule = "!" * len(_DEV_BANNER)
        for line in (rule, _DEV_BANNER, rule):
            log.warning(line)
    if args.cert_dir:
        log.info("certificate chains from directory %s (no downloads)", args.cert_dir)
    if args.trust_root:
        log.info("extra trust roots: %s", ", ".join(args.trust_root))
    log.info("skill id check: %s", "on" if args.skill_id else "off")
    log.info(
        "listening on http://%s:%d/ (Flask's built-in server, local use only)", args.host, args.port
    )


def run(args: argparse.Namespace) -> int:
    problem = _problem(args)
    if problem:
        return _fail(problem)
    _configure_logging(args.log_level)
    from skill.core import TriageError
    from skill.web.app import create_app  # lazily: `--help` and refusals need no Flask

    try:
        app = create_app(_config(args))
    except (OSError, TypeError, ValueError) as exc:
        return _fail(f"bad configuration: {_first_line(exc)}")
    except ImportError as exc:
        return _fail(f"the skill cannot be loaded: {_first_line(exc)}", status=1)
    except TriageError as exc:  # a broken knowledge or content file: its message names both
        return _fail(f"the skill's files are broken: {' '.join(str(exc).split())}", status=1)
    _announce(args)
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False, threaded=True)
    return 0
