"""docs/benchmarks.md and docs/benchmarks.svg, written from one run's results."""

from __future__ import annotations

import html
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.anatomy import ENVELOPE_STAGES, STAGES, Anatomy
from bench.coldstart import ColdStartResult
from bench.endpoint import TITLES, EndpointResult, InProcessResult, VerifierResult
from bench.machine import Machine
from bench.perrequest import CaseResult
from bench.profiling import STAGES as PROFILE_STAGES
from bench.profiling import ImportProfile, Profile, Row, YamlCost, extra_imports
from bench.timing import paired_ratios, percentile

PER_REQUEST_LIMIT = 1.5
PER_REQUEST_AIM = 1.0
COLD_START_LIMIT = 1.5
VERIFIER_LIMIT_US = 100.0
THROUGHPUT_FLOOR = 0.90
X = "\N{MULTIPLICATION SIGN}"
DASH = "\N{EN DASH}"


@dataclass(frozen=True)
class Results:
    machine: Machine
    settings: dict[str, object]
    per_request: list[CaseResult]
    anatomy: list[Anatomy]
    cold: ColdStartResult
    cold_deployed: ColdStartResult | None  # from the Lambda bundle, without bytecode
    deployed_note: str  # why cold_deployed is missing, if it is
    bundle_libyaml: bool | None  # whether the Lambda bundle keeps PyYAML's C extension
    locales: int  # how many locales build_skill() loads
    verifier: VerifierResult | None
    in_process: InProcessResult | None
    load_before: str  # /proc/loadavg at the start of the run
    load_after: str
    endpoint: list[EndpointResult]
    profiles: dict[str, Profile]  # ours per case key; "bare:<case>"; "cold"
    imports: dict[str, ImportProfile]  # "ours", "bare"
    yaml: YamlCost
    seconds: float


@dataclass(frozen=True)
class Target:
    name: str
    measured: float
    shown: str
    limit: str
    passed: bool
    # for the chart: the bar is `measured` against `threshold`; higher_is_better flips the test
    threshold: float
    higher_is_better: bool = False
    short: str = ""  # the chart's label


def _verdict(passed: bool) -> str:
    return "**PASS**" if passed else "**FAIL**"


def _us(value: float) -> str:
    return f"{value:,.0f} µs" if value >= 100 else f"{value:.1f} µs"


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def _ratio(value: float) -> str:
    return f"{value:.2f}{X}"


def _pct(value: float) -> str:
    return f"{value:.1f}%" if value < 10 else f"{value:.0f}%"


def _endpoint(results: Results, kind: str) -> EndpointResult | None:
    return next((r for r in results.endpoint if r.kind == kind), None)


def throughput_ratio(results: Results) -> float | None:
    on, off = _endpoint(results, "ours-verify"), _endpoint(results, "ours-noverify")
    if on is None or off is None or not off.rps:
        return None
    return on.rps / off.rps


def phase_ratio(results: Results) -> float:
    """Verification on / off, phase by phase (adjacent phases), the median."""
    on, off = _endpoint(results, "ours-verify"), _endpoint(results, "ours-noverify")
    if on is None or off is None:
        return math.nan
    ratios = paired_ratios(on.rps_phases, off.rps_phases)
    return statistics.median(ratios) if ratios else math.nan


def phase_spread(results: Results) -> tuple[float, float]:
    on, off = _endpoint(results, "ours-verify"), _endpoint(results, "ours-noverify")
    if on is None or off is None:
        return math.nan, math.nan
    ratios = paired_ratios(on.rps_phases, off.rps_phases)
    return percentile(ratios, 10), percentile(ratios, 90)


def targets(results: Results) -> list[Target]:
    rows = [
        Target(
            f"Per request, {r.case.title}: ours / bare",
            r.ratio.median,
            _ratio(r.ratio.median),
            f"≤ {PER_REQUEST_LIMIT}{X}",
            r.ratio.median <= PER_REQUEST_LIMIT,
            PER_REQUEST_LIMIT,
            short=f"Per request, {r.case.key}",
        )
        for r in results.per_request
    ]
    cold = results.cold.ratio_wall.median
    rows.append(
        Target(
            "Cold start (process start → first answer), virtualenv: ours / bare",
            cold,
            _ratio(cold),
            f"≤ {COLD_START_LIMIT}{X}",
            cold <= COLD_START_LIMIT,
            COLD_START_LIMIT,
            short="Cold start, virtualenv",
        )
    )
    if results.cold_deployed is not None:
        deployed = results.cold_deployed.ratio_wall.median
        rows.append(
            Target(
                "Cold start as deployed (Lambda bundle, no bytecode): ours / bare",
                deployed,
                _ratio(deployed),
                f"≤ {COLD_START_LIMIT}{X}",
                deployed <= COLD_START_LIMIT,
                COLD_START_LIMIT,
                short="Cold start, Lambda bundle",
            )
        )
    if results.verifier is not None:
        cost = results.verifier.verify_body_us.median
        rows.append(
            Target(
                "Signature check per request, chain cached",
                cost,
                _us(cost),
                f"≤ {VERIFIER_LIMIT_US:.0f} µs",
                cost <= VERIFIER_LIMIT_US,
                VERIFIER_LIMIT_US,
                short="Signature check, cached",
            )
        )
    ratio = phase_ratio(results)
    if not math.isnan(ratio):
        rows.append(
            Target(
                "Endpoint throughput, verification on / off (median of adjacent phases)",
                ratio,
                f"{100 * ratio:.1f}%",
                f"≥ {100 * THROUGHPUT_FLOOR:.0f}%",
                ratio >= THROUGHPUT_FLOOR,
                THROUGHPUT_FLOOR,
                higher_is_better=True,
                short="Throughput, verify on/off",
            )
        )
    return rows


# --- the chart -------------------------------------------------------------------------------


def svg_chart(rows: list[Target]) -> str:
    """Each target as a bar: the measurement divided by its limit, so 1.0 is the line to stay
    under (or, for throughput, to stay over). Green passes, red fails."""
    label_w, bar_w, text_w, row_h, top = 200, 380, 270, 34, 56
    width = label_w + bar_w + text_w
    height = top + row_h * len(rows) + 40
    shares = [r.measured / r.threshold for r in rows]
    scale_max = max(2.0, math.ceil(max(shares, default=1.0) * 2) / 2)

    def x(value: float) -> float:
        return label_w + bar_w * min(value, scale_max) / scale_max

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">',
        '<rect width="100%" height="100%" fill="#fff"/>',
        '<text x="10" y="22" font-size="15" font-weight="bold">care-compass against its '
        "targets</text>",
        '<text x="10" y="40" font-size="12" fill="#444">bar = measured \N{DIVISION SIGN} limit; '
        "green passes, red fails; ratios are ours \N{DIVISION SIGN} the bare ASK SDK skill</text>",
    ]
    for index, (row, share) in enumerate(zip(rows, shares, strict=True)):
        y = top + index * row_h
        colour = "#2e7d32" if row.passed else "#c62828"
        note = f" (limit {row.limit}{', higher is better' if row.higher_is_better else ''})"
        parts += [
            f'<text x="10" y="{y + 17}">{html.escape(row.short or row.name)}</text>',
            f'<rect x="{label_w}" y="{y + 4}" width="{max(x(share) - label_w, 1):.1f}" '
            f'height="18" fill="{colour}" opacity="0.85"/>',
            f'<text x="{label_w + bar_w + 8}" y="{y + 17}">{html.escape(row.shown + note)}</text>',
        ]
    limit_x = x(1.0)
    bottom = top + row_h * len(rows)
    parts += [
        f'<line x1="{limit_x:.1f}" y1="{top - 4}" x2="{limit_x:.1f}" y2="{bottom}" '
        'stroke="#333" stroke-dasharray="4 3"/>',
        f'<line x1="{label_w}" y1="{bottom}" x2="{label_w + bar_w}" y2="{bottom}" stroke="#999"/>',
    ]
    tick = 0.0
    while tick <= scale_max + 1e-9:
        parts.append(
            f'<text x="{x(tick) - 8:.1f}" y="{bottom + 16}" font-size="11" fill="#555">'
            f"{tick:g}</text>"
        )
        tick += 0.5
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def ascii_bars(items: Iterable[tuple[str, float]], unit: str, width: int = 46) -> str:
    items = list(items)
    top = max((v for _, v in items), default=1) or 1
    label_w = max(len(name) for name, _ in items)
    lines = []
    for name, value in items:
        bar = "█" * max(1, round(width * value / top))
        lines.append(f"{name.ljust(label_w)} │{bar} {value:,.0f} {unit}")
    return "\n".join(lines)


# --- tables ----------------------------------------------------------------------------------


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _profile_rows(rows: list[Row], limit: int) -> list[list[str]]:
    return [
        [f"`{r.function}`", _pct(r.cumulative_pct), _pct(r.self_pct), f"{r.calls_per_request:.3g}"]
        for r in rows[:limit]
    ]


def _stage(profile: Profile | None, title_start: str) -> float | None:
    if profile is None:
        return None
    return next((pct for title, pct in profile.stages if title.startswith(title_start)), None)


def _json_loads(profile: Profile | None) -> float:
    """``json.loads`` calls per request."""
    if profile is None:
        return 0.0
    return sum(
        count
        for name, count in profile.calls.items()
        if "json/__init__.py" in name and name.endswith("(loads)")
    )


def _cumulative(profile: Profile | None, suffix: str) -> float:
    """Cumulative share of the first of our functions whose label ends with ``suffix``."""
    if profile is None:
        return 0.0
    return next(
        (r.cumulative_pct for r in profile.ours_cumulative if r.function.endswith(suffix)), 0.0
    )


def _calls(profile: Profile | None, suffix: str) -> float:
    """Calls per request of the first of our functions whose label ends with ``suffix``."""
    if profile is None:
        return 0.0
    rows = [*profile.ours_cumulative, *profile.ours_self]
    return next((r.calls_per_request for r in rows if r.function.endswith(suffix)), 0.0)


# --- findings: written from the numbers, so they stay true after fixes -------------------------


def findings(results: Results) -> list[str]:
    out: list[str] = []
    profiles = results.profiles
    by_key = {a.case.key: a for a in results.anatomy}
    per = {r.case.key: r for r in results.per_request}

    dumps_shares = [(k, _stage(profiles.get(k), "json.dumps")) for k in per]
    if any(share for _, share in dumps_shares):
        saved = [
            by_key[k].stages["dumps"].median + by_key[k].stages["loads"].median
            for k in per
            if k in by_key
        ]
        out.append(
            "**The Lambda entry re-encodes the event it was given.** `skill/alexa/entry.py` calls "
            "`serializer.deserialize(payload=json.dumps(event), ...)`, and the SDK parses that "
            f"text straight back with `json.loads`: {_us(min(saved))}{DASH}{_us(max(saved))} per "
            "request for nothing. Fix: build the envelope from the dict itself, e.g. a "
            "`DefaultSerializer` subclass whose `deserialize_dict(event, RequestEnvelope)` calls "
            "the SDK's private `_DefaultSerializer__deserialize` (pin ask-sdk-core, and keep the "
            "`SerializationException` fallback), or our own small converter (next point)."
        )
    web = results.in_process.profile if results.in_process else None
    loads = _json_loads(web)
    if loads >= 2:
        out.append(
            f"**The Flask host parses every body {loads:g} times.** `skill/web/adapter.py` "
            "`parse_body()` runs `json.loads` to check that the body is one JSON object and "
            "throws the result away, then the SDK's `deserialize(payload=text)` parses the text "
            "again. Keep the parsed dict and hand it to a dict-level deserializer (as above)."
        )
    if by_key:
        shares = [a.envelope_share for a in by_key.values()]
        to_model = [a.stages["to_model"].median for a in by_key.values()]
        out.append(
            "**Model objects are most of any SDK request.** In the bare skill, turning the event "
            f"into `ask_sdk_model` objects takes {_pct(100 * min(shares))}{DASH}"
            f"{_pct(100 * max(shares))} of the whole stock handler ({_us(min(to_model))}{DASH}"
            f"{_us(max(to_model))} for the dict → objects step alone: the serializer resolves "
            "every class from its dotted name and parses the timestamp with dateutil). Ours pays "
            "the same. To get *below* the bare SDK, skip it on the Lambda path: our handlers read "
            "only `request.type`, `request.locale`, `intent.name`, the slots' first resolution, "
            "`session.attributes` and the application id. Route on the raw dict in `entry.py` "
            "straight to `Conversation` and build the small response dict (`outputSpeech`, "
            "`reprompt`, `card`, `shouldEndSession`, `sessionAttributes`) directly; keep "
            "`CustomSkill.invoke` as the fallback for request types we do not route, and for the "
            "Flask host if wanted."
        )
    nesting = [(key, _stage(profiles.get(key), "event nesting check") or 0.0) for key in per]
    nesting = [(key, share) for key, share in nesting if share >= 2]
    web_nesting = _stage(web, "body nesting check") or 0.0
    if nesting or web_nesting >= 2:
        where = [f"{_pct(share)} of {key}" for key, share in nesting]
        if web_nesting >= 2:
            where.append(f"{_pct(web_nesting)} of a request through the Flask app")
        out.append(
            "**The nesting checks walk every node of every event** (`entry._too_deep`, "
            "`adapter.nesting_depth`: " + ", ".join(where) + " under cProfile). The SDK "
            "deep-copies only `session.attributes` (`AttributesManager`), its deserializer "
            "recurses along the envelope's schema, and `json.dumps`/`json.loads` already fail "
            "cleanly (caught) on absurd depths: check whether walking `session.attributes` "
            "alone, after the parse, bounds the same failure at a fraction of the cost."
        )
    report_profile, answer_profile = profiles.get("report"), profiles.get("answer")
    nq_report, nq_answer = _stage(report_profile, "next_question"), _stage(answer_profile, "next_q")
    if nq_report or nq_answer:
        outcome_report = _calls(report_profile, "(_outcome)")
        outcome_answer = _calls(answer_profile, "(_outcome)")
        text = (
            f"**`next_question` is our heaviest code.** It takes {_pct(nq_report or 0)} of the "
            f"one-shot report and {_pct(nq_answer or 0)} of the mid-conversation answer (cProfile "
            f"shares), running `_outcome` (derive + every rule's condition) {outcome_report:g} and "
            f"{outcome_answer:g} times per request. Fixes, cheapest first: "
        )
        fixes = []
        if outcome_report > 2:
            fixes.append(
                "return `None` before the loop when the facts as given are already an emergency "
                "(one `_outcome` instead of one per answer to every open question: the heavy "
                "report needs no question at all)"
            )
        fixes += [
            "compute `derive(given)` once: `open_questions()` and the loop's own `derive()` "
            "repeat it",
            "memoise `_outcome` on `(frozenset(facts.items()), locale)` with an `lru_cache` "
            "(knowledge is immutable and the fact space is small, so a warm Lambda answers "
            "repeated situations from the cache)",
            "compile each condition once into a Python closure at load time instead of walking "
            "the tree in `conditions.evaluate` on every call",
        ]
        out.append(text + "; ".join(f"({i}) {f}" for i, f in enumerate(fixes, 1)) + ".")
    locale_shares = [
        (case.key, _cumulative(profiles.get(case.key), "(available_locales)"))
        for case in (r.case for r in results.per_request)
    ]
    locale_shares = [(key, share) for key, share in locale_shares if share >= 0.5]
    if locale_shares:
        out.append(
            "**Every request lists `skill/content/` on disk.** `handlers.locale_of()` calls "
            "`available_locales()`, which runs `iterdir()`, `is_dir()` and a regex over the "
            "folder each time ("
            + ", ".join(f"{_pct(share)} of {key}" for key, share in locale_shares)
            + " under cProfile). The locales cannot change while the process lives: compute "
            "them once (`functools.lru_cache`, or a frozenset beside `default_knowledge()`). "
            "Smaller, in the same spirit: `State.from_attributes()` rebuilds the set of question "
            "ids and `Conversation.__init__` the question map on every request; build both once."
        )
    cold = profiles.get("cold")
    y = results.yaml
    ours_cold_ms = results.cold.inside["ours"].median
    if y.safe_load_ms >= 1:
        build = _cumulative(cold, "(build_skill)")
        discreet = _cumulative(cold, "(_check_spoken_words_are_discreet)")
        faster = (
            f"`yaml.CSafeLoader` (libyaml is in this PyYAML build) parses the same files in "
            f"{_ms(y.c_safe_load_ms)}{' with identical results' if y.same_data else ''}"
            if y.c_safe_load_ms is not None
            else "`yaml.CSafeLoader` would help where PyYAML is built with libyaml (not here)"
        )
        text = (
            f"**Cold start is mostly YAML.** `skill.core.loader.read_yaml` uses PyYAML's "
            f"pure-Python `yaml.safe_load`: parsing the {y.files} YAML files once takes "
            f"{_ms(y.safe_load_ms)} (timed alone) of our {_ms(ours_cold_ms)} cold start "
            f"(`build_skill()` is {_pct(build)} of it under cProfile). {faster}: a one-line "
            "fix for the gunicorn host and the tests "
            "(`yaml.load(handle, Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))`)"
            + (
                ", but not for Lambda: `tools/build_lambda.py` strips libyaml from the bundle. "
                if results.bundle_libyaml is False
                else ". "
            )
            + "For Lambda, have `tools/build_lambda.py` load and validate the YAML at build "
            f"time and ship it as JSON: `json.loads` reads the same data in {_ms(y.json_ms)}, "
            "and the Lambda path then needs no `yaml` import at all. Keep the YAML as the "
            "source, and its validation in the build and the tests."
        )
        if results.locales > 1:
            text += (
                f" With {results.locales} locales, `load_all_voices()` parses and checks every "
                "locale's words at each cold start although a request speaks one: once the "
                "checks run at build time, load a locale on first use."
            )
        if discreet >= 1:
            text += (
                " The discretion check over every spoken text at start-up "
                f"(`_check_spoken_words_are_discreet`, {_pct(discreet)}) belongs there too."
            )
        out.append(text)
    deployed = results.cold_deployed
    if deployed is not None:
        dev = results.cold
        out.append(
            "**As deployed, every cold start also compiles the code.** The bundle from "
            "`tools/build_lambda.py` carries no bytecode and `/var/task` is read-only, so each "
            "cold start compiles everything it imports: ours takes "
            f"{_ms(deployed.wall['ours'].median)} from the bundle against "
            f"{_ms(dev.wall['ours'].median)} with bytecode cached, the "
            f"bare skill {_ms(deployed.wall['bare'].median)} against "
            f"{_ms(dev.wall['bare'].median)}. Ship bytecode: compile the bundle at build time "
            "with the runtime's own Python (`python3.12 -m compileall -q dist/lambda`, since a "
            ".pyc only loads under the version that wrote it; on a machine without 3.12, build "
            "the bundle in the SAM build image), and check in the build that the magic number "
            "matches. Every module we do not import (above) is also one we do not compile."
        )
    ours_imports, bare_imports = results.imports.get("ours"), results.imports.get("bare")
    if ours_imports and bare_imports:
        extra = extra_imports(ours_imports, bare_imports)
        flask = (
            "Flask is imported on the Lambda path: keep it out"
            if ours_imports.flask_loaded
            else "Flask stays out of the Lambda path (good)"
        )
        text = (
            f"**Imports.** {flask}. All imports take {_ms(ours_imports.total_ms)} against the bare "
            f"skill's {_ms(bare_imports.total_ms)} (`-X importtime`, each module's best of 3 "
            "runs)."
        )
        if extra:
            text += (
                " The heaviest ones only our path makes: "
                + "; ".join(
                    f"`{e.module}` {_ms(e.cumulative_ms)} (from `{e.importer or 'lambda_function'}`"
                    + (f", mostly `{e.heaviest_child}`" if e.heaviest_child else "")
                    + ")"
                    for e in extra[:3]
                )
                + "."
            )
        hints = {
            "xml.sax.saxutils": " `skill.alexa.responses` imports `xml.sax.saxutils` only for "
            "`escape`, and that module imports `urllib.request` (with `http.client`, `email`, "
            "`ssl`, `tempfile`): use `html.escape(text, quote=False)`, which escapes the same "
            "`&`, `<` and `>`.",
            "yaml": " `yaml` goes away with pre-built JSON (above).",
        }
        text += "".join(hints[e.module] for e in extra[:3] if e.module in hints)
        out.append(text)
    verifier = results.verifier
    if verifier is not None:
        url = verifier.cert_url_check_us.median
        out.append(
            f"**Signature verification** costs {_us(verifier.verify_body_us.median)} per request "
            f"with the chain cached, of which the RSA check is {_us(verifier.rsa_only_us.median)}; "
            f"the remaining {_us(verifier.overhead_us.median)} is ours"
            + (
                f" (through the whole Flask app, verification on adds "
                f"{_us(results.in_process.extra_us.median)} per request)"
                if results.in_process is not None
                else ""
            )
            + ": `check_cert_url` runs "
            f"before the cache on every request ({_us(url)}: key the cache on the raw header "
            "value and check the URL only on a miss), `header_value` scans every header twice "
            "(werkzeug's headers are case-insensitive: use `headers.get`), and the lock and clock "
            "are taken per request. The first request of each worker reads and checks the chain "
            f"({_ms(verifier.first_request_ms)}), and building the trust store "
            f"({_ms(verifier.store_build_ms)}, certifi plus system roots) happens once per worker."
        )
    on, off = _endpoint(results, "ours-verify"), _endpoint(results, "ours-noverify")
    bare = _endpoint(results, "bare")
    if on and off and bare and bare.rps:
        out.append(
            f"**Endpoint.** With verification on, ours serves {on.rps:,.0f} requests/s against "
            f"{off.rps:,.0f} with it off and {bare.rps:,.0f} for the bare skill behind the same "
            "app (all requests of all phases). The gap to the bare skill is the per-request work "
            "above (model objects, `next_question`, the double parse)."
        )
    return out


# --- the document ----------------------------------------------------------------------------


def markdown(results: Results, chart_name: str) -> str:
    m = results.machine
    lines = [
        "# Benchmarks",
        "",
        f"_Written by `make bench` (`python -m bench`) on {m.date}, in {results.seconds:.0f} s. "
        "Do not edit by hand: run it again._",
        "",
        "care-compass measured side by side with a **bare ASK SDK skill** (one handler that "
        "answers everything with an empty response, behind the SDK's stock "
        "`SkillBuilder.lambda_handler()`), in the same run and interleaved round by round, so the "
        "ratios hold on a noisy machine even when the absolute figures do not.",
        "",
        "## Targets",
        "",
    ]
    rows = targets(results)
    lines += _table(
        ["Target", "Measured", "Limit", "Result"],
        ([t.name, t.shown, t.limit, _verdict(t.passed)] for t in rows),
    )
    aims = [r for r in results.per_request if r.ratio.median <= PER_REQUEST_AIM]
    lines += [
        "",
        f"Stretch aim, per request below the bare SDK's own stock path (≤ {PER_REQUEST_AIM}{X}): "
        f"met for {len(aims)} of {len(results.per_request)} cases.",
        "",
        f"![Targets: measured divided by limit]({chart_name})",
        "",
        "## Machine",
        "",
    ]
    lines += _table(
        ["", ""],
        [
            ["CPU", m.cpu],
            ["Cores", str(m.cores)],
            ["OS", m.platform],
            ["Python", m.python],
            ["Packages", ", ".join(f"{k} {v}" for k, v in m.packages.items())],
            ["Commit", m.commit],
            [
                "Load average",
                f"{results.load_before} at the start, {results.load_after} at the end "
                "(1, 5, 15 min; above 2 the bench shared the cores with other work)",
            ],
            ["Date", m.date],
        ],
    )
    lines += ["", "## Per request, through the Lambda handler", ""]
    per_round = results.per_request[0].calls_per_round if results.per_request else 0
    lines.append(
        f"Each round times {per_round} calls of the bare handler and {per_round} of ours "
        "(`lambda/lambda_function.lambda_handler`, loaded by path with `ALEXA_SKILL_ID` set), "
        "alternating which goes first; every call gets a freshly parsed event dict, as the "
        "Lambda runtime hands over. Figures are the median and p90 of the per-round means; the "
        "ratio is taken round by round."
    )
    lines.append("")
    lines += _table(
        [
            "Case",
            "Bare median",
            "Bare p90",
            "Ours median",
            "Ours p90",
            "Ours / bare (p90)",
            f"≤ {PER_REQUEST_LIMIT}{X}",
        ],
        (
            [
                r.case.title,
                _us(r.bare.median),
                _us(r.bare.p90),
                _us(r.ours.median),
                _us(r.ours.p90),
                f"{_ratio(r.ratio.median)} ({_ratio(r.ratio.p90)})",
                _verdict(r.ratio.median <= PER_REQUEST_LIMIT),
            ]
            for r in results.per_request
        ),
    )
    problems = [r for r in results.per_request if r.problem]
    if problems:
        lines += ["", "Answers that were not the expected ones (the figures may not compare):"]
        lines += [f"- {r.problem}" for r in problems]
    lines += [
        "",
        "```text",
        ascii_bars(
            [
                item
                for r in results.per_request
                for item in (
                    (f"{r.case.key:<7} bare", r.bare.median),
                    (f"{r.case.key:<7} ours", r.ours.median),
                )
            ],
            "µs",
        ),
        "```",
        "",
    ]
    if results.anatomy:
        lines += [
            "### The stock SDK path, stage by stage (bare skill)",
            "",
            "Each stage of `SkillBuilder.lambda_handler()` timed alone (median µs per call):",
            "",
        ]
        keys = [a.case.key for a in results.anatomy]
        lines += _table(
            ["Stage", *keys],
            (
                [title, *(_us(a.stages[name].median) for a in results.anatomy)]
                for name, title in STAGES.items()
            ),
        )
        lines.append(
            "| **event → model objects** ("
            + " + ".join(ENVELOPE_STAGES)
            + "), share of the whole | "
            + " | ".join(f"**{_pct(100 * a.envelope_share)}**" for a in results.anatomy)
            + " |"
        )
        lines.append("")
    lines += [
        "## Cold start",
        "",
        "Fresh `python -c` processes of each kind, interleaved, after one warm-up each. Each "
        "imports its Lambda module by path and answers one LaunchRequest; wall time runs from "
        "spawning the process to its answer (it then leaves with `os._exit`, as Lambda never "
        "waits for interpreter teardown). Inside times run from the program's first line.",
        "",
    ]
    lines += cold_start_section(results.cold, "### In the virtualenv, bytecode cached")
    if results.cold_deployed is not None:
        lines += cold_start_section(
            results.cold_deployed,
            "### As deployed: the Lambda bundle, no bytecode",
            "The bundle `tools/build_lambda.py` makes (into a temporary folder) holds no `.pyc` "
            "files, and Lambda's `/var/task` is read-only, so every cold start compiles every "
            "module it imports, the SDK's included. Run here as `python -S` with only the bundle "
            "on the path and `PYTHONDONTWRITEBYTECODE=1`; the bare skill imports the same "
            "bundle's ask-sdk-core.",
        )
    elif results.deployed_note:
        lines += ["### As deployed: the Lambda bundle", "", results.deployed_note, ""]
    lines += ["## The endpoint under gunicorn", ""]
    if results.endpoint:
        s = results.settings
        lines += [
            f"`gunicorn -w 2` (sync workers) on 127.0.0.1, one server per row, all started "
            f"together; {s.get('clients')} keep-alive clients on threads post the three cases "
            f"round-robin, {s.get('endpoint_rounds')} interleaved phases of "
            f"{s.get('endpoint_seconds')} s per server (at most {s.get('endpoint_cap')} requests "
            "per client and phase). Every row is our `create_app` with the timestamp and skill-id "
            "checks on; signed requests with a test CA (chain from `CERT_DIR`, cached after the "
            "first request). The load generator shares the 2 cores with the servers: compare "
            "rows, not machines.",
            "",
        ]
        lines += _table(
            ["Server", "Requests", "Requests/s", "Per phase (median)", "p50", "p99", "Not 200"],
            (
                [
                    TITLES[r.kind],
                    f"{r.requests:,}",
                    f"{r.rps:,.0f}",
                    f"{r.rps_rounds.median:,.0f}",
                    _ms(r.p50_ms),
                    _ms(r.p99_ms),
                    str(r.requests - r.ok),
                ]
                for r in results.endpoint
            ),
        )
        ratio = throughput_ratio(results)
        spread = phase_spread(results)
        if ratio is not None:
            lines += [
                "",
                f"Verification on keeps **{100 * phase_ratio(results):.1f}%** of the throughput "
                f"with it off, as the median of the ratios of adjacent phases (target ≥ "
                f"{100 * THROUGHPUT_FLOOR:.0f}%); over all requests, {100 * ratio:.1f}%. Single "
                f"phase pairs ranged from {100 * spread[0]:.0f}% to {100 * spread[1]:.0f}% "
                "(p10 to p90) with the other work on the machine; the median of adjacent "
                "pairs is the figure that survives it.",
            ]
    else:
        lines.append("Not run (`--skip-endpoint`).")
    lines.append("")
    p = results.in_process
    if p is not None:
        lines += [
            "### The same apps in process",
            "",
            "The three apps again, called through Flask's test client in interleaved rounds "
            f"({results.settings.get('in_process_calls')} requests per app and round, the three "
            "cases in turn): no sockets, no gunicorn, no load generator, so the cost of "
            "verification stands out of the noise.",
            "",
        ]
        lines += _table(
            ["App", "Per request (median)", "p90"],
            (
                [TITLES[kind], _us(summary.median), _us(summary.p90)]
                for kind, summary in p.per_request_us.items()
            ),
        )
        lines += [
            "",
            f"Verification adds {_us(p.extra_us.median)} per request here; throughput with it "
            f"on is {100 * p.on_off.median:.1f}% of that with it off (round by round, p90 of "
            f"the added time {_us(p.extra_us.p90)}).",
            "",
        ]
    v = results.verifier
    if v is not None:
        lines += [
            "### The signature check alone",
            "",
            "In process, with werkzeug's headers as Flask hands them over, the chain cached "
            "(median of per-round means):",
            "",
        ]
        lines += _table(
            ["", "Per request"],
            [
                [
                    "`SignatureVerifier.verify_body` (ours, whole check)",
                    _us(v.verify_body_us.median),
                ],
                ["RSA PKCS#1 v1.5 SHA-256 verify alone", _us(v.rsa_only_us.median)],
                ["Ours beyond the RSA check", _us(v.overhead_us.median)],
                [
                    "of which `check_cert_url` (run before the cache lookup)",
                    _us(v.cert_url_check_us.median),
                ],
                [
                    "First request of a worker (read, parse, check the chain)",
                    _ms(v.first_request_ms),
                ],
                ["`CertificateChainStore()` (trust store, once per worker)", _ms(v.store_build_ms)],
            ],
        )
        lines += [
            "",
            "ask-sdk-webservice-support's own `RequestVerifier` is not measured: it needs "
            "`certvalidator`, whose `oscrypto` cannot start with this OpenSSL, and it downloads "
            "the chain (no network here).",
            "",
        ]
    lines += where_the_time_goes(results)
    lines += ["## What to fix", ""]
    lines += [f"{i}. {text}" for i, text in enumerate(findings(results), 1)]
    lines += [
        "",
        "## How it is measured",
        "",
        "- `make bench` runs `python -m bench` (sources in `bench/`); `python -m bench --quick` is "
        "a fast smoke run whose figures are not worth keeping. Nothing here is a test: no timing "
        "is ever asserted.",
        "- Time is `time.perf_counter_ns`; rounds alternate which skill goes first; medians and "
        "p90s are of per-round means; ratios are round by round, so both figures of a ratio were "
        "taken moments apart.",
        "- Garbage collection stays on, as in production. cProfile shares are inflated for code "
        "made of many small calls; use them to find where to look, and the timings to judge.",
        "- Settings of this run: "
        + ", ".join(f"{k}={v}" for k, v in results.settings.items())
        + ".",
        "",
    ]
    return "\n".join(lines)


def cold_start_section(c: ColdStartResult, heading: str, intro: str = "") -> list[str]:
    lines = [heading, ""]
    if intro:
        lines += [intro, ""]
    lines += [f"{c.samples} processes of each kind.", ""]
    lines += _table(
        ["", "Wall median", "Wall p90", "Import", "First request", "Inside total", "Modules"],
        [
            ["Interpreter alone", _ms(c.interpreter.median), _ms(c.interpreter.p90)] + [""] * 4,
            *(
                [
                    name,
                    _ms(c.wall[name].median),
                    _ms(c.wall[name].p90),
                    _ms(c.import_ms[name].median),
                    _ms(c.first_ms[name].median),
                    _ms(c.inside[name].median),
                    str(c.facts[name].get("modules", "")),
                ]
                for name in ("bare", "ours")
            ),
        ],
    )
    lines += [
        "",
        f"Ours / bare: **{_ratio(c.ratio_wall.median)}** wall (p90 {_ratio(c.ratio_wall.p90)}), "
        f"{_ratio(c.ratio_inside.median)} inside. Flask imported on our Lambda path: "
        f"{'yes' if c.facts['ours'].get('flask') else 'no'}; PyYAML imported: "
        f"{'yes' if c.facts['ours'].get('yaml') else 'no'}.",
        "",
        "```text",
        ascii_bars(
            [
                ("interpreter", c.interpreter.median),
                ("bare", c.wall["bare"].median),
                ("ours", c.wall["ours"].median),
            ],
            "ms",
        ),
        "```",
        "",
    ]
    return lines


def where_the_time_goes(results: Results) -> list[str]:
    lines = ["## Where the time goes", "", "### Per request (cProfile, ours)", ""]
    cases = [r.case for r in results.per_request]
    profiles = results.profiles
    titles = [title for title, _, _ in PROFILE_STAGES]
    header = ["Stage (cumulative share)", *(c.key for c in cases)]
    bare_keys = [f"bare:{c.key}" for c in cases if f"bare:{c.key}" in profiles]
    if bare_keys:
        header.append("bare (" + bare_keys[0].split(":")[1] + ")")
    web = results.in_process.profile if results.in_process else None
    if web is not None:
        header.append("Flask app, verify on (all cases)")
    rows = []
    for title in titles:
        values = [_stage(profiles.get(c.key), title) for c in cases]
        if bare_keys:
            values.append(_stage(profiles.get(bare_keys[0]), title))
        if web is not None:
            values.append(_stage(web, title))
        if any(v is not None for v in values):
            rows.append([title, *("" if v is None else _pct(v) for v in values)])
    lines += _table(header, rows)
    lines.append("")
    for case in cases:
        profile = profiles.get(case.key)
        if profile is None:
            continue
        lines += [
            f"Top of our code, {case.title} (share of the request; calls per request):",
            "",
        ]
        lines += _table(
            ["Function", "Cumulative", "Self", "Calls"],
            _profile_rows(
                [r for r in profile.ours_cumulative if not r.function.endswith("(handle_event)")], 8
            ),
        )
        lines.append("")
        heavy_self = [r for r in profile.ours_self if r.self_pct >= 1][:5]
        if heavy_self:
            lines.append(
                "Most self time: "
                + ", ".join(f"`{r.function}` {_pct(r.self_pct)}" for r in heavy_self)
                + "."
            )
            lines.append("")
    if web is not None:
        lines += [
            "Top of our code through the Flask app (verification on, Flask's test client, the "
            "three cases in turn):",
            "",
        ]
        lines += _table(
            ["Function", "Cumulative", "Self", "Calls"],
            _profile_rows(
                [r for r in web.ours_cumulative if not r.function.endswith("(dispatch_request)")],
                8,
            ),
        )
        lines.append("")
    cold = profiles.get("cold")
    if cold is not None:
        lines += ["### Cold start (cProfile, ours: first line to first answer)", ""]
        lines += _table(
            ["Function", "Cumulative", "Self", "Calls"], _profile_rows(cold.ours_cumulative, 12)
        )
        lines.append("")
        yaml_rows = [r for r in cold.top if "yaml/" in r.function][:1]
        if yaml_rows:
            lines += [
                f"Of which PyYAML (`{yaml_rows[0].function}`): "
                f"{_pct(yaml_rows[0].cumulative_pct)}.",
                "",
            ]
    ours_imports, bare_imports = results.imports.get("ours"), results.imports.get("bare")
    if ours_imports and bare_imports:
        lines += [
            "### Cold start imports (`python -X importtime`, self time by top-level package)",
            "",
        ]
        bare_by = {pkg: ms for pkg, ms, _ in bare_imports.packages}
        lines += _table(
            ["Package", "Ours", "Bare", "Modules (ours)"],
            (
                [
                    f"`{pkg}`",
                    _ms(ms),
                    _ms(bare_by[pkg]) if pkg in bare_by else DASH,
                    str(count),
                ]
                for pkg, ms, count in ours_imports.packages
            ),
        )
        lines += [
            "",
            f"All imports: ours {_ms(ours_imports.total_ms)}, bare {_ms(bare_imports.total_ms)} "
            "(both include the interpreter's own `site` and the editable-install finder).",
            "",
        ]
        extra = extra_imports(ours_imports, bare_imports)
        if extra:
            lines += ["Imported only on our Lambda path (heaviest subtrees outside `skill`):", ""]
            lines += _table(
                ["Module", "Cumulative", "Imported by", "Mostly"],
                (
                    [
                        f"`{e.module}`",
                        _ms(e.cumulative_ms),
                        f"`{e.importer or 'lambda_function'}`",
                        f"`{e.heaviest_child}`" if e.heaviest_child else "",
                    ]
                    for e in extra
                ),
            )
            lines.append("")
    y = results.yaml
    lines += [
        f"### Parsing the {y.files} YAML files once (timed alone, best of 3)",
        "",
    ]
    lines += _table(
        ["Parser", "Time"],
        [
            ["`yaml.safe_load` (pure Python, what the loader uses)", _ms(y.safe_load_ms)],
            [
                "`yaml.CSafeLoader` (libyaml)",
                _ms(y.c_safe_load_ms) if y.c_safe_load_ms is not None else "not available",
            ],
            ["`json.loads` of the same data", _ms(y.json_ms)],
        ],
    )
    lines.append("")
    verifier = results.verifier
    if verifier is not None:
        lines += ["### The signature check (cProfile, chain cached)", ""]
        lines += _table(
            ["Function", "Cumulative", "Self", "Calls"],
            _profile_rows(verifier.profile.top, 10),
        )
        lines.append("")
    return lines


def write(results: Results, out: Path) -> tuple[Path, Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    chart = out.with_suffix(".svg")
    chart.write_text(svg_chart(targets(results)), encoding="utf-8")
    out.write_text(markdown(results, chart.name), encoding="utf-8")
    return out, chart
