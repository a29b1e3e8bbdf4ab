"""The Flask endpoint under gunicorn on loopback, and the signature verifier's own cost.

Three servers run side by side (``gunicorn -w 2``, each on a free 127.0.0.1 port): ours with
signature verification on (signed requests, chains from a test CA's cert dir, cached after the
first request), ours with it off, and the bare SDK skill served by the same app factory with it
off. A bounded load generator (a few keep-alive clients on threads, a fixed time per phase and a
cap on requests) visits them in interleaved phases, so drift in the machine's speed falls on all
three alike. Every request goes to 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import copy
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import ROOT, skill_id
from bench.pki import CERT_URL, TestPKI
from bench.profiling import Profile, profile_calls
from bench.timing import Summary, interleaved_rounds, percentile

HOST = "127.0.0.1"  # loopback only, always
KINDS = ("ours-verify", "ours-noverify", "bare")
TITLES = {
    "ours-verify": "ours, verification on",
    "ours-noverify": "ours, verification off",
    "bare": "bare SDK skill, verification off",
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _healthy(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=1)
        connection.request("GET", "/healthz")
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except OSError:
        return False


@contextlib.contextmanager
def gunicorn(kind: str, pki: TestPKI, log_dir: Path, workers: int = 2) -> Iterator[int]:
    """Serve ``bench.wsgi_app`` as ``kind``; yields the port. The server is stopped on exit."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(
        BENCH_APP=kind,
        BENCH_CERT_DIR=str(pki.cert_dir),
        BENCH_TRUST_ROOTS=str(pki.root_file),
        ALEXA_SKILL_ID=skill_id(),
    )
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(workers),
        "--bind", f"{HOST}:{port}",
        "--chdir", str(ROOT),
        "--log-level", "warning",
        "--timeout", "30",
        "bench.wsgi_app:app",
    ]  # fmt: skip
    log_file = (log_dir / f"gunicorn-{kind}.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=log_file)
    try:
        deadline = time.monotonic() + 60
        while not _healthy(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn ({kind}) did not start; see {log_file.name}")
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()


def fresh(event: dict[str, Any]) -> dict[str, Any]:
    """The event with a new request id and the current time, as Alexa would send it now."""
    event = copy.deepcopy(event)
    event["request"]["requestId"] = f"amzn1.echo-api.request.{uuid.uuid4()}"
    event["request"]["timestamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return event


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    seconds: float = 0.0

    def add(self, other: Tally) -> None:
        self.latencies_ms += other.latencies_ms
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count
        self.errors += other.errors
        self.seconds += other.seconds


def _client(
    port: int, requests: list[tuple[bytes, dict[str, str]]], stop: float, cap: int, out: Tally
) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    index = 0
    while index < cap and time.perf_counter() < stop:
        body, headers = requests[index % len(requests)]
        index += 1
        start = time.perf_counter()
        try:
            connection.request("POST", "/", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            out.errors += 1
            connection.close()  # reconnects on the next request
            continue
        out.latencies_ms.append((time.perf_counter() - start) * 1000)
        out.statuses[response.status] = out.statuses.get(response.status, 0) + 1
    connection.close()


def load_phase(
    port: int,
    requests: list[tuple[bytes, dict[str, str]]],
    *,
    clients: int,
    seconds: float,
    cap: int,
) -> Tally:
    """``clients`` threads post the requests round-robin until ``seconds`` pass or each has sent
    ``cap`` requests."""
    tallies = [Tally() for _ in range(clients)]
    start = time.perf_counter()
    stop = start + seconds
    threads = [
        threading.Thread(target=_client, args=(port, requests, stop, cap, tally), daemon=True)
        for tally in tallies
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    total = Tally()
    for tally in tallies:
        total.add(tally)
    total.seconds = time.perf_counter() - start
    return total


@dataclass(frozen=True)
class EndpointResult:
    kind: str
    requests: int
    ok: int
    errors: int
    statuses: dict[int, int]
    rps: float
    rps_rounds: Summary
    rps_phases: list[float]
    p50_ms: float
    p99_ms: float


def signed_requests(
    pki: TestPKI, events: list[dict[str, Any]]
) -> list[tuple[bytes, dict[str, str]]]:
    bodies = [json.dumps(fresh(event)).encode("utf-8") for event in events]
    return [(body, pki.headers(body)) for body in bodies]


def measure(
    pki: TestPKI,
    events: list[dict[str, Any]],
    log_dir: Path,
    *,
    rounds: int,
    seconds: float,
    clients: int,
    cap: int,
) -> list[EndpointResult]:
    totals = {kind: Tally() for kind in KINDS}
    per_round: dict[str, list[float]] = {kind: [] for kind in KINDS}
    with contextlib.ExitStack() as stack:
        ports = {kind: stack.enter_context(gunicorn(kind, pki, log_dir)) for kind in KINDS}
        for kind in KINDS:  # warm up: imports, the first chain check, the first requests
            load_phase(
                ports[kind], signed_requests(pki, events), clients=clients, seconds=0.5, cap=50
            )
        for index in range(rounds):
            order = KINDS if index % 2 == 0 else KINDS[::-1]
            for kind in order:
                tally = load_phase(
                    ports[kind],
                    signed_requests(pki, events),
                    clients=clients,
                    seconds=seconds,
                    cap=cap,
                )
                ok = tally.statuses.get(200, 0)
                per_round[kind].append(ok / tally.seconds)
                totals[kind].add(tally)
    results = []
    for kind in KINDS:
        tally = totals[kind]
        ok = tally.statuses.get(200, 0)
        results.append(
            EndpointResult(
                kind=kind,
                requests=len(tally.latencies_ms) + tally.errors,
                ok=ok,
                errors=tally.errors,
                statuses=dict(tally.statuses),
                rps=ok / tally.seconds if tally.seconds else 0.0,
                rps_rounds=Summary.of(per_round[kind]),
                rps_phases=per_round[kind],
                p50_ms=percentile(tally.latencies_ms, 50),
                p99_ms=percentile(tally.latencies_ms, 99),
            )
        )
    return results


# --- the verifier alone --------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifierResult:
    verify_body_us: Summary  # SignatureVerifier.verify_body, chain cached
    rsa_only_us: Summary  # RSAPublicKey.verify alone
    overhead_us: Summary  # the difference, round by round
    cert_url_check_us: Summary  # check_cert_url alone (unmemoised)
    first_request_ms: float  # the first verify_body: read, parse and check the chain
    store_build_ms: float  # CertificateChainStore(): the trust store, once per worker
    profile: Profile  # cProfile of verify_body with the chain cached


def _environ_headers(headers: dict[str, str], body: bytes) -> Any:
    """Headers as Flask hands them to the verifier: werkzeug's view of a WSGI environ."""
    from werkzeug.datastructures import EnvironHeaders

    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "SERVER_NAME": HOST,
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": f"{HOST}:8000",
        "HTTP_CONNECTION": "keep-alive",
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    return EnvironHeaders(environ)


def measure_verifier(
    pki: TestPKI, event: dict[str, Any], *, rounds: int, calls: int
) -> VerifierResult:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    from skill.web.verification import (
        CertificateChainStore,
        SignatureVerifier,
        check_cert_url,
        decode_signature,
    )

    body = json.dumps(fresh(event)).encode("utf-8")
    plain_headers = pki.headers(body)
    headers = _environ_headers(plain_headers, body)
    start = time.perf_counter()
    store = CertificateChainStore(cert_dir=pki.cert_dir, trust_roots=[pki.root_file])
    store_build_ms = (time.perf_counter() - start) * 1000
    verifier = SignatureVerifier(store)
    start = time.perf_counter()
    verifier.verify_body(headers, body)
    first_request_ms = (time.perf_counter() - start) * 1000
    key = pki.public_key()
    signature = decode_signature(plain_headers["Signature-256"])

    def per_call_us(fn: Any) -> Any:
        def run() -> float:
            start = time.perf_counter_ns()
            for _ in range(calls):
                fn()
            return (time.perf_counter_ns() - start) / calls / 1000

        return run

    figures = interleaved_rounds(
        {
            "verifier": per_call_us(lambda: verifier.verify_body(headers, body)),
            "rsa": per_call_us(
                lambda: key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
            ),
            "url": per_call_us(lambda: check_cert_url(CERT_URL)),
        },
        rounds=rounds,
    )
    overhead = [v - r for v, r in zip(figures["verifier"], figures["rsa"], strict=True)]
    return VerifierResult(
        verify_body_us=Summary.of(figures["verifier"]),
        rsa_only_us=Summary.of(figures["rsa"]),
        overhead_us=Summary.of(overhead),
        cert_url_check_us=Summary.of(figures["url"]),
        first_request_ms=first_request_ms,
        store_build_ms=store_build_ms,
        profile=profile_calls(lambda: verifier.verify_body(headers, body), calls * rounds),
    )


# --- the same three apps in process, through Flask's test client ----------------------------------


@dataclass(frozen=True)
class InProcessResult:
    per_request_us: dict[str, Summary]  # by kind: the mean of a round's requests
    on_off: Summary  # throughput with verification on / off (= time off / time on), by round
    extra_us: Summary  # time on - time off, by round
    profile: Profile  # cProfile of ours with verification on, through the test client


def measure_in_process(
    pki: TestPKI, events: list[dict[str, Any]], *, rounds: int, calls: int
) -> InProcessResult:
    """The three apps of the endpoint benchmark without gunicorn, sockets or a load generator,
    so that what verification adds to a request stands out of the machine's noise."""
    import logging

    from bench.timing import paired_ratios
    from bench.wsgi_app import build

    web_log = logging.getLogger("skill.web")
    level = web_log.level
    web_log.setLevel(logging.ERROR)  # the apps warn that checks are off; known here
    try:
        clients = {
            kind: build(
                kind,
                skill_id=skill_id(),
                cert_dir=str(pki.cert_dir),
                trust_root=str(pki.root_file),
            ).test_client()
            for kind in KINDS
        }
        requests = signed_requests(pki, events)

        def subject(kind: str) -> Any:
            client = clients[kind]

            def run() -> float:
                start = time.perf_counter_ns()
                for index in range(calls):
                    body, headers = requests[index % len(requests)]
                    response = client.post("/", data=body, headers=headers)
                    if response.status_code != 200:
                        raise RuntimeError(f"{kind}: status {response.status_code}")
                return (time.perf_counter_ns() - start) / calls / 1000

            return run

        figures = interleaved_rounds({kind: subject(kind) for kind in KINDS}, rounds=rounds)
        profile = profile_calls(subject("ours-verify"), max(1, 300 // calls), calls)
    finally:
        web_log.setLevel(level)
    on, off = figures["ours-verify"], figures["ours-noverify"]
    return InProcessResult(
        per_request_us={kind: Summary.of(values) for kind, values in figures.items()},
        on_off=Summary.of(paired_ratios(off, on)),
        extra_us=Summary.of([a - b for a, b in zip(on, off, strict=True)]),
        profile=profile,
    )
