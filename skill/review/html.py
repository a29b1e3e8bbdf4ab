"""A few lines of safe HTML: text is escaped unless it is already `Markup`.

The pages are written as polyglot HTML5 (well-formed XML as well), so the pack's own check can
parse them strictly: void elements close themselves, and only XML's five escapes are used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

__all__ = ["VOID", "Markup", "breakable", "el", "join", "text"]


class Markup(str):
    """HTML that is already safe: never escaped again."""

    __slots__ = ()


VOID = frozenset({"br", "hr", "img", "link", "meta", "col", "wbr"})


def text(value: object) -> Markup:
    """A value as escaped text (Markup is kept as it is)."""
    if isinstance(value, Markup):
        return value
    return Markup(escape(str(value), quote=True))


def join(children: object) -> Markup:
    """Children as one piece of HTML: None is nothing, a list is its items in order."""
    if children is None:
        return Markup("")
    if isinstance(children, str | int | float):
        return text(children)
    if isinstance(children, Iterable):
        return Markup("".join(join(child) for child in children))
    return text(children)


def el(tag: str, *children: object, **attributes: object) -> Markup:
    """`<tag attributes>children</tag>`. An attribute of value None or False is left out, True is
    written as its own name; a trailing underscore is dropped (`class_`), other underscores become
    hyphens (`aria_label`)."""
    parts = [tag]
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        key = name.rstrip("_").replace("_", "-")
        parts.append(f'{key}="{text(key if value is True else value)}"')
    opening = " ".join(parts)
    if tag in VOID:
        return Markup(f"<{opening}/>")
    return Markup(f"<{opening}>{join(children)}</{tag}>")


def breakable(value: str) -> Markup:
    """An identifier or path as text that may wrap after `_`, `.`, `/` and `:` (a `wbr` there),
    so a long one fits a narrow column without breaking words elsewhere."""
    parts = [text(part) for part in re.split(r"(?<=[_./:])", value)]
    return Markup("<wbr/>".join(parts))
