"""What the stock SDK path spends a request on, stage by stage, with the bare do-nothing skill.

``SkillBuilder.lambda_handler()`` builds a new CustomSkill for every request, re-encodes the
event dict it was given with ``json.dumps``, parses that text again inside
``DefaultSerializer.deserialize``, turns the result into ask_sdk_model objects, invokes the skill,
and serialises the response. Each stage is timed alone here, in interleaved rounds, for each
case's envelope. For comparison, the step our entry takes instead of the middle three: the same
model objects built straight from the dict (``skill.alexa.entry.envelope_from_dict``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from bench.common import BARE_FILE, Case, load_module
from bench.timing import Summary, interleaved_rounds

_serializer = DefaultSerializer()
_to_model = _serializer._DefaultSerializer__deserialize  # type: ignore[attr-defined]  # dict -> model objects

STAGES = {
    "handler": "whole stock handler (bare skill)",
    "new_skill": "CustomSkill(...) built per request",
    "dumps": "json.dumps(event) (re-encoding the dict)",
    "loads": "json.loads (parsing it again)",
    "to_model": "dict → RequestEnvelope model objects",
    "invoke": "skill.invoke (do-nothing handler)",
    "serialize": "serialize the response envelope",
    "ours_to_model": "for comparison, ours: entry.envelope_from_dict (dict → the same objects)",
}
ENVELOPE_STAGES = ("dumps", "loads", "to_model")


@dataclass(frozen=True)
class Anatomy:
    case: Case
    stages: dict[str, Summary]  # microseconds per call

    @property
    def envelope_share(self) -> float:
        """Share of the whole stock handler spent getting from the event to model objects."""
        handler = self.stages["handler"].median
        return sum(self.stages[s].median for s in ENVELOPE_STAGES) / handler if handler else 0.0


def _per_call_us(fn: Callable[[], Any], calls: int) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter_ns()
        for _ in range(calls):
            fn()
        return (time.perf_counter_ns() - start) / calls / 1000

    return run


def measure(cases: list[Case], *, rounds: int, calls: int) -> list[Anatomy]:
    from skill.alexa.entry import envelope_from_dict

    module = load_module("bench_bare_anatomy", BARE_FILE)
    builder = module.skill_builder()
    handler = builder.lambda_handler()
    skill = builder.create()
    results = []
    for case in cases:
        event = json.loads(case.raw)
        text = json.dumps(event)
        parsed = json.loads(text)
        envelope = _to_model(parsed, RequestEnvelope)
        response = skill.invoke(request_envelope=envelope, context=None)
        stages: dict[str, Callable[[], Any]] = {
            "handler": lambda event=event: handler(event, None),
            "new_skill": lambda: CustomSkill(skill_configuration=builder.skill_configuration),
            "dumps": lambda event=event: json.dumps(event),
            "loads": lambda text=text: json.loads(text),
            "to_model": lambda parsed=parsed: _to_model(parsed, RequestEnvelope),
            "invoke": lambda envelope=envelope: skill.invoke(
                request_envelope=envelope, context=None
            ),
            "serialize": lambda response=response: _serializer.serialize(response),
            "ours_to_model": lambda parsed=parsed: envelope_from_dict(parsed),
        }
        figures = interleaved_rounds(
            {name: _per_call_us(fn, calls) for name, fn in stages.items()}, rounds=rounds
        )
        results.append(Anatomy(case, {name: Summary.of(v) for name, v in figures.items()}))
    return results
