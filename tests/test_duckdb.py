"""The DuckDB SQL functions, against a real database file: blocking join, scores, NULLs, re-opening."""

from __future__ import annotations

import importlib
import itertools
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

import namematch
from namematch.match.normalize import Kind

duckdb = pytest.importorskip("duckdb")
pa = pytest.importorskip("pyarrow")

import namematch.duckdb as nmduckdb  # noqa: E402  (only once duckdb is known to be there)

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

NAMES = [
    "Евдокимов",
    "Yevdokimov",
    "Jewdokimow",
    "Evdokimoff",
    "Зеленський",
    "Zelenskyy",
    "Selenskyj",
    "Petrov",
    "Petrenko",
    "Михаил Евдокимов",
    "ООО «Ромашка»",
    "Mr. Ivan Petrov",
    "Київ",
    "",
]
EVDOKIMOV = {"Евдокимов", "Yevdokimov", "Jewdokimow", "Evdokimoff"}
ZELENSKY = {"Зеленський", "Zelenskyy", "Selenskyj"}
MISSING_EXTRA = "namematch.duckdb needs the 'duckdb' extra: pip install 'namematch[duckdb]'"

BLOCK_AND_SCORE = """
WITH keyed AS (
    SELECT id, unnest(nm_keys(name)) AS key FROM people
),
candidates AS (
    SELECT DISTINCT a.id AS left_id, b.id AS right_id
    FROM keyed AS a JOIN keyed AS b ON a.key = b.key AND a.id < b.id
),
scored AS (
    SELECT l.name AS left_name, r.name AS right_name, nm_similarity(l.name, r.name) AS score
    FROM candidates AS c
    JOIN people AS l ON l.id = c.left_id
    JOIN people AS r ON r.id = c.right_id
)
SELECT left_name, right_name, score FROM scored WHERE score >= 0.85 ORDER BY left_name, right_name
"""


def _create_people(con: DuckDBPyConnection, names: list[str]) -> None:
    con.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name VARCHAR)")
    con.executemany("INSERT INTO people VALUES (?, ?)", [[i, name] for i, name in enumerate(names, 1)])


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "people.duckdb"


@pytest.fixture
def con(db_path: Path) -> Iterator[DuckDBPyConnection]:
    """A connection to a fresh on-disk database holding the table ``people``, functions registered."""
    connection = duckdb.connect(str(db_path))
    _create_people(connection, NAMES)
    nmduckdb.register(connection)
    yield connection
    connection.close()


def _rows(con: DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    return list(con.execute(sql).fetchall())


def _column(con: DuckDBPyConnection, expression: str) -> list[object]:
    """*expression* over ``people`` (as ``name``), in id order."""
    return [row[0] for row in _rows(con, f"SELECT {expression} FROM people ORDER BY id")]


# --- importing -------------------------------------------------------------------------------------


def test_import_namematch_does_not_import_duckdb() -> None:
    code = "import namematch, sys; assert 'duckdb' not in sys.modules; assert 'pyarrow' not in sys.modules"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_the_module_binds_the_real_duckdb_not_itself() -> None:
    bound = vars(nmduckdb)["duckdb"]
    assert bound is sys.modules["duckdb"]
    assert bound.__name__ == "duckdb"
    assert bound is not nmduckdb
    assert nmduckdb.__name__ == "namematch.duckdb"


@pytest.mark.parametrize("missing", ["duckdb", "pyarrow", "numpy"])
def test_a_missing_extra_raises_import_error_naming_it(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # None in sys.modules makes the import fail
    monkeypatch.delitem(sys.modules, "namematch.duckdb")
    with pytest.raises(ImportError, match=re.escape(MISSING_EXTRA)):
        importlib.import_module("namematch.duckdb")


def test_a_missing_extra_in_a_fresh_interpreter() -> None:
    code = "import sys; sys.modules['duckdb'] = None; import namematch.duckdb"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert MISSING_EXTRA in done.stderr


# --- the blocking join -----------------------------------------------------------------------------


def test_blocking_join_finds_the_same_names_and_scores_them_as_python_does(con: DuckDBPyConnection) -> None:
    found = _rows(con, BLOCK_AND_SCORE)
    pairs = {frozenset((a, b)) for a, b, _ in found}
    expected = {frozenset(p) for group in (EVDOKIMOV, ZELENSKY) for p in itertools.combinations(group, 2)}
    assert expected <= pairs
    assert frozenset(("Petrov", "Petrenko")) not in pairs
    for a, b, score in found:
        assert isinstance(a, str)
        assert isinstance(b, str)
        assert score == namematch.similarity(a, b)
        assert score >= namematch.DEFAULT_THRESHOLD


def test_the_join_misses_no_pair_that_python_would_match(con: DuckDBPyConnection) -> None:
    # Blocking can only lose pairs; on this table it loses none of those Python scores >= 0.85.
    found = {frozenset((a, b)) for a, b, _ in _rows(con, BLOCK_AND_SCORE)}
    matched = {
        frozenset((a, b))
        for a, b in itertools.combinations(NAMES, 2)
        if namematch.similarity(a, b) >= 0.85 and namematch.keys(a) & namematch.keys(b)
    }
    assert found == matched


# --- value for value against the Python API ---------------------------------------------------------


def test_one_argument_functions_equal_the_python_api(con: DuckDBPyConnection) -> None:
    assert _column(con, "nm_transliterate(name)") == [namematch.transliterate(n) for n in NAMES]
    assert _column(con, "nm_normalize(name)") == [namematch.normalize(n) for n in NAMES]
    assert _column(con, "nm_keys(name)") == [sorted(namematch.keys(n)) for n in NAMES]


@pytest.mark.parametrize("kind", ["person", "place", "org", "auto"])
def test_kind_functions_equal_the_python_api(con: DuckDBPyConnection, kind: Kind) -> None:
    assert _column(con, f"nm_normalize_kind(name, '{kind}')") == [namematch.normalize(n, kind=kind) for n in NAMES]
    assert _column(con, f"nm_keys_kind(name, '{kind}')") == [sorted(namematch.keys(n, kind=kind)) for n in NAMES]


def test_scheme_and_language_functions_equal_the_python_api(con: DuckDBPyConnection) -> None:
    assert _column(con, "nm_transliterate_scheme(name, 'bgn_pcgn')") == [
        namematch.transliterate(n, "bgn_pcgn") for n in NAMES
    ]
    assert _column(con, "nm_transliterate_lang(name, 'uk')") == [namematch.transliterate(n, lang="uk") for n in NAMES]


def test_similarity_equals_the_python_api_for_every_pair(con: DuckDBPyConnection) -> None:
    sql = """
        SELECT a.name, b.name, nm_similarity(a.name, b.name), nm_similarity_kind(a.name, b.name, 'place')
        FROM people AS a CROSS JOIN people AS b
    """
    rows = _rows(con, sql)
    assert len(rows) == len(NAMES) ** 2
    for a, b, auto, place in rows:
        assert isinstance(a, str)
        assert isinstance(b, str)
        assert auto == namematch.similarity(a, b)
        assert place == namematch.similarity(a, b, kind="place")


def test_options_may_vary_row_by_row(con: DuckDBPyConnection) -> None:
    sql = """
        SELECT name, scheme, nm_transliterate_scheme(name, scheme)
        FROM people CROSS JOIN (VALUES ('bgn_pcgn'), ('iso_9'), ('ua-ukr-Cyrl-Latn-2010')) AS s(scheme)
    """
    for name, scheme, out in _rows(con, sql):
        assert isinstance(name, str)
        assert isinstance(scheme, str)
        assert out == namematch.transliterate(name, scheme)


def test_many_vectors_with_repeats_and_nulls_stay_aligned(con: DuckDBPyConnection) -> None:
    # 5,000 rows (three DuckDB vectors), each name repeated, every seventh row NULL, the second
    # argument cycling at another period: every row must get its own arguments' result.
    sql = """
        WITH names AS (SELECT list(name ORDER BY id) AS all_names FROM people),
        data AS (
            SELECT i,
                   CASE WHEN i % 7 = 0 THEN NULL ELSE all_names[1 + i % len(all_names)] END AS a,
                   all_names[1 + (i * 5) % len(all_names)] AS b
            FROM names, range(5000) AS r(i)
        )
        SELECT a, b, nm_keys(a), nm_similarity(a, b) FROM data ORDER BY i
    """
    rows = _rows(con, sql)
    assert len(rows) == 5000
    for a, b, keys, score in rows:
        assert isinstance(b, str)
        if a is None:
            assert keys is None
            assert score is None
        else:
            assert isinstance(a, str)
            assert keys == sorted(namematch.keys(a))
            assert score == namematch.similarity(a, b)


# --- NULLs, empty strings, bad input -----------------------------------------------------------------

CALLS = [
    "nm_transliterate({0})",
    "nm_transliterate_scheme({0}, {1})",
    "nm_transliterate_lang({0}, {1})",
    "nm_normalize({0})",
    "nm_normalize_kind({0}, {1})",
    "nm_keys({0})",
    "nm_keys_kind({0}, {1})",
    "nm_similarity({0}, {1})",
    "nm_similarity_kind({0}, {1}, {2})",
]
GOOD = {
    "nm_transliterate_scheme": ("'Київ'", "'bgn_pcgn'"),
    "nm_transliterate_lang": ("'Київ'", "'uk'"),
    "nm_normalize_kind": ("'Київ'", "'place'"),
    "nm_keys_kind": ("'Київ'", "'place'"),
    "nm_similarity_kind": ("'Київ'", "'Kyiv'", "'place'"),
}


def test_every_function_is_registered_and_listed() -> None:
    assert {call.split("(")[0] for call in CALLS} == {"nm_" + name for name in nmduckdb.FUNCTIONS}


@pytest.mark.parametrize("call", CALLS)
def test_a_null_in_any_argument_gives_null(con: DuckDBPyConnection, call: str) -> None:
    name = call.split("(")[0]
    arity = call.count("{")
    good = GOOD.get(name, ("'Київ'", "'Kyiv'", "'person'"))[:arity]
    assert _rows(con, "SELECT " + call.format(*good))[0][0] is not None
    for position in range(arity):
        args = [("NULL" if i == position else good[i]) for i in range(arity)]
        assert _rows(con, "SELECT " + call.format(*args)) == [(None,)], args


def test_nulls_in_a_column_keep_the_other_rows(con: DuckDBPyConnection) -> None:
    rows = _rows(con, "SELECT nm_keys(x), nm_transliterate(x) FROM (VALUES ('Київ'), (NULL), ('Petrov')) AS t(x)")
    assert rows == [(["kv"], "Kyiv"), (None, None), (["ptrv"], "Petrov")]


def test_empty_strings_follow_the_library(con: DuckDBPyConnection) -> None:
    row = _rows(
        con,
        "SELECT nm_transliterate(''), nm_normalize(''), nm_keys(''), nm_similarity('', ''), nm_similarity('Kyiv', '')",
    )[0]
    assert row == ("", "", [], namematch.similarity("", ""), namematch.similarity("Kyiv", ""))
    assert row[3:] == (1.0, 0.0)


def test_all_null_and_empty_inputs(con: DuckDBPyConnection) -> None:
    assert _rows(con, "SELECT nm_keys(CAST(NULL AS VARCHAR)) FROM range(3)") == [(None,)] * 3
    assert _rows(con, "SELECT nm_keys(name) FROM people WHERE false") == []


def test_unknown_option_fails_the_query_with_the_librarys_message(con: DuckDBPyConnection) -> None:
    with pytest.raises(duckdb.Error, match="unknown scheme 'no_such_scheme'"):
        _rows(con, "SELECT nm_transliterate_scheme(name, 'no_such_scheme') FROM people")
    with pytest.raises(duckdb.Error, match="unknown language 'xx'"):
        _rows(con, "SELECT nm_transliterate_lang('Київ', 'xx')")
    with pytest.raises(duckdb.Error, match="kind must be one of person, place, org, auto"):
        _rows(con, "SELECT nm_similarity_kind('a', 'b', 'city')")


def test_non_text_arguments_need_a_cast(con: DuckDBPyConnection) -> None:
    with pytest.raises(duckdb.BinderException, match="nm_keys"):
        _rows(con, "SELECT nm_keys(42)")
    assert _rows(con, "SELECT nm_keys(CAST(42 AS VARCHAR)), nm_normalize(42::VARCHAR)") == [
        (sorted(namematch.keys("42")), namematch.normalize("42"))
    ]


def test_functions_are_deterministic(con: DuckDBPyConnection) -> None:
    sql = "SELECT function_name, stability FROM duckdb_functions() WHERE starts_with(function_name, 'nm_')"
    found = {str(row[0]): row[1] for row in _rows(con, sql)}
    assert set(found) == {"nm_" + name for name in nmduckdb.FUNCTIONS}
    assert set(found.values()) == {"CONSISTENT"}


# --- registering ---------------------------------------------------------------------------------------


def test_registering_again_replaces_the_functions(con: DuckDBPyConnection) -> None:
    nmduckdb.register(con)
    nmduckdb.register(con)
    assert _rows(con, "SELECT nm_transliterate('Київ')") == [("Kyiv",)]


def test_unregister_removes_them_and_tolerates_absent_ones(con: DuckDBPyConnection) -> None:
    nmduckdb.unregister(con)
    with pytest.raises(duckdb.CatalogException):
        _rows(con, "SELECT nm_keys('Київ')")
    nmduckdb.unregister(con)
    nmduckdb.register(con)
    assert _rows(con, "SELECT nm_keys('Київ')") == [(["kv"],)]


def test_a_prefix_names_the_functions(con: DuckDBPyConnection) -> None:
    nmduckdb.register(con, prefix="names_")
    assert _rows(con, "SELECT names_transliterate('Київ'), nm_transliterate('Київ')") == [("Kyiv", "Kyiv")]


@pytest.mark.parametrize("prefix", ["", "1nm_", "nm-", "nm.", "nm_; DROP TABLE people; --"])
def test_a_prefix_that_is_not_an_identifier_is_refused(con: DuckDBPyConnection, prefix: str) -> None:
    with pytest.raises(namematch.NamematchError, match="prefix"):
        nmduckdb.register(con, prefix=prefix)


def test_a_prefix_that_is_not_text_is_a_type_error(con: DuckDBPyConnection) -> None:
    with pytest.raises(TypeError, match="prefix must be str"):
        nmduckdb.register(con, prefix=None)  # type: ignore[arg-type]


# --- the database file -----------------------------------------------------------------------------------


def test_reopening_the_file_keeps_the_data_and_the_functions_register_again(
    con: DuckDBPyConnection, db_path: Path
) -> None:
    before = _rows(con, BLOCK_AND_SCORE)
    _rows(con, "CREATE VIEW people_keys AS SELECT id, unnest(nm_keys(name)) AS key FROM people")
    _rows(con, "CREATE TABLE people_keys_stored AS SELECT id, unnest(nm_keys(name)) AS key FROM people")
    con.close()

    reopened = duckdb.connect(str(db_path))
    try:
        assert _rows(reopened, "SELECT count(*) FROM people") == [(len(NAMES),)]
        stored = _rows(reopened, "SELECT id, key FROM people_keys_stored ORDER BY id, key")
        # The functions belong to a connection, not to the file: a view that calls them needs them.
        with pytest.raises(duckdb.CatalogException, match="nm_keys"):
            _rows(reopened, "SELECT * FROM people_keys")
        nmduckdb.register(reopened)
        assert _rows(reopened, "SELECT id, key FROM people_keys ORDER BY id, key") == stored
        assert _rows(reopened, BLOCK_AND_SCORE) == before
    finally:
        reopened.close()


# --- the batch logic against an obviously correct reference ---------------------------------------------

_TEXT = st.one_of(st.none(), st.sampled_from(["", "Київ", "Kyiv", "Petrov", "Петров", "Petrenko"]))


_KIND = st.one_of(st.none(), st.sampled_from(["person", "place"]))


@given(st.lists(st.tuples(_TEXT, _TEXT, _KIND), max_size=60), st.integers(1, 3))
def test_a_batch_computes_each_row_as_python_does(
    rows: list[tuple[str | None, str | None, Kind | None]], chunks: int
) -> None:
    def chunked(values: list[str | None]) -> object:
        size = max(1, -(-len(values) // chunks))
        parts = [values[i : i + size] for i in range(0, len(values), size)] or [[]]
        return pa.chunked_array([pa.array(p, type=pa.string()) for p in parts], type=pa.string())

    udf = nmduckdb._vectorised(nmduckdb._SPECS["similarity_kind"][0], 3, "DOUBLE")
    out = udf(*(chunked([r[i] for r in rows]) for i in range(3))).to_pylist()
    expected = [
        None if a is None or b is None or kind is None else namematch.similarity(a, b, kind=kind) for a, b, kind in rows
    ]
    assert out == expected
