"""AWS Lambda entry point (handler string: lambda_function.lambda_handler).

The same skill the Flask endpoint serves. With ALEXA_SKILL_ID set, the SDK rejects requests
for any other skill (the Lambda trigger should be restricted to that id too).
"""

import logging
import os

from skill.alexa import build_skill
from skill.alexa.entry import make_event_handler

logging.getLogger().setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())

lambda_handler = make_event_handler(build_skill(skill_id=os.environ.get("ALEXA_SKILL_ID") or None))
