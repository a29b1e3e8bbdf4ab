"""The follow-up card: sent only after the person says yes, readable on a phone.

Cards show in the household's Alexa app, so the title and the first line name no topic: the
first line is a one-line summary of what to do. Then what to do, who to see, when to get help
sooner, what to mention, and at most three canonical pages to read, within CARD_LIMIT.
"""

from __future__ import annotations

from skill.alexa.voice import Voice
from skill.core import Assessment, Level, Source, render

# Short enough to read on a phone without scrolling far (Alexa itself allows about 8,000).
CARD_LIMIT = 1500
MAX_READING = 3
MAX_CAUSES = 2


def reading_list(assessment: Assessment) -> list[Source]:
    """At most three canonical publisher pages relevant to this answer.

    Interim, until the core names the pages a person may be shown: the first https sources."""
    return [s for s in assessment.sources if s.url.startswith("https://")][:MAX_READING]


Section = tuple[str, list[str], bool]  # heading, lines, whether it must be on the card


def card_sections(assessment: Assessment, voice: Voice) -> list[Section]:
    """The card's sections in the order they are shown, each marked required or optional."""
    words = render(assessment, voice.triage)
    level = assessment.level
    booking = level in (Level.URGENT, Level.SOON)
    todo = [voice.triage.text("levels", level.id, "text"), *words["advice"]]
    reading = [f"{source.title}: {source.url}" for source in reading_list(assessment)]
    causes = [cause["text"] for cause in words["causes"][:MAX_CAUSES]]
    sections: list[Section] = [
        (voice.say("card", "todo_heading"), list(dict.fromkeys(todo)), True),
        (voice.say("card", "clinician_heading"), [voice.say("card", "clinician", level.id)], False)
        if booking
        else None,
        (voice.say("card", "sooner_heading"), words["safety_net"], True),
        (voice.say("card", "mention_heading"), [voice.say("card", "mention")], True)
        if booking
        else None,
        (voice.say("card", "reading_heading"), reading, True),
        (voice.say("card", "causes_heading"), causes, False)
        if level is not Level.EMERGENCY
        else None,
    ]
    return [section for section in sections if section is not None and section[1]]


def _block(heading: str, lines: list[str]) -> str:
    return f"{heading}\n" + "\n".join(f"- {line}" for line in lines)


def build_card(assessment: Assessment, voice: Voice) -> tuple[str, str]:
    """(title, content): the summary line, the sections, and the disclaimer.

    Required sections are always there (the content is written to fit CARD_LIMIT, and a test
    holds every level and locale to it); an optional one is shown only where it still fits."""
    title = voice.say("card", "title")
    summary = voice.say("card", "summary", assessment.level.id)
    closing = voice.triage.text("disclaimer")
    sections = card_sections(assessment, voice)
    room = (
        CARD_LIMIT
        - len(title)
        - len("\n\n".join([summary, *(_block(h, ls) for h, ls, must in sections if must), closing]))
    )
    blocks: list[str] = []
    for heading, lines, required in sections:
        block = _block(heading, lines)
        if not required:
            if len(block) + 2 > room:
                continue
            room -= len(block) + 2
        blocks.append(block)
    return title, "\n\n".join([summary, *blocks, closing])
