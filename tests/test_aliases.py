"""The curated alias tables: validation over every row, lookups, and their use in matching."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import namematch
from namematch.aliases import TABLES, Entity, alias_key, entities, lookup
from namematch.translit.registry import languages

ROOT = Path(__file__).resolve().parents[1]
ALL = [e for table in TABLES for e in entities(table)]
ALIASES = [(e, a) for e in ALL for a in e.aliases]
OUR_LANGS = {lang.code for lang in languages()}

pytestmark = pytest.mark.skipif(not ALL, reason="no alias tables built")
alias_pairs: st.SearchStrategy[tuple[Entity, namematch.Alias]] = st.sampled_from(ALIASES) if ALIASES else st.nothing()


def test_shipped_tables_are_current() -> None:
    pytest.importorskip("yaml")
    done = subprocess.run([sys.executable, str(ROOT / "data" / "build.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_shipped_key_index_is_used_and_equals_the_computed_one() -> None:
    from namematch import aliases

    aliases.reset()
    stored = aliases._stored()
    assert stored is not None, "alias_index.json is stale: run python data/build.py"
    assert stored == aliases.index_document()
    assert aliases._index("places") == aliases._computed_index("places")
    assert aliases._given_index() == aliases._computed_given_index()


def test_a_stale_key_index_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    from namematch import aliases

    monkeypatch.setattr(aliases, "fingerprint", lambda: "an edited table")
    from namematch.match import score

    namematch.similarity("Kiev", "Kyiv")  # the scorer remembers what it looked up
    aliases.reset()
    assert not score._ENTITIES  # and forgets it with the tables
    assert not score._AUTO
    try:
        assert aliases._stored() is None
        assert [e.name for e in lookup("Kiev")] == ["Kyiv"]
        assert aliases._index("places") == aliases._computed_index("places")
    finally:
        monkeypatch.undo()
        aliases.reset()


@pytest.mark.parametrize("table", TABLES)
def test_ids_unique_and_kinds_valid(table: str) -> None:
    rows = entities(table)
    assert len({e.id for e in rows}) == len(rows)
    assert all(e.kind in TABLES[table] for e in rows)


def test_no_alias_names_two_entities_of_one_kind_unless_marked_ambiguous() -> None:
    owners: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    by_id = {e.id: e for e in ALL}
    for entity, alias in ALIASES:
        owners[(entity.table, entity.kind, alias_key(alias.name))].add(entity.id)
    clashes = [
        (key, ids)
        for key, ids in owners.items()
        if len(ids) > 1 and key[2] and not all(by_id[i].ambiguous for i in ids)
    ]
    assert not clashes, clashes[:20]


def test_every_cyrillic_alias_romanises_without_leftover_cyrillic() -> None:
    leftovers = []
    for _, alias in ALIASES:
        if any("\u0400" <= c <= "\u052f" for c in alias.name):
            # Our languages through their default scheme; others (Tajik, Kyrgyz, ...) with the
            # documented ASCII fallback for letters no scheme of ours covers.
            if alias.lang in OUR_LANGS:
                out = namematch.transliterate(alias.name, lang=alias.lang)
            else:
                out = namematch.transliterate(alias.name, errors="ascii")
            if any("\u0400" <= c <= "\u052f" for c in out):
                leftovers.append((alias.name, alias.lang, out))
    assert not leftovers, leftovers[:20]


def test_rows_are_clean_nfc_and_sourced() -> None:
    for _, alias in ALIASES:
        assert alias.name == unicodedata.normalize("NFC", alias.name), alias
        assert alias.name == " ".join(alias.name.split()), alias
        assert alias.source, alias
        assert alias.lang.isalpha(), alias
        assert alias.lang.islower(), alias
    assert all(e.name == " ".join(e.name.split()) for e in ALL)


@given(alias_pairs)
def test_lookup_of_any_alias_returns_its_entity(pair: tuple[Entity, namematch.Alias]) -> None:
    entity, alias = pair
    ids = [e.id for e in lookup(alias.name)]
    assert entity.id in ids, (alias, ids[:5])


@given(alias_pairs, st.sampled_from(["upper", "lower", "spaces", "apostrophe"]))
def test_lookup_ignores_case_spaces_and_apostrophes(pair: tuple[Entity, namematch.Alias], change: str) -> None:
    entity, alias = pair
    name = alias.name
    changed = {
        "upper": name.upper(),
        "lower": name.lower(),
        "spaces": "  " + name.replace(" ", "   ") + " ",
        "apostrophe": name.replace("'", "’"),
    }[change]
    assert entity.id in [e.id for e in lookup(changed)]


def _has(table: str) -> bool:
    return bool(entities(table))


@pytest.mark.skipif(not _has("places"), reason="no places table")
@pytest.mark.parametrize("name", ["Kyiv", "Kiev", "KIEV", "Київ", "Киев", "Kijów"])
def test_every_spelling_of_kyiv_finds_kyiv(name: str) -> None:
    assert namematch.canonical(name, kind="places") == "Kyiv"


@pytest.mark.skipif(not _has("places"), reason="no places table")
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kyiv", "Kiev"),
        ("Dnipro", "Dnipropetrovsk"),
        ("Lviv", "Lemberg"),
        ("Chisinau", "Kishinev"),
        ("Vilnius", "Wilno"),
    ],
)
def test_place_aliases_match_and_say_so(a: str, b: str) -> None:
    result = namematch.compare(a, b, kind="place")
    assert result.is_match, result.explain()
    assert result.parts[0].measure.startswith("alias")


@pytest.mark.skipif(not _has("countries"), reason="no countries table")
@pytest.mark.parametrize(
    ("a", "b"),
    [("Belarus", "Byelorussia"), ("Moldova", "Moldavia"), ("Kyrgyzstan", "Kirghizia"), ("Türkiye", "Turkey")],
)
def test_country_variants_match(a: str, b: str) -> None:
    assert namematch.compare(a, b, kind="place").is_match
    assert namematch.lookup(a, kind="country")[0].id == namematch.lookup(b, kind="country")[0].id


@pytest.mark.skipif(not _has("countries"), reason="no countries table")
def test_iso_codes_are_aliases() -> None:
    assert namematch.canonical("UKR", kind="country") == namematch.canonical("UA", kind="country")


@pytest.mark.skipif(not _has("given_names"), reason="no given names table")
def test_given_name_equivalents_match_diminutives_only_when_asked() -> None:
    assert namematch.compare("Mikhail Evdokimov", "Michał Jewdokimow").is_match
    assert namematch.compare("Mykhailo Evdokimov", "Михаил Евдокимов").is_match
    plain = namematch.compare("Misha Evdokimov", "Mikhail Evdokimov")
    asked = namematch.compare("Misha Evdokimov", "Mikhail Evdokimov", diminutives=True)
    assert asked.score > plain.score
    assert "diminutive" in [p.measure for p in asked.parts]


@pytest.mark.skipif(not _has("organisations"), reason="no organisations table")
def test_state_body_acronyms() -> None:
    assert namematch.lookup("СБУ", kind="org")
    assert namematch.lookup("SBU", kind="org")[0].id == namematch.lookup("СБУ", kind="org")[0].id
