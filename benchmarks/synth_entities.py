"""A synthetic entity table with ground truth, for benchmarking deduplication at 10k to 1M rows.

    python -m benchmarks.synth_entities --rows 100000 --seed 20261122 -o table.csv   # CSV to stdout without -o

Each row is one *mention* of an *entity* (a person, a place or an organisation); the ``entity``
column is the ground truth. The table is deterministic for (rows, seed) and the versions of the
data and tools (:func:`versions`): the same inputs give the same bytes.

Columns
-------
``id`` (row number), ``name`` (the mention), ``kind`` (person/place/org), ``lang`` (language of the
name), ``country``, ``entity`` (ground-truth id), ``script`` (Cyrl/Latn/mixed/other), ``tool`` (how the
spelling was made: ``cyrillic``, a romaniser, ``alias:<type>``, ``name``), ``circular`` (1 when the
spelling comes from namematch's own scheme files or alias tables, so matching it measures
consistency rather than independent accuracy), ``form`` (layout of a person's name, alias type of a
place, pattern of an organisation), ``info`` (persons: ``full``, ``no_patronymic``, ``initials``,
``initial``; otherwise ``-``), ``typo`` (0/1), ``relation`` (``base`` or the hard-negative kind),
``related`` (the entity a hard negative was made from), ``canonical`` (the entity's full name).

Sources and licences
--------------------
- Person names: the given-name, patronymic and surname lists of Faker (https://github.com/joke2k/faker,
  MIT), providers ``ru_RU``, ``uk_UA`` and ``bg_BG``, read through ``benchmarks.eval_pairs.lists``.
  Faker has no Belarusian or Kazakh person lists, so persons are Russian, Ukrainian and Bulgarian;
  Belarusian and Kazakh names appear through the place and organisation tables. Bulgarian father's
  names (the middle name of a Bulgarian's three names) are derived here from Faker's male given names
  by the usual suffixes (Петър -> Петров, Георги -> Георгиев, Андрей -> Андреев; female + "а").
- City names: Faker's ``ru_RU`` and ``uk_UA`` city lists (MIT), those not already in the place table.
- Places and organisations: namematch's curated alias tables (``data/aliases/places.yml`` and
  ``organisations.yml``, read as shipped through ``namematch.aliases.entities``): GeoNames (CC BY 4.0),
  ISO 3166-2 via Debian iso-codes (LGPL-2.1-or-later), Verkhovna Rada resolutions (public domain),
  Wikidata (CC0), names of legal forms and public bodies from law and official sites (facts), curated
  spellings (CC0). Their spellings are namematch's own knowledge: such rows have ``circular=1``
  unless the spelling is an official name or its official romanisation.
- Synthetic companies: "<core> <legal form>", the core one or two Faker surnames (the shape of Faker's
  own ``ru_RU`` company formats), the legal form an entity of ``organisations.yml`` spelled by one of
  its aliases (ООО, OOO, LLC, Общество с ограниченной ответственностью, ...).
- Romanisations: the romanisers of ``benchmarks.eval_pairs`` (iuliia, MIT; unidecode, GPL-2.0-or-later,
  used as a tool only, nothing of it is shipped; anyascii, ISC; namematch's own scheme files, marked
  circular); Belarusian and Kazakh spellings with unidecode, anyascii and namematch's schemes.

Design
------
Entities are drawn until their mentions fill the table: persons (80% of draws), organisations (14%)
and places (6%). The number of mentions of a drawn entity is ``floor(Pareto(1.25))``, capped at
``max(50, rows // 1000)``: about 57% singleton entities, a mean of 3.2 rows per entity at 10k
rows, 3.5 at 100k and 4.1 at 1M, a few clusters of hundreds (the largest at 1M, 1,488 rows, is a
pool entity drawn many times).
Places and the named organisations of the alias table are a finite pool drawn with Zipf weights (the
capitals and cities first), so a place drawn again gains mentions: at 1M rows the big cities have
thousands. Persons: a sex, a given name, a father's given name (the patronymic is the one of
Faker's list formed from it, or its regular feminine, so siblings share it), a surname of the
sex's form. The population grows with the table, and since
the lists are finite a 1M table has thousands of Ivanovs; full names (given + patronymic + surname,
compared by :func:`ascii_key`) are kept unique by redrawing (up to 50 times; the rare leftovers are
counted as indistinguishable entities, see :func:`describe`).

Hard negatives, made beside 30% of the persons: a *namesake* (same sex and surname, another given
name, 30% of them with the same initial), a *relative* of the other sex (the other-gender form of
the surname, Иванов/Иванова, or the same surname where it has no gender, Шевченко; the same father
half the time, so the same patronymic in the other gender; the same given-name initial half the
time), a *parent/child* pair (same given name and surname; a son's patronymic is his father's given
name). Places: 20% of the drawn places bring a similar city of their language (one of the five
nearest by Jaro-Winkler, ``eval_pairs.similar``) as another entity. Organisations: 15% of the companies bring a *similar
company*: the same first core word with another second word, or the one word alone.

Mentions: 35% in the original Cyrillic, the rest romanised by a tool drawn at random among the
language's romanisers; persons in one of the layouts of ``eval_pairs.LAYOUTS`` (``Given Surname``,
``Surname Given Patronymic``, ``SURNAME, Given``, ``I. P. Surname``, ``Surname I.P.``, all capitals,
a title in front ...); places by one of the entity's spellings in the alias table (exonyms, former
names, variants) or its Cyrillic name romanised; companies with the legal form before or after, in
guillemets or quotes, as an abbreviation in either script, in English (LLC, JSC) or in full, or
without it (8%). Latin mentions get a typo (``eval_pairs.typo``: one or two keyboard edits) with
probability 0.08; Cyrillic mentions are left without typos (that edit model is a Latin keyboard's).

Decidability rule
-----------------
Ground truth has to be recoverable from the strings, or no method can reach it. The rule: **a mention
never carries less information than is needed to single out its entity among the entities of the
table.** A person mention may drop the patronymic (``Given Surname``) or reduce names to initials
(``I. P. Surname``, ``I. Surname``) only when no other entity of the table has the same reduced form
(compared by :func:`ascii_key`: case, script and romanisation folded; the surname's gender form
kept); otherwise the mention is upgraded to the next fuller form, up to the full name. So a father
and son (same given name and surname) are always mentioned with the patronymic, in full or as an
initial when the initials differ; Ivan Shevchenko and Iryna Shevchenko (a genderless surname) never
appear as "I. Shevchenko". Place and organisation spellings shared by two entities of the tables
(МИД, MFA, a town name used twice) are never used. What is left undecidable: entities whose full
names coincide (counted by :func:`describe` and merged by :func:`oracle_labels`, the best any
string-only method can do) and typos that happen to turn one name into another (not counted).
Because the rule looks at the whole table, larger tables carry more full names: at 1M rows most
Russian given name + surname pairs are shared, so fewer mentions drop the patronymic
(``describe`` reports the share of each ``info`` level).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import dataclasses
import itertools
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TextIO

from unidecode import unidecode

import namematch
from benchmarks.eval_pairs import (
    _LANG_WEIGHTS,
    _MALE_TO_FEMALE,
    LAYOUTS,
    Parts,
    Person,
    Romaniser,
    _own,
    gendered,
    lists,
    parts,
    romanisers,
    similar,
    tool_versions,
    typo,
)
from namematch.aliases import Entity, entities

__all__ = [
    "COLUMNS",
    "SEED",
    "Row",
    "ascii_key",
    "describe",
    "generate",
    "main",
    "oracle_labels",
    "read_csv",
    "versions",
    "write_csv",
]

SEED = 20261122
COLUMNS = (
    "id",
    "name",
    "kind",
    "lang",
    "country",
    "entity",
    "script",
    "tool",
    "circular",
    "form",
    "info",
    "typo",
    "relation",
    "related",
    "canonical",
)

KIND_WEIGHTS = (("person", 0.80), ("org", 0.14), ("place", 0.06))
PARETO_ALPHA = 1.25
HARD_NEGATIVE_RATE = 0.30
HARD_NEGATIVE_WEIGHTS = (("namesake", 0.35), ("relative", 0.35), ("parent_child", 0.30))
SIMILAR_PLACE_RATE = 0.20
SIMILAR_ORG_RATE = 0.15
NAMED_ORG_SHARE = 0.15  # of the organisation draws: the named organisations of the alias table
CYRILLIC_SHARE = 0.35
TYPO_RATE = 0.08
NO_LEGAL_FORM = 0.08
REDRAWS = 50
_COUNTRY = {"ru": "RU", "uk": "UA", "bg": "BG"}

_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_NOT_ASCII_LETTER = re.compile(r"[^a-z]+")


@dataclass(frozen=True)
class Row:
    """One mention; ``entity`` is the ground truth. The fields are the CSV columns (see module doc)."""

    id: int
    name: str
    kind: str
    lang: str
    country: str
    entity: str
    script: str
    tool: str
    circular: int
    form: str
    info: str
    typo: int
    relation: str
    related: str
    canonical: str


def ascii_key(text: str) -> str:
    """Lower case, ё as е, through unidecode, letters a-z only: the key under which two spellings
    count as the same name (a coarse fold: it merges more than it separates, so the decidability rule
    it drives errs on the safe side)."""
    return _NOT_ASCII_LETTER.sub("", unidecode(text.lower().replace("ё", "е")).lower())


def script(text: str) -> str:
    """``Cyrl``, ``Latn``, ``mixed`` (letters of both) or ``other``."""
    cyr, lat = bool(_CYRILLIC.search(text)), bool(_LATIN.search(text))
    return "mixed" if cyr and lat else "Cyrl" if cyr else "Latn" if lat else "other"


def versions() -> dict[str, str]:
    """The versions the table depends on (data lists, romanisers, namematch's schemes and tables)."""
    return {"python": sys.version.split()[0], **tool_versions()}


# --------------------------------------------------------------------------- romanisers


def _memo(tool: Romaniser) -> Romaniser:
    return Romaniser(tool.name, tool.circular, cache(tool.function))


@cache
def tools(lang: str) -> tuple[Romaniser, ...]:
    """The romanisers of *lang*, each memoised (the vocabulary is small, the table large)."""
    if lang in ("ru", "uk", "bg"):
        return tuple(_memo(t) for t in romanisers(lang))
    independent = romanisers("ru")[:2]  # unidecode and anyascii: the same for every language
    assert [t.name for t in independent] == ["unidecode", "anyascii"]
    own = [Romaniser(f"namematch:{s.id}", True, _own(s.id)) for s in namematch.schemes() if s.language == lang]
    return tuple(_memo(t) for t in (*independent, *own))


def _romanise_text(text: str, lang: str, rng: random.Random) -> tuple[str, Romaniser] | None:
    candidates = list(tools(lang))
    rng.shuffle(candidates)
    for tool in candidates:
        out = tool(text)
        if out is not None and out.strip():
            return out, tool
    return None


# --------------------------------------------------------------------------- person names


_BG_SOFT = "жчшщцй"


def bulgarian_fathers_name(given: str, sex: str) -> str:
    """The Bulgarian father's name (бащино име) formed from the father's given name by the common
    suffixes: Петър -> Петров, Георги -> Георгиев, Андрей -> Андреев, Христо -> Христов, Иван -> Иванов;
    a woman's takes a final -а."""
    if given.endswith("ър"):
        male = given[:-2] + "ров"
    elif given.endswith(("й", "ия")):
        male = given[:-1] + "ев"
    elif given.endswith("и"):
        male = given + "ев"
    elif given[-1] in "оаеяу":
        male = given[:-1] + "ов"
    elif given[-1] in _BG_SOFT:
        male = given + "ев"
    else:
        male = given + "ов"
    return male if sex == "male" else male + "а"


@dataclass(frozen=True)
class _Names:
    given: dict[str, list[str]]
    surnames: dict[str, list[str]]
    fathers: list[str]  # male given names from which both sexes' patronymics can be formed
    patronymic: Callable[[str, str], str]  # (father's given name, sex) -> patronymic
    to_female: dict[str, str]
    to_male: dict[str, str]


def _derived_patronymic(pool: dict[str, list[str]]) -> Callable[[str, str], str | None]:
    """The patronymic of Faker's list formed from a given name: the shortest that starts with its stem
    (Иван -> Иванович/Ивановна, Андрей -> Андреевич, Андрій -> Андрійович/Андріївна)."""

    @cache
    def derive(given: str, sex: str) -> str | None:
        stem = given.lower().rstrip("йьаяоиі")
        if len(stem) < 2:
            return None
        found = [p for p in pool[sex] if p.lower().startswith(stem) and len(p) - len(stem) <= 7]
        return min(found, key=lambda p: (len(p), p)) if found else None

    return derive


@cache
def names(lang: str) -> _Names:
    """Name lists of *lang* (``ru``, ``uk``, ``bg``) with patronymics formed from fathers' names."""
    lst = lists(lang)
    pairs = gendered(lang)
    to_female = dict(pairs)
    to_male = {f: m for m, f in pairs}
    if lang == "bg":
        fathers = list(lst.given["male"])

        def bg(father: str, sex: str) -> str:
            return bulgarian_fathers_name(father, sex)

        return _Names(lst.given, lst.surnames, fathers, bg, to_female, to_male)
    derive = _derived_patronymic(lst.patronymics)

    def patronymic(father: str, sex: str) -> str | None:
        found = derive(father, sex)
        male = derive(father, "male")
        if found is None and sex == "female" and male is not None:
            # Faker's female list is shorter: the regular feminine of a listed masculine form
            for m, f in (("ович", "овна" if lang == "ru" else "івна"), ("евич", "евна" if lang == "ru" else "івна")):
                if male.endswith(m):
                    return male[: -len(m)] + f
        return found

    fathers = [g for g in lst.given["male"] if patronymic(g, "male") and patronymic(g, "female")]

    def faker(father: str, sex: str) -> str:
        out = patronymic(father, sex)
        assert out is not None
        return out

    return _Names(lst.given, lst.surnames, fathers, faker, to_female, to_male)


@dataclass(frozen=True)
class _PersonEntity:
    person: Person
    father: str  # the father's given name (the patronymic is formed from it)

    @property
    def canonical(self) -> str:
        p = self.person
        return f"{p.given} {p.patronymic} {p.surname}"


_word_key = cache(ascii_key)


@cache
def person_keys(p: Person) -> dict[str, str]:
    """The key of each level of information a mention of *p* can carry (see the decidability rule)."""
    g, s = _word_key(p.given), _word_key(p.surname)
    pat = _word_key(p.patronymic or "")
    gi, pi = _word_key(p.given[:1]), _word_key((p.patronymic or "")[:1])
    return {
        "full": f"{g} {pat} {s}",
        "no_patronymic": f"{g} {s}",
        "initials": f"{gi}. {pi}. {s}",
        "initial": f"{gi}. {s}",
    }


def _other_gender(surname: str, sex: str, n: _Names) -> str | None:
    mapped = (n.to_female if sex == "male" else n.to_male).get(surname)
    if mapped:
        return mapped
    ends = [m for m, _ in _MALE_TO_FEMALE] + [f for _, f in _MALE_TO_FEMALE] + ["ова", "ева", "ов", "ев"]
    return None if any(surname.endswith(e) for e in ends) else surname  # genderless: Шевченко, Ковальчук


def _same_initial(pool: Sequence[str], word: str, rng: random.Random) -> str | None:
    found = [w for w in pool if w[0] == word[0] and w != word]
    return rng.choice(found) if found else None


# --------------------------------------------------------------------------- places and organisations


@dataclass(frozen=True)
class _Spelling:
    text: str
    lang: str
    type: str  # alias type, or "name" for the canonical name


@dataclass(frozen=True)
class _PoolEntity:
    id: str
    kind: str
    canonical: str
    country: str
    lang: str  # the language of its Cyrillic name, for similar places
    cyrillic: str | None
    spellings: tuple[_Spelling, ...]


_TYPE_WEIGHT = {
    "name": 3.0,
    "official": 3.0,
    "romanisation": 2.0,
    "exonym": 1.5,
    "press": 1.5,
    "abbreviation": 1.5,
    "historical": 0.5,
    "variant": 0.5,
}
_ROMANISABLE = ("ru", "uk", "be", "bg", "kk")
_PLACE_RANK = {
    "capital": 0,
    "city": 1,
    "republic": 2,
    "oblast": 2,
    "region": 2,
    "autonomy": 2,
    "town": 3,
    "raion": 4,
    "district": 4,
}


def _usable(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and script(text) in ("Cyrl", "Latn") and len(ascii_key(text)) >= 2


def _from_table(entity: Entity) -> tuple[_PoolEntity, list[_Spelling]]:
    spellings = [_Spelling(entity.name, "en", "name")] + [
        _Spelling(a.name, a.lang, a.type) for a in entity.aliases if a.type != "code" and _usable(a.name)
    ]
    cyrillic = next(
        (a for a in entity.aliases if a.type == "official" and a.lang in ("ru", "uk") and script(a.name) == "Cyrl"),
        None,
    )
    kind = "org" if entity.table == "organisations" else "place"
    pool = _PoolEntity(
        entity.id,
        kind,
        entity.name,
        entity.country or "",
        cyrillic.lang if cyrillic else "",
        cyrillic.name if cyrillic else None,
        (),
    )
    return pool, spellings


def _unambiguous(candidates: list[tuple[_PoolEntity, list[_Spelling]]]) -> list[_PoolEntity]:
    """Keep only spellings no other entity of the pool shares (by :func:`ascii_key`)."""
    owners: dict[str, set[str]] = {}
    for entity, spellings in candidates:
        for s in spellings:
            owners.setdefault(ascii_key(s.text), set()).add(entity.id)
    out = []
    for entity, spellings in candidates:
        seen: set[str] = set()
        kept = []
        for s in spellings:
            if len(owners[ascii_key(s.text)]) == 1 and s.text not in seen:
                seen.add(s.text)
                kept.append(s)
        if kept:
            out.append(dataclasses.replace(entity, spellings=tuple(kept)))
    return out


@cache
def place_pool() -> tuple[_PoolEntity, ...]:
    """Places of the alias table, then Faker's Russian and Ukrainian cities not already in it, Zipf order."""
    table = [
        _from_table(e)
        for e in sorted(entities("places"), key=lambda e: (_PLACE_RANK.get(e.kind, 5), e.id))
        if e.country in ("UA", "RU", "BY", "KZ", "MD", "GE", "AM", "AZ", "LT", "LV", "EE", "PL")
    ]
    taken = {ascii_key(s.text) for _, spellings in table for s in spellings}
    faker: list[tuple[_PoolEntity, list[_Spelling]]] = []
    for lang in ("ru", "uk"):
        for city in lists(lang).cities:
            key = ascii_key(city)
            if key in taken:
                continue
            taken.add(key)
            entity = _PoolEntity(f"faker-city:{lang}:{city}", "place", city, _COUNTRY[lang], lang, city, ())
            faker.append((entity, [_Spelling(city, lang, "official")]))
    # Interleave so both sources keep their Zipf ranks: a table place, a Faker city, ...
    merged = [x for pair in itertools.zip_longest(table, faker) for x in pair if x is not None]
    return tuple(_unambiguous(merged))


@cache
def org_pool() -> tuple[_PoolEntity, ...]:
    """The named state bodies and organisations of the alias table."""
    table = [_from_table(e) for e in entities("organisations") if e.kind in ("state_body", "organisation")]
    return tuple(_unambiguous(table))


_LEGAL_FORMS = {
    "ru": (
        ("ru-ooo", 0.55),
        ("ru-ao", 0.15),
        ("ru-pao", 0.06),
        ("ru-zao", 0.08),
        ("ru-oao", 0.06),
        ("ru-fgup", 0.03),
        ("ru-mup", 0.04),
        ("ru-ano", 0.03),
    ),
    "uk": (
        ("ua-tov", 0.55),
        ("ua-pp", 0.10),
        ("ua-prat", 0.08),
        ("ua-at", 0.08),
        ("ua-pat", 0.05),
        ("ua-dp", 0.05),
        ("ua-kp", 0.05),
        ("ua-tdv", 0.02),
        ("ua-bo", 0.02),
    ),
    "bg": (("bg-ood", 0.45), ("bg-eood", 0.35), ("bg-ad", 0.12), ("bg-ead", 0.05), ("bg-et", 0.03)),
}


@dataclass(frozen=True)
class LegalForm:
    """The spellings of one legal form, by the script and style of a mention."""

    id: str
    cyrillic_abbreviation: tuple[str, ...]
    cyrillic_full: tuple[str, ...]
    latin_abbreviation: tuple[str, ...]
    english_abbreviation: tuple[str, ...]
    english_full: tuple[str, ...]


@cache
def legal_forms(lang: str) -> tuple[tuple[LegalForm, float], ...]:
    """The legal forms companies of *lang* are drawn with, and their weights."""
    table = {e.id: e for e in entities("organisations") if e.kind == "legal_form"}
    out = []
    for short, weight in _LEGAL_FORMS[lang]:
        entity = table[f"legal-form:{short}"]
        own = [a for a in entity.aliases if a.lang == lang]
        english = [a for a in entity.aliases if a.lang == "en" and a.type == "equivalent"]
        abbreviation = [a.name for a in own if len(a.name) <= 6 or a.type == "abbreviation"]
        official = [a for a in own if script(a.name) == "Cyrl" and a.name not in abbreviation]
        form = LegalForm(
            entity.id,
            tuple(n for n in abbreviation if script(n) == "Cyrl"),
            tuple(a.name for a in official if a.type == "official") or tuple(a.name for a in official),
            tuple(n for n in abbreviation if script(n) == "Latn"),
            tuple(a.name for a in english if a.name.replace("r", "R").isupper()),
            tuple(a.name for a in english if not a.name.replace("r", "R").isupper()),
        )
        out.append((form, weight))
    return tuple(out)


@dataclass(frozen=True)
class _Company:
    lang: str
    core: str  # Cyrillic
    form: LegalForm

    @property
    def canonical(self) -> str:
        first = (self.form.cyrillic_abbreviation or self.form.cyrillic_full)[0]
        return f"{first} «{self.core}»"


def _core_words(lang: str) -> list[str]:
    return [w for w in names(lang).surnames["male"] if "-" not in w]


# --------------------------------------------------------------------------- the population


@dataclass
class _Draw:
    id: str
    kind: str
    lang: str
    country: str
    canonical: str
    relation: str
    related: str
    count: int
    person: _PersonEntity | None = None
    pool: _PoolEntity | None = None
    company: _Company | None = None


@cache
def _cumulative(options: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    return [o for o, _ in options], list(itertools.accumulate(w for _, w in options))


def _weighted(options: tuple[tuple[str, float], ...], rng: random.Random) -> str:
    values, cumulative = _cumulative(options)
    return rng.choices(values, cum_weights=cumulative)[0]


class _Population:
    """Draws entities until their mentions fill *rows*."""

    def __init__(self, rows: int, rng: random.Random) -> None:
        self.rows = rows
        self.rng = rng
        self.cap = max(50, rows // 1000)
        self.draws: list[_Draw] = []
        self.pooled: dict[str, _Draw] = {}
        self.full_keys: set[str] = set()
        self.core_keys: set[str] = set()
        self.total = 0
        self.places = place_pool()
        self.orgs = org_pool()
        self.place_weights = list(itertools.accumulate(1.0 / (i + 20) for i in range(len(self.places))))
        self.org_weights = list(itertools.accumulate(1.0 / (i + 5) for i in range(len(self.orgs))))
        self.places_by_lang: dict[str, dict[str, _PoolEntity]] = {}
        for p in self.places:
            if p.cyrillic:
                self.places_by_lang.setdefault(p.lang, {}).setdefault(p.cyrillic, p)

    def size(self) -> int:
        return min(self.cap, int(self.rng.paretovariate(PARETO_ALPHA)))

    def full(self) -> bool:
        return self.total >= self.rows

    def _add(self, draw: _Draw) -> None:
        draw.count = min(draw.count, self.rows - self.total)
        if draw.count <= 0:
            return
        self.total += draw.count
        if draw.pool is not None and draw.id in self.pooled:
            self.pooled[draw.id].count += draw.count
            return
        if draw.pool is not None:
            self.pooled[draw.id] = draw
        self.draws.append(draw)

    # persons -----------------------------------------------------------------

    def _person(
        self,
        lang: str,
        sex: str,
        given: str,
        father: str,
        surname: str,
        relation: str,
        related: str,
        *,
        unique: bool = True,
    ) -> _Draw | None:
        n = names(lang)
        p = Person(lang, sex, given, surname, n.patronymic(father, sex))
        entity = _PersonEntity(p, father)
        key = person_keys(p)["full"]
        if unique and key in self.full_keys:
            return None
        self.full_keys.add(key)
        return _Draw(
            f"P{len(self.draws) + 1:07d}",
            "person",
            lang,
            _COUNTRY[lang],
            entity.canonical,
            relation,
            related,
            self.size(),
            person=entity,
        )

    def person(self) -> None:
        rng = self.rng
        lang = _weighted(_LANG_WEIGHTS, rng)
        n = names(lang)
        base = None
        for attempt in range(REDRAWS + 1):
            sex = rng.choice(("male", "female"))
            given, father, surname = rng.choice(n.given[sex]), rng.choice(n.fathers), rng.choice(n.surnames[sex])
            # After REDRAWS collisions, keep a duplicate full name (describe() counts them).
            base = self._person(lang, sex, given, father, surname, "base", "", unique=attempt < REDRAWS)
            if base is not None:
                break
        assert base is not None
        assert base.person is not None
        self._add(base)
        if not self.full() and rng.random() < HARD_NEGATIVE_RATE:
            negative = self._hard_negative(base, base.person)
            if negative is not None:
                self._add(negative)

    def _hard_negative(self, base: _Draw, entity: _PersonEntity) -> _Draw | None:
        rng = self.rng
        p = entity.person
        n = names(p.lang)
        kind = _weighted(HARD_NEGATIVE_WEIGHTS, rng)
        if kind == "namesake":
            pool = n.given[p.sex]
            given = (_same_initial(pool, p.given, rng) if rng.random() < 0.3 else None) or rng.choice(pool)
            if given == p.given:
                return None
            return self._person(p.lang, p.sex, given, rng.choice(n.fathers), p.surname, kind, base.id)
        if kind == "relative":
            sex = "female" if p.sex == "male" else "male"
            surname = _other_gender(p.surname, p.sex, n)
            if surname is None:
                return None
            pool = n.given[sex]
            given = (_same_initial(pool, p.given, rng) if rng.random() < 0.5 else None) or rng.choice(pool)
            father = entity.father if rng.random() < 0.5 else rng.choice(n.fathers)
            return self._person(p.lang, sex, given, father, surname, kind, base.id)
        # parent/child: a son is named after his father, so his patronymic is formed from it; a
        # daughter shares her mother's given name and surname with another father.
        father = p.given if p.sex == "male" and p.given in n.fathers else rng.choice(n.fathers)
        if n.patronymic(father, p.sex) == p.patronymic:
            return None
        return self._person(p.lang, p.sex, p.given, father, p.surname, kind, base.id)

    # places and organisations ---------------------------------------------------

    def _pooled(self, entity: _PoolEntity, relation: str, related: str) -> None:
        """Another draw of a pool entity: a new entity the first time, more mentions after."""
        draw = _Draw(
            entity.id,
            entity.kind,
            entity.lang,
            entity.country,
            entity.canonical,
            relation,
            related,
            self.size(),
            pool=entity,
        )
        self._add(draw)

    def place(self) -> None:
        rng = self.rng
        index = bisect.bisect_left(self.place_weights, rng.random() * self.place_weights[-1])
        entity = self.places[min(index, len(self.places) - 1)]
        self._pooled(entity, "base", "")
        if entity.cyrillic and not self.full() and rng.random() < SIMILAR_PLACE_RATE:
            same_lang = self.places_by_lang.get(entity.lang, {})
            other = similar(entity.cyrillic, sorted(same_lang), rng)
            if other is not None and same_lang[other].id != entity.id:
                self._pooled(same_lang[other], "similar_place", entity.id)

    def org(self) -> None:
        rng = self.rng
        if rng.random() < NAMED_ORG_SHARE:
            index = bisect.bisect_left(self.org_weights, rng.random() * self.org_weights[-1])
            self._pooled(self.orgs[min(index, len(self.orgs) - 1)], "base", "")
            return
        lang = _weighted(_LANG_WEIGHTS, rng)
        forms = legal_forms(lang)
        words = _core_words(lang)
        for _ in range(REDRAWS):
            core = rng.choice(words) if rng.random() < 0.35 else f"{rng.choice(words)}-{rng.choice(words)}"
            company = self._company(lang, core, forms, "base", "")
            if company is not None:
                break
        else:
            return
        self._add(company)
        if not self.full() and rng.random() < SIMILAR_ORG_RATE:
            assert company.company is not None
            first = company.company.core.split("-")[0]
            other = first if "-" in company.company.core else f"{first}-{rng.choice(words)}"
            similar_company = self._company(lang, other, forms, "similar_org", company.id)
            if similar_company is not None:
                self._add(similar_company)

    def _company(
        self, lang: str, core: str, forms: Sequence[tuple[LegalForm, float]], relation: str, related: str
    ) -> _Draw | None:
        key = ascii_key(core)
        if key in self.core_keys or len(set(core.split("-"))) < len(core.split("-")):
            return None
        self.core_keys.add(key)
        form = self.rng.choices([f for f, _ in forms], weights=[w for _, w in forms])[0]
        company = _Company(lang, core, form)
        return _Draw(
            f"O{len(self.draws) + 1:07d}",
            "org",
            lang,
            _COUNTRY[lang],
            company.canonical,
            relation,
            related,
            self.size(),
            company=company,
        )

    def fill(self) -> list[_Draw]:
        while not self.full():
            kind = _weighted(KIND_WEIGHTS, self.rng)
            getattr(self, kind)()
        return [d for d in self.draws if d.count > 0]


# --------------------------------------------------------------------------- mentions


_PERSON_LAYOUTS = (
    ("surname_given_patronymic", 0.20),
    ("given_patronymic_surname", 0.10),
    ("given_surname", 0.20),
    ("SURNAME_comma_given", 0.08),
    ("given_SURNAME", 0.05),
    ("initials_surname", 0.12),
    ("surname_initials", 0.06),
    ("all_caps", 0.07),
    ("title", 0.05),
)
_WITH_PATRONYMIC = {"surname_given_patronymic", "given_patronymic_surname", "SURNAME_comma_given", "all_caps"}
_INITIALS = {"initials_surname", "surname_initials"}
_UPGRADE = {"initial": "initials", "initials": "full", "no_patronymic": "full"}


def _info(layout: str, patronymic: bool) -> str:
    if layout in _INITIALS:
        return "initials" if patronymic else "initial"
    return "full" if patronymic and layout in _WITH_PATRONYMIC else "no_patronymic"


# A row without its id (given after shuffling).
_Fields = tuple[str, str, str, str, str, str, str, int, str, str, int, str, str, str]


class _Mentions:
    def __init__(self, draws: Sequence[_Draw], rng: random.Random) -> None:
        self.rng = rng
        self.key_counts: Counter[str] = Counter()
        for d in draws:
            if d.person is not None:
                self.key_counts.update(f"{level}|{key}" for level, key in person_keys(d.person.person).items())

    def _tool(self, lang: str) -> Romaniser | None:
        return None if self.rng.random() < CYRILLIC_SHARE else self.rng.choice(tools(lang))

    def _finish(
        self, draw: _Draw, name: str, tool: str, circular: bool, form: str, info: str, lang: str | None = None
    ) -> _Fields:
        made_typo = 0
        if script(name) == "Latn" and self.rng.random() < TYPO_RATE:
            changed = typo(name, self.rng)
            if changed != name:
                name, made_typo = changed, 1
        return (
            name,
            draw.kind,
            lang or draw.lang,
            draw.country,
            draw.id,
            script(name),
            tool,
            int(circular),
            form,
            info,
            made_typo,
            draw.relation,
            draw.related,
            draw.canonical,
        )

    def person(self, draw: _Draw) -> _Fields:
        assert draw.person is not None
        rng = self.rng
        p = draw.person.person
        keys = person_keys(p)
        x: Parts | None = None
        tool: Romaniser | None = None
        for _ in range(10):
            tool = self._tool(p.lang)
            x = parts(p, tool)
            if x is not None:
                break
        if x is None:
            tool, x = None, parts(p, None)
        assert x is not None
        layout = _weighted(_PERSON_LAYOUTS, rng)
        with_patronymic = rng.random() < (0.6 if layout in _INITIALS else 0.8)
        info = _info(layout, with_patronymic)
        while info != "full" and self.key_counts[f"{info}|{keys[info]}"] > 1:
            info = _UPGRADE[info]
        if info == "full" and layout not in _WITH_PATRONYMIC:
            layout = rng.choice(("surname_given_patronymic", "given_patronymic_surname"))
        if info in ("no_patronymic", "initial"):
            x = dataclasses.replace(x, patronymic=None, patronymic_initial=None)
        name = LAYOUTS[layout](x, rng)
        if script(name) == "mixed":  # a tool without a Latin form of a lone capital (Ъ): keep Cyrillic
            tool = None
            x = parts(dataclasses.replace(p, patronymic=x.patronymic and p.patronymic), None)
            assert x is not None
            if info == "initial":
                x = dataclasses.replace(x, patronymic_initial=None)
            name = LAYOUTS[layout](x, rng)
        tool_name = "cyrillic" if tool is None else tool.name
        return self._finish(draw, name, tool_name, tool is not None and tool.circular, layout, info)

    def pooled(self, draw: _Draw) -> _Fields:
        assert draw.pool is not None
        rng = self.rng
        spellings = draw.pool.spellings
        s = rng.choices(spellings, weights=[_TYPE_WEIGHT.get(x.type, 0.5) for x in spellings])[0]
        circular = s.type not in ("name", "official", "romanisation")
        text, tool, lang = s.text, f"alias:{s.type}", s.lang
        if script(text) == "Cyrl" and lang in _ROMANISABLE and rng.random() > CYRILLIC_SHARE:
            made = _romanise_text(text, lang, rng)
            if made is not None:
                text, romaniser = made
                tool = f"{tool}+{romaniser.name}"
                circular = circular or romaniser.circular
        if draw.kind == "place" and rng.random() < 0.03:
            text = text.upper()
        return self._finish(draw, text, tool, circular, s.type, "-", lang)

    def company(self, draw: _Draw) -> _Fields:
        assert draw.company is not None
        rng = self.rng
        c = draw.company
        tool = self._tool(c.lang)
        core = c.core if tool is None else tool(c.core)
        if core is None:
            tool, core = None, c.core
        form = c.form
        roll = rng.random()
        if tool is None:
            choices = form.cyrillic_abbreviation if roll < 0.8 and form.cyrillic_abbreviation else form.cyrillic_full
            patterns = (("{f} «{c}»", 0.6), ('{f} "{c}"', 0.15), ("{f} {c}", 0.15), ("{c}, {f}", 0.1))
        else:
            if roll < 0.4 and form.latin_abbreviation:
                choices = form.latin_abbreviation
            elif roll < 0.85 and form.english_abbreviation:
                choices = form.english_abbreviation
            else:
                choices = form.english_full or form.latin_abbreviation
            patterns = (("{c} {f}", 0.35), ("{f} {c}", 0.25), ('{f} "{c}"', 0.2), ("{c}, {f}", 0.2))
        pattern = _weighted(patterns, rng)
        if rng.random() < NO_LEGAL_FORM or not choices:
            pattern = "{c}"
        text = pattern.format(f=rng.choice(choices) if choices else "", c=core)
        if rng.random() < 0.1:
            text = text.upper()
        tool_name = "cyrillic" if tool is None else tool.name
        return self._finish(draw, text, tool_name, tool is not None and tool.circular, pattern, "-")

    def of(self, draw: _Draw) -> Iterable[_Fields]:
        make = self.person if draw.person else self.company if draw.company else self.pooled
        return (make(draw) for _ in range(draw.count))


def generate(rows: int, seed: int = SEED) -> list[Row]:
    """A table of *rows* mentions, deterministic for (rows, seed) and :func:`versions`."""
    if rows < 1:
        raise ValueError("rows must be at least 1")
    rng = random.Random(f"synth-entities-{seed}-{rows}")
    draws = _Population(rows, rng).fill()
    mentions = _Mentions(draws, rng)
    out = [row for draw in draws for row in mentions.of(draw)]
    rng.shuffle(out)
    return [Row(i, *fields) for i, fields in enumerate(out)]


# --------------------------------------------------------------------------- what the table holds


def oracle_labels(rows: Sequence[Row]) -> list[int]:
    """The best clustering a string-only method can reach: the true entities, except that entities
    whose full names are identical (by :func:`ascii_key` of the canonical name) are merged."""
    ids: dict[str, int] = {}
    return [ids.setdefault(f"{row.kind}|{ascii_key(row.canonical)}", len(ids)) for row in rows]


def describe(rows: Sequence[Row]) -> dict[str, Any]:
    """Counts that say what a table holds: cluster sizes, kinds, scripts, layouts, hard negatives,
    and the entity pairs no string-only method can separate."""
    sizes = Counter(row.entity for row in rows)
    entity_kind = {row.entity: row.kind for row in rows}
    relation = {row.entity: row.relation for row in rows}
    by_key: Counter[str] = Counter()
    seen: set[str] = set()
    for row in rows:
        if row.entity not in seen:
            seen.add(row.entity)
            by_key[f"{row.kind}|{ascii_key(row.canonical)}"] += 1
    n_entities = len(sizes)
    same_name_pairs = sum(c * (c - 1) // 2 for c in by_key.values())
    all_pairs = n_entities * (n_entities - 1) // 2
    values = sorted(sizes.values())

    def share(counter: Counter[str]) -> dict[str, float]:
        total = sum(counter.values())
        return {k: round(v / total, 4) for k, v in sorted(counter.items())}

    persons = [row for row in rows if row.kind == "person"]
    return {
        "rows": len(rows),
        "entities": n_entities,
        "entities_by_kind": dict(sorted(Counter(entity_kind.values()).items())),
        "mean_cluster_size": round(len(rows) / n_entities, 3),
        "median_cluster_size": values[len(values) // 2],
        "max_cluster_size": values[-1],
        "singleton_entities": round(sum(1 for v in values if v == 1) / n_entities, 4),
        "rows_by_kind": share(Counter(row.kind for row in rows)),
        "rows_by_script": share(Counter(row.script for row in rows)),
        "rows_circular": round(sum(row.circular for row in rows) / len(rows), 4),
        "rows_with_typo": round(sum(row.typo for row in rows) / len(rows), 4),
        "person_rows_by_info": share(Counter(row.info for row in persons)) if persons else {},
        "hard_negative_entities": dict(sorted(Counter(r for r in relation.values() if r != "base").items())),
        "indistinguishable_entity_pairs": same_name_pairs,
        "indistinguishable_pair_fraction": same_name_pairs / all_pairs if all_pairs else 0.0,
        "entities_sharing_a_full_name": sum(c for c in by_key.values() if c > 1),
    }


# --------------------------------------------------------------------------- files


def write_csv(rows: Iterable[Row], handle: TextIO) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(dataclasses.astuple(row) for row in rows)


def read_csv(handle: TextIO) -> list[Row]:
    out = []
    for r in csv.DictReader(handle):
        values: dict[str, Any] = dict(r)
        for field in ("id", "circular", "typo"):
            values[field] = int(values[field])
        out.append(Row(**values))
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("-o", "--output", help="CSV file to write (default: standard output)")
    args = parser.parse_args(argv)
    rows = generate(args.rows, args.seed)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            write_csv(rows, handle)
    else:
        write_csv(rows, sys.stdout)
    import json

    stats = {"seed": args.seed, **describe(rows), "versions": versions()}
    print(json.dumps(stats, ensure_ascii=False, indent=1), file=sys.stderr)


if __name__ == "__main__":
    main()
