"""`python -m skill serve`: options, refusals, the start-up log (the server itself is stubbed)."""

from __future__ import annotations

import argparse
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask

from skill.cli import main
from skill.testing import SKILL_ID
from skill.web import serve


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve.configure(parser)
    return parser.parse_args(list(argv))


@pytest.fixture(autouse=True)
def _restore_log_levels() -> Iterator[None]:
    """run() sets levels on these loggers, as a CLI should; put them back for other tests."""
    loggers = [logging.getLogger(name) for name in ("skill.web", "werkzeug")]
    saved = [logger.level for logger in loggers]
    yield
    for logger, level in zip(loggers, saved, strict=True):
        logger.setLevel(level)


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, tiny_skill: Any) -> SimpleNamespace:
    """Stub the serving loop and the real skill; record what would have been served, where.
    The port is really bound (and released): run() binds before it says it is listening."""
    record = SimpleNamespace(calls=[], configs=[])

    def fake_serve_on(sock: Any, host: str, app: Flask) -> None:
        record.calls.append({"host": host, "address": sock.getsockname()})
        record.configs.append(dict(app.config))

    monkeypatch.setattr(serve, "serve_on", fake_serve_on)
    monkeypatch.setattr("skill.web.app._default_skill", lambda skill_id: tiny_skill)
    return record


def free_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALEXA_SKILL_ID", raising=False)
    args = parse()
    assert (args.host, args.port, args.skill_id, args.dev) == ("127.0.0.1", 5000, None, False)
    assert (args.cert_dir, args.trust_root, args.log_level) == (None, [], "info")


def test_skill_id_defaults_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEXA_SKILL_ID", SKILL_ID)
    assert parse().skill_id == SKILL_ID


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_bad_port_is_a_usage_error(port: str) -> None:
    with pytest.raises(SystemExit) as caught:
        parse("--port", port)
    assert caught.value.code == 2


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.com"])
def test_dev_mode_refuses_non_loopback_hosts(
    host: str, capsys: pytest.CaptureFixture[str], started: SimpleNamespace
) -> None:
    assert serve.run(parse("--dev", "--host", host)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "loopback" in err
    assert started.calls == []


def test_dev_refusal_through_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--dev", "--host", "0.0.0.0"]) == 2
    assert "loopback only" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("10.0.0.1", False),
        ("localhost.evil", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert serve.is_loopback(host) is loopback


def test_dev_mode_starts_on_loopback_with_a_loud_banner(
    started: SimpleNamespace, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    port = free_port()
    assert serve.run(parse("--dev", "--port", port)) == 0
    assert started.calls == [{"host": "127.0.0.1", "address": ("127.0.0.1", int(port))}]
    assert started.configs[0]["VERIFY_SIGNATURE"] is False
    assert started.configs[0]["VERIFY_TIMESTAMP"] is False
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("DEV MODE" in message and "OFF" in message for message in warnings)
    assert any(set(message) == {"!"} for message in warnings)


def test_production_start_names_cert_dir_and_trust_roots(
    started: SimpleNamespace,
    caplog: pytest.LogCaptureFixture,
    cert_dir: Path,
    root_pem: Path,
) -> None:
    caplog.set_level(logging.INFO)
    args = parse(
        "--cert-dir",
        str(cert_dir),
        "--trust-root",
        str(root_pem),
        "--trust-root",
        str(root_pem),
        "--skill-id",
        SKILL_ID,
        "--log-level",
        "debug",
        "--port",
        free_port(),
    )
    assert serve.run(args) == 0
    config = started.configs[0]
    assert config["VERIFY_SIGNATURE"] is True and config["VERIFY_TIMESTAMP"] is True
    assert config["CERT_DIR"] == str(cert_dir)
    assert config["TRUST_ROOTS"] == [str(root_pem), str(root_pem)]
    assert config["ALEXA_SKILL_ID"] == SKILL_ID
    text = caplog.text
    assert str(cert_dir) in text and str(root_pem) in text
    assert "DEV MODE" not in text
    assert logging.getLogger("skill.web").level == logging.DEBUG


@pytest.mark.parametrize(
    ("option", "message"),
    [("--cert-dir", "is not a directory"), ("--trust-root", "is not a file")],
)
def test_missing_paths_are_refused(
    option: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert serve.run(parse(option, str(tmp_path / "absent"), "--skill-id", SKILL_ID)) == 2
    assert message in capsys.readouterr().err


def test_trust_root_without_certificates_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], started: SimpleNamespace
) -> None:
    empty = tmp_path / "empty.pem"
    empty.write_text("no certificate\n")
    assert serve.run(parse("--trust-root", str(empty), "--any-skill", "--port", free_port())) == 2
    err = capsys.readouterr().err
    assert "bad configuration" in err and err.count("\n") == 1
    assert "Error" not in err  # no exception class name
    assert started.calls == []


def test_missing_skill_is_reported_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_skill(skill_id: str | None) -> None:
        raise ImportError("cannot import name 'build_skill' from 'skill.alexa'")

    monkeypatch.setattr("skill.web.app._default_skill", no_skill)
    assert serve.run(parse("--dev", "--port", free_port())) == 1
    err = capsys.readouterr().err
    assert "the skill cannot be loaded" in err and err.count("\n") == 1


# --- the skill id, without --dev -----------------------------------------------------------------


def test_production_serve_refuses_to_start_without_a_skill_id(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], started: SimpleNamespace
) -> None:
    monkeypatch.delenv("ALEXA_SKILL_ID", raising=False)
    assert serve.run(parse("--port", free_port())) == 2
    err = capsys.readouterr().err
    assert err.startswith("python -m skill serve: no skill id: give --skill-id")
    assert "--any-skill" in err and err.count("\n") == 1
    assert started.calls == []


@pytest.mark.parametrize(
    "argv",
    [
        ["--skill-id", "banana"],
        ["--dev", "--skill-id", "banana"],
        ["--skill-id", "amzn1.ask.skill.x"],
        ["--skill-id", SKILL_ID + "0"],
    ],
)
def test_malformed_skill_id_is_refused_in_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str], started: SimpleNamespace
) -> None:
    assert serve.run(parse(*argv, "--port", free_port())) == 2
    err = capsys.readouterr().err
    assert err == (
        "python -m skill serve: the skill id is not of the form amzn1.ask.skill.<uuid>\n"
    )
    assert started.calls == []


def test_malformed_skill_id_from_the_environment_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], started: SimpleNamespace
) -> None:
    monkeypatch.setenv("ALEXA_SKILL_ID", "banana")
    assert serve.run(parse("--port", free_port())) == 2
    assert "not of the form" in capsys.readouterr().err


def test_any_skill_in_so_many_words_starts_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, started: SimpleNamespace
) -> None:
    monkeypatch.delenv("ALEXA_SKILL_ID", raising=False)
    caplog.set_level(logging.INFO)
    assert serve.run(parse("--any-skill", "--port", free_port())) == 0
    assert started.configs[0]["ALEXA_SKILL_ID"] is None
    assert "requests for any skill are accepted" in caplog.text


def test_any_skill_and_a_skill_id_contradict(
    capsys: pytest.CaptureFixture[str], started: SimpleNamespace
) -> None:
    assert serve.run(parse("--any-skill", "--skill-id", SKILL_ID, "--port", free_port())) == 2
    assert "contradict" in capsys.readouterr().err


def test_dev_mode_needs_no_skill_id(
    monkeypatch: pytest.MonkeyPatch, started: SimpleNamespace
) -> None:
    monkeypatch.delenv("ALEXA_SKILL_ID", raising=False)
    assert serve.run(parse("--dev", "--port", free_port())) == 0


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:5000/"),
        ("localhost", "http://localhost:5000/"),
        ("::1", "http://[::1]:5000/"),
        ("[::1]", "http://[::1]:5000/"),
    ],
)
def test_urls_put_ipv6_addresses_in_brackets(host: str, url: str) -> None:
    assert serve.url_for(host, 5000) == url
