"""Initials compared letter by letter (namematch.match.initials), over every scheme's alphabet."""

from __future__ import annotations

import pytest

from namematch import compare
from namematch.match.initials import letters, letters_agree
from namematch.match.phonetic import fold
from namematch.match.prepared import Word, prepare
from namematch.translit.registry import get_language, schemes, transliterator

_SILENT = set("ъь")  # never start a word


def _word(text: str) -> Word:
    return prepare(text, kind="person").words[0]


@pytest.mark.parametrize("scheme", [s.id for s in schemes()])
def test_every_letter_agrees_with_its_romanisations(scheme: str) -> None:
    # Every letter of the scheme's alphabet, at the start of a word: the romanised word agrees
    # with the Cyrillic initial, and the romanisation's first letter (an initial) with the word.
    found = next(s for s in schemes() if s.id == scheme)
    romanise = transliterator(scheme)
    for letter in sorted(get_language(found.language).alphabet - _SILENT):
        cyrillic = letter.upper() + "ана"
        latin = romanise(cyrillic)
        if not fold(latin):
            continue
        assert letters_agree(_word(latin), _word(letter.upper())), (scheme, cyrillic, latin)
        assert letters_agree(_word(fold(latin)[0].upper()), _word(cyrillic)), (scheme, cyrillic, latin)


@pytest.mark.parametrize(
    ("initial", "name"),
    [
        ("Ch.", "Zh."),  # ч, ш or х; ж
        ("Ch.", "Zhanna"),
        ("Zh.", "Charlotta"),
        ("С.", "Zlatoslava"),  # з is s in German, never с in any scheme at the start of z
        ("Г.", "Храбрин"),  # two letters, one sound class (Ukrainian h)
        ("Г.", "Khrabrin"),
        ("Ш.", "Zhanna"),
    ],
)
def test_initials_of_other_letters_disagree(initial: str, name: str) -> None:
    assert not letters_agree(_word(initial), _word(name))


@pytest.mark.parametrize(
    ("initial", "name"),
    [
        ("Z.", "Zhanna"),  # a one-letter initial of a digraph
        ("Ж.", "Zhanna"),
        ("Ch.", "Khrabrin"),  # German and Polish ch is х
        ("H.", "Храбрин"),  # ISO 9 writes х as h
        ("I.", "Яков"),  # ia
        ("И.", "Iosif"),  # И+о, not ё
        ("Д.", "Dzhokhar"),  # Russian дж, not Serbian џ
        ("К.", "Xenia"),  # x is кс
        ("И.", "Ігор"),  # Ukrainian і is Russian и
        ("Е.", "Євген"),
        ("A.", "Әлихан"),
        ("Dm.", "Dmitry"),  # no letter's romanisation starts dm: the sound classes decide
    ],
)
def test_initials_of_one_letter_agree(initial: str, name: str) -> None:
    assert letters_agree(_word(initial), _word(name))


def test_letters_of_words() -> None:
    assert letters(_word("Жанна")) == frozenset("ж")
    assert letters(_word("Ігор")) == frozenset("и")  # one group: и, і, ї, й
    assert letters(_word("Zh")) == frozenset("ж")
    assert letters(_word("Dm")) is None


def test_names_with_initials_of_other_letters_do_not_match() -> None:
    assert not compare("Ch. Petrova", "Zhanna Petrova").is_match
    assert not compare("С. Петрова", "Zlatoslava Petrova").is_match
    assert not compare("Г. Петров", "Храбрин Петров").is_match
    assert compare("Zh. Petrova", "Жанна Петрова").is_match
    assert compare("Ch. Petrov", "Чеслав Петров").is_match


def test_shipped_letter_table_is_the_computed_one() -> None:
    # data/build.py stores the table in the alias index; a process reads it instead of compiling
    # every scheme, so the stored table must be exactly what the scheme files give now.
    from namematch.aliases import stored_initial_letters
    from namematch.match.initials import computed_letters

    assert stored_initial_letters() == computed_letters()
