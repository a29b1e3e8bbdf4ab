"""The endpoint for the load test, as gunicorn loads it: `gunicorn robust_load_wsgi:app`.

skill/web/wsgi.py turns every Alexa check on and takes nothing but ALEXA_SKILL_ID from the
environment, so requests could not be signed on loopback without a test PKI in every worker.
Here the checks of the signature and timestamp are off (the skill id check stays on); everything
else is the production app from `create_app`, the real skill included.
"""

from __future__ import annotations

import os

from skill.web.app import create_app

app = create_app(
    {
        "VERIFY_SIGNATURE": False,
        "VERIFY_TIMESTAMP": False,
        "ALEXA_SKILL_ID": os.environ["ROBUST_SKILL_ID"],
    }
)
