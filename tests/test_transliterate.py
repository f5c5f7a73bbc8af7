"""Unit tests of transliterate(): the examples people meet, scheme choice, errors=, case, apostrophes."""

from __future__ import annotations

import unicodedata

import pytest

import namematch
from namematch import UncoveredCharacterError, transliterate


@pytest.mark.parametrize(
    ("text", "scheme", "expected"),
    [
        ("Київ", "ua-ukr-Cyrl-Latn-2010", "Kyiv"),
        ("Зеленський", "uk_2010", "Zelenskyi"),
        ("Єнакієве", "kmu_55", "Yenakiieve"),
        ("Михаил Евдокимов", "bgn_pcgn", "Mikhail Yevdokimov"),
        ("Михаил Евдокимов", "icao_doc_9303", "Mikhail Evdokimov"),
        ("Щука", "icao_doc_9303", "Shchuka"),
        ("ЩУКА", "icao_doc_9303", "SHCHUKA"),
        ("Чайковский", "ala_lc", "Chaǐkovskiǐ"),
        ("Чайковский", "gost_779", "Čajkovskij"),
    ],
)
def test_examples(text: str, scheme: str, expected: str) -> None:
    assert transliterate(text, scheme) == expected


def test_language_defaults() -> None:
    assert transliterate("Київ", lang="uk") == "Kyiv"
    assert transliterate("Євдокимов", lang="ukr") == "Yevdokymov"
    assert transliterate("Евдокимов", lang="ru") == "Evdokimov"


def test_detected_language_is_used_without_scheme_or_lang() -> None:
    assert transliterate("Київ") == transliterate("Київ", lang="uk")
    assert transliterate("Ўладзімір") == transliterate("Ўладзімір", lang="be")


def test_no_evidence_falls_back_to_the_first_fitting_language() -> None:
    # "Москва" could be ru, uk, bg, ...; documented: the first language in priority order that fits.
    assert transliterate("Москва") == transliterate("Москва", lang="ru")


def test_scheme_by_alias_is_case_insensitive_and_accepts_scheme_objects() -> None:
    scheme = next(s for s in namematch.schemes() if s.id == "ua-ukr-Cyrl-Latn-2010")
    assert transliterate("Київ", "UK_2010") == transliterate("Київ", scheme) == "Kyiv"


def test_scheme_and_lang_must_agree() -> None:
    with pytest.raises(namematch.NamematchError, match="is for 'uk'"):
        transliterate("Київ", "uk_2010", lang="ru")
    assert transliterate("Київ", "uk_2010", lang="uk") == "Kyiv"


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u02bc", "\u2018", "`"])
def test_every_apostrophe_is_one_thing(apostrophe: str) -> None:
    assert transliterate(f"Знам{apostrophe}янка", lang="uk") == "Znamianka"


def test_apostrophes_outside_cyrillic_words_are_punctuation() -> None:
    assert transliterate("O'Brien і 'Київ'", lang="uk") == "O'Brien i 'Kyiv'"


def test_latin_digits_punctuation_and_spacing_pass_through() -> None:
    text = "Kyiv, 2024-05-01!\t(UA) — “quoted” Jürgen\n"
    assert transliterate(text, lang="uk") == text


def test_nfd_input_gives_the_nfc_output() -> None:
    for word in ("Йосипівка", "Їжакевич", "Ёлкин"):
        nfd = unicodedata.normalize("NFD", word)
        assert nfd != word
        assert transliterate(nfd, lang="uk" if "ї" in word.lower() or "і" in word else "ru") == transliterate(
            word, lang="uk" if "ї" in word.lower() or "і" in word else "ru"
        )


def test_stress_marks_stay_inside_the_word() -> None:
    # A combining acute is kept (on the Latin vowel, composed) and does not start a new word.
    assert transliterate("Я́ва", "bgn_pcgn") == "Yáva"
    assert transliterate("Вое́нный", "bgn_pcgn") == "Voyénnyy"


def test_capitals_follow_their_neighbours() -> None:
    assert transliterate("ЩЕРБУХИ", lang="uk") == "SHCHERBUKHY"
    assert transliterate("Щербухи", lang="uk") == "Shcherbukhy"
    assert transliterate("Ю. Щ. Петренко", lang="uk") == "Yu. Shch. Petrenko"
    assert transliterate("Я ВИДЕЛ", "bgn_pcgn") == "YA VIDEL"
    assert transliterate("Я видел", "bgn_pcgn") == "Ya videl"


class TestErrorsPolicy:
    # Kazakh қ is not a letter of the Ukrainian national system.
    TEXT = "Қазақ Київ"

    def test_preserve_keeps_uncovered_letters(self) -> None:
        assert transliterate(self.TEXT, "uk_2010") == "Қazaқ Kyiv"

    def test_ascii_falls_back_to_unidecode(self) -> None:
        assert transliterate(self.TEXT, "uk_2010", errors="ascii") == "K'azak' Kyiv"  # unidecode's қ

    def test_ignore_drops_them(self) -> None:
        assert transliterate(self.TEXT, "uk_2010", errors="ignore") == "aza Kyiv"

    def test_strict_names_the_character_and_its_index(self) -> None:
        with pytest.raises(UncoveredCharacterError) as info:
            transliterate("Київ Қазақ", "uk_2010", errors="strict")
        assert info.value.char == "Қ"
        assert info.value.index == 5
        assert "U+049A" in str(info.value)

    def test_strict_passes_covered_text(self) -> None:
        assert transliterate("Київ", "uk_2010", errors="strict") == "Kyiv"

    def test_other_scripts_are_uncovered_too(self) -> None:
        assert transliterate("Київ Αθήνα", "uk_2010", errors="ascii") == "Kyiv Athena"

    def test_latin_is_never_an_error(self) -> None:
        assert transliterate("Jürgen Київ", "uk_2010", errors="strict") == "Jürgen Kyiv"

    def test_unknown_policy(self) -> None:
        with pytest.raises(namematch.NamematchError, match="errors must be one of"):
            transliterate("Київ", errors="replace")  # type: ignore[arg-type]


def test_control_characters_and_empty_input() -> None:
    assert transliterate("", lang="uk") == ""
    assert transliterate("Київ\x00\x1b[0m\r\n", lang="uk") == "Kyiv\x00\x1b[0m\r\n"


def test_mixed_scripts_and_look_alikes_pass_through_unchanged() -> None:
    # A Latin "i" inside a Cyrillic word is Latin: transliterate leaves it (namematch.normalize folds it).
    assert transliterate("Мiнськ", lang="uk") == "Minsk"
    assert transliterate("Kиїв", lang="uk") == "Kyiv"


def test_a_megabyte_string() -> None:
    chunk = "Зеленський Володимир Олександрович, Київ; "
    text = chunk * (1_000_000 // len(chunk))
    out = transliterate(text, lang="uk")
    assert out == transliterate(chunk, lang="uk") * (1_000_000 // len(chunk))
