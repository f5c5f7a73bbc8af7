"""The functions the SQL engines get (``namematch.duckdb``, ``namematch.spark``): one table of
names, row functions, arities and result kinds, so that both engines offer the same functions with
the same signatures. Each engine maps a result kind to its own SQL type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from namematch.match.measures import keys
from namematch.match.normalize import Kind, normalize
from namematch.match.score import similarity
from namematch.translit.api import transliterate

__all__ = ["ROW_FUNCTIONS", "Result"]

#: What a function returns: a string, a list of strings, or a number.
Result = Literal["text", "list", "number"]


def _transliterate(text: str) -> str:
    return transliterate(text)


def _transliterate_scheme(text: str, scheme: str) -> str:
    return transliterate(text, scheme)


def _transliterate_lang(text: str, lang: str) -> str:
    return transliterate(text, lang=lang)


def _normalize(text: str) -> str:
    return normalize(text)


def _normalize_kind(text: str, kind: Kind) -> str:
    return normalize(text, kind=kind)


def _keys(name: str) -> list[str]:
    return sorted(keys(name))


def _keys_kind(name: str, kind: Kind) -> list[str]:
    return sorted(keys(name, kind=kind))


def _similarity(a: str, b: str) -> float:
    return similarity(a, b)


def _similarity_kind(a: str, b: str, kind: Kind) -> float:
    return similarity(a, b, kind=kind)


#: SQL name (without the prefix) -> (the Python function of one row, its arity, what it returns).
ROW_FUNCTIONS: dict[str, tuple[Callable[..., object], int, Result]] = {
    "transliterate": (_transliterate, 1, "text"),
    "transliterate_scheme": (_transliterate_scheme, 2, "text"),
    "transliterate_lang": (_transliterate_lang, 2, "text"),
    "normalize": (_normalize, 1, "text"),
    "normalize_kind": (_normalize_kind, 2, "text"),
    "keys": (_keys, 1, "list"),
    "keys_kind": (_keys_kind, 2, "list"),
    "similarity": (_similarity, 2, "number"),
    "similarity_kind": (_similarity_kind, 3, "number"),
}
