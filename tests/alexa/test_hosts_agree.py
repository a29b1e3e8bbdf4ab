"""The same request fixtures are answered identically by the Lambda handler and the endpoint."""

from __future__ import annotations

import json
from typing import Any

import pytest
from alexa_session import Handler
from flask.testing import FlaskClient

from skill import testing as env
from skill.web.app import create_app


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    app = create_app(
        {"VERIFY_SIGNATURE": False, "VERIFY_TIMESTAMP": False, "ALEXA_SKILL_ID": env.SKILL_ID}
    )
    return app.test_client()


HEAVY = env.slot("amount", "a lot", match="heavy")
NO_MATCH = env.slot("amount", "a bucketful", no_match=True)


def _turns() -> list[tuple[str, dict[str, Any] | None]]:
    """(name, request) pairs; a None request means: the next intent in the conversation."""
    return [
        ("launch", env.launch()),
        ("bare report", env.intent("ReportIntent", new=True)),
        ("one-shot emergency", env.intent("ReportIntent", HEAVY, new=True)),
        ("value outside the catalogue", env.intent("AnswerIntent", NO_MATCH)),
        ("help", env.intent("AMAZON.HelpIntent")),
        ("fallback", env.intent("AMAZON.FallbackIntent")),
        ("unknown intent", env.intent("SomeOtherIntent")),
        ("stop", env.intent("AMAZON.StopIntent")),
        (
            "session ended with an error",
            env.in_session(env.session_ended("ERROR", error_type="INVALID_RESPONSE")),
        ),
    ]


@pytest.mark.parametrize(("name", "request_envelope"), _turns(), ids=[n for n, _ in _turns()])
def test_lambda_and_endpoint_give_the_same_response(
    handler: Handler, client: FlaskClient, name: str, request_envelope: dict[str, Any]
) -> None:
    from_lambda = handler(json.loads(json.dumps(request_envelope)), None)
    reply = client.post("/", data=json.dumps(request_envelope), content_type="application/json")
    assert reply.status_code == 200, reply.get_data(as_text=True)
    assert reply.get_json() == from_lambda, name


def test_a_whole_conversation_is_the_same_on_both_hosts(
    handler: Handler, client: FlaskClient
) -> None:
    says = [
        ("ReportIntent", [env.slot("cycleTiming", "my period is due", match="near_period")]),
        ("AMAZON.NoIntent", []),  # warning signs
        ("AMAZON.NoIntent", []),  # still going on
        ("AMAZON.NoIntent", []),  # pregnant
        ("AMAZON.YesIntent", []),  # wanted
        ("AMAZON.NoIntent", []),  # more than once
        ("AMAZON.NoIntent", []),  # discharge, a new partner, screening
        ("AMAZON.YesIntent", []),  # the note
    ]
    attributes: dict[str, Any] = {}
    for index, (intent_name, slots) in enumerate(says):
        request = env.intent(intent_name, *slots, attributes=attributes, new=index == 0)
        from_lambda = handler(json.loads(json.dumps(request)), None)
        from_endpoint = client.post("/", json=request).get_json()
        assert from_endpoint == from_lambda, intent_name
        attributes = from_lambda.get("sessionAttributes") or {}
    assert from_lambda["response"]["card"]["title"]  # the conversation reached the note
