"""namematch's functions as Spark pandas UDFs, for SQL and the DataFrame API (see :func:`register`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
from pyspark.sql import SparkSession
from pyspark.sql.pandas.functions import pandas_udf as _pandas_udf

from namematch._sql_functions import ROW_FUNCTIONS
from namematch._text import require_str
from namematch.errors import NamematchError

# pyspark's stubs type only the deprecated ``functionType=`` form; the UDF's kind is read from its
# type hints (the current form), which the stubs' overloads do not cover.
pandas_udf: Any = _pandas_udf

__all__ = ["FUNCTIONS", "register"]


_STRING, _LIST, _DOUBLE = "string", "array<string>", "double"
_SPARK_TYPES = {"text": _STRING, "list": _LIST, "number": _DOUBLE}

#: SQL name (without the prefix) -> (the Python function of one row, its arity, the Spark return type).
#: The same functions, names and signatures as ``namematch.duckdb``.
_SPECS: dict[str, tuple[Callable[..., object], int, str]] = {
    name: (function, arity, _SPARK_TYPES[result]) for name, (function, arity, result) in ROW_FUNCTIONS.items()
}

#: The functions :func:`register` adds, without their prefix.
FUNCTIONS: tuple[str, ...] = tuple(_SPECS)

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _apply(function: Callable[..., object], columns: Sequence[pd.Series]) -> pd.Series:
    """*function* of each row of a batch, computed once per distinct tuple of arguments; a row with
    a missing argument (None, or NaN in pandas' string dtype) gives NULL."""
    done: dict[tuple[str, ...], object] = {}
    out: list[object] = []
    for row in zip(*(c.tolist() for c in columns), strict=True):
        if not all(isinstance(v, str) for v in row):
            out.append(None)
            continue
        value = done.get(row, done)
        if value is done:
            value = done[row] = function(*row)
        out.append(value)
    # object dtype keeps None as NULL for every return type (a float64 Series would turn it into NaN)
    return pd.Series(out, dtype=object, index=columns[0].index)


def _vectorised(function: Callable[..., object], arity: int, returns: str) -> Any:
    """A pandas UDF of *arity* string columns. Spark reads the UDF's kind from the type hints of
    a plain function with a fixed list of parameters, so each arity is spelt out."""

    def one(a: pd.Series) -> pd.Series:
        return _apply(function, (a,))

    def two(a: pd.Series, b: pd.Series) -> pd.Series:
        return _apply(function, (a, b))

    def three(a: pd.Series, b: pd.Series, c: pd.Series) -> pd.Series:
        return _apply(function, (a, b, c))

    by_arity: dict[int, Callable[..., pd.Series]] = {1: one, 2: two, 3: three}
    udf = by_arity[arity]
    udf.__name__ = udf.__qualname__ = function.__name__.lstrip("_")
    return pandas_udf(udf, returns)


def register(spark: SparkSession, *, prefix: str = "nm_") -> dict[str, Any]:
    """Register namematch's functions (see :data:`FUNCTIONS`) with the Spark session *spark*.

    The functions take and return (with ``prefix`` before each name)::

        transliterate(text STRING) -> STRING                   -- scheme of the detected language
        transliterate_scheme(text STRING, scheme STRING) -> STRING
        transliterate_lang(text STRING, lang STRING) -> STRING
        normalize(text STRING) -> STRING
        normalize_kind(text STRING, kind STRING) -> STRING
        keys(name STRING) -> ARRAY<STRING>                     -- sorted
        keys_kind(name STRING, kind STRING) -> ARRAY<STRING>
        similarity(a STRING, b STRING) -> DOUBLE
        similarity_kind(a STRING, b STRING, kind STRING) -> DOUBLE

    each giving what the Python function of that name gives, with the library's defaults for every
    option not named; the same names and signatures as :mod:`namematch.duckdb`. Each is a pandas
    UDF: Spark hands it Arrow batches (``spark.sql.execution.arrow.maxRecordsPerBatch`` rows), and
    inside a batch each distinct tuple of arguments is computed once. A NULL argument gives NULL;
    an unknown scheme, language or kind fails the query with namematch's message listing the valid
    ones. The workers need namematch installed (see ``docs/spark.md``).

    Returns the UDFs by SQL name, for the DataFrame API (``udfs["nm_keys"](F.col("name"))``);
    SQL expressions (``F.expr("nm_keys(name)")``) work as well. Registering again replaces them.
    """
    if not _IDENTIFIER.fullmatch(require_str(prefix, "prefix")):
        raise NamematchError(f"prefix must start a SQL identifier (letters, digits, _), got {prefix!r}")
    registered: dict[str, Any] = {}
    for name, (function, arity, returns) in _SPECS.items():
        registered[prefix + name] = spark.udf.register(prefix + name, _vectorised(function, arity, returns))
    return registered
