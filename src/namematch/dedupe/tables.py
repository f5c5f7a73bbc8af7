"""Reading and writing the tables ``namematch dedupe`` works on: CSV, TSV, JSON Lines, Parquet.

CSV, TSV and JSON Lines need nothing beyond Python; Parquet needs the ``parquet`` extra (pyarrow).
A malformed row is reported with its line number and kept: a CSV row with too few fields is padded
with empty values, one with too many keeps the surplus in an ``_extra`` column; a JSON Lines row
that is not a JSON object keeps its text in ``_raw``; bytes that are not UTF-8 are carried through
unchanged. With ``strict`` the first malformed row is an error instead.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from namematch.dedupe.parallel import can_fork
from namematch.dedupe.records import require_extra
from namematch.errors import NamematchError

__all__ = ["FORMATS", "Table", "TableError", "format_of", "read_table", "write_table"]

FORMATS = ("csv", "tsv", "jsonl", "parquet")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}
EXTRA, RAW = "_extra", "_raw"


class TableError(NamematchError):
    """A table that cannot be read (or a malformed row, with ``strict``)."""


@dataclass
class Table:
    """Rows as dicts (in order), the column names (in order), and what was wrong with the input."""

    columns: list[str]
    rows: list[dict[str, Any]]
    format: str
    problems: list[str] = field(default_factory=list)
    arrow: Any = None  # the pyarrow Table a Parquet file was read as (written back with its types)
    arrow_stream: bytes | None = None  # or that table as Arrow IPC stream bytes, read in a child process


def format_of(path: str, given: str | None) -> str:
    """The format named by ``--format``, else by the file's extension (CSV for standard input)."""
    if given is not None:
        if given not in FORMATS:
            raise TableError(f"unknown format {given!r}; valid: {', '.join(FORMATS)}")
        return given
    if path == "-":
        return "csv"
    suffix = Path(path).suffix.lower()
    found = _EXTENSIONS.get(suffix)
    if found is None:
        raise TableError(f"cannot tell the format of {path!r} from its extension; use --format {{{','.join(FORMATS)}}}")
    return found


def _open_text(path: str) -> IO[str]:
    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="surrogateescape", newline="")
    return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")  # a BOM (Excel) is not a column name


def read_table(path: str, fmt: str, *, strict: bool = False, report: Callable[[str], None] | None = None) -> Table:
    """Read *path* (``-``: standard input) as *fmt*."""
    problems: list[str] = []
    name = "<stdin>" if path == "-" else path

    def problem(message: str) -> None:
        if strict:
            raise TableError(f"{message} (--strict)")
        problems.append(message)
        if report is not None:
            report(message)

    if fmt == "parquet":
        return _read_parquet(path, name, problems)
    with _open_text(path) as handle:
        if fmt == "jsonl":
            table = _read_jsonl(handle, name, problem)
        else:
            table = _read_delimited(handle, name, "\t" if fmt == "tsv" else ",", problem, fmt)
    table.problems = problems
    return table


def _read_parquet(path: str, name: str, problems: list[str]) -> Table:
    """A Parquet file's rows. pyarrow starts threads when imported and when reading, and dedupe
    does not fork workers from a threaded process; so while this process is still free of them,
    the file is read in a forked child, which sends back the rows and the table (as Arrow IPC
    bytes, made a table again only when the output is written, after dedupe)."""
    source: str | bytes = sys.stdin.buffer.read() if path == "-" else path
    size = len(source) if isinstance(source, bytes) else _size(source)
    if size < CHILD_READ_BYTES or "pyarrow" in sys.modules or not can_fork():
        outcome = _parquet_rows(source, name, stream=False)
    else:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            outcome = pool.apply(_parquet_rows, (source, name, True))
    if outcome[0] == "import":
        raise ImportError(outcome[1])
    if outcome[0] == "error":
        raise TableError(outcome[1])
    columns, rows, arrow, stream = outcome[1]
    return Table(columns, rows, "parquet", problems, arrow, stream)


_ParquetOutcome = tuple[str, Any]

#: Parquet files smaller than this are read here: too few rows for dedupe to fork workers, and a
#: child costs about a second (its start and its own pyarrow import).
CHILD_READ_BYTES = 1 << 20


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0  # read here, where the error is reported


def _parquet_rows(source: str | bytes, name: str, stream: bool) -> _ParquetOutcome:
    """("ok", (columns, rows, table or None, IPC bytes or None)), or ("import" | "error", message);
    errors as values, so that a child process sends back only plain Python."""
    try:
        pq = require_extra("pyarrow.parquet", "parquet", "reading Parquet")
    except ImportError as exc:
        return "import", str(exc)
    import pyarrow as pa

    try:
        arrow = pq.read_table(pa.BufferReader(source) if isinstance(source, bytes) else source)
    except (OSError, pa.ArrowException) as exc:
        return "error", f"{name}: cannot read it as Parquet: {exc}"
    if not stream:
        return "ok", (list(arrow.column_names), arrow.to_pylist(), arrow, None)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, arrow.schema) as writer:
        writer.write_table(arrow)
    return "ok", (list(arrow.column_names), arrow.to_pylist(), None, sink.getvalue().to_pybytes())


def _read_delimited(handle: IO[str], name: str, delimiter: str, problem: Callable[[str], None], fmt: str) -> Table:
    csv.field_size_limit(1 << 30)  # a name column may hold a megabyte of junk: read it, do not fail
    reader = csv.reader(handle, delimiter=delimiter, strict=False)
    try:
        header = next(reader)
    except StopIteration:
        raise TableError(f"{name}: empty file, no header row") from None
    except csv.Error as exc:
        raise TableError(f"{name}:1: cannot read the header: {exc}") from None
    if len(set(header)) != len(header):
        duplicated = sorted({h for h in header if header.count(h) > 1})
        raise TableError(f"{name}:1: duplicated column names {duplicated}")
    rows: list[dict[str, Any]] = []
    has_extra = False
    line = reader.line_num
    for fields in _rows(reader, name, problem):
        at = line + 1
        line = reader.line_num
        if not fields:
            problem(f"{name}:{at}: empty line; kept as a row of empty values")
        if _has_surrogates(fields):
            problem(f"{name}:{at}: bytes that are not UTF-8; carried through unchanged")
        row = dict(zip(header, fields, strict=False))
        if len(fields) < len(header):
            if fields:
                problem(
                    f"{name}:{at}: {len(fields)} fields where the header has {len(header)}; padded with empty values"
                )
            for column in header[len(fields) :]:
                row[column] = ""
        elif len(fields) > len(header):
            problem(
                f"{name}:{at}: {len(fields)} fields where the header has {len(header)}; "
                f"the surplus kept in column {EXTRA!r}"
            )
            row[EXTRA] = delimiter.join(fields[len(header) :])
            has_extra = True
        rows.append(row)
    columns = list(header)
    if has_extra:
        columns.append(EXTRA)
        for row in rows:
            row.setdefault(EXTRA, "")
    return Table(columns, rows, fmt)


def _rows(reader: Any, name: str, problem: Callable[[str], None]) -> Iterator[list[str]]:
    while True:
        try:
            yield next(reader)
        except StopIteration:  # noqa: PERF203 (csv errors are rare: a broken quote at the end, say)
            return
        except csv.Error as exc:
            problem(f"{name}:{reader.line_num}: {exc}; this row could not be read and is missing from the output")


def _has_surrogates(fields: list[str]) -> bool:
    return any(not f.isascii() and any("\udc80" <= c <= "\udcff" for c in f) for f in fields)


def _read_jsonl(handle: IO[str], name: str, problem: Callable[[str], None]) -> Table:
    rows: list[dict[str, Any]] = []
    columns: dict[str, None] = {}
    for number, line in enumerate(handle, start=1):
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            problem(f"{name}:{number}:{exc.colno}: not JSON ({exc.msg}); kept in column {RAW!r}")
            value = {RAW: text}
        if not isinstance(value, dict):
            problem(f"{name}:{number}: a JSON {type(value).__name__}, not an object; kept in column {RAW!r}")
            value = {RAW: text}
        for key in value:
            columns.setdefault(key, None)
        rows.append(value)
    return Table(list(columns), rows, "jsonl")


def write_table(table: Table, added: dict[str, list[Any]], path: str | None, fmt: str) -> None:
    """Write *table* with the *added* columns to *path* (None or ``-``: standard output)."""
    if fmt == "parquet":
        if path in (None, "-"):
            raise TableError("Parquet is not written to standard output; give -o FILE.parquet")
        pa = require_extra("pyarrow", "parquet", "writing Parquet")
        pq = require_extra("pyarrow.parquet", "parquet", "writing Parquet")
        if table.arrow is not None:
            arrow = table.arrow
        elif table.arrow_stream is not None:
            arrow = pa.ipc.open_stream(table.arrow_stream).read_all()
        else:
            arrow = pa.Table.from_pylist(table.rows)
        for column, values in added.items():
            arrow = arrow.append_column(column, pa.array(values))
        pq.write_table(arrow, path)
        return
    if path in (None, "-"):
        handle = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", errors="surrogateescape", newline="")
        try:
            _write_text(handle, table, added, fmt)
        finally:
            handle.detach()
        return
    with open(str(path), "w", encoding="utf-8", errors="surrogateescape", newline="") as file:
        _write_text(file, table, added, fmt)


def _write_text(handle: IO[str], table: Table, added: dict[str, list[Any]], fmt: str) -> None:
    if fmt == "jsonl":
        for i, row in enumerate(table.rows):
            out = dict(row)
            for column, values in added.items():
                out[column] = values[i]
            handle.write(json.dumps(out, ensure_ascii=False) + "\n")
    else:
        writer = csv.writer(handle, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
        writer.writerow([*table.columns, *added])
        for i, row in enumerate(table.rows):
            writer.writerow([*(row.get(c, "") for c in table.columns), *(values[i] for values in added.values())])
    handle.flush()
