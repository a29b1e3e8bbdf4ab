"""gunicorn settings for the skill's endpoint, loaded with ``-c python:skill.web.gunicorn_conf``:

    ALEXA_SKILL_ID=amzn1.ask.skill.<uuid> \\
        gunicorn -c python:skill.web.gunicorn_conf -b 127.0.0.1:8000 skill.web.wsgi:app

(from a checkout, ``-c skill/web/gunicorn_conf.py`` is the same file). Options given on the
command line override these. Why each one (docs/endpoint.md has the whole story):

- ``worker_class = "gthread"``: with gunicorn's default sync workers, each worker serves one
  connection at a time, so a few clients that send their headers or body slowly (or a front end
  that streams requests, as tunnels and Caddy do) stall the endpoint; Alexa gives up after about
  eight seconds. A threaded worker parks idle connections in its poller and serves each request
  on one of ``threads`` threads, so slow connections cost a thread each, not the server.
- ``threads = 32``: the number of slow connections one worker can carry while still answering
  Alexa at once. Beyond that, only a front end that buffers whole requests (nginx, by default)
  protects the endpoint: put one in front.
- ``workers``: 2 by default, or ``WEB_CONCURRENCY`` (gunicorn's own variable).
- ``preload_app = True``: the app is built once, in the master, before any worker starts. A
  refusal to start (no ``ALEXA_SKILL_ID``, a malformed id) then stops gunicorn at once, with the
  one-line reason and exit status 2, instead of workers failing to boot one after another.
- ``timeout = 30``: a worker whose main loop stops answering for that long is restarted.
- ``keepalive = 5``: how long an idle kept-alive connection is held open.
- ``control_socket_disable = True``: the endpoint needs no runtime control socket (and two
  gunicorns of one user would otherwise share one socket path).
"""

from __future__ import annotations

import os

worker_class = "gthread"
threads = 32
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
preload_app = True
timeout = 30
graceful_timeout = 10
keepalive = 5
control_socket_disable = True  # nothing here needs runtime control (gunicorn 25.1 and later)
