"""tests/robustness: fuzzing, load, broken files, privacy of logs, nothing persisted."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "load: bounded load test against gunicorn (10,000 requests, ~20 s; in make test)"
    )
