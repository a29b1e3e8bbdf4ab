"""Words as Alexa transcribes them: typed text made canonical, numbers, SSML back to text.

Both sides of a match go through `canonical`: the model's samples and values, and what the person
typed. Case, punctuation, accents and typed shorthand ("im" for "i'm", "q" for "que") then no
longer matter. What counts as a filler, a contraction or a number word is the language's
(skill/simulator/language.py, one data file per language).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

from skill.simulator.language import Language

__all__ = [
    "canonical",
    "digits_for_numbers",
    "number_value",
    "ssml_to_text",
    "strip_fillers",
    "words_of",
]

_ABBREVIATION = re.compile(r"\b(?:[a-z]\.){2,}")
_NOT_WORD = re.compile(r"[^\w']+|_")
_TAG = re.compile(r"<[^>]+>")
# A word said in place of the written one: what a person hears is the alias.
_SUB = re.compile(r'<sub alias="([^"]*)">[^<]*</sub>')
# Tags that separate what they surround; the others (say-as, sub, effects) sit inside a sentence.
_BREAK = re.compile(r"<(?:break|p|/p|s|/s|speak|/speak)\b[^>]*>")


def words_of(text: str) -> list[str]:
    """The typed words: lower case, curly apostrophes straightened, "i.u.d." as "iud", other
    punctuation ("¿", "¡" too) dropped. Contractions and accents are kept as typed."""
    text = unicodedata.normalize("NFC", text).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = _ABBREVIATION.sub(lambda match: match.group(0).replace(".", ""), text)
    return [word.strip("'") for word in _NOT_WORD.sub(" ", text).split() if word.strip("'")]


def canonical(text: str, language: Language) -> list[str]:
    """Words in the form matching compares: folded, shorthand and contractions written out
    ("im", "i'm" -> "i am"), disfluencies gone."""
    words: list[str] = []
    for word in words_of(text):
        written = language.contractions.get(word, word)
        for part in written.split():
            for piece in _expanded(part, language).split():
                folded = language.fold(piece)
                if folded not in language.fillers:
                    words.append(folded)
    return words


def _expanded(word: str, language: Language) -> str:
    if word.endswith("'s") and word[:-2] in language.is_after:
        return f"{word[:-2]} is"
    for suffix, replacement in language.suffixes.items():
        if word.endswith(suffix) and len(word) > len(suffix):
            return f"{word[: -len(suffix)]} {replacement}"
    return word


def strip_fillers(words: Sequence[str], language: Language) -> list[str]:
    """Discourse markers at the very start or end ("so", "okay", "please") dropped: Alexa's NLU
    passes over them. Inside a sentence they stay (they may belong to it: "like a period")."""
    edges = sorted(
        {tuple(language.fold(w) for w in filler.split()) for filler in language.edge_fillers},
        key=len,
        reverse=True,
    )
    start, end = 0, len(words)
    moved = True
    while moved:
        moved = False
        for edge in edges:
            if end - start >= len(edge) and tuple(words[start : start + len(edge)]) == edge:
                start, moved = start + len(edge), True
            if end - start >= len(edge) and tuple(words[end - len(edge) : end]) == edge:
                end, moved = end - len(edge), True
    return list(words[start:end])


def number_value(words: Sequence[str], language: Language) -> int | None:
    """ "35", "thirty five", "one hundred twenty", "treinta y cinco" -> the number; None if the
    words are not a number."""
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    if not words or words[0] in language.joiners or words[-1] in language.joiners:
        return None
    current = 0
    for word in words:
        if word in language.units:
            current += language.units[word]
        elif word in language.multipliers:
            current = max(current, 1) * language.multipliers[word]
        elif word not in language.joiners:
            return None
    return current


def digits_for_numbers(words: Sequence[str], language: Language) -> list[str]:
    """Each run of number words as digits ("thirty five" -> "35"), as Alexa sends AMAZON.NUMBER."""
    out: list[str] = []
    index = 0
    numeric = language.number_words | language.joiners
    while index < len(words):
        if words[index] not in language.number_words:
            out.append(words[index])
            index += 1
            continue
        end = index
        while end < len(words) and words[end] in numeric:
            end += 1
        while end > index and words[end - 1] in language.joiners:
            end -= 1
        value = number_value(words[index:end], language)
        out.append(str(value) if value is not None else words[index])
        index = end if value is not None else index + 1
    return out


def ssml_to_text(ssml: str, *, written: bool = False) -> str:
    """What a person hears, as text: a sub's alias for its text, tags dropped (a break, sentence
    or paragraph as a space), entities unescaped, spaces tidied. `written`: a sub's own text
    (the number as the content files write it, "911") in place of its alias ("nine one one")."""
    text = ssml if written else _SUB.sub(r"\1", ssml)
    text = _TAG.sub("", _BREAK.sub(" ", text))
    return " ".join(html.unescape(text).split())
