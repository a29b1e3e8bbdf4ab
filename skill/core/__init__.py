"""The triage core: pure Python and YAML, no Alexa, no web, no I/O beyond reading its own data.

The public contract is docs/triage-contract.md:
    assess(facts) -> Assessment         level, causes, advice, safety net, sources, rules fired
    next_question(facts) -> str | None  the next fact worth asking, red flags first
"""

from skill.core.content import (
    DEFAULT_LOCALE,
    LocaleContent,
    available_locales,
    default_content,
    load_content,
    render,
)
from skill.core.engine import (
    assess,
    default_knowledge,
    merge_facts,
    next_question,
    validate_facts,
)
from skill.core.loader import load_knowledge
from skill.core.model import (
    UNKNOWN,
    Assessment,
    CauseMatch,
    FactError,
    FactValue,
    Knowledge,
    KnowledgeError,
    Level,
    Question,
    Source,
    TriageError,
)

__all__ = [
    "DEFAULT_LOCALE",
    "UNKNOWN",
    "Assessment",
    "CauseMatch",
    "FactError",
    "FactValue",
    "Knowledge",
    "KnowledgeError",
    "Level",
    "LocaleContent",
    "Question",
    "Source",
    "TriageError",
    "assess",
    "available_locales",
    "default_content",
    "default_knowledge",
    "load_content",
    "load_knowledge",
    "merge_facts",
    "next_question",
    "render",
    "validate_facts",
]
