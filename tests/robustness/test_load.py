"""A bounded load test on loopback: gunicorn, 2 workers, 8 concurrent keep-alive clients.

Each client holds its own multi-turn conversations, each on a fresh keep-alive connection (so both
workers take a share), with facts no other client shares: each client's people have their own
ages (20-23 for the first client, 30-33 for the next...). Every response must be 200 with exactly
the session attributes the same conversation gets from the skill alone, in-process: so no
session's facts ever reach another session's response. Every 25th request is garbage and must get
a one-line 400. Worker memory (VmRSS) is measured after a warm-up and at the end; both workers
must have served, and neither may have died.

Size: LOAD_REQUESTS requests in all, 10,000 by default: 11-20 s of load on 2 shared cores (500-900
requests a second), about 15-25 s with start-up, so well under a minute. On a slower machine set
ROBUST_LOAD_REQUESTS lower (e.g. 4000); a phase that takes over 50 s fails as hung.
"""

from __future__ import annotations

import copy
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import robust_support as rs

HERE = Path(__file__).resolve().parent
CLIENTS = 8
LOAD_REQUESTS = int(os.environ.get("ROBUST_LOAD_REQUESTS", "10000"))
WARM_UP_REQUESTS = 400
RSS_GROWTH_LIMIT_KB = 20 * 1024
GARBAGE_EVERY = 25
# Not "heavy": an emergency answer ends the session at once, and these scripts follow sessions.
AMOUNTS = ("spotting", "light", "moderate", "light")

pytestmark = pytest.mark.load


@dataclass(frozen=True)
class ScriptStep:
    """One request of a load script, and what the skill alone answered to it."""

    request: dict[str, Any]  # the request part of the envelope
    attributes: dict[str, Any]  # the session attributes the skill answers with ({} at the end)
    ends: bool


def script(handler: rs.Handler, client: int, number: int) -> list[ScriptStep]:
    """One conversation, played in-process: what to send, and what each answer must carry."""
    age = 20 + client * 10 + number
    talk = rs.session(handler)
    talk.launch()
    talk.report(
        rs.slot("age", str(age)),
        rs.slot("amount", f"amount {client}", match=AMOUNTS[(client + number) % 4]),
    )
    rs.answer_all(talk, rs.reassuring(f"c{client}"))
    if not talk.last.ends and number % 2:  # an emergency offers no note
        talk.yes()  # the note
    elif not talk.last.ends:
        talk.no()  # or not
    turns = [
        ScriptStep(copy.deepcopy(t.request["request"]), t.attributes, bool(t.ends))
        for t in talk.turns
    ]
    assert turns[-1].ends
    assert turns[1].ends or turns[1].attributes["facts"]["age"] == age
    return turns


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """(port, master pid) of gunicorn serving robust_load_wsgi:app; stopped at teardown."""
    port = rs.free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
        "robust_load_wsgi:app",
    ]
    env = rs.subprocess_env(
        PYTHONPATH=os.pathsep.join([str(rs.ROOT), str(HERE)]), ROBUST_SKILL_ID=rs.SKILL_ID
    )
    with rs.running(argv, port, cwd=HERE, env=env, log=log) as process:
        deadline = time.monotonic() + 30
        while len(_workers(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        yield port, process.pid
        assert process.poll() is None, log.read_text()


class Client(threading.Thread):
    """One caller: its own conversations, in a loop, on one keep-alive connection."""

    def __init__(self, port: int, number: int, scripts: list[list[ScriptStep]]) -> None:
        super().__init__(name=f"client-{number}", daemon=True)
        self.alexa = rs.HttpAlexa(port)
        self.number = number
        self.scripts = scripts
        self.budget = 0
        self.sent = 0
        self.errors: list[str] = []
        self.go = threading.Event()
        self.done = threading.Event()
        self.stop = False

    def run(self) -> None:
        try:
            while True:
                self.go.wait()
                self.go.clear()
                if self.stop:
                    return
                self._play()
                self.done.set()
        except Exception as exc:  # reported by the test, not lost in the thread
            self.errors.append(f"{self.name}: {type(exc).__name__}: {exc}")
            self.done.set()
        finally:
            self.alexa.close()

    def _play(self) -> None:
        conversation = 0
        while self.budget > 0 and len(self.errors) < 5:
            turns = self.scripts[conversation % len(self.scripts)]
            self._converse(turns, f"{self.number}-{conversation}-{self.sent}")
            conversation += 1

    def _converse(self, turns: list[ScriptStep], session: str) -> None:
        self.alexa.reconnect()
        attributes: dict[str, Any] = {}
        for index, turn in enumerate(turns):
            self._maybe_garbage()
            body = rs.envelope(
                turn.request,
                attributes,
                new=index == 0,
                session_id=f"amzn1.echo-api.session.{session}",
            )
            status, kind, data = self.alexa.post(json.dumps(body).encode())
            self._count()
            if status != 200 or not kind.startswith("application/json"):
                self.errors.append(f"{self.name}: {status} {kind} {data[:120]!r}")
                return
            raw = json.loads(data)
            got = raw.get("sessionAttributes") or {}
            if got != turn.attributes:
                facts = (got.get("facts"), turn.attributes.get("facts"))
                self.errors.append(f"{self.name}: turn {index}: facts {facts[0]} != {facts[1]}")
                return
            attributes = dict(got)

    def _maybe_garbage(self) -> None:
        if (self.sent + 1) % GARBAGE_EVERY:
            return
        status, kind, data = self.alexa.post(b'{"version": "1.0", "request": ')
        self._count()
        if status != 400 or not kind.startswith("text/plain") or data.count(b"\n") != 1:
            self.errors.append(f"{self.name}: garbage got {status} {kind} {data[:120]!r}")

    def _count(self) -> None:
        self.sent += 1
        self.budget -= 1

    def play(self, requests: int) -> None:
        self.budget = requests
        self.done.clear()
        self.go.set()


def _phase(clients: list[Client], total: int, timeout: float) -> None:
    for client in clients:
        client.play(total // len(clients))
    deadline = time.monotonic() + timeout
    for client in clients:
        assert client.done.wait(max(0.1, deadline - time.monotonic())), f"{client.name} hung"


def test_load_without_errors_cross_talk_or_memory_growth(
    gunicorn: tuple[int, int], record_property: Any
) -> None:
    port, master = gunicorn
    reference = rs.load_lambda(skill_id=rs.SKILL_ID).lambda_handler
    scripts = {c: [script(reference, c, n) for n in range(4)] for c in range(CLIENTS)}
    own_ages = {c: {t[1].attributes["facts"]["age"] for t in scripts[c]} for c in range(CLIENTS)}
    assert all(own_ages[a].isdisjoint(own_ages[b]) for a in own_ages for b in own_ages if a != b)

    workers = _workers(master)
    assert len(workers) == 2, workers
    clients = [Client(port, c, scripts[c]) for c in range(CLIENTS)]
    for client in clients:
        client.start()
    started = time.monotonic()
    try:
        _phase(clients, WARM_UP_REQUESTS, timeout=30)
        before = {pid: _rss_kb(pid) for pid in workers}
        ticks = {pid: _cpu_ticks(pid) for pid in workers}
        _phase(clients, LOAD_REQUESTS - WARM_UP_REQUESTS, timeout=50)
        after = {pid: _rss_kb(pid) for pid in workers}
        worked = {pid: _cpu_ticks(pid) - ticks[pid] for pid in workers}
    finally:
        for client in clients:
            client.stop = True
            client.go.set()
        for client in clients:
            client.join(timeout=10)
    elapsed = time.monotonic() - started

    errors = [error for client in clients for error in client.errors]
    assert errors == [], errors[:10]
    sent = sum(client.sent for client in clients)
    assert sent >= LOAD_REQUESTS - CLIENTS * 12, sent  # whole conversations: a few over or under
    assert _workers(master) == workers, "a worker died and was replaced"
    assert all(worked.values()), f"a worker served nothing: {worked}"
    growth = {pid: after[pid] - before[pid] for pid in workers}
    record_property("requests", sent)
    record_property("seconds", round(elapsed, 1))
    record_property("rss_kb_before_after", {pid: (before[pid], after[pid]) for pid in workers})
    print(f"\n{sent} requests in {elapsed:.1f} s; RSS growth per worker (KB): {growth}; ", end="")
    print(f"CPU ticks per worker: {worked}")
    assert all(kb < RSS_GROWTH_LIMIT_KB for kb in growth.values()), growth
