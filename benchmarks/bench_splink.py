"""Splink alone against Splink with namematch's columns, in the same run, on the synthetic entity table.

    python -m benchmarks.bench_splink --sizes 10000 100000      # writes results/splink.{json,md}

For each size the table of ``benchmarks.synth_entities`` is generated (not timed). Two Splink 5
models on DuckDB deduplicate its ``name`` column; ``entity`` is the ground truth.

- ``splink``: Splink on the name alone, given a fair shot. Features: the name through unidecode,
  lower case, its words sorted (``raw_sorted``), and the Metaphone codes of its words
  (``raw_codes``, jellyfish). Comparisons: Jaro-Winkler on ``raw_sorted`` at 0.95, 0.88 and 0.8;
  the number of shared codes (2, 1). Blocking: any two codes of the name in common (an exploded
  array of code pairs; a one-word name has its code), or the same sorted codes. Of four variants
  tried on the 10k table (Jaro-Winkler with shared words and codes, with codes, with words; shared
  words and codes), this one had the best F1 at the policy below; the others are worse because
  their comparisons count the same evidence twice and chain clusters together.
- ``splink+namematch``: :func:`namematch.splink.add_columns` on the name, then
  :func:`namematch.splink.settings` (comparisons and blocking rules over the added columns).

Both are trained by the same recipe (:func:`namematch.splink.train` for namematch, the same steps
on the baseline's columns): the prior from the pairs with the same normalised words (assumed to be
half the true pairs), u from 2,000,000 random pairs (seed 1), m by expectation maximisation on two
plain blocking rules, each session bounded to 2,000,000 pairs (``max_pairs``). Pairs at match
probability 0.5 or more are predicted, and the clusters are Splink's connected components of the
pairs at 0.9 or more: the same threshold policy for both.

Measured: pairwise precision, recall and F1 over all row pairs (from the contingency table of
clusters and entities), the same on the pairs of one Cyrillic and one Latin mention (precision: of
the predicted such pairs, the share that is one entity; recall: of the true such pairs, the share
predicted), the pairs Splink scored (blocked), the largest cluster, and wall time: the features
(namematch's columns, analysed on the cores available, or the baseline's), training, prediction
and clustering. Each model runs in a fresh subprocess, one run per size; the machine is shared,
so the load average is recorded with the times.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks.harness import machine, write
from benchmarks.synth_entities import SEED, describe, generate, read_csv, write_csv

__all__ = ["MAX_PAIRS", "METHODS", "bench", "child", "evaluate", "main", "markdown", "run"]

METHODS = ("splink", "splink+namematch")
#: The bound on every training step's pairs (u sampling and each EM session).
MAX_PAIRS = 2e6
#: Pairs at this match probability or more are predicted; clusters join pairs at CLUSTER or more.
PREDICT, CLUSTER = 0.5, 0.9
_WORDS = re.compile(r"[a-z]+")


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(counts: Counter[Any]) -> int:
    return sum(c * (c - 1) // 2 for c in counts.values())


def evaluate(pred: Sequence[Any], true: Sequence[Any], scripts: Sequence[str]) -> dict[str, Any]:
    """Pairwise precision, recall and F1 of clusters *pred* against entities *true*, over all row
    pairs and over the pairs of one ``Cyrl`` and one ``Latn`` row (counted from the contingency
    table, never by listing pairs). Precision is 1.0 when no pair is predicted."""
    cells = Counter(zip(pred, true, strict=True))
    found, predicted, actual = _pairs(cells), _pairs(Counter(pred)), _pairs(Counter(true))
    # Cross-script: for each cell (and each cluster, each entity), Cyrillic rows times Latin rows.
    by = {s: (Counter[tuple[Any, Any]](), Counter[Any](), Counter[Any]()) for s in ("Cyrl", "Latn")}
    for i, j, s in zip(pred, true, scripts, strict=True):
        if s in by:
            cell, cluster, entity = by[s]
            cell[(i, j)] += 1
            cluster[i] += 1
            entity[j] += 1
    (cc, cp, ct), (lc, lp, lt) = by["Cyrl"], by["Latn"]
    x_found = sum(n * lc[k] for k, n in cc.items())
    x_predicted = sum(n * lp[k] for k, n in cp.items())
    x_actual = sum(n * lt[k] for k, n in ct.items())
    p = found / predicted if predicted else 1.0
    r = found / actual if actual else 1.0
    xp = x_found / x_predicted if x_predicted else 1.0
    xr = x_found / x_actual if x_actual else 1.0
    return {
        "pairs_true": actual,
        "pairs_predicted": predicted,
        "precision": p,
        "recall": r,
        "f1": _f1(p, r),
        "cross_pairs_true": x_actual,
        "cross_pairs_predicted": x_predicted,
        "cross_precision": xp,
        "cross_recall": xr,
        "cross_f1": _f1(xp, xr),
        "clusters": len(Counter(pred)),
        "largest_cluster": max(Counter(pred).values()),
    }


# --------------------------------------------------------------------------- the two models


def _baseline_features(frame: Any) -> Any:
    """The baseline's columns: unidecoded lower-case words sorted, their Metaphone codes, code pairs."""
    import jellyfish
    from unidecode import unidecode

    memo: dict[str, tuple[Any, ...]] = {}
    columns: dict[str, list[Any]] = {"raw_sorted": [], "raw_codes": [], "raw_code_pairs": [], "raw_codes_sorted": []}
    for name in frame["name"]:
        found = memo.get(name)
        if found is None:
            words = sorted(set(_WORDS.findall(unidecode(name).lower())))
            codes = sorted({jellyfish.metaphone(w) or w for w in words})
            pairs = [f"{a}|{b}" for a, b in itertools.combinations(codes, 2)] or codes
            found = memo[name] = (" ".join(words) or None, codes, pairs, " ".join(codes) or None)
        for key, value in zip(columns, found, strict=True):
            columns[key].append(value)
    return frame.assign(**columns)


def _baseline(frame: Any) -> tuple[Any, Any, Callable[[Any], None]]:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        comparisons=[
            cl.JaroWinklerAtThresholds("raw_sorted", [0.95, 0.88, 0.8]),
            cl.ArrayIntersectAtSizes("raw_codes", [2, 1]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("raw_code_pairs", arrays_to_explode=["raw_code_pairs"]),
            block_on("raw_codes_sorted"),
        ],
        retain_matching_columns=False,
    )

    def train(linker: Any) -> None:
        linker.training.estimate_probability_two_random_records_match([block_on("raw_sorted")], recall=0.5)
        linker.training.estimate_u_using_random_sampling(max_pairs=MAX_PAIRS, seed=1)
        for rule in (block_on("raw_codes_sorted"), block_on("raw_sorted")):
            linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=MAX_PAIRS)

    return _baseline_features(frame), settings, train


def _namematch(frame: Any) -> tuple[Any, Any, Callable[[Any], None]]:
    import namematch.splink as nms
    from namematch.dedupe.parallel import default_workers

    def train(linker: Any) -> None:
        nms.train(linker, max_pairs=MAX_PAIRS)

    settings = nms.settings(unique_id_column_name="id", retain_matching_columns=False)
    # A fresh process with no DuckDB threads yet, so the names may be analysed in forked workers.
    return nms.add_columns(frame, column="name", workers=default_workers()), settings, train


_MODELS: dict[str, Callable[[Any], tuple[Any, Any, Callable[[Any], None]]]] = {
    "splink": _baseline,
    "splink+namematch": _namematch,
}


def run(method: str, frame: Any) -> tuple[list[Any], dict[str, Any]]:
    """Cluster labels of *frame*'s rows by *method*, and what the run cost."""
    from splink import DuckDBAPI, Linker

    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    table, settings, train = _MODELS[method](frame)
    seconds["features"] = time.perf_counter() - clock
    blocked = _blocked(table, settings)  # not timed
    clock = time.perf_counter()
    linker = Linker(DuckDBAPI().register(table), settings, log_level=logging.ERROR)
    train(linker)
    seconds["train"] = time.perf_counter() - clock
    clock = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=PREDICT)
    seconds["predict"] = time.perf_counter() - clock
    clock = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, CLUSTER)
    found = dict(clusters.as_duckdbpyrelation().select("id, cluster_id").fetchall())
    seconds["cluster"] = time.perf_counter() - clock
    seconds["total"] = sum(seconds.values())
    predicted = predictions.as_duckdbpyrelation().aggregate("count(*)").fetchall()[0][0]
    labels = [found[i] for i in frame["id"]]
    cost = {"seconds": seconds, "pairs_blocked": blocked, "pairs_at_0_5": int(predicted)}
    return labels, {**cost, "load_average": os.getloadavg()}


def _blocked(table: Any, settings: Any) -> int:
    """How many pairs the prediction blocking rules of *settings* make on *table* (what Splink scores)."""
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    records = count_comparisons_from_blocking_rules(
        DuckDBAPI().register(table),
        blocking_rules=settings.blocking_rules_to_generate_predictions,
        link_type="dedupe_only",
        unique_id_column_name="id",
        record_sample_proportion=1.0,
    )
    return int(records[-1]["cumulative_comparison_count"])


def child(method: str, table_path: str, out_path: str) -> None:
    """Run one method on one table in this (fresh) process and write its results as JSON."""
    import pandas as pd

    logging.getLogger("splink").setLevel(logging.ERROR)
    with open(table_path, encoding="utf-8", newline="") as handle:
        rows = read_csv(handle)
    frame = pd.DataFrame({"id": [r.id for r in rows], "name": [r.name for r in rows]})
    labels, cost = run(method, frame)
    result = {**evaluate(labels, [r.entity for r in rows], [r.script for r in rows]), **cost}
    Path(out_path).write_text(json.dumps(result), encoding="utf-8")


def _commit() -> str | None:
    """The git commit the run was made at, with ``+changes`` when the working tree differed from it."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=root, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, cwd=root, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def bench(sizes: Sequence[int], seed: int = SEED, timeout: float = 3600.0) -> dict[str, Any]:
    """Each size's table generated once, then each method in a fresh subprocess (no DuckDB
    threads or caches carried over from the other method, and forking is safe in it)."""
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            rows = generate(size, seed)
            table = Path(tmp) / f"table_{size}.csv"
            with table.open("w", encoding="utf-8", newline="") as handle:
                write_csv(rows, handle)
            entry: dict[str, Any] = {"table": describe(rows), "methods": {}}
            del rows
            for method in METHODS:
                out = Path(tmp) / f"{size}_{method}.json"
                command = [sys.executable, "-m", "benchmarks.bench_splink", "--child", method, str(table), str(out)]
                subprocess.run(command, check=True, timeout=timeout, cwd=Path(__file__).resolve().parents[1])
                entry["methods"][method] = json.loads(out.read_text(encoding="utf-8"))
                shown = {
                    k: v for k, v in entry["methods"][method].items() if k in ("precision", "recall", "cross_recall")
                }
                print(size, method, shown, flush=True)
            results[str(size)] = entry
    return {
        "machine": machine(),
        "commit": _commit(),
        "versions": {p: version(p) for p in ("namematch", "splink", "duckdb", "pandas", "pyarrow", "jellyfish")},
        "seed": seed,
        "policy": {"predict_at": PREDICT, "cluster_at": CLUSTER, "max_pairs": MAX_PAIRS, "prior_recall": 0.5},
        "sizes": results,
    }


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def markdown(payload: dict[str, Any]) -> str:
    m = payload["machine"]
    v = payload["versions"]
    lines = [
        "# Splink alone and Splink with namematch's columns",
        "",
        f"{m['date']}, {m['cpu']} ({m['cores']} cores, shared), Python {m['python']}, namematch {v['namematch']}, "
        f"Splink {v['splink']} on DuckDB {v['duckdb']}. Generated by `python -m benchmarks.bench_splink`.",
        "",
        "The synthetic entity table of `benchmarks/synth_entities.py` (seed "
        f"{payload['seed']}); one run per size, both models in the same run, trained by the same recipe "
        f"(prior, u from {payload['policy']['max_pairs']:,.0f} random pairs, EM bounded to as many pairs per "
        f"session); pairs predicted at match probability {payload['policy']['predict_at']}, clusters are the "
        f"connected components at {payload['policy']['cluster_at']}. Pairwise precision (P), recall (R) and F1 "
        "over all row pairs, and over the pairs of a Cyrillic and a Latin mention. See the script's docstring "
        "for both models.",
        "",
        "| rows | model | P | R | F1 | Cyrillic-Latin P | Cyrillic-Latin R | Cyrillic-Latin F1 | pairs scored | "
        "largest cluster | seconds (features + Splink) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, entry in payload["sizes"].items():
        for method, r in entry["methods"].items():
            s = r["seconds"]
            lines.append(
                f"| {int(size):,} | {method} | {_pct(r['precision'])} | {_pct(r['recall'])} | {_pct(r['f1'])} | "
                f"{_pct(r['cross_precision'])} | {_pct(r['cross_recall'])} | {_pct(r['cross_f1'])} | "
                f"{r['pairs_blocked']:,} | {r['largest_cluster']:,} | "
                f"{s['total']:.0f} ({s['features']:.0f} + {s['train'] + s['predict'] + s['cluster']:.0f}) |"
            )
    lines += ["", "## The tables", ""]
    lines.append("| rows | entities | true pairs | Cyrillic-Latin true pairs | Cyrillic rows | Latin rows |")
    lines.append("|---|---|---|---|---|---|")
    for size, entry in payload["sizes"].items():
        t = entry["table"]
        first = next(iter(entry["methods"].values()))
        scripts = t["rows_by_script"]
        lines.append(
            f"| {int(size):,} | {t['entities']:,} | {first['pairs_true']:,} | {first['cross_pairs_true']:,} | "
            f"{_pct(scripts.get('Cyrl', 0))} | {_pct(scripts.get('Latn', 0))} |"
        )
    lines += [
        "",
        "## Times",
        "",
        "Wall seconds of one run on a machine shared with other jobs (load average at the end of each run in "
        "the JSON), so they are rough. Features: namematch's columns (each distinct name analysed once, on the "
        "cores available) or the baseline's (unidecode and Metaphone). Splink: training, prediction, clustering.",
        "",
        "| rows | model | features | train | predict | cluster | load average |",
        "|---|---|---|---|---|---|---|",
    ]
    for size, entry in payload["sizes"].items():
        for method, r in entry["methods"].items():
            s = r["seconds"]
            load = ", ".join(f"{x:.1f}" for x in r["load_average"])
            lines.append(
                f"| {int(size):,} | {method} | {s['features']:.1f} | {s['train']:.1f} | {s['predict']:.1f} | "
                f"{s['cluster']:.1f} | {load} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds for one method on one size")
    parser.add_argument("--no-write", action="store_true", help="print the table, do not write results/")
    parser.add_argument("--child", nargs=3, metavar=("METHOD", "TABLE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return
    payload = bench(args.sizes, args.seed, args.timeout)
    text = markdown(payload)
    if not args.no_write:
        write("splink", payload, text)
    print(text)


if __name__ == "__main__":
    main()
