"""Nothing a person said, no signature and no stack trace reaches an error answer or a log line."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask


def _requests(app: Flask, kit: SimpleNamespace, pki: Any) -> list[Any]:
    """One of each kind of request, each carrying the marker wherever the request can."""
    alexa = kit.AlexaCaller(app.test_client(), pki.leaf_key)
    marked = kit.intent_envelope(kit.MARKER)
    signed = kit.encode(marked)
    bad_time = kit.make_envelope()
    bad_time["request"]["timestamp"] = kit.MARKER
    fake_signature = base64.b64encode(kit.MARKER.encode() * 20).decode()
    return [
        alexa.post(kit.make_envelope()),  # 200
        alexa.post(marked),  # 500: the tiny skill has no handler for it
        alexa.client.post(
            "/", data=signed.replace(b"DescribeIntent", b"Other"), headers=alexa.headers(signed)
        ),
        alexa.post(marked, headers={"Signature-256": fake_signature}),
        alexa.post(marked, headers={"Signature-256": kit.MARKER}),
        alexa.post(marked, cert_url=f"https://s3.amazonaws.com/echo.api/{kit.MARKER}.pem"),
        alexa.post(marked, cert_url=f"https://{kit.MARKER}.example/echo.api/x.pem"),
        alexa.post(marked, cert_url=kit.url_for("untrusted")),
        alexa.post(marked, drop=["Signature-256"]),
        alexa.post(f'{{"said": "{kit.MARKER}'.encode()),
        alexa.post(f'{{"said": "{kit.MARKER}\u00e9"}}'.encode("latin-1")),
        alexa.post(f'["{kit.MARKER}"]'.encode()),
        alexa.post(bad_time),
        alexa.post(kit.make_envelope(age_seconds=999, dialog=kit.MARKER)),
        alexa.post(kit.make_envelope(skill_id=kit.OTHER_SKILL_ID, said=kit.MARKER)),
        alexa.client.post("/", data=kit.MARKER.encode() * 20000),
        alexa.client.get(f"/?q={kit.MARKER}"),
        alexa.client.put(f"/?q={kit.MARKER}"),
        alexa.client.get(f"/healthz?q={kit.MARKER}"),
        alexa.client.get(f"/privacy?q={kit.MARKER}"),
        alexa.post(marked, cert_url=f"https://s3.amazonaws.com/echo.api/%{kit.MARKER}.pem"),
    ]


@pytest.fixture
def battery(
    make_app: Callable[..., Flask],
    kit: SimpleNamespace,
    pki: Any,
    debug_logs: pytest.LogCaptureFixture,
) -> SimpleNamespace:
    """The answers, and every log record (any logger, DEBUG and up) made while answering."""
    responses = _requests(make_app(), kit, pki)
    return SimpleNamespace(responses=responses, records=list(debug_logs.records))


def test_the_battery_covers_every_kind_of_answer(battery: SimpleNamespace) -> None:
    statuses = {response.status_code for response in battery.responses}
    assert {200, 400, 405, 413, 500} <= statuses


def test_error_answers_are_one_line_without_request_data(
    battery: SimpleNamespace, kit: SimpleNamespace
) -> None:
    for response in battery.responses:
        if response.status_code < 400:
            continue
        text = response.get_data(as_text=True)
        assert response.mimetype == "text/plain"
        assert text.endswith("\n") and text.count("\n") == 1, text
        assert kit.MARKER not in text
        assert "Traceback" not in text and "File " not in text


def test_logs_hold_no_request_data_and_no_stack_trace(
    battery: SimpleNamespace, kit: SimpleNamespace
) -> None:
    assert len(battery.records) >= len(battery.responses)
    for record in battery.records:
        message = record.getMessage()
        assert kit.MARKER not in message, message
        assert "Traceback" not in message
        assert record.exc_info is None and record.exc_text is None, message
        assert "\n" not in message


def test_access_log_names_method_path_status_and_reason(battery: SimpleNamespace) -> None:
    lines = [r.getMessage() for r in battery.records if r.name == "skill.web"]
    assert "POST / 200" in lines
    assert "POST / 400: signature does not match the body" in lines
    assert "POST / 413: request body is too large" in lines
    assert "PUT / 405: method not allowed" in lines
    assert "GET / 200" in lines and "GET /privacy 200" in lines
    assert any(line.startswith("unhandled DispatchException at dispatch.py:") for line in lines)
    assert "POST / 500: internal error" in lines


def test_refusals_are_warnings_and_health_checks_are_quiet(battery: SimpleNamespace) -> None:
    levels = {r.getMessage(): r.levelno for r in battery.records if r.name == "skill.web"}
    assert levels["POST / 400: request is for another skill"] == logging.WARNING
    assert levels["GET /healthz 200"] == logging.DEBUG
