"""The review pack at /review on the local endpoint, in --dev mode only (skill.web.app imports this
module only then). The pages are the same bytes `python -m skill review` writes, made on the first
request and again whenever the fingerprinted files change (an edit shows on reload).
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, Response, abort, redirect

from skill.review.version import fingerprint

__all__ = ["PREFIX", "register_review"]

PREFIX = "/review"
TYPES = {".html": "text/html", ".css": "text/css", ".json": "application/json"}
# The pages load their stylesheet and nothing else, and run nothing.
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class _Pack:
    """The pack in memory, rebuilt when the files it is made from change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._made_from: str | None = None
        self._site: dict[str, bytes] = {}

    def site(self) -> dict[str, bytes]:
        from skill.review.build import build_site

        current = fingerprint()["sha256"]
        with self._lock:
            if current != self._made_from:
                self._site = build_site()
                self._made_from = current
            return self._site


def register_review(app: Flask) -> None:
    pack = _Pack()

    def page(name: str = "index.html") -> Any:
        content = pack.site().get(name)
        if content is None:
            abort(404)
        suffix = name[name.rfind(".") :]
        return Response(content, mimetype=TYPES.get(suffix, "text/plain"), headers=HEADERS)

    app.add_url_rule(PREFIX, "review_root", lambda: redirect(f"{PREFIX}/"), methods=["GET"])
    app.add_url_rule(f"{PREFIX}/", "review_index", page, methods=["GET"])
    app.add_url_rule(f"{PREFIX}/<name>", "review_page", page, methods=["GET"])
