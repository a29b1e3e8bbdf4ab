"""Words as a speaker hears them: normalising typed text, spelled-out numbers, SSML back to text.

Both sides of a match go through `normalise`: the model's samples and values, and what the person
typed. Case, punctuation and contractions ("i'm", "im", "I am") then no longer matter.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "FILLERS",
    "SOFT_FILLERS",
    "Utterance",
    "is_filler",
    "normalise",
    "number_value",
    "ssml_to_text",
    "utterance",
    "words_of",
]

# Always noise, wherever they stand.
FILLERS = frozenset(
    {"um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "hm", "ah", "eh", "alexa"}
)
# Usually noise ("it was, like, a lot"), sometimes part of a phrase ("like a period"): the matcher
# tries the utterance with and without them.
SOFT_FILLERS = frozenset({"like", "so", "well", "just", "actually", "basically", "please", "okay"})
SOFT_PAIRS = frozenset({("you", "know"), ("kind", "of"), ("sort", "of"), ("i", "mean")})

_WHOLE_WORDS = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "ain't": "is not",
    "let's": "let us",
}
# Contractions typed without their apostrophe. Only words that are not also ordinary words.
_NO_APOSTROPHE = {
    "im": "i am",
    "ive": "i have",
    "dont": "do not",
    "didnt": "did not",
    "doesnt": "does not",
    "cant": "can not",
    "wont": "will not",
    "isnt": "is not",
    "wasnt": "was not",
    "hasnt": "has not",
    "havent": "have not",
    "hadnt": "had not",
    "wouldnt": "would not",
    "couldnt": "could not",
    "shouldnt": "should not",
    "arent": "are not",
    "werent": "were not",
    "thats": "that is",
    "theres": "there is",
    "whats": "what is",
    "its": "it is",
    "theyre": "they are",
    "youre": "you are",
    "weve": "we have",
    "theyve": "they have",
    "youve": "you have",
}
_IS_AFTER = frozenset({"it", "there", "that", "he", "she", "what", "who", "where", "here", "how"})
_SUFFIXES = (("n't", " not"), ("'m", " am"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"))
_SUFFIXES_D = ("'d", " would")

_ABBREVIATION = re.compile(r"\b(?:[a-z]\.){2,}")
_NOT_WORD = re.compile(r"[^a-z0-9']+")
_TAG = re.compile(r"<[^>]+>")

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
NUMBER_WORDS = frozenset({*_UNITS, *_TENS, "hundred"})


def _expand(word: str) -> str:
    """One typed word as one or more canonical words ("i'm" -> "i am")."""
    word = word.strip("'")
    if word in _WHOLE_WORDS:
        return _WHOLE_WORDS[word]
    if word in _NO_APOSTROPHE:
        return _NO_APOSTROPHE[word]
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)] + replacement
    if word.endswith(_SUFFIXES_D[0]) and len(word) > 2:
        return word[:-2] + _SUFFIXES_D[1]
    if word.endswith("'s") and word[:-2] in _IS_AFTER:
        return word[:-2] + " is"
    return word


def words_of(text: str) -> list[str]:
    """The typed words: lower case, curly apostrophes straightened, "i.u.d." as "iud",
    other punctuation dropped. Contractions are kept as typed."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = _ABBREVIATION.sub(lambda match: match.group(0).replace(".", ""), text)
    return [word.strip("'") for word in _NOT_WORD.sub(" ", text).split() if word.strip("'")]


@dataclass(frozen=True)
class Utterance:
    """Canonical words, each remembering which typed word it came from."""

    tokens: tuple[str, ...]
    origins: tuple[int, ...]  # index into `spoken` for each token
    spoken: tuple[str, ...]  # the typed words, as `words_of` gives them

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    def starts(self) -> list[int]:
        """Character offset in `text` where each token starts."""
        offsets, position = [], 0
        for token in self.tokens:
            offsets.append(position)
            position += len(token) + 1
        return offsets

    def spoken_span(self, first: int, last: int) -> str:
        """The typed words behind tokens first..last (inclusive)."""
        return " ".join(self.spoken[self.origins[first] : self.origins[last] + 1])

    def without(self, drop: Iterable[int]) -> Utterance:
        dropped = set(drop)
        keep = [i for i in range(len(self.tokens)) if i not in dropped]
        return Utterance(
            tuple(self.tokens[i] for i in keep), tuple(self.origins[i] for i in keep), self.spoken
        )

    def filler_positions(self, *, soft: bool) -> list[int]:
        noise = FILLERS | SOFT_FILLERS if soft else FILLERS
        found = [i for i, token in enumerate(self.tokens) if token in noise]
        if soft:
            for i, pair in enumerate(zip(self.tokens, self.tokens[1:], strict=False)):
                if pair in SOFT_PAIRS:
                    found += [i, i + 1]
        return sorted(set(found))


def utterance(text: str) -> Utterance:
    spoken = words_of(text)
    tokens: list[str] = []
    origins: list[int] = []
    for index, word in enumerate(spoken):
        for part in _expand(word).split():
            tokens.append(part)
            origins.append(index)
    return Utterance(tuple(tokens), tuple(origins), tuple(spoken))


def normalise(text: str) -> str:
    """The canonical form both samples and typed text are compared in."""
    return utterance(text).text


def is_filler(token: str) -> bool:
    return token in FILLERS or token in SOFT_FILLERS


def number_value(words: Sequence[str]) -> int | None:
    """ "35", "thirty five", "one hundred twenty" -> the number; None if not a number."""
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    total, current = 0, 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        else:
            return None
    total += current
    return total if words else None


def ssml_to_text(ssml: str) -> str:
    """What a person hears, as text: tags dropped, entities unescaped, spaces tidied."""
    text = _TAG.sub(" ", ssml)
    return " ".join(html.unescape(text).split())
