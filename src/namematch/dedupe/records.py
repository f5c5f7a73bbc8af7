"""The rows a dedupe reads: a list of strings, a list of dicts, a pandas DataFrame, a pyarrow Table.

Only the name column (and the ``same`` columns) are read; the records themselves are never
modified. pandas and pyarrow are optional: they are recognised by their module name, so a core
install never imports them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from namematch.errors import NamematchError

__all__ = ["Columns", "name_of", "read_columns", "require_extra", "same_value", "status_of"]


def require_extra(module: str, extra: str, feature: str) -> Any:
    """Import *module* or raise ImportError naming the extra that provides it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(f"{feature} needs the {extra!r} extra: pip install 'namematch[{extra}]'") from exc


class Columns:
    """The name column and the ``same`` columns of the input, as Python lists, one value per row."""

    def __init__(self, names: list[object], same: list[tuple[object, ...]] | None, kind: str) -> None:
        self.names = names
        self.same = same
        self.kind = kind  # "strings", "dicts", "pandas" or "arrow"


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    # pandas' NA and NaT, without importing pandas
    return type(value).__name__ in ("NAType", "NaTType")


def _kind_of(records: object) -> str:
    module = type(records).__module__.split(".", 1)[0]
    name = type(records).__name__
    if module == "pandas" and name == "DataFrame":
        return "pandas"
    if module == "pyarrow" and name in ("Table", "RecordBatch"):
        return "arrow"
    if isinstance(records, (str, bytes)) or not isinstance(records, Sequence):
        raise TypeError(
            "records must be a list of strings, a list of dicts, a pandas DataFrame or a pyarrow Table, "
            f"got {type(records).__name__}"
        )
    return "sequence"


def read_columns(records: object, column: str | None, same: Sequence[str]) -> Columns:
    """The name and ``same`` values of every row of *records*, in order."""
    kind = _kind_of(records)
    if kind in ("pandas", "arrow"):
        if column is None:
            raise NamematchError("column= is required for a table: name the column holding the names")
        table: Any = records
        available = [str(c) for c in (table.columns if kind == "pandas" else table.column_names)]
        for wanted in (column, *same):
            if wanted not in available:
                raise NamematchError(f"no column {wanted!r}; the table has {', '.join(available)}")
        if kind == "pandas":
            names = [None if _is_missing(v) else v for v in table[column].tolist()]
            extra = [[None if _is_missing(v) else v for v in table[c].tolist()] for c in same]
        else:
            names = table.column(column).to_pylist()
            extra = [table.column(c).to_pylist() for c in same]
        same_rows = [tuple(same_value(v) for v in row) for row in zip(*extra, strict=True)] if same else None
        return Columns(names, same_rows, kind)
    rows: Sequence[Any] = records  # type: ignore[assignment]
    if not rows:
        return Columns([], [] if same else None, "dicts" if column is not None else "strings")
    if all(isinstance(r, Mapping) for r in rows) and rows:
        if column is None:
            raise NamematchError("column= is required when records are dicts: name the key holding the names")
        names = [r.get(column) for r in rows]
        same_values = [tuple(same_value(r.get(c)) for c in same) for r in rows] if same else None
        return Columns(names, same_values, "dicts")
    if column is not None or same:
        bad = next((i for i, r in enumerate(rows) if not isinstance(r, Mapping)), None)
        raise NamematchError(
            f"column= and same= need rows that are dicts; row {bad} is {type(rows[bad]).__name__}"
            if bad is not None
            else "column= and same= need rows that are dicts"
        )
    return Columns(list(rows), None, "strings")


def same_value(value: object) -> object:
    """A ``same=`` cell as a key: missing values (None, NaN, pandas NA) are one value, and values
    that cannot be hashed (lists, dicts) are compared by their repr."""
    if _is_missing(value):
        return None
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def name_of(value: object) -> str | None:
    """The name in a cell: a string, or None for a missing, empty or non-text value."""
    if isinstance(value, str):
        return value if value.strip() else None
    return None


def status_of(value: object) -> str:
    """Why a cell gives no name: ``empty``, ``null`` or ``invalid`` (a number, bytes, ...)."""
    if _is_missing(value):
        return "null"
    if isinstance(value, str):
        return "empty"
    return "invalid"
