"""Invariants of every measure and of the composite score (hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import namematch
from namematch import compare, similarity, transliterate
from tests.strategies import cyrillic_names, latin_text

names = cyrillic_names | latin_text.filter(lambda s: any(c.isalpha() for c in s))
measures = st.sampled_from(namematch.MEASURES)


@given(names, names, measures)
def test_every_measure_is_bounded_and_symmetric(a: str, b: str, measure: str) -> None:
    ab = namematch.measure(measure, a, b)
    assert 0.0 <= ab <= 1.0
    assert ab == namematch.measure(measure, b, a)


@given(names)
def test_identity_scores_one(a: str) -> None:
    assert similarity(a, a) == 1.0


@given(names, names)
def test_similarity_equals_the_explained_score(a: str, b: str) -> None:
    assert similarity(a, b) == compare(a, b).score
    assert similarity(a, b, gender="ignore") == compare(a, b, gender="ignore").score


@given(names, names)
def test_invariant_to_case_and_extra_spaces(a: str, b: str) -> None:
    # Uniform case on both sides (a word in capitals among small letters is read as the surname).
    assert similarity(a.upper(), b.upper()) == similarity(a.lower(), b.lower())
    assert similarity("  " + a.replace(" ", "   ") + " ", b) == similarity(a, b)


@given(
    st.lists(
        st.sampled_from(["Mikhail", "Evdokimov", "Nikolaevich", "Ivanova", "Anna", "Petrenko"]),
        min_size=2,
        max_size=3,
        unique=True,
    )
)
def test_token_order_does_not_matter_for_persons(words: list[str]) -> None:
    assert similarity(" ".join(words), " ".join(reversed(words)), kind="person") == 1.0


@given(cyrillic_names.filter(lambda n: all(len(w) > 1 for w in n.split())))
def test_cyrillic_matches_its_own_romanisation(name: str) -> None:
    latin = transliterate(name, lang=namematch.prepare(name).lang)
    # (letters the language does not have stay Cyrillic: such mixed names are another matter)
    if any(c.isalpha() for c in latin) and latin.isascii():
        assert similarity(name, latin) >= 0.9, (name, latin)


@given(names)
def test_keys_are_deterministic_and_ascii(a: str) -> None:
    assert namematch.keys(a) == namematch.keys(a)
    assert all(k.isascii() for k in namematch.keys(a))
