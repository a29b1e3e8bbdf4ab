"""The --url path: the simulator talking to the Flask endpoint (skill.web.app.create_app) over
loopback HTTP, and through Flask's test client, with Alexa's signature checks off as in dev mode."""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import werkzeug.serving as serving

import skill.web.app as web_app
from skill.simulator import Simulator, SimulatorError, chat, http_send
from skill.simulator.envelopes import SIMULATOR_SKILL_ID
from skill.testing import heard_text

DEV = {"VERIFY_SIGNATURE": False, "VERIFY_TIMESTAMP": False, "ALEXA_SKILL_ID": SIMULATOR_SKILL_ID}


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    """A real loopback server on a free port, in a thread, for the whole module."""
    server = serving.make_server("127.0.0.1", 0, web_app.create_app(dict(DEV)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def _conversation(simulator: Simulator) -> list[dict[str, Any]]:
    lines = [
        "open care compass",
        "i bleed after sex every time",
        "no",
        "no",
        "yes",
        "yes please",
        "i bled after sex",
    ]
    return [simulator.say(line).to_json() for line in lines]


def test_over_http_the_conversation_is_the_same_as_in_process(server_url: str) -> None:
    over_http = _conversation(Simulator(send=http_send(server_url, timeout=10)))
    in_process = _conversation(Simulator())
    assert over_http == in_process
    assert over_http[4]["level"] == "soon" and over_http[5]["card"] is not None
    assert over_http[6]["facts"] == {}  # a new session after the card


def test_chat_command_with_url(server_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    chat.configure(parser)
    args = parser.parse_args(
        ["--url", server_url, "--json", "--say", "ask care compass i had big clots after sex"]
    )
    assert chat.run(args) == 0
    turn = json.loads(capsys.readouterr().out)
    assert turn["level"] == "emergency" and turn["slots"] == {"amount": "heavy"}


def test_refusal_is_reported(server_url: str) -> None:
    simulator = Simulator(send=http_send(server_url), skill_id="amzn1.ask.skill.someone-else")
    with pytest.raises(SimulatorError, match="HTTP 400"):
        simulator.say("open care compass")


def test_through_the_flask_test_client() -> None:
    client = web_app.create_app(dict(DEV)).test_client()

    def send(event: dict[str, Any]) -> dict[str, Any]:
        response = client.post("/", json=event)
        assert response.status_code == 200, response.get_data(as_text=True)
        answer: dict[str, Any] = response.get_json()
        return answer

    turn = Simulator(send=send).say("ask care compass i bled after sex and the pain is severe")
    assert turn.level == "emergency"
    assert turn.speech.startswith(heard_text("levels.emergency.say"))
