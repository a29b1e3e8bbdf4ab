"""Fixtures for the triage core's tests: the shipped knowledge and its US English words."""

from __future__ import annotations

import pytest

from skill.core import Knowledge, LocaleContent, default_content, default_knowledge


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return default_knowledge()


@pytest.fixture(scope="session")
def en_us() -> LocaleContent:
    return default_content("en-US")
