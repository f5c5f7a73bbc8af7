"""Conformance: every vector of every shipped system, exactly, in the given case and in capitals.

A shipped scheme is matched to the vectors file's system through its id or one of its aliases.
"""

from __future__ import annotations

import unicodedata

import pytest

import namematch
from namematch.translit.registry import transliterator
from tests.vectors import systems

SHIPPED = namematch.schemes()


def _cases() -> list[tuple[str, str, int, str, str]]:
    out = []
    for scheme in SHIPPED:
        for name in (scheme.id, *scheme.aliases):
            system = systems().get(name)
            if system is None:
                continue
            for i, vector in enumerate(system["vectors"]):
                out.append((scheme.id, name, i, vector["source"], vector["expected"]))
    return out


CASES = _cases()


@pytest.mark.parametrize(("scheme_id", "system", "index", "source", "expected"), CASES)
def test_vector(scheme_id: str, system: str, index: int, source: str, expected: str) -> None:
    # Output is NFC by contract; 2 expectations in the file are NFD (i + U+0308), compared canonically.
    assert namematch.transliterate(source, scheme_id) == unicodedata.normalize("NFC", expected)


# Capitals: the interscript reference treats ALL CAPS input inconsistently (see the vectors' `about`),
# so the expectation is derived here: the capitalised source romanises to the capitalised output.
@pytest.mark.parametrize(("scheme_id", "system", "index", "source", "expected"), CASES)
def test_vector_in_capitals(scheme_id: str, system: str, index: int, source: str, expected: str) -> None:
    assert transliterator(scheme_id)(source.upper()) == unicodedata.normalize("NFC", expected.upper())


def test_every_shipped_system_of_the_vectors_file_has_vectors_checked() -> None:
    checked = {case[1] for case in CASES}
    claimed = {name for scheme in SHIPPED for name in (scheme.id, *scheme.aliases) if name in systems()}
    assert checked == {name for name in claimed if systems()[name]["vectors"]}


@pytest.mark.parametrize("scheme", SHIPPED, ids=lambda s: s.id)
def test_samples(scheme: namematch.Scheme) -> None:
    assert scheme.samples, "every scheme carries samples that run as tests"
    for source, expected in scheme.samples:
        assert namematch.transliterate(source, scheme.id) == expected, source


@pytest.mark.parametrize("scheme", SHIPPED, ids=lambda s: s.id)
def test_samples_exercise_capitals_and_every_context_rule(scheme: namematch.Scheme) -> None:
    sources = [s for s, _ in scheme.samples]
    assert any(s.isupper() for s in sources), "a sample in capitals"
    for rule in scheme.rules:
        if rule.contextual:
            assert any(rule.source in s.lower() for s in sources), f"no sample reads rule {rule.source!r}"
