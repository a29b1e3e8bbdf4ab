"""Helpers for the robustness tests: marked conversations, mutations, loopback servers.

Envelopes, skill ids, the Lambda loader and the session driver are skill.testing's (re-exported
here for these tests).

tests/robustness is not a package and conftest modules cannot be imported across test folders, so
this module stands alone (its name is unique across tests/, as pytest's import mode requires).
Every word a person "says" here is a marker string, so a test can search logs and files for it.
"""

from __future__ import annotations

import copy
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from skill import testing
from skill.testing import OTHER_SKILL_ID as OTHER_SKILL_ID  # re-exported for the tests
from skill.testing import (
    SKILL_EVENTS,
    SKILL_ID,
    Exchange,
    SessionDriver,
    SessionInfo,
    Step,
    can_fulfill_request,
    launch_request,
    slot,
)
from skill.testing import load_lambda as load_lambda
from skill.testing import session_ended as session_ended_request

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent

LEVELS = ("emergency", "urgent", "soon", "self_care")

Handler = testing.Handler


def marker(tag: str) -> str:
    """A string that appears nowhere else: what a person said, for searching logs."""
    return f"zebra-marker-{tag}-{uuid.uuid4().hex[:8]}"


# --- envelopes: skill.testing's, in a session of this folder's conversations -------------------


def envelope(
    request: Mapping[str, Any],
    attributes: Mapping[str, Any] | None = None,
    *,
    new: bool = False,
    skill_id: str = SKILL_ID,
    session_id: str = "amzn1.echo-api.session.robustness",
    locale: str = "en-US",
    with_session: bool = True,
) -> dict[str, Any]:
    """A request envelope shaped as Alexa sends it (skill.testing.envelope)."""
    session = SessionInfo(skill_id, session_id, new, dict(attributes or {}))
    return testing.envelope(request, session if with_session else None, locale, skill_id=skill_id)


def intent_request(name: str, *slots: Mapping[str, Any]) -> dict[str, Any]:
    return testing.intent_request(name, *slots, dialog_state="STARTED")


def skill_event(kind: str = SKILL_EVENTS[0]) -> dict[str, Any]:
    """A skill event, as Alexa sends it: no session."""
    return envelope(testing.skill_event(kind), with_session=False)


def can_fulfill(*slots: Mapping[str, Any]) -> dict[str, Any]:
    return envelope(can_fulfill_request(*slots), new=True)


# --- replies and conversations -----------------------------------------------------------------


def check_response_envelope(raw: Any) -> dict[str, Any]:
    """What every answer must be: a JSON-ready dict, version 1.0, a response dict."""
    assert isinstance(raw, dict), type(raw)
    json.dumps(raw)  # Lambda and Flask must be able to send it
    assert raw.get("version") == "1.0", raw
    response = raw.get("response")
    assert isinstance(response, dict), raw
    speech = response.get("outputSpeech")
    if speech is not None:
        assert speech.get("type") == "SSML", speech
        assert str(speech.get("ssml", "")).startswith("<speak>"), speech
    assert "Traceback" not in json.dumps(raw)
    return raw


def session(send: Handler) -> SessionDriver:
    """One Alexa session with the skill: skill.testing's driver (each request carries the last
    answer's sessionAttributes; after an answer that ends the session a new one starts), with
    every answer checked as a response envelope before it is read."""
    return SessionDriver(lambda event, context: check_response_envelope(send(event, context)))


def replies(talk: SessionDriver) -> list[dict[str, Any]]:
    """Every answer of a session, as the skill sent it."""
    return [turn.response for turn in talk.turns]


def reassuring(tag: str) -> dict[str, Step]:
    """The most reassuring answer to each question (no to the others: `answer_all`); every word
    said carries a marker."""

    def answer(name: str, match: str) -> Step:
        return lambda talk: talk.answer(slot(name, marker(tag), match=match))

    return {
        "amount": answer("amount", "spotting"),
        "safe_now": SessionDriver.yes,
        "consent": SessionDriver.yes,
        "cycle_timing": answer("cycleTiming", "near_period"),
    }


def answer_all(talk: SessionDriver, answers: Mapping[str, Step]) -> Exchange:
    """Answer every question the skill asks, with `answers` or else no."""
    return talk.answer_questions(answers, otherwise=SessionDriver.no)


def opening(level: str, tag: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """The first report of a conversation that reaches ``level``, its words marked."""
    return {
        "emergency": [("ReportIntent", [slot("amount", marker(tag), match="heavy")])],
        "urgent": [("ReportIntent", [slot("pregnancy", marker(tag), match="possible")])],
        "soon": [("ReportIntent", [slot("menopause", marker(tag), match="post")])],
        "self_care": [("ReportIntent", [])],
    }[level]


def full_conversation(send: Handler, level: str, tag: str) -> SessionDriver:
    """Launch, whisper, a NO_MATCH slot, a report, every question answered, the note, goodbye."""
    talk = session(send)
    talk.launch()
    talk.intent("WhisperIntent")
    talk.report(slot("context", marker(tag), no_match=True))
    for name, slots in opening(level, tag):
        talk.intent(name, *slots)
    answer_all(talk, reassuring(tag))
    if level == "emergency":  # the answer asks nothing and ends the session: no note
        assert talk.last.ends is True
        assert not talk.last.attributes
        talk.launch()  # a new session: nothing of the last is known
        talk.intent("AMAZON.StopIntent")
        return talk
    known = talk.last.attributes
    assert known.get("level") == level, (level, known.get("level"), known.get("facts"))
    talk.intent("AMAZON.RepeatIntent")
    talk.yes()  # the note
    return talk


def garbage_session(send: Handler, tag: str) -> dict[str, Any]:
    """A request whose session attributes are nonsense that quotes a marker."""
    attributes = {
        "facts": {"amount": marker(tag), marker(tag): True},
        "stage": [marker(tag)],
        "asking": {"x": marker(tag)},
        "level": marker(tag),
        "last_speech": marker(tag),
    }
    body = envelope(intent_request("AMAZON.RepeatIntent"), attributes)
    return check_response_envelope(send(body, None))


def private_words(levels: tuple[str, ...] = LEVELS) -> list[str]:
    """Words that, in a log, would say what a conversation was about: level ids, fact values."""
    return [
        *levels,
        "heavy",
        "spotting",
        "near_period",
        "possible",
        "menopause",
        "pregnan",
        "warning_signs",
        "'amount'",
        '"amount"',
        "facts",
    ]


# --- mutation of envelopes ----------------------------------------------------------------


def paths_of(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into a JSON document (dict keys and list indexes)."""
    found: list[tuple[Any, ...]] = []
    items: list[tuple[Any, Any]] = []
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    for key, child in items:
        found.append((*prefix, key))
        found += paths_of(child, (*prefix, key))
    return found


def mutate(document: dict[str, Any], path: tuple[Any, ...], action: str, value: Any) -> Any:
    """A deep copy of ``document`` with the node at ``path`` deleted, replaced or truncated."""
    result = copy.deepcopy(document)
    parent: Any = result
    for key in path[:-1]:
        parent = parent[key]
    key = path[-1]
    if action == "delete":
        if isinstance(parent, dict):
            del parent[key]
        else:
            parent.pop(key)
    elif action == "replace":
        parent[key] = value
    elif action == "truncate":
        parent[key] = json.dumps(parent[key])[: max(1, len(json.dumps(parent[key])) // 2)]
    return result


# --- loopback servers -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Until GET /healthz answers 200; fails early, with the server's output, if it exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.05)
        finally:
            connection.close()
    raise AssertionError(f"no answer on port {port} within {timeout} s")


def stop(process: subprocess.Popen[bytes], grace: float = 10) -> None:
    """Stop a server this test started (by its own handle), politely first."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=grace)


@contextmanager
def running(
    argv: list[str], port: int, *, cwd: Path, env: Mapping[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """A server subprocess with stdout and stderr in ``log``, always stopped afterwards."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT
        )
        try:
            wait_for_http(port, process)
            yield process
        finally:
            stop(process)


class HttpAlexa:
    """Posts envelopes to a loopback server over one keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, body: bytes) -> tuple[int, str, bytes]:
        for attempt in range(2):
            try:
                self.connection.request(
                    "POST", "/", body=body, headers={"Content-Type": "application/json"}
                )
                response = self.connection.getresponse()
                return response.status, response.getheader("Content-Type") or "", response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.reconnect()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def reconnect(self) -> None:
        self.connection.close()
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def __call__(self, event: Any, _context: Any = None) -> dict[str, Any]:
        status, kind, data = self.post(json.dumps(event).encode("utf-8"))
        assert status == 200, (status, data[:200])
        assert kind.startswith("application/json"), kind
        return json.loads(data)  # type: ignore[no-any-return]

    def close(self) -> None:
        self.connection.close()


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python: no bytecode written, the repo importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT))
    env.pop("ALEXA_SKILL_ID", None)
    env.update(extra)
    return env


# --- fuzzing ------------------------------------------------------------------------------------


def fuzz_settings(max_examples: int) -> Any:
    """Hypothesis settings for this folder: the same examples every run, no example database
    (nothing written to the repository), no deadline (2 shared cores)."""
    from hypothesis import HealthCheck, settings

    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


UNKNOWN_REQUEST_TYPES = (
    "CanFulfillIntentRequest",
    "Connections.Response",
    "Alexa.Presentation.APL.UserEvent",
    "Messaging.MessageReceived",
    "Some.FutureRequest",
)
INTENTS = (
    "ReportIntent",
    "AnswerIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "DontKnowIntent",
    "NotSafeIntent",
    "WhisperIntent",
    "AMAZON.HelpIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.StartOverIntent",
    "AMAZON.StopIntent",
    "AMAZON.FallbackIntent",
    "NoSuchIntent",
)
MID_CONVERSATION = {
    "facts": {"amount": "light", "warning_signs": False},
    "stage": "asking",
    "asking": "pregnant",
    "whisper": True,
    "level": None,
    "last_speech": ["Could you be pregnant?"],
    "last_reprompt": "Could you be pregnant?",
}


def base_envelopes() -> list[dict[str, Any]]:
    """Well-formed envelopes of every kind the fuzzers start from."""
    said = "a lot of blood"
    slots = [
        slot("amount", said, match="heavy"),
        slot("cycleTiming", said, no_match=True),
        slot("symptom", said, match="fever"),
        slot("age", "34"),
        slot("painSite"),
    ]
    bases = [
        envelope(launch_request(), new=True),
        envelope(session_ended_request("ERROR"), MID_CONVERSATION),
        skill_event(),
        can_fulfill(*slots[:2]),
    ]
    bases += [envelope(intent_request(name, *slots), MID_CONVERSATION) for name in INTENTS[:3]]
    bases += [envelope(intent_request(name)) for name in INTENTS[3:]]
    bases += [envelope({"type": kind}, MID_CONVERSATION) for kind in UNKNOWN_REQUEST_TYPES]
    bases += [skill_event(kind) for kind in SKILL_EVENTS[1:]]
    return bases


def nested(depth: int) -> dict[str, Any]:
    """Session attributes nesting ``depth`` levels deep (dicts and lists in turn)."""
    node: Any = "leaf"
    for level in range(depth - 1):
        node = {"a": node} if level % 2 else [node]
    return {"deep": node}


def application_id_of(event: Any) -> Any:
    try:
        return event["context"]["System"]["application"]["applicationId"]
    except (KeyError, TypeError, IndexError):
        return None
