"""`python -m skill serve`: the skill on Werkzeug's threaded server, for local use.

For production use gunicorn behind a TLS terminator that buffers requests (docs/endpoint.md):
``gunicorn -c python:skill.web.gunicorn_conf skill.web.wsgi:app``.

Without ``--dev`` every check is on and the skill id is required (``--skill-id`` or
ALEXA_SKILL_ID), unless ``--any-skill`` says in so many words that any skill may be answered.
Every refusal is one line on stderr with exit status 2. The port is bound before anything says
it is listening, so a port in use is one line too.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import logging
import os
import socket
import sys
from pathlib import Path
from typing import Any

from skill.web.startup import StartupRefused, check_skill_id_format, require_skill_id

__all__ = ["configure", "is_loopback", "run", "url_for"]

log = logging.getLogger("skill.web")

LOG_LEVELS = ("debug", "info", "warning", "error")
_DEV_BANNER = (
    "DEV MODE: Alexa signature and timestamp checks are OFF. "
    "Loopback only; never expose this server."
)
_HOW = "give --skill-id amzn1.ask.skill.<uuid> (or set ALEXA_SKILL_ID), or say --any-skill"


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
        help="accept requests for this skill only, amzn1.ask.skill.<uuid> "
        "(default: environment ALEXA_SKILL_ID; required without --dev or --any-skill)",
    )
    parser.add_argument(
        "--any-skill",
        action="store_true",
        help="start without a skill id and answer requests for any skill (not for production)",
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
    parser.add_argument(
        "--write-privacy-page",
        metavar="FILE",
        help="write the privacy policy page (the one served at /privacy) to FILE, or to "
        "standard output for '-', and exit without serving",
    )


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind_host(host: str) -> str:
    """The address to bind: ``[::1]`` is how a URL writes ``::1``."""
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def url_for(host: str, port: int) -> str:
    """``http://host:port/``, with an IPv6 address in brackets as URLs need."""
    bare = _bind_host(host)
    return f"http://[{bare}]:{port}/" if ":" in bare else f"http://{bare}:{port}/"


def _fail(message: str, status: int = 2) -> int:
    """One line on stderr; 2 for options that cannot work, 1 when the app itself cannot start."""
    print(f"python -m skill serve: {message}", file=sys.stderr)
    return status


def _first_line(exc: BaseException) -> str:
    """The message's first line, without the exception's class name (which says nothing to an
    operator); the class name only when there is no message at all."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _problem(args: argparse.Namespace) -> str | None:
    """A one-line reason to refuse these options, or None. Sets ``args.skill_id``."""
    if args.dev and not is_loopback(args.host):
        return f"--dev serves without Alexa's checks, so it binds loopback only, not {args.host}"
    try:
        if args.dev:
            args.skill_id = (args.skill_id or "").strip() or None
            if args.skill_id is not None:
                check_skill_id_format(args.skill_id)
        else:
            args.skill_id = require_skill_id(args.skill_id, any_skill=args.any_skill, how=_HOW)
    except StartupRefused as refused:
        return str(refused)
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
        "DEV_MODE": bool(args.dev),  # the review pack at /review, never in production
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


def _announce(args: argparse.Namespace, port: int) -> None:
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
        "listening on %s (Werkzeug's threaded server, local use only)", url_for(args.host, port)
    )


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, as Werkzeug's server would bind it; OSError if not."""
    from werkzeug.serving import get_sockaddr, select_address_family

    bare = _bind_host(host)
    family = select_address_family(bare, port)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT only, as Werkzeug
        sock.bind(get_sockaddr(bare, port, family))
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock


def _bind_problem(host: str, port: int, exc: OSError) -> str:
    where = url_for(host, port)
    if isinstance(exc, PermissionError):
        return f"not allowed to listen on {where} (ports below 1024 need privileges)"
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is in use on {_bind_host(host)}: stop what uses it, or pick --port"
    return f"cannot listen on {where}: {exc.strerror or _first_line(exc)}"


def serve_on(sock: socket.socket, host: str, app: Any) -> None:
    """Serve ``app`` on the bound ``sock`` (threaded) until interrupted."""
    from werkzeug.serving import make_server

    server = make_server(
        _bind_host(host), sock.getsockname()[1], app, threaded=True, fd=sock.fileno()
    )
    sock.close()  # the server holds its own descriptor for the same socket
    server.serve_forever()


def _write_privacy_page(target: str) -> int:
    from skill.web.pages import privacy_html

    page = privacy_html()
    if target == "-":
        sys.stdout.write(page)
        return 0
    try:
        Path(target).write_text(page, encoding="utf-8")
    except OSError as exc:
        return _fail(f"cannot write {target}: {exc.strerror or _first_line(exc)}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.write_privacy_page:
        return _write_privacy_page(args.write_privacy_page)
    problem = _problem(args)
    if problem:
        return _fail(problem)
    try:  # first, so that a port in use is the one line said, before any other
        sock = _bind(args.host, args.port)
    except OSError as exc:
        return _fail(_bind_problem(args.host, args.port, exc))
    with sock:
        app_or_status = _build_app(args)
        if isinstance(app_or_status, int):
            return app_or_status
        _announce(args, sock.getsockname()[1])
        serve_on(sock, args.host, app_or_status)
    return 0


def _build_app(args: argparse.Namespace) -> Any:
    """The app, or the exit status after a one-line refusal."""
    _configure_logging(args.log_level)
    from skill.core import TriageError
    from skill.web.app import create_app  # lazily: `--help` and refusals need no Flask

    try:
        return create_app(_config(args))
    except (OSError, TypeError, ValueError) as exc:
        return _fail(f"bad configuration: {_first_line(exc)}")
    except ImportError as exc:
        return _fail(f"the skill cannot be loaded: {_first_line(exc)}", status=1)
    except TriageError as exc:  # a broken knowledge or content file: its message names both
        return _fail(f"the skill's files are broken: {' '.join(str(exc).split())}", status=1)
