"""Hypothesis strategies for malformed, truncated, oversized, wrongly typed and unexpected input."""

from __future__ import annotations

import json
from typing import Any

import robust_support as rs
from hypothesis import strategies as st

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)

JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def huge_strings(draw: st.DrawFn) -> str:
    """Long text, made cheaply: a drawn piece repeated to tens of kilobytes."""
    piece = draw(st.sampled_from(["a", "blood ", "\u00e9\u4e2d", "9", "\U0001f4a9", "<&>"]))
    return piece * draw(st.integers(min_value=1_000, max_value=40_000))


def slot_shapes() -> st.SearchStrategy[Any]:
    """Slots as Alexa never sends them: wrong types, wrong nesting, odd resolution codes."""
    resolution = st.fixed_dictionaries(
        {},
        optional={
            "status": st.fixed_dictionaries(
                {"code": st.sampled_from(["ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH", "X"])}
            )
            | JSON_VALUES,
            "values": st.lists(
                st.fixed_dictionaries(
                    {
                        "value": JSON_VALUES
                        | st.fixed_dictionaries(
                            {}, optional={"id": JSON_VALUES, "name": JSON_VALUES}
                        )
                    }
                ),
                max_size=2,
            )
            | JSON_VALUES,
        },
    )
    return (
        st.fixed_dictionaries(
            {},
            optional={
                "name": JSON_VALUES,
                "value": JSON_VALUES | huge_strings(),
                "confirmationStatus": st.sampled_from(["NONE", "DENIED", "bogus"]),
                "resolutions": st.fixed_dictionaries(
                    {"resolutionsPerAuthority": st.lists(resolution, max_size=2) | JSON_VALUES}
                )
                | JSON_VALUES,
            },
        )
        | JSON_VALUES
    )


REPLACEMENTS = JSON_VALUES | huge_strings() | slot_shapes()


@st.composite
def mutated_envelopes(draw: st.DrawFn) -> dict[str, Any]:
    """A real envelope of some kind with one to three parts deleted, retyped or truncated."""
    document: Any = draw(st.sampled_from(rs.base_envelopes()))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = rs.paths_of(document)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["delete", "replace", "replace", "truncate"]))
        value = draw(REPLACEMENTS) if action == "replace" else None
        document = rs.mutate(document, path, action, value)
    return document  # type: ignore[no-any-return]


@st.composite
def odd_slots(draw: st.DrawFn) -> dict[str, Any]:
    """A report whose slots have the wrong shapes, for known and unknown slot names."""
    names = st.sampled_from(["amount", "age", "weeks", "symptom", "context", "consent", "nope"])
    slots = draw(st.dictionaries(names | st.text(max_size=6), slot_shapes(), max_size=4))
    name = draw(st.sampled_from(["ReportIntent", "AnswerIntent", "AMAZON.YesIntent"]))
    request = rs.intent_request(name)
    request["intent"]["slots"] = slots
    attributes = draw(
        st.just(rs.MID_CONVERSATION) | st.dictionaries(st.text(max_size=8), JSON_VALUES)
    )
    return rs.envelope(request, attributes)


def envelopes() -> st.SearchStrategy[Any]:
    """Every kind of dict a handler may be given."""
    return (
        mutated_envelopes()
        | odd_slots()
        | st.sampled_from(rs.base_envelopes())
        | st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=6)
    )


NON_DICT_EVENTS = (
    st.none()
    | SCALARS
    | st.lists(JSON_VALUES, max_size=3)
    | st.binary(max_size=20)
    | st.sets(st.integers(), max_size=3)
    | st.tuples(st.integers())
)


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    """HTTP bodies: JSON envelopes, truncated or re-encoded, arbitrary bytes, oversized ones."""
    kind = draw(
        st.sampled_from(
            ["json", "json", "json", "truncated", "encoding", "bytes", "big", "value", "deep"]
        )
    )
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "value":
        return json.dumps(draw(JSON_VALUES)).encode()
    if kind == "deep":
        depth = draw(st.integers(min_value=2, max_value=1000))
        return json.dumps(rs.envelope(rs.launch_request(), rs.nested(depth))).encode()
    text = json.dumps(draw(envelopes()), ensure_ascii=draw(st.booleans()))
    if kind == "truncated":
        return text.encode()[: draw(st.integers(min_value=0, max_value=max(0, len(text) - 1)))]
    if kind == "encoding":
        marked = text.replace('"version"', '"v\u00e9rsion\u4e2d"', 1)
        codec = draw(st.sampled_from(["latin-1", "utf-16", "utf-32", "cp1252", "utf-8-sig"]))
        return marked.encode(codec, errors="replace")
    if kind == "big":
        padding = " " * draw(st.integers(min_value=128 * 1024, max_value=300 * 1024))
        return (text[:-1] + padding + "}").encode()
    return text.encode()
