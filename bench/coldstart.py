"""Cold start: a fresh interpreter imports a Lambda module by path and answers one LaunchRequest.

Three kinds of process run interleaved, N of each: the interpreter alone (start and exit), the bare
SDK skill and ours. Each reports, from its very first line, how long the import and the first
request took; the parent times the whole process (spawn to exit) as well. The process leaves with
``os._exit`` right after answering, so interpreter teardown, which Lambda never waits for, is not
counted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import BARE_FILE, LAMBDA_FILE, ROOT, skill_id
from bench.timing import Summary, interleaved_rounds, paired_ratios

_PROGRAM = """\
import time
_t0 = time.perf_counter()
import importlib.util, json, os, sys
spec = importlib.util.spec_from_file_location({name!r}, {path!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
_t1 = time.perf_counter()
reply = module.lambda_handler(json.loads(os.environ["BENCH_EVENT"]), None)
_t2 = time.perf_counter()
sys.stdout.write(json.dumps({{"import": _t1 - _t0, "first": _t2 - _t1, "ok": "response" in reply,
                             "flask": "flask" in sys.modules, "yaml": "yaml" in sys.modules,
                             "modules": len(sys.modules)}}))
sys.stdout.flush()
os._exit(0)
"""

_EMPTY = "import os; os._exit(0)"


def program(name: str, path: Path) -> str:
    return _PROGRAM.format(name=name, path=str(path))


PROGRAMS = {
    "bare": program("bench_bare_lambda", BARE_FILE),
    "ours": program("lambda_function", LAMBDA_FILE),
}


def child_env(event: dict[str, Any], extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(BENCH_EVENT=json.dumps(event), ALEXA_SKILL_ID=skill_id(), **(extra or {}))
    return env


@dataclass(frozen=True)
class Setup:
    """Where and how the processes run: the development virtualenv, or a Lambda bundle."""

    title: str
    programs: dict[str, str]
    cwd: Path
    args: tuple[str, ...] = ()
    env: dict[str, str] | None = None


DEV = Setup("virtualenv, bytecode cached", PROGRAMS, ROOT)


def build_bundle(out: Path) -> Path:
    """The Lambda bundle as tools/build_lambda.py makes it (no bytecode inside)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_lambda.py"), "--out", str(out),
         "--constraints", str(ROOT / "constraints.txt")],  # as `make lambda` builds it
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"tools/build_lambda.py failed:\n{done.stderr[-2000:]}")
    return out / "lambda"


def bundle_setup(bundle: Path) -> Setup:
    """As Lambda runs it: the bundle alone on the path (``-S``: no site-packages), read-only, so
    no bytecode is written and every module of the bundle is compiled at each cold start. The
    bare skill runs from the same bundle's ask-sdk-core."""
    return Setup(
        "Lambda bundle (tools/build_lambda.py), no bytecode, read-only",
        {
            "bare": program("bench_bare_lambda", BARE_FILE),
            "ours": program("lambda_function", bundle / "lambda_function.py"),
        },
        bundle,
        ("-S",),
        {"PYTHONPATH": str(bundle), "PYTHONDONTWRITEBYTECODE": "1"},
    )


@dataclass(frozen=True)
class Sample:
    wall_ms: float
    inside: dict[str, Any]


def run_once(
    code: str, env: dict[str, str], extra: tuple[str, ...] = (), cwd: Path = ROOT
) -> Sample:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *extra, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    wall = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"cold-start process failed:\n{done.stderr[-2000:]}")
    inside = json.loads(done.stdout) if done.stdout.strip() else {}
    return Sample(wall, inside)


@dataclass(frozen=True)
class ColdStartResult:
    setup: str
    samples: int
    interpreter: Summary  # ms, spawn to exit of an empty interpreter
    wall: dict[str, Summary]  # ms, spawn to answered first request
    inside: dict[str, Summary]  # ms, first line to answered first request
    import_ms: dict[str, Summary]
    first_ms: dict[str, Summary]
    ratio_wall: Summary
    ratio_inside: Summary
    facts: dict[str, dict[str, Any]]  # e.g. whether flask or yaml was imported


def measure(event: dict[str, Any], *, samples: int, setup: Setup = DEV) -> ColdStartResult:
    env = child_env(event, setup.env)
    collected: dict[str, list[Sample]] = {"interpreter": [], "bare": [], "ours": []}

    def subject(name: str, code: str) -> Callable[[], float]:
        def run() -> float:
            sample = run_once(code, env, setup.args, setup.cwd)
            collected[name].append(sample)
            return sample.wall_ms

        return run

    interleaved_rounds(
        {"interpreter": subject("interpreter", _EMPTY)}
        | {name: subject(name, code) for name, code in setup.programs.items()},
        rounds=samples,
        warmup=1,  # also writes any missing .pyc files, as a deployment package would hold them
    )
    kept = {name: runs[1:] for name, runs in collected.items()}  # drop the warm-up
    inside = {
        name: [1000 * (s.inside["import"] + s.inside["first"]) for s in kept[name]]
        for name in PROGRAMS
    }
    wall = {name: [s.wall_ms for s in kept[name]] for name in PROGRAMS}
    return ColdStartResult(
        setup=setup.title,
        samples=samples,
        interpreter=Summary.of([s.wall_ms for s in kept["interpreter"]]),
        wall={name: Summary.of(values) for name, values in wall.items()},
        inside={name: Summary.of(values) for name, values in inside.items()},
        import_ms={
            name: Summary.of([1000 * s.inside["import"] for s in kept[name]]) for name in PROGRAMS
        },
        first_ms={
            name: Summary.of([1000 * s.inside["first"] for s in kept[name]]) for name in PROGRAMS
        },
        ratio_wall=Summary.of(paired_ratios(wall["ours"], wall["bare"])),
        ratio_inside=Summary.of(paired_ratios(inside["ours"], inside["bare"])),
        facts={
            name: {
                k: v for k, v in kept[name][-1].inside.items() if k in ("flask", "yaml", "modules")
            }
            for name in PROGRAMS
        },
    )
