"""The time of ``make models``: ``python -m skill models`` as a subprocess.

It runs in a copy of the checkout, so the models it writes never touch the working tree. Until
the command exists, the target is reported as not available yet, which is not a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.cases import ROOT
from bench.results import Results

LIMIT_S = 30.0
BUDGET_S = 8.0  # no further sample once the samples so far took this long
COMMAND = ("-m", "skill", "models")
SKIP = shutil.ignore_patterns(".git", ".venv", "build", "dist", "node_modules", ".*_cache")


def _environment(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(root)
    return env


def available() -> bool:
    """Whether ``python -m skill models`` is a command (its --help succeeds)."""
    done = subprocess.run(
        [sys.executable, *COMMAND, "--help"],
        cwd=ROOT, env=_environment(ROOT), capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    return done.returncode == 0


def run(results: Results, *, samples: int) -> None:
    name = "make models (python -m skill models)"
    how = "wall time of the command as a subprocess, in a copy of the checkout; the median"
    if not available():
        note = "not available yet: `python -m skill models` is not a command on this commit"
        results.target(name, None, "s", "<", LIMIT_S, how, note=note, available=False)
        return
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="care-compass-models-") as tmp:
        copy = Path(tmp) / "checkout"
        shutil.copytree(ROOT, copy, ignore=SKIP)
        for _ in range(samples):
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, *COMMAND],
                cwd=copy, env=_environment(copy), capture_output=True, text=True,
                timeout=300, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                note = f"failed (status {done.returncode}): {done.stderr.strip()[-200:]}"
                results.target(name, None, "s", "<", LIMIT_S, how, note=note)
                return
            times.append(time.perf_counter() - start)
            if sum(times) > BUDGET_S:  # enough: more samples would only lengthen the run
                break
    entry = results.timing("make models (python -m skill models)", "s", times)
    results.target(name, entry["median"], "s", "<", LIMIT_S, how)
