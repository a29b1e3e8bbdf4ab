"""Words as a speaker hears them: normalising typed text, spelled-out numbers, SSML back to text.

Both sides of a match go through `normalise`: the model's samples and values, and what the person
typed. Case, punctuation, accents and contractions ("i'm", "im", "I am"; "sí", "si") then no longer
matter. What counts as a filler, a contraction or a number word depends on the language: each
`Language` holds its own, chosen by the language part of the locale (`language_for("es-US")`).
English is the default, so callers that name no language get what they always got.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "ENGLISH",
    "FILLERS",
    "LANGUAGES",
    "SOFT_FILLERS",
    "SPANISH",
    "Language",
    "Utterance",
    "is_filler",
    "language_for",
    "normalise",
    "number_value",
    "ssml_to_text",
    "utterance",
    "words_of",
]


@dataclass(frozen=True)
class Language:
    """How one language's typed words become canonical words.

    `fillers` are always noise; `soft_fillers` and `soft_pairs` usually are ("it was, like, a lot")
    but sometimes belong to a phrase ("like a period"), so the matcher tries both. `whole_words`
    rewrites a typed word (a contraction, a shorthand) as canonical words; `apostrophe_suffixes`
    turns on English's "-n't", "-'m", "-'re"... rules. `keep` lists letters that are not folded
    to their base letter (Spanish "ñ": "año" is not "ano"). Numbers: `units` add their value,
    `multipliers` multiply what came before ("one hundred"), `joiners` may stand between two number
    words ("treinta y cinco").
    """

    code: str
    fillers: frozenset[str]
    soft_fillers: frozenset[str]
    soft_pairs: frozenset[tuple[str, str]]
    whole_words: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    apostrophe_suffixes: bool = False
    keep: str = ""
    units: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    multipliers: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    joiners: frozenset[str] = frozenset()

    @property
    def number_words(self) -> frozenset[str]:
        """Words that can make up a number (joiners only between two of them)."""
        return frozenset({*self.units, *self.multipliers})

    def fold(self, word: str) -> str:
        """The word without accents, except on the letters the language keeps."""
        if word.isascii():
            return word
        return "".join(char if char in self.keep else _base_letter(char) for char in word)


def _base_letter(char: str) -> str:
    """The character without its combining marks: "á" -> "a", "ü" -> "u"."""
    return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))


# ------------------------------------------------------------------------------------ English

# Contractions typed without their apostrophe. Only words that are not also ordinary words.
_EN_WHOLE_WORDS = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "ain't": "is not",
    "let's": "let us",
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
_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip

ENGLISH = Language(
    code="en",
    # Always noise, wherever they stand.
    fillers=frozenset(
        {"um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "hm", "ah", "eh", "alexa"}
    ),
    soft_fillers=frozenset(
        {"like", "so", "well", "just", "actually", "basically", "please", "okay"}
    ),
    soft_pairs=frozenset({("you", "know"), ("kind", "of"), ("sort", "of"), ("i", "mean")}),
    whole_words=MappingProxyType(_EN_WHOLE_WORDS),
    apostrophe_suffixes=True,
    units=MappingProxyType(_EN_UNITS),
    multipliers=MappingProxyType({"hundred": 100}),
)

# ------------------------------------------------------------------------------------ Spanish

# Spanish has no apostrophe contractions; typed shorthand and spoken short forms instead. Written
# without accents: words are folded before they are looked up.
_ES_WHOLE_WORDS = {
    "q": "que",
    "k": "que",
    "xq": "porque",
    "pq": "porque",
    "porq": "porque",
    "tmb": "tambien",
    "tb": "tambien",
    "toy": "estoy",
    "toi": "estoy",
    "pa": "para",
    "pal": "para el",
    "d": "de",
    "x": "por",
    "xfa": "por favor",
    "porfa": "por favor",
    "porfavor": "por favor",
    "ok": "okay",
    "okey": "okay",
    "oki": "okay",
    "nse": "no se",
    "nose": "no se",
}
_ES_UNITS = {
    "cero": 0, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14,
    "quince": 15, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19,
    "veinte": 20, "veintiuno": 21, "veintiun": 21, "veintidos": 22, "veintitres": 23,
    "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26, "veintisiete": 27,
    "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40, "cincuenta": 50,
    "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100,
}  # fmt: skip

SPANISH = Language(
    code="es",
    fillers=frozenset(
        {"eh", "ehh", "ehm", "em", "emm", "mm", "mmm", "hmm", "hm", "ah", "ahh", "uh", "um"}
        | {"alexa"}
    ),
    # "este" is the commonest Mexican filler but also "this"; "como" is "like" but also in
    # "como una regla"; "nomás" and "solo" are "just".
    soft_fillers=frozenset(
        {"este", "pues", "bueno", "como", "entonces", "mira", "oye", "okay", "vale", "nomas"}
        | {"namas", "solo", "solamente", "digamos", "osea", "pos"}
    ),
    soft_pairs=frozenset(
        {("o", "sea"), ("por", "favor"), ("nada", "mas"), ("la", "verdad"), ("tu", "sabes")}
        | {("usted", "sabe"), ("es", "que")}
    ),
    whole_words=MappingProxyType(_ES_WHOLE_WORDS),
    keep="ñ",
    units=MappingProxyType(_ES_UNITS),
    joiners=frozenset({"y"}),
)

LANGUAGES: Mapping[str, Language] = MappingProxyType({"en": ENGLISH, "es": SPANISH})


def language_for(locale_or_code: str | None) -> Language:
    """The language of a locale ("es-US" -> Spanish) or language code; English when unknown."""
    code = (locale_or_code or "").split("-")[0].split("_")[0].lower()
    return LANGUAGES.get(code, ENGLISH)


def _language(language: str | Language | None) -> Language:
    return language if isinstance(language, Language) else language_for(language)


# The English sets, as they were exported before there was more than one language.
FILLERS = ENGLISH.fillers
SOFT_FILLERS = ENGLISH.soft_fillers

_IS_AFTER = frozenset({"it", "there", "that", "he", "she", "what", "who", "where", "here", "how"})
_SUFFIXES = (("n't", " not"), ("'m", " am"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"))
_SUFFIXES_D = ("'d", " would")

_ABBREVIATION = re.compile(r"\b(?:[a-z]\.){2,}")
_NOT_WORD = re.compile(r"[^\w']+|_")
_TAG = re.compile(r"<[^>]+>")


def _expand(word: str, language: Language) -> str:
    """One typed word as one or more canonical words ("i'm" -> "i am", "sí" -> "si")."""
    word = language.fold(word.strip("'"))
    if word in language.whole_words:
        return language.whole_words[word]
    if not language.apostrophe_suffixes:
        return word
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
    other punctuation ("¿", "¡" too) dropped. Contractions and accents are kept as typed."""
    text = unicodedata.normalize("NFC", text).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = _ABBREVIATION.sub(lambda match: match.group(0).replace(".", ""), text)
    return [word.strip("'") for word in _NOT_WORD.sub(" ", text).split() if word.strip("'")]


@dataclass(frozen=True)
class Utterance:
    """Canonical words, each remembering which typed word it came from."""

    tokens: tuple[str, ...]
    origins: tuple[int, ...]  # index into `spoken` for each token
    spoken: tuple[str, ...]  # the typed words, as `words_of` gives them
    language: str = "en"  # the code of the Language the tokens were made with

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
            tuple(self.tokens[i] for i in keep),
            tuple(self.origins[i] for i in keep),
            self.spoken,
            self.language,
        )

    def filler_positions(self, *, soft: bool) -> list[int]:
        language = language_for(self.language)
        noise = language.fillers | language.soft_fillers if soft else language.fillers
        found = [i for i, token in enumerate(self.tokens) if token in noise]
        if soft:
            for i, pair in enumerate(zip(self.tokens, self.tokens[1:], strict=False)):
                if pair in language.soft_pairs:
                    found += [i, i + 1]
        return sorted(set(found))


def utterance(text: str, language: str | Language | None = None) -> Utterance:
    """Typed text as canonical words in `language` (a Language, a code or a locale; English by
    default)."""
    lang = _language(language)
    spoken = words_of(text)
    tokens: list[str] = []
    origins: list[int] = []
    for index, word in enumerate(spoken):
        for part in _expand(word, lang).split():
            tokens.append(part)
            origins.append(index)
    return Utterance(tuple(tokens), tuple(origins), tuple(spoken), lang.code)


def normalise(text: str, language: str | Language | None = None) -> str:
    """The canonical form both samples and typed text are compared in."""
    return utterance(text, language).text


def is_filler(token: str, language: str | Language | None = None) -> bool:
    lang = _language(language)
    return token in lang.fillers or token in lang.soft_fillers


def number_value(words: Sequence[str], language: str | Language | None = None) -> int | None:
    """ "35", "thirty five", "one hundred twenty", "treinta y cinco" -> the number; None if the
    words are not a number."""
    lang = _language(language)
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    if not words or words[0] in lang.joiners or words[-1] in lang.joiners:
        return None
    current = 0
    for word in words:
        if word in lang.units:
            current += lang.units[word]
        elif word in lang.multipliers:
            current = max(current, 1) * lang.multipliers[word]
        elif word not in lang.joiners:
            return None
    return current


def ssml_to_text(ssml: str) -> str:
    """What a person hears, as text: tags dropped, entities unescaped, spaces tidied."""
    text = _TAG.sub(" ", ssml)
    return " ".join(html.unescape(text).split())
