"""Normalisation: the one named, documented step every name goes through before it is compared.

Unicode NFKC and case folding; invisible characters dropped (controls other than white space, and
format characters: soft hyphen, zero-width spaces and joiners, direction marks, byte order mark);
the apostrophe class as one ``'``; initials split and stripped of dots (``J.-C.`` -> ``j c``);
joined words split (``SergeiLavrov``); titles and honorifics dropped, with a record of what was
dropped; look-alike letters in mixed-script words folded to the word's dominant script; quotes
stripped; numbers kept.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import regex

from namematch._text import APOSTROPHES, CYRILLIC, require_str
from namematch.errors import NamematchError

__all__ = [
    "KINDS",
    "Kind",
    "Normalized",
    "Token",
    "analyse",
    "clear_caches",
    "has_legal_form",
    "legal_form",
    "normalize",
]

Kind = Literal["person", "place", "org", "auto"]
KINDS: tuple[str, ...] = ("person", "place", "org", "auto")

_QUOTES = '"«»„“”‟❝❞〝〞＂‹›'
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
# A word boundary where a small letter meets a capital, both sides three letters or more
# (SergeiLavrov, but not McDonald or DeLuca).
_JOINED = re.compile(r"(?<=[^\W\d_]{3})(?<=[a-zà-ÿа-яёіїєґўђћјљњџѓќѕ])(?=[A-ZÀ-ÞА-ЯЁІЇЄҐЎЂЋЈЉЊЏЃЌЅ][^\W\d_]{2})")
_SPLIT = re.compile(r"[\s,;:/()\[\]{}]+|(?<=\.)(?=\S)|-")
# What a name loses unseen: control characters but white space (tabs and line breaks separate
# words), and format characters (Unicode category Cf: soft hyphen, zero-width space and joiners,
# direction marks, byte order mark). Text of printable characters only has none (tested in C).
_INVISIBLE = regex.compile(r"[^\P{Cc}\s]|\p{Cf}")


@dataclass(frozen=True)
class Token:
    """One word of a name after normalisation, with what its written form said about its role."""

    text: str
    #: written in capitals in a name that also has small letters (a surname, by convention)
    caps: bool = False
    #: one letter, with or without a dot
    initial: bool = False
    #: a comma followed it ("EVDOKIMOV, Mikhail": the surname comes first)
    comma: bool = False


@dataclass(frozen=True)
class Normalized:
    """The normalised text of a name, its tokens, and the titles that were dropped from it."""

    text: str
    tokens: tuple[Token, ...]
    dropped: tuple[str, ...]


@cache
def _data(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((resources.files("namematch") / "data" / name).read_text(encoding="utf-8"))
    return loaded


@cache
def _titles() -> tuple[frozenset[tuple[str, ...]], int]:
    """The title phrases (lower case, by word), each Cyrillic one also as every language's default
    romanisation writes it (министр, ministr): a name and its own romanisation drop the same titles."""
    from namematch.translit.api import transliterate  # here: translit loads its schemes on first use
    from namematch.translit.registry import languages

    raw = _data("titles.json")["titles"]
    assert isinstance(raw, dict)
    titles = {title for listed in raw.values() for title in listed}
    for title in sorted(t for t in titles if CYRILLIC.search(t)):
        titles.update(transliterate(title, lang=language.code).casefold() for language in languages())
    phrases = {tuple(title.split()) for title in titles}
    return frozenset(phrases), max(len(p) for p in phrases)


@cache
def _legal_forms() -> tuple[dict[tuple[str, ...], str], int]:
    """Each legal form's words -> its label: the forms of ``legal_forms.json``, and every name of
    the legal forms of the organisations alias table (labelled as the known forms among them are,
    else by the entity's id), but for new names without a word of three letters or more (ET, AS,
    II, a. d., S.A.: too easily initials or something else)."""
    raw = _data("legal_forms.json")["forms"]
    assert isinstance(raw, dict)
    out: dict[tuple[str, ...], str] = {}
    for label, forms in raw.items():
        for form in forms:
            out[tuple(form.replace(".", " ").split())] = label
    from namematch.aliases import entities  # here: the alias tables are loaded on first use

    for entity in sorted(entities("organisations"), key=lambda e: e.id):
        if entity.kind != "legal_form":
            continue
        spellings = {_form_words(a.name) for a in entity.aliases} - {()}
        known = sorted(out[s] for s in spellings if s in out)
        label = max(known, key=known.count) if known else entity.id
        for words in sorted(spellings):
            if words not in out and max(len(w) for w in words) > 2:
                out[words] = label
    return out, max(len(k) for k in out)


_COUNTRY_NOTE = re.compile(r"\s*\([^)]*\)\s*$")


def _form_words(name: str) -> tuple[str, ...]:
    """The words of a legal form's name as names are analysed ("Sole trader (Bulgaria)" -> sole trader)."""
    return tuple(t.text for t in analyse(_COUNTRY_NOTE.sub("", name), "org").tokens)


@cache
def _lookalikes() -> tuple[dict[int, str], dict[int, str]]:
    pairs = _data("lookalikes.json")["pairs"]
    assert isinstance(pairs, dict)
    to_cyrillic = {ord(latin): cyr for latin, cyr in pairs.items()}
    to_latin = {ord(cyr): latin for latin, cyr in pairs.items()}
    return to_cyrillic, to_latin


_LATIN = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")


def fold_lookalikes(word: str) -> str:
    """Fold look-alike letters of the minority script into the word's dominant one.

    >>> fold_lookalikes("Мiнськ"), fold_lookalikes("Kyiv"), fold_lookalikes("Kиїв")
    ('Мінськ', 'Kyiv', 'Київ')
    """
    if word.isascii() or _LATIN.search(word) is None or CYRILLIC.search(word) is None:
        return word  # one script only: the common case, decided in C
    cyr = len(CYRILLIC.findall(word))
    lat = len(_LATIN.findall(word))
    if cyr == lat:
        return word
    to_cyrillic, to_latin = _lookalikes()
    return word.translate(to_cyrillic if cyr > lat else to_latin)


_SUFFIXES = frozenset({"jr", "sr", "phd", "md"})


def _drop_titles(chunks: list[str]) -> tuple[list[str], list[str]]:
    """Drop title phrases at the start, and suffixes such as Jr at the end, while a name remains.
    A title that is also a legal form and is written in capitals is the legal form: ТОВ «Петренко»
    is a company (товариство з обмеженою відповідальністю), тов. Петренко a comrade."""
    titles, longest = _titles()
    starts = _title_starts()
    start, end = 0, len(chunks)
    dropped: list[str] = []
    # The common case, decided without reading further: the first word starts no title and the
    # last is no suffix.
    if end < 2 or (_key(chunks[0]) not in starts and _key(chunks[-1]) not in _SUFFIXES):
        return chunks, dropped
    keys = [_key(c) for c in chunks]
    while end - start > 1:
        if chunks[start].isupper() and len(keys[start]) > 1 and legal_form((keys[start],)) is not None:
            break
        for size in range(min(longest, end - start - 1), 0, -1):
            if tuple(keys[start : start + size]) in titles:
                dropped.append(" ".join(keys[start : start + size]))
                start += size
                break
        else:
            break
    while end - start > 1 and keys[end - 1] in _SUFFIXES:
        dropped.append(keys[end - 1])
        end -= 1
    return chunks[start:end], dropped


def _key(chunk: str) -> str:
    """A written word as titles are listed: lower case, without full stops or a trailing comma."""
    return chunk.casefold().replace(".", "").strip(",")


@cache
def _title_starts() -> frozenset[str]:
    """The first words of the title phrases."""
    return frozenset(phrase[0] for phrase in _titles()[0])


@cache
def _legal_first_words() -> frozenset[str]:
    return frozenset(form[0] for form in _legal_forms()[0])


def has_legal_form(words: list[str]) -> bool:
    """Whether any legal form (ООО, LLC, ...) starts at some word of *words* (lower case)."""
    first = _legal_first_words()
    if first.isdisjoint(words):  # the common case: no word starts a legal form
        return False
    return any(w in first and legal_form(tuple(words[i:])) for i, w in enumerate(words))


def legal_form(words: tuple[str, ...]) -> tuple[str, int] | None:
    """The canonical label of a legal form starting *words* (lower case), and its length in words."""
    forms, longest = _legal_forms()
    for size in range(min(longest, len(words)), 0, -1):
        label = forms.get(words[:size])
        if label is not None:
            return label, size
    return None


def _chunk_tokens(chunk: str, has_small: bool) -> tuple[Token, ...]:
    """The tokens of one written chunk (text between spaces) of a name that has small letters
    (*has_small*) or not."""
    if chunk.isalpha():  # the common case: one plain word
        word = fold_lookalikes(chunk)
        folded = word.casefold()
        caps = has_small and len(word) > 1 and word.isupper()
        return (Token(folded, caps=caps, initial=len(folded) == 1),)
    tokens = []
    pieces = [p for p in _SPLIT.split(chunk) if p]
    for i, raw in enumerate(pieces):
        piece = fold_lookalikes(raw)
        letters = piece.replace(".", "").strip("'")
        if not letters:
            continue
        # A letter, or up to four with a full stop: the romanised initial of one Cyrillic
        # letter (Ya., Yu., Kh., Zh., Shch., French Iou.).
        initial = letters.isalpha() and (len(letters.casefold()) == 1 or (piece.endswith(".") and len(letters) <= 4))
        caps = has_small and len(letters) > 1 and letters.isupper()
        comma = chunk.endswith(",") and i == len(pieces) - 1
        tokens.append(Token(letters.casefold(), caps=caps, initial=initial, comma=comma))
    return tuple(tokens)


# Tokens by (chunk, whether its name has small letters): the words of names repeat far more than
# names do. Tokens are immutable, so sharing them changes nothing; emptied when full.
_CHUNKS: dict[tuple[str, bool], tuple[Token, ...]] = {}


def clear_caches() -> None:
    """Forget the tokens of the chunks seen (for benchmarks measuring a cold start)."""
    _CHUNKS.clear()


def analyse(text: str, kind: Kind = "auto") -> Normalized:
    """Normalise *text* and keep what matching needs: its tokens with their flags, titles dropped."""
    text = require_str(text, "name")
    if kind not in KINDS:
        raise NamematchError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION)
    if not text.isprintable():
        text = _INVISIBLE.sub("", text)
    text = _JOINED.sub(" ", text)
    has_small = any(map(str.islower, text))
    chunks = text.split()
    dropped: list[str] = []
    if kind in ("person", "auto"):
        chunks, dropped = _drop_titles(chunks)
    tokens: list[Token] = []
    memo = _CHUNKS
    for chunk in chunks:
        found = memo.get((chunk, has_small))
        if found is None:
            found = _chunk_tokens(chunk, has_small)
            if len(memo) >= 1 << 18:
                memo.clear()
            memo[chunk, has_small] = found
        tokens += found
    return Normalized(" ".join([t.text for t in tokens]), tuple(tokens), tuple(dropped))


# Quotes go; so do the ties of ALA-LC and ISO 9:1968 (I͡U, T͡S), which join two letters of one sound.
_PUNCTUATION = (
    {ord(c): None for c in _QUOTES + "\u0361\u0360"}
    | {ord(c): "'" for c in APOSTROPHES}
    | {ord(c): "-" for c in _DASHES}
)


def normalize(text: str, *, kind: Kind = "auto") -> str:
    """The normalised form of a name: what namematch compares.

    >>> normalize("Mr. Jean-Claude  VAN DAMME")
    'jean claude van damme'
    >>> normalize("EVDOKIMOV, Mikhail"), normalize("М.Н. Евдокимов")
    ('evdokimov mikhail', 'м н евдокимов')
    >>> normalize("SergeiLavrov"), normalize("Мiнськ"), normalize("ООО «Ромашка»", kind="org")
    ('sergei lavrov', 'мінськ', 'ооо ромашка')
    """
    return analyse(text, kind).text
