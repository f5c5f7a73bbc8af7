"""Labelled pairs to benchmark on: the built-in sets, and any CSV or Parquet file of the same shape.

A dataset has the columns ``name1, name2, is_match`` and optionally ``category`` and ``kind``
(``person``, ``place``, ``org`` or ``auto``); other columns are ignored. ``is_match`` is ``1``/``0``
(``true``/``false`` and ``yes``/``no`` are accepted too). Rows are read one at a time, so a file of
any size streams.

A malformed row (a label that is not 0/1, an empty name, an unknown kind, a wrong number of
fields) is never dropped silently: ``on_error="fail"`` (the default) raises :class:`DatasetError`
naming the file and line; ``"skip"`` skips it and counts it; ``"report"`` skips it, counts it and
keeps its message. A file without the required columns always fails.

Built-in sets (see ``benchmarks/eval_pairs.py`` for how they are made from public word lists):

- ``eval_pairs_small``: 588 pairs, the same number per category and label; ships with namematch,
  so it works from an installed wheel;
- ``eval_pairs``: the full 8,200 pairs; found only in a checkout of the repository
  (``benchmarks/data/eval_pairs.csv`` under the current directory or beside the source tree).
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from namematch.errors import NamematchError

__all__ = [
    "BUILTIN",
    "KINDS",
    "ON_ERROR",
    "Dataset",
    "DatasetError",
    "LabelledPair",
    "Problems",
    "builtin_datasets",
    "dataset",
]

OnError = Literal["fail", "skip", "report"]
ON_ERROR: tuple[str, ...] = ("fail", "skip", "report")
#: the values of the ``kind`` column (empty means ``auto``)
KINDS: tuple[str, ...] = ("person", "place", "org", "auto")
REQUIRED: tuple[str, ...] = ("name1", "name2", "is_match")
OPTIONAL: tuple[str, ...] = ("category", "kind")
_TRUE, _FALSE = frozenset({"1", "true", "yes"}), frozenset({"0", "false", "no"})


class DatasetError(NamematchError):
    """A dataset that cannot be read: missing, without the required columns, or a malformed row
    under ``on_error="fail"``."""


@dataclass(frozen=True)
class LabelledPair:
    """One row of a dataset: two names, whether they name the same entity, and where it came from."""

    name1: str
    name2: str
    is_match: bool
    category: str = ""
    kind: str = "auto"
    #: the line of a CSV file (1 is the header) or the row of a Parquet file (from 1)
    line: int = 0


@dataclass
class Problems:
    """The malformed rows met while reading a dataset: how many, and their messages when reported."""

    on_error: OnError = "fail"
    count: int = 0
    messages: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        """Record one malformed row (or raise, under ``on_error="fail"``)."""
        text = f"{where}: {message}"
        if self.on_error == "fail":
            raise DatasetError(f"{text} (pass on_error='skip' or 'report', or --on-error, to go on without it)")
        self.count += 1
        if self.on_error == "report":
            self.messages.append(text)


@dataclass(frozen=True)
class Dataset:
    """A file of labelled pairs. ``name`` labels it in reports; ``source`` says where it is from."""

    name: str
    path: Path
    source: str
    format: Literal["csv", "parquet"] = "csv"

    def rows(self, problems: Problems | None = None) -> Iterator[LabelledPair]:
        """The valid pairs, one at a time, in file order; malformed rows go to *problems*."""
        problems = problems if problems is not None else Problems()
        if not self.path.is_file():
            raise DatasetError(f"{self.path}: no such file")
        if self.format == "parquet":
            yield from self._parquet(problems)
        else:
            yield from self._csv(problems)

    def estimate_rows(self) -> int | None:
        """The number of rows, cheaply (newlines of a CSV, metadata of a Parquet file): for progress."""
        try:
            if self.format == "parquet":
                handle = _parquet().ParquetFile(self.path)
                try:
                    return int(handle.metadata.num_rows)
                finally:
                    handle.close()
            with self.path.open("rb") as handle:
                return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1)
        except (OSError, ImportError):
            return None

    def sha256(self) -> str:
        """The SHA-256 of the file, recorded beside results so a changed dataset is noticed."""
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()

    def _csv(self, problems: Problems) -> Iterator[LabelledPair]:
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            try:
                header = next(reader, None)
                if header is None:
                    raise DatasetError(f"{self.path}: empty file (expected a header with {', '.join(REQUIRED)})")
                columns = _columns(self.path, [h.strip() for h in header])
                previous = reader.line_num
                for record in reader:
                    line, previous = previous + 1, reader.line_num
                    if not record or record == [""]:
                        continue  # a blank line: no row at all
                    where = f"{self.path}:{line}"
                    if len(record) != len(header):
                        problems.add(where, f"{len(record)} fields, the header has {len(header)}")
                        continue
                    pair = _pair({c: record[i] for c, i in columns.items()}, line, where, problems)
                    if pair is not None:
                        yield pair
            except csv.Error as exc:
                raise DatasetError(f"{self.path}:{reader.line_num}: {exc}") from exc
            except UnicodeDecodeError as exc:
                raise DatasetError(f"{self.path}: not UTF-8 (byte 0x{exc.object[exc.start]:02X})") from exc

    def _parquet(self, problems: Problems) -> Iterator[LabelledPair]:
        parquet = _parquet()
        handle = parquet.ParquetFile(self.path)
        try:
            columns = _columns(self.path, [str(n) for n in handle.schema_arrow.names])
            wanted = list(columns)
            row = 0
            for batch in handle.iter_batches(columns=wanted, batch_size=8192):
                data = batch.to_pydict()
                for i in range(batch.num_rows):
                    row += 1
                    values = {c: data[c][i] for c in wanted}
                    pair = _pair(values, row, f"{self.path}: row {row}", problems)
                    if pair is not None:
                        yield pair
        finally:
            handle.close()


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DatasetError(
            f"{path}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(found: {', '.join(header) or 'none'}; need {', '.join(REQUIRED)}, optionally {', '.join(OPTIONAL)})"
        )
    return {c: header.index(c) for c in (*REQUIRED, *OPTIONAL) if c in header}


def _pair(values: Mapping[str, object], line: int, where: str, problems: Problems) -> LabelledPair | None:
    texts = {c: "" if v is None else str(v) for c, v in values.items()}
    for column in ("name1", "name2"):
        if not texts[column].strip():
            problems.add(where, f"empty {column}")
            return None
    label = values["is_match"]
    flag = texts["is_match"].strip().lower()
    if isinstance(label, bool):
        is_match = label
    elif flag in _TRUE or flag in _FALSE:
        is_match = flag in _TRUE
    else:
        problems.add(where, f"is_match must be 0 or 1, got {texts['is_match']!r}")
        return None
    kind = texts.get("kind", "").strip().lower() or "auto"
    if kind not in KINDS:
        problems.add(where, f"kind must be one of {', '.join(KINDS)} or empty, got {texts['kind']!r}")
        return None
    return LabelledPair(texts["name1"], texts["name2"], is_match, texts.get("category", "").strip(), kind, line)


def _parquet() -> Any:
    try:
        import pyarrow.parquet as parquet
    except ImportError as exc:
        raise ImportError(
            "reading Parquet datasets needs the 'parquet' extra: pip install 'namematch[parquet]'"
        ) from exc
    return parquet


# --------------------------------------------------------------------------- built-in sets

#: built-in name -> (file name, where it lives: "package" data or the repository's "benchmarks")
BUILTIN: dict[str, tuple[str, str]] = {
    "eval_pairs_small": ("eval_pairs_small.csv", "package"),
    "eval_pairs": ("eval_pairs.csv", "benchmarks"),
}


def _repository_data() -> list[Path]:
    # The current directory first (a checkout being worked in), then the tree this module is in
    # (an editable install: src/namematch/bench/datasets.py -> the repository root).
    return [Path.cwd() / "benchmarks" / "data", Path(__file__).resolve().parents[3] / "benchmarks" / "data"]


def _builtin_path(name: str) -> Path | None:
    filename, where = BUILTIN[name]
    if where == "package":
        path = Path(str(resources.files("namematch") / "data" / "bench" / filename))
        return path if path.is_file() else None
    return next((d / filename for d in _repository_data() if (d / filename).is_file()), None)


def builtin_datasets() -> dict[str, Path | None]:
    """Each built-in dataset's name and its file (None when not found, e.g. ``eval_pairs`` outside
    a checkout of the repository)."""
    return {name: _builtin_path(name) for name in BUILTIN}


def dataset(spec: str | os.PathLike[str] | Dataset, *, name: str | None = None) -> Dataset:
    """A dataset from a built-in name (``eval_pairs_small``, ``eval_pairs``), a path to a ``.csv``
    or ``.parquet`` file, or a :class:`Dataset` (returned as is).

    >>> dataset("eval_pairs_small").name
    'eval_pairs_small'
    """
    if isinstance(spec, Dataset):
        return spec
    text = os.fspath(spec)
    if isinstance(spec, str) and spec in BUILTIN:
        path = _builtin_path(spec)
        if path is None:
            raise DatasetError(
                f"built-in dataset {spec!r} is not here: it is read from benchmarks/data/{BUILTIN[spec][0]} "
                "in a checkout of the namematch repository (run from its root)"
            )
        return Dataset(name or spec, path, f"built-in {spec}")
    path = Path(text)
    if not path.is_file():
        known = ", ".join(BUILTIN)
        raise DatasetError(f"{text}: no such file, and not a built-in dataset ({known})")
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return Dataset(name or path.stem, path, text, "parquet")
    return Dataset(name or path.stem, path, text, "csv")
