"""Load the triage knowledge from YAML and validate all of it, once, at start-up.

Every problem is a KnowledgeError naming the file and the entry, so a broken file stops start-up
instead of surfacing mid-conversation.

YAML is parsed with libyaml (yaml.CSafeLoader) where PyYAML has it, else with its pure-Python
SafeLoader: the same data either way. Where the package folder holds a data snapshot
(skill/data_snapshot.json, written by write_snapshot() when the Lambda bundle is built; never in
the repository), read_yaml() takes each file's data from it instead, and needs no YAML parser.
Either way the data goes through the same validation.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from skill.core.conditions import parse_condition
from skill.core.model import (
    UNKNOWN,
    AdviceItem,
    Cause,
    Condition,
    FactSpec,
    FactValue,
    Implication,
    Knowledge,
    KnowledgeError,
    Level,
    LocalePolicy,
    Pointer,
    Question,
    Rule,
    SafetyNetItem,
    Source,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the `skill` package's folder
# The folder that holds the package: in a checkout, the repository (interaction_model/, tests/ and
# docs/ beside skill/); in an installed package, site-packages. Defined here only.
ROOT = PACKAGE_DIR.parent
KNOWLEDGE_DIR = PACKAGE_DIR / "knowledge"
CONTENT_DIR = PACKAGE_DIR / "content"
# The parsed data of every YAML file in the package, keyed by its path relative to PACKAGE_DIR
# (POSIX style, e.g. "knowledge/rules.yaml"). Only a built bundle has one: see write_snapshot().
SNAPSHOT_FILE = PACKAGE_DIR / "data_snapshot.json"
# A locale's folder under CONTENT_DIR (`en-GB`); a language's folder (`en`) holds shared words only.
LOCALE_PATTERN = re.compile(r"^[a-z]{2}-[A-Z]{2}$")


def display_path(path: Path) -> str:
    """A file's path as a maintainer would look for it: relative to the package's folder."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; a syntax error names the file and the line.

    With a data snapshot beside the package, a file the snapshot holds is taken from it (a fresh
    copy each time, as parsing would give); any other file is parsed as YAML.
    """
    snapshot = _snapshot()
    if snapshot is not None:
        try:
            key = path.resolve().relative_to(PACKAGE_DIR).as_posix()
        except ValueError:  # outside the package (a test's own files): not in the snapshot
            key = None
        if key is not None and key in snapshot:
            return _copy(snapshot[key])
    return parse_yaml(path)


def data_file_exists(path: Path) -> bool:
    """Whether read_yaml(path) finds a file: in the data snapshot, or on disk."""
    snapshot = _snapshot()
    if snapshot is not None:
        try:
            if path.resolve().relative_to(PACKAGE_DIR).as_posix() in snapshot:
                return True
        except ValueError:
            pass
    return path.is_file()


def parse_yaml(path: Path) -> Any:
    """Parse one YAML file with PyYAML (never the snapshot); errors name the file and the line."""
    import yaml  # here, not at the top: with a snapshot, a cold start never imports PyYAML

    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=loader)  # a safe loader, C or Python
    except FileNotFoundError:
        raise KnowledgeError(display_path(path), "-", "file is missing") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "-"
        raise KnowledgeError(display_path(path), where, f"not valid YAML ({error})") from None


# SNAPSHOT_FILE's data once per process (None: there is none), keyed by the file's path so that a
# test pointing SNAPSHOT_FILE elsewhere gets that file's data.
_snapshots: dict[Path, Mapping[str, Any] | None] = {}
_snapshot_lock = threading.Lock()


def _snapshot() -> Mapping[str, Any] | None:
    path = SNAPSHOT_FILE
    try:
        return _snapshots[path]
    except KeyError:
        pass
    with _snapshot_lock:
        if path not in _snapshots:
            _snapshots[path] = _read_snapshot(path)
        return _snapshots[path]


def _read_snapshot(path: Path) -> Mapping[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None  # the repository's case: everything is read from YAML
    except (OSError, UnicodeDecodeError) as error:
        message = f"cannot read the data snapshot ({error})"
        raise KnowledgeError(display_path(path), "-", message) from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise KnowledgeError(display_path(path), "-", f"not valid JSON ({error})") from None
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        raise KnowledgeError(
            display_path(path), "-", "expected a mapping of file paths to their data"
        )
    return data


def _copy(node: Any) -> Any:
    """A fresh copy of JSON data (dicts and lists; the rest is immutable)."""
    if type(node) is dict:
        return {key: _copy(value) for key, value in node.items()}
    if type(node) is list:
        return [_copy(value) for value in node]
    return node


def write_snapshot(package_dir: Path, out: Path) -> int:
    """Parse every *.yaml file under package_dir and write their data to `out` as one JSON file.

    Keys are the files' paths relative to package_dir, POSIX style ("knowledge/rules.yaml").
    The data must survive JSON unchanged: a mapping key that is not a string (say an unquoted
    `yes:`, which YAML reads as true) or a value JSON cannot hold (a date, a set, NaN) raises a
    KnowledgeError naming the file and the entry. Returns the number of files written.
    """
    snapshot: dict[str, Any] = {}
    for path in sorted(package_dir.rglob("*.yaml")):
        data = parse_yaml(path)
        _check_json_data(data, display_path(path), "")
        snapshot[path.relative_to(package_dir).as_posix()] = data
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, allow_nan=False)
    out.write_text(text, encoding="utf-8")
    return len(snapshot)


def _check_json_data(node: Any, file: str, where: str) -> None:
    """Raise unless `node` reads back from JSON exactly as it is."""
    entry = where or "-"
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str):
                raise KnowledgeError(
                    file,
                    f"{where}.{key!r}" if where else repr(key),
                    f"a mapping key must be a string, not {type(key).__name__} {key!r} "
                    "(quote it in the YAML): JSON would turn it into a string",
                )
            _check_json_data(value, file, f"{where}.{key}" if where else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_json_data(value, file, f"{where}[{index}]")
    elif isinstance(node, float):
        if not math.isfinite(node):
            raise KnowledgeError(file, entry, f"{node!r} cannot be written as JSON")
    elif node is not None and not isinstance(node, str | bool | int):
        raise KnowledgeError(
            file, entry, f"a {type(node).__name__} value ({node!r}) cannot be written as JSON"
        )


class _File:
    """One YAML file being read: its section, and errors that name it."""

    def __init__(self, path: Path, section: str) -> None:
        self.name = display_path(path)
        data = read_yaml(path)
        if not isinstance(data, Mapping) or section not in data:
            raise KnowledgeError(self.name, "-", f"expected a top-level '{section}' key")
        self.data = data
        self.section = data[section]

    def error(self, entry: str, message: str) -> KnowledgeError:
        return KnowledgeError(self.name, entry, message)

    def failer(self, entry: str) -> Callable[[str], Exception]:
        return lambda message: self.error(entry, message)

    def entries(self) -> list[tuple[str, Mapping[str, Any]]]:
        """The section's list of mappings, each with an `id`, checked for duplicates."""
        if not isinstance(self.section, list):
            raise self.error("-", "expected a list of entries")
        seen: set[str] = set()
        out = []
        for index, entry in enumerate(self.section):
            if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str):
                raise self.error(f"entry {index + 1}", "every entry needs a string 'id'")
            if entry["id"] in seen:
                raise self.error(entry["id"], "duplicate id")
            seen.add(entry["id"])
            out.append((entry["id"], entry))
        return out


def load_knowledge(
    knowledge_dir: Path = KNOWLEDGE_DIR, content_dir: Path = CONTENT_DIR
) -> Knowledge:
    facts = _load_facts(_File(knowledge_dir / "facts.yaml", "facts"))
    sources = _load_sources(_File(knowledge_dir / "sources.yaml", "sources"))
    causes = _load_causes(_File(knowledge_dir / "causes.yaml", "causes"), facts, sources)
    advice = _load_advice(_File(knowledge_dir / "advice.yaml", "advice"), sources)
    rules = _load_rules(
        _File(knowledge_dir / "rules.yaml", "rules"), facts, sources, causes, advice
    )
    implications = _load_implications(
        _File(knowledge_dir / "implications.yaml", "implications"), facts, sources
    )
    safety_net = _load_safety_net(
        _File(knowledge_dir / "safety_net.yaml", "safety_net"), facts, sources
    )
    questions = _load_questions(_File(knowledge_dir / "questions.yaml", "questions"), facts)
    policies = _load_policies(content_dir)
    return Knowledge(
        facts=facts,
        implications=implications,
        rules=rules,
        causes=causes,
        advice=advice,
        safety_net=safety_net,
        questions=questions,
        sources=sources,
        policies=policies,
    )


def _load_facts(file: _File) -> dict[str, FactSpec]:
    if not isinstance(file.section, Mapping):
        raise file.error("-", "expected a mapping of fact names")
    facts: dict[str, FactSpec] = {}
    for name, raw in file.section.items():
        if not isinstance(raw, Mapping) or "kind" not in raw:
            raise file.error(name, "every fact needs a 'kind'")
        if raw["kind"] == "number":
            facts[name] = FactSpec(name, "number", minimum=raw.get("min"), maximum=raw.get("max"))
            continue
        if raw.get("flag"):
            # Flags: the reassuring answer first, "unknown" in between.
            reassuring = bool(raw.get("reassuring", False))
            order: tuple[FactValue, ...] = (reassuring, UNKNOWN, not reassuring)
        else:
            values = raw.get("order")
            if not isinstance(values, list) or len(values) < 2:
                raise file.error(name, "needs 'flag: true' or an 'order' of at least two values")
            if len(set(values)) != len(values):
                raise file.error(name, "a value appears twice in 'order'")
            order = tuple(values)
        facts[name] = FactSpec(name, str(raw["kind"]), order=order)
    return facts


SOURCE_KINDS = ("reference", "helpline")
SOURCE_KEYS = {"title", "url", "canonical", "kind", "read_via", "also", "region"}


def _load_sources(file: _File) -> dict[str, Source]:
    """Sources: `canonical: true` only for the publisher's own current page over https;
    `kind: helpline` for a support or advice service; `read_via` and `also` keep provenance (the
    copies a page was read through, other addresses of the same material)."""
    if not isinstance(file.section, Mapping):
        raise file.error("-", "expected a mapping of source ids")
    sources = {}
    for source_id, raw in file.section.items():
        entry = str(source_id)
        if not isinstance(raw, Mapping) or not raw.get("title") or not raw.get("url"):
            raise file.error(entry, "a source needs a 'title' and a 'url'")
        unknown = sorted(set(raw) - SOURCE_KEYS)
        if unknown:
            raise file.error(entry, f"unknown key '{unknown[0]}'")
        for url in [
            raw["url"],
            *_url_list(file, entry, raw, "read_via"),
            *_url_list(file, entry, raw, "also"),
        ]:
            if not str(url).startswith(("http://", "https://")):
                raise file.error(entry, f"the url must be http(s), not {url!r}")
        canonical = raw.get("canonical", False)
        if not isinstance(canonical, bool):
            raise file.error(entry, "'canonical' must be true or false")
        if canonical and not str(raw["url"]).startswith("https://"):
            raise file.error(entry, "a canonical source must be served over https")
        kind = raw.get("kind", "reference")
        if kind not in SOURCE_KINDS:
            raise file.error(entry, f"unknown kind {kind!r} (expected one of {SOURCE_KINDS})")
        region = raw.get("region")
        if region is not None and not (isinstance(region, str) and region.isupper()):
            raise file.error(entry, f"'region' must be a market code such as GB, not {region!r}")
        sources[entry] = Source(
            entry, str(raw["title"]), str(raw["url"]), canonical, str(kind), region
        )
    return sources


def _url_list(file: _File, entry: str, raw: Mapping[str, Any], key: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise file.error(entry, f"'{key}' must be a list of web addresses")
    return value


def _source_ids(
    file: _File, entry_id: str, raw: Mapping[str, Any], sources: Mapping[str, Source]
) -> tuple[str, ...]:
    ids = raw.get("sources")
    if not isinstance(ids, list) or not ids:
        raise file.error(entry_id, "must name at least one source")
    for source_id in ids:
        if source_id not in sources:
            raise file.error(entry_id, f"names a missing source '{source_id}'")
    return tuple(ids)


def _shown(
    file: _File,
    entry_id: str,
    raw: Mapping[str, Any],
    own: tuple[str, ...],
    sources: Mapping[str, Source],
) -> tuple[str, ...]:
    """The sources an entry lets a person see (`show`): each one of the entry's own sources, the
    publisher's canonical page, over https. Anything else stops loading, naming file and entry."""
    ids = raw.get("show", [])
    if not isinstance(ids, list):
        raise file.error(entry_id, "'show' must be a list of source ids")
    for source_id in ids:
        if source_id not in own:
            raise file.error(entry_id, f"shows '{source_id}', which is not one of its sources")
        source = sources[source_id]
        if not source.canonical:
            raise file.error(
                entry_id,
                f"shows '{source_id}' to a person, but it is not marked canonical "
                "(a mirror, copy, snapshot, forum or news item stays provenance)",
            )
        if not source.url.startswith("https://"):
            raise file.error(entry_id, f"shows '{source_id}', which is not served over https")
    if len(set(ids)) != len(ids):
        raise file.error(entry_id, "'show' names a source twice")
    return tuple(ids)


def _optional_condition(
    file: _File, entry_id: str, raw: Any, facts: Mapping[str, FactSpec]
) -> Condition | None:
    return None if raw is None else parse_condition(raw, facts, file.failer(entry_id))


def _load_causes(
    file: _File, facts: Mapping[str, FactSpec], sources: Mapping[str, Source]
) -> dict[str, Cause]:
    causes = {}
    for cause_id, raw in file.entries():
        pointers = []
        for index, pointer in enumerate(raw.get("points_to") or []):
            if not isinstance(pointer, Mapping) or "id" not in pointer or "when" not in pointer:
                raise file.error(cause_id, f"points_to entry {index + 1} needs 'id' and 'when'")
            when = parse_condition(
                pointer["when"], facts, file.failer(f"{cause_id}.{pointer['id']}")
            )
            pointers.append(Pointer(str(pointer["id"]), when))
        unless = _optional_condition(file, cause_id, raw.get("unless"), facts)
        causes[cause_id] = Cause(
            cause_id, tuple(pointers), unless, _source_ids(file, cause_id, raw, sources)
        )
    return causes


def _load_advice(file: _File, sources: Mapping[str, Source]) -> dict[str, AdviceItem]:
    advice = {}
    for advice_id, raw in file.entries():
        own = _source_ids(file, advice_id, raw, sources)
        advice[advice_id] = AdviceItem(
            advice_id,
            own,
            spoken=raw.get("spoken", True) is not False,
            always_spoken=raw.get("spoken") == "always",
            show=_shown(file, advice_id, raw, own, sources),
            on_card=raw.get("card", True) is not False,
        )
    return advice


def _level(file: _File, entry_id: str, raw: Any) -> Level:
    try:
        return Level.from_id(str(raw))
    except KeyError:
        raise file.error(entry_id, f"unknown level {raw!r}") from None


def _load_rules(
    file: _File,
    facts: Mapping[str, FactSpec],
    sources: Mapping[str, Source],
    causes: Mapping[str, Cause],
    advice: Mapping[str, AdviceItem],
) -> tuple[Rule, ...]:
    default_id = file.data.get("default_rule")
    uncertain_id = file.data.get("uncertain_emergency_rule")
    rules = []
    for rule_id, raw in file.entries():
        level = _level(file, rule_id, raw.get("level"))
        for cause_id in raw.get("causes") or []:
            if cause_id not in causes:
                raise file.error(rule_id, f"points at a missing cause '{cause_id}'")
        advice_ids = raw.get("advice")
        if not isinstance(advice_ids, list) or not advice_ids:
            raise file.error(rule_id, "must give at least one advice item")
        for advice_id in advice_ids:
            if advice_id not in advice:
                raise file.error(rule_id, f"points at a missing advice item '{advice_id}'")
        unsure = raw.get("advice_if_unsure")
        if unsure is not None:
            if not isinstance(unsure, list) or not unsure:
                raise file.error(rule_id, "'advice_if_unsure' must be a non-empty list")
            for advice_id in unsure:
                if advice_id not in advice:
                    raise file.error(rule_id, f"points at a missing advice item '{advice_id}'")
        decision = raw.get("decision")  # words for the clinician review pack, not used here
        if decision is not None and (not isinstance(decision, str) or not decision.strip()):
            raise file.error(rule_id, "'decision' must be a text")
        kind, when = _rule_kind(file, rule_id, raw, facts, default_id, uncertain_id)
        own = _source_ids(file, rule_id, raw, sources)
        rule = Rule(
            id=rule_id,
            level=level,
            when=when,
            kind=kind,
            causes=tuple(raw.get("causes") or ()),
            advice=tuple(advice_ids),
            sources=own,
            material=bool(raw.get("material", False)),
            keep_in_emergency=bool(raw.get("keep_in_emergency", False)),
            covered_by=tuple(raw.get("covered_by") or ()),
            show=_shown(file, rule_id, raw, own, sources),
            advice_if_unsure=None if unsure is None else tuple(unsure),
        )
        rules.append(rule)
    by_id = {rule.id: rule for rule in rules}
    for rule in rules:
        for covering_id in rule.covered_by:
            if covering_id not in by_id:
                raise file.error(rule.id, f"covered_by names a missing rule '{covering_id}'")
        _check_conservative(file, rule, facts, by_id)
    ids = set(by_id)
    for key, named in (("default_rule", default_id), ("uncertain_emergency_rule", uncertain_id)):
        if named not in ids:
            raise file.error(key, f"names a missing rule '{named}'")
    return tuple(rules)


def _rule_kind(
    file: _File,
    rule_id: str,
    raw: Mapping[str, Any],
    facts: Mapping[str, FactSpec],
    default_id: Any,
    uncertain_id: Any,
) -> tuple[str, Condition | None]:
    when = raw.get("when")
    if rule_id == default_id:
        if when != "default":
            raise file.error(rule_id, "the default rule must say 'when: default'")
        return "default", None
    if rule_id == uncertain_id:
        if when != "uncertain":
            raise file.error(rule_id, "the uncertain-red-flag rule must say 'when: uncertain'")
        return "uncertain", None
    condition = parse_condition(when, facts, file.failer(rule_id))
    return ("benign" if raw.get("benign") else "concern"), condition


def _covered(
    rule: Rule,
    fact: str,
    known: list[FactValue],
    expected: range,
    rules: Mapping[str, Rule],
) -> bool:
    """True if the values this rule leaves out are caught by a rule it names as covering them.

    U2 (possible pregnancy) leaves "yes" to U1 (pregnancy), which is at least as serious.
    """
    for covering_id in rule.covered_by:
        covering = rules.get(covering_id)
        if covering is None or covering.level < rule.level or covering.when is None:
            continue
        if covering.when.op == "leaf" and covering.when.fact == fact:
            tested = {v for leaf in rule.when.leaves() if leaf.fact == fact for v in leaf.values}  # type: ignore[union-attr]
            missing = {known[i] for i in expected} - tested
            if missing <= covering.when.values:
                return True
    return False


def _check_conservative(
    file: _File, rule: Rule, facts: Mapping[str, FactSpec], raw_rules: Mapping[str, Rule]
) -> None:
    """A worse value must never stop a concern rule firing, nor make a benign rule fire.

    So each value list a concern rule tests must be closed upwards in the fact's order, and each a
    benign rule tests closed downwards. Numbers are tested with `min`, which is closed upwards.
    """
    if rule.when is None:
        return
    for leaf in rule.when.leaves():
        spec = facts[leaf.fact]
        if spec.is_number:
            if rule.kind == "benign":
                raise file.error(rule.id, f"a benign rule cannot require a minimum '{leaf.fact}'")
            continue
        # "unknown" is left out: a test that does not list it is uncertain on it, never false.
        known = [value for value in spec.order if value != UNKNOWN]
        ranks = sorted(known.index(value) for value in leaf.values if value != UNKNOWN)
        if not ranks:
            continue
        top = len(known) - 1
        expected = range(ranks[0], top + 1) if rule.kind == "concern" else range(0, ranks[-1] + 1)
        # A trigger's order runs from the explaining reading to the least explaining one, which
        # is what a benign rule reads. A concern rule may read it the other way round: rough sex
        # explains a few drops (C1) and, with bleeding that goes on, points to a tear (E6). So a
        # concern rule's test on a trigger is closed in either direction (and "unknown" is still
        # required of an emergency rule, below).
        if (
            rule.kind == "concern"
            and spec.kind == "trigger"
            and ranks == list(range(0, ranks[-1] + 1))
        ):
            expected = range(0, ranks[-1] + 1)
        if ranks != list(expected) and not _covered(rule, leaf.fact, known, expected, raw_rules):
            direction = "worse" if rule.kind == "concern" else "more reassuring"
            raise file.error(
                rule.id,
                f"tests '{leaf.fact}' on {sorted(map(str, leaf.values))} but not on every "
                f"{direction} value: a worse answer could lower the level",
            )
        # An uncertain emergency test only reaches the uncertain-red-flag rule (urgent), so an
        # emergency rule that fires on a value ranked below "unknown" must fire on "unknown" too.
        if (
            rule.kind == "concern"
            and rule.level is Level.EMERGENCY
            and UNKNOWN in spec.order
            and UNKNOWN not in leaf.values
            and any(spec.rank(v) < spec.rank(UNKNOWN) for v in leaf.values)
        ):
            raise file.error(
                rule.id,
                f"tests '{leaf.fact}' on {sorted(map(str, leaf.values))} but not on 'unknown', "
                f"which ranks above one of them: an unknown answer could lower the level",
            )


def _load_implications(
    file: _File, facts: Mapping[str, FactSpec], sources: Mapping[str, Source]
) -> tuple[Implication, ...]:
    out = []
    for implication_id, raw in file.entries():
        when = parse_condition(raw.get("when"), facts, file.failer(implication_id))
        fill = _fact_values(file, implication_id, raw.get("fill") or {}, facts)
        raise_to = _fact_values(file, implication_id, raw.get("raise") or {}, facts)
        if not fill and not raise_to:
            raise file.error(implication_id, "needs 'fill' or 'raise'")
        out.append(
            Implication(
                implication_id,
                when,
                fill,
                raise_to,
                bool(raw.get("settles", False)),
                _source_ids(file, implication_id, raw, sources),
            )
        )
    return tuple(out)


def _fact_values(
    file: _File, entry_id: str, raw: Any, facts: Mapping[str, FactSpec]
) -> dict[str, FactValue]:
    if not isinstance(raw, Mapping):
        raise file.error(entry_id, "expected a mapping of facts to values")
    for name, value in raw.items():
        if name not in facts:
            raise file.error(entry_id, f"unknown fact '{name}'")
        if value not in facts[name].values:
            raise file.error(entry_id, f"fact '{name}' has no value {value!r}")
    return dict(raw)


def _load_safety_net(
    file: _File, facts: Mapping[str, FactSpec], sources: Mapping[str, Source]
) -> tuple[SafetyNetItem, ...]:
    return tuple(
        SafetyNetItem(
            item_id,
            _level(file, item_id, raw.get("escalates_to")),
            _optional_condition(file, item_id, raw.get("when"), facts),
            _source_ids(file, item_id, raw, sources),
        )
        for item_id, raw in file.entries()
    )


def _load_questions(file: _File, facts: Mapping[str, FactSpec]) -> tuple[Question, ...]:
    questions = []
    for question_id, raw in file.entries():
        if question_id not in facts:
            raise file.error(question_id, "a question's id must be the fact it asks about")
        answers: dict[str, FactValue | None] = {}
        for key in ("yes", "no", "unknown"):
            value = raw.get(key)
            if value is not None and value not in facts[question_id].values:
                raise file.error(
                    question_id, f"'{key}' gives '{question_id}' an unknown value {value!r}"
                )
            answers[key] = value
        early_before, early_when = _early(file, question_id, raw.get("early"), facts)
        questions.append(
            Question(
                question_id,
                answers["yes"],
                answers["no"],
                answers["unknown"],
                _optional_condition(file, question_id, raw.get("ask_when"), facts),
                early_before,
                early_when,
            )
        )
    order = [question.id for question in questions]
    for question in questions:
        if question.early_before is None:
            continue
        if question.early_before not in order:
            raise file.error(
                question.id, f"'early.before' names a missing question '{question.early_before}'"
            )
        if order.index(question.early_before) > order.index(question.id):
            raise file.error(
                question.id,
                f"'early.before' names '{question.early_before}', which is asked later anyway",
            )
    return tuple(questions)


def _early(
    file: _File, question_id: str, raw: Any, facts: Mapping[str, FactSpec]
) -> tuple[str | None, Condition | None]:
    if raw is None:
        return None, None
    if not isinstance(raw, Mapping) or set(raw) != {"before", "when"}:
        raise file.error(question_id, "'early' needs exactly 'before' (a question) and 'when'")
    return str(raw["before"]), parse_condition(raw["when"], facts, file.failer(question_id))


def _load_policies(content_dir: Path) -> dict[str, LocalePolicy]:
    """Each locale's clinical policy, from content/<locale>/locale.yaml."""
    policies = {}
    locale_dirs = (p for p in content_dir.iterdir() if p.is_dir() and LOCALE_PATTERN.match(p.name))
    for locale_dir in sorted(locale_dirs):
        file = _File(locale_dir / "locale.yaml", "policy")
        raw = file.section or {}
        if not isinstance(raw, Mapping):
            raise file.error("policy", "expected a mapping")
        unknown = set(raw) - {"benign_level", "region"}
        if unknown:
            raise file.error("policy", f"unknown setting '{sorted(unknown)[0]}'")
        level = _level(file, "policy.benign_level", raw.get("benign_level", "self_care"))
        region = raw.get("region")
        if region is not None and not (isinstance(region, str) and region.isupper()):
            raise file.error("policy.region", f"must be a market code such as GB, not {region!r}")
        policies[locale_dir.name] = LocalePolicy(benign_level=level, region=region)
    return policies
