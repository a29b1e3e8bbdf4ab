"""The Flask endpoint: Alexa's checks, body handling, error answers."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask

AMAZON_GOOD_URLS = [
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
]
AMAZON_BAD_URLS = [
    ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "certificate URL scheme is not https"),
    (
        "https://notamazon.com/echo.api/echo-api-cert.pem",
        "certificate URL host is not s3.amazonaws.com",
    ),
    (
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
        "certificate URL path does not start with /echo.api/",
    ),
    ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "certificate URL port is not 443"),
]


def speech_of(response: Any) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    return str(response.get_json()["response"]["outputSpeech"]["ssml"])


# --- the happy path ---------------------------------------------------------------------------


def test_validly_signed_launch_request_is_answered(alexa: Any, kit: SimpleNamespace) -> None:
    response = alexa.post(kit.make_envelope())
    assert "hello" in speech_of(response)
    assert response.mimetype == "application/json"
    assert response.get_json()["version"] == "1.0"


def test_header_names_match_in_any_case(alexa: Any, kit: SimpleNamespace) -> None:
    body = kit.encode(kit.make_envelope())
    headers = {name.lower(): value for name, value in alexa.headers(body).items()}
    response = alexa.client.post("/", data=body, headers=headers)
    assert "hello" in speech_of(response)


@pytest.mark.parametrize("url", AMAZON_GOOD_URLS)
def test_amazons_good_certificate_urls_are_accepted(
    alexa: Any, kit: SimpleNamespace, url: str
) -> None:
    assert "hello" in speech_of(alexa.post(kit.make_envelope(), cert_url=url))


def test_request_90_seconds_old_is_accepted(alexa: Any, kit: SimpleNamespace) -> None:
    assert "hello" in speech_of(alexa.post(kit.make_envelope(age_seconds=90)))


def test_signing_certificate_with_server_auth_only_is_accepted(
    alexa: Any, kit: SimpleNamespace
) -> None:
    """Amazon's rules say nothing of extended key usage: a serverAuth-only chain must pass."""
    response = alexa.post(kit.make_envelope(), cert_url=kit.url_for("server-auth-only"))
    assert "hello" in speech_of(response)


def test_healthz(app: Flask) -> None:
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"


# --- signature --------------------------------------------------------------------------------


def test_tampered_body_is_refused(alexa: Any, kit: SimpleNamespace) -> None:
    signed = kit.encode(kit.make_envelope())
    tampered = signed.replace(b'"en-US"', b'"en-GB"')
    assert tampered != signed
    response = alexa.client.post("/", data=tampered, headers=alexa.headers(signed))
    kit.assert_refused(response, "signature does not match the body")


def test_signature_by_another_key_is_refused(alexa: Any, kit: SimpleNamespace, pki: Any) -> None:
    response = alexa.post(kit.make_envelope(), key=pki.rogue_root.key)
    kit.assert_refused(response, "signature does not match the body")


def test_signature_that_is_not_base64_is_refused(alexa: Any, kit: SimpleNamespace) -> None:
    response = alexa.post(kit.make_envelope(), headers={"Signature-256": "not base64!"})
    kit.assert_refused(response, "Signature-256 header is not base64")


def test_missing_signature_header_is_refused(alexa: Any, kit: SimpleNamespace) -> None:
    response = alexa.post(kit.make_envelope(), drop=["Signature-256"])
    kit.assert_refused(response, "Signature-256 header is missing")


def test_old_sha1_signature_header_alone_is_refused(alexa: Any, kit: SimpleNamespace) -> None:
    body = kit.encode(kit.make_envelope())
    headers = alexa.headers(body)
    headers["Signature"] = headers.pop("Signature-256")
    kit.assert_refused(
        alexa.client.post("/", data=body, headers=headers), "Signature-256 header is missing"
    )


def test_missing_certificate_url_header_is_refused(alexa: Any, kit: SimpleNamespace) -> None:
    response = alexa.post(kit.make_envelope(), drop=["SignatureCertChainUrl"])
    kit.assert_refused(response, "SignatureCertChainUrl header is missing")


def test_signature_is_checked_before_the_body_is_parsed(app: Flask, kit: SimpleNamespace) -> None:
    response = app.test_client().post("/", data=b"{not json")
    kit.assert_refused(response, "SignatureCertChainUrl header is missing")


# --- certificate ------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "reason"), AMAZON_BAD_URLS)
def test_amazons_bad_certificate_urls_are_refused(
    alexa: Any, kit: SimpleNamespace, url: str, reason: str
) -> None:
    kit.assert_refused(alexa.post(kit.make_envelope(), cert_url=url), reason)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("expired", "signing certificate is outside its validity period"),
        ("other-name", "signing certificate does not name echo-api.amazon.com"),
        ("no-name", "signing certificate does not name echo-api.amazon.com"),
        ("untrusted", "certificate chain does not lead to a trusted root"),
        ("ec-key", "signing certificate key is not RSA"),
    ],
)
def test_bad_certificate_chains_are_refused(
    alexa: Any, kit: SimpleNamespace, kind: str, reason: str
) -> None:
    kit.assert_refused(alexa.post(kit.make_envelope(), cert_url=kit.url_for(kind)), reason)


def test_unknown_chain_file_is_refused(alexa: Any, kit: SimpleNamespace) -> None:
    url = "https://s3.amazonaws.com/echo.api/absent.pem"
    kit.assert_refused(
        alexa.post(kit.make_envelope(), cert_url=url), "certificate chain is not available"
    )


def test_chain_not_trusted_without_the_test_root(
    make_app: Callable[..., Flask], kit: SimpleNamespace, pki: Any
) -> None:
    alexa = kit.AlexaCaller(make_app(TRUST_ROOTS=[]).test_client(), pki.leaf_key)
    kit.assert_refused(
        alexa.post(kit.make_envelope()), "certificate chain does not lead to a trusted root"
    )


# --- timestamp and skill id -------------------------------------------------------------------


def test_stale_timestamp_is_refused(alexa: Any, kit: SimpleNamespace) -> None:
    response = alexa.post(kit.make_envelope(age_seconds=200))
    kit.assert_refused(response, "request timestamp is more than 150 seconds old")


def test_future_timestamp_is_refused(alexa: Any, kit: SimpleNamespace) -> None:
    response = alexa.post(kit.make_envelope(age_seconds=-200))
    kit.assert_refused(response, "request timestamp is more than 150 seconds in the future")


def test_another_skills_request_is_refused(alexa: Any, kit: SimpleNamespace) -> None:
    response = alexa.post(kit.make_envelope(skill_id=kit.OTHER_SKILL_ID))
    kit.assert_refused(response, "request is for another skill")


def test_skill_id_of_the_skill_itself_is_enforced_with_400(
    make_app: Callable[..., Flask], tiny_skill_factory: Any, kit: SimpleNamespace, pki: Any
) -> None:
    """flask-ask-sdk alone answers this with 500; the skill's own id is checked first here."""
    app = make_app(ALEXA_SKILL_ID=None, skill=tiny_skill_factory(kit.SKILL_ID))
    alexa = kit.AlexaCaller(app.test_client(), pki.leaf_key)
    kit.assert_refused(
        alexa.post(kit.make_envelope(skill_id=kit.OTHER_SKILL_ID)), "request is for another skill"
    )
    assert "hello" in speech_of(alexa.post(kit.make_envelope()))


def test_without_a_skill_id_any_skill_is_accepted(
    make_app: Callable[..., Flask], kit: SimpleNamespace, pki: Any, monkeypatch: Any
) -> None:
    monkeypatch.delenv("ALEXA_SKILL_ID", raising=False)
    alexa = kit.AlexaCaller(make_app(ALEXA_SKILL_ID=None).test_client(), pki.leaf_key)
    assert "hello" in speech_of(alexa.post(kit.make_envelope(skill_id=kit.OTHER_SKILL_ID)))


def test_skill_id_defaults_to_the_environment(
    cert_dir: Any, root_pem: Any, tiny_skill: Any, kit: SimpleNamespace, pki: Any, monkeypatch: Any
) -> None:
    from skill.web.app import create_app

    monkeypatch.setenv("ALEXA_SKILL_ID", kit.OTHER_SKILL_ID)
    app = create_app({"CERT_DIR": str(cert_dir), "TRUST_ROOTS": [str(root_pem)]}, skill=tiny_skill)
    alexa = kit.AlexaCaller(app.test_client(), pki.leaf_key)
    kit.assert_refused(alexa.post(kit.make_envelope()), "request is for another skill")


# --- the body ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "request body is not JSON"),
        (b"", "request body is not JSON"),
        (b'{"a": NaN}', "request body is not JSON"),
        (b"[1, 2]", "request body is not a JSON object"),
        (b'{"version": "1.0"}', "request body is not an Alexa request"),
        ('{"x": "caf\u00e9"}'.encode("latin-1"), "request body is not UTF-8"),
    ],
)
def test_malformed_signed_bodies_are_refused(
    alexa: Any, kit: SimpleNamespace, body: bytes, reason: str
) -> None:
    kit.assert_refused(alexa.post(body), reason)


def test_envelope_the_sdk_cannot_read_is_refused(alexa: Any, kit: SimpleNamespace) -> None:
    envelope = kit.make_envelope()
    envelope["request"]["timestamp"] = kit.MARKER
    response = alexa.post(envelope)
    kit.assert_refused(response, "request body is not an Alexa request")


def test_oversized_body_gets_413(make_app: Callable[..., Flask], kit: SimpleNamespace) -> None:
    client = make_app(MAX_BODY_BYTES=1024).test_client()
    response = client.post("/", data=b"x" * 1025, headers={"Content-Type": "application/json"})
    kit.assert_refused(response, "request body is too large", status=413)


def test_body_at_the_limit_is_read(
    make_app: Callable[..., Flask], kit: SimpleNamespace, pki: Any
) -> None:
    envelope = kit.make_envelope()
    body = kit.encode(envelope)
    alexa = kit.AlexaCaller(make_app(MAX_BODY_BYTES=len(body)).test_client(), pki.leaf_key)
    assert "hello" in speech_of(alexa.post(body))


# --- other routes and failures ----------------------------------------------------------------


def test_other_methods_on_the_skill_route_are_405(app: Flask, kit: SimpleNamespace) -> None:
    response = app.test_client().put("/")
    kit.assert_refused(response, "method not allowed", status=405)
    assert {"GET", "POST"} <= set(response.headers["Allow"].split(", "))


def test_unknown_path_is_404(app: Flask, kit: SimpleNamespace) -> None:
    kit.assert_refused(app.test_client().get("/nowhere"), "not found", status=404)


def test_skill_failure_is_a_one_line_500(alexa: Any, kit: SimpleNamespace) -> None:
    """The tiny skill has no IntentRequest handler, so the SDK raises inside the skill."""
    kit.assert_refused(alexa.post(kit.intent_envelope()), "internal error", status=500)


def test_dev_settings_skip_signature_and_timestamp(
    make_app: Callable[..., Flask], kit: SimpleNamespace
) -> None:
    app = make_app(VERIFY_SIGNATURE=False, VERIFY_TIMESTAMP=False)
    response = app.test_client().post("/", data=kit.encode(kit.make_envelope(age_seconds=9999)))
    assert "hello" in speech_of(response)


def test_dev_settings_still_check_the_skill_id(
    make_app: Callable[..., Flask], kit: SimpleNamespace
) -> None:
    app = make_app(VERIFY_SIGNATURE=False, VERIFY_TIMESTAMP=False)
    body = kit.encode(kit.make_envelope(skill_id=kit.OTHER_SKILL_ID))
    kit.assert_refused(app.test_client().post("/", data=body), "request is for another skill")


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ({"VERIFY_SIGNATURE": "false"}, TypeError),
        ({"MAX_BODY_BYTES": 0}, ValueError),
        ({"MAX_BODY_BYTES": "big"}, ValueError),
    ],
)
def test_bad_config_is_refused_at_start(
    make_app: Callable[..., Flask], config: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        make_app(**config)


def test_trust_root_file_without_certificates_is_refused(
    make_app: Callable[..., Flask], tmp_path: Any
) -> None:
    empty = tmp_path / "empty.pem"
    empty.write_text("nothing here\n")
    with pytest.raises(ValueError, match="holds no PEM certificate"):
        make_app(TRUST_ROOTS=[str(empty)])
