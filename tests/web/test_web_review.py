"""The clinician review pack on the local endpoint: served at /review in --dev mode only; a
production app (Alexa's checks on, or no DEV_MODE) answers 404 and never imports the tool."""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from skill.web import serve

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dev_app() -> Flask:
    """As `python -m skill serve --dev` builds it (the real skill, checks off, DEV_MODE)."""
    from skill.web.app import create_app

    app = create_app({"VERIFY_SIGNATURE": False, "VERIFY_TIMESTAMP": False, "DEV_MODE": True})
    app.testing = True
    return app


def test_dev_mode_serves_the_pack_at_review(dev_app: Flask) -> None:
    client = dev_app.test_client()
    assert client.get("/review").status_code in (301, 302, 308)
    index = client.get("/review/")
    assert index.status_code == 200 and index.mimetype == "text/html"
    assert b"Clinical review pack" in index.data
    assert "script-src" not in index.headers["Content-Security-Policy"]
    assert index.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert index.headers["X-Content-Type-Options"] == "nosniff"
    rules = client.get("/review/rules.html")
    assert rules.status_code == 200 and b'id="rule-E1"' in rules.data
    assert client.get("/review/style.css").mimetype == "text/css"
    assert client.get("/review/pack.json").get_json()["format"] == 1
    assert client.get("/review/hear-es-US.html").status_code == 200
    assert client.get("/review/nothing.html").status_code == 404
    assert client.post("/review/").status_code == 405


def test_the_served_pages_are_the_written_ones(dev_app: Flask) -> None:
    from skill.review.build import build_site

    client = dev_app.test_client()
    site = build_site()
    for name in ("rules.html", "evidence.html", "conversations-en-GB.html"):
        assert client.get(f"/review/{name}").data == site[name]


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"DEV_MODE": False, "VERIFY_SIGNATURE": False, "VERIFY_TIMESTAMP": False},
        {"DEV_MODE": True},  # Alexa's signature check on: a production config
        {"DEV_MODE": "yes", "VERIFY_SIGNATURE": False},
    ],
)
def test_a_production_app_has_no_review_pages(
    make_app: Callable[..., Flask], config: dict[str, object]
) -> None:
    client = make_app(**config).test_client()
    for path in ("/review", "/review/", "/review/index.html", "/review/pack.json"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert answer.data == b"not found\n"


def test_production_entry_points_never_import_the_review_tool() -> None:
    code = (
        "import os, sys\n"
        "os.environ['ALEXA_SKILL_ID'] = 'amzn1.ask.skill.11111111-2222-3333-4444-555555555555'\n"
        "import skill.web.wsgi\n"
        "assert skill.web.wsgi.app.test_client().get('/review/').status_code == 404\n"
        "print(sorted(m for m in sys.modules if m.startswith('skill.review')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(("options", "status"), [(["--dev"], 200), (["--any-skill"], 404)])
def test_serve_turns_the_pages_on_with_dev_only(
    monkeypatch: pytest.MonkeyPatch, tiny_skill: object, options: list[str], status: int
) -> None:
    served: list[Flask] = []
    monkeypatch.setattr(serve, "serve_on", lambda sock, host, app: served.append(app))
    monkeypatch.setattr("skill.web.app._default_skill", lambda skill_id: tiny_skill)
    monkeypatch.setattr(serve, "_configure_logging", lambda level: None)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    parser = argparse.ArgumentParser()
    serve.configure(parser)
    assert serve.run(parser.parse_args([*options, "--port", port])) == 0
    (app,) = served
    assert app.test_client().get("/review/").status_code == status
