"""Talk to the skill without a speaker: an offline conversation simulator and the model checks.

`Simulator(locale).say(text)` resolves typed text against `interaction_model/<locale>.json` into
the request envelope Alexa would send, sends it to the skill (in-process, or any `send` callable
such as `http_send(url)`), and returns a `Turn`: what a person would hear, and the session's facts,
question and level. `python -m skill chat` and `python -m skill check-model` are the commands.
"""

from skill.simulator.matcher import (
    SlotFill,
    Understood,
    is_sample_phrase,
    matcher_for,
    sample_intent,
)
from skill.simulator.session import Send, Simulator, SimulatorError, Turn, http_send, in_process

__all__ = [
    "Send",
    "Simulator",
    "SimulatorError",
    "SlotFill",
    "Turn",
    "Understood",
    "http_send",
    "in_process",
    "is_sample_phrase",
    "matcher_for",
    "sample_intent",
]
