"""Where the time goes: cProfile over each Lambda handler per request and over a cold start, and
``python -X importtime`` for what a cold start imports.

cProfile adds a fixed cost to every Python call, so code made of many small calls looks heavier
under it than it is: read the shares as a map of where to look, not as timings.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import re
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.coldstart import DEV, Setup, child_env
from bench.common import ROOT, Case, Handler

FuncKey = tuple[str, int, str]

_PREFIXES = sorted(
    {
        str(Path(p).resolve())
        for p in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["stdlib"])
    },
    key=len,
    reverse=True,
)

#: Stages of a request worth naming: a title, and the functions (file suffix, function name) that
#: make it, on whichever path (the stock SDK's, our Lambda entry's or our Flask adapter's) runs.
#: missing_stages() reports any of ours that the code no longer defines.
STAGES: list[tuple[str, tuple[tuple[str, str], ...]]] = [
    ("json.dumps of the event (re-encoding)", (("json/__init__.py", "dumps"),)),
    (
        "event → model objects (stock deserialize / entry.envelope_from_dict)",
        (
            ("ask_sdk_core/serialize.py", "deserialize"),
            ("skill/alexa/entry.py", "envelope_from_dict"),
        ),
    ),
    (
        "session-attributes nesting check (entry.attributes_too_deep)",
        (("skill/alexa/entry.py", "attributes_too_deep"),),
    ),
    ("body parse (adapter.parse_body)", (("skill/web/adapter.py", "parse_body"),)),
    ("signature check (verify_body)", (("skill/web/verification.py", "verify_body"),)),
    ("skill.invoke (dispatch + handler)", (("ask_sdk_core/skill.py", "invoke"),)),
    ("response → dict (serialize)", (("ask_sdk_core/serialize.py", "serialize"),)),
    ("our turn: run_turn", (("skill/alexa/handlers.py", "run_turn"),)),
    ("State.from_attributes", (("skill/alexa/conversation.py", "from_attributes"),)),
    ("read_slots", (("skill/alexa/slots.py", "read_slots"),)),
    ("next_question", (("skill/core/engine.py", "next_question"),)),
    ("assess", (("skill/core/engine.py", "assess"),)),
    ("build_response", (("skill/alexa/responses.py", "build_response"),)),
]


def missing_stages() -> list[str]:
    """``file:function`` of each of our STAGES functions that its file no longer defines."""
    missing = []
    for _title, functions in STAGES:
        for suffix, name in functions:
            if not suffix.startswith("skill/"):
                continue
            path = ROOT / suffix
            text = path.read_text(encoding="utf-8") if path.is_file() else ""
            if not re.search(rf"^\s*def {re.escape(name)}\(", text, re.MULTILINE):
                missing.append(f"{suffix}:{name}")
    return missing


def label(key: FuncKey, bases: tuple[str, ...] = ()) -> str:
    """``path:line(function)``, the path relative to site-packages, the standard library, one of
    ``bases`` (a Lambda bundle's folder) or the repository."""
    filename, line, name = key
    if filename == "~":
        return name
    path = str(Path(filename).resolve()) if filename and not filename.startswith("<") else filename
    for prefix in [*bases, *_PREFIXES, str(ROOT)]:  # site-packages may live inside the repository
        if path.startswith(prefix + "/"):
            path = path[len(prefix) + 1 :]
            break
    return f"{path}:{line}({name})"


def is_ours(key: FuncKey, bases: tuple[str, ...] = ()) -> bool:
    filename = str(Path(key[0]).resolve()) if key[0].startswith("/") else key[0]
    ours = [str(ROOT / "skill") + "/", str(ROOT / "lambda") + "/"]
    for base in bases:
        ours += [base + "/skill/", base + "/lambda_function.py"]
    return filename.startswith(tuple(ours))


@dataclass(frozen=True)
class Row:
    function: str
    cumulative_pct: float
    self_pct: float
    calls_per_request: float


@dataclass(frozen=True)
class Profile:
    total_s: float
    requests: int
    stages: list[tuple[str, float]]  # (stage, cumulative %)
    top: list[Row]  # everything, by cumulative
    ours_cumulative: list[Row]
    ours_self: list[Row]
    calls: dict[str, float]  # every function's label: calls per request

    def calls_of(self, suffix: str) -> float:
        """Calls per request of the functions whose label ends with ``suffix``, added up."""
        return sum(count for name, count in self.calls.items() if name.endswith(suffix))


def _raw(stats: pstats.Stats) -> dict[FuncKey, Any]:
    return stats.stats  # type: ignore[attr-defined,no-any-return]


def summarise(
    stats: pstats.Stats,
    requests: int,
    *,
    skip: Iterable[str] = (),
    top: int = 12,
    bases: tuple[str, ...] = (),
) -> Profile:
    raw = _raw(stats)
    total = sum(entry[2] for entry in raw.values()) or 1e-12  # total of self times
    labels = {k: label(k, bases) for k in raw}

    def row(key: FuncKey) -> Row:
        _cc, calls, own, cumulative, _callers = raw[key]
        return Row(labels[key], 100 * cumulative / total, 100 * own / total, calls / requests)

    def ours(key: FuncKey) -> bool:
        return is_ours(key, bases)

    skipped = tuple(skip)
    keys = [k for k in raw if not any(s in labels[k] for s in skipped)]
    by_cumulative = sorted(keys, key=lambda k: raw[k][3], reverse=True)
    by_self = sorted(keys, key=lambda k: raw[k][2], reverse=True)
    stages = []
    for title, functions in STAGES:
        found = [
            k
            for k in raw
            if any(k[2] == n and labels[k].split(":")[0].endswith(s) for s, n in functions)
        ]
        if found:
            stages.append((title, 100 * max(raw[k][3] for k in found) / total))
    return Profile(
        total_s=total,
        requests=requests,
        stages=stages,
        top=[row(k) for k in by_cumulative if raw[k][3] / total < 0.995][:top],
        ours_cumulative=[row(k) for k in by_cumulative if ours(k)][:40],
        ours_self=[row(k) for k in by_self if ours(k)][:40],
        calls={labels[k]: raw[k][1] / requests for k in raw},
    )


def profile_calls(fn: Callable[[], Any], calls: int, requests_per_call: int = 1) -> Profile:
    """cProfile over ``calls`` calls of ``fn``, each serving ``requests_per_call`` requests."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        fn()
    profiler.disable()
    return summarise(
        pstats.Stats(profiler),
        calls * requests_per_call,
        skip=("_lsprof.Profiler", "profiling.py", "endpoint.py"),
    )


def profile_requests(
    handler: Handler, case: Case, calls: int, before: Callable[[], Any] | None = None
) -> Profile:
    """cProfile over ``calls`` requests; each event is parsed afresh outside the profile, and
    ``before`` (e.g. clearing the core's result caches) runs before each, outside it too."""
    raw = case.raw
    profiler = cProfile.Profile()
    for _ in range(calls):
        event = json.loads(raw)
        if before is not None:
            before()
        profiler.enable()
        handler(event, None)
        profiler.disable()
    return summarise(pstats.Stats(profiler), calls, skip=("_lsprof.Profiler",))


_COLD_PROFILE = """\
import cProfile, sys
_profiler = cProfile.Profile()
_profiler.enable()
{program}
"""


def profile_cold_start(event: dict[str, Any], setup: Setup = DEV) -> Profile:
    """cProfile from the first line of a fresh process to the answered first request."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cold.prof"
        program = setup.programs["ours"].replace(
            "os._exit(0)", f"_profiler.disable(); _profiler.dump_stats({str(out)!r}); os._exit(0)"
        )
        code = _COLD_PROFILE.format(program=program)
        done = subprocess.run(
            [sys.executable, *setup.args, "-c", code],
            cwd=setup.cwd,
            env=child_env(event, setup.env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"cold-start profile failed:\n{done.stderr[-2000:]}")
        stats = pstats.Stats(str(out))
    bases = () if setup is DEV else (str(setup.cwd.resolve()),)
    return summarise(
        stats, 1, skip=("_lsprof.Profiler", "<string>:1(<module>)"), top=15, bases=bases
    )


@dataclass(frozen=True)
class ImportEntry:
    module: str
    self_ms: float
    cumulative_ms: float  # with everything it imported first
    parent: str | None  # the module whose import brought this one in (None: the program)


@dataclass(frozen=True)
class ImportProfile:
    total_ms: float
    packages: list[tuple[str, float, int]]  # (top-level package, self ms summed, modules)
    entries: dict[str, ImportEntry]
    flask_loaded: bool

    def chain(self, module: str) -> list[str]:
        """``module`` and the modules that imported it, up to the program."""
        names = [module]
        while (parent := self.entries[names[-1]].parent) is not None and len(names) < 50:
            names.append(parent)
        return names


@dataclass(frozen=True)
class ExtraImport:
    """A subtree of imports that only our Lambda path makes, and where it comes from."""

    module: str
    cumulative_ms: float
    importer: str | None  # the nearest of our modules above it
    heaviest_child: str | None


_IMPORT_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def _parse_importtime(stderr: str) -> list[tuple[str, int, int, int]]:
    entries = []  # module, self us, cumulative us, depth
    for line in stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match:
            own, cumulative, indent, module = match.groups()
            entries.append((module, int(own), int(cumulative), (len(indent) - 1) // 2))
    return entries


def _parents(entries: list[tuple[str, int, int, int]]) -> list[str | None]:
    """-X importtime prints a module after everything it imported, one level shallower: the
    parent of a line is the nearest following line one level up."""
    parents: list[str | None] = [None] * len(entries)
    latest: dict[int, str] = {}
    for index in range(len(entries) - 1, -1, -1):
        module, _own, _cumulative, depth = entries[index]
        parents[index] = latest.get(depth - 1)
        latest = {d: m for d, m in latest.items() if d < depth}
        latest[depth] = module
    return parents


def import_profile(
    name: str, event: dict[str, Any], *, setup: Setup = DEV, top: int = 12, runs: int = 3
) -> ImportProfile:
    """``python -X importtime`` over ``runs`` cold starts of ``name`` (``ours`` or ``bare``) as
    ``setup`` runs them; each module's times are its best over the runs, which keeps other work
    on the machine out."""
    runs_entries = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, *setup.args, "-X", "importtime", "-c", setup.programs[name]],
            cwd=setup.cwd, env=child_env(event, setup.env), capture_output=True, text=True,
            timeout=120, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"import profile failed:\n{done.stderr[-2000:]}")
        runs_entries.append(_parse_importtime(done.stderr))
    entries = runs_entries[0]
    best: dict[str, tuple[int, int]] = {}
    for run in runs_entries:
        for module, own, cumulative, _depth in run:
            previous = best.get(module)
            best[module] = (
                (own, cumulative)
                if previous is None
                else (min(previous[0], own), min(previous[1], cumulative))
            )
    packages: dict[str, list[int]] = {}
    for module, _own, _cumulative, _depth in entries:
        bucket = packages.setdefault(module.split(".")[0], [0, 0])
        bucket[0] += best[module][0]
        bucket[1] += 1
    ranked = sorted(packages.items(), key=lambda item: item[1][0], reverse=True)
    return ImportProfile(
        total_ms=sum(best[e[0]][1] for e in entries if e[3] == 0) / 1000,
        packages=[(pkg, own / 1000, count) for pkg, (own, count) in ranked[:top]],
        entries={
            module: ImportEntry(module, best[module][0] / 1000, best[module][1] / 1000, parent)
            for (module, _own, _cumulative, _depth), parent in zip(
                entries, _parents(entries), strict=True
            )
        },
        flask_loaded=any(e[0] == "flask" for e in entries),
    )


def extra_imports(ours: ImportProfile, bare: ImportProfile, *, top: int = 6) -> list[ExtraImport]:
    """The heaviest import subtrees our Lambda path makes and the bare skill's does not, outside
    our own package: each with the nearest of our modules that pulled it in."""

    def ours_module(name: str | None) -> bool:
        return bool(name) and (name == "skill" or str(name).startswith("skill."))

    roots = []
    for entry in ours.entries.values():
        if entry.module in bare.entries or ours_module(entry.module):
            continue
        parent = entry.parent
        if parent is not None and parent not in bare.entries and not ours_module(parent):
            continue  # inside a larger subtree of its own
        chain = ours.chain(entry.module)
        importer = next((m for m in chain[1:] if ours_module(m)), None)
        children = [
            e
            for e in ours.entries.values()
            if e.parent == entry.module and e.module not in bare.entries
        ]
        child = max(children, key=lambda e: e.cumulative_ms, default=None)
        roots.append(
            ExtraImport(
                entry.module, entry.cumulative_ms, importer, child.module if child else None
            )
        )
    return sorted(roots, key=lambda r: r.cumulative_ms, reverse=True)[:top]


@dataclass(frozen=True)
class YamlCost:
    files: int
    safe_load_ms: float  # yaml.SafeLoader, pure Python: PyYAML without libyaml
    c_safe_load_ms: float | None  # yaml.CSafeLoader, where PyYAML was built with libyaml
    json_ms: float  # json.loads of the same data, each file's data as its own JSON text
    same_data: bool  # CSafeLoader gave exactly what safe_load gave
    loader_uses_libyaml: bool  # skill.core.loader.parse_yaml would use CSafeLoader here
    snapshot_ms: float | None  # json.loads of a Lambda bundle's data snapshot file, as shipped
    snapshot_files: int  # how many YAML files that snapshot holds


def yaml_costs(
    package: Path | None = None, snapshot: Path | None = None, repeat: int = 3
) -> YamlCost:
    """Parse the YAML files under ``package`` (a bundle's ``skill`` folder; else the repository's)
    three ways, and read ``snapshot`` (the bundle's data snapshot) as the bundle does (best of
    ``repeat`` each)."""
    import time

    import yaml

    files = sorted((package or ROOT / "skill").rglob("*.yaml"))
    texts = [path.read_text(encoding="utf-8") for path in files]

    def best(parse: Callable[[str], Any], inputs: list[str]) -> tuple[float, list[Any]]:
        times, data = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            data = [parse(text) for text in inputs]
            times.append((time.perf_counter() - start) * 1000)
        return min(times), data

    safe_ms, safe_data = best(lambda text: yaml.load(text, Loader=yaml.SafeLoader), texts)
    c_ms, c_data = None, safe_data
    loader = getattr(yaml, "CSafeLoader", None)
    libyaml = loader is not None and bool(getattr(yaml, "__with_libyaml__", False))
    if libyaml:
        c_ms, c_data = best(lambda text: yaml.load(text, Loader=loader), texts)
    json_ms, _ = best(json.loads, [json.dumps(item, default=str) for item in safe_data])
    snapshot_ms, snapshot_files = None, 0
    if snapshot is not None and snapshot.is_file():

        def read(path: str) -> Any:
            return json.loads(Path(path).read_text(encoding="utf-8"))

        snapshot_ms, loaded = best(read, [str(snapshot)])
        snapshot_files = len(loaded[0]) if loaded and isinstance(loaded[0], dict) else 0
    return YamlCost(
        len(files), safe_ms, c_ms, json_ms, c_data == safe_data, libyaml, snapshot_ms,
        snapshot_files,
    )  # fmt: skip
