"""The app the gunicorn tests serve, under the committed config (skill.web.gunicorn_conf).

skill.web.wsgi downloads chains from Amazon and trusts only the system's roots, so requests signed
by the test CA could not pass it. This is the same app with the same start-up rule for the skill
id, but with the test CA trusted and chains read from its cert dir (WEB_TEST_CERT_DIR and
WEB_TEST_ROOT): every check is on, the real skill answers.
"""

from __future__ import annotations

import os

from skill.web.app import create_app
from skill.web.startup import skill_id_from_environment

app = create_app(
    {
        "ALEXA_SKILL_ID": skill_id_from_environment(os.environ),
        "CERT_DIR": os.environ["WEB_TEST_CERT_DIR"],
        "TRUST_ROOTS": [os.environ["WEB_TEST_ROOT"]],
    }
)
