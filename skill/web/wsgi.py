"""The app for a WSGI server: ``gunicorn -w 4 skill.web.wsgi:app`` (behind TLS termination).

All of Alexa's checks are on; the skill id comes from the environment variable ALEXA_SKILL_ID.
Each worker builds its own trust store and certificate cache. Under gunicorn, the "skill.web"
access log goes through gunicorn's error-log handlers, at gunicorn's --log-level.
"""

from __future__ import annotations

import logging

from skill.web.app import create_app

__all__ = ["app"]


def _use_gunicorn_logging() -> None:
    ours = logging.getLogger("skill.web")
    gunicorn = logging.getLogger("gunicorn.error")
    if gunicorn.handlers and not ours.handlers:
        ours.handlers = list(gunicorn.handlers)
        ours.setLevel(gunicorn.level)
        ours.propagate = False


_use_gunicorn_logging()
app = create_app()
