"""Pieces several core test modules share: fact value strategies, the benign baseline, and the
words of an answer."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import strategies as st

from skill.core import (
    Assessment,
    FactError,
    FactValue,
    LocaleContent,
    default_knowledge,
    render,
    validate_facts,
)
from skill.core.model import FactSpec

FACTS = default_knowledge().facts


def values_of(spec: FactSpec) -> st.SearchStrategy[FactValue]:
    """Every value a fact can take: its ordered values, or whole numbers in its range."""
    if spec.is_number:
        assert spec.minimum is not None and spec.maximum is not None
        return st.integers(spec.minimum, spec.maximum)
    return st.sampled_from(spec.values)


VALUES = {name: values_of(spec) for name, spec in FACTS.items()}


def _benign_story() -> dict[str, FactValue]:
    """The benign story of tests/core/vignettes.yaml (its comment says what it is): a single light
    episode before the menopause with every red flag answered "no", to which a test adds or
    changes one thing."""
    try:
        data = yaml.safe_load(Path(__file__).with_name("vignettes.yaml").read_text("utf-8"))
        return validate_facts(data["benign_story"])
    except (OSError, yaml.YAMLError, TypeError, KeyError, FactError) as error:
        raise AssertionError(f"tests/core/vignettes.yaml: benign_story: {error!r}") from None


BENIGN = _benign_story()


def words_of(assessment: Assessment, content: LocaleContent) -> str:
    """The rendered advice and safety net of an answer, as one lower-case text."""
    rendered = render(assessment, content)
    return " ".join([*rendered["advice"], *rendered["safety_net"]]).lower()
