"""The production line under real gunicorn: the committed config, the skill-id rule, slow clients.

gunicorn runs as a subprocess on a free loopback port with the committed settings
(``-c python:skill.web.gunicorn_conf``), serving the real skill with every check on and the test
CA trusted (web_gunicorn_app.py). Each server is stopped, by its process group, at the end.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
CONFIG = "python:skill.web.gunicorn_conf"
SLOW_CLIENTS = 8  # of each kind: 8 trickling headers and 8 trickling bodies


def gunicorn_argv(web: SimpleNamespace, port: int, app: str) -> list[str]:
    return [web.PYTHON, "-m", "gunicorn", "-c", CONFIG, "-b", f"127.0.0.1:{port}", app]


@pytest.fixture(scope="module")
def module_pki(pki: Any, chain_pems: dict[str, bytes], tmp_path_factory: Any) -> SimpleNamespace:
    folder = tmp_path_factory.mktemp("gunicorn-pki")
    certs = folder / "certs"
    certs.mkdir()
    (certs / "echo-api-cert.pem").write_bytes(chain_pems["good"])
    (folder / "root.pem").write_bytes(pki.root.pem)
    return SimpleNamespace(cert_dir=certs, root=folder / "root.pem", log_dir=folder)


@pytest.fixture(scope="module")
def production(
    module_pki: SimpleNamespace, web: SimpleNamespace, kit: SimpleNamespace
) -> Iterator[int]:
    """gunicorn with the committed config, the real skill and the test CA; yields the port."""
    port = web.free_port()
    env = web.subprocess_env(
        ALEXA_SKILL_ID=kit.SKILL_ID,
        WEB_TEST_CERT_DIR=str(module_pki.cert_dir),
        WEB_TEST_ROOT=str(module_pki.root),
        PYTHONPATH=f"{web.ROOT}:{HERE}",
    )
    argv = gunicorn_argv(web, port, "web_gunicorn_app:app")
    with web.running(argv, port, env, module_pki.log_dir / "gunicorn.log"):
        yield port


class SlowClient(threading.Thread):
    """Holds a connection open and trickles a byte every half second until told to stop:
    either its headers (never finished) or, after complete headers, its body."""

    def __init__(self, port: int, kind: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.port, self.kind, self.stop = port, kind, stop
        self.connected = threading.Event()

    def run(self) -> None:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=30) as sock:
                if self.kind == "headers":
                    sock.sendall(b"POST / HTTP/1.1\r\nHost: test\r\n")
                    drip = b"X-Slow: 1\r\n"
                else:
                    sock.sendall(
                        b"POST / HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                        b"Content-Length: 100000\r\n"
                        b"SignatureCertChainUrl: https://s3.amazonaws.com/echo.api/"
                        b"echo-api-cert.pem\r\nSignature-256: " + b"A" * 344 + b"\r\n\r\n{"
                    )
                    drip = b" "
                self.connected.set()
                while not self.stop.wait(0.5):
                    sock.sendall(drip)
        except OSError:
            self.connected.set()


def test_genuine_request_answers_within_a_second_while_slow_clients_trickle(
    production: int, pki: Any, kit: SimpleNamespace, web: SimpleNamespace
) -> None:
    """Review M3: sync workers (`gunicorn -w 4`) answered after 7 s with 8 slow clients. With
    the committed config, 8 clients trickling headers and 8 trickling bodies change nothing."""
    alexa = web.HttpAlexa(production, pki.leaf_key)
    assert alexa.post(kit.make_envelope()).status == 200
    stop = threading.Event()
    slow = [SlowClient(production, "headers", stop) for _ in range(SLOW_CLIENTS)]
    slow += [SlowClient(production, "body", stop) for _ in range(SLOW_CLIENTS)]
    for client in slow:
        client.start()
    try:
        for client in slow:
            assert client.connected.wait(5)
        time.sleep(1.0)  # every slow connection has been taken up by a worker by now
        for _ in range(5):
            started = time.monotonic()
            answer = alexa.post(kit.make_envelope())
            seconds = time.monotonic() - started
            assert answer.status == 200, answer.text
            assert seconds < 1.0, f"a genuine request took {seconds:.2f} s"
            time.sleep(0.3)
        assert all(client.is_alive() for client in slow), "a slow client was dropped early"
    finally:
        stop.set()
        for client in slow:
            client.join(timeout=5)


def test_chunked_body_over_the_cap_is_413_under_gunicorn(
    production: int, pki: Any, kit: SimpleNamespace, web: SimpleNamespace
) -> None:
    body = kit.encode(kit.make_envelope())
    signed = body + b" " * (128 * 1024 - len(body))  # a signed body of exactly the cap
    headers = web.HttpAlexa(production, pki.leaf_key).headers(signed)
    over = web.raw_http(production, web.chunked_request(signed + b"JUNK" * 256 * 1024, headers))
    assert (over.status, over.text) == (413, "request body is too large\n")
    exact = web.raw_http(production, web.chunked_request(signed, headers))
    assert exact.status == 200, exact.text


def test_pages_under_gunicorn(production: int, web: SimpleNamespace) -> None:
    assert web.http_request(production, "GET", "/").status == 200
    privacy = web.http_request(production, "GET", "/privacy")
    assert privacy.status == 200 and privacy.headers["content-type"].startswith("text/html")


# --- the skill id is never optional in production ------------------------------------------------


def run_to_exit(argv: list[str], env: dict[str, str], seconds: float = 30) -> Any:
    return subprocess.run(
        argv, cwd=HERE.parents[1], env=env, capture_output=True, text=True, timeout=seconds
    )


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        (
            {},
            "skill.web.wsgi: no skill id: set ALEXA_SKILL_ID=amzn1.ask.skill.<uuid>, or "
            "ALEXA_ANY_SKILL=1 to accept any skill (without the id, requests for any skill "
            "would be answered)",
        ),
        (
            {"ALEXA_SKILL_ID": "banana"},
            "skill.web.wsgi: the skill id is not of the form amzn1.ask.skill.<uuid>",
        ),
        ({"ALEXA_ANY_SKILL": "yes"}, "skill.web.wsgi: ALEXA_ANY_SKILL must be 1 (or unset)"),
    ],
)
def test_production_line_refuses_to_start_in_one_line(
    web: SimpleNamespace, extra: dict[str, str], line: str
) -> None:
    argv = gunicorn_argv(web, web.free_port(), "skill.web.wsgi:app")
    result = run_to_exit(argv, web.subprocess_env(**extra))
    assert result.returncode == 2
    assert result.stderr == line + "\n"
    assert result.stdout == ""


def test_importing_the_wsgi_module_refuses_the_same_way(web: SimpleNamespace) -> None:
    result = run_to_exit([web.PYTHON, "-c", "import skill.web.wsgi"], web.subprocess_env())
    assert result.returncode == 2
    assert result.stderr.startswith("skill.web.wsgi: no skill id:")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_gunicorn_without_the_config_stops_instead_of_restarting_workers(
    web: SimpleNamespace,
) -> None:
    """Without preload each worker imports the app: it exits with gunicorn's "App failed to
    load" status, which stops the master, instead of being restarted (and refused) for ever.
    (The master's own exit status is then 4, or 1 when the stop lands outside its main loop.)"""
    argv = [web.PYTHON, "-m", "gunicorn", "-w", "2", "--no-control-socket",
            "-b", f"127.0.0.1:{web.free_port()}", "skill.web.wsgi:app"]  # fmt: skip
    result = run_to_exit(argv, web.subprocess_env())
    assert result.returncode in (1, 4)
    assert "skill.web.wsgi: no skill id:" in result.stderr
    assert "App failed to load" in result.stderr


def test_any_skill_said_in_so_many_words_starts(web: SimpleNamespace, tmp_path: Path) -> None:
    port = web.free_port()
    argv = gunicorn_argv(web, port, "skill.web.wsgi:app")
    env = web.subprocess_env(ALEXA_ANY_SKILL="1")
    with web.running(argv, port, env, tmp_path / "gunicorn.log"):
        assert web.http_request(port, "GET", "/healthz").status == 200
    log = (tmp_path / "gunicorn.log").read_text()
    assert "requests for any skill are accepted" in log


def test_the_committed_config_says_threads_and_preload() -> None:
    from skill.web import gunicorn_conf

    assert gunicorn_conf.worker_class == "gthread"
    assert gunicorn_conf.threads >= 2 * SLOW_CLIENTS
    assert gunicorn_conf.preload_app is True
