"""The romanisation scheme format: one JSON file per published system, parsed and checked here.

This module is the single place where the format (documented in ``docs/scheme-format.md``) is
enforced: every key a file may hold is read here, an unknown key is an error, and every field read
has an effect on the engine or on the metadata users see.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from namematch._text import APOSTROPHES
from namematch.errors import SchemeFormatError

__all__ = ["LANGUAGES", "Output", "Rule", "Scheme", "parse_scheme"]

#: The languages namematch ships schemes for (ISO 639-1).
LANGUAGES = ("ru", "uk", "be", "bg", "sr", "mk", "kk")

#: Context words a rule may use besides its scheme's named classes and literal letters.
START, END = "start", "end"

_TOP_KEYS = {
    "id", "language", "name", "authority", "year", "source_url", "licence", "notes", "aliases",
    "classes", "map", "title", "rules", "samples",
}  # fmt: skip
_RULE_KEYS = {"from", "to", "after", "before", "not_after", "not_before", "note"}

#: An output is one string, or one string per source letter (so each letter keeps its own case:
#: BGN/PCGN writes ``тС`` as ``t·S``).
Output = tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """One rewrite: the letters ``source`` become ``output`` where every context condition holds.

    Context conditions are tuples of alternatives, each ``"start"``/``"end"`` (a word boundary), a
    class name of the scheme, or a string of literal letters; ``after`` looks at the character before
    the match, ``before`` at the character after it.
    """

    source: str
    output: Output
    after: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()

    @property
    def contextual(self) -> bool:
        return bool(self.after or self.before or self.not_after or self.not_before)


@dataclass(frozen=True)
class Scheme:
    """A published romanisation system, as shipped in ``namematch/data/schemes/``."""

    id: str
    language: str
    name: str
    authority: str
    year: int
    source_url: str
    licence: str
    notes: tuple[str, ...]
    aliases: tuple[str, ...]
    classes: Mapping[str, frozenset[str]] = field(repr=False)
    rules: tuple[Rule, ...] = field(repr=False)
    title: Mapping[str, str] = field(repr=False)
    samples: tuple[tuple[str, str], ...] = field(repr=False)

    @property
    def covered(self) -> frozenset[str]:
        """Every character (both cases) some rule of this scheme reads."""
        chars = {c for rule in self.rules for c in rule.source if c != "'"}
        chars |= {c.upper() for c in chars}
        if any(rule.source == "'" for rule in self.rules):
            chars |= set(APOSTROPHES)
        return frozenset(chars)


def _fail(scheme_id: str, message: str) -> SchemeFormatError:
    return SchemeFormatError(f"scheme {scheme_id!r}: {message}")


def _text(data: Mapping[str, Any], key: str, sid: str, *, allow_empty: bool = False) -> str:
    value = data.get(key)
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise _fail(sid, f"{key!r} must be a non-empty string")
    return value


def _strings(value: Any, what: str, sid: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(sid, f"{what} must be a string or a list of strings")
    return tuple(value)


def _is_cyrillic_source(text: str) -> bool:
    return text == "'" or all("CYRILLIC" in unicodedata.name(c, "") for c in text)


def _output(value: Any, source: str, sid: str) -> Output:
    parts = _strings(value, f"the output for {source!r}", sid)
    if len(parts) not in (1, len(source)):
        raise _fail(sid, f"the output for {source!r} must be one string or one per source letter")
    for part in parts:
        if any("CYRILLIC" in unicodedata.name(c, "") for c in part):
            raise _fail(sid, f"the output for {source!r} contains Cyrillic: {part!r}")
        if unicodedata.normalize("NFC", part) != part:
            raise _fail(sid, f"the output for {source!r} is not NFC: {part!r}")
    return parts


def _source(value: Any, sid: str) -> str:
    if not isinstance(value, str) or not value or not _is_cyrillic_source(value):
        raise _fail(sid, f'a source must be Cyrillic letters or "\'" (the apostrophe class), got {value!r}')
    if value != value.lower() or unicodedata.normalize("NFC", value) != value:
        raise _fail(sid, f"sources are written in lower case NFC: {value!r}")
    return value


def _conditions(value: Any, what: str, sid: str, classes: Mapping[str, frozenset[str]]) -> tuple[str, ...]:
    items = _strings(value, what, sid)
    for item in items:
        if item in (START, END) or item in classes:
            if (item == START and "before" in what) or (item == END and "after" in what):
                raise _fail(sid, f"{item!r} makes no sense in {what}")
            continue
        if not _is_cyrillic_source(item) or item != item.lower():
            raise _fail(sid, f"{what}: {item!r} is neither start/end, a class name nor lower-case Cyrillic letters")
    return items


def parse_scheme(data: Mapping[str, Any]) -> Scheme:
    """Check one scheme file's parsed JSON and build the :class:`Scheme` it describes."""
    sid = _text(data, "id", str(data.get("id", "?")))
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise _fail(sid, f"unknown keys {sorted(unknown)}; the format allows {sorted(_TOP_KEYS)}")
    language = _text(data, "language", sid)
    if language not in LANGUAGES:
        raise _fail(sid, f"language must be one of {LANGUAGES}, got {language!r}")
    year = data.get("year")
    if not isinstance(year, int) or not 1800 <= year <= 2100:
        raise _fail(sid, "'year' must be an integer year")

    classes: dict[str, frozenset[str]] = {}
    for name, letters in (data.get("classes") or {}).items():
        if not name.isidentifier() or name in (START, END):
            raise _fail(sid, f"class name {name!r} must be an identifier other than start/end")
        if not isinstance(letters, str) or not _is_cyrillic_source(letters) or letters != letters.lower():
            raise _fail(sid, f"class {name!r} must be a string of lower-case Cyrillic letters")
        classes[name] = frozenset(letters)

    rules: list[Rule] = []
    mapping = data.get("map")
    if not isinstance(mapping, dict) or not mapping:
        raise _fail(sid, "'map' must be a non-empty object")
    for src, out in mapping.items():
        rules.append(Rule(_source(src, sid), _output(out, src, sid)))
    for raw in data.get("rules") or []:
        if not isinstance(raw, dict) or set(raw) - _RULE_KEYS or "from" not in raw or "to" not in raw:
            raise _fail(sid, f"a rule must be an object with 'from' and 'to' and only {sorted(_RULE_KEYS)}: {raw!r}")
        src = _source(raw["from"], sid)
        rule = Rule(
            src,
            _output(raw["to"], src, sid),
            *(_conditions(raw.get(k), f"{k} of rule {src!r}", sid, classes) for k in ("after", "before")),
            *(_conditions(raw.get(k), f"{k} of rule {src!r}", sid, classes) for k in ("not_after", "not_before")),
        )
        if not rule.contextual:
            raise _fail(sid, f"rule {src!r} has no context; unconditional rewrites belong in 'map'")
        rules.append(rule)

    title: dict[str, str] = {}
    for src, out in (data.get("title") or {}).items():
        if not any(rule.source == src for rule in rules) or len(src) != 1:
            raise _fail(sid, f"title form given for {src!r}, which is not a single letter of the scheme")
        title[src] = _output(out, src, sid)[0]

    samples: list[tuple[str, str]] = []
    for pair in data.get("samples") or []:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise _fail(sid, f"a sample must be a [source, expected] pair: {pair!r}")
        samples.append((pair[0], pair[1]))

    return Scheme(
        id=sid,
        language=language,
        name=_text(data, "name", sid),
        authority=_text(data, "authority", sid),
        year=year,
        source_url=_text(data, "source_url", sid),
        licence=_text(data, "licence", sid),
        notes=_strings(data.get("notes"), "'notes'", sid),
        aliases=_strings(data.get("aliases"), "'aliases'", sid),
        classes=classes,
        rules=tuple(rules),
        title=title,
        samples=tuple(samples),
    )
