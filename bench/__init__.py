"""Benchmarks for Care Compass, side by side with a bare ASK SDK skill (`make bench`).

Measuring and reporting are separate steps: the measuring modules write one JSON document
(bench/results.py describes it), and bench/report.py renders it with generic tables and verdicts.

Modules:
    run          the whole run (`python -m bench`): measure, write the JSON, render it
    results      the JSON document: targets, figures not judged, timings, profiles, machine
    report       Markdown and SVG from the JSON (`python -m bench.report`)
    cases        paths, the request cases, loading both Lambda handlers
    bare         the bare ASK SDK skill: one do-nothing handler behind SkillBuilder.lambda_handler()
    timing       interleaved rounds and their statistics
    perrequest   per-request time through each Lambda handler
    coldstart    fresh processes importing each Lambda module and answering one request
    wsgi_app     the WSGI app gunicorn serves for the endpoint benchmark
    endpoint     gunicorn on loopback under a bounded load; the signature check alone
    simulator    the offline simulator's time per utterance
    models       the time of `python -m skill models`
    profiling    cProfile and -X importtime, rows named as the profiler names them
    machine      the machine, versions and commit

Nothing here is a test: timings are written to the report, never asserted.
"""
