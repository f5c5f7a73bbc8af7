"""The synthetic entity table (benchmarks/synth_entities.py) and the dedupe benchmark's metrics.

No timing here: determinism, ground truth, the hard-negative and decidability rules on a small table,
and the metrics against hand-computed examples and a pair-by-pair reference.
"""

from __future__ import annotations

import io
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import cache
from typing import Any

import pytest

pytest.importorskip("faker", reason="the table is built from Faker's name lists: pip install 'namematch[bench]'")
pytest.importorskip("iuliia")
pytest.importorskip("anyascii")

from benchmarks.bench_dedupe import by_category, evaluate, run_exact, run_metaphone_jw, sample_errors
from benchmarks.eval_pairs import Person
from benchmarks.synth_entities import (
    COLUMNS,
    Row,
    ascii_key,
    bulgarian_fathers_name,
    describe,
    generate,
    oracle_labels,
    person_keys,
    read_csv,
    write_csv,
)

ROWS = 500


@cache
def table() -> tuple[Row, ...]:
    return tuple(generate(ROWS, 7))


def _entities(rows: Sequence[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        out[row.entity].append(row)
    return out


def _words(row: Row) -> tuple[str, str, str]:
    given, patronymic, surname = row.canonical.split(" ")
    return given, patronymic, surname


# --------------------------------------------------------------------------- the table


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    assert generate(ROWS, 7) == list(table())
    assert generate(ROWS, 8) != list(table())


def test_size_ids_and_columns() -> None:
    rows = table()
    assert len(rows) == ROWS
    assert [row.id for row in rows] == list(range(ROWS))
    buffer = io.StringIO()
    write_csv(rows, buffer)
    assert buffer.getvalue().splitlines()[0] == ",".join(COLUMNS)
    assert read_csv(io.StringIO(buffer.getvalue())) == list(rows)


def test_ground_truth_is_consistent() -> None:
    """Every row of an entity agrees on what the entity is; hard negatives point at a present entity."""
    entities = _entities(table())
    for rows in entities.values():
        assert len({(r.kind, r.country, r.canonical, r.relation, r.related) for r in rows}) == 1
        assert all(r.name.strip() for r in rows)
    for rows in entities.values():
        if rows[0].relation != "base":
            assert rows[0].related in entities
            assert rows[0].related != rows[0].entity
    kinds = Counter(r.kind for r in table())
    assert set(kinds) == {"person", "place", "org"}
    assert {r.script for r in table()} >= {"Cyrl", "Latn"}


def test_cluster_sizes_are_skewed() -> None:
    stats = describe(table())
    assert 2.0 <= stats["mean_cluster_size"] <= 6.0
    assert stats["singleton_entities"] > 0.4
    assert stats["max_cluster_size"] >= 10


def test_full_names_are_unique_and_oracle_is_perfect() -> None:
    rows = table()
    stats = describe(rows)
    assert stats["indistinguishable_entity_pairs"] == 0
    scores = evaluate(oracle_labels(rows), [r.entity for r in rows])
    assert scores["bcubed_f1"] == scores["pairwise_f1"] == 1.0


def test_oracle_merges_entities_with_identical_names() -> None:
    a, b = table()[0], table()[1]
    twin = Row(**{**a.__dict__, "id": 1, "entity": "other", "name": "x"})
    stranger = Row(**{**b.__dict__, "id": 2, "entity": "third", "canonical": "Zzz"})
    labels = oracle_labels([a, twin, stranger])
    assert labels[0] == labels[1] != labels[2]


def _person_entities(rows: Sequence[Row]) -> dict[str, list[Row]]:
    return {e: rs for e, rs in _entities(rows).items() if rs[0].kind == "person"}


def test_reduced_mentions_single_out_their_entity() -> None:
    """The decidability rule: a mention without the patronymic, or with initials, has a reduced form
    no other entity of the table shares."""
    people = _person_entities(table())
    counts: Counter[str] = Counter()
    for rows in people.values():
        given, patronymic, surname = _words(rows[0])
        for level, key in person_keys(Person(rows[0].lang, "", given, surname, patronymic)).items():
            counts[f"{level}|{key}"] += 1
    reduced = 0
    for rows in people.values():
        given, patronymic, surname = _words(rows[0])
        keys = person_keys(Person(rows[0].lang, "", given, surname, patronymic))
        for row in rows:
            assert row.info in keys
            if row.info != "full":
                reduced += 1
                assert counts[f"{row.info}|{keys[row.info]}"] == 1, row
    assert reduced > 0


def test_parent_and_child_are_always_mentioned_with_the_patronymic() -> None:
    people = _person_entities(table())
    pairs = [(rows, people[rows[0].related]) for rows in people.values() if rows[0].relation == "parent_child"]
    assert pairs
    for child, parent in pairs:
        cg, cp, cs = _words(child[0])
        pg, pp, ps = _words(parent[0])
        assert (cg, cs) == (pg, ps)
        assert cp != pp
        assert all(r.info in ("full", "initials") for r in (*child, *parent))


def test_namesakes_and_relatives() -> None:
    people = _person_entities(table())
    relations = Counter(rows[0].relation for rows in people.values())
    assert relations["namesake"]
    assert relations["relative"]
    for rows in people.values():
        if rows[0].relation == "namesake":
            g, _, s = _words(rows[0])
            bg, _, bs = _words(people[rows[0].related][0])
            assert s == bs
            assert g != bg
        elif rows[0].relation == "relative":
            g, _, s = _words(rows[0])
            bg, _, bs = _words(people[rows[0].related][0])
            assert g != bg
            assert s == bs or s.rstrip("а") == bs.rstrip("а") or s[:3] == bs[:3]  # Иванов/Иванова, Шевченко


def test_romanised_rows_name_their_tool() -> None:
    for row in table():
        if row.kind == "person" and row.script == "Latn":
            assert row.tool != "cyrillic"
        if row.tool.startswith("namematch:"):
            assert row.circular == 1
        if row.typo:
            assert row.script == "Latn"


def test_helpers() -> None:
    assert ascii_key("Ёлкин") == ascii_key("ELKIN") == "elkin"
    assert bulgarian_fathers_name("Петър", "male") == "Петров"
    assert bulgarian_fathers_name("Георги", "female") == "Георгиева"
    assert bulgarian_fathers_name("Андрей", "male") == "Андреев"
    assert bulgarian_fathers_name("Христо", "male") == "Христов"


# --------------------------------------------------------------------------- metrics


def test_metrics_hand_computed() -> None:
    # cells: (0,a)=2 (0,b)=1 (1,b)=2 -> 2 correct pairs of 4 predicted and 4 true
    s = evaluate([0, 0, 0, 1, 1], ["a", "a", "b", "b", "b"])
    assert (s["pairs_correct"], s["pairs_predicted"], s["pairs_true"]) == (2, 4, 4)
    assert s["pairwise_precision"] == s["pairwise_recall"] == s["pairwise_f1"] == 0.5
    assert s["bcubed_precision"] == pytest.approx(11 / 15)
    assert s["bcubed_recall"] == pytest.approx(11 / 15)

    everything = evaluate([0, 0, 0, 0], ["a", "a", "b", "c"])
    assert everything["pairwise_precision"] == pytest.approx(1 / 6)
    assert everything["pairwise_recall"] == 1.0
    assert everything["bcubed_precision"] == pytest.approx(3 / 8)
    assert everything["bcubed_recall"] == 1.0
    assert everything["bcubed_f1"] == pytest.approx(2 * (3 / 8) / (1 + 3 / 8))

    singletons = evaluate([0, 1, 2, 3], ["a", "a", "b", "c"])
    assert singletons["pairwise_precision"] == 1.0  # no predicted pair: nothing wrong
    assert singletons["pairwise_recall"] == singletons["pairwise_f1"] == 0.0
    assert singletons["bcubed_precision"] == 1.0
    assert singletons["bcubed_recall"] == pytest.approx(3 / 4)

    cross = evaluate([0, 0, 1], ["a", "a", "a"], ["Cyrl", "Latn", "Latn"])
    assert cross["cross_script_pairs_true"] == 2
    assert cross["cross_script_recall"] == 0.5


def _reference(pred: Sequence[int], true: Sequence[int], scripts: Sequence[str]) -> dict[str, float]:
    """Pair by pair and row by row: slow and obviously right."""
    pairs = list(itertools.combinations(range(len(pred)), 2))
    same_pred = {(i, j) for i, j in pairs if pred[i] == pred[j]}
    same_true = {(i, j) for i, j in pairs if true[i] == true[j]}
    cross = {(i, j) for i, j in same_true if {scripts[i], scripts[j]} == {"Cyrl", "Latn"}}
    n = len(pred)
    bp = sum(
        sum(1 for y in range(n) if pred[y] == pred[x] and true[y] == true[x])
        / sum(1 for y in range(n) if pred[y] == pred[x])
        for x in range(n)
    )
    br = sum(
        sum(1 for y in range(n) if pred[y] == pred[x] and true[y] == true[x])
        / sum(1 for y in range(n) if true[y] == true[x])
        for x in range(n)
    )
    return {
        "pairwise_precision": len(same_pred & same_true) / len(same_pred) if same_pred else 1.0,
        "pairwise_recall": len(same_pred & same_true) / len(same_true) if same_true else 1.0,
        "bcubed_precision": bp / n,
        "bcubed_recall": br / n,
        "cross_script_recall": len(cross & same_pred) / len(cross) if cross else 1.0,
    }


@pytest.mark.parametrize("seed", range(20))
def test_metrics_match_the_pairwise_reference(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 30)
    pred = [rng.randint(0, 6) for _ in range(n)]
    true = [rng.randint(0, 6) for _ in range(n)]
    scripts = [rng.choice(("Cyrl", "Latn", "mixed")) for _ in range(n)]
    got = evaluate(pred, true, scripts)
    for key, value in _reference(pred, true, scripts).items():
        assert got[key] == pytest.approx(value), key


def test_by_category_and_error_samples() -> None:
    rows = list(table())[:60]
    truth = [r.entity for r in rows]
    ids: dict[str, int] = {}
    perfect = [ids.setdefault(e, len(ids)) for e in truth]
    parts = by_category(perfect, rows)
    assert all(v["bcubed_precision"] == v["bcubed_recall"] == 1.0 for cat in parts.values() for v in cat.values())
    assert sum(v["rows"] for v in parts["kind"].values()) == len(rows)
    lumped = [0] * len(rows)
    errors: dict[str, Any] = sample_errors(lumped, rows, count=3)
    assert errors["false_merge_clusters"] == 1
    assert errors["split_entities"] == 0
    assert len(errors["false_merges"]) == 1
    assert errors["missed_merges"] == []
    assert errors["false_merges"][0]["a"]["entity"] != errors["false_merges"][0]["b"]["entity"]


def test_baselines_on_tiny_input() -> None:
    labels, _ = run_exact(["Иванов", "Ivanov", "IVANOV!", "Petrov", ""])
    assert labels[0] == labels[1] == labels[2] != labels[3]
    assert labels[4] not in labels[:4]
    pytest.importorskip("numpy")
    labels, info = run_metaphone_jw(["Ivanov Ivan", "Ivanov Ivan", "Ivanow Ivan", "Petrov Pyotr", "Sidorov"])
    assert labels[0] == labels[1] == labels[2]
    assert len(set(labels)) == 3
    assert info["candidate_pairs"] >= 1
