"""The Flask endpoint under gunicorn on loopback, and the signature check alone.

Three servers run side by side, each started as docs/endpoint.md runs the endpoint (``gunicorn -c
python:skill.web.gunicorn_conf``, the committed production settings) on a free 127.0.0.1 port:
ours with signature verification on (requests signed by a test CA standing in for Amazon's), ours
with it off, and the bare SDK skill behind the same app with it off. A bounded load generator (a
few keep-alive clients on threads, a fixed time per phase, a cap on requests) visits them in
interleaved phases, so drift in the machine's speed falls on all three alike.
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
from pathlib import Path
from typing import Any

from bench.cases import ROOT, SKILL_ID
from bench.results import Results
from bench.timing import interleaved_rounds, median, paired_ratios, per_call_us, percentile
from skill.testing import alexa_timestamp
from skill.web.testing import WrittenPKI

HOST = "127.0.0.1"  # loopback only, always
KINDS = ("ours-verify", "ours-noverify", "bare")
THROUGHPUT = "Endpoint throughput, verification on / off"
THROUGHPUT_FLOOR = 90.0  # %
VERIFIER_LIMIT_US = 100.0
Request = tuple[bytes, dict[str, str]]


def _free_port() -> int:
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
def gunicorn(kind: str, pki: WrittenPKI, log_dir: Path) -> Iterator[tuple[int, int]]:
    """Serve ``bench.wsgi_app`` as ``kind`` with the production settings; yields the port and
    the master's process id."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(
        BENCH_APP=kind,
        BENCH_CERT_DIR=str(pki.cert_dir),
        BENCH_TRUST_ROOTS=str(pki.root_file),
        ALEXA_SKILL_ID=SKILL_ID,
    )
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:skill.web.gunicorn_conf",
        "--bind", f"{HOST}:{port}", "--chdir", str(ROOT), "--log-level", "warning",
        "bench.wsgi_app:app",
    ]  # fmt: skip
    log_file = (log_dir / f"gunicorn-{kind}.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=log_file)
    try:
        deadline = time.monotonic() + 60
        while not _healthy(port):
            if process.poll() is not None or time.monotonic() > deadline:
                log_file.flush()
                last = (log_dir / log_file.name).read_text("utf-8", "replace").strip()
                last = last.splitlines()[-1] if last else "no output"
                raise RuntimeError(f"gunicorn ({kind}) did not start: {last}")
            time.sleep(0.1)
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()


def cpu_seconds(master: int) -> float | None:
    """CPU time (user and system) used so far by a gunicorn master and its workers, from /proc
    (Linux); None where there is no /proc."""
    total = 0
    try:
        entries = [entry for entry in os.listdir("/proc") if entry.isdigit()]
    except OSError:
        return None
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process has gone, or is not readable
        if int(entry) == master or int(fields[1]) == master:  # fields[1]: the parent's id
            total += int(fields[11]) + int(fields[12])  # utime, stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def signed_requests(pki: WrittenPKI, events: list[dict[str, Any]]) -> list[Request]:
    """Each event with a new request id and the current time, signed, as Alexa would send it."""
    requests = []
    for event in events:
        event = copy.deepcopy(event)
        event["request"]["requestId"] = f"amzn1.echo-api.request.{uuid.uuid4()}"
        event["request"]["timestamp"] = alexa_timestamp()
        body = json.dumps(event).encode("utf-8")
        requests.append((body, pki.headers(body)))
    return requests


def _client(port: int, requests: list[Request], stop: float, cap: int, out: list[Any]) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    for index in range(cap):
        if time.perf_counter() >= stop:
            break
        body, headers = requests[index % len(requests)]
        start = time.perf_counter()
        try:
            connection.request("POST", "/", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            out.append((None, 0.0))
            connection.close()  # reconnects on the next request
            continue
        out.append((response.status, (time.perf_counter() - start) * 1000))
    connection.close()


def load_phase(
    port: int, requests: list[Request], *, clients: int, seconds: float, cap: int
) -> tuple[float, list[Any]]:
    """``clients`` threads post the requests round-robin until ``seconds`` pass or each has sent
    ``cap``. Returns (answers with status 200 per second, every (status, latency ms))."""
    outcomes: list[Any] = []
    start = time.perf_counter()
    threads = [
        threading.Thread(
            target=_client, args=(port, requests, start + seconds, cap, outcomes), daemon=True
        )
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - start
    return sum(1 for status, _ in outcomes if status == 200) / elapsed, outcomes


def run(
    results: Results,
    pki: WrittenPKI,
    events: list[dict[str, Any]],
    log_dir: Path,
    *,
    rounds: int,
    seconds: float,
    clients: int,
    cap: int,
) -> None:
    rates: dict[str, list[float]] = {kind: [] for kind in KINDS}
    outcomes: dict[str, list[Any]] = {kind: [] for kind in KINDS}
    cpu = dict.fromkeys(KINDS, 0.0)  # seconds used by each server during the phases
    readable = True
    with contextlib.ExitStack() as stack:
        servers = {kind: stack.enter_context(gunicorn(kind, pki, log_dir)) for kind in KINDS}
        for kind in KINDS:  # warm up: imports, the first chain check, the first requests
            requests = signed_requests(pki, events)
            load_phase(servers[kind][0], requests, clients=clients, seconds=0.5, cap=50)
        for index in range(rounds):
            for kind in KINDS if index % 2 == 0 else KINDS[::-1]:
                port, master = servers[kind]
                requests = signed_requests(pki, events)
                before = cpu_seconds(master)
                rate, answers = load_phase(
                    port, requests, clients=clients, seconds=seconds, cap=cap
                )
                after = cpu_seconds(master)
                if before is None or after is None:
                    readable = False
                else:
                    cpu[kind] += after - before
                rates[kind].append(rate)
                outcomes[kind] += answers
    per_answer: dict[str, float | None] = {}
    for kind in KINDS:
        results.timing(f"Endpoint, {kind}: answers per second, by phase", "req/s", rates[kind])
        latencies = [ms for status, ms in outcomes[kind] if status == 200]
        answered = len(latencies)
        per_answer[kind] = 1e6 * cpu[kind] / answered if readable and answered else None
        for name, value, unit in (
            ("server CPU per answer", per_answer[kind], "µs"),
            ("p50 latency", percentile(latencies, 50), "ms"),
            ("p99 latency", percentile(latencies, 99), "ms"),
            ("answers other than 200", len(outcomes[kind]) - answered, ""),
        ):
            results.info(f"Endpoint, {kind}: {name}", value, unit, "all phases")
    wall = median(paired_ratios(rates["ours-verify"], rates["ours-noverify"]))
    results.info(
        "Endpoint, answers per wall-clock second, verification on / off",
        None if wall is None else 100 * wall,
        "%",
        "the median of adjacent phases; the load generator shares the cores with the servers",
    )
    on, off = per_answer["ours-verify"], per_answer["ours-noverify"]
    results.target(
        THROUGHPUT,
        100 * off / on if on and off else None,
        "%",
        ">=",
        THROUGHPUT_FLOOR,
        "answers per CPU-second of the gunicorn master and workers (production settings, "
        "skill/web/gunicorn_conf.py), verification on against off, over all phases: the "
        "server's capacity, which the load generator on the same cores does not blur",
        note=None if on and off else "no CPU times: /proc is not readable here",
    )
    results.method(
        f"Endpoint: three gunicorn servers (-c python:skill.web.gunicorn_conf, on 127.0.0.1), "
        f"{rounds} interleaved phase(s) of {seconds} s each, {clients} keep-alive clients on "
        f"threads, at most {cap} requests per client and phase; the requests are the per-request "
        "cases, signed, the same events again and again (so the core answers from its caches). "
        "Server CPU is read from /proc before and after each phase."
    )


def _environ_headers(headers: dict[str, str], body: bytes) -> Any:
    """Headers as Flask hands them to the verifier: werkzeug's view of a WSGI environ."""
    from werkzeug.datastructures import EnvironHeaders

    environ: dict[str, Any] = {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": str(len(body))}
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    return EnvironHeaders(environ)


def run_verifier(
    results: Results, pki: WrittenPKI, event: dict[str, Any], *, rounds: int, calls: int
) -> None:
    """The endpoint's signature check alone, chain cached, beside the RSA verification it makes."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    from skill.web.verification import CertificateChainStore, SignatureVerifier

    [(body, plain)] = signed_requests(pki, [event])
    headers = _environ_headers(plain, body)
    verifier = SignatureVerifier(
        CertificateChainStore(cert_dir=pki.cert_dir, trust_roots=[pki.root_file])
    )
    verifier.verify_body(headers, body)  # the first request reads and checks the chain
    key, signature = pki.public_key(), pki.signature(body)
    figures = interleaved_rounds(
        {
            "check": per_call_us(lambda: verifier.verify_body(headers, body), calls),
            "rsa": per_call_us(
                lambda: key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256()), calls
            ),
        },
        rounds=rounds,
    )
    results.timing("Signature check, chain cached", "µs", figures["check"])
    results.timing("RSA PKCS#1 v1.5 SHA-256 verification alone", "µs", figures["rsa"])
    results.target(
        "Signature check, chain cached",
        median(figures["check"]),
        "µs",
        "<=",
        VERIFIER_LIMIT_US,
        f"the endpoint's verifier on one signed request; {rounds} rounds of {calls} calls",
    )
