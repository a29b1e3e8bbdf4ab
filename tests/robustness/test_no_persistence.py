"""Nothing outlives the session: no file written, no socket opened, no state kept in the process.

In-process, a Python audit hook records every file opened for writing, every file renamed,
removed or created, and every socket connected while conversations run through the Lambda handler
and the Flask app. A real `python -m skill serve` runs with its own audit hook, in an empty
working directory, HOME and TMPDIR, which must still be empty afterwards. Two sessions, run
interleaved, each get exactly what they get alone; after a conversation no object anywhere in the
process still holds a word of it.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import robust_support as rs

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
CHANGES = {
    "os.rename",
    "os.remove",
    "os.rmdir",
    "os.mkdir",
    "os.truncate",
    "os.link",
    "os.symlink",
    "os.chmod",
    "os.utime",
    "shutil.copyfile",
    "shutil.move",
    "shutil.rmtree",
    "tempfile.mkstemp",
    "tempfile.mkdtemp",
    "sqlite3.connect",
    "dbm.open",
    "socket.connect",
    "socket.bind",
    "urllib.Request",
    "http.client.connect",
}

AUDIT_HOOK = """
import os, sys
WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
CHANGES = {changes!r}
def hook(event, args):
    if event == "open":
        path, mode, flags = args
        writes = any(c in mode for c in "wax+") if isinstance(mode, str) else bool(flags & WRITE)
        if writes and not str(path).startswith("/dev/"):
            sys.stderr.write(f"AUDIT {{event}} {{path!r}} {{mode!r}}\\n")
    elif event in CHANGES and event not in ("socket.bind", "socket.connect"):
        sys.stderr.write(f"AUDIT {{event}} {{args!r}}\\n")
sys.addaudithook(hook)
from skill.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


class Audit:
    """Records what the process writes or connects to while ``active`` (one hook per process)."""

    active: ClassVar[bool] = False
    events: ClassVar[list[str]] = []

    @classmethod
    def hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if not cls.active:
            return
        if event == "open":
            path, mode, flags = args
            writes = any(c in mode for c in "wax+") if isinstance(mode, str) else None
            if writes is None:
                writes = isinstance(flags, int) and bool(flags & WRITE_FLAGS)
            if writes and not str(path).endswith(".pyc"):
                cls.events.append(f"open {path!r} {mode!r}")
        elif event in CHANGES:
            cls.events.append(f"{event} {args!r}"[:200])


_installed: list[bool] = []


@pytest.fixture
def audit() -> Iterator[type[Audit]]:
    if not _installed:
        sys.addaudithook(Audit.hook)
        _installed.append(True)
    Audit.events = []
    try:
        yield Audit
    finally:
        Audit.active = False


def _converse_everything(send: rs.Handler) -> list[str]:
    said = []
    for level in rs.LEVELS:
        said += rs.full_conversation(send, level, f"persist-{level}").said
    rs.garbage_session(send, "persist-garbage")
    talk = rs.session(send)
    talk.report(rs.slot("age", "9" * 5000))
    talk.intent("AMAZON.StopIntent")
    return said


def test_lambda_conversations_write_nothing_and_connect_nowhere(
    audit: type[Audit], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = rs.load_lambda(skill_id=rs.SKILL_ID).lambda_handler
    monkeypatch.chdir(tmp_path)
    audit.active = True
    _converse_everything(handler)
    for event in (None, {}, rs.skill_event(), rs.envelope({"type": "Some.FutureRequest"})):
        handler(event, None)
    audit.active = False
    assert audit.events == []
    assert list(tmp_path.iterdir()) == []


def test_flask_conversations_write_nothing_and_connect_nowhere(
    audit: type[Audit], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skill.web.app import create_app

    app = create_app(
        {"VERIFY_SIGNATURE": False, "VERIFY_TIMESTAMP": False, "ALEXA_SKILL_ID": rs.SKILL_ID}
    )
    client = app.test_client()

    def send(event: Any, _context: Any = None) -> dict[str, Any]:
        response = client.post("/", data=json.dumps(event), content_type="application/json")
        assert response.status_code == 200
        return response.get_json()  # type: ignore[no-any-return]

    monkeypatch.chdir(tmp_path)
    audit.active = True
    _converse_everything(send)
    client.post("/", data=b"\xff not json", content_type="application/json")
    audit.active = False
    assert audit.events == []
    assert list(tmp_path.iterdir()) == []


def _files_changed_since(start: float) -> list[Path]:
    skip = {".git", ".venv", "__pycache__", ".hypothesis", ".mypy_cache", ".ruff_cache"}
    skip |= {".pytest_cache", "node_modules"}
    changed = []
    for folder, dirs, files in os.walk(rs.ROOT):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            path = Path(folder) / name
            try:
                if path.stat().st_mtime >= start:
                    changed.append(path)
            except OSError:
                continue
    return changed


def test_a_served_conversation_leaves_no_file_anywhere(tmp_path: Path) -> None:
    """The server's working directory, HOME and TMPDIR stay empty; the repository gains no file
    holding a word said; the server's own audit hook sees no file opened for writing."""
    start = time.time() - 1
    places = {name: tmp_path / name for name in ("cwd", "home", "tmp")}
    for place in places.values():
        place.mkdir()
    port = rs.free_port()
    log = tmp_path / "serve.log"
    argv = [sys.executable, "-c", AUDIT_HOOK.format(changes=sorted(CHANGES)), "serve", "--dev"]
    argv += ["--port", str(port), "--log-level", "debug"]
    env = rs.subprocess_env(HOME=str(places["home"]), TMPDIR=str(places["tmp"]))
    with rs.running(argv, port, cwd=places["cwd"], env=env, log=log):
        alexa = rs.HttpAlexa(port)
        try:
            said = _converse_everything(alexa)
        finally:
            alexa.close()
    output = log.read_text(encoding="utf-8", errors="replace")
    assert "POST / 200" in output
    assert [line for line in output.splitlines() if line.startswith("AUDIT")] == []
    for name, place in places.items():
        assert list(place.iterdir()) == [], name
    for path in _files_changed_since(start):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        assert not any(value in text for value in said), path


# --- no state kept between sessions -------------------------------------------------------


def test_interleaved_sessions_each_get_what_they_get_alone() -> None:
    handler = rs.load_lambda(skill_id=rs.SKILL_ID).lambda_handler

    def steps(talk: rs.SessionDriver, kind: str) -> Iterator[None]:
        talk.launch()
        yield
        if kind == "a":
            talk.report(rs.slot("amount", rs.marker("a"), match="heavy"))
        else:
            talk.report(rs.slot("age", "31"))
        yield
        talk.intent("AMAZON.RepeatIntent")
        yield
        talk.intent("AMAZON.HelpIntent")
        yield
        talk.no()
        yield

    def alone(kind: str) -> list[dict[str, Any]]:
        talk = rs.session(handler)
        for _ in steps(talk, kind):
            pass
        return [raw.get("sessionAttributes") for raw in rs.replies(talk)]

    a_alone, b_alone = alone("a"), alone("b")
    a, b = rs.session(handler), rs.session(handler)
    for _ in zip(steps(a, "a"), steps(b, "b"), strict=True):
        pass
    assert [raw.get("sessionAttributes") for raw in rs.replies(b)] == b_alone
    assert [raw.get("sessionAttributes") for raw in rs.replies(a)] == a_alone
    assert all(
        "amount" not in (raw.get("sessionAttributes") or {}).get("facts", {})
        for raw in rs.replies(b)
    )


def test_a_new_session_remembers_nothing_of_the_last() -> None:
    handler = rs.load_lambda(skill_id=rs.SKILL_ID).lambda_handler
    first = rs.full_conversation(handler, "soon", "first")
    spoken = json.dumps([raw["response"] for raw in rs.replies(first)[-4:]])
    fresh = rs.session(handler)
    repeat = fresh.intent("AMAZON.RepeatIntent")  # nothing said yet in this session: the welcome
    welcome = rs.session(handler).launch()
    assert repeat.body["outputSpeech"] == welcome.body["outputSpeech"]
    assert repeat.attributes["facts"] == {}
    assert repeat.body["outputSpeech"]["ssml"] not in spoken
    yes = rs.session(handler).yes()  # no note to send: not the last one
    assert "card" not in yes.body


def _said_in_a_conversation(handler: rs.Handler) -> list[str]:
    talk = rs.full_conversation(handler, "urgent", "gc")
    rs.garbage_session(handler, "gc-garbage")
    return list(talk.said)


def _holders_of(values: list[str]) -> list[str]:
    """Descriptions of live objects holding any of ``values`` (as or inside a string)."""
    found = []
    for obj in gc.get_objects():
        if isinstance(obj, dict):
            items = [*obj.keys(), *obj.values()]
        elif isinstance(obj, list | tuple | set | frozenset):
            items = list(obj)
        else:
            continue
        for item in items:
            if isinstance(item, str) and any(value in item for value in values):
                found.append(f"{type(obj).__name__}: {item[:80]}")
    return found


def test_after_a_conversation_no_object_holds_its_words() -> None:
    handler = rs.load_lambda(skill_id=rs.SKILL_ID).lambda_handler
    said = _said_in_a_conversation(handler)
    assert said
    gc.collect()
    holders = [h for h in _holders_of(said) if "'said'" not in h]
    # The only list that may hold the words is ``said`` itself, right here.
    assert [h for h in holders if not h.startswith("list: ")] == [], holders
    assert len(holders) <= len(said), holders
