"""tests/conversations/ exported as `ask dialog --replay` files (tools/export_replays.py).

The format is the ASK CLI's (lib/model/dialog-replay-file.js and lib/commands/dialog/index.ts:
skillId must be present, userInput must hold no empty string; ".quit" ends the replay).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from deploy_support import ROOT, SKILL_ID, TOOLS

if str(TOOLS) not in sys.path:  # pragma: no cover - deploy_support puts it there
    sys.path.insert(0, str(TOOLS))
import export_replays

from skill.simulator import Simulator

CONVERSATIONS = sorted((ROOT / "tests" / "conversations").glob("*/*.yaml"))


@pytest.fixture(scope="module")
def replays(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("replay")
    written = export_replays.export(SKILL_ID, out)
    return {
        f"{path.parent.name}/{path.stem}": json.loads(path.read_text("utf-8")) for path in written
    }


def test_one_replay_file_per_conversation_in_the_ask_cli_format(
    replays: dict[str, dict[str, Any]],
) -> None:
    assert sorted(replays) == sorted(f"{p.parent.name}/{p.stem}" for p in CONVERSATIONS)
    for name, replay in replays.items():
        assert set(replay) == {"skillId", "locale", "type", "userInput"}, name
        assert replay["skillId"] == SKILL_ID and replay["type"] == "text"
        assert replay["locale"] == name.split("/")[0]
        inputs = replay["userInput"]
        assert inputs[-1] == ".quit" and all(isinstance(i, str) and i.strip() for i in inputs)


def test_the_replay_says_what_the_conversation_says(replays: dict[str, dict[str, Any]]) -> None:
    for path in CONVERSATIONS:
        says = export_replays.conversation_says(path)
        inputs = replays[f"{path.parent.name}/{path.stem}"]["userInput"][:-1]
        assert len(inputs) == len(says)
        assert all(typed.endswith(said) for typed, said in zip(inputs, says, strict=True))


def test_every_session_opens_with_the_invocation_name(replays: dict[str, dict[str, Any]]) -> None:
    """Alexa reaches the skill only through its name when no session is open."""
    for name, replay in replays.items():
        simulator = Simulator(replay["locale"])
        for typed in replay["userInput"][:-1]:
            if not simulator.in_session:
                assert simulator.matcher.understand(typed).new_session, (name, typed)
            simulator.say(typed)


def test_a_first_turn_without_the_name_is_asked_through_it() -> None:
    typed = export_replays.user_input("es-US", ["sangré después de tener relaciones", "no"])
    assert typed[0] == "pídele a brújula de cuidado que sangré después de tener relaciones"
    assert typed[1:] == ["no", ".quit"]
    assert export_replays.user_input("en-US", ["open care compass"]) == [
        "open care compass",
        ".quit",
    ]


def test_the_export_needs_the_skill_id(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.delenv("ALEXA_SKILL_ID", raising=False)
    monkeypatch.setattr(export_replays, "recorded_skill_id", lambda: None)
    assert export_replays.main(["--out", str(tmp_path)]) == 2
    assert "ALEXA_SKILL_ID" in capsys.readouterr().err
    assert export_replays.main(["--out", str(tmp_path), "--skill-id", "banana"]) == 1
    assert not list(tmp_path.iterdir())


def test_ask_state_is_never_committed() -> None:
    ignored = (ROOT / ".gitignore").read_text("utf-8").splitlines()
    assert "/.ask/" in ignored and "/ask-resources.json" in ignored and "/skill-package/" in ignored


def test_the_skill_id_ask_deploy_recorded_is_used(tmp_path: Path) -> None:
    resources = tmp_path / "ask-resources.json"
    assert export_replays.recorded_skill_id(resources) is None
    resources.write_text(json.dumps({"profiles": {"default": {"skillId": SKILL_ID}}}), "utf-8")
    assert export_replays.recorded_skill_id(resources) == SKILL_ID
