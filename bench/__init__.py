"""Benchmarks for care-compass, side by side with a bare ASK SDK skill (`make bench`).

Modules:
    common       paths, the request cases, loading both Lambda handlers
    bare         the bare ASK SDK skill: one do-nothing handler behind SkillBuilder.lambda_handler()
    timing       interleaved rounds and their statistics
    perrequest   per-request time through each Lambda handler
    coldstart    fresh processes importing each Lambda module and answering one request
    pki          a test CA standing in for Amazon's, and signed request bodies
    wsgi_app     the WSGI app gunicorn serves for the endpoint benchmark
    endpoint     gunicorn on loopback under a bounded load; the verifier's own cost
    profiling    cProfile and -X importtime: where the time goes
    report       docs/benchmarks.md and docs/benchmarks.svg
    run          the whole run (`python -m bench`, `python bench/run.py`)

Nothing here is a test: timings are written to the report, never asserted.
"""
