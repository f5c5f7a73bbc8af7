"""The ``namematch dedupe`` subcommand: cluster the rows of a table, write it back with the clusters.

    namematch dedupe INPUT [-o OUTPUT] --column NAME [--kind K] [--threshold T] [--same COL ...]
                     [--explain PAIRS.csv] [--format F] [--strict]

Reads CSV, TSV, JSON Lines or Parquet (by extension, or ``--format``; ``-`` is standard input, as
CSV unless told), writes the same format (to standard output when no ``-o``) with ``cluster_id``,
``cluster_size`` and ``canonical_name`` added, and prints a summary to standard error.
"""

from __future__ import annotations

import argparse
import csv
from typing import Any, TextIO

from namematch.dedupe.core import dedupe
from namematch.dedupe.tables import FORMATS, format_of, read_table, write_table
from namematch.match.normalize import KINDS

__all__ = ["add_parser"]

ADDED = ("cluster_id", "cluster_size", "canonical_name")


class _Progress:
    """A progress bar on standard error for long runs, when it is a terminal and tqdm is installed."""

    def __init__(self, stderr: TextIO, enabled: bool) -> None:
        self.bar: Any = None
        self.stage = ""
        self.enabled = enabled and stderr.isatty()
        self.stderr = stderr

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total < 20_000:
            return
        if stage != self.stage:
            self.close()
            try:
                from tqdm import tqdm
            except ImportError:  # the 'progress' extra is optional: no bar, no error
                self.enabled = False
                return
            self.stage = stage
            tqdm.monitor_interval = 0  # no monitor thread: dedupe forks its workers only from a one-thread process
            self.bar = tqdm(
                total=total, desc=stage, unit=" names" if stage == "analyse" else " pairs", file=self.stderr
            )
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _run(args: argparse.Namespace, out: TextIO, stderr: TextIO) -> int:
    fmt = format_of(args.input, args.format)
    out_fmt = format_of(args.output, None) if args.output not in (None, "-") and args.format is None else fmt

    def report(message: str) -> None:
        stderr.write(f"namematch dedupe: {message}\n")

    table = read_table(args.input, fmt, strict=args.strict, report=report)
    for wanted in (args.column, *args.same):
        if wanted not in table.columns:
            stderr.write(
                f"namematch: error: no column {wanted!r} in {args.input}; columns: {', '.join(table.columns)}\n"
            )
            return 2
    progress = _Progress(stderr, not args.no_progress)
    try:
        result = dedupe(
            table.rows,
            column=args.column,
            kind=args.kind,
            threshold=args.threshold,
            gender=args.gender,
            same=args.same,
            pairs=args.explain is not None,
            progress=progress,
        )
    finally:
        progress.close()
    ids, sizes, names = result.cluster_columns()
    clash = [c for c in ADDED if c in table.columns]
    if clash:
        stderr.write(f"namematch: error: the input already has column(s) {clash}; rename them first\n")
        return 2
    out.flush()
    write_table(table, dict(zip(ADDED, (ids, sizes, names), strict=True)), args.output, out_fmt)
    if args.explain is not None:
        with open(args.explain, "w", encoding="utf-8", errors="surrogateescape", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["row_a", "row_b", "name_a", "name_b", "score", "decision", "explanation"])
            for pair in result.pairs:
                writer.writerow(
                    [
                        pair.row_a + 1,
                        pair.row_b + 1,
                        pair.name_a,
                        pair.name_b,
                        f"{pair.score:.4f}",
                        pair.decision,
                        pair.explain(kind=args.kind, gender=args.gender),
                    ]
                )
    stderr.write(result.report.summary() + "\n")
    if table.problems:
        stderr.write(f"{len(table.problems)} malformed rows reported above; every one is in the output\n")
    return 1 if table.problems else 0


def add_parser(sub: Any) -> None:
    """Register ``dedupe`` on the subparsers object of the main parser."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "dedupe",
        help="cluster the rows of a table that name one entity",
        description="Cluster the rows of a table that name the same entity; write the table back with "
        "cluster_id, cluster_size and canonical_name added. Rows are numbered from 1 after the header "
        "in --explain.",
    )
    parser.add_argument("input", help="CSV, TSV, JSON Lines or Parquet file ('-': standard input)")
    parser.add_argument("-o", "--output", help="where to write (default: standard output; Parquet needs a file)")
    parser.add_argument("--column", required=True, help="the column holding the names")
    parser.add_argument("--kind", choices=KINDS, default="auto", help="what the names name (default: auto)")
    parser.add_argument("--threshold", type=float, help="match threshold in [0, 1] (default: 0.85)")
    parser.add_argument("--gender", choices=("strict", "ignore"), default="strict", help="Ivanov vs Ivanova")
    parser.add_argument("--same", nargs="+", default=[], metavar="COL", help="columns that must agree to merge")
    parser.add_argument("--explain", metavar="PAIRS.csv", help="write every scored candidate pair and why")
    parser.add_argument("--format", choices=FORMATS, help="input format (default: from the extension)")
    parser.add_argument("--strict", action="store_true", help="a malformed row is an error, not a warning")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(run=_run)
