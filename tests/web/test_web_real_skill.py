"""The endpoint with the real skill from `skill.alexa.build_skill`."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask


@pytest.fixture
def build_skill() -> Callable[..., Any]:
    from skill.alexa import build_skill as function

    return function


@pytest.fixture
def real_app(
    build_skill: Callable[..., Any], make_app: Callable[..., Flask], kit: SimpleNamespace
) -> Flask:
    return make_app(skill=build_skill(skill_id=kit.SKILL_ID))


def test_create_app_builds_the_real_skill_by_default(
    build_skill: Callable[..., Any], cert_dir: Path, root_pem: Path, kit: SimpleNamespace, pki: Any
) -> None:
    from skill.web.app import create_app

    config = {
        "ALEXA_SKILL_ID": kit.SKILL_ID,
        "CERT_DIR": str(cert_dir),
        "TRUST_ROOTS": [str(root_pem)],
    }
    alexa = kit.AlexaCaller(create_app(config).test_client(), pki.leaf_key)
    response = alexa.post(kit.make_envelope())
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["response"]["outputSpeech"]


def test_real_skill_answers_a_signed_launch_request(
    real_app: Flask, kit: SimpleNamespace, pki: Any
) -> None:
    response = kit.AlexaCaller(real_app.test_client(), pki.leaf_key).post(kit.make_envelope())
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["version"] == "1.0"


def test_real_skill_refuses_another_skill_with_400(
    real_app: Flask, kit: SimpleNamespace, pki: Any
) -> None:
    alexa = kit.AlexaCaller(real_app.test_client(), pki.leaf_key)
    response = alexa.post(kit.make_envelope(skill_id=kit.OTHER_SKILL_ID))
    kit.assert_refused(response, "request is for another skill")


def test_wsgi_module_exposes_the_app(
    build_skill: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, kit: SimpleNamespace
) -> None:
    monkeypatch.setenv("ALEXA_SKILL_ID", kit.SKILL_ID)
    monkeypatch.delitem(sys.modules, "skill.web.wsgi", raising=False)
    wsgi = importlib.import_module("skill.web.wsgi")
    assert isinstance(wsgi.app, Flask)
    assert wsgi.app.test_client().get("/healthz").status_code == 200


def test_real_skill_logs_nothing_the_person_said(
    real_app: Flask, kit: SimpleNamespace, pki: Any, debug_logs: pytest.LogCaptureFixture
) -> None:
    alexa = kit.AlexaCaller(real_app.test_client(), pki.leaf_key)
    response = alexa.post(kit.intent_envelope(kit.MARKER))
    assert response.status_code < 500 or response.get_data(as_text=True) == "internal error\n"
    for record in debug_logs.records:
        assert kit.MARKER not in record.getMessage()
        assert record.exc_info is None
