"""`python -m skill serve` and `make run` as processes: what they print, and that they serve."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest


def serve_argv(web: SimpleNamespace, *args: str) -> list[str]:
    return [web.PYTHON, "-m", "skill", "serve", *args]


def run_to_exit(web: SimpleNamespace, argv: list[str], **env: str) -> Any:
    return subprocess.run(
        argv, cwd=web.ROOT, env=web.subprocess_env(**env), capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


def test_port_in_use_is_one_line_before_anything_says_listening(web: SimpleNamespace) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_to_exit(web, serve_argv(web, "--dev", "--port", str(port)))
    assert result.returncode == 2
    assert result.stderr == (
        f"python -m skill serve: port {port} is in use on 127.0.0.1: "
        "stop what uses it, or pick --port\n"
    )
    assert "listening" not in result.stdout + result.stderr


def test_trust_root_that_is_not_pem_is_one_clean_line(web: SimpleNamespace) -> None:
    result = run_to_exit(web, serve_argv(web, "--any-skill", "--trust-root", "/etc/passwd"))
    assert result.returncode == 2
    assert result.stderr.endswith(
        "python -m skill serve: bad configuration: trust root file /etc/passwd holds no PEM "
        "certificate\n"
    )
    assert "Error" not in result.stderr and "Traceback" not in result.stderr


def test_serve_without_a_skill_id_refuses_in_one_line(web: SimpleNamespace) -> None:
    result = run_to_exit(web, serve_argv(web))
    assert result.returncode == 2
    assert result.stderr.startswith("python -m skill serve: no skill id:")
    assert result.stderr.count("\n") == 1


def test_banana_is_not_a_skill_id(web: SimpleNamespace) -> None:
    result = run_to_exit(web, serve_argv(web, "--skill-id", "banana"))
    assert (result.returncode, result.stderr) == (
        2,
        "python -m skill serve: the skill id is not of the form amzn1.ask.skill.<uuid>\n",
    )


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback(), reason="this machine has no IPv6 loopback (::1)")
def test_dev_on_ipv6_loopback_prints_a_bracketed_url(web: SimpleNamespace, tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET6) as probe:
        probe.bind(("::1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    argv = serve_argv(web, "--dev", "--host", "::1", "--port", str(port))
    with log.open("wb") as output:
        process = subprocess.Popen(
            argv, cwd=web.ROOT, env=web.subprocess_env(), stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        for _ in range(300):
            if "listening on" in log.read_text() or process.poll() is not None:
                break
            time.sleep(0.1)
        assert f"listening on http://[::1]:{port}/" in log.read_text()
        answer = web.http_request(port, "GET", "/healthz", host="::1")
        assert answer.status == 200
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_production_serve_answers_alexa_and_people(
    web: SimpleNamespace,
    kit: SimpleNamespace,
    pki: Any,
    cert_dir: Path,
    root_pem: Path,
    tmp_path: Path,
) -> None:
    port = web.free_port()
    argv = serve_argv(
        web, "--port", str(port), "--cert-dir", str(cert_dir), "--trust-root", str(root_pem),
        "--skill-id", kit.SKILL_ID,
    )  # fmt: skip
    log = tmp_path / "serve.log"
    with web.running(argv, port, web.subprocess_env(), log):
        alexa = web.HttpAlexa(port, pki.leaf_key)
        assert alexa.post(kit.make_envelope()).status == 200
        assert web.http_request(port, "GET", "/").status == 200
        assert web.http_request(port, "GET", "/privacy").status == 200
        refused = alexa.post(kit.make_envelope(skill_id=kit.OTHER_SKILL_ID))
        assert (refused.status, refused.text) == (400, "request is for another skill\n")
    text = log.read_text()
    assert f"listening on http://127.0.0.1:{port}/" in text
    assert "skill id check: on" in text


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed here")
def test_make_run_takes_a_port(web: SimpleNamespace, tmp_path: Path) -> None:
    """`make run PORT=…`; -o keeps make from reinstalling the virtual environment meanwhile."""
    port = web.free_port()
    venv_python = Path(web.PYTHON)
    argv = [
        "make", "-o", ".venv/.installed", "run", f"PORT={port}", f"PY={venv_python}",
    ]  # fmt: skip
    with web.running(argv, port, web.subprocess_env(), tmp_path / "make.log"):
        assert web.http_request(port, "GET", "/healthz").status == 200
    assert f"--port {port}" in (tmp_path / "make.log").read_text()
