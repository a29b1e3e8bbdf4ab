"""One-line plain-text error responses, and logging that never carries request data.

What may be logged: method, path, status, and a fixed reason. Never a header value, a body, a
slot value, an exception message (the SDK's messages quote the payload) or a traceback (frames'
locals and messages can hold what the person said). An unexpected exception is logged as its type
and the file:line of its innermost frames, which is enough to find the bug.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from flask import Flask, Response, g, has_request_context, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

log = logging.getLogger("skill.web")

INTERNAL_ERROR = "internal error"

#: Our own wording for the statuses werkzeug raises, instead of its multi-sentence descriptions.
HTTP_REASONS: dict[int, str] = {
    400: "bad request",
    404: "not found",
    405: "method not allowed",
    411: "length required",
    413: "request body is too large",
    414: "request URI is too long",
    415: "unsupported media type",
    431: "request headers are too large",
    500: INTERNAL_ERROR,
}

_MAX_LOGGED_PATH = 64
_LOGGED_FRAMES = 3


def plain_response(status: int, reason: str) -> Response:
    """``reason`` as one line of text/plain; remembered for the access log."""
    if has_request_context():
        g.reason = reason
    return Response(reason + "\n", status=status, mimetype="text/plain")


def frame_summary(exc: BaseException) -> str:
    """Innermost frames as ``file:line function``, without messages or source lines."""
    frames = traceback.extract_tb(exc.__traceback__)[-_LOGGED_FRAMES:]
    return " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))


def log_unexpected(exc: BaseException) -> None:
    log.error("unhandled %s at %s", type(exc).__name__, frame_summary(exc) or "?")


def handle_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    if status >= 500:
        log_unexpected(exc)
    reason = HTTP_REASONS.get(status) or (exc.name or "error").lower()
    response = plain_response(status, reason)
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


def handle_unexpected(exc: Exception) -> Response:
    log_unexpected(exc)
    return plain_response(500, INTERNAL_ERROR)


def safe_text(text: str, limit: int = _MAX_LOGGED_PATH) -> str:
    """Client-chosen text (path, method) cut short, anything unprintable replaced: one log line."""
    cleaned = "".join(ch if ch.isprintable() and not ch.isspace() else "?" for ch in text)
    return cleaned[:limit] + ("..." if len(cleaned) > limit else "")


def log_request(response: Response) -> Response:
    """Access log: method, path, status, and our fixed reason when the request was refused."""
    status = response.status_code
    if request.path == "/healthz" and status == 200:
        level = logging.DEBUG
    elif status >= 500:
        level = logging.ERROR
    elif status >= 400:
        level = logging.WARNING
    else:
        level = logging.INFO
    reason = g.get("reason")
    suffix = f": {reason}" if reason else ""
    log.log(
        level, "%s %s %d%s", safe_text(request.method, 16), safe_text(request.path), status, suffix
    )
    return response


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
    app.after_request(log_request)
