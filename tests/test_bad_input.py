"""Bad input gets a clear error or a documented result, never a crash deep inside."""

from __future__ import annotations

from typing import Any

import pytest

import namematch
from namematch import UnknownLanguageError, UnknownSchemeError, detect_language, transliterate, variants


@pytest.mark.parametrize("bad", [None, b"\xd0\x9a", bytearray(b"x"), 42, 4.2, ["Київ"]])
@pytest.mark.parametrize("function", [transliterate, variants, detect_language])
def test_non_text_raises_type_error_saying_what_was_expected(function: Any, bad: object) -> None:
    with pytest.raises(TypeError, match="must be str"):
        function(bad)


def test_bytes_get_a_hint_to_decode() -> None:
    with pytest.raises(TypeError, match="decode"):
        transliterate(b"\xd0\x9a")  # type: ignore[arg-type]


def test_unknown_scheme_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownSchemeError) as info:
        transliterate("Київ", "klingon-1984")
    assert isinstance(info.value, ValueError)
    assert "ua-ukr-Cyrl-Latn-2010" in str(info.value)
    assert "ua-ukr-Cyrl-Latn-2010" in info.value.valid


def test_unknown_language_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownLanguageError) as info:
        transliterate("Київ", lang="xx")
    assert isinstance(info.value, ValueError)
    for code in ("ru", "uk", "be", "bg", "sr", "mk", "kk"):
        assert code in info.value.valid


@pytest.mark.parametrize("bad", [3, b"uk", ["uk"]])
def test_scheme_and_lang_of_the_wrong_type(bad: Any) -> None:
    with pytest.raises((TypeError, namematch.NamematchError)):
        transliterate("Київ", bad)
    with pytest.raises((TypeError, namematch.NamematchError)):
        transliterate("Київ", lang=bad)


@pytest.mark.parametrize("limit", [0, -1, 1.5, True, "3"])
def test_variants_limit_must_be_positive(limit: Any) -> None:
    with pytest.raises(namematch.NamematchError, match="limit"):
        variants("Київ", limit=limit)


def test_empty_and_whitespace() -> None:
    assert transliterate("") == ""
    assert transliterate("   ") == "   "
    assert variants("") == [""]
    assert detect_language("") is None
    assert detect_language("  12 ,.") is None


def test_lone_surrogates_and_private_use_pass_through() -> None:
    assert transliterate("Київ\udcff\ue000", lang="uk") == "Kyiv\udcff\ue000"


@pytest.mark.parametrize("bad", [None, b"Ivanov", 42, ["Ivanov"]])
@pytest.mark.parametrize(
    "function",
    [namematch.normalize, namematch.keys, namematch.prepare, lambda x: namematch.similarity(x, "Ivanov")],
)
def test_matching_functions_reject_non_text(function: Any, bad: object) -> None:
    with pytest.raises(TypeError, match="must be str"):
        function(bad)


def test_matching_options_are_checked() -> None:
    with pytest.raises(namematch.NamematchError, match="kind must be one of"):
        namematch.similarity("a", "b", kind="animal")  # type: ignore[arg-type]
    with pytest.raises(namematch.NamematchError, match="gender must be one of"):
        namematch.compare("a", "b", gender="lax")  # type: ignore[arg-type]
    with pytest.raises(namematch.NamematchError, match="limit"):
        namematch.match("a", ["b"], limit=0)
    with pytest.raises(namematch.NamematchError, match="unknown measure"):
        namematch.measure("cosine", "a", "b")
    with pytest.raises(namematch.NamematchError, match="unknown phonetic code"):
        namematch.phonetic_code("a", "caverphone")


@pytest.mark.parametrize("text", ["", "   ", "\x00\x1b", "12345", "—", "'''", "😀"])
def test_degenerate_names_get_a_documented_score(text: str) -> None:
    assert namematch.similarity(text, text) == 1.0
    assert namematch.similarity(text, "Ivanov") == 0.0
    assert namematch.keys(text) == frozenset() or text == "12345"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Iva\u00adnov", "ivanov"),  # soft hyphen
        ("Ivan\u200bov", "ivanov"),  # zero-width space
        ("\ufeffIvanov\u200e", "ivanov"),  # byte order mark, left-to-right mark
        ("Ива\x00нов", "иванов"),  # a control character inside a word
        ("Ivan\x00Ivanov", "ivan ivanov"),  # ... between two (the capital still splits them)
        ("Ivan\tIvanov\r\n", "ivan ivanov"),  # white space separates, as a space does
        ("\x00\x1b\u200b", ""),
    ],
)
def test_invisible_characters_are_dropped(text: str, expected: str) -> None:
    assert namematch.normalize(text) == expected
    if expected:
        assert namematch.keys(text) == namematch.keys(expected)
        assert namematch.similarity(text, expected) == 1.0


def test_a_megabyte_name_is_handled() -> None:
    big = "Иванов " * 150_000
    assert namematch.normalize(big).count("иванов") == 150_000
    assert namematch.keys(big) == namematch.keys("Иванов")
    assert namematch.similarity(big, big) == 1.0  # on the first MAX_WORDS words, in bounded time
    assert namematch.similarity(big, "Иванов") < 1.0
