"""namematch as DuckDB SQL functions: romanise, normalise, block and score names inside a query.

:func:`register` adds the functions to one DuckDB connection, so that a blocking join on shared keys
and the scoring of its candidate pairs can be written in SQL::

    import duckdb
    import namematch.duckdb

    con = duckdb.connect("people.duckdb")
    namematch.duckdb.register(con)
    con.execute("SELECT nm_transliterate('Київ'), nm_keys('Jewdokimow'), nm_similarity('Zelensky', 'Зеленський')")

Every function is an Arrow UDF: DuckDB hands it a whole vector of rows (2,048 at a time) and, inside
that vector, each distinct value (or distinct tuple of arguments) is computed once and spread back
over its rows by an Arrow ``take``; across vectors, the library's memo of analysed names serves the
names seen before. A NULL in any argument gives NULL.
See ``docs/duckdb.md`` for the function list and a worked linkage query.

Needs the ``duckdb`` extra (``pip install 'namematch[duckdb]'``); ``import namematch`` never imports
DuckDB, and importing this module without it raises an :class:`ImportError` naming the extra.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from importlib.util import find_spec
from typing import Any

from namematch._sql_functions import ROW_FUNCTIONS
from namematch._text import require_str
from namematch.errors import NamematchError

_NEEDS_EXTRA = "namematch.duckdb needs the 'duckdb' extra: pip install 'namematch[duckdb]'"

# Absolute imports: these are the real duckdb and pyarrow packages, not this module.
try:
    import duckdb
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError as exc:
    raise ImportError(_NEEDS_EXTRA, name=exc.name) from exc
# DuckDB's Python UDFs need numpy at registration, and neither duckdb nor pyarrow requires it.
if find_spec("numpy") is None:
    raise ImportError(_NEEDS_EXTRA, name="numpy")

__all__ = ["FUNCTIONS", "register", "unregister"]


_VARCHAR, _LIST, _DOUBLE = "VARCHAR", "VARCHAR[]", "DOUBLE"
_ARROW_TYPES = {_VARCHAR: pa.string(), _LIST: pa.list_(pa.string()), _DOUBLE: pa.float64()}
_SQL_TYPES = {"text": _VARCHAR, "list": _LIST, "number": _DOUBLE}

#: SQL name (without the prefix) -> (the Python function of one row, SQL parameter types, SQL return type).
_SPECS: dict[str, tuple[Callable[..., object], tuple[str, ...], str]] = {
    name: (function, (_VARCHAR,) * arity, _SQL_TYPES[result])
    for name, (function, arity, result) in ROW_FUNCTIONS.items()
}

#: The functions :func:`register` adds, without their prefix.
FUNCTIONS: tuple[str, ...] = tuple(_SPECS)

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _distinct_rows(columns: Sequence[Any]) -> tuple[list[tuple[str, ...]], Any]:
    """The distinct argument tuples of a batch (none holding a NULL), and for each row the position
    of its tuple among them (NULL for a row with a NULL argument)."""
    encoded = [pc.dictionary_encode(c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c) for c in columns]
    values = [e.dictionary.to_pylist() for e in encoded]
    if len(encoded) == 1:
        return [(v,) for v in values[0]], encoded[0].indices
    # One integer per row names its tuple of dictionary positions (mixed radix; NULL stays NULL, and
    # the checked multiply raises rather than wraps should a batch ever be that large).
    code = encoded[0].indices.cast(pa.int64())
    for e in encoded[1:]:
        code = pc.add_checked(pc.multiply_checked(code, len(e.dictionary)), e.indices.cast(pa.int64()))
    tuples = pc.dictionary_encode(code)
    rows: list[tuple[str, ...]] = []
    for number in tuples.dictionary.to_pylist():
        row: list[str] = []
        for dictionary in reversed(values):
            number, at = divmod(number, len(dictionary))
            row.append(dictionary[at])
        rows.append(tuple(reversed(row)))
    return rows, tuples.indices


def _vectorised(function: Callable[..., object], arity: int, returns: str) -> Callable[..., Any]:
    """An Arrow UDF of *arity* columns applying *function* once per distinct tuple of arguments in
    each batch. DuckDB counts the parameters of what it is given, so each arity is spelt out."""
    arrow_type = _ARROW_TYPES[returns]

    def batch(columns: Sequence[Any]) -> Any:
        rows, positions = _distinct_rows(columns)
        return pa.array([function(*row) for row in rows], type=arrow_type).take(positions)

    def one(a: Any) -> Any:
        return batch((a,))

    def two(a: Any, b: Any) -> Any:
        return batch((a, b))

    def three(a: Any, b: Any, c: Any) -> Any:
        return batch((a, b, c))

    by_arity: dict[int, Callable[..., Any]] = {1: one, 2: two, 3: three}
    udf = by_arity[arity]
    udf.__name__ = udf.__qualname__ = function.__name__.lstrip("_")
    return udf


def _check_prefix(prefix: str) -> str:
    if not _IDENTIFIER.fullmatch(require_str(prefix, "prefix")):
        raise NamematchError(f"prefix must start a SQL identifier (letters, digits, _), got {prefix!r}")
    return prefix


def _remove(con: duckdb.DuckDBPyConnection, name: str) -> None:
    with contextlib.suppress(duckdb.Error):  # not registered: nothing to remove
        con.remove_function(name)


def register(con: duckdb.DuckDBPyConnection, *, prefix: str = "nm_") -> None:
    """Add namematch's SQL functions (see :data:`FUNCTIONS`) to the DuckDB connection *con*.

    The functions take and return (with ``prefix`` before each name)::

        transliterate(text VARCHAR) -> VARCHAR                   -- scheme of the detected language
        transliterate_scheme(text VARCHAR, scheme VARCHAR) -> VARCHAR
        transliterate_lang(text VARCHAR, lang VARCHAR) -> VARCHAR
        normalize(text VARCHAR) -> VARCHAR
        normalize_kind(text VARCHAR, kind VARCHAR) -> VARCHAR
        keys(name VARCHAR) -> VARCHAR[]                          -- sorted
        keys_kind(name VARCHAR, kind VARCHAR) -> VARCHAR[]
        similarity(a VARCHAR, b VARCHAR) -> DOUBLE
        similarity_kind(a VARCHAR, b VARCHAR, kind VARCHAR) -> DOUBLE

    each giving what the Python function of that name gives, with the library's defaults for every
    option not named. A NULL argument gives NULL. An unknown scheme, language or kind fails the
    query with namematch's message listing the valid ones. Functions are deterministic.

    Registering again replaces the functions (of that prefix) on *con*. They belong to the
    connection, not to the database file: register them on every connection that runs such SQL.
    """
    prefix = _check_prefix(prefix)
    # Options as strings, the form DuckDB's documentation has used since 1.0: the enum classes
    # moved between modules across releases (duckdb.functional, then duckdb.func).
    create: Any = con.create_function
    for name, (function, parameters, returns) in _SPECS.items():
        full = prefix + name
        _remove(con, full)
        create(
            full,
            _vectorised(function, len(parameters), returns),
            list(parameters),
            returns,
            type="arrow",
            # NULLs reach the function, which maps them to NULL itself, so the result does not
            # depend on how a DuckDB release treats NULLs in Arrow UDFs.
            null_handling="special",
            side_effects=False,
        )


def unregister(con: duckdb.DuckDBPyConnection, *, prefix: str = "nm_") -> None:
    """Remove the functions :func:`register` added with *prefix* from *con* (those absent are skipped)."""
    prefix = _check_prefix(prefix)
    for name in FUNCTIONS:
        _remove(con, prefix + name)
