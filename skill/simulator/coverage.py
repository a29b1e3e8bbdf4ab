"""`check-model --coverage`: how many held-out phrasings the models understand.

A phrasings file (tests/nlu/<locale>.yaml; the format is in docs/nlu.md) lists what people say,
where in the conversation they say it, and the intent and facts the words carry. Each phrasing is
said to the simulator in a session put in that place:

- `first`: right after "open <invocation name>";
- `answer:<question id>`: the session's attributes say that question is being asked (the skill's
  own State), and, for a question asked with Dialog.ElicitSlot, that slot is being elicited.

A phrasing is understood when the request reaches the expected intent (ReportIntent and
AnswerIntent count as one family) and its slots carry exactly the expected facts (read by the
skill's own skill.alexa.slots.read_slots, plus what the intent itself says: NotSafeIntent carries
safe_now false). For AMAZON.YesIntent, AMAZON.NoIntent and
DontKnowIntent only the intent is compared: the question decides what the answer means.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO

import yaml

from skill.core.loader import ROOT

__all__ = [
    "Phrasing",
    "Result",
    "facts_of_request",
    "load_phrasings",
    "measure",
    "share",
    "write_report",
]

FAMILY = frozenset({"ReportIntent", "AnswerIntent"})
# Facts an intent carries by itself, as the skill's handler adds them (NotSafeIntent: not safe).
INTENT_FACTS: Mapping[str, Mapping[str, Any]] = {"NotSafeIntent": {"safe_now": False}}
INTENT_ONLY = frozenset({"AMAZON.YesIntent", "AMAZON.NoIntent", "DontKnowIntent"})
DEFAULT_NLU_DIR = ROOT / "tests" / "nlu"


class PhrasingError(Exception):
    """A phrasings file is missing or malformed."""


@dataclass(frozen=True)
class Phrasing:
    say: str
    context: str
    intent: str
    facts: Mapping[str, Any]
    why: str = ""


@dataclass
class Result:
    locale: str
    total: int = 0
    misses: list[tuple[Phrasing, str, dict[str, Any]]] = field(default_factory=list)

    @property
    def understood(self) -> int:
        return self.total - len(self.misses)

    @property
    def share(self) -> float:
        return self.understood / self.total if self.total else 0.0


def load_phrasings(path: Path) -> tuple[str, list[Phrasing]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PhrasingError(f"{path}: no such phrasings file") from None
    except yaml.YAMLError as error:
        raise PhrasingError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(raw, Mapping) or not isinstance(raw.get("phrasings"), list):
        raise PhrasingError(f"{path}: needs 'locale' and a list of 'phrasings'")
    locale = raw.get("locale")
    if not isinstance(locale, str):
        raise PhrasingError(f"{path}: needs 'locale'")
    found = []
    for index, entry in enumerate(raw["phrasings"]):
        where = f"{path}: phrasings[{index}]"
        if not isinstance(entry, Mapping):
            raise PhrasingError(f"{where}: needs a mapping")
        say, context, intent = entry.get("say"), entry.get("context"), entry.get("intent")
        facts = entry.get("facts") or {}
        if not all(isinstance(v, str) and v for v in (say, context, intent)):
            raise PhrasingError(f"{where}: needs say, context and intent (quote yes and no)")
        assert isinstance(context, str)
        if context != "first" and not context.startswith("answer:"):
            raise PhrasingError(f"{where}: context is 'first' or 'answer:<question id>'")
        if not isinstance(facts, Mapping):
            raise PhrasingError(f"{where}: facts needs a mapping")
        found.append(
            Phrasing(str(say), context, str(intent), dict(facts), str(entry.get("why", "")))
        )
    return locale, found


def _namespace(node: Any) -> Any:
    if isinstance(node, Mapping):
        return SimpleNamespace(**{_snake(k): _namespace(v) for k, v in node.items()})
    if isinstance(node, list):
        return [_namespace(item) for item in node]
    return node


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def facts_of_request(request: Mapping[str, Any]) -> dict[str, Any]:
    """The facts a request carries: its slots, read as the skill reads them, and what its
    intent says by itself."""
    from skill.alexa.slots import read_slots

    intent = request.get("request", {}).get("intent") or {}
    slots = intent.get("slots") or {}
    found = dict(read_slots({name: _namespace(slot) for name, slot in slots.items()}).facts)
    return {**INTENT_FACTS.get(str(intent.get("name")), {}), **found}


def _said_in_place(simulator: Any, phrasing: Phrasing) -> Any:
    from skill.alexa.conversation import ASKING, State
    from skill.alexa.slots import elicited_slots
    from skill.simulator.envelopes import SessionInfo

    if phrasing.context == "first":
        simulator.say(f"open {simulator.matcher.model.invocation}")
    else:
        question = phrasing.context.removeprefix("answer:")
        state = State(stage=ASKING, asking=question)
        simulator.session = SessionInfo(
            skill_id=simulator.skill_id, new=False, attributes=state.to_attributes()
        )
        simulator.eliciting = elicited_slots().get(question)
    return simulator.say(phrasing.say)


def _same(wanted: Mapping[str, Any], got: Mapping[str, Any]) -> bool:
    return {k: _plain(v) for k, v in wanted.items()} == {k: _plain(v) for k, v in got.items()}


def _plain(value: Any) -> Any:
    return str(value).lower() if isinstance(value, bool) else str(value)


def measure(locale: str, phrasings: Sequence[Phrasing], model_dir: Path | None = None) -> Result:
    from skill.simulator.session import Simulator

    result = Result(locale, total=len(phrasings))
    for phrasing in phrasings:
        simulator = Simulator(locale, model_dir=model_dir)
        turn = _said_in_place(simulator, phrasing)
        got = facts_of_request(turn.request)
        same_intent = turn.intent == phrasing.intent or {turn.intent, phrasing.intent} <= FAMILY
        if not same_intent or (
            phrasing.intent not in INTENT_ONLY and not _same(phrasing.facts, got)
        ):
            result.misses.append((phrasing, turn.intent, got))
    return result


def share(locale: str, nlu_dir: Path = DEFAULT_NLU_DIR, model_dir: Path | None = None) -> float:
    """The share of tests/nlu/<locale>.yaml understood: one line for a threshold test."""
    file_locale, phrasings = load_phrasings(nlu_dir / f"{locale}.yaml")
    return measure(file_locale, phrasings, model_dir).share


def write_report(results: Sequence[Result], out: TextIO) -> None:
    for result in results:
        out.write(
            f"coverage {result.locale}: {result.understood}/{result.total} understood "
            f"({result.share:.1%})\n"
        )
        for phrasing, intent, facts in result.misses:
            out.write(
                f"  MISS [{phrasing.context}] {phrasing.say!r}: got {intent} {facts}, "
                f"expected {phrasing.intent} {dict(phrasing.facts)}\n"
            )
