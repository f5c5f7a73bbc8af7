"""dedupe: clusters, the chaining guard, blocking of common names, every row accounted for."""

from __future__ import annotations

import csv
import gc
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import namematch
from namematch import dedupe
from namematch.dedupe.blocking import blocking_keys, candidate_pairs
from namematch.dedupe.cluster import cluster
from namematch.match.prepared import clear_caches, prepare

EXAMPLE = Path(__file__).parent.parent / "examples" / "news_entities.csv"


def _together(labels: list[int], *rows: int) -> bool:
    return len({labels[r] for r in rows}) == 1


def test_scripts_and_romanisations_meet() -> None:
    names = ["Mikhail Evdokimov", "Евдокимов Михаил", "M. Evdokimov", "Jewdokimow Michail", "Petrov", "Petrenko"]
    labels = dedupe(names).labels
    assert _together(labels, 0, 1, 2, 3)
    assert labels[4] != labels[5]
    assert labels[4] != labels[0]


def test_places_by_alias_tables() -> None:
    labels = dedupe(["Kyiv", "Kiev", "Київ", "Kijów", "Lviv", "Lemberg", "Львів"]).labels
    assert _together(labels, 0, 1, 2, 3)
    assert _together(labels, 4, 5, 6)
    assert labels[0] != labels[4]


def test_no_chaining_through_a_typo() -> None:
    # Ivanonv is close to both; a union-find over matching pairs would merge Ivanov and Ivanova.
    result = dedupe(["Ivanov", "Ivanonv", "Ivanova"], pairs=True)
    assert result.labels[0] != result.labels[2]
    assert result.report.refused_merges >= 1
    assert {p.decision for p in result.pairs} >= {"refused"}


def test_no_chaining_through_a_bare_surname() -> None:
    names = ["Venda Krushovska", "Petrushka Krushovska", "Krushovska", "Venda KRUSHOVSKA", "Petrushka Krushovska"]
    labels = dedupe(names).labels
    assert labels[0] != labels[1]
    assert _together(labels, 0, 3)


def test_gender_policy() -> None:
    assert dedupe(["Ivan Ivanov", "Ivan Ivanova"]).labels == [0, 1]
    assert dedupe(["Ivan Ivanov", "Ivan Ivanova"], gender="ignore").labels == [0, 0]


def test_labels_are_in_order_of_first_row_and_deterministic() -> None:
    names = ["Petrov", "Kyiv", "Petrov", "Київ", "Zelensky", "Зеленський"]
    first = dedupe(names)
    assert first.labels == [0, 1, 0, 1, 2, 2]
    assert first.clusters == [[0, 2], [1, 3], [4, 5]]
    again = dedupe(list(names))
    assert again.labels == first.labels
    assert [r.name for r in again.representatives] == [r.name for r in first.representatives]


def test_representative_prefers_complete_and_official() -> None:
    result = dedupe(["V. Zelensky", "Volodymyr Zelensky", "Volodymyr Zelensky", "Зеленський"])
    rep = result.representatives[0]
    assert rep.name == "Volodymyr Zelensky"
    assert rep.row == 1
    assert "complete" in rep.reason
    city = dedupe(["Kiev", "Київ"]).representatives[0]
    assert city.name == "Kyiv"
    assert "alias" in city.reason


def test_full_word_counts_from_the_word_table_are_those_of_each_name() -> None:
    from namematch.dedupe.core import _full_word_counts, _full_words
    from namematch.match.wordtable import WordTable

    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        texts = [r["name"] for r in csv.DictReader(handle)]
    texts += ["A. B. Ivanov", "ООО «Ромашка»", "Jan van der Berg de la Cruz y Smit", "I", "", "J. R. R. Tolkien"]
    names = [prepare(t) for t in texts]
    assert _full_word_counts(WordTable(names)) == [_full_words(p) for p in names]


def test_a_word_table_ranked_elsewhere_is_the_same() -> None:
    from namematch.match.wordtable import WordTable, ranks

    names = [prepare(t) for t in ("Ivanov Ivan", "Иванов", "A. B. Ivanov", "Ivan", "ООО «Ромашка»", "")]
    table = WordTable(names, ranked=False)
    assert len(table.rank) == 0  # for the caller to set
    table.rank = ranks(names)
    assert list(table.rank) == list(WordTable(names).rank)
    assert sorted(table.rank) == list(range(len(names)))


def test_representative_ties_go_by_rows_then_capitals_then_latin() -> None:
    # Two full words each: the spelling with more rows wins; on a tie of rows, the one not in
    # capitals; then the Latin one; then the first row.
    assert dedupe(["IVANOV Ivan", "Ivanov Ivan", "Ivanov Ivan"]).representatives[0].name == "Ivanov Ivan"
    assert dedupe(["IVANOV Ivan", "Ivanov Ivan"]).representatives[0].name == "Ivanov Ivan"
    assert dedupe(["Иванов Иван", "Ivanov Ivan"]).representatives[0].name == "Ivanov Ivan"
    tie = dedupe(["Ivanov Ivan", "Ivan Ivanov"]).representatives[0]
    assert (tie.name, tie.row) == ("Ivanov Ivan", 0)


def test_nameless_rows_are_kept_and_counted() -> None:
    records: list[Any] = ["Kyiv", "", None, "   ", 42, b"Kyiv", "Kiev", float("nan")]
    result = dedupe(records)
    assert len(result.labels) == len(records)
    assert result.report.empty == 2
    assert result.report.null == 2
    assert result.report.invalid == 2
    assert result.labels[0] == result.labels[6]
    nameless = [result.labels[i] for i in (1, 2, 3, 4, 5, 7)]
    assert len(set(nameless)) == 6  # a singleton each
    assert "not text" in result.report.summary()


def test_dict_rows_and_same_columns() -> None:
    rows = [
        {"name": "Ivan Petrov", "country": "RU"},
        {"name": "Иван Петров", "country": "RU"},
        {"name": "Ivan Petrov", "country": "BG"},
    ]
    assert dedupe(rows, column="name").labels == [0, 0, 0]
    assert dedupe(rows, column="name", same=["country"]).labels == [0, 0, 1]
    assert rows[0] == {"name": "Ivan Petrov", "country": "RU"}  # untouched
    odd = [{"name": "Kyiv", "tags": ["a"]}, {"name": "Kiev", "tags": ["a"]}, {"name": "Київ", "tags": float("nan")}]
    assert dedupe(odd, column="name", same=["tags"]).labels == [0, 0, 1]


def test_bad_arguments() -> None:
    with pytest.raises(namematch.NamematchError, match="column"):
        dedupe([{"name": "x"}])
    with pytest.raises(namematch.NamematchError, match="dicts"):
        dedupe(["x"], column="name")
    with pytest.raises(namematch.NamematchError, match="threshold"):
        dedupe(["x"], threshold=1.5)
    with pytest.raises(namematch.NamematchError, match="kind"):
        dedupe(["x"], kind="ship")  # type: ignore[arg-type]
    with pytest.raises(namematch.NamematchError, match="threshold"):
        dedupe(["x"], threshold=True)
    with pytest.raises(namematch.NamematchError, match="max_block"):
        dedupe(["x"], max_block=0)
    with pytest.raises(namematch.NamematchError, match="window"):
        dedupe(["x"], window=2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="records"):
        dedupe("Kyiv")
    with pytest.raises(TypeError, match="records"):
        dedupe(None)
    with pytest.raises(namematch.NamematchError, match="pairs=True"):
        _ = dedupe(["x"]).pairs


def test_empty_input() -> None:
    result = dedupe([])
    assert result.labels == []
    assert result.clusters == []
    assert result.report.rows == 0


def test_the_garbage_collector_is_left_as_found() -> None:
    """Paused while dedupe runs, then resumed (or not) as it was; what survives the call is moved
    to the oldest generation, and objects the caller froze stay frozen."""
    names = ["Mikhail Evdokimov", "Евдокимов Михаил", "Kyiv", "Київ"]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    dedupe(names)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 100  # nothing left for a young collection to walk
    gc.disable()
    try:
        dedupe(names)
        assert not gc.isenabled()
    finally:
        gc.enable()
    kept = [object()]  # a tracked object the caller freezes
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        dedupe(names)
        assert gc.get_freeze_count() == frozen
        assert gc.isenabled()
    finally:
        gc.unfreeze()
    assert kept


def test_huge_and_hostile_names() -> None:
    big = "Иван " * 200_000
    names = [big, big + "x", "Ива\x00н", "Ivan\u200bov", "Мiнськ", "Минск"]
    result = dedupe(names)
    assert len(result.labels) == len(names)
    assert result.labels[4] == result.labels[5]


def test_common_surname_is_not_quadratic() -> None:
    given = ["Ivan", "Petr", "Sergei", "Mikhail", "Oleg", "Pavel", "Yuri", "Anton", "Boris", "Denis"]
    patronymics = [g + "ovich" for g in given] + [g + "evich" for g in given]
    names = [f"{g} {p} Ivanov" for g in given for p in patronymics for _ in range(3)]
    names += [f"Ivanov {i}" for i in range(400)]
    result = dedupe(names, max_block=50)
    n = len(names)
    assert result.report.oversized_blocks >= 1
    assert result.report.candidate_pairs < n * 60  # far from n*n/2
    assert "over the size limit" in result.report.summary()


def test_blocking_tiers() -> None:
    tiers = blocking_keys(prepare("Mikhail Evdokimov"))
    assert "Avdkmv" in tiers[0]
    assert "Avdkmv|m" in tiers[1]
    assert any("|" in k for k in tiers[2])
    initials = blocking_keys(prepare("M. Evdokimov"))
    assert "Avdkmv|m" in initials[1]
    assert not initials[2]


def test_three_word_names_block_on_their_initials_in_order() -> None:
    # The surname with one initial is a block of every Simonov(a) with an A.; with both initials,
    # in order, it is small, and it holds the name written with initials.
    full = blocking_keys(prepare("Alevtina Dmitrievna Simonova"))[2]
    for name in ("A. D. Simonova", "Simonova A.D.", "Симонова Алевтина Дмитриевна"):
        assert not full.isdisjoint(blocking_keys(prepare(name))[2]), name
    assert full.isdisjoint(blocking_keys(prepare("D. A. Simonova"))[2])


def test_an_oversized_alias_block_is_a_star() -> None:
    # Thousands of mentions of Kyiv in other spellings: each meets the first, none is left out.
    keys = [(frozenset({"@place:kyiv", f"w{i}"}), frozenset({f"w{i}|x"})) for i in range(12)]
    pairs, stats = candidate_pairs(keys, [f"s{i}" for i in range(12)], max_block=4, window=1)
    assert set(pairs) == {(0, i) for i in range(1, 12)}
    assert stats.star_pairs == 11


def test_a_small_alias_block_pairs_all_its_names() -> None:
    # Names of several words meet at tier 0 only by an alias-table entity's key: Abai Region and
    # Abay oblysy share no word, but the tables give both as names of one region.
    keys = [
        (frozenset({"@place:abai", "abai"}), frozenset({"abai|r"})),
        (frozenset({"@place:abai", "abay"}), frozenset({"abay|o"})),
        (frozenset({"abai"}), frozenset({"abai|x"})),
    ]
    pairs, _ = candidate_pairs(keys, ["a", "b", "c"], max_block=4, window=1)
    assert pairs == [(0, 1)]
    assert len(set(dedupe(["Abai Region", "Abay oblysy", "Абай облысы"]).labels)) == 1


def test_window_order_puts_one_word_names_and_surnames_first() -> None:
    from namematch.dedupe.blocking import window_spelling

    assert window_spelling(prepare("МУП «Кабанов»")) == window_spelling(prepare("Кабанов"))
    assert window_spelling(prepare("Kabanov LLC")) < window_spelling(prepare("Anna Kabanova"))
    assert window_spelling(prepare("A. D. Simonova")) == "1 simonova a d"
    assert window_spelling(prepare("Simonova A.D.")) == "1 simonova a d"


def test_candidate_pairs_window_for_oversized_finest_blocks() -> None:
    keys = [(frozenset({"k"}),) for _ in range(10)]
    pairs, stats = candidate_pairs(keys, [f"s{i}" for i in range(10)], max_block=4, window=1)
    assert stats.oversized == 1
    assert stats.windowed_names == 10
    assert set(pairs) == {(i, i + 1) for i in range(9)}


def _reference_pairs(
    keys: list[tuple[frozenset[str], ...]], spellings: list[str], max_block: int, window: int
) -> tuple[set[tuple[int, int]], tuple[int, int, int, int, int, str]]:
    """The blocking rules written out plainly, one block at a time (the oracle of the vectorised
    pairing): pairs, and (blocks used, oversized, windowed blocks, windowed names, largest, its key)."""
    finest = [max((t for t, tier in enumerate(tiers) if tier), default=-1) for tiers in keys]
    covered = [False] * len(keys)
    pairs: set[tuple[int, int]] = set()
    used = oversized_count = windowed_blocks = windowed_names = largest = 0
    largest_key = ""
    for tier in range(max((len(t) for t in keys), default=0)):
        blocks: dict[str, list[int]] = defaultdict(list)
        for i, tiers in enumerate(keys):
            for key in tiers[tier] if tier < len(tiers) else ():
                blocks[key].append(i)
        oversized = []
        for key in sorted(blocks):
            members = blocks[key]
            if len(members) > largest:
                largest, largest_key = len(members), key
            if len(members) > max_block:
                oversized.append(members)
                if tier == 0 and key.startswith("@"):  # an alias-table entity's block: a star
                    pairs.update((members[0], m) for m in members[1:])
                continue
            if len(members) < 2:
                continue
            used += 1
            for a in members:
                if tier > 0 or finest[a] == 0 or key.startswith("@"):  # an entity's block: all pairs
                    covered[a] = True
                    pairs.update((min(a, b), max(a, b)) for b in members if b != a)
        oversized_count += len(oversized)
        for members in oversized:
            stranded = [m for m in members if finest[m] == tier and not covered[m]]
            if len(stranded) < 2 and not (stranded and tier == 0):
                continue
            windowed_blocks += 1
            windowed_names += len(stranded)
            order = sorted(members, key=lambda m: (spellings[m], m))
            for m in stranded:
                at = order.index(m)
                pairs.update((min(m, o), max(m, o)) for o in order[max(0, at - window) : at + window + 1] if o != m)
    return pairs, (used, oversized_count, windowed_blocks, windowed_names, largest, largest_key)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(
            st.frozensets(st.sampled_from(["a", "b", "c", "d", "e", "f", "@g"]), max_size=3), min_size=1, max_size=4
        ).map(tuple),
        max_size=40,
    ),
    st.integers(2, 6),
    st.integers(1, 3),
    st.randoms(use_true_random=False),
)
def test_blocking_pairs_follow_the_rules(
    keys: list[tuple[frozenset[str], ...]], max_block: int, window: int, shuffler: random.Random
) -> None:
    from namematch.dedupe.blocking import Blocks, decode

    spellings = [f"{(i * 7) % 11:02d}" for i in range(len(keys))]
    pairs, stats = candidate_pairs(keys, spellings, max_block=max_block, window=window)
    expected, counts = _reference_pairs(keys, spellings, max_block, window)
    assert pairs == sorted(expected)
    got = (stats.blocks_used, stats.oversized, stats.windowed_blocks, stats.windowed_names)
    assert (*got, stats.largest_block, stats.largest_key) == counts
    # Names added with their numbers, in any order (as dedupe's slices arrive): the same.
    order = list(range(len(keys)))
    shuffler.shuffle(order)
    blocks = Blocks(len(keys))
    for i in order:
        blocks.add(keys[i], i)
    codes, shuffled = blocks.pairs(spellings, max_block=max_block, window=window)
    assert [decode(c) for c in codes] == pairs
    assert shuffled == stats


def test_blocks_are_numbered_one_way() -> None:
    from namematch.dedupe.blocking import Blocks

    with pytest.raises(ValueError, match="index"):
        Blocks(2).add((frozenset({"a"}),))
    with pytest.raises(ValueError, match="no index"):
        Blocks().add((frozenset({"a"}),), 0)


def test_cluster_refuses_chained_merges() -> None:
    # 0-1 and 1-2 match, 0-2 is evidence of two entities: 1 joins the better partner only.
    labels, stats = cluster(3, [(0, 1), (1, 2), (0, 2)], [0.95, 0.9, 0.7], 0.85, lambda a, b: 0.0, lambda a, b: True)
    assert labels == [0, 0, 2]
    assert stats.refused_merges == 1
    # The same scores without a contradiction (a typo, less detail): one cluster.
    labels, _ = cluster(3, [(0, 1), (1, 2), (0, 2)], [0.95, 0.9, 0.7], 0.85, lambda a, b: 0.0, lambda a, b: False)
    assert labels == [0, 0, 0]
    # Below the floor is evidence enough; a pair blocking never proposed is scored when needed.
    asked: list[tuple[int, int]] = []

    def score(a: int, b: int) -> float:
        asked.append((a, b))
        return 0.1

    labels, _ = cluster(3, [(0, 1), (1, 2)], [0.95, 0.9], 0.85, score, lambda a, b: False)
    assert labels == [0, 0, 2]
    assert asked == [(0, 2)]


def test_a_listed_name_is_no_evidence_against_an_unlisted_one() -> None:
    # 1 (a misspelt name of an organisation, not in the tables) matches 0 (its name in the tables);
    # 2 is the tables' abbreviation of it, far from 1 in spelling: no evidence of two entities.
    pairs, scores = [(0, 1), (0, 2), (1, 2)], [0.95, 1.0, 0.1]
    labels, _ = cluster(3, pairs, scores, 0.85, lambda a, b: 0.0, lambda a, b: True)
    assert labels == [0, 1, 0]
    labels, _ = cluster(3, pairs, scores, 0.85, lambda a, b: 0.0, lambda a, b: True, listed=[True, False, True])
    assert labels == [0, 0, 0]
    # Two listed names (of different entities, or they would score 1.0) still are evidence.
    labels, _ = cluster(3, pairs, scores, 0.85, lambda a, b: 0.0, lambda a, b: True, listed=[True, True, True])
    assert labels == [0, 1, 0]
    result = dedupe(
        [
            "Investigative Committee of the Russian Federation",
            "Следственный комитет Российской Федерации",
            "Sledstvennyi komitet Rossiiskoi Federatcii",
            "SK RF",
        ]
    )
    assert len(set(result.labels)) == 1


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 12),
    st.lists(
        st.tuples(st.integers(0, 11), st.integers(0, 11), st.sampled_from([0.3, 0.6, 0.8, 0.86, 0.9, 0.95, 1.0])),
        min_size=4,
        max_size=60,
    ),
    st.integers(1, 6),
    st.integers(0, 2**32 - 1),
)
def test_cluster_with_precomputed_contradictions_is_the_same(
    n: int, raw: list[tuple[int, int, float]], max_checks: int, seed: int
) -> None:
    """The vectorised linkage (contradictions given as an array) merges exactly as the one that
    asks the callbacks, including for pairs blocking never scored."""
    from array import array

    from namematch.dedupe.cluster import cluster_codes

    def hashed(a: int, b: int, salt: int) -> int:
        return hash((min(a, b), max(a, b), seed, salt)) & 0xFFFF

    def score(a: int, b: int) -> float:
        return [0.2, 0.7, 0.9][hashed(a, b, 1) % 3]

    def different(a: int, b: int) -> bool:
        return hashed(a, b, 2) % 2 == 0

    found = {(min(a, b) % n, max(a, b) % n): s for a, b, s in raw if a % n != b % n}
    codes = array("q", sorted(a << 32 | b for a, b in found))
    scores = array("d", (found[c >> 32, c & 0xFFFFFFFF] for c in codes))
    flags = array("b", (different(c >> 32, c & 0xFFFFFFFF) for c in codes))
    from namematch.dedupe import cluster as module

    listed = [hashed(i, i, 3) % 3 == 0 for i in range(n)] if seed % 2 else None
    plain, _ = cluster_codes(n, codes, scores, 0.85, score, different, max_checks=max_checks, listed=listed)
    saved = module._VECTOR_CHECKS
    try:
        for vector_checks in (1, saved):  # every merge checked with numpy, then as shipped
            module._VECTOR_CHECKS = vector_checks
            fast, _ = cluster_codes(
                n, codes, scores, 0.85, score, different, max_checks=max_checks, contradictions=flags, listed=listed
            )
            assert fast == plain
    finally:
        module._VECTOR_CHECKS = saved
    # Shared between processes by component (here the shares run one after another in this
    # process: forking is tested in a fresh interpreter below), the clusters are the same.
    from namematch.dedupe import parallel

    patched = {"can_fork": lambda: True, "MIN_PARALLEL_PAIRS": 1, "run_split": lambda tasks: [t() for t in tasks]}
    kept = {name: getattr(parallel, name) for name in patched}
    most = module.MAX_LINK_PROCESSES
    module.MAX_LINK_PROCESSES = 3
    try:
        for name, value in patched.items():
            setattr(parallel, name, value)
        for workers in (2, 3):
            split, stats = cluster_codes(
                n,
                codes,
                scores,
                0.85,
                score,
                different,
                max_checks=max_checks,
                contradictions=flags,
                listed=listed,
                workers=workers,
            )
            assert split == plain
            assert stats.processes == (workers if any(s >= 0.85 for s in scores) else 1)
    finally:
        module.MAX_LINK_PROCESSES = most
        for name, value in kept.items():
            setattr(parallel, name, value)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30), st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29)), max_size=60))
def test_components_are_those_of_a_union_find(n: int, edges: list[tuple[int, int]]) -> None:
    from namematch._numpy import np
    from namematch.dedupe.cluster import components

    edges = [(a % n, b % n) for a, b in edges]
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    expected = [min(y for y in range(n) if find(y) == find(x)) for x in range(n)]
    first = np.array([a for a, _ in edges], dtype=np.int64)
    second = np.array([b for _, b in edges], dtype=np.int64)
    assert components(n, first, second).tolist() == expected


def test_contradictions() -> None:
    from namematch.match.score import contradicts

    def differ(a: str, b: str) -> bool:
        return contradicts(prepare(a), prepare(b))

    assert differ("Ivan Ivanov", "Ivan Ivanova")
    assert differ("Venda Krushovska", "Petrushka Krushovska")
    assert differ("Ivan Petrovich Sidorov", "Ivan Nikolaevich Sidorov")
    assert differ("M. Evdokimov", "Pavel Evdokimov")
    assert not differ("Mikhail Evdokimov", "Mikhial Evdokimov")
    assert not differ("M. Evdokimov", "Mikhail Nikolaevich Evdokimov")


_PARALLEL_SCRIPT = """
import csv, sys
from namematch import dedupe
from namematch.dedupe import parallel
from namematch.match.prepared import clear_caches

from namematch.dedupe import core

parallel.MIN_PARALLEL_NAMES = parallel.MIN_PARALLEL_PAIRS = core.MIN_PARALLEL_NAMES = 10
parallel.SHARED_CHUNK = 40  # most names analysed by a helper
with open(sys.argv[1], encoding="utf-8", newline="") as handle:
    names = [r["name"] for r in csv.DictReader(handle)]
names += [f"{g} {s}" for g in ("Ivan", "Иван", "I.", "Petr", "Пётр") for s in ("Petrov", "Петров", "Sidorov")]
serial = dedupe(names, workers=1, pairs=True)
clear_caches()  # this process has not seen the helper's words: they arrive packed
both = dedupe(names, workers=2, pairs=True)  # numpy is loaded by now: its idle threads do not stop forking
assert serial.report.processes == {"analyse": 1, "block": 1, "score": 1, "cluster": 1}, serial.report.processes
assert both.report.processes == {"analyse": 2, "block": 2, "score": 2, "cluster": 2}, both.report.processes
assert serial.labels == both.labels
assert [r.name for r in serial.representatives] == [r.name for r in both.representatives]
assert [(p.name_a, p.name_b, p.score) for p in serial.pairs] == [(p.name_a, p.name_b, p.score) for p in both.pairs]
# map_shared alone: helpers from the first slice on, this process from the last one back, each
# slice yielded once
import pickle
parallel.SHARED_CHUNK = 7
for workers in (2, 3):
    items = list(range(1000))
    unpack = lambda _, blob: pickle.loads(blob)
    out = [None] * len(items)
    seen = []
    doubled = parallel.map_shared(lambda x: x * 2, items, pack=pickle.dumps, unpack=unpack, workers=workers)
    for start, results in doubled:
        out[start : start + len(results)] = results
        seen.append((start, len(results)))
    assert out == [x * 2 for x in range(1000)], workers
    assert sorted(seen) == [(s, min(7, 1000 - s)) for s in range(0, 1000, 7)], workers  # each slice once
# run_aside: each task once, the shared one by whichever process is done first; errors come back
import os
import time

from namematch.errors import NamematchError

assert parallel.run_aside(lambda: 1, lambda: 2, lambda: 3) == (1, 2, 3)
from array import array

sent = (array("q", range(-5, 300_000)), "x", array("d", [0.5, -1.0]), array("b"), [array("q", [7])])
assert parallel.run_aside(lambda: 1, lambda: sent, lambda: 3) == (1, sent, 3)  # arrays sent as bytes
assert parallel.run_aside(lambda: time.sleep(1), lambda: None, os.getpid)[2] != os.getpid()
assert parallel.run_aside(lambda: None, lambda: time.sleep(1), os.getpid)[2] == os.getpid()
try:
    parallel.run_aside(lambda: None, lambda: 1 / 0, lambda: None)
except NamematchError as error:
    assert "ZeroDivisionError" in str(error), error
else:
    raise AssertionError("no error from the forked process")
try:
    parallel.run_aside(lambda: None, lambda: os._exit(3), lambda: None)
except NamematchError as error:
    assert "exit code 3" in str(error), error
else:
    raise AssertionError("no error for a forked process that died")
print("same")
"""


def test_parallel_work_gives_the_same_clusters() -> None:
    # In a fresh interpreter: this one runs threads by now (pandas, DuckDB), and is never forked.
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", _PARALLEL_SCRIPT, str(EXAMPLE)], capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "same"


_DAEMON_SCRIPT = """
import multiprocessing


def job(names):
    from namematch import dedupe
    from namematch.dedupe import core, parallel

    core.MIN_PARALLEL_NAMES = parallel.MIN_PARALLEL_NAMES = parallel.MIN_PARALLEL_PAIRS = 10
    result = dedupe(names)
    return result.labels, result.report.processes, result.report.one_process


if __name__ == "__main__":
    names = [f"{g} {s}" for g in ("Ivan", "Иван", "Petr", "Пётр", "I.") for s in ("Petrov", "Sidorov", "Орлов")] * 3
    with multiprocessing.get_context("fork").Pool(1) as pool:
        labels, processes, why = pool.apply(job, (names,))
    assert set(processes.values()) == {1}, processes
    assert "daemonic" in why, why
    assert labels == job(names)[0]  # the same clusters as in a process that may fork
    print("same")
"""


def test_a_pool_worker_runs_in_one_process_and_says_why(tmp_path: Path) -> None:
    # A daemonic process (a multiprocessing pool's worker) may not start processes.
    import subprocess
    import sys

    script = tmp_path / "daemon.py"
    script.write_text(_DAEMON_SCRIPT, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "same"


def test_a_threaded_process_runs_in_one_process_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from namematch.dedupe import core

    monkeypatch.setattr(core, "MIN_PARALLEL_NAMES", 10)
    release = threading.Event()
    other = threading.Thread(target=release.wait)  # a thread of the caller's, as DuckDB would run
    other.start()
    try:
        result = dedupe([f"{g} {s}" for g in ("Ivan", "Иван", "Petr", "Пётр") for s in ("Petrov", "Sidorov", "Орлов")])
    finally:
        release.set()
        other.join()
    assert result.report.processes == {"analyse": 1, "block": 1, "score": 1, "cluster": 1}
    assert "threads" in result.report.one_process
    assert "ran in one process: this process runs" in result.report.summary()


def test_names_packed_by_a_helper_arrive_whole() -> None:
    from namematch.dedupe.core import _Packer, _Unpacker

    names = ["Евдокимов Михаил Николаевич", "M. N. Evdokimov", "ООО «Ромашка»", "Kyiv", "Jr", "Иванова-Петрова А."]
    here = [(prepare(n), frozenset[str](), blocking_keys(prepare(n))) for n in names]
    blob = _Packer().pack(here)
    clear_caches()
    back = _Unpacker().unpack(names, blob)
    for (p, _, tiers), (q, _, tiers_back) in zip(here, back, strict=True):
        assert (q.name, q.kind, q.normalized, q.roles, q.dropped, q.lang) == (
            p.name,
            p.kind,
            p.normalized,
            p.roles,
            p.dropped,
            p.lang,
        )
        assert [w.parts() for w in q.words] == [w.parts() for w in p.words]
        assert (q.weights, q.misses, q.special, q.keys) == (p.weights, p.misses, p.special, p.keys)
        assert tiers_back == tiers
        assert namematch.similarity(q, "Mikhail Evdokimov") == namematch.similarity(p, "Mikhail Evdokimov")


def test_prepared_names_survive_pickling() -> None:
    import pickle

    from namematch.match.prepared import Prepared

    original = prepare("Евдокимов Михаил Николаевич")
    copy = pickle.loads(pickle.dumps(original))
    assert isinstance(copy, Prepared)
    assert copy.words[0] is original.words[0]  # interned: the same word object, the same uid
    assert copy.uids == original.uids
    assert namematch.similarity(copy, "Mikhail Evdokimov") == namematch.similarity(original, "Mikhail Evdokimov")


def _bcubed(pred: list[int], truth: list[str]) -> float:
    by_pred: dict[int, Counter[str]] = defaultdict(Counter)
    for p, t in zip(pred, truth, strict=True):
        by_pred[p][t] += 1
    size_p, size_t = Counter(pred), Counter(truth)
    precision = sum(k * k / size_p[p] for p, c in by_pred.items() for k in c.values()) / len(pred)
    recall = sum(k * k / size_t[t] for c in by_pred.values() for t, k in c.items()) / len(pred)
    return 2 * precision * recall / (precision + recall)


def test_example_table_quality() -> None:
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    result = dedupe(rows, column="name")
    assert len(result.labels) == len(rows)
    # A regression guard on the shipped example, not a target (see benchmarks/ for those).
    assert _bcubed(result.labels, [r["entity"] for r in rows]) >= 0.85


def test_to_pandas_and_arrow_keep_the_input() -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"id": [3, 1, 2], "who": ["Zelensky", None, "Зеленський"]})
    result = dedupe(frame, column="who")
    out = result.to_pandas()
    assert list(out.columns) == ["id", "who", "cluster_id", "cluster_size", "canonical_name"]
    assert out["id"].tolist() == [3, 1, 2]
    assert out["cluster_id"].tolist() == [0, 1, 0]
    assert "cluster_id" not in frame.columns
    table = pa.table({"who": ["Kyiv", "Kiev", None]})
    arrow = dedupe(table, column="who").to_arrow()
    assert arrow.column_names == ["who", "cluster_id", "cluster_size", "canonical_name"]
    assert arrow.column("cluster_size").to_pylist() == [2, 2, 1]
    strings = dedupe(["Kyiv", "Kiev"]).to_pandas()
    assert strings["canonical_name"].tolist() == ["Kyiv", "Kyiv"]


_NAMES = st.sampled_from(
    ["Kyiv", "Kiev", "Київ", "Ivanov", "Ivanova", "Иванов", "Zelensky", "Зеленський", "Petrov", "Petrenko", "M. Petrov"]
)
_CELLS = st.one_of(_NAMES, st.text(max_size=12), st.none(), st.integers(), st.just(""), st.floats(allow_nan=True))


@settings(max_examples=60, deadline=None)
@given(st.lists(_CELLS, max_size=25))
def test_every_row_gets_exactly_one_label(cells: list[Any]) -> None:
    rows = [{"name": c, "n": i} for i, c in enumerate(cells)]
    snapshot = [dict(r) for r in rows]
    result = dedupe(rows, column="name")
    assert len(result.labels) == len(rows)
    assert rows == snapshot  # input untouched
    assert sorted(r for c in result.clusters for r in c) == list(range(len(rows)))
    assert result.clusters == [[r for r, x in enumerate(result.labels) if x == c] for c in range(len(result.clusters))]
    assert len(result.representatives) == len(result.clusters)
    seen: list[int] = []
    for label in result.labels:  # ids appear in order of first row
        if label not in seen:
            assert label == len(seen)
            seen.append(label)
    nameless = result.report.empty + result.report.null + result.report.invalid
    assert nameless == sum(1 for c in cells if not (isinstance(c, str) and c.strip()))
    assert result.report.rows == len(rows)
    for i, c in enumerate(cells):
        if not (isinstance(c, str) and c.strip()):
            assert len(result.clusters[result.labels[i]]) == 1
    # identical names always share a cluster; the result does not depend on the run
    for i, a in enumerate(cells):
        for j, b in enumerate(cells):
            if isinstance(a, str) and a.strip() and a == b:
                assert result.labels[i] == result.labels[j]
    assert dedupe(rows, column="name").labels == result.labels


def test_pair_scores_are_similarity() -> None:
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        names = [r["name"] for r in csv.DictReader(handle)]
    result = dedupe(names, pairs=True)
    assert result.pairs
    for pair in result.pairs:
        assert pair.score == namematch.similarity(pair.name_a, pair.name_b)


def test_pair_scores_do_not_depend_on_the_order_they_are_computed_in() -> None:
    from namematch.match.prepared import clear_caches
    from namematch.match.score import spelling_score

    names = ["OOO Vlasov", "V. E. Vlasov", "Vlasov Viktor", "Belokonska K.G.", "Belokonska Kleuna Geomilova"]
    names += ["Kleuna Belokonska", "K. Belokonska", "Д. Б. Бърборков", "Бърборков Диамантина"]
    pairs = [(a, b) for a in names for b in names if a < b]
    clear_caches()
    forward = {(a, b): spelling_score(prepare(a), prepare(b)) for a, b in pairs}
    clear_caches()
    backward = {(a, b): spelling_score(prepare(a), prepare(b)) for a, b in reversed(pairs)}
    assert forward == backward
