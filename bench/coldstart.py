"""Cold start: a fresh interpreter imports a Lambda module by path and answers one LaunchRequest.

Three kinds of process run interleaved: the interpreter alone (start and exit), the bare SDK skill
and ours. The parent times each process from spawn to exit; the process leaves with ``os._exit``
right after answering, so interpreter teardown, which Lambda never waits for, is not counted.
Judged: the Lambda bundle ``tools/build_lambda.py`` builds, run as Lambda runs it (only the bundle
on the path, read-only, no bytecode). For information: the development virtualenv.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.cases import BARE_FILE, LAMBDA_FILE, ROOT, SKILL_ID
from bench.results import RATIO, Results
from bench.timing import interleaved_rounds, median, paired_ratios

LIMIT = 1.5  # ours / bare, the Lambda bundle

PROGRAM = """\
import importlib.util, json, os, sys
spec = importlib.util.spec_from_file_location({name!r}, {path!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
reply = module.lambda_handler(json.loads(os.environ["BENCH_EVENT"]), None)
sys.stdout.write(json.dumps({{"ok": "response" in reply}}))
sys.stdout.flush()
os._exit(0)
"""
EMPTY = "import os; os._exit(0)"


@dataclass(frozen=True)
class Setup:
    """Where and how the processes run: the development virtualenv, or a Lambda bundle."""

    title: str
    programs: dict[str, str]  # "bare", "ours": the program each process runs
    cwd: Path
    args: tuple[str, ...] = ()
    env: dict[str, str] | None = None
    base: Path | None = None  # where ours lives, for naming its files in profiles

    def environment(self, event: dict[str, Any]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update(BENCH_EVENT=json.dumps(event), ALEXA_SKILL_ID=SKILL_ID, **(self.env or {}))
        return env

    def run(
        self, code: str, event: dict[str, Any], *extra: str
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, *self.args, *extra, "-c", code],
            cwd=self.cwd, env=self.environment(event), capture_output=True, text=True,
            timeout=120, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"a {self.title} process failed:\n{done.stderr[-2000:]}")
        return done


def _program(name: str, path: Path) -> str:
    return PROGRAM.format(name=name, path=str(path))


DEV = Setup(
    "the development virtualenv, bytecode cached",
    {"bare": _program("bench_bare", BARE_FILE), "ours": _program("lambda_function", LAMBDA_FILE)},
    ROOT,
    base=ROOT,
)


def build_bundle(out: Path) -> Path:
    """The Lambda bundle as ``make lambda`` builds it (tools/build_lambda.py, no bytecode)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_lambda.py"), "--out", str(out),
         "--constraints", str(ROOT / "constraints.txt")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"tools/build_lambda.py failed:\n{done.stderr[-2000:]}")
    return out / "lambda"


def bundle_setup(bundle: Path) -> Setup:
    """As Lambda runs it: the bundle alone on the path (``-S``: no site-packages), nothing
    written, so every module is compiled at each start. The bare skill runs from the same
    bundle's ask-sdk-core."""
    return Setup(
        "the Lambda bundle (tools/build_lambda.py), no bytecode",
        {
            "bare": _program("bench_bare", BARE_FILE),
            "ours": _program("lambda_function", bundle / "lambda_function.py"),
        },
        bundle,
        ("-S",),
        {"PYTHONPATH": str(bundle), "PYTHONDONTWRITEBYTECODE": "1"},
        base=bundle,
    )


def measure(setup: Setup, event: dict[str, Any], samples: int) -> dict[str, list[float]]:
    """Wall time (ms) from spawn to exit of ``samples`` processes of each kind."""

    def subject(code: str) -> Any:
        def run() -> float:
            start = time.perf_counter()
            setup.run(code, event)
            return (time.perf_counter() - start) * 1000

        return run

    programs = {"interpreter": EMPTY, **setup.programs}
    return interleaved_rounds(
        {name: subject(code) for name, code in programs.items()}, rounds=samples, warmup=1
    )


def record(results: Results, figures: dict[str, list[float]], key: str) -> float | None:
    for name, values in figures.items():
        results.timing(f"Cold start, {key}: {name}", "ms", values)
    return median(paired_ratios(figures["ours"], figures["bare"]))


def run(
    results: Results, event: dict[str, Any], bundle: Path | None, why: str, *, samples: int
) -> None:
    name = "Cold start as deployed: ours / bare SDK"
    how = (
        "fresh processes, spawn to first answer, of the Lambda bundle run as Lambda runs it "
        "(-S, only the bundle on the path, no bytecode written); the median of paired ratios"
    )
    if bundle is None:
        results.target(name, None, RATIO, "<=", LIMIT, how, note=f"not measured: {why}")
    else:
        try:
            ratio = record(results, measure(bundle_setup(bundle), event, samples), "bundle")
        except RuntimeError as exc:
            results.target(name, None, RATIO, "<=", LIMIT, how, note=str(exc).splitlines()[-1])
        else:
            results.target(name, ratio, RATIO, "<=", LIMIT, how)
    ratio = record(results, measure(DEV, event, samples), "virtualenv")
    results.info(
        "Cold start in the development virtualenv: ours / bare SDK",
        ratio,
        RATIO,
        "the same processes from the checkout, bytecode cached: not what Lambda runs",
    )
    results.method(
        f"Cold start: {samples} process(es) of each kind (the interpreter alone, the bare SDK "
        "skill, ours), interleaved, after one warm-up each; each imports its Lambda module by "
        "path, answers one LaunchRequest and leaves with os._exit."
    )
