"""Language detection from distinctive letters."""

from __future__ import annotations

import pytest

from namematch import detect_language
from namematch.translit.detect import candidate_languages, language_scores


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Київ", "uk"),
        ("Зеленський Володимир Олександрович", "uk"),  # -ський: Russian writes -ский
        ("Донецьк", "uk"),
        ("Зеленский", None),  # every letter is also Ukrainian, Bulgarian or Kazakh
        ("Васька", None),  # ь before к, but not the Ukrainian ending
        ("Ґалаґан", "uk"),
        ("Євдокимов", "uk"),
        ("Ўладзімір", "be"),
        ("Дзяржынскі", "be"),
        ("Быков", "ru"),
        ("Объект", "ru"),
        ("Щёлково", "ru"),
        ("Электросталь", "ru"),
        ("България", "bg"),
        ("Търговище", "bg"),
        ("Ђорђе Јовановић", "sr"),
        ("Ѓорче Петров", "mk"),
        ("Ќерка", "mk"),
        ("Љубљана", "sr"),
        ("Қазақстан", "kk"),
        ("Өскемен", "kk"),
        ("Москва", None),
        ("Иван", None),
        ("Kyiv", None),
        ("", None),
    ],
)
def test_examples(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def test_capitals_count_as_their_letters() -> None:
    assert detect_language("КИЇВ") == "uk"
    assert detect_language("ЎЛАДЗІМІР") == "be"


def test_scores_explain_the_decision() -> None:
    scores = language_scores("Київ")
    assert scores["uk"] == (1, 0)  # ї is evidence, nothing foreign
    assert scores["ru"][1] == 1  # ї is foreign to Russian


def test_candidates_without_evidence_are_the_fitting_languages() -> None:
    assert candidate_languages("Москва") == ["ru", "uk", "be", "bg", "sr", "mk", "kk"]
    assert candidate_languages("Иван") == ["ru", "uk", "bg", "sr", "mk", "kk"]  # no и in Belarusian
    assert candidate_languages("Kyiv") == []
