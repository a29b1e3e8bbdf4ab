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
MAX_TODO = 5  # lines under "what to do": the level's own line and the most pressing advice


def reading_list(assessment: Assessment) -> list[Source]:
    """At most three canonical publisher pages relevant to this answer (the core's choice)."""
    return list(assessment.further_reading[:MAX_READING])


Section = tuple[str, list[str], bool]  # heading, lines, whether it must be on the card
# When the card runs over CARD_LIMIT, lines are dropped from the end of these sections, in this
# order, down to the number given: the least pressing advice first, then further reading.
TRIM_ORDER = (("todo_heading", 4), ("reading_heading", 1), ("todo_heading", 2))


def card_sections(assessment: Assessment, voice: Voice) -> list[Section]:
    """The card's sections in the order they are shown, each marked required or optional."""
    words = render(assessment, voice.triage)
    level = assessment.level
    booking = level in (Level.URGENT, Level.SOON)
    advice = voice.knowledge.advice
    todo = [voice.triage.text("levels", level.id, "text")] + [
        voice.triage.text("advice", a, "text") for a in assessment.advice if advice[a].on_card
    ]
    reading = [f"{source.title}: {source.url}" for source in reading_list(assessment)]
    causes = [cause["text"] for cause in words["causes"][:MAX_CAUSES]]
    sections: list[Section | None] = [
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


def _content(summary: str, sections: list[Section], closing: str) -> str:
    return "\n\n".join([summary, *(_block(h, lines) for h, lines, _ in sections), closing])


def build_card(assessment: Assessment, voice: Voice) -> tuple[str, str]:
    """(title, content): the summary line, the sections, and the disclaimer, within CARD_LIMIT.

    Required sections are always there; if they run over, their least pressing lines go first
    (TRIM_ORDER). An optional section is shown only where it still fits."""
    title = voice.say("card", "title")
    summary = voice.say("card", "summary", assessment.level.id)
    closing = voice.triage.text("disclaimer")
    sections = card_sections(assessment, voice)
    required = [(h, list(lines), must) for h, lines, must in sections if must]

    def size(chosen: list[Section]) -> int:
        return len(title) + len(_content(summary, chosen, closing))

    for key, keep in TRIM_ORDER:
        heading = voice.say("card", key)
        for _, lines, _ in (section for section in required if section[0] == heading):
            while len(lines) > keep and size(required) > CARD_LIMIT:
                lines.pop()
    chosen: list[Section] = []
    for section in sections:
        if section[2]:
            chosen.append(next(s for s in required if s[0] == section[0]))
        elif size([*chosen, section, *required[len([c for c in chosen if c[2]]) :]]) <= (
            CARD_LIMIT
        ):
            chosen.append(section)
    return title, _content(summary, chosen, closing)
