"""The ``namematch bench`` subcommand: compare matching strategies on labelled pairs.

    namematch bench [DATASET ...] [--strategy NAME ...] [--list]
                    [--markdown FILE] [--json FILE] [--pairs-csv FILE] [--plots DIR]
                    [--compare REF.json [--auc-tolerance X] [--recall-tolerance X] [--overall-only]]
                    [--no-speed] [--speed-sample N] [--speed-rounds N] [--baseline NAME]
                    [--worst N] [--on-error fail|skip|report] [--progress | --no-progress] [--quiet]

DATASET is a built-in name (``eval_pairs_small``, the default; ``eval_pairs`` in a checkout of the
repository) or a CSV or Parquet file with ``name1,name2,is_match[,category,kind]``. The table goes to
standard output (``--json -`` or ``--markdown -`` put that report there instead); problems and the
progress bar go to standard error. Exit status: 0, 1 when ``--compare`` finds a regression, 2 on an
error (unknown strategy, unreadable dataset, malformed row under ``--on-error fail``, missing extra).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from namematch.bench.compare import AUC_TOLERANCE, RECALL_TOLERANCE, compare, load_reference
from namematch.bench.datasets import ON_ERROR, builtin_datasets
from namematch.bench.run import run
from namematch.bench.strategies import BASELINE, available

__all__ = ["add_parser"]


def _write(target: str, text: str, out: TextIO) -> None:
    if target == "-":
        out.write(text)
        return
    path = Path(target)
    if path.parent != Path():
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _list(out: TextIO) -> int:
    out.write("strategies (kind, own threshold, from):\n")
    rows = [
        (s.name, s.kind, "-" if s.threshold is None else f"{s.threshold:g}", s.group, s.description)
        for s in available()
    ]
    width = max(len(r[0]) for r in rows)
    for name, kind, threshold, group, description in rows:
        out.write(f"  {name:<{width}}  {kind:<5}  {threshold:>4}  {group:<9}  {description}\n")
    out.write("  module:function  a function of yours (see `namematch.bench.strategies`)\n")
    out.write("datasets:\n")
    for name, path in builtin_datasets().items():
        where = str(path) if path is not None else "(not here: needs a checkout of the repository)"
        out.write(f"  {name:<{width}}  {where}\n")
    out.write(f"  {'PATH':<{width}}  a .csv or .parquet file with name1,name2,is_match[,category,kind]\n")
    return 0


def _strategies(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def _run(args: argparse.Namespace, out: TextIO, stderr: TextIO) -> int:
    if args.list:
        return _list(out)
    if args.plots is not None:
        from namematch.bench.plots import require

        try:
            require()  # fail before a long run, not after it
        except ImportError as exc:
            stderr.write(f"namematch bench: {exc}\n")
            return 2
    reference = load_reference(args.compare) if args.compare else None
    names = _strategies(args.strategy)
    try:
        result = run(
            args.datasets or ["eval_pairs_small"],
            names,
            speed=not args.no_speed,
            speed_sample=args.speed_sample,
            speed_rounds=args.speed_rounds,
            baseline=args.baseline,
            worst=args.worst,
            on_error=args.on_error,
            pairs_csv=args.pairs_csv,
            progress=args.progress,
        )
    except ImportError as exc:  # an optional extra (e.g. pyarrow for Parquet) that is not installed
        stderr.write(f"namematch bench: {exc}\n")
        return 2
    for d in result.datasets:
        for message in d.problems:
            stderr.write(f"{message}\n")
        if d.skipped:
            stderr.write(f"namematch bench: {d.name}: {d.skipped} malformed row(s) skipped\n")
    if not args.quiet and "-" not in (args.json, args.markdown):
        out.write(result.table())
    if args.json:
        _write(args.json, result.to_json(), out)
    if args.markdown:
        _write(args.markdown, result.to_markdown(), out)
    if args.plots is not None:
        from namematch.bench.plots import write_plots

        for path in write_plots(result, args.plots):
            stderr.write(f"namematch bench: wrote {path}\n")
    if reference is None:
        return 0
    report = compare(
        reference,
        result,
        auc_tolerance=args.auc_tolerance,
        recall_tolerance=args.recall_tolerance,
        overall_only=args.overall_only,
        strategies=None if names is None else [s.name for s in result.strategies],
        datasets=[d.name for d in result.datasets],
    )
    (out if "-" not in (args.json, args.markdown) else stderr).write(report.text())
    return 0 if report.ok else 1


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _tolerance(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return value


def add_parser(sub: Any) -> None:
    """Register ``bench`` on the subparsers object of the main parser."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "bench",
        help="compare matching strategies on labelled pairs",
        description="Run matching strategies side by side on labelled name pairs: accuracy overall and per "
        "category, speed, worst errors; reports as a table, Markdown, JSON, per-pair CSV and plots.",
    )
    parser.add_argument(
        "datasets",
        nargs="*",
        metavar="DATASET",
        help="built-in name (eval_pairs_small, eval_pairs) or a .csv/.parquet file (default: eval_pairs_small)",
    )
    parser.add_argument(
        "-s",
        "--strategy",
        action="append",
        metavar="NAME",
        help="a strategy to run, or module:function (repeat, or separate by commas; default: every available one)",
    )
    parser.add_argument("--list", action="store_true", help="list the strategies and built-in datasets, then stop")
    parser.add_argument("--markdown", metavar="FILE", help="write the Markdown report ('-': standard output)")
    parser.add_argument("--json", metavar="FILE", help="write the JSON report ('-': standard output)")
    parser.add_argument("--pairs-csv", metavar="FILE", help="write every pair's score by every strategy as CSV")
    parser.add_argument(
        "--plots", metavar="DIR", help="write PR curves and score distributions as PNG (needs the 'plot' extra)"
    )
    parser.add_argument("--compare", metavar="REF.json", help="exit 1 when accuracy fell below this reference run")
    parser.add_argument(
        "--auc-tolerance",
        type=_tolerance,
        default=AUC_TOLERANCE,
        help=f"largest ROC AUC drop allowed by --compare (default {AUC_TOLERANCE})",
    )
    parser.add_argument(
        "--recall-tolerance",
        type=_tolerance,
        default=RECALL_TOLERANCE,
        help=f"largest drop of recall at precision 0.99 and of blocking recall allowed (default {RECALL_TOLERANCE})",
    )
    parser.add_argument("--overall-only", action="store_true", help="--compare checks all pairs, not each category")
    parser.add_argument("--no-speed", action="store_true", help="measure accuracy only")
    parser.add_argument("--speed-sample", type=_positive, default=1000, help="pairs timed per round (default 1000)")
    parser.add_argument(
        "--speed-rounds", type=_positive, default=5, help="timing rounds; the median counts (default 5)"
    )
    parser.add_argument("--baseline", default=BASELINE, help=f"strategy speeds are divided by (default {BASELINE})")
    parser.add_argument(
        "--worst", type=int, default=5, help="false positives and negatives listed per strategy (default 5)"
    )
    parser.add_argument(
        "--on-error",
        choices=ON_ERROR,
        default="fail",
        help="a malformed row: fail (default), skip and count it, or report it on standard error and skip it",
    )
    bar = parser.add_mutually_exclusive_group()
    bar.add_argument("--progress", action="store_true", default=None, help="always show a progress bar (tqdm)")
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never show a progress bar")
    parser.add_argument("-q", "--quiet", action="store_true", help="no table on standard output")
    parser.set_defaults(run=_run)
