"""The app for a WSGI server, with every one of Alexa's checks on.

Production line (behind a TLS terminator that buffers requests; docs/endpoint.md):

    ALEXA_SKILL_ID=amzn1.ask.skill.<uuid> \\
        gunicorn -c python:skill.web.gunicorn_conf -b 127.0.0.1:8000 skill.web.wsgi:app

Environment:
    ALEXA_SKILL_ID   the skill's id (amzn1.ask.skill.<uuid>): only its requests are answered.
    ALEXA_ANY_SKILL  "1" to start without an id and answer requests for any skill; anything but
                     a missing id with this switch refuses to start.

Without either, importing this module refuses: one line on stderr and exit status 2 (under the
gunicorn config above, which loads the app in the master, that is gunicorn's exit status too).
Under gunicorn, the "skill.web" access log goes through gunicorn's error-log handlers, at
gunicorn's --log-level. Each worker builds its own trust store and certificate cache.
"""

from __future__ import annotations

import logging
import os
import sys

from flask import Flask

from skill.web.app import create_app
from skill.web.startup import StartupRefused, skill_id_from_environment

__all__ = ["app"]

#: gunicorn's exit status for "App failed to load": a worker that exits with it stops the whole
#: server, where any other status would have the worker restarted, and refused, for ever.
_GUNICORN_APP_LOAD_ERROR = 4


def _in_gunicorn_worker() -> bool:
    """True when a gunicorn worker (not the master) is importing this module."""
    frame = sys._getframe()
    while frame is not None:
        code = frame.f_code
        if code.co_name == "init_process" and "gunicorn" in code.co_filename:
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def _use_gunicorn_logging() -> None:
    ours = logging.getLogger("skill.web")
    gunicorn = logging.getLogger("gunicorn.error")
    if gunicorn.handlers and not ours.handlers:
        ours.handlers = list(gunicorn.handlers)
        ours.setLevel(gunicorn.level)
        ours.propagate = False


def _build() -> Flask:
    try:
        skill_id = skill_id_from_environment(os.environ)
    except StartupRefused as refused:
        print(f"skill.web.wsgi: {refused}", file=sys.stderr, flush=True)
        raise SystemExit(_GUNICORN_APP_LOAD_ERROR if _in_gunicorn_worker() else 2) from None
    _use_gunicorn_logging()
    return create_app({"ALEXA_SKILL_ID": skill_id})  # warns when any skill is accepted


app = _build()
