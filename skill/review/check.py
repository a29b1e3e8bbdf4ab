"""Checks of a built pack, each returning problems as (file, message): the pages parse strictly,
are accessible in structure, link only to what exists, and leave nothing of the knowledge out.

`check_pack(folder)` runs them all. The completeness checks read the skill's own files (the
knowledge and every locale's words), not the pack's data, so a page that drops a rule, an advice
item or a text is caught even when pack.json still lists it.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any

from skill.core import Knowledge, available_locales, default_knowledge
from skill.core.content import iter_strings
from skill.review.pages import page_names

__all__ = [
    "Problem",
    "check_completeness",
    "check_html",
    "check_links",
    "check_pack",
    "parse_page",
]

Problem = tuple[str, str]
XHTML = "{http://www.w3.org/1999/xhtml}"
HEADING = re.compile(rf"^{re.escape(XHTML)}h([1-6])$")
SPACE = re.compile(r"\s+")


def parse_page(source: str) -> ET.Element:
    """Parse a page strictly (as XML): ET.ParseError names the line and column of a fault."""
    return ET.fromstring(source.split("\n", 1)[1] if source.startswith("<!DOCTYPE") else source)


def _tag(element: ET.Element) -> str:
    return element.tag.removeprefix(XHTML)


def _text(element: ET.Element) -> str:
    return SPACE.sub(" ", "".join(element.itertext())).strip()


def _walk(root: ET.Element) -> Iterator[ET.Element]:
    yield from root.iter()


def check_html(name: str, source: str) -> list[Problem]:
    """One page: well-formed, a language, one h1, headings in order, tables with header cells,
    unique ids, images with text, and no scripts."""
    if not source.startswith("<!DOCTYPE html>\n"):
        return [(name, "does not start with <!DOCTYPE html>")]
    try:
        root = parse_page(source)
    except ET.ParseError as error:
        return [(name, f"not well-formed: {error}")]
    problems: list[Problem] = []
    if _tag(root) != "html" or not root.get("lang"):
        problems.append((name, "the html element needs a lang attribute"))
    if root.find(f"{XHTML}head/{XHTML}title") is None:
        problems.append((name, "no title"))
    levels = [int(m.group(1)) for e in _walk(root) if (m := HEADING.match(e.tag))]
    if levels.count(1) != 1 or not levels or levels[0] != 1:
        problems.append((name, "needs exactly one h1, before any other heading"))
    for before, after in pairwise(levels):
        if after > before + 1:
            problems.append((name, f"a heading skips from h{before} to h{after}"))
    ids: set[str] = set()
    for element in _walk(root):
        tag = _tag(element)
        if (ident := element.get("id")) is not None:
            if ident in ids:
                problems.append((name, f"the id {ident!r} is used twice"))
            ids.add(ident)
        if tag == "script" or any(attr.startswith("on") for attr in element.attrib):
            problems.append((name, "has a script: the pack must read without any"))
        if tag == "img" and not element.get("alt"):
            problems.append((name, "an image without alt text"))
        if tag == "table":
            problems += _check_table(name, element)
    return problems


def _check_table(name: str, table: ET.Element) -> list[Problem]:
    head = table.find(f"{XHTML}thead")
    cells = head.findall(f"{XHTML}tr/{XHTML}th") if head is not None else []
    if not cells:
        return [(name, "a table without a header row of th cells")]
    problems = []
    if any(cell.get("scope") != "col" or not _text(cell) for cell in cells):
        problems.append((name, "a table header cell without scope=col or without text"))
    width = len(cells)
    for row in table.iterfind(f"{XHTML}tbody/{XHTML}tr"):
        if len(row) != width:
            problems.append((name, f"a table row of {len(row)} cells under {width} headers"))
            break
    return problems


def _ids(root: ET.Element) -> set[str]:
    return {ident for e in _walk(root) if (ident := e.get("id")) is not None}


def check_links(pages: Mapping[str, str], files: set[str], urls: set[str]) -> list[Problem]:
    """Every link leads to a page or file of the pack (and an id on it), or to a source's address
    in sources.yaml; the stylesheet is in the pack."""
    roots = {}
    for name, source in pages.items():
        try:
            roots[name] = parse_page(source)
        except ET.ParseError:
            continue  # check_html reports it
    ids = {name: _ids(root) for name, root in roots.items()}
    problems: list[Problem] = []
    for name, root in roots.items():
        for element in _walk(root):
            href = element.get("href")
            if href is None:
                continue
            if re.match(r"^https?://", href):
                if href not in urls:
                    problems.append((name, f"links to {href}, which is not in sources.yaml"))
                continue
            target, _, anchor = href.partition("#")
            target = target or name
            if target not in files:
                problems.append((name, f"links to {href}: no such file in the pack"))
            elif anchor and anchor not in ids.get(target, set()):
                problems.append((name, f"links to {href}: {target} has no id {anchor!r}"))
    return problems


def _source_urls(knowledge: Knowledge) -> set[str]:
    return {source.url for source in knowledge.sources.values()}


def check_completeness(
    pages: Mapping[str, str], knowledge: Knowledge, locales: list[str]
) -> list[Problem]:
    """Nothing of the knowledge or the words is left out: every rule, advice item, question,
    cause, safety-net item, source and fact; every page of every locale; and on each locale's page
    every text of its triage.yaml and voice.yaml, as the skill fills it in."""
    problems: list[Problem] = []
    for name in page_names(locales):
        if name not in pages:
            problems.append((name, "the page is missing"))
    roots = {}
    for name, source in pages.items():
        try:
            roots[name] = parse_page(source)
        except ET.ParseError:
            continue

    def by_id(name: str) -> dict[str, ET.Element]:
        root = roots.get(name)
        return {} if root is None else {e.get("id", ""): e for e in _walk(root) if e.get("id")}

    wanted = {
        "rules.html": [f"rule-{rule.id}" for rule in knowledge.rules],
        "knowledge.html": [f"advice-{a}" for a in knowledge.advice]
        + [f"fact-{f}" for f in knowledge.facts]
        + [f"question-{q.id}" for q in knowledge.questions]
        + [f"implication-{i.id}" for i in knowledge.implications]
        + [f"cause-{c}" for c in knowledge.causes]
        + [f"safety_net-{s.id}" for s in knowledge.safety_net],
        "sources.html": [f"source-{s}" for s in knowledge.sources],
    }
    for name, idents in wanted.items():
        found = by_id(name)
        for ident in idents:
            if ident not in found:
                what, _, item = ident.partition("-")
                problems.append((name, f"{what} {item} is missing"))
    for locale in locales:
        problems += _locale_complete(f"hear-{locale}.html", by_id(f"hear-{locale}.html"), locale)
    return problems


def _locale_complete(name: str, found: dict[str, ET.Element], locale: str) -> list[Problem]:
    from skill.alexa.data import default_data

    if not found:
        return []
    voice = default_data().voices[locale]
    problems: list[Problem] = []
    for file, texts, services in (
        ("triage.yaml", voice.triage.texts, voice.triage.services),
        ("voice.yaml", voice.texts, voice.services),
    ):
        for key, raw in iter_strings(texts):
            row = found.get(f"text-{file}-{key}")
            said = SPACE.sub(" ", raw.format_map(services)).strip()
            if row is None or said not in _text(row):
                problems.append((name, f"the text {file}: {key} is missing"))
    return problems


def check_pack(folder: Path, knowledge: Knowledge | None = None) -> list[Problem]:
    """Every check on a pack written to `folder`."""
    knowledge = knowledge or default_knowledge()
    data_file = folder / "pack.json"
    try:
        data: Any = json.loads(data_file.read_text(encoding="utf-8"))
        locales = list(data["locales_order"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [("pack.json", f"cannot be read: {error}")]
    if locales != available_locales():
        return [("pack.json", f"covers {locales}, not every locale {available_locales()}")]
    pages = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.html"))}
    files = {p.name for p in folder.iterdir() if p.is_file()}
    problems: list[Problem] = []
    for name, source in pages.items():
        problems += check_html(name, source)
    problems += check_links(pages, files, _source_urls(knowledge))
    problems += check_completeness(pages, knowledge, locales)
    if "style.css" not in files:
        problems.append(("style.css", "the stylesheet is missing"))
    return problems
