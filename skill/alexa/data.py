"""Everything the skill reads from its files, loaded and checked once, as one object.

`load_skill_data()` reads the knowledge, every locale's words (skill/content/) and the slot plan
(skill/alexa/slots.yaml), checks each against the others, and returns a SkillData. build_skill()
hands that one object to its handlers; each turn takes its locale's Voice (which carries the
knowledge) and the SlotPlan from it. A broken file fails the load, naming the file and the entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from skill.alexa.slots import SLOTS_FILE, SlotPlan, load_slot_plan
from skill.alexa.voice import Voice, load_voices
from skill.core import DEFAULT_LOCALE, Knowledge, default_knowledge
from skill.core.loader import CONTENT_DIR

__all__ = ["SkillData", "default_data", "load_skill_data"]


@dataclass(frozen=True)
class SkillData:
    """The knowledge, every locale's voice, and the slot plan, checked against each other."""

    knowledge: Knowledge
    voices: Mapping[str, Voice]
    slots: SlotPlan

    def voice(self, locale: object) -> Voice:
        """The locale's voice; the default locale's for a locale the skill has no words for."""
        found = self.voices.get(locale) if isinstance(locale, str) else None
        return found or self.voices[DEFAULT_LOCALE]


def load_skill_data(
    knowledge: Knowledge | None = None,
    content_dir: Path = CONTENT_DIR,
    slots_file: Path = SLOTS_FILE,
) -> SkillData:
    knowledge = knowledge or default_knowledge()
    return SkillData(
        knowledge, load_voices(knowledge, content_dir), load_slot_plan(knowledge, slots_file)
    )


@lru_cache(maxsize=1)
def default_data() -> SkillData:
    """The shipped data, loaded once per process: what build_skill() serves by default, and what
    development tools and tests read."""
    return load_skill_data()
