"""The endpoint's two pages for people: ``GET /`` (what this is) and ``GET /privacy``.

The privacy policy's words live in ``privacy.yaml`` next to this module; here they are only
escaped and laid out, as one small HTML page that reads well on a phone, with no script, no
external resource and no tracking. The same function writes the static copy
(``python -m skill serve --write-privacy-page FILE``; docs/privacy.html), so the page served and
the page hosted elsewhere cannot drift apart.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

import yaml

__all__ = ["INDEX_TEXT", "PRIVACY_PATH", "load_privacy", "privacy_html"]

PRIVACY_FILE = Path(__file__).with_name("privacy.yaml")

#: Where the endpoint serves the policy: the skill manifest's privacy URL is
#: ``https://<the endpoint's host>/privacy``.
PRIVACY_PATH = "/privacy"

INDEX_TEXT = """\
Care Compass: the HTTPS endpoint of an Alexa skill.

Alexa sends the skill's requests to this address as signed POST requests; a request without
Alexa's signature is refused. This page is all there is to see in a browser.

Health check: /healthz (answers "ok")
Privacy policy: /privacy
"""

_STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.55;"
    "font-size:1.05rem;max-width:40rem;margin:0 auto;padding:1rem 1.25rem 3rem;color:#1b1b1b;"
    "background:#fff}h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.2rem;margin-top:2rem}"
    "p.updated{color:#555}li{margin:.35rem 0}"
)


@lru_cache(maxsize=1)
def load_privacy() -> dict[str, Any]:
    """The policy's words, checked for the shape the page needs."""
    data = yaml.safe_load(PRIVACY_FILE.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{PRIVACY_FILE.name}: expected a mapping")
    for key in ("title", "updated", "summary"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ValueError(f"{PRIVACY_FILE.name}: '{key}' must be a non-empty string")
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        raise ValueError(f"{PRIVACY_FILE.name}: 'sections' must be a non-empty list")
    for number, section in enumerate(sections, 1):
        if not isinstance(section, dict) or not isinstance(section.get("heading"), str):
            raise ValueError(f"{PRIVACY_FILE.name}: section {number} needs a heading")
        texts = list(section.get("paragraphs") or []) + list(section.get("points") or [])
        if not texts or not all(isinstance(text, str) and text.strip() for text in texts):
            raise ValueError(f"{PRIVACY_FILE.name}: section {number} needs paragraphs or points")
    return data


def _lines(data: dict[str, Any]) -> list[str]:
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(data['title'])}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(data['title'])}</h1>",
        f'<p class="updated">Last updated: {escape(data["updated"])}</p>',
        f"<p>{escape(data['summary'])}</p>",
    ]
    for section in data["sections"]:
        lines.append(f"<h2>{escape(section['heading'])}</h2>")
        lines.extend(f"<p>{escape(text)}</p>" for text in section.get("paragraphs") or [])
        points = section.get("points") or []
        if points:
            lines.append("<ul>")
            lines.extend(f"<li>{escape(point)}</li>" for point in points)
            lines.append("</ul>")
    lines += ["</main>", "</body>", "</html>"]
    return lines


@lru_cache(maxsize=1)
def privacy_html() -> str:
    """The whole privacy page, the same bytes every time (served, and written as a file)."""
    return "\n".join(_lines(load_privacy())) + "\n"
