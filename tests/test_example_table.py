"""The example table of the README's dedupe command (`examples/news_entities.csv`) keeps its shape.

The table is hand-authored data; these checks keep later edits honest: the columns the docs name,
a size worth deduplicating, a mix of scripts, and ground-truth labels that agree with themselves.
"""

from __future__ import annotations

import csv
import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

TABLE = Path(__file__).resolve().parents[1] / "examples" / "news_entities.csv"
COLUMNS = ["id", "name", "kind", "country", "source", "entity"]
KINDS = {"person", "place", "org"}

Row = dict[str, str]


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    with TABLE.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        result = [dict(row) for row in reader]
    # a short row gives None values, a long one a None key: both mean the quoting is broken
    for row in result:
        assert None not in row, row
        assert all(isinstance(value, str) for value in row.values()), row
    return result


def scripts(text: str) -> set[str]:
    """The scripts of the letters of text, by the first word of their Unicode names (LATIN, CYRILLIC)."""
    return {unicodedata.name(ch).split()[0] for ch in text if ch.isalpha()}


def test_size(rows: list[Row]) -> None:
    assert 300 <= len(rows) <= 450


def test_ids_are_1_to_n(rows: list[Row]) -> None:
    assert [row["id"] for row in rows] == [str(i) for i in range(1, len(rows) + 1)]


def test_fields_are_filled_and_valid(rows: list[Row]) -> None:
    for row in rows:
        assert row["name"], row
        assert row["name"] == row["name"].strip(), row
        assert unicodedata.is_normalized("NFC", row["name"]), row
        assert row["kind"] in KINDS, row
        assert re.fullmatch(r"[A-Z]{2}", row["country"]), row
        assert re.fullmatch(r"[a-z]+(-[a-z]+)?", row["source"]), row  # a type of source, never a URL
        assert re.fullmatch(r"(person|place|org):[a-z0-9]+(-[a-z0-9]+)*", row["entity"]), row
        assert row["entity"].partition(":")[0] == row["kind"], row


def test_scripts_are_mixed(rows: list[Row]) -> None:
    cyrillic = sum(scripts(row["name"]) == {"CYRILLIC"} for row in rows)
    latin = sum(scripts(row["name"]) == {"LATIN"} for row in rows)
    assert cyrillic > 0.3 * len(rows)
    assert latin > 0.3 * len(rows)


def test_each_entity_has_one_kind_and_one_country(rows: list[Row]) -> None:
    seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in rows:
        seen[row["entity"]].add((row["kind"], row["country"]))
    assert {entity: kinds for entity, kinds in seen.items() if len(kinds) > 1} == {}


def test_entities_and_clusters(rows: list[Row]) -> None:
    mentions = Counter(row["entity"] for row in rows)
    assert len(mentions) >= 60
    assert sum(count >= 4 for count in mentions.values()) >= 10
    assert 1 in mentions.values(), "some entities are mentioned once"
    assert {row["kind"] for row in rows} == KINDS


def test_repeated_mentions_are_few_and_unambiguous(rows: list[Row]) -> None:
    names = Counter(row["name"] for row in rows)
    repeats = sum(count - 1 for count in names.values())
    assert repeats < 0.1 * len(rows)
    labels: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        labels[row["name"]].add(row["entity"])
    # one exact string under two labels would make the ground truth unreachable for any matcher
    assert {name: entities for name, entities in labels.items() if len(entities) > 1} == {}


def test_rows_are_shuffled(rows: list[Row]) -> None:
    neighbours = sum(a["entity"] == b["entity"] for a, b in itertools.pairwise(rows))
    assert neighbours < 0.1 * len(rows)
