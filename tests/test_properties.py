"""Property-based invariants of transliteration and detection (hypothesis)."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

import namematch
from namematch import detect_language, transliterate, variants
from namematch.translit.engine import Transliterator
from namematch.translit.registry import get_scheme
from tests.strategies import LANG_CODES, cyrillic_names, language_words, latin_text, noisy_text

SCHEME_IDS = [s.id for s in namematch.schemes()]
schemes = st.sampled_from(SCHEME_IDS)


@given(cyrillic_names, schemes)
def test_nfc_and_nfd_input_give_the_same_output(name: str, scheme: str) -> None:
    assert transliterate(unicodedata.normalize("NFD", name), scheme) == transliterate(name, scheme)


@given(latin_text, schemes)
def test_latin_only_text_is_unchanged(text: str, scheme: str) -> None:
    assert transliterate(text, scheme) == unicodedata.normalize("NFC", text)


@given(noisy_text, schemes)
def test_deterministic_and_total_on_any_text(text: str, scheme: str) -> None:
    assert transliterate(text, scheme) == transliterate(text, scheme)
    assert isinstance(transliterate(text, scheme, errors="ignore"), str)


@settings(max_examples=300)
@given(language_words(min_size=2), st.data())
def test_all_caps_word_gives_the_capitalised_output(lang_word: tuple[str, str], data: st.DataObject) -> None:
    # Words of two letters or more: a one-letter capital is an initial (Щ. -> Shch.), see the README.
    lang, word = lang_word
    scheme = data.draw(st.sampled_from([s.id for s in namematch.schemes() if s.language == lang]))
    expected = unicodedata.normalize("NFC", transliterate(word, scheme).upper())
    assert transliterate(word.upper(), scheme) == expected


@given(language_words(), st.data())
def test_romanised_text_is_a_fixed_point(lang_word: tuple[str, str], data: st.DataObject) -> None:
    lang, word = lang_word
    scheme = data.draw(st.sampled_from([s.id for s in namematch.schemes() if s.language == lang]))
    once = transliterate(word, scheme, errors="ignore")
    assert transliterate(once, scheme) == once


@given(noisy_text | cyrillic_names)
def test_detection_returns_a_listed_code_or_none(text: str) -> None:
    assert detect_language(text) in {*LANG_CODES, None}


@given(language_words(min_size=2))
def test_variants_are_distinct_and_include_the_default(lang_word: tuple[str, str]) -> None:
    lang, word = lang_word
    found = variants(word, lang=lang)
    assert len(found) == len(set(found)) >= 1
    assert transliterate(word, lang=lang) in found


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from([*"ЯяЮюЩщ", "ЩУКА", "Щука", "Їжак", "ЄНАКІЄВЕ", "зг", "''", "Ь", "'Я", "Яʼ", "Щ.", "-Ю"])
        | cyrillic_names,
        max_size=4,
    ).map(" ".join),
    schemes,
)
@example("'Я ЩУКА", "icao-rus-Cyrl-Latn-9303")
@example("ЩУКА Яʼ", "ua-ukr-Cyrl-Latn-2010")
@example("Я ВИДЕЛ", "bgnpcgn-rus-Cyrl-Latn-1947")
def test_the_memo_and_word_splitting_change_no_output(text: str, scheme: str) -> None:
    plain = Transliterator(get_scheme(scheme), memo=False)
    memo = Transliterator(get_scheme(scheme))
    assert memo(text) == plain(text)
    assert memo(text) == plain(text)  # and again, from the memo
    for word in text.split(" "):
        assert memo(word) == plain(word)
