"""The curated alias tables: places, countries, given names, organisations.

Each table is edited as YAML in ``data/aliases/`` and shipped as JSON (``data/build.py``). Nothing
is read at import time; a table is loaded on first use, and its aliases are indexed once by a
*key* that ignores case, spacing, hyphens and apostrophes and reads Cyrillic through its
romanisation, so that "Kyiv", "KYIV", "Київ" and "Ky-iv" meet. A lookup in a loaded table is a
dictionary access: O(1) in the table's size.

Computing the keys of every alias takes about two seconds, so ``data/build.py`` also ships them
(``data/alias_index.json``), stamped with a fingerprint of the tables and of the code and data that
make the keys (:data:`_KEY_SOURCES`). The stored index is used only when its fingerprint is the
current one; otherwise (an edited table or key code, before the build is rerun) the keys are
computed as before, so a stale file can cost time but never change a result. The same file holds
the initials' letter table (:mod:`namematch.match.initials`), also derived from every scheme file,
which costs half a second to compute.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from namematch._text import require_str
from namematch.errors import NamematchError

__all__ = [
    "TABLES",
    "Alias",
    "Entity",
    "alias_key",
    "canonical",
    "entities",
    "find",
    "given_name_groups",
    "index_document",
    "lookup",
    "warm",
]

#: The tables, and the entity kinds each holds.
TABLES: dict[str, frozenset[str]] = {
    "places": frozenset({"capital", "city", "town", "oblast", "region", "raion", "district", "republic", "autonomy"}),
    "countries": frozenset({"country", "territory"}),
    "given_names": frozenset({"given_name"}),
    "organisations": frozenset({"legal_form", "state_body", "organisation"}),
}
# What lookup(kind=...) accepts besides a table name or an entity kind.
_KIND_ALIASES = {"place": "places", "country": "countries", "org": "organisations", "given": "given_names"}
_TYPE_RANK = {
    "official": 0, "romanisation": 1, "equivalent": 2, "code": 3, "abbreviation": 4, "exonym": 5,
    "press": 6, "variant": 7, "historical": 8,
}  # fmt: skip


@dataclass(frozen=True)
class Alias:
    """One name of an entity: the name, its language, its type, the years it was used, its source."""

    name: str
    lang: str
    type: str
    source: str
    years: str | None = None


@dataclass(frozen=True)
class Entity:
    """An entity of an alias table."""

    id: str
    kind: str
    name: str
    table: str
    country: str | None
    aliases: tuple[Alias, ...]
    diminutives: tuple[Alias, ...] = ()
    ambiguous: bool = False


def _words(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """(folded romanisation, phonetic forms) of each word of a name, read as a place name."""
    from namematch.match.normalize import analyse  # here: the matching core imports this module
    from namematch.match.phonetic import fold, forms
    from namematch.translit.detect import detect_language
    from namematch.translit.registry import get_language, transliterator

    analysed = analyse(require_str(name, "name"), "place")
    run = transliterator(get_language(detect_language(analysed.text) or "ru").default_scheme)
    out = []
    for token in analysed.tokens:
        text = run(token.text) if any("\u0400" <= c <= "\u052f" for c in token.text) else token.text
        folded = fold(text)
        out.append((folded, forms(folded)))
    return out


def alias_key(name: str) -> str:
    """The key aliases are indexed by: the folded romanisation of the name, without spaces.

    >>> alias_key("Київ") == alias_key("KYIV") == alias_key("Ky-iv")
    True
    """
    return "".join(folded for folded, _ in _words(name))


@cache
def _table(table: str) -> tuple[Entity, ...]:
    path = resources.files("namematch") / "data" / "aliases" / f"{table}.json"
    if not path.is_file():
        return ()
    raw = json.loads(path.read_text(encoding="utf-8"))

    def aliases(items: Iterable[dict[str, str]]) -> tuple[Alias, ...]:
        return tuple(Alias(a["name"], a["lang"], a["type"], a["source"], a.get("years")) for a in items)

    return tuple(
        Entity(
            id=e["id"],
            kind=e["kind"],
            name=e["name"],
            table=table,
            country=e.get("country"),
            aliases=aliases(e["aliases"]),
            diminutives=aliases(e.get("diminutives", ())),
            ambiguous=bool(e.get("ambiguous", False)),
        )
        for e in raw["entities"]
    )


#: The package files the alias keys are computed from (folders: every file in them), as paths in
#: the package; the stored index is stale when any of them changes.
_KEY_SOURCES = (
    "aliases.py",
    "_text.py",
    "match/normalize.py",
    "match/phonetic.py",
    "match/initials.py",
    "translit",
    "data/languages.json",
    "data/legal_forms.json",
    "data/lookalikes.json",
    "data/titles.json",
    "data/schemes",
    *(f"data/aliases/{table}.json" for table in TABLES),
)
_INDEX_FILE = "alias_index.json"


def _files(node: Any, path: str) -> Iterable[tuple[str, Any]]:
    if node.is_dir():
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name != "__pycache__":
                yield from _files(child, f"{path}/{child.name}")
    elif node.is_file():
        yield path, node


def fingerprint() -> str:
    """A digest of the files the alias keys are computed from (:data:`_KEY_SOURCES`)."""
    root = resources.files("namematch")
    digest = hashlib.sha256()
    for source in _KEY_SOURCES:
        node = root
        for part in source.split("/"):
            node = node / part
        for path, file in _files(node, source):
            data = file.read_bytes()
            digest.update(f"{path}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def index_document() -> dict[str, Any]:
    """The alias indexes of every table, computed now, as ``data/build.py`` ships them."""
    tables: dict[str, Any] = {}
    for table in TABLES:
        position = {id(entity): at for at, entity in enumerate(_table(table))}
        tables[table] = [
            {key: [[rank, position[id(entity)]] for rank, entity in found] for key, found in sorted(index.items())}
            for index in _computed_index(table)
        ]
    given = [{form: sorted(ids) for form, ids in sorted(index.items())} for index in _computed_given_index()]
    from namematch.match.initials import computed_letters  # it builds on this module

    return {
        "generated": "by data/build.py from the alias tables and the scheme files; do not edit",
        "fingerprint": fingerprint(),
        "tables": tables,
        "given_names": given,
        "initial_letters": computed_letters(),
    }


def stored_initial_letters() -> dict[str, list[str]] | None:
    """The initials' letter table as shipped, when it is current (see the module's docstring)."""
    stored = _stored()
    found = None if stored is None else stored.get("initial_letters")
    return found if isinstance(found, dict) else None


@cache
def _stored() -> dict[str, Any] | None:
    """The shipped index, when it was computed from the files as they are now."""
    path = resources.files("namematch") / "data" / _INDEX_FILE
    try:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if document.get("fingerprint") == fingerprint():
            return document
    except (OSError, ValueError):
        pass
    return None


@cache
def _index(table: str) -> tuple[dict[str, list[tuple[int, Entity]]], dict[str, list[tuple[int, Entity]]]]:
    """(exact key -> [(rank, entity)], phonetic key -> [(rank, entity)]) for one table."""
    stored = _stored()
    if stored is None:
        return _computed_index(table)
    entities = _table(table)
    exact, loose = (
        {key: [(rank, entities[at]) for rank, at in found] for key, found in index.items()}
        for index in stored["tables"][table]
    )
    return exact, loose


def _computed_index(table: str) -> tuple[dict[str, list[tuple[int, Entity]]], dict[str, list[tuple[int, Entity]]]]:
    exact: dict[str, list[tuple[int, Entity]]] = {}
    loose: dict[str, list[tuple[int, Entity]]] = {}
    for entity in _table(table):
        for alias in entity.aliases:
            rank = _TYPE_RANK.get(alias.type, 9)
            words = _words(alias.name)
            keys = ("".join(f for f, _ in words), " ".join(fs[0] for _, fs in words))
            for index, key in zip((exact, loose), keys, strict=True):
                if not key:
                    continue
                found = index.setdefault(key, [])
                if all(e is not entity for _, e in found):
                    found.append((rank, entity))
                else:  # keep the best rank of this entity under this key
                    found[:] = [(min(r, rank), e) if e is entity else (r, e) for r, e in found]
    return exact, loose


def _tables_for(kind: str | None) -> list[str]:
    if kind is None:
        return list(TABLES)
    wanted = _KIND_ALIASES.get(kind, kind)
    if wanted in TABLES:
        return [wanted]
    tables = [t for t, kinds in TABLES.items() if wanted in kinds]
    if not tables:
        valid = sorted({*TABLES, *_KIND_ALIASES, *(k for kinds in TABLES.values() for k in kinds)})
        raise NamematchError(f"unknown kind {kind!r}; valid: {', '.join(valid)}")
    return tables


def lookup(name: str, *, kind: str | None = None) -> list[Entity]:
    """The entities one of whose names or aliases is *name*, best first.

    *name* is compared after normalisation and romanisation (case, spacing, hyphens and apostrophes
    do not matter); when no alias has the same spelling, the same phonetic form (another
    romanisation) is accepted. ``kind`` is a table (``places``, ``countries``, ``given_names``,
    ``organisations``, or ``place``, ``country``, ``given``, ``org``) or an entity kind
    (``city``, ``oblast``, ``legal_form``, ...).

    >>> [e.name for e in lookup("Kiev")] == [e.name for e in lookup("Київ")]
    True
    """
    words = _words(require_str(name, "name"))
    return find("".join(f for f, _ in words), " ".join(fs[0] for _, fs in words), kind=kind)


def find(key: str, phonetic: str, *, kind: str | None = None, loose: bool = True) -> list[Entity]:
    """:func:`lookup` by keys already computed (the matching core has them at hand); without
    ``loose``, only spellings equal letter for letter."""
    tables = _tables_for(kind)
    if not key:
        return []
    found: list[tuple[bool, int, Entity]] = []
    for is_loose in (False, True) if loose else (False,):
        for table in tables:
            for rank, entity in _index(table)[1 if is_loose else 0].get(phonetic if is_loose else key, ()):
                if kind is None or kind in (entity.kind, entity.table, table) or _KIND_ALIASES.get(kind) == table:
                    found.append((is_loose, rank, entity))
        if found:
            break
    found.sort(key=lambda item: (item[0], item[1], item[2].table != tables[0], item[2].id))
    seen: set[str] = set()
    out = []
    for _, _, entity in found:
        if entity.id not in seen:
            seen.add(entity.id)
            out.append(entity)
    return out


def canonical(name: str, *, kind: str | None = None) -> str | None:
    """The canonical (English) name of the best entity for *name*, or None.

    >>> canonical("Kiev"), canonical("Київ"), canonical("Kijów")
    ('Kyiv', 'Kyiv', 'Kyiv')
    """
    found = lookup(name, kind=kind)
    return found[0].name if found else None


def entities(table: str) -> tuple[Entity, ...]:
    """Every entity of one table (``places``, ``countries``, ``given_names``, ``organisations``)."""
    if table not in TABLES:
        raise NamematchError(f"unknown table {table!r}; valid: {', '.join(TABLES)}")
    return _table(table)


@cache
def _given_index() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Phonetic form of a one-word given name -> the groups it is an equivalent (or diminutive) of."""
    stored = _stored()
    if stored is None:
        return _computed_given_index()
    equivalents, diminutives = (
        {form: frozenset(ids) for form, ids in index.items()} for index in stored["given_names"]
    )
    return equivalents, diminutives


def _computed_given_index() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    equivalents: dict[str, set[str]] = {}
    diminutives: dict[str, set[str]] = {}
    for entity in _table("given_names"):
        for aliases, index in ((entity.aliases, equivalents), (entity.diminutives, diminutives)):
            for alias in aliases:
                words = _words(alias.name)
                if len(words) == 1:
                    for form in words[0][1]:
                        index.setdefault(form, set()).add(entity.id)
    return (
        {k: frozenset(v) for k, v in equivalents.items()},
        {k: frozenset(v) for k, v in diminutives.items()},
    )


def given_name_groups(forms: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The given-name groups a word (given by its phonetic forms) is an equivalent of, and those it
    is a diminutive of."""
    equivalents, small = _given_index()
    groups: frozenset[str] = frozenset()
    minor: frozenset[str] = frozenset()
    for form in forms:
        groups |= equivalents.get(form, frozenset())
        minor |= small.get(form, frozenset())
    return groups, minor


def warm(*, given_only: bool = False) -> None:
    """Load the indexes of the tables now (before forking workers that would each load them)."""
    _given_index()
    if not given_only:
        for table in TABLES:
            _index(table)


def reset() -> None:
    """Forget loaded tables (tests, and editing tables in a running interpreter), and what the
    scorer looked up in them."""
    from namematch.match.score import clear_entity_caches  # imported here: it builds on this module

    for cached in (_table, _index, _given_index, _stored):
        cached.cache_clear()
    clear_entity_caches()
