"""Run every benchmark and write docs/benchmarks.md (``make bench``, ``python -m bench``).

Usage: python -m bench [--quick] [--skip-endpoint] [--out docs/benchmarks.md]

The run takes about a minute and a half on 2 cores; ``--quick`` is a smoke run of a few seconds
whose figures are not worth keeping. The exit status is 0 whatever the figures say: targets are
reported as PASS or FAIL in the document, never asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if not __package__:  # run as a script: python bench/run.py
    _here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _here]
    sys.path.insert(0, str(_here.parent))

from bench import anatomy, coldstart, common, endpoint, perrequest, profiling, report
from bench.machine import describe
from bench.pki import make_pki

FULL: dict[str, object] = {
    "rounds": 150,
    "calls": 20,
    "anatomy_rounds": 20,
    "anatomy_calls": 100,
    "cold_samples": 10,
    "bundle_samples": 6,
    "verifier_rounds": 20,
    "verifier_calls": 200,
    "clients": 4,
    "in_process_rounds": 30,
    "in_process_calls": 60,
    "endpoint_rounds": 24,
    "endpoint_seconds": 0.5,
    "endpoint_cap": 20000,
    "profile_calls": 300,
}
QUICK: dict[str, object] = {
    "rounds": 6,
    "calls": 4,
    "anatomy_rounds": 3,
    "anatomy_calls": 10,
    "cold_samples": 2,
    "bundle_samples": 1,
    "verifier_rounds": 3,
    "verifier_calls": 50,
    "clients": 4,
    "in_process_rounds": 3,
    "in_process_calls": 10,
    "endpoint_rounds": 1,
    "endpoint_seconds": 0.5,
    "endpoint_cap": 500,
    "profile_calls": 20,
}


def _int(settings: dict[str, object], key: str) -> int:
    return int(settings[key])  # type: ignore[call-overload]


class Progress:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.start:6.1f} s] {message}", file=sys.stderr, flush=True)


def _loadavg() -> str:
    try:
        with open("/proc/loadavg", encoding="ascii") as handle:
            return " ".join(handle.read().split()[:3])
    except OSError:
        return "unknown"


def _locales() -> int:
    from skill.core import available_locales

    return len(available_locales())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument("--skip-endpoint", action="store_true", help="no gunicorn, no load")
    parser.add_argument("--out", type=Path, default=common.DOCS_DIR / "benchmarks.md")
    args = parser.parse_args(argv)
    # The Lambda bundle's folder lives until the cold-start profiles have been taken from it.
    with tempfile.TemporaryDirectory(prefix="care-compass-bundle-") as bundle_dir:
        return _run(args, Path(bundle_dir))


def _run(args: argparse.Namespace, bundle_dir: Path) -> int:
    settings = dict(QUICK if args.quick else FULL)
    say = Progress()

    load_before = _loadavg()
    machine = describe()
    say(f"{machine.cpu}, {machine.cores} cores, {machine.python}")
    cases = common.cases()
    bare, ours = common.bare(), common.ours()

    say("per request: interleaved rounds, bare, ours computed (caches cleared), ours cached")
    per_request = perrequest.measure(
        cases, bare, ours, rounds=_int(settings, "rounds"), calls=_int(settings, "calls")
    )
    for r in per_request:
        say(
            f"  {r.case.key:<7} bare {r.bare.median:8.1f} µs  ours {r.ours.median:8.1f} µs  "
            f"ratio {r.ratio.median:.2f}x  (repeated event: {r.ours_cached.median:.1f} µs, "
            f"{r.ratio_cached.median:.2f}x)"
        )
    clear_us = perrequest.clear_cost(rounds=_int(settings, "anatomy_rounds"))

    say("the stock SDK path, stage by stage")
    stages = anatomy.measure(
        cases, rounds=_int(settings, "anatomy_rounds"), calls=_int(settings, "anatomy_calls")
    )

    say("cold start: fresh processes, interleaved")
    cold = coldstart.measure(cases[0].event, samples=_int(settings, "cold_samples"))
    say(
        f"  bare {cold.wall['bare'].median:.0f} ms  ours {cold.wall['ours'].median:.0f} ms  "
        f"ratio {cold.ratio_wall.median:.2f}x"
    )

    bundle: Path | None = None
    cold_deployed, deployed_note, bundle_libyaml, bundle_pyc = None, "", None, None
    try:
        bundle = coldstart.build_bundle(bundle_dir)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        deployed_note = f"Not measured: the bundle could not be built ({type(exc).__name__})."
        say(deployed_note)
    else:
        bundle_libyaml = any(bundle.glob("yaml/_yaml*.so"))
        bundle_pyc = sum(1 for _ in bundle.rglob("*.pyc"))
        say("cold start as deployed: the Lambda bundle, no bytecode")
        try:
            cold_deployed = coldstart.measure(
                cases[0].event,
                samples=_int(settings, "bundle_samples"),
                setup=coldstart.bundle_setup(bundle),
            )
        except RuntimeError as exc:  # the bundle itself is broken: report it, go on
            last = str(exc).strip().splitlines()[-1]
            deployed_note = f"Not measured: the bundle failed to answer (`{last}`)."
            say(deployed_note)
            bundle = None
        else:
            say(
                f"  bare {cold_deployed.wall['bare'].median:.0f} ms  "
                f"ours {cold_deployed.wall['ours'].median:.0f} ms  "
                f"ratio {cold_deployed.ratio_wall.median:.2f}x"
            )

    verifier = None
    in_process = None
    endpoint_results: list[endpoint.EndpointResult] = []
    with tempfile.TemporaryDirectory(prefix="care-compass-bench-") as tmp:
        pki = make_pki(Path(tmp))
        say("signature verifier alone")
        verifier = endpoint.measure_verifier(
            pki,
            cases[0].event,
            rounds=_int(settings, "verifier_rounds"),
            calls=_int(settings, "verifier_calls"),
        )
        say(
            f"  verify_body {verifier.verify_body_us.median:.1f} µs, "
            f"RSA alone {verifier.rsa_only_us.median:.1f} µs"
        )
        say("the three endpoint apps in process (Flask test client)")
        in_process = endpoint.measure_in_process(
            pki,
            [case.event for case in cases],
            rounds=_int(settings, "in_process_rounds"),
            calls=_int(settings, "in_process_calls"),
        )
        say(
            f"  verification adds {in_process.extra_us.median:.0f} µs; on/off "
            f"{100 * in_process.on_off.median:.1f}%"
        )
        if not args.skip_endpoint:
            say("endpoint: gunicorn -w 2 on 127.0.0.1, three servers, interleaved load")
            endpoint_results = endpoint.measure(
                pki, [case.event for case in cases], Path(tmp),
                rounds=_int(settings, "endpoint_rounds"),
                seconds=float(settings["endpoint_seconds"]),  # type: ignore[arg-type]
                clients=_int(settings, "clients"), cap=_int(settings, "endpoint_cap"),
            )  # fmt: skip
            for e in endpoint_results:
                say(
                    f"  {e.kind:<14} {e.rps:7.0f} req/s  p50 {e.p50_ms:.1f} ms  "
                    f"p99 {e.p99_ms:.1f} ms  not-200 {e.requests - e.ok}"
                )

    say("profiles: cProfile per request (caches cleared) and cold start, -X importtime")
    calls = _int(settings, "profile_calls")
    profiles = {
        case.key: profiling.profile_requests(ours, case, calls, before=perrequest.clear_core_caches)
        for case in cases
    }
    profiles[f"bare:{cases[0].key}"] = profiling.profile_requests(bare, cases[0], calls)
    cold_setup = coldstart.bundle_setup(bundle) if bundle is not None else coldstart.DEV
    profiles["cold"] = profiling.profile_cold_start(cases[0].event, cold_setup)
    imports = {
        name: profiling.import_profile(name, cases[0].event, setup=cold_setup)
        for name in ("ours", "bare")
    }
    yaml = profiling.yaml_costs(
        bundle / "skill" if bundle is not None else None,
        bundle / "skill" / "data_snapshot.json" if bundle is not None else None,
    )

    results = report.Results(
        machine=machine,
        settings=settings | {"quick": args.quick},
        per_request=per_request,
        clear_us=clear_us,
        anatomy=stages,
        cold=cold,
        cold_deployed=cold_deployed,
        deployed_note=deployed_note,
        bundle_libyaml=bundle_libyaml,
        bundle_pyc=bundle_pyc,
        profiled_setup=cold_setup.title,
        locales=_locales(),
        verifier=verifier,
        in_process=in_process,
        load_before=load_before,
        load_after=_loadavg(),
        endpoint=endpoint_results,
        profiles=profiles,
        imports=imports,
        yaml=yaml,
        stale_stages=profiling.missing_stages(),
        seconds=time.perf_counter() - say.start,
    )
    out, chart = report.write(results, args.out)
    say(
        f"wrote {out.relative_to(common.ROOT) if out.is_relative_to(common.ROOT) else out} "
        f"and {chart.name}"
    )
    for target in report.targets(results):
        print(
            f"{'PASS' if target.passed else 'FAIL'}  {target.name}: {target.shown} "
            f"(limit {target.limit})"
        )
    for info in report.information(results):
        print(f"INFO  {info.name}: {info.shown} (not judged)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
