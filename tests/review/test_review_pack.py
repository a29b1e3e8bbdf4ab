"""The pack as built by `make review-pack`: strictly well-formed, accessible in structure, linking
only to what exists and to sources.yaml, and leaving nothing of the knowledge out. Each check is
also shown to fail on a page broken on purpose."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from skill.core import available_locales, default_knowledge
from skill.review.check import (
    check_completeness,
    check_html,
    check_links,
    check_pack,
    parse_page,
)
from skill.review.pages import page_names
from skill.testing import content_text

KNOWLEDGE = default_knowledge()
LOCALES = available_locales()


def test_the_built_pack_passes_every_check(pack_dir: Path) -> None:
    assert check_pack(pack_dir) == []


def test_every_page_of_every_locale_is_there(pack_dir: Path) -> None:
    names = {path.name for path in pack_dir.iterdir()}
    assert set(page_names(LOCALES)) <= names
    assert {"style.css", "pack.json"} <= names
    for locale in LOCALES:
        assert f"hear-{locale}.html" in names and f"conversations-{locale}.html" in names


def test_every_rule_is_on_the_rules_page_with_its_level(pages: dict[str, str]) -> None:
    root = parse_page(pages["rules.html"])
    sections = {e.get("id"): e for e in root.iter() if e.get("id")}
    for rule in KNOWLEDGE.rules:
        text = " ".join(" ".join(sections[f"rule-{rule.id}"].itertext()).split())
        assert rule.level.id.replace("_", "-") in text


def test_rules_read_in_plain_words(pages: dict[str, str]) -> None:
    text = " ".join(re.sub(r"<[^>]+>", " ", pages["rules.html"]).split())
    assert "dizzy or fainted: yes → emergency" in text
    assert "pregnant: not sure, might be or yes, and (pain: severe" in text
    assert "self-care (en-GB: soon)" in text


def test_every_link_out_is_a_source_of_sources_yaml(pages: dict[str, str]) -> None:
    urls = {source.url for source in KNOWLEDGE.sources.values()}
    linked = {
        href for page in pages.values() for href in re.findall(r'href="(https?://[^"]+)"', page)
    }
    assert linked and linked <= {u.replace("&", "&amp;") for u in urls} | urls
    assert {s.url for s in KNOWLEDGE.sources.values() if s.canonical} <= {
        u.replace("&amp;", "&") for u in linked
    }


def test_headings_are_in_order_and_tables_have_header_cells(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        assert check_html(name, page) == [], name
        assert page.count("<h1>") == 1
        assert page.count("<table>") == page.count("<thead>")


# --- each check catches what it is for ----------------------------------------------------------


def _page(body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head>'
        f"<title>t</title></head><body>{body}</body></html>\n"
    )


GOOD_TABLE = (
    '<table><thead><tr><th scope="col">A</th></tr></thead>'
    "<tbody><tr><td>1</td></tr></tbody></table>"
)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("<h1>T</h1><p>open", "not well-formed"),
        ("<h1>T</h1><p>a &nbsp; b</p>", "not well-formed"),
        ("<h2>T</h2><h1>U</h1>", "exactly one h1"),
        ("<h1>T</h1><h1>U</h1>", "exactly one h1"),
        ("<h1>T</h1><h3>U</h3>", "skips from h1 to h3"),
        ("<h1>T</h1><table><tbody><tr><td>1</td></tr></tbody></table>", "without a header row"),
        (
            "<h1>T</h1><table><thead><tr><th>A</th></tr></thead><tbody/></table>",
            "without scope=col",
        ),
        ('<h1>T</h1><p id="x"/><p id="x"/>', "used twice"),
        ("<h1>T</h1><script>1</script>", "has a script"),
        ('<h1>T</h1><p onclick="x()">p</p>', "has a script"),
        ('<h1>T</h1><img src="a.png"/>', "without alt text"),
    ],
)
def test_check_html_names_what_is_wrong(body: str, problem: str) -> None:
    assert check_html("good.html", _page("<h1>T</h1>" + GOOD_TABLE)) == []
    found = check_html("broken.html", _page(body))
    assert found and all(name == "broken.html" for name, _ in found)
    assert any(problem in message for _, message in found), found


def test_check_links_finds_unknown_pages_anchors_and_addresses() -> None:
    url = next(iter(KNOWLEDGE.sources.values())).url
    pages = {
        "a.html": _page(
            f'<h1>A</h1><p id="here"><a href="{url}">ok</a><a href="#here">ok</a>'
            '<a href="b.html#there">ok</a><a href="c.html">no page</a>'
            '<a href="b.html#nowhere">no anchor</a><a href="https://example.org/x">no source</a>'
            "</p>"
        ),
        "b.html": _page('<h1>B</h1><p id="there"/>'),
    }
    found = [message for _, message in check_links(pages, set(pages), {url})]
    assert len(found) == 3
    assert any("c.html: no such file" in m for m in found)
    assert any("has no id 'nowhere'" in m for m in found)
    assert any("https://example.org/x, which is not in sources.yaml" in m for m in found)


def _without(page: str, element_id: str) -> str:
    """The page with the element of this id (and everything in it) taken out."""
    match = re.search(rf'<(\w+)[^>]* id="{re.escape(element_id)}"', page)
    assert match, element_id
    tag, start = match.group(1), match.start()
    depth, position = 0, start
    for found in re.finditer(rf"<(/?){tag}\b[^>]*?(/?)>", page[start:]):
        if found.group(2):
            continue
        depth += -1 if found.group(1) else 1
        if depth == 0:
            position = start + found.end()
            break
    return page[:start] + page[position:]


@pytest.mark.parametrize(
    ("page", "element_id", "problem"),
    [
        ("rules.html", "rule-E3", "rule E3 is missing"),
        ("rules.html", "rule-C1", "rule C1 is missing"),
        ("knowledge.html", "advice-while_you_wait", "advice while_you_wait is missing"),
        ("knowledge.html", "question-pregnant", "question pregnant is missing"),
        ("knowledge.html", "cause-pid", "cause pid is missing"),
        ("knowledge.html", "safety_net-book_if", "safety_net book_if is missing"),
        ("sources.html", "source-S12", "source S12 is missing"),
        (
            "hear-en-GB.html",
            "text-triage.yaml-advice.not_your_fault.say",
            "the text triage.yaml: advice.not_your_fault.say is missing",
        ),
        (
            "hear-es-US.html",
            "text-voice.yaml-card.summary.emergency",
            "the text voice.yaml: card.summary.emergency is missing",
        ),
    ],
)
def test_a_rule_advice_item_or_text_left_out_fails(
    pages: dict[str, str], page: str, element_id: str, problem: str
) -> None:
    assert check_completeness(pages, KNOWLEDGE, LOCALES) == []
    broken = {**pages, page: _without(pages[page], element_id)}
    assert (page, problem) in check_completeness(broken, KNOWLEDGE, LOCALES)


def test_a_text_shown_with_other_words_fails(pages: dict[str, str]) -> None:
    page = "hear-en-US.html"
    said = content_text("levels.emergency.say")
    assert said in pages[page]
    broken = {**pages, page: pages[page].replace(said, "Please call later.")}
    found = check_completeness(broken, KNOWLEDGE, LOCALES)
    assert (page, "the text triage.yaml: levels.emergency.say is missing") in found


def test_a_missing_locale_page_fails(pages: dict[str, str]) -> None:
    broken = {name: page for name, page in pages.items() if name != "conversations-en-IN.html"}
    found = check_completeness(broken, KNOWLEDGE, LOCALES)
    assert ("conversations-en-IN.html", "the page is missing") in found


def test_the_pack_data_lists_what_the_pages_show(pack_data: dict[str, Any]) -> None:
    assert [r["id"] for r in pack_data["knowledge"]["rules"]] == [
        r.id for r in sorted(KNOWLEDGE.rules, key=lambda r: -int(r.level))
    ]
    assert list(pack_data["locales"]) == LOCALES
    assert set(pack_data["knowledge"]["advice"]) == set(KNOWLEDGE.advice)


def test_every_page_names_the_fingerprint(pages: dict[str, str], pack_data: dict[str, Any]) -> None:
    for page in pages.values():
        assert pack_data["fingerprint"]["sha256"] in page
