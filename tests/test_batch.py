"""The vectorised pair scorer gives exactly spelling_score's floats, pair by pair."""

from __future__ import annotations

import csv
import itertools
from array import array
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from namematch import NamematchError, similarities, similarity
from namematch.match.batch import MAX_WORDS, WordTable, evaluate_pairs, score_codes
from namematch.match.normalize import Kind
from namematch.match.prepared import Prepared, prepare
from namematch.match.score import Gender, contradicts, spelling_score
from tests.strategies import cyrillic_names, noisy_text

EXAMPLE = Path(__file__).parent.parent / "examples" / "news_entities.csv"

# Words that exercise every rule: surnames in both genders and scripts, given names and their
# equivalents, initials (also of two letters that share a sound class: Ch., Zh.), patronymics
# (same father, another father, a typo), legal forms, places.
POOL = [
    "Ivanov", "Ivanova", "Иванов", "Іванова", "Petrov", "Petrenko", "Evdokimov", "Yevdokimov", "Jewdokimow",
    "Mikhail", "Михаил", "Mykhailo", "Misha", "M.", "Ya.", "Я.", "I.", "Nikolaevich", "Николаевич",
    "Mykolaiovych", "Petrovich", "Vladislavovich", "Vladisladovich", "Ivanovna", "ООО", "LLC", "ТОВ", "JSC",
    "Gazprom", "«Газпром»", "Kyiv", "Київ", "Kiev", "Zelensky", "Зеленський", "Zelenska", "Selenskyj", "Olena",
    "Sergei", "SergeiLavrov", "Lavrov", "de", "van", "1991", "", "Ch.", "Zh.", "Zhanna", "Ж.", "Г.", "Khrabrin",
    "Dm.",
]  # fmt: skip


def _scalar(names: list[Prepared], pairs: list[tuple[int, int]]) -> list[float]:
    return [spelling_score(names[a], names[b]) for a, b in pairs]


def _assert_equal(texts: list[str], pairs: list[tuple[int, int]]) -> None:
    names = [prepare(t) for t in texts]
    table = WordTable(names)
    half = len(pairs) // 2
    # One table scored three times: later calls find some or all word pairs remembered.
    for part in (pairs[half:], pairs, pairs[:half]):
        got, different = evaluate_pairs(table, [a for a, _ in part], [b for _, b in part])
        want = _scalar(names, part)
        for k, (a, b) in enumerate(part):
            assert got[k] == want[k], (texts[a], texts[b], float(got[k]), want[k])
            assert different[k] == contradicts(names[a], names[b]), (texts[a], texts[b])


def test_every_pair_of_the_example_table() -> None:
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        texts = sorted({row["name"] for row in csv.DictReader(handle)})
    pairs = list(itertools.combinations(range(len(texts)), 2))
    _assert_equal(texts, pairs[::7])  # a seventh of the 75,000 pairs keeps the test quick


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(POOL), min_size=0, max_size=MAX_WORDS + 3).map(" ".join),
        min_size=2,
        max_size=25,
    )
)
def test_random_names_from_tricky_words(texts: list[str]) -> None:
    pairs = [(a, b) for a in range(len(texts)) for b in range(len(texts))]
    _assert_equal(texts, pairs)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(cyrillic_names, noisy_text), min_size=2, max_size=8))
def test_random_text(texts: list[str]) -> None:
    pairs = [(a, b) for a in range(len(texts)) for b in range(len(texts))]
    _assert_equal(texts, pairs)


@pytest.mark.parametrize(("most", "recent"), [(5, 1 << 19), (1 << 20, 3), (40, 7)])
def test_remembered_word_pairs_start_afresh_when_full(monkeypatch: pytest.MonkeyPatch, most: int, recent: int) -> None:
    from namematch.match import batch

    monkeypatch.setattr(batch, "_MAX_CACHED_CELLS", most)
    monkeypatch.setattr(batch, "_RECENT_CELLS", recent)  # the recent table joins the large one
    monkeypatch.setattr(batch, "CHUNK", 16)  # many batches, each meeting what the ones before remembered
    texts = [" ".join(POOL[k : k + 3]) for k in range(0, len(POOL), 2)]
    _assert_equal(texts, list(itertools.permutations(range(len(texts)), 2)))


def test_long_names_are_aligned_greedily_as_the_scalar_path_does() -> None:
    long = "Public Joint Stock Company Gazprom Neft of the Russian Federation Oil"
    texts = [long, long.replace("Oil", "Gas"), "Gazprom Neft", "ПАО «Газпром нефть»", "Gazprom", long + " Oil Oil"]
    _assert_equal(texts, list(itertools.permutations(range(len(texts)), 2)))


def test_codes_and_alias_tables() -> None:
    names = [prepare(t) for t in ("Kyiv", "Kiev", "Lviv", "Mikhail Evdokimov")]
    table = WordTable(names)
    codes = array("q", [0 << 32 | 1, 0 << 32 | 2, 2 << 32 | 3])
    plain, different = score_codes(table, codes)
    assert list(plain) == [spelling_score(names[a], names[b]) for a, b in ((0, 1), (0, 2), (2, 3))]
    assert list(different) == [int(contradicts(names[a], names[b])) for a, b in ((0, 1), (0, 2), (2, 3))]
    aliases = [frozenset({"kyiv"}), frozenset({"kyiv"}), frozenset(), frozenset()]
    aliased, different_aliased = score_codes(table, codes, [0, 1], aliases)
    assert aliased[0] == 1.0
    assert different_aliased[0] == 0
    assert aliased[1:] == plain[1:]
    assert len(score_codes(table, array("q"))[0]) == 0


def test_bad_arguments() -> None:
    names = [prepare("Ivanov")]
    with pytest.raises(ValueError, match="one length"):
        evaluate_pairs(names, [0, 0], [0])
    assert evaluate_pairs(names, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))[0].shape == (0,)


@pytest.mark.parametrize("kind", ["auto", "person", "place", "org"])
@pytest.mark.parametrize("gender", ["strict", "ignore"])
def test_similarities_is_similarity_in_bulk(kind: Kind, gender: Gender) -> None:
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        texts = sorted({row["name"] for row in csv.DictReader(handle)})
    pairs = list(itertools.combinations(texts[:150], 2))  # names recur: the bulk path
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    got = similarities(a, b, kind=kind, gender=gender)
    assert got == [similarity(x, y, kind=kind, gender=gender) for x, y in pairs]


def test_similarities_takes_prepared_names_and_repeats() -> None:
    kyiv = prepare("Kyiv")
    assert similarities([kyiv, "Kyiv", "Київ"], ["Kiev", kyiv, "Kyiv"]) == [1.0, 1.0, 1.0]
    assert similarities([], []) == []


@pytest.mark.parametrize(
    ("a", "b", "error"),
    [
        ("Kyiv", "Kiev", TypeError),
        (["Kyiv"], ["Kiev", "Lviv"], NamematchError),
        ([None], ["Kiev"], TypeError),
        ([b"Kyiv"], ["Kiev"], TypeError),
    ],
)
def test_similarities_bad_input(a: Any, b: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        similarities(a, b)
