"""The scheme format: malformed files fail loudly, and every declared field has an effect."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

import namematch
from namematch import SchemeFormatError
from namematch.translit.engine import Transliterator
from namematch.translit.registry import languages
from namematch.translit.scheme import parse_scheme

BASE: dict[str, Any] = {
    "id": "test-scheme",
    "language": "ru",
    "name": "Test",
    "authority": "Tests",
    "year": 2000,
    "source_url": "https://example.org",
    "licence": "CC0",
    "map": {"а": "a", "е": "e", "т": "t", "с": "s", "щ": "shch", "ц": "ts"},
    "samples": [["ТАС", "TAS"]],
}


def scheme(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def run(data: dict[str, Any], text: str) -> str:
    return Transliterator(parse_scheme(data))(text)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"colour": "red"}, "unknown keys"),
        ({"language": "xx"}, "language must be one of"),
        ({"year": "2000"}, "year"),
        ({"name": ""}, "'name' must be a non-empty string"),
        ({"map": {}}, "'map' must be a non-empty object"),
        ({"map": {"A": "a"}}, "Cyrillic"),
        ({"map": {"А": "a"}}, "lower case"),
        ({"map": {"а": "а"}}, "contains Cyrillic"),
        ({"map": {"тс": ["t", "s", "x"]}}, "one per source letter"),
        ({"rules": [{"from": "е", "to": "ye"}]}, "has no context"),
        ({"rules": [{"from": "е", "to": "ye", "after": "vowels"}]}, "neither start/end"),
        ({"rules": [{"from": "е", "to": "ye", "before": "start"}]}, "makes no sense"),
        ({"rules": [{"from": "е", "to": "ye", "after": "start", "when": 1}]}, "a rule must be an object"),
        ({"title": {"я": "Ja"}}, "not a single letter of the scheme"),
        ({"samples": [["a"]]}, "a sample must be"),
        ({"classes": {"start": "а"}}, "class name"),
    ],
)
def test_malformed_schemes_are_rejected(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(SchemeFormatError, match=message):
        parse_scheme(scheme(**changes))


def test_metadata_fields_reach_the_scheme_object() -> None:
    parsed = parse_scheme(scheme(notes=["n"], aliases=["t1", "t2"]))
    assert (parsed.id, parsed.language, parsed.name, parsed.authority, parsed.year) == (
        "test-scheme", "ru", "Test", "Tests", 2000,
    )  # fmt: skip
    assert (parsed.source_url, parsed.licence, parsed.notes, parsed.aliases) == (
        "https://example.org", "CC0", ("n",), ("t1", "t2"),
    )  # fmt: skip
    assert parsed.samples == (("ТАС", "TAS"),)


def test_map_sequences_and_per_letter_outputs() -> None:
    data = scheme(map={**BASE["map"], "тс": ["t·", "s"]})
    assert run(data, "тс Тс тС ТС") == "t·s T·s t·S T·S"


def test_title_overrides_only_the_title_form() -> None:
    data = scheme(map={**BASE["map"], "ц": "t͡s"}, title={"ц": "T͡S"})
    assert run(data, "ца Ца ЦА") == "t͡sa T͡Sa T͡SA"


@pytest.mark.parametrize(
    ("rule", "text", "expected"),
    [
        ({"after": "start"}, "е те е-е", "ye te ye-ye"),
        ({"after": "vowel"}, "ае те", "aye te"),
        ({"after": "ть"}, "те се", "tye se"),
        ({"not_after": "start"}, "е те", "e tye"),
        ({"not_after": ["vowel", "т"]}, "ае те се", "ae te sye"),
        ({"before": "end"}, "ет е", "et ye"),
        ({"before": "т"}, "ет ес", "yet es"),
        ({"not_before": "end"}, "ет е", "yet e"),
        ({"not_before": "т"}, "ет ес", "et yes"),
    ],
)
def test_every_context_keyword_has_its_effect(rule: dict[str, Any], text: str, expected: str) -> None:
    data = scheme(classes={"vowel": "ае"}, rules=[{"from": "е", "to": "ye", **rule}])
    assert run(data, text) == expected


def test_longest_source_wins_and_context_beats_plain() -> None:
    data = scheme(map={**BASE["map"], "ес": "X"}, rules=[{"from": "е", "to": "ye", "after": "start"}])
    assert run(data, "ес те") == "X te"
    assert run(data, "е") == "ye"


def test_apostrophe_key_is_the_whole_class_inside_words_only() -> None:
    data = scheme(map={**BASE["map"], "'": "ʺ"})
    assert run(data, "т'а т’а тʼа 'та' O'Neil") == "tʺa tʺa tʺa 'ta' O'Neil"


def test_shipped_files_are_named_after_their_ids_and_aliases_are_unique() -> None:
    folder = resources.files("namematch") / "data" / "schemes"
    names: dict[str, str] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            assert entry.name == data["id"] + ".json"
            for alias in (data["id"], *data.get("aliases", [])):
                assert alias.casefold() not in names, (alias, names.get(alias.casefold()))
                names[alias.casefold()] = data["id"]


def test_every_language_default_scheme_is_shipped_and_of_that_language() -> None:
    by_id = {s.id: s for s in namematch.schemes()}
    for lang in languages():
        assert by_id[lang.default_scheme].language == lang.code
        assert lang.default_reason


def test_every_shipped_scheme_has_provenance() -> None:
    for s in namematch.schemes():
        assert s.source_url.startswith("http"), s.id
        assert s.licence, s.id
        assert s.authority, s.id
        assert s.name, s.id
        assert 1800 <= s.year <= 2026, s.id
