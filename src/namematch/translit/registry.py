"""Where the shipped schemes and language facts are found, parsed once, and cached.

Nothing is read at import time. The first call that needs the schemes parses every file in
``namematch/data/schemes/`` (a few milliseconds); a scheme is compiled into a
:class:`~namematch.translit.engine.Transliterator` the first time it is used. :func:`reset` drops
every cache (for tests, and for anyone editing scheme files in a running interpreter).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from namematch.errors import SchemeFormatError, UnknownLanguageError, UnknownSchemeError
from namematch.translit.engine import Transliterator
from namematch.translit.scheme import LANGUAGES, Scheme, parse_scheme

__all__ = ["Language", "get_language", "get_scheme", "languages", "reset", "schemes", "transliterator"]


@dataclass(frozen=True)
class Language:
    """Facts about one supported language (from ``namematch/data/languages.json``)."""

    code: str
    name: str
    codes: tuple[str, ...]
    alphabet: frozenset[str]
    evidence: frozenset[str]
    evidence_patterns: tuple[str, ...]
    foreign_patterns: tuple[str, ...]
    default_scheme: str
    default_reason: str


def _data() -> Any:
    return resources.files("namematch") / "data"


@cache
def _languages() -> dict[str, Language]:
    raw = json.loads((_data() / "languages.json").read_text(encoding="utf-8"))
    out = {}
    for code in raw["priority"]:
        entry = raw["languages"][code]
        out[code] = Language(
            code=code,
            name=entry["name"],
            codes=tuple(entry["codes"]),
            alphabet=frozenset(entry["alphabet"]),
            evidence=frozenset(entry["evidence"]),
            evidence_patterns=tuple(entry.get("evidence_patterns", ())),
            foreign_patterns=tuple(entry.get("foreign_patterns", ())),
            default_scheme=entry["default_scheme"],
            default_reason=entry["default_reason"],
        )
    assert tuple(sorted(out)) == tuple(sorted(LANGUAGES))
    return out


def languages() -> list[Language]:
    """The supported languages, in detection priority order (most text in the wild first)."""
    return list(_languages().values())


@cache
def _language_index() -> dict[str, str]:
    return {alias.casefold(): lang.code for lang in _languages().values() for alias in lang.codes}


def get_language(code: str) -> Language:
    """The language for an ISO 639-1/639-2 code or English name; :class:`UnknownLanguageError` otherwise."""
    found = _language_index().get(code.strip().casefold()) if isinstance(code, str) else None
    if found is None:
        raise UnknownLanguageError(str(code), _language_index())
    return _languages()[found]


@cache
def _schemes() -> tuple[dict[str, Scheme], dict[str, str]]:
    by_id: dict[str, Scheme] = {}
    index: dict[str, str] = {}
    folder = _data() / "schemes"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        try:
            scheme = parse_scheme(json.loads(entry.read_text(encoding="utf-8")))
        except json.JSONDecodeError as exc:
            raise SchemeFormatError(f"{entry.name}: not valid JSON: {exc}") from exc
        if entry.name != scheme.id + ".json":
            raise SchemeFormatError(f"{entry.name}: the file must be named after its id, {scheme.id}.json")
        by_id[scheme.id] = scheme
        for name in (scheme.id, *scheme.aliases):
            key = name.casefold()
            if index.get(key, scheme.id) != scheme.id:
                raise SchemeFormatError(f"{name!r} names both {index[key]!r} and {scheme.id!r}")
            index[key] = scheme.id
    return by_id, index


def schemes() -> list[Scheme]:
    """Every shipped scheme, sorted by language (priority order), then id."""
    order = {code: i for i, code in enumerate(_languages())}
    return sorted(_schemes()[0].values(), key=lambda s: (order[s.language], s.id))


def get_scheme(name: str) -> Scheme:
    """The scheme with this id or alias (case-insensitive); :class:`UnknownSchemeError` otherwise."""
    by_id, index = _schemes()
    found = index.get(name.strip().casefold()) if isinstance(name, str) else None
    if found is None:
        raise UnknownSchemeError(str(name), by_id)
    return by_id[found]


@cache
def transliterator(scheme_id: str) -> Transliterator:
    """The compiled transliterator of a scheme id (compiled once, then cached)."""
    return Transliterator(get_scheme(scheme_id))


def reset() -> None:
    """Forget every parsed and compiled table; the next call reads the files again."""
    from namematch.match import initials, prepared  # imported here: these build on this module
    from namematch.translit import api, detect

    for cached in (
        _languages,
        _language_index,
        _schemes,
        transliterator,
        detect.patterns,
        detect._word_scores,
        initials._tables,
    ):
        cached.cache_clear()
    initials.clear_caches()
    api.clear_cache()
    prepared.clear_caches()
