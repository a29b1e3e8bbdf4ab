"""The follow-up card: sent only after the person says yes, with a neutral title."""

from __future__ import annotations

from skill.alexa.voice import Voice
from skill.core import Assessment, Level, Source, default_knowledge, render

# Alexa allows about 8,000 characters for a card's title and content together.
CARD_LIMIT = 8000


def card_sources(assessment: Assessment, voice: Voice) -> list[Source]:
    """The assessment's sources, with helplines only from this locale: the knowledge cites the
    services of every market, the card names those of the person's."""
    local = voice.triage.service_sources
    kept = [s for s in assessment.sources if not s.id.startswith("H") or s.id in local]
    if "support_services" in assessment.advice:
        known = {s.id for s in kept}
        sources = default_knowledge().sources
        kept += [sources[s] for s in local if s not in known]
    return kept


def build_card(assessment: Assessment, voice: Voice) -> tuple[str, str]:
    words = render(assessment, voice.triage)
    triage = voice.triage
    sections: list[tuple[str, list[str]]] = [
        (voice.say("card", "level_heading"), [triage.text("levels", assessment.level.id, "text")]),
        (voice.say("card", "advice_heading"), words["advice"]),
    ]
    if assessment.level in (Level.URGENT, Level.SOON):
        clinician = voice.say("card", "clinician", assessment.level.id)
        sections.append((voice.say("card", "clinician_heading"), [clinician]))
        sections.append((voice.say("card", "mention_heading"), [voice.say("card", "mention")]))
    if assessment.level is not Level.EMERGENCY and words["causes"]:
        sections.append(
            (voice.say("card", "causes_heading"), [cause["text"] for cause in words["causes"][:3]])
        )
    if words["safety_net"]:
        sections.append((voice.say("card", "safety_net_heading"), words["safety_net"]))
    sources = [f"{s.title}: {s.url}" for s in card_sources(assessment, voice)]
    body = "\n\n".join(
        f"{heading}\n" + "\n".join(f"- {line}" for line in lines) for heading, lines in sections
    )
    body += "\n\n" + triage.text("disclaimer")
    title = voice.say("card", "title")
    source_block = f"\n\n{voice.say('card', 'sources_heading')}\n" + "\n".join(
        f"- {s}" for s in sources
    )
    # Sources go last and are trimmed first if the card would run over Alexa's limit.
    room = CARD_LIMIT - len(title) - len(body)
    if len(source_block) > room:
        source_block = source_block[: max(0, room - 1)].rsplit("\n", 1)[0]
    return title, body + source_block
