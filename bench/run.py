"""Measure everything, write the results as JSON and render them (``python -m bench``).

Usage: python -m bench [--quick] [--skip-endpoint] [--out PATH.md]

Writes PATH.json (the measurements), PATH.md and PATH.svg (rendered from the JSON by
bench/report.py). Without --out, into build/bench/, so that a run never changes tracked files by
accident; `make bench` passes --out docs/benchmarks.md. The full run takes under two minutes on
2 cores; --quick is a smoke run of a few seconds whose figures are not worth keeping. The exit
status is 0 whatever the figures say: targets are judged PASS or FAIL in the report.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

if not __package__:  # run as a script: python bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import coldstart, endpoint, models, perrequest, profiling, report, simulator
from bench.cases import ROOT, cases
from bench.machine import describe, load, versions
from bench.results import Results
from skill.web.testing import WrittenPKI

DEFAULT_OUT = ROOT / "build" / "bench" / "benchmarks.md"
FULL = {
    "rounds": 150, "calls": 20, "cold_samples": 10, "profile_calls": 300,
    "verifier_rounds": 20, "verifier_calls": 200,
    "endpoint_rounds": 18, "endpoint_seconds": 0.6, "clients": 4, "endpoint_cap": 20000,
    "simulator_rounds": 2, "models_samples": 3,
}  # fmt: skip
QUICK = {
    "rounds": 6, "calls": 4, "cold_samples": 2, "profile_calls": 20,
    "verifier_rounds": 3, "verifier_calls": 50,
    "endpoint_rounds": 1, "endpoint_seconds": 0.3, "clients": 4, "endpoint_cap": 500,
    "simulator_rounds": 1, "models_samples": 1,
}  # fmt: skip
ABOUT = (
    "Care Compass measured beside a bare ASK SDK skill (one handler that answers everything "
    "with an empty response, behind the SDK's stock `SkillBuilder.lambda_handler()`), in the "
    "same run and interleaved round by round, so that the ratios hold on a noisy machine even "
    "when the absolute figures do not."
)


_START = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - _START:6.1f} s] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument("--skip-endpoint", action="store_true", help="no gunicorn, no load")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the Markdown file")
    args = parser.parse_args(argv)
    arguments = sys.argv[1:] if argv is None else argv
    started = time.perf_counter()
    results = Results(
        command=" ".join(["python -m bench", *arguments]),
        quick=args.quick,
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        about=ABOUT,
        machine=describe(),
        versions=versions(),
    )
    measure(results, args, QUICK if args.quick else FULL)
    results.data["machine"]["load at end"] = load()
    results.data["seconds"] = round(time.perf_counter() - started, 1)
    out = args.out.resolve()
    results.write(out.with_suffix(".json"))
    report.write(results.data, out)
    say(f"wrote {out.with_suffix('.json')}, {out.name} and {out.with_suffix('.svg').name}")
    for line in report.summary(results.data):
        print(line)
    return 0


def measure(results: Results, args: argparse.Namespace, settings: dict[str, float]) -> None:
    def setting(key: str) -> int:
        return int(settings[key])

    say(f"{results.data['machine']['cpu']}, {results.data['machine']['cores']} cores")
    the_cases = cases()
    say("per request: bare SDK, ours (caches cleared), ours (event repeated), interleaved")
    perrequest.run(results, the_cases, rounds=setting("rounds"), calls=setting("calls"))
    event = the_cases[0].event

    with tempfile.TemporaryDirectory(prefix="care-compass-bench-") as tmp:
        bundle: Path | None = None
        why = ""
        try:
            bundle = coldstart.build_bundle(Path(tmp) / "dist")
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            last = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            why = f"the Lambda bundle could not be built: {last}"
        say("cold start: the Lambda bundle, then the development virtualenv")
        coldstart.run(results, event, bundle, why, samples=setting("cold_samples"))

        say("profiles: cProfile per request and over a cold start, -X importtime")
        setup = coldstart.bundle_setup(bundle) if bundle is not None else coldstart.DEV
        profiling.run(results, the_cases, setup, calls=setting("profile_calls"))

        say("signature check alone")
        pki = WrittenPKI(Path(tmp) / "pki")
        endpoint.run_verifier(
            results,
            pki,
            event,
            rounds=setting("verifier_rounds"),
            calls=setting("verifier_calls"),
        )
        if not args.skip_endpoint:
            say("endpoint: three gunicorn servers with the production settings, interleaved load")
            try:
                endpoint.run(
                    results, pki, [case.event for case in the_cases], Path(tmp),
                    rounds=setting("endpoint_rounds"), seconds=settings["endpoint_seconds"],
                    clients=setting("clients"), cap=setting("endpoint_cap"),
                )  # fmt: skip
            except RuntimeError as exc:  # a server that does not start is a failed target
                results.target(
                    endpoint.THROUGHPUT, None, "%", ">=", endpoint.THROUGHPUT_FLOOR,
                    "not measured", note=str(exc),
                )  # fmt: skip
        else:
            results.target(
                endpoint.THROUGHPUT, None, "%", ">=", endpoint.THROUGHPUT_FLOOR,
                "not measured", note="skipped: --skip-endpoint", available=False,
            )  # fmt: skip

    say("simulator: time per utterance")
    simulator.run(results, rounds=setting("simulator_rounds"), every_locale=not args.quick)
    say("make models")
    models.run(results, samples=setting("models_samples"))


if __name__ == "__main__":
    raise SystemExit(main())
