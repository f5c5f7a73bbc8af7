"""Reproducible corpora of Cyrillic names for the benchmarks.

Source: the person-name and city-name lists of Faker (https://github.com/joke2k/faker, MIT licence),
providers ``ru_RU``, ``uk_UA``, ``bg_BG`` and ``mk_MK``: lists of common given names, patronymics,
surnames and settlements compiled from public name statistics. Only the word lists are used (as
data); names are put together here with a fixed seed, so the same Faker version gives the same bytes
(the SHA-256 of each corpus is written into the results).
"""

from __future__ import annotations

import hashlib
import importlib
import random
from dataclasses import dataclass
from typing import Any

__all__ = ["Corpus", "build", "faker_version"]


@dataclass(frozen=True)
class Corpus:
    lang: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def words(self) -> list[str]:
        return [w for line in self.lines for w in line.split()]

    @property
    def megabytes(self) -> float:
        return len(self.text.encode("utf-8")) / 1e6

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def faker_version() -> str:
    try:
        return str(importlib.import_module("faker").VERSION)
    except ImportError as exc:  # pragma: no cover - the benchmark extra installs it
        raise ImportError("the benchmarks need Faker's name lists: pip install 'namematch[bench]'") from exc


def _lists(locale: str) -> tuple[Any, Any]:
    faker_version()
    person = importlib.import_module(f"faker.providers.person.{locale}").Provider
    try:
        address = importlib.import_module(f"faker.providers.address.{locale}").Provider
    except ImportError:
        address = None
    return person, address


def _pool(provider: Any, *names: str) -> list[str]:
    out: list[str] = []
    for name in names:
        values = getattr(provider, name, ())
        out.extend(values.keys() if isinstance(values, dict) else values)
    return sorted({v for v in out if v and v.strip()})


_LOCALES = {"ru": "ru_RU", "uk": "uk_UA", "bg": "bg_BG", "mk": "mk_MK"}


def build(lang: str, *, min_megabytes: float = 1.0, seed: int = 20261121) -> Corpus:
    """Lines of names (``Surname Given Patronymic``, ``Given Surname``, city names), at least *min_megabytes*."""
    person, address = _lists(_LOCALES[lang])
    rng = random.Random(f"{lang}-{seed}")
    lines: list[str] = []
    size = 0
    pools = {
        sex: (
            _pool(person, f"first_names_{sex}") or _pool(person, "first_names"),
            _pool(person, f"last_names_{sex}") or _pool(person, "last_names"),
            _pool(person, f"middle_names_{sex}"),
        )
        for sex in ("male", "female")
    }
    cities = _pool(address, "city_names") if address is not None else []
    while size < min_megabytes * 1e6:
        roll = rng.random()
        if cities and roll < 0.15:
            line = rng.choice(cities)
        else:
            first, last, middle = pools[rng.choice(("male", "female"))]
            if middle and roll < 0.6:
                line = f"{rng.choice(last)} {rng.choice(first)} {rng.choice(middle)}"
            else:
                line = f"{rng.choice(first)} {rng.choice(last)}"
            if rng.random() < 0.05:
                line = line.upper()
        lines.append(line)
        size += len(line.encode("utf-8")) + 1
    return Corpus(lang, tuple(lines))
