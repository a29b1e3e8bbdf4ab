"""Fixtures for the deployment artefacts: the Lambda bundle, the SAM template, the ASK CLI project.

The build scripts live in tools/ (not a package); deploy_support makes them importable.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from deploy_support import build_lambda


def refuse(*args: Any, **kwargs: Any) -> None:
    raise AssertionError(f"network use in an offline test: {args!r}")


def refuse_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any attempt to open a network connection in this process."""
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def refuse_subprocesses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any attempt to start a process (pip, say), which could use the network unseen."""

    def no_process(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"a subprocess in an offline build: {args!r}")

    monkeypatch.setattr(subprocess, "Popen", no_process)


@pytest.fixture(scope="session")
def lambda_bundle(tmp_path_factory: pytest.TempPathFactory) -> build_lambda.Bundle:
    """dist/lambda/ and dist/lambda.zip, built once per session into a temporary folder.

    The default build: the dependencies are copied from the distributions installed in this
    interpreter (the ones the tests run against), with no network and no pip.
    """
    with pytest.MonkeyPatch.context() as monkeypatch:
        refuse_network(monkeypatch)
        refuse_subprocesses(monkeypatch)
        return build_lambda.build(tmp_path_factory.mktemp("dist"))


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any attempt to open a network connection during the test."""
    refuse_network(monkeypatch)
    yield


@pytest.fixture
def no_subprocesses(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any attempt to start a process during the test."""
    refuse_subprocesses(monkeypatch)
    yield
