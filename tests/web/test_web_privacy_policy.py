"""The privacy policy page: served at /privacy, written as a static file, true to the skill."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from flask import Flask

from skill.web import pages

ROOT = Path(__file__).resolve().parents[2]
STATIC_COPY = ROOT / "docs" / "privacy.html"


def page_text(html: str) -> str:
    """The words a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html.split("<body>", 1)[1])).split())


@pytest.fixture(scope="module")
def served() -> str:
    return pages.privacy_html()


def test_served_page_is_the_committed_static_copy(app: Flask) -> None:
    """docs/privacy.html is for hosting anywhere; regenerate it with
    `python -m skill serve --write-privacy-page docs/privacy.html` after editing privacy.yaml."""
    response = app.test_client().get("/privacy")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == STATIC_COPY.read_text(encoding="utf-8")


def test_write_privacy_page_writes_the_served_page(
    web: SimpleNamespace, tmp_path: Path, served: str
) -> None:
    target = tmp_path / "privacy.html"
    argv = [web.PYTHON, "-m", "skill", "serve", "--write-privacy-page", str(target)]
    result = subprocess.run(argv, env=web.subprocess_env(), capture_output=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, b"")
    assert target.read_text(encoding="utf-8") == served
    to_stdout = subprocess.run(
        [*argv[:-1], "-"], env=web.subprocess_env(), capture_output=True, timeout=60
    )
    assert to_stdout.stdout.decode("utf-8") == served


def test_unwritable_target_is_one_line(web: SimpleNamespace, tmp_path: Path) -> None:
    argv = [web.PYTHON, "-m", "skill", "serve", "--write-privacy-page", str(tmp_path / "no/x")]
    result = subprocess.run(argv, env=web.subprocess_env(), capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith("python -m skill serve: cannot write ")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "truth",
    [
        # nothing past the session, nothing said in the logs
        "When the conversation ends, the skill keeps nothing",
        "These logs never contain what you said",
        # Alexa's voice history, reviewable and deletable in the Alexa app
        "Amazon keeps voice recordings and transcripts",
        "You can review and delete them in the Alexa app",
        # cards: the household's Alexa app and screens, only after a yes
        "It sends one only if you say yes",
        "appears as a card in the Alexa app",
        "may show on that screen",
        "Anyone who can open the Alexa app on your account",
        # no account, no ads, no sharing
        "It has no account to sign in to",
        "It shows or plays no advertising",
        "shares nothing about you with anyone",
    ],
)
def test_the_page_says_what_is_true(served: str, truth: str) -> None:
    assert truth in page_text(served)


def test_the_page_reads_on_a_phone_and_loads_nothing(served: str) -> None:
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in served
    assert "max-width:40rem" in served
    for tag in ("<script", "src=", "href=", "<link", "<img", "<iframe"):
        assert tag not in served


def test_the_words_live_in_the_data_file_and_are_escaped() -> None:
    data = yaml.safe_load(pages.PRIVACY_FILE.read_text(encoding="utf-8"))
    texts = [data["title"], data["summary"]]
    for section in data["sections"]:
        texts += [section["heading"], *section.get("paragraphs", []), *section.get("points", [])]
    words = page_text(pages.privacy_html())
    for text in texts:
        assert " ".join(text.split()) in words
    assert "<" not in "".join(texts)  # no markup in the data: the page escapes everything


def test_the_manifest_path_is_privacy() -> None:
    assert pages.PRIVACY_PATH == "/privacy"
