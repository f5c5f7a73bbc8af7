"""A labelled evaluation set of name pairs, built reproducibly from public word lists.

    python -m benchmarks.eval_pairs          # writes benchmarks/data/eval_pairs.csv and eval_pairs_small.csv

Columns: ``name1, name2, is_match (0/1), category, kind (person/place), source, circular (0/1), lang``.

Sources and licences
--------------------
- Names: the person-name lists (given names, patronymics, male and female surnames) and city lists of
  Faker (https://github.com/joke2k/faker, MIT), providers ``ru_RU``, ``uk_UA`` and ``bg_BG`` (see
  ``corpus.py``). Only the word lists are used; names are put together here with fixed seeds, so the
  same versions of Faker and the tools give the same bytes (``bench_match_accuracy`` records them).
- Romanisations, INDEPENDENT of namematch: iuliia (https://github.com/nalgeon/iuliia-py, MIT;
  Russian only: BGN/PCGN, ICAO Doc 9303, Wikipedia, ALA-LC, GOST 7.79, scientific, Moscow metro,
  Telegram, Yandex Maps, MVD 310/782, GOST 52535, UNGEGN 1987), unidecode (GPL-2.0-or-later, used as a
  tool only, nothing of it is shipped) and anyascii (ISC) for every language.
- Romanisations from namematch's OWN scheme files (CIRCULAR: namematch reads the same tables, so
  these pairs measure consistency, not independent accuracy): Ukrainian (national 2010, BGN/PCGN
  2019, ALA-LC 2011, Duden-style German, Polish), Bulgarian (Streamlined 2009, BGN/PCGN 1952,
  ALA-LC 1997), and for Russian the German/Polish/French transcriptions (Duden, Polish, French),
  for which no independent implementation is at hand. Such rows have ``circular=1`` and a
  ``namematch:`` tool in ``source``; ``bench_match_accuracy`` reports every measure on the
  independent rows alone too. Ukrainian and Bulgarian rows are mostly circular, since iuliia covers
  Russian only.

``source`` is ``lang|tool of name1|tool of name2`` (``cyrillic`` for the original spelling; a
``+typo`` suffix when edits were applied).

Categories (each with positives and hard negatives of the same shape, about half each)
--------------------------------------------------------------------------------------
Hard negatives are *similar different names*: the same given name (and patronymic) with another
surname of the same list and sex that is close by Jaro-Winkler (one of the five nearest, >= 0.75,
never the other-gender form of the same surname, never a word with the same consonants, which is
taken for a spelling variant: Геннадиевна/Геннадьевна); for cities, another city of the list close
by Jaro-Winkler.

- ``script``: Cyrillic vs a romanisation, same layout both sides (``Given Surname`` or ``Surname Given
  Patronymic``).
- ``romanisation``: two different romanisations (distinct strings) of one name.
- ``format``: two different layouts (``Given Surname``, ``Surname Given Patronymic``, ``Given
  Patronymic Surname``, ``SURNAME, Given``, ``Given SURNAME``, ``G. P. Surname``, ``Surname G. P.``,
  all capitals, a title in front: Mr/Mrs/Dr./President/Minister/Prof. or г-н/г-жа/господин/президент/
  министр/д-р), one side romanised, the other Cyrillic or romanised.
- ``typo``: a romanised name against itself with one edit (two when the name is longer than 16
  characters): substitution by a neighbouring QWERTY key, deletion, insertion or transposition of
  adjacent letters.
- ``gender``: the male and the female form of one surname (Иванов/Иванова, Kovalskiy/Kovalskaya),
  alone or after the same initial, is a NON-match (namematch's default policy: different people);
  two spellings of the same form are matches.
- ``patronymic``: Russian and Ukrainian full names; a conflicting patronymic (one of the nearest of
  the same sex) is a non-match; the patronymic missing on one side, or the same patronymic in another
  layout/romanisation, is a match; to keep shapes balanced some 3-vs-2-word negatives use a similar
  surname.
- ``place``: Faker's Russian and Ukrainian city names (parenthesised region notes removed), Cyrillic
  vs romanised or two romanisations = match; two different cities close by Jaro-Winkler = non-match.

Nothing here was tuned on namematch's results: the layouts, tools and edit model are fixed from how
such data appears in documents, lists and news.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import anyascii
import iuliia
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler
from unidecode import unidecode

import namematch
from benchmarks.corpus import faker_version

__all__ = ["COLUMNS", "DATA", "FULL", "SMALL", "Pair", "build", "load", "main", "small_sample", "tool_versions"]

DATA = Path(__file__).parent / "data"
FULL = DATA / "eval_pairs.csv"
SMALL = DATA / "eval_pairs_small.csv"
COLUMNS = ("name1", "name2", "is_match", "category", "kind", "source", "circular", "lang")
SEED = 20261121
PER_CATEGORY = 1200  # pairs per person category (half positive); places: 1000
SMALL_SIZE = 600

_LOCALES = {"ru": "ru_RU", "uk": "uk_UA", "bg": "bg_BG"}
_CYRILLIC_WORD = re.compile(r"^[А-ЯЁІЇЄҐа-яёіїєґ'’-]+$")
_HAS_CYRILLIC = re.compile(r"[\u0400-\u052f]")


@dataclass(frozen=True)
class Pair:
    name1: str
    name2: str
    is_match: int
    category: str
    kind: str
    source: str
    circular: int
    lang: str


# --------------------------------------------------------------------------- romanisers


@dataclass(frozen=True)
class Romaniser:
    name: str
    circular: bool
    function: Callable[[str], str]

    def __call__(self, text: str) -> str | None:
        out = self.function(text)
        # A tool that leaves Cyrillic behind (iuliia's capital Ё in some schemas) gives no usable romanisation.
        return None if _HAS_CYRILLIC.search(out) else out


_IULIIA = (
    "BGN_PCGN",
    "ICAO_DOC_9303",
    "WIKIPEDIA",
    "ALA_LC",
    "GOST_779",
    "SCIENTIFIC",
    "MOSMETRO",
    "TELEGRAM",
    "YANDEX_MAPS",
    "MVD_310",
    "MVD_782",
    "GOST_52535",
    "UNGEGN_1987",
)
_OWN = {
    "ru": ("duden-rus-Cyrl-Latn", "pl-rus-Cyrl-Latn", "fr-rus-Cyrl-Latn"),
    "uk": (
        "ua-ukr-Cyrl-Latn-2010",
        "bgnpcgn-ukr-Cyrl-Latn-2019",
        "alalc-ukr-Cyrl-Latn-2011",
        "duden-ukr-Cyrl-Latn",
        "pl-ukr-Cyrl-Latn",
    ),
    "bg": ("streamlined-bul-Cyrl-Latn-2009", "bgnpcgn-bul-Cyrl-Latn-1952", "alalc-bul-Cyrl-Latn-1997"),
}


def _iuliia(schema_name: str) -> Callable[[str], str]:
    schema = getattr(iuliia, schema_name)
    return lambda text: str(schema.translate(text))


def _own(scheme: str) -> Callable[[str], str]:
    return lambda text: namematch.transliterate(text, scheme)


@cache
def romanisers(lang: str) -> tuple[Romaniser, ...]:
    """The romanisers of *lang*: independent tools first, then namematch's own schemes (circular)."""
    known = {s.id for s in namematch.schemes()}
    out = [
        Romaniser("unidecode", False, lambda t: str(unidecode(t))),
        Romaniser("anyascii", False, lambda t: str(anyascii.anyascii(t))),
    ]
    if lang == "ru":
        out += [Romaniser(f"iuliia.{s.lower()}", False, _iuliia(s)) for s in _IULIIA]
    out += [Romaniser(f"namematch:{s}", True, _own(s)) for s in _OWN[lang] if s in known]
    return tuple(out)


def romanise(
    text: str, lang: str, rng: random.Random, avoid: str | None = None, other_than: Romaniser | None = None
) -> tuple[str, Romaniser]:
    """*text* romanised by a randomly chosen tool of *lang* (not *other_than*; an output other than
    *avoid* if any tool gives one)."""
    tools = [t for t in romanisers(lang) if t is not other_than]
    rng.shuffle(tools)
    fallback: tuple[str, Romaniser] | None = None
    for tool in tools:
        out = tool(text)
        if out is None:
            continue
        if avoid is None or out != avoid:
            return out, tool
        fallback = fallback or (out, tool)
    if fallback is None:
        raise ValueError(f"no romaniser of {lang} handles {text!r}")
    return fallback


# --------------------------------------------------------------------------- word lists


@dataclass(frozen=True)
class Lists:
    given: dict[str, list[str]]
    surnames: dict[str, list[str]]
    patronymics: dict[str, list[str]]
    cities: list[str]


def _clean(values: Any) -> list[str]:
    words = values.keys() if isinstance(values, dict) else values
    return sorted({w.strip() for w in words if w and _CYRILLIC_WORD.match(w.strip())})


@cache
def lists(lang: str) -> Lists:
    faker_version()
    person = importlib.import_module(f"faker.providers.person.{_LOCALES[lang]}").Provider
    given = {sex: _clean(getattr(person, f"first_names_{sex}", ())) for sex in ("male", "female")}
    surnames = {sex: _clean(getattr(person, f"last_names_{sex}", ())) for sex in ("male", "female")}
    patronymics = {sex: _clean(getattr(person, f"middle_names_{sex}", ())) for sex in ("male", "female")}
    cities: list[str] = []
    try:
        address = importlib.import_module(f"faker.providers.address.{_LOCALES[lang]}").Provider
        raw = [re.sub(r"\s*\(.*?\)\s*", " ", c).strip() for c in getattr(address, "city_names", ())]
        cities = sorted({c for c in raw if c and all(_CYRILLIC_WORD.match(w) for w in c.split())})
    except ImportError:
        pass
    return Lists(given, surnames, patronymics, cities)


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


@cache
def _gender_stem(word: str) -> str:
    """The surname without its gender ending, to keep male/female forms of one name out of negatives."""
    w = _fold(word)
    for ending, stem in (
        ("ская", "ск"),
        ("цкая", "цк"),
        ("ський", "ськ"),
        ("цький", "цьк"),
        ("ська", "ськ"),
        ("цька", "цьк"),
        ("ский", "ск"),
        ("цкий", "цк"),
        ("ски", "ск"),
        ("ска", "ск"),
        ("ая", ""),
        ("ой", ""),
        ("ий", ""),
        ("а", ""),
    ):
        if w.endswith(ending):
            return w[: -len(ending)] + stem
    return w


_VOWELS_AND_SIGNS = str.maketrans("", "", "аеёиоуыэюяіїєьъй'’- ")


def consonants(word: str) -> str:
    """The consonant skeleton: two words with the same one are taken for spelling variants of one
    name (Геннадиевна/Геннадьевна, Артемович/Артемьевич, Дмитриевич/Димитриевич) and never make a
    negative pair, at the price of a few genuine ones (Игоревич/Егорович)."""
    return _fold(word).translate(_VOWELS_AND_SIGNS)


def similar(word: str, pool: Sequence[str], rng: random.Random) -> str | None:
    """Another word of *pool* close to *word* by Jaro-Winkler (one of the five nearest, >= 0.75)."""
    near = _nearest(word, tuple(pool))
    return rng.choice(near) if near else None


@cache
def _nearest(word: str, pool: tuple[str, ...]) -> list[str]:
    found = process.extract(word, pool, scorer=JaroWinkler.similarity, limit=12)
    stem, folded, ascii_ = _gender_stem(word), _fold(word), unidecode(_fold(word))
    out = [
        w
        for w, score, _ in found
        if score >= 0.75
        and _fold(w) != folded
        and consonants(w) != consonants(word)
        and _gender_stem(w) != stem
        and unidecode(_fold(w)) != ascii_
        and not _fold(w).startswith(folded)
        and not folded.startswith(_fold(w))
    ]
    return out[:5]


# --------------------------------------------------------------------------- people and layouts


@dataclass(frozen=True)
class Person:
    lang: str
    sex: str
    given: str
    surname: str
    patronymic: str | None


def person(lang: str, rng: random.Random, *, patronymic: bool | None = None) -> Person:
    lst = lists(lang)
    sex = rng.choice(("male", "female"))
    has_patronymic = bool(lst.patronymics[sex]) and (rng.random() < 0.5 if patronymic is None else patronymic)
    return Person(
        lang,
        sex,
        rng.choice(lst.given[sex]),
        rng.choice(lst.surnames[sex]),
        rng.choice(lst.patronymics[sex]) if has_patronymic else None,
    )


def other_person(p: Person, rng: random.Random) -> Person | None:
    """The same given name (and patronymic), a similar surname of the same sex: a hard negative."""
    surname = similar(p.surname, lists(p.lang).surnames[p.sex], rng)
    return None if surname is None else Person(p.lang, p.sex, p.given, surname, p.patronymic)


@dataclass(frozen=True)
class Parts:
    """The words of a person's name in one script."""

    given: str
    surname: str
    patronymic: str | None
    given_initial: str
    patronymic_initial: str | None
    latin: bool
    sex: str


def _initial(word: str, to_latin: Callable[[str], str | None] | None) -> str:
    if to_latin is None:
        return word[0]
    out = to_latin(word[0].upper())
    return out.strip() if out and out.strip() else word[0]


def parts(p: Person, tool: Romaniser | None) -> Parts | None:
    """*p*'s words, romanised word by word by *tool* (Cyrillic when *tool* is None)."""

    def conv(word: str) -> str | None:
        return word if tool is None else tool(word)

    given, surname = conv(p.given), conv(p.surname)
    patronymic = conv(p.patronymic) if p.patronymic else None
    if given is None or surname is None or (p.patronymic and patronymic is None):
        return None
    return Parts(
        given,
        surname,
        patronymic,
        _initial(p.given, tool),
        _initial(p.patronymic, tool) if p.patronymic else None,
        tool is not None,
        p.sex,
    )


_TITLES_LATIN = {
    "male": ("Mr", "Mr.", "Dr.", "President", "Minister", "Prof."),
    "female": ("Mrs", "Ms", "Dr.", "Prof."),
}
_TITLES_CYRILLIC = {
    "male": ("г-н", "господин", "президент", "министр", "д-р"),
    "female": ("г-жа", "госпожа", "министр", "д-р"),
}


def _sgp(x: Parts) -> str:
    return " ".join(w for w in (x.surname, x.given, x.patronymic) if w)


def _gps(x: Parts) -> str:
    return " ".join(w for w in (x.given, x.patronymic, x.surname) if w)


def _initials(x: Parts) -> str:
    return " ".join(f"{i}." for i in (x.given_initial, x.patronymic_initial) if i)


LAYOUTS: dict[str, Callable[[Parts, random.Random], str]] = {
    "given_surname": lambda x, r: f"{x.given} {x.surname}",
    "surname_given_patronymic": lambda x, r: _sgp(x),
    "given_patronymic_surname": lambda x, r: _gps(x),
    "SURNAME_comma_given": lambda x, r: (
        f"{x.surname.upper()}, {x.given}" + (f" {x.patronymic}" if x.patronymic else "")
    ),
    "given_SURNAME": lambda x, r: f"{x.given} {x.surname.upper()}",
    "initials_surname": lambda x, r: f"{_initials(x)} {x.surname}",
    "surname_initials": lambda x, r: f"{x.surname} {_initials(x).replace(' ', '')}",
    "all_caps": lambda x, r: _sgp(x).upper(),
    "title": lambda x, r: f"{r.choice((_TITLES_LATIN if x.latin else _TITLES_CYRILLIC)[x.sex])} {x.given} {x.surname}",
}


# --------------------------------------------------------------------------- edits


_QWERTY = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(char: str) -> str:
    low = char.lower()
    for r, row in enumerate(_QWERTY):
        c = row.find(low)
        if c < 0:
            continue
        out = [row[i] for i in (c - 1, c + 1) if 0 <= i < len(row)]
        for rr in (r - 1, r + 1):
            if 0 <= rr < len(_QWERTY):
                out += [_QWERTY[rr][i] for i in (c - 1, c, c + 1) if 0 <= i < len(_QWERTY[rr])]
        return "".join(out)
    return "aeiou"


def typo(text: str, rng: random.Random) -> str:
    """One random edit, two when *text* is longer than 16 characters, on letters only."""
    chars = list(text)
    for _ in range(1 + (len(text) > 16)):
        letters = [i for i, c in enumerate(chars) if c.isalpha()]
        if len(letters) < 3:
            break
        i = rng.choice(letters)
        op = rng.choice(("substitute", "delete", "insert", "transpose"))
        keep_case = str.upper if chars[i].isupper() else str.lower
        if op == "substitute":
            chars[i] = keep_case(rng.choice(_neighbours(chars[i])))
        elif op == "delete":
            del chars[i]
        elif op == "insert":
            chars.insert(i + 1, rng.choice(_neighbours(chars[i])))
        else:
            j = i + 1 if i + 1 < len(chars) and chars[i + 1].isalpha() else i - 1
            if chars[j].isalpha() and chars[j].lower() != chars[i].lower():
                lo, hi = min(i, j), max(i, j)
                chars[lo], chars[hi] = chars[hi], chars[lo]
                if lo == 0 or not chars[lo - 1].isalpha():  # keep the word's capital where it was
                    chars[lo], chars[hi] = chars[lo].upper(), chars[hi].lower()
            else:
                chars[i] = keep_case(rng.choice(_neighbours(chars[i])))
    return "".join(chars)


# --------------------------------------------------------------------------- categories

_LANG_WEIGHTS = (("ru", 0.5), ("uk", 0.3), ("bg", 0.2))


def _lang(rng: random.Random, langs: Sequence[tuple[str, float]] = _LANG_WEIGHTS) -> str:
    return rng.choices([lang for lang, _ in langs], weights=[w for _, w in langs])[0]


def _pick_tool(lang: str, rng: random.Random) -> Romaniser:
    return rng.choice(romanisers(lang))


def _pair(
    a: str,
    b: str,
    match: bool,
    category: str,
    kind: str,
    lang: str,
    tools: Sequence[Romaniser | None],
    suffixes: Sequence[str] = ("", ""),
) -> Pair:
    names = [("cyrillic" if t is None else t.name) + suffix for t, suffix in zip(tools, suffixes, strict=True)]
    circular = int(any(t is not None and t.circular for t in tools))
    return Pair(a, b, int(match), category, kind, "|".join([lang, *names]), circular, lang)


Maker = Callable[[random.Random, bool], Pair | None]


def _script(rng: random.Random, match: bool) -> Pair | None:
    lang = _lang(rng)
    p = person(lang, rng)
    q = p if match else other_person(p, rng)
    tool = _pick_tool(lang, rng)
    x, y = parts(p, None), parts(q, tool) if q else None
    if x is None or y is None:
        return None
    layout = LAYOUTS["surname_given_patronymic" if p.patronymic else "given_surname"]
    return _pair(layout(x, rng), layout(y, rng), match, "script", "person", lang, [None, tool])


def _romanisation(rng: random.Random, match: bool) -> Pair | None:
    lang = _lang(rng)
    p = person(lang, rng)
    q = p if match else other_person(p, rng)
    if q is None:
        return None
    layout = LAYOUTS["surname_given_patronymic" if p.patronymic else "given_surname"]
    cyr_p, cyr_q = layout(parts(p, None), rng), layout(parts(q, None), rng)  # type: ignore[arg-type]
    a, t1 = romanise(cyr_p, lang, rng)
    b, t2 = romanise(cyr_q, lang, rng, avoid=a if match else None, other_than=t1)
    if match and a == b:
        return None
    return _pair(a, b, match, "romanisation", "person", lang, [t1, t2])


def _format(rng: random.Random, match: bool) -> Pair | None:
    lang = _lang(rng)
    p = person(lang, rng, patronymic=lang != "bg" and rng.random() < 0.6)
    q = p if match else other_person(p, rng)
    if q is None:
        return None
    first, second = rng.sample(sorted(LAYOUTS), 2)
    t1 = _pick_tool(lang, rng)
    t2 = None if rng.random() < 0.4 else _pick_tool(lang, rng)
    x, y = parts(p, t1), parts(q, t2)
    if x is None or y is None:
        return None
    a, b = LAYOUTS[first](x, rng), LAYOUTS[second](y, rng)
    return _pair(a, b, match, "format", "person", lang, [t1, t2], (f":{first}", f":{second}"))


def _typo(rng: random.Random, match: bool) -> Pair | None:
    lang = _lang(rng)
    p = person(lang, rng)
    q = p if match else other_person(p, rng)
    tool = _pick_tool(lang, rng)
    x, y = parts(p, tool), parts(q, tool) if q else None
    if x is None or y is None:
        return None
    layout = LAYOUTS["surname_given_patronymic" if p.patronymic else "given_surname"]
    a, b = layout(x, rng), layout(y, rng)
    b2 = typo(b, rng)
    if b2 == b:
        return None
    return _pair(a, b2, match, "typo", "person", lang, [tool, tool], ("", "+typo"))


_MALE_TO_FEMALE = (
    ("ский", "ская"),
    ("цкий", "цкая"),
    ("ський", "ська"),
    ("цький", "цька"),
    ("ски", "ска"),
    ("ой", "ая"),
    ("ов", "ова"),
    ("ев", "ева"),
    ("ёв", "ёва"),
    ("єв", "єва"),
    ("ин", "ина"),
    ("ын", "ына"),
    ("ін", "іна"),
)


@cache
def gendered(lang: str) -> list[tuple[str, str]]:
    """(male, female) forms of one surname: Faker's male surnames with a gender ending, female by rule."""
    out = []
    for male in lists(lang).surnames["male"]:
        for m, f in _MALE_TO_FEMALE:
            if male.endswith(m):
                out.append((male, male[: -len(m)] + f))
                break
    return out


def _gender(rng: random.Random, match: bool) -> Pair | None:
    lang = _lang(rng)
    male, female = rng.choice(gendered(lang))
    sex = rng.choice(("male", "female"))
    first = male if sex == "male" else female
    second = first if match else (female if sex == "male" else male)
    t1 = _pick_tool(lang, rng)
    a = t1(first)
    if a is None:
        return None
    if rng.random() < 0.3:
        t2: Romaniser | None = None
        b: str | None = second
    else:
        b, t2 = romanise(second, lang, rng, avoid=a if match else None, other_than=t1)
    if b is None or (match and a == b):
        return None
    if rng.random() < 0.4:  # an initial hides the given name's gender
        given = rng.choice(lists(lang).given[sex])
        a = f"{_initial(given, t1)}. {a}"
        b = f"{_initial(given, t2) if t2 else given[0]}. {b}"
    return _pair(a, b, match, "gender", "person", lang, [t1, t2])


def _patronymic(rng: random.Random, match: bool) -> Pair | None:
    lang = _lang(rng, (("ru", 0.6), ("uk", 0.4)))
    p = person(lang, rng, patronymic=True)
    missing = rng.random() < (0.5 if match else 0.25)
    q: Person | None
    if match:
        q = Person(lang, p.sex, p.given, p.surname, None) if missing else p
    elif missing:
        other = other_person(p, rng)
        q = Person(lang, p.sex, p.given, other.surname, None) if other else None
    else:
        assert p.patronymic is not None
        conflicting = similar(p.patronymic, lists(lang).patronymics[p.sex], rng)
        q = Person(lang, p.sex, p.given, p.surname, conflicting) if conflicting else None
    if q is None:
        return None
    t1 = _pick_tool(lang, rng)
    t2 = None if rng.random() < 0.3 else _pick_tool(lang, rng)
    x, y = parts(p, t1), parts(q, t2)
    if x is None or y is None:
        return None
    first = rng.choice(("surname_given_patronymic", "given_patronymic_surname"))
    second = "given_surname" if missing else rng.choice(("surname_given_patronymic", "given_patronymic_surname"))
    a, b = LAYOUTS[first](x, rng), LAYOUTS[second](y, rng)
    return _pair(a, b, match, "patronymic", "person", lang, [t1, t2])


def _place(rng: random.Random, match: bool) -> Pair | None:
    lang = _lang(rng, (("ru", 0.6), ("uk", 0.4)))
    city = rng.choice(lists(lang).cities)
    other = city if match else similar(city, lists(lang).cities, rng)
    if other is None:
        return None
    a, t1 = romanise(city, lang, rng)
    if rng.random() < 0.6:
        return _pair(other, a, match, "place", "place", lang, [None, t1])
    b, t2 = romanise(other, lang, rng, avoid=a if match else None, other_than=t1)
    if match and a == b:
        return None
    return _pair(a, b, match, "place", "place", lang, [t1, t2])


CATEGORIES: dict[str, tuple[Maker, int]] = {
    "script": (_script, PER_CATEGORY),
    "romanisation": (_romanisation, PER_CATEGORY),
    "format": (_format, PER_CATEGORY),
    "typo": (_typo, PER_CATEGORY),
    "gender": (_gender, PER_CATEGORY),
    "patronymic": (_patronymic, PER_CATEGORY),
    "place": (_place, 1000),
}


def build(seed: int = SEED) -> list[Pair]:
    """Every category's pairs, deterministic for one seed and one Faker version."""
    out: list[Pair] = []
    seen: set[tuple[str, str]] = set()
    for category, (maker, size) in CATEGORIES.items():
        rng = random.Random(f"{category}-{seed}")
        counts = [0, 0]
        attempts = 0
        while min(counts) < size // 2 and attempts < size * 50:
            attempts += 1
            match = counts[1] < counts[0] or (counts[1] == counts[0] and rng.random() < 0.5)
            if counts[int(match)] >= size // 2:
                match = not match
            made = maker(rng, match)
            if made is None or (made.name1 == made.name2 and not made.is_match):
                continue
            key = (made.name1, made.name2)
            if key in seen or (made.name2, made.name1) in seen:
                continue
            seen.add(key)
            out.append(made)
            counts[made.is_match] += 1
    return out


def small_sample(pairs: Sequence[Pair], size: int = SMALL_SIZE, seed: int = SEED) -> list[Pair]:
    """About *size* pairs, the same number per (category, label)."""
    strata: dict[tuple[str, int], list[Pair]] = {}
    for pair in pairs:
        strata.setdefault((pair.category, pair.is_match), []).append(pair)
    each = max(1, size // len(strata))
    rng = random.Random(f"small-{seed}")
    out: list[Pair] = []
    for key in sorted(strata):
        group = strata[key]
        out.extend(rng.sample(group, min(each, len(group))))
    return out


def _write(path: Path, pairs: Sequence[Pair]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for p in pairs:
            writer.writerow([p.name1, p.name2, p.is_match, p.category, p.kind, p.source, p.circular, p.lang])


def load(path: Path = FULL) -> list[Pair]:
    """The pairs of a CSV written by :func:`main`."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Pair(
                r["name1"],
                r["name2"],
                int(r["is_match"]),
                r["category"],
                r["kind"],
                r["source"],
                int(r["circular"]),
                r["lang"],
            )
            for r in csv.DictReader(handle)
        ]


def tool_versions() -> dict[str, str]:
    """The versions of the data and tools the set was built with."""
    from importlib.metadata import version

    return {name: version(name) for name in ("faker", "iuliia", "unidecode", "anyascii", "namematch")}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    pairs = build(args.seed)
    _write(FULL, pairs)
    _write(SMALL, small_sample(pairs, seed=args.seed))
    table: Counter[tuple[str, int]] = Counter((p.category, p.is_match) for p in pairs)
    circular: Counter[str] = Counter(p.category for p in pairs if p.circular)
    print(f"faker {faker_version()}, iuliia {tool_versions()['iuliia']}: {len(pairs)} pairs")
    for category in CATEGORIES:
        pos, neg = table[(category, 1)], table[(category, 0)]
        print(f"  {category:14} {pos:5} positive {neg:5} negative, {circular[category]:5} circular")
    print(f"{FULL} ({FULL.stat().st_size / 1e6:.2f} MB), {SMALL}")


if __name__ == "__main__":
    main()
