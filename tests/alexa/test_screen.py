"""On a device with a screen the skill shows one neutral APL document, whatever it says or sends.

The envelopes carry what an Echo Show sends: Alexa.Presentation.APL in supportedInterfaces, and
the Viewport and Viewports objects of its context.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from alexa_session import PATHS, AlexaTurn, Handler, Session

from skill import testing as env
from skill.alexa.screen import SCREEN_FILE, SCREEN_TOKEN, screen_data
from skill.alexa.voice import voice_for
from skill.core import available_locales

ROOT = Path(__file__).resolve().parents[2]
APL_VALIDATOR = ROOT / "tools" / "apl" / "validate.js"
RENDER = "Alexa.Presentation.APL.RenderDocument"

ECHO_SHOW_DEVICE: dict[str, Any] = {
    "deviceId": "amzn1.ask.device.ECHOSHOW",
    "supportedInterfaces": {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2024.2"}}},
}
ECHO_SHOW_VIEWPORT: dict[str, Any] = {
    "experiences": [
        {"arcMinuteWidth": 246, "arcMinuteHeight": 144, "canRotate": False, "canResize": False}
    ],
    "mode": "HUB",
    "shape": "RECTANGLE",
    "pixelWidth": 1280,
    "pixelHeight": 800,
    "dpi": 160,
    "currentPixelWidth": 1280,
    "currentPixelHeight": 800,
    "touch": ["SINGLE"],
    "keyboard": [],
    "video": {"codecs": ["H_264_42", "H_264_41"]},
}
ECHO_SHOW_VIEWPORTS: list[dict[str, Any]] = [
    {
        "type": "APL",
        "id": "main",
        "shape": "RECTANGLE",
        "dpi": 160,
        "presentationType": "STANDARD",
        "canRotate": False,
        "configuration": {
            "current": {
                "mode": "HUB",
                "video": {"codecs": ["H_264_42", "H_264_41"]},
                "size": {"type": "DISCRETE", "pixelWidth": 1280, "pixelHeight": 800},
            }
        },
    }
]


def on_echo_show(event: dict[str, Any]) -> dict[str, Any]:
    """The same request as an Echo Show sends it."""
    context = event["context"]
    context["System"]["device"] = json.loads(json.dumps(ECHO_SHOW_DEVICE))
    context["Viewport"] = json.loads(json.dumps(ECHO_SHOW_VIEWPORT))
    context["Viewports"] = json.loads(json.dumps(ECHO_SHOW_VIEWPORTS))
    return event


def echo_show(handler: Handler) -> Handler:
    return lambda event, context=None: handler(on_echo_show(event), context)


def directives(reply: AlexaTurn) -> list[dict[str, Any]]:
    return list(reply.body.get("directives") or [])


def document() -> dict[str, Any]:
    return json.loads(SCREEN_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_every_turn_on_a_screen_shows_the_neutral_document(handler: Handler, path: Any) -> None:
    session = path.run(echo_show(handler))
    session.yes()  # the card, if one is offered, is sent: the screen still shows the document
    for reply in session.turns:
        (directive,) = [d for d in directives(reply) if d["type"].startswith("Alexa.Presentation")]
        assert directive["type"] == RENDER
        assert directive["token"] == SCREEN_TOKEN
        assert directive["document"] == document()
        assert directive["datasources"] == screen_data(voice_for("en-US"))


def test_no_screen_directive_without_a_screen(session: Session) -> None:
    session.launch()
    session.report()
    for reply in session.turns:
        assert not [d for d in directives(reply) if d["type"].startswith("Alexa.Presentation")]


def test_session_end_on_a_screen_says_and_shows_nothing(handler: Handler) -> None:
    reply = echo_show(handler)(env.in_session(env.session_ended("USER_INITIATED")), None)
    assert reply["response"].get("directives") in (None, [])
    assert "outputSpeech" not in reply["response"]


@pytest.mark.parametrize("locale", available_locales())
def test_the_screen_names_no_topic(locale: str) -> None:
    voice = voice_for(locale)
    shown_document = {k: v for k, v in document().items() if k != "description"}  # not shown
    shown = json.dumps([shown_document, screen_data(voice)], ensure_ascii=False)
    assert voice.explicit_words_in(shown) == []
    assert screen_data(voice)["screen"]["title"]


def _validate(*files: Path) -> list[dict[str, Any]]:
    node = shutil.which("node")
    assert node, "node is needed to run Amazon's APL validator"
    modules = APL_VALIDATOR.parent / "node_modules" / "apl-suggester"
    assert modules.is_dir(), "apl-suggester is missing: `make test` installs it (npm ci)"
    done = subprocess.run(
        [node, str(APL_VALIDATOR), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_amazons_apl_validator_accepts_the_document(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    bad = document()
    bad["mainTemplate"]["items"][0]["items"][0]["textAlign"] = "sideways"
    bad["colour"] = "red"
    broken.write_text(json.dumps(bad), encoding="utf-8")
    good, rejected = _validate(SCREEN_FILE, broken)
    assert good["problems"] == []
    # The validator does find problems: the broken copy's two are reported.
    assert len(rejected["problems"]) == 2, rejected
