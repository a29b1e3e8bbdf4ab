"""The pack's pages, rendered from its data (collect.py) as static, script-free HTML.

Every page has one h1, headings that never skip a level, tables with header cells, and a link
to every other page; print styles make each page read on A4 (style.css). Text from the knowledge
and the locales is always escaped (html.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from skill.review.html import Markup, breakable, el, join

__all__ = ["PAGES", "page_names", "render_site"]

Data = Mapping[str, Any]
Changes = Mapping[str, list[dict[str, Any]]]

TITLE = "Care Compass clinical review pack"
# (file, title in the navigation): the pages of every pack; per-locale pages come after them.
PAGES = (
    ("index.html", "Overview"),
    ("rules.html", "Rules"),
    ("knowledge.html", "Questions and advice"),
    ("sources.html", "Sources"),
    ("hear-{locale}.html", "What people hear"),
    ("conversations-{locale}.html", "Conversations"),
    ("evidence.html", "Evidence"),
    ("changes.html", "Changes"),
    ("signoff.html", "Sign-off"),
)
# Recomputes the fingerprint with standard tools (version.py writes the same list).
RECOMPUTE = (
    "{ ls skill/knowledge/*.yaml skill/content/*/*.yaml; find interaction_model/sentences "
    "-type f -not -path '*/__pycache__/*' 2>/dev/null; } | LC_ALL=C sort | xargs sha256sum "
    "| sha256sum"
)


def page_names(locales: list[str]) -> list[str]:
    names = []
    for name, _ in PAGES:
        names += [name.format(locale=loc) for loc in locales] if "{locale}" in name else [name]
    return names


# --- small pieces -------------------------------------------------------------------------------


def _lang(locale: str) -> str:
    return locale.split("-")[0]


def level_badge(level: str | None) -> Markup:
    if not level:
        return el("span", "none yet", class_="level level-none")
    return el("span", level.replace("_", "-"), class_=f"level level-{level}")


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    caption: str | None = None,
    ids: list[str] | None = None,
) -> Markup:
    """A table with a header row of `th scope="col"`; a row's first cell is its header; `ids`
    gives each row an id (a link target, and what the completeness check looks for)."""
    row_ids: list[str | None] = list(ids) if ids is not None else [None] * len(rows)
    return table_of_rows(
        headers,
        [
            el(
                "tr",
                [el("th", row[0], scope="row"), *[el("td", cell) for cell in row[1:]]],
                id=ident,
            )
            for row, ident in zip(rows, row_ids, strict=True)
        ],
        caption,
    )


def table_of_rows(
    headers: Sequence[str], rows: Sequence[Markup], caption: str | None = None
) -> Markup:
    """The same table for rows built by the caller (`tr` elements)."""
    head = el("thead", el("tr", [el("th", h, scope="col") for h in headers]))
    return el(
        "div",
        el("table", el("caption", caption) if caption else None, head, el("tbody", list(rows))),
        class_="table",
    )


def bullets(items: list[object], class_: str | None = None) -> Markup | str:
    if not items:
        return "none"
    return el("ul", [el("li", item) for item in items], class_=class_)


def _seconds(words: int, seconds: float) -> str:
    return f"{words} words, about {seconds:g} s"


def source_link(source_id: str, data: Data, *, anchor_only: bool = False) -> Markup:
    source = data["knowledge"]["sources"][source_id]
    if anchor_only:
        return el("a", source_id, href=f"sources.html#source-{source_id}")
    return el(
        "span",
        el("a", source_id, href=f"sources.html#source-{source_id}"),
        " ",
        el("a", source["title"], href=source["url"]),
        el("span", " (shown to people)", class_="note") if source["canonical"] else None,
        class_="source",
    )


def rule_link(rule_id: str) -> Markup:
    return el("a", rule_id, href=f"rules.html#rule-{rule_id}")


def basis_link(item: str, data: Data) -> Markup:
    if item in data["knowledge"]["sources"]:
        return source_link(item, data, anchor_only=True)
    return rule_link(item)


def _comma(items: list[Markup | str]) -> Markup:
    return join([[item, ", " if i < len(items) - 1 else ""] for i, item in enumerate(items)])


def _nav(data: Data, current: str) -> Markup:
    first = data["locales_order"][0]
    items = []
    for name, label in PAGES:
        href = name.format(locale=first)
        here = current == href or ("{locale}" in name and current.startswith(name.split("{")[0]))
        items.append(el("li", el("a", label, href=href, aria_current="page" if here else None)))
    return el("nav", el("ul", items), aria_label="Pages", class_="pages")


def _locale_nav(data: Data, pattern: str, current: str) -> Markup:
    items = [
        el(
            "li",
            el(
                "a",
                loc,
                href=pattern.format(locale=loc),
                aria_current="page" if pattern.format(locale=loc) == current else None,
            ),
        )
        for loc in data["locales_order"]
    ]
    return el("nav", el("ul", items), aria_label="Locales", class_="locales")


def page(data: Data, name: str, title: str, body: list[object], lang: str = "en") -> str:
    fp = data["fingerprint"]["sha256"]
    made = data.get("made", {})
    commit = (made.get("commit") or "")[:12]
    html = el(
        "html",
        el(
            "head",
            el("meta", charset="utf-8"),
            el("meta", name="viewport", content="width=device-width, initial-scale=1"),
            el("title", f"{title} · {TITLE}"),
            el("link", rel="stylesheet", href="style.css"),
        ),
        el(
            "body",
            el("a", "Skip to the content", href="#main", class_="skip"),
            el(
                "header",
                el("p", TITLE, class_="brand"),
                _nav(data, name),
            ),
            el("main", el("h1", title), body, id="main"),
            el(
                "footer",
                el(
                    "p",
                    "Fingerprint ",
                    el("code", fp),
                    f" · made {made.get('date', '-')}",
                    f" from commit {commit}" if commit else "",
                    " (with uncommitted changes)" if made.get("uncommitted_changes") else "",
                    " · ",
                    el("a", "sign-off sheet", href="signoff.html"),
                ),
            ),
        ),
        xmlns="http://www.w3.org/1999/xhtml",
        lang=lang,
    )
    return "<!DOCTYPE html>\n" + html + "\n"


# --- overview -----------------------------------------------------------------------------------


def index_page(data: Data, changes: Changes | None, since: Data | None) -> list[object]:
    k = data["knowledge"]
    vignettes = data["vignettes"]
    agree = sum(1 for v in vignettes if v["expected"] == v["actual"])
    conversations = sum(len(v) for v in data["conversations"].values())
    locales = data["locales_order"]
    changed = sum(len(v) for v in changes.values()) if changes is not None else None
    return [
        el(
            "p",
            "Everything a clinician signs off for Care Compass, a discreet Alexa skill about "
            "bleeding during or after vaginal sex: the rules in plain words with their sources "
            "and the team's decisions, what people hear and read in every locale, whole "
            "conversations, and the evidence the tests hold. Every word and level here is "
            "produced by the skill itself from the files the fingerprint covers.",
        ),
        el(
            "p",
            "Version ",
            el("code", data["fingerprint"]["sha256"][:16]),
            " (the full fingerprint is on the ",
            el("a", "sign-off sheet", href="signoff.html"),
            ").",
            (
                [
                    f" {changed} change(s) since the earlier pack ",
                    el("code", since["fingerprint"]["sha256"][:16]),
                    ": see ",
                    el("a", "the changes", href="changes.html"),
                    ".",
                ]
                if since is not None and changed is not None
                else " No earlier pack was given: this is a full review."
            ),
        ),
        el("h2", "How to review"),
        el(
            "ol",
            el(
                "li",
                "Read the ",
                el("a", "rules", href="rules.html"),
                ", each with its level, sources and the decision where sources disagree.",
            ),
            el(
                "li",
                "Read ",
                el("a", "what people hear and read", href=f"hear-{locales[0]}.html"),
                " in each locale you sign for, and some ",
                el("a", "whole conversations", href=f"conversations-{locales[0]}.html"),
                ".",
            ),
            el(
                "li",
                "Check the ",
                el("a", "evidence", href="evidence.html"),
                ": the clinical vignettes, the phrasings the skill understands, and what the tests "
                "always hold.",
            ),
            el(
                "li",
                "On a re-review, read only ",
                el("a", "the changes", href="changes.html"),
                " since the version you signed.",
            ),
            el(
                "li",
                "Print and complete the ",
                el("a", "sign-off sheet", href="signoff.html"),
                ".",
            ),
        ),
        el("h2", "Contents"),
        table(
            ["Page", "What it holds"],
            [
                [el("a", "Rules", href="rules.html"), "every rule in plain words, with decisions"],
                [
                    el("a", "Questions and advice", href="knowledge.html"),
                    "the facts, the questions in order, implications, advice, causes, safety net",
                ],
                [el("a", "Sources", href="sources.html"), "every source and what rests on it"],
                [
                    "What people hear",
                    _comma([el("a", loc, href=f"hear-{loc}.html") for loc in locales]),
                ],
                [
                    "Conversations",
                    _comma([el("a", loc, href=f"conversations-{loc}.html") for loc in locales]),
                ],
                [el("a", "Evidence", href="evidence.html"), "vignettes, phrasings, invariants"],
                [el("a", "Changes", href="changes.html"), "what changed since an earlier pack"],
                [el("a", "Sign-off", href="signoff.html"), "fingerprint and the sheet to sign"],
            ],
        ),
        el("h2", "At a glance"),
        table(
            ["What", "How many"],
            [
                ["Rules", len(k["rules"])],
                ["Questions", len(k["questions"])],
                ["Advice items", len(k["advice"])],
                ["Sources", len(k["sources"])],
                ["Locales", ", ".join(locales)],
                ["Answers rendered per locale", len(data["cases"])],
                ["Conversations played", conversations],
                ["Clinical vignettes at the level expected", f"{agree} of {len(vignettes)}"],
                ["Invariants held by tests", len(data["invariants"])],
            ],
        ),
    ]


# --- rules and knowledge ------------------------------------------------------------------------


def _level_words(rule: Mapping[str, Any]) -> Markup:
    others = [f"{loc}: {lvl.replace('_', '-')}" for loc, lvl in rule["level_by_locale"].items()]
    return join([level_badge(rule["level"]), f" ({'; '.join(others)})" if others else ""])


def _advice_line(advice_id: str, data: Data) -> Markup:
    item = data["knowledge"]["advice"][advice_id]
    link = el("a", breakable(advice_id), href=f"knowledge.html#advice-{advice_id}")
    return join([link, ": ", item["text"]])


def rules_page(data: Data) -> list[object]:
    k = data["knowledge"]
    causes = k["causes"]
    summary = table(
        ["Rule", "When", "Level"],
        [
            [rule_link(r["id"]), [r["when"], " → ", r["level"].replace("_", "-")], _level_words(r)]
            for r in k["rules"]
        ],
    )
    details = []
    for rule in k["rules"]:
        facts = [
            ["Level", _level_words(rule)],
            ["When", rule["when"]],
            [
                "Likely causes",
                bullets([causes[c]["name"] for c in rule["causes"]]),
            ],
            ["Advice", bullets([_advice_line(a, data) for a in rule["advice"]])],
        ]
        if rule["advice_if_unsure"]:
            facts.append(
                [
                    'Advice when it fires on "not sure"',
                    bullets([_advice_line(a, data) for a in rule["advice_if_unsure"]]),
                ]
            )
        facts.append(["Sources", bullets([source_link(s, data) for s in rule["sources"]])])
        notes = []
        if rule["material"]:
            notes.append("its advice matters even when the level does not change")
        if rule["keep_in_emergency"]:
            notes.append("kept in an emergency answer")
        if notes:
            facts.append(["Notes", "; ".join(notes)])
        details.append(
            el(
                "section",
                el("h3", f"{rule['id']}: ", rule["level"].replace("_", "-")),
                el("dl", [[el("dt", name), el("dd", value)] for name, value in facts]),
                el(
                    "div",
                    el("p", el("strong", "Decision where the sources disagree")),
                    el("p", rule["decision"]),
                    class_="decision",
                )
                if rule["decision"]
                else None,
                id=f"rule-{rule['id']}",
                class_="rule",
            )
        )
    return [
        el(
            "p",
            "Every rule sets a floor; the answer is the highest floor reached. A fact nobody "
            'asked about makes its test false; a fact answered "not sure" never counts as the '
            "harmless answer (an emergency rule that could hold gives U6: urgent, with the "
            "emergency signs read aloud). Self-care (C1) must hold for certain. Values are "
            "listed from the most reassuring. The reasoning is in docs/clinical-basis.md.",
        ),
        el("h2", "Levels"),
        table(
            ["Level", "Meaning"],
            [[level_badge(level), words] for level, words in k["levels"].items()],
        ),
        el("h2", "All rules"),
        summary,
        el("h2", "Each rule"),
        details,
        el("h2", "Locale policies"),
        table(
            ["Locale", "A single light episode with a harmless cause (C1)", "Region of pages"],
            [
                [loc, level_badge(p["benign_level"]), p["region"] or "-"]
                for loc, p in k["policies"].items()
            ],
        ),
    ]


def knowledge_page(data: Data) -> list[object]:
    k = data["knowledge"]
    yes_no = [
        [
            el("a", q["fact"], href=f"#fact-{q['id']}"),
            q["yes"] or "asks for words",
            q["no"] or "asks for words",
            q["unknown"] or "asks again",
            q["ask_when"] or "always, while it could change the answer",
            f"{q['early']['when']}: asked before {q['early']['before']}" if q["early"] else "-",
        ]
        for q in k["questions"]
    ]
    return [
        el(
            "p",
            "What the core knows besides its rules. Words are in US English; each locale's own "
            "words are on its ",
            el("a", "What people hear", href=f"hear-{data['locales_order'][0]}.html"),
            " page.",
        ),
        el("h2", "Facts"),
        table(
            ["Fact", "Meaning", "Values"],
            [[f["label"], f["meaning"], ", ".join(f["values"]) or "a number"] for f in k["facts"]],
            ids=[f"fact-{f['id']}" for f in k["facts"]],
        ),
        el("h2", "Questions, in the order they are asked"),
        el(
            "p",
            "Red flags first; a question is asked only while its answer could change the level "
            "or advice that matters.",
        ),
        table(
            ["Question about", "Yes means", "No means", "Not sure means", "Asked when", "Early"],
            yes_no,
            ids=[f"question-{q['id']}" for q in k["questions"]],
        ),
        el("h2", "What one fact says about another"),
        table(
            ["Implication", "When", "Raises to", "Fills in", "Sources"],
            [
                [
                    i["id"].replace("_", " "),
                    i["when"],
                    bullets(i["raise"]) if i["raise"] else "-",
                    bullets(i["fill"]) if i["fill"] else "-",
                    _comma([source_link(s, data, anchor_only=True) for s in i["sources"]]),
                ]
                for i in k["implications"]
            ],
            ids=[f"implication-{i['id']}" for i in k["implications"]],
        ),
        el("h2", "Advice items"),
        el(
            "p",
            "Spoken: the short form heard (discreet); written: the form on the note. The note "
            "repeats an item unless said otherwise.",
        ),
        table(
            ["Advice", "Spoken", "Written", "Said aloud", "Sources"],
            [
                [
                    breakable(advice_id),
                    item["say"],
                    item["text"],
                    {"always": "always", True: "if time allows", False: "no"}[item["spoken"]]
                    + ("" if item["on_card"] else "; not repeated on the note"),
                    _comma([source_link(s, data, anchor_only=True) for s in item["sources"]]),
                ]
                for advice_id, item in k["advice"].items()
            ],
            ids=[f"advice-{advice_id}" for advice_id in k["advice"]],
        ),
        el("h2", "Likely causes"),
        table(
            ["Cause", "Points to it", "Not offered when", "Sources"],
            [
                [
                    cause["name"],
                    bullets([f"{p['why']} ({p['when']})" for p in cause["points_to"]]),
                    cause["unless"] or "-",
                    _comma([source_link(s, data, anchor_only=True) for s in cause["sources"]]),
                ]
                for cause in k["causes"].values()
            ],
            ids=[f"cause-{c}" for c in k["causes"]],
        ),
        el("h2", "Safety net"),
        el("p", "Given with any answer below the level it escalates to."),
        table(
            ["Item", "Escalates to", "When", "Spoken", "Written", "Sources"],
            [
                [
                    s["id"].replace("_", " "),
                    level_badge(s["escalates_to"]),
                    s["when"] or "always",
                    s["say"],
                    s["text"],
                    _comma([source_link(i, data, anchor_only=True) for i in s["sources"]]),
                ]
                for s in k["safety_net"]
            ],
            ids=[f"safety_net-{s['id']}" for s in k["safety_net"]],
        ),
    ]


def _uses(data: Data) -> dict[str, list[str]]:
    k = data["knowledge"]
    uses: dict[str, list[str]] = {}
    for rule in k["rules"]:
        for s in rule["sources"]:
            uses.setdefault(s, []).append(f"rule {rule['id']}")
    for advice_id, item in k["advice"].items():
        for s in item["sources"]:
            uses.setdefault(s, []).append(f"advice {advice_id}")
    for cause_id, cause in k["causes"].items():
        for s in cause["sources"]:
            uses.setdefault(s, []).append(f"cause {cause_id}")
    for item in k["safety_net"]:
        for s in item["sources"]:
            uses.setdefault(s, []).append(f"safety net {item['id']}")
    for locale, content in data["locales"].items():
        for s in content["service_sources"]:
            uses.setdefault(s, []).append(f"{locale} services")
    return uses


def sources_page(data: Data) -> list[object]:
    k = data["knowledge"]
    uses = _uses(data)
    rows = [
        el(
            "tr",
            el("th", source_id, scope="row"),
            el("td", el("a", breakable(s["title"]), href=s["url"])),
            el(
                "td",
                "yes: the publisher's own page, over https" if s["canonical"] else "no: provenance",
            ),
            el("td", s["kind"], f" ({s['region']})" if s["region"] else ""),
            el("td", breakable(", ".join(uses.get(source_id, [])) or "not used")),
            id=f"source-{source_id}",
        )
        for source_id, s in k["sources"].items()
    ]
    return [
        el(
            "p",
            "Every source the rules were built from (skill/knowledge/sources.yaml). Only a "
            "canonical source may be shown to a person; the others are kept as provenance.",
        ),
        table_of_rows(["Source", "Title and address", "May be shown", "Kind", "Used by"], rows),
    ]


# --- what people hear ---------------------------------------------------------------------------


def _card_box(card: Mapping[str, str] | None, lang: str) -> Markup:
    if card is None:
        return el("p", "No note is offered after this answer.", class_="note")
    return el(
        "figure",
        el("figcaption", "The note in the Alexa app (sent only after a yes)"),
        el(
            "div",
            el("p", card["title"], class_="card-title"),
            el("pre", card["content"]),
            lang=lang,
        ),
        class_="card",
    )


def _speech(sentences: list[str], lang: str, whispered: bool = False) -> Markup:
    return el(
        "blockquote",
        el("p", " ".join(sentences)),
        lang=lang,
        class_="speech whispered" if whispered else "speech",
    )


def hear_page(data: Data, locale: str) -> list[object]:
    content = data["locales"][locale]
    lang = _lang(locale)
    budget = data["word_budget"]
    answers = []
    for row in content["answers"]:
        over = row["words"] > budget
        answers.append(
            el(
                "section",
                el("h3", row["story"], " ", level_badge(row["level"])),
                el(
                    "p",
                    "Rules: ",
                    _comma([rule_link(r) for r in row["rules"]]),
                    " · facts: ",
                    "; ".join(row["facts"]) or "none",
                    class_="facts",
                ),
                el(
                    "p",
                    el("strong", "Heard"),
                    " (whispered)" if row["whispered"] else "",
                    f": {_seconds(row['words'], row['seconds'])}",
                    el("strong", f" (over the {budget}-word budget)", class_="warn")
                    if over
                    else "",
                ),
                _speech(row["speech"], lang, row["whispered"]),
                _card_box(row["card"], lang),
                id=f"answer-{row['case']}",
                class_="answer",
            )
        )
    questions = [
        [
            q["id"].replace("_", " "),
            el("span", q["say"], lang=lang),
            el("span", q["reprompt"], lang=lang),
            el("span", q["choices"], lang=lang),
            _seconds(q["words"], q["seconds"]),
        ]
        for q in content["questions"]
    ]
    texts = [
        el(
            "tr",
            el("th", breakable(f"{row['file']}: {row['key']}"), scope="row"),
            el("td", row["text"], lang=lang),
            el("td", _seconds(row["words"], row["seconds"]) if row["spoken"] else "written"),
            id=f"text-{row['file']}-{row['key']}",
        )
        for row in content["texts"]
    ]
    services = [[key, el("span", value, lang=lang)] for key, value in content["services"].items()]
    return [
        _locale_nav(data, "hear-{locale}.html", f"hear-{locale}.html"),
        el(
            "p",
            "Rendered by the skill itself (the Alexa adapter's answer and note functions) on "
            "representative facts; each answer is the end of a finished conversation. Speaking "
            f"time at {data['words_per_second']:g} words a second; a spoken answer is meant to "
            f"fit {budget} words.",
        ),
        el("h2", "Services and numbers"),
        table(
            ["Service", "Words"],
            [
                *services,
                [
                    "sources",
                    _comma(
                        [source_link(s, data, anchor_only=True) for s in content["service_sources"]]
                    ),
                ],
            ],
        ),
        el("h2", "Answers"),
        answers,
        el("h2", "Questions"),
        el(
            "p",
            "Each question as first asked, the shorter reprompt said when nothing is heard, and "
            "the choices said after two misunderstandings.",
        ),
        table(["Question about", "Asked", "Reprompt", "Choices", "Length"], questions),
        el("h2", "Every text"),
        el(
            "p",
            "Every text of the locale's triage.yaml and voice.yaml, with placeholders filled in.",
        ),
        table_of_rows(["Key", "Text", "Spoken length"], texts),
    ]


# --- conversations ------------------------------------------------------------------------------


def _turn(turn: Mapping[str, Any], lang: str) -> Markup:
    if "error" in turn:
        return el(
            "li",
            el("p", el("strong", "Person: "), el("span", turn["say"], lang=lang), class_="person"),
            el("p", el("strong", "Could not be played: ", class_="warn"), turn["error"]),
        )
    level = turn.get("level")
    return el(
        "li",
        el("p", el("strong", "Person: "), el("span", turn["say"], lang=lang), class_="person"),
        el(
            "p",
            el("strong", "Care Compass"),
            " (whispered)" if turn.get("whispered") else "",
            ": ",
            el("span", turn.get("speech") or "(silence)", lang=lang),
            class_="skill",
        ),
        el("p", "Reprompt: ", el("span", turn["reprompt"], lang=lang), class_="note")
        if turn.get("reprompt")
        else None,
        el(
            "p",
            f"Understood as {turn.get('intent')}",
            " · level ",
            level_badge(level),
            " · the session ends" if turn.get("end_session") else "",
            class_="note",
        ),
        el(
            "p",
            el(
                "strong",
                f"The conversation's file expects level {turn['expected_level']}.",
                class_="warn",
            ),
        )
        if not turn.get("as_expected", True)
        else None,
        _card_box(turn["card"], lang) if turn.get("card") else None,
        class_="turn",
    )


def conversations_page(data: Data, locale: str) -> list[object]:
    lang = _lang(locale)
    found = data["conversations"].get(locale, [])
    sections = [
        el(
            "section",
            el("h2", item["description"] or item["id"]),
            el("p", el("code", breakable(item["file"])), class_="note"),
            el("ol", [_turn(t, lang) for t in item["turns"]], class_="transcript"),
            id=f"conversation-{item['id']}",
        )
        for item in found
    ]
    differ = sum(1 for item in found for t in item["turns"] if not t.get("as_expected", True))
    return [
        _locale_nav(data, "conversations-{locale}.html", f"conversations-{locale}.html"),
        el(
            "p",
            f"{len(found)} conversations (tests/conversations/{locale}/), each played through the "
            "skill's simulator as a speaker would hear it. ",
            f"{differ} turn(s) reach another level than their file expects: they are marked."
            if differ
            else "Every turn reaches the level its file expects.",
        ),
        sections or el("p", "No conversations for this locale."),
    ]


# --- evidence -----------------------------------------------------------------------------------


def evidence_page(data: Data) -> list[object]:
    vignettes = [
        [
            [v["name"].replace("_", " "), el("br"), el("span", v["story"], class_="plain")],
            [
                "the benign story, and: " if v["on_benign_story"] else "",
                "; ".join(v["facts"]) or "nothing more",
                f"; later: {'; '.join(v['later'])}" if v["later"] else "",
            ],
            [
                "expected ",
                level_badge(v["expected"]),
                el("br"),
                "actual ",
                level_badge(v["actual"]),
                ""
                if v["actual"] == v["expected"]
                else [el("br"), el("strong", "not as expected", class_="warn")],
            ],
            [
                "fired: ",
                _comma([rule_link(r) for r in v["rules_fired"]]),
                el("br"),
                "basis: ",
                _comma([basis_link(b, data) for b in v["basis"]]),
                [el("br"), "cites: ", _comma([basis_link(s, data) for s in v["sources"]])]
                if v["sources"]
                else "",
                [el("br"), v["note"]] if v["note"] else "",
            ],
        ]
        for v in data["vignettes"]
    ]
    coverage = data["coverage"]
    coverage_rows = [
        [
            locale,
            row["phrasings"] or "none on this branch",
            row["understood"] if row["understood"] is not None else "from check-model",
            f"{row['share']:.0%}" if row["share"] is not None else "from check-model",
        ]
        for locale, row in coverage["locales"].items()
    ]
    return [
        el("h2", "Clinical vignettes"),
        el(
            "p",
            f"{len(data['vignettes'])} short stories (tests/core/vignettes.yaml), each with the "
            "level the clinical basis asks for and the level the core gives now. The benign story "
            "the others change: ",
            "; ".join(data["benign_story"]),
            ".",
        ),
        table(["Vignette", "Facts told", "Level", "Rules and basis"], vignettes),
        el("h2", "Held-out phrasings"),
        el(
            "p",
            "Phrasings written blind to the skill's sentence templates (tests/nlu/<locale>.yaml): "
            "how many there are per locale, and how many the interaction models understand. ",
            "The figures are measured here with the same code as ",
            el("code", coverage["command"]),
            "."
            if coverage["measured"]
            else [
                "The coverage figure comes from ",
                el("code", coverage["command"]),
                ", which this version of the skill does not have yet.",
            ],
        ),
        table(["Locale", "Phrasings", "Understood", "Share"], coverage_rows),
        el("h2", "What the tests always hold"),
        table(
            ["Invariant", "Held by"],
            [
                [inv["says"], bullets([el("code", breakable(t)) for t in inv["tests"]])]
                for inv in data["invariants"]
            ],
        ),
    ]


# --- changes and sign-off -----------------------------------------------------------------------


def _value(value: Any) -> Markup | str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return el("pre", json.dumps(value, indent=1, ensure_ascii=False, sort_keys=True))


def changes_page(data: Data, changes: Changes | None, since: Data | None) -> list[object]:
    if changes is None or since is None:
        return [
            el(
                "p",
                "No earlier pack was given, so everything is new: review the whole pack. To "
                "review only what changed since a pack you signed, make this one with ",
                el("code", "--since <that pack's folder>"),
                ".",
            )
        ]
    total = sum(len(found) for found in changes.values())
    body: list[object] = [
        el(
            "p",
            f"{total} change(s) since the pack of ",
            el("code", since["fingerprint"]["sha256"]),
            f" (made {since.get('made', {}).get('date', '-')}). Only these need a re-review.",
        ),
        table(
            ["Section", "Changes"],
            [[section, len(found)] for section, found in changes.items()],
            caption="Changes per section",
        ),
    ]
    for section, found in changes.items():
        if not found:
            continue
        body += [
            el("h2", section[0].upper() + section[1:]),
            table(
                ["What", "Change", "Before", "Now"],
                [
                    [f"{c['what']} {c['id']}", c["change"], _value(c["old"]), _value(c["new"])]
                    for c in found
                ],
            ),
        ]
    return body


def signoff_page(data: Data, since: Data | None, names: list[str]) -> list[object]:
    fp = data["fingerprint"]
    blank = el("span", "", class_="blank")
    return [
        el(
            "p",
            "The fingerprint is the sha256 of the list below: every file of the knowledge, the "
            "words and the sentence templates, each with its own sha256. Any change to any of "
            "them changes it. ",
            el("code", "shown_sha256"),
            " hashes everything the pages show, so a change in code that changes what people "
            "hear changes it too.",
        ),
        el("h2", "Version"),
        table(
            ["What", "Value"],
            [
                ["Fingerprint", el("code", fp["sha256"])],
                ["What the pages show (shown_sha256)", el("code", data["shown_sha256"])],
                ["Made", data.get("made", {}).get("date", "-")],
                ["Commit", el("code", data.get("made", {}).get("commit") or "-")],
            ],
        ),
        el("h2", "Sign-off sheet"),
        el(
            "p",
            "Print this page, complete it, and keep it with the pack (pack.json) it names.",
        ),
        table(
            ["Field", "Entry"],
            [
                ["Pack fingerprint", el("code", fp["sha256"])],
                [
                    "Review",
                    [
                        "re-review of the changes since ",
                        el("code", since["fingerprint"]["sha256"]),
                    ]
                    if since is not None
                    else "full review (no earlier pack)",
                ],
                ["Reviewer name", blank],
                ["Role and professional registration", blank],
                ["Locales reviewed", blank],
                ["Date", blank],
                ["Decision", "☐ approved   ☐ approved with changes listed below   ☐ not approved"],
                ["Changes required", blank],
                ["Signature", blank],
            ],
            caption="Sign-off",
        ),
        el("h3", "Pages reviewed"),
        table(
            ["Page", "Reviewed", "Comments"],
            [[el("a", name, href=name), "☐", blank] for name in names if name != "signoff.html"],
        ),
        el("h2", "Files in the fingerprint"),
        el(
            "p",
            "In the format of sha256sum: the fingerprint is the sha256 of exactly this text. "
            "In a checkout of the signed commit, this recomputes it:",
        ),
        el("pre", RECOMPUTE, class_="listing"),
        el("pre", fp["list"], class_="listing"),
    ]


# --- the site -----------------------------------------------------------------------------------


def render_site(
    data: Data, since: Data | None = None, changes: Changes | None = None
) -> dict[str, str]:
    """{file name: HTML} for every page of the pack."""
    locales = list(data["locales_order"])
    names = page_names(locales)
    pages: list[tuple[str, str, list[object]]] = [
        ("index.html", "Clinical review pack", index_page(data, changes, since)),
        ("rules.html", "Rules in plain words", rules_page(data)),
        ("knowledge.html", "Questions, advice and causes", knowledge_page(data)),
        ("sources.html", "Sources", sources_page(data)),
        *[
            (f"hear-{loc}.html", f"What people hear and read: {loc}", hear_page(data, loc))
            for loc in locales
        ],
        *[
            (
                f"conversations-{loc}.html",
                f"Whole conversations: {loc}",
                conversations_page(data, loc),
            )
            for loc in locales
        ],
        ("evidence.html", "Evidence", evidence_page(data)),
        ("changes.html", "Changes since the last review", changes_page(data, changes, since)),
        ("signoff.html", "Version and sign-off", signoff_page(data, since, names)),
    ]
    assert [name for name, _, _ in pages] == names
    return {name: page(data, name, title, body) for name, title, body in pages}
