"""Deduplication at 10k, 100k and 1M rows: namematch against baselines, on the synthetic entity table.

    python -m benchmarks.bench_dedupe --sizes 10000 100000 1000000     # writes results/dedupe.{json,md}

For each size the table of ``benchmarks.synth_entities`` is generated (not timed) and its ``name``
column written to a file; then each method runs in a **fresh subprocess** (its own peak memory, no
caches carried over between runs) and writes one cluster label per row:

- ``namematch``: ``namematch.dedupe(names, kind="auto")`` with its defaults.
- ``exact``: unidecode, lower case, every run of non-letters collapsed to one space; rows with the
  same string form one cluster.
- ``metaphone_jw``: the same normalisation; every distinct string is put in one block per word, keyed
  by jellyfish's Metaphone code of the word; within a block, two strings with rapidfuzz Jaro-Winkler
  >= 0.9 (on the whole normalised string) are linked; clusters are the connected components. A block
  of more than ``BLOCK_CAP`` distinct strings is skipped (counted as oversized): without a cap the
  common surnames' blocks are quadratic.
- ``splink``: Splink on DuckDB (when importable), on the name column alone. Features from the name:
  the normalised string with its words sorted, the words, their Metaphone codes. Comparisons:
  Jaro-Winkler levels on the sorted string, the number of shared words, the number of shared Metaphone
  codes. Blocking: any two words' Metaphone codes in common (exploded pairs), or the same sorted codes.
  Training: the prior from exact duplicates (recall assumed 0.3), u by random sampling (``max_pairs``
  bounded), m by one EM pass blocked on the sorted codes (bounded); pairs above probability 0.5 are
  predicted, clusters are the connected components at 0.9. DuckDB is limited to ``SPLINK_MEMORY``
  (4GB, the 1M target's budget; it spills to disk beyond it) instead of its default 80% of the
  machine. A ``splink_raw`` variant sees lower-cased names without transliteration, the way a Splink
  model on the raw column does (run up to 100k rows). Each gets ``--splink-timeout`` seconds per run
  (default 900), else it is reported as ``timeout``.
- ``oracle``: not a method: the true entities with string-identical entities merged
  (``synth_entities.oracle_labels``), the ceiling any string-only method can reach.

The namematch package is copied when the benchmark starts and every child imports the copy, so one
benchmark measures one version even while the working tree changes (its commit is recorded, with
``+dirty`` when ``src/`` differs from it).

Measured: wall time from the names being in memory to the labels (reading the file is excluded and
reported apart), peak memory of the child (the larger of its ``ru_maxrss`` and the summed
proportional set size of it and its forked workers, sampled by the parent from outside every 0.1 s,
or less often where a sample takes longer than 10% of that (``SAMPLER_SHARE``; reading a large
process's ``smaps_rollup`` is slow, and sampling took CPU from the method measured):
a sampling thread inside the child would make namematch run on one core; interpreter, imports and
names included), candidate pairs (what the method scores, where it has them), clusters, pairwise
precision/recall/F1 over all row pairs and B-cubed precision/recall/F1 (both from the contingency
table of predicted clusters and true entities, never by listing pairs), the pairwise recall on true
pairs of a Cyrillic and a Latin mention, and B-cubed precision and recall by row category. Medians
over ``--runs`` runs (default: 3 at 10k rows, 2 at 100k, 1 above; Splink 1 above 10k). A run
longer than ``--timeout`` seconds (default 3600; Splink: ``--splink-timeout``) is stopped and
reported as ``timeout``; one whose memory passes ``MEMORY_CAP`` (8 GiB) as ``memory``.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from benchmarks.harness import machine, write
from benchmarks.synth_entities import SEED, Row, describe, generate, oracle_labels, versions

__all__ = [
    "BLOCK_CAP",
    "METHODS",
    "TARGETS",
    "bench",
    "by_category",
    "evaluate",
    "main",
    "markdown",
    "sample_errors",
]

METHODS = ("namematch", "exact", "metaphone_jw", "splink", "splink_raw")
DEFAULT_METHODS = ("namematch", "exact", "metaphone_jw", "splink", "splink_raw")
BLOCK_CAP = 1000
JW_THRESHOLD = 0.9
SPLINK_TIMEOUT = 900.0
SPLINK_MEMORY = "4GB"
TIMEOUT = 3600.0
MEMORY_CAP = 8 * 1024**3  # twice the 1M target: a run above it is stopped and reported
SPLINK_RAW_MAX_ROWS = 100_000  # the raw variant only shows what transliteration is worth
TARGETS = {
    "seconds": {1_000_000: 90.0, 100_000: 10.0},
    "peak_rss_bytes": {1_000_000: 4 * 1024**3},
    "bcubed_f1": 0.95,
}
_CATEGORIES = ("kind", "script", "info", "typo", "circular", "relation")


# --------------------------------------------------------------------------- metrics


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(pred: Sequence[int], true: Sequence[Any], scripts: Sequence[str] | None = None) -> dict[str, Any]:
    """Pairwise and B-cubed precision, recall and F1 of clustering *pred* against *true* labels.

    Pairwise counts run over all row pairs: true positives are pairs in one predicted cluster and one
    true cluster. B-cubed averages, over rows, the share of the row's predicted cluster that is in its
    true cluster (precision) and the share of its true cluster that is in its predicted cluster
    (recall). Both come from the contingency counts n(i, j) of predicted cluster i and true cluster j.
    With *scripts*, also the pairwise recall on true pairs of a ``Cyrl`` and a ``Latn`` row.
    Precision is 1.0 when no pair is predicted, recall 1.0 when there is no true pair.
    """
    if len(pred) != len(true):
        raise ValueError(f"{len(pred)} labels for {len(true)} rows")
    n = len(true)
    cells = Counter(zip(pred, true, strict=True))
    sizes_pred = Counter(pred)
    sizes_true = Counter(true)
    tp = sum(c * (c - 1) // 2 for c in cells.values())
    predicted = sum(c * (c - 1) // 2 for c in sizes_pred.values())
    actual = sum(c * (c - 1) // 2 for c in sizes_true.values())
    p = tp / predicted if predicted else 1.0
    r = tp / actual if actual else 1.0
    bp = sum(c * c / sizes_pred[i] for (i, _), c in cells.items()) / n if n else 1.0
    br = sum(c * c / sizes_true[j] for (_, j), c in cells.items()) / n if n else 1.0
    out: dict[str, Any] = {
        "clusters": len(sizes_pred),
        "entities": len(sizes_true),
        "pairs_predicted": predicted,
        "pairs_true": actual,
        "pairs_correct": tp,
        "pairwise_precision": p,
        "pairwise_recall": r,
        "pairwise_f1": _f1(p, r),
        "bcubed_precision": bp,
        "bcubed_recall": br,
        "bcubed_f1": _f1(bp, br),
    }
    if scripts is not None:
        cyr: Counter[tuple[int, Any]] = Counter()
        lat: Counter[tuple[int, Any]] = Counter()
        cyr_true: Counter[Any] = Counter()
        lat_true: Counter[Any] = Counter()
        for i, j, s in zip(pred, true, scripts, strict=True):
            if s == "Cyrl":
                cyr[(i, j)] += 1
                cyr_true[j] += 1
            elif s == "Latn":
                lat[(i, j)] += 1
                lat_true[j] += 1
        cross_true = sum(c * lat_true[j] for j, c in cyr_true.items())
        cross_found = sum(c * lat[cell] for cell, c in cyr.items())
        out["cross_script_pairs_true"] = cross_true
        out["cross_script_recall"] = cross_found / cross_true if cross_true else 1.0
    return out


def by_category(pred: Sequence[int], rows: Sequence[Row], fields: Sequence[str] = _CATEGORIES) -> dict[str, Any]:
    """B-cubed precision and recall averaged over the rows of each value of each category column."""
    true = [row.entity for row in rows]
    cells = Counter(zip(pred, true, strict=True))
    sizes_pred = Counter(pred)
    sizes_true = Counter(true)
    out: dict[str, Any] = {}
    for field in fields:
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for i, row in zip(pred, rows, strict=True):
            c = cells[(i, row.entity)]
            acc = sums[str(getattr(row, field))]
            acc[0] += 1
            acc[1] += c / sizes_pred[i]
            acc[2] += c / sizes_true[row.entity]
        out[field] = {
            value: {"rows": int(n), "bcubed_precision": round(p / n, 4), "bcubed_recall": round(r / n, 4)}
            for value, (n, p, r) in sorted(sums.items())
        }
    return out


Scorer = Callable[[list[tuple[str, str]]], list[float | None]]


def sample_errors(
    pred: Sequence[int], rows: Sequence[Row], count: int = 15, seed: int = SEED, scorer: Scorer | None = None
) -> dict[str, Any]:
    """Examples of false merges (two entities in one predicted cluster) and missed merges (one entity
    split over predicted clusters): one row of each side, the largest parts first; with *scorer*,
    the similarity of each pair's names."""
    by_pred: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    by_true: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for k, (i, row) in enumerate(zip(pred, rows, strict=True)):
        by_pred[i][row.entity].append(k)
        by_true[row.entity][i].append(k)

    def two_largest(groups: list[list[int]]) -> tuple[int, int]:
        a, b = sorted(groups, key=lambda ks: (-len(ks), ks[0]))[:2]
        return a[0], b[0]

    merged = [two_largest(list(parts.values())) for parts in by_pred.values() if len(parts) > 1]
    split = [two_largest(list(parts.values())) for parts in by_true.values() if len(parts) > 1]
    rng = random.Random(f"errors-{seed}")

    def show(pairs: list[tuple[int, int]]) -> list[dict[str, Any]]:
        picked = rng.sample(pairs, min(count, len(pairs)))
        scores = scorer([(rows[x].name, rows[y].name) for x, y in picked]) if scorer else [None] * len(picked)
        return [
            {"a": _describe_row(rows[x]), "b": _describe_row(rows[y]), "score": score}
            for (x, y), score in zip(picked, scores, strict=True)
        ]

    return {
        "false_merge_clusters": len(merged),
        "split_entities": len(split),
        "false_merges": show(merged),
        "missed_merges": show(split),
    }


def _describe_row(row: Row) -> dict[str, Any]:
    return {
        "name": row.name,
        "entity": row.entity,
        "canonical": row.canonical,
        "kind": row.kind,
        "tool": row.tool,
        "info": row.info,
        "typo": row.typo,
        "relation": row.relation,
    }


def similarities(pairs: list[tuple[str, str]]) -> list[float | None]:
    """``namematch.similarity`` of each pair (a hint beside each example)."""
    import namematch

    return [round(namematch.similarity(a, b), 3) for a, b in pairs]


# --------------------------------------------------------------------------- methods (run in the child)

_LETTERS = re.compile(r"[a-z]+")


def normaliser() -> Callable[[str], str]:
    """unidecode, lower case, runs of non-letters collapsed to one space (memoised per name)."""
    from unidecode import unidecode

    memo: dict[str, str] = {}

    def norm(name: str) -> str:
        out = memo.get(name)
        if out is None:
            out = memo[name] = " ".join(_LETTERS.findall(unidecode(name).lower()))
        return out

    return norm


MethodResult = tuple[list[int], dict[str, Any]]


def run_exact(names: Sequence[str]) -> MethodResult:
    norm = normaliser()
    ids: dict[str, int] = {}
    labels = []
    for k, name in enumerate(names):
        key = norm(name)
        labels.append(ids.setdefault(key, len(ids)) if key else -1 - k)
    return labels, {"candidate_pairs": None}


def _components(n: int, edges: Sequence[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(x) for x in range(n)]


def run_metaphone_jw(names: Sequence[str], cap: int = BLOCK_CAP, threshold: float = JW_THRESHOLD) -> MethodResult:
    import jellyfish
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import JaroWinkler

    norm = normaliser()
    ids: dict[str, int] = {}
    row_ids = [ids.setdefault(norm(name), len(ids)) for name in names]
    strings = list(ids)
    codes: dict[str, str] = {}
    blocks: dict[str, list[int]] = defaultdict(list)
    for sid, text in enumerate(strings):
        for word in set(text.split()):
            code = codes.get(word)
            if code is None:
                code = codes[word] = jellyfish.metaphone(word)
            if code:
                blocks[code].append(sid)
    edges: list[tuple[int, int]] = []
    compared = oversized = oversized_strings = 0
    for members in blocks.values():
        n = len(members)
        if n < 2:
            continue
        if n > cap:
            oversized += 1
            oversized_strings += n
            continue
        compared += n * (n - 1) // 2
        texts = [strings[m] for m in members]
        scores = process.cdist(texts, texts, scorer=JaroWinkler.similarity, score_cutoff=threshold, workers=1)
        for a, b in zip(*np.nonzero(np.triu(scores >= threshold, 1)), strict=True):
            edges.append((members[int(a)], members[int(b)]))
    root = _components(len(strings), edges)
    labels = [root[s] if strings[s] else -1 - k for k, s in enumerate(row_ids)]
    return labels, {
        "candidate_pairs": compared,
        "blocks": len(blocks),
        "oversized_blocks": oversized,
        "strings_in_oversized_blocks": oversized_strings,
        "distinct_strings": len(strings),
        "block_cap": cap,
    }


def _splink_features(names: Sequence[str], transliterate: bool) -> dict[str, list[Any]]:
    import itertools

    import jellyfish
    from unidecode import unidecode

    words_of = re.compile(r"[a-z]+") if transliterate else re.compile(r"[^\W\d_]+")
    codes: dict[str, str] = {}

    def code(word: str) -> str:
        out = codes.get(word)
        if out is None:
            out = codes[word] = (jellyfish.metaphone(word) or word) if word.isascii() else word
        return out

    memo: dict[str, tuple[Any, ...]] = {}
    cols: dict[str, list[Any]] = {k: [] for k in ("name_sorted", "words", "codes", "codes_sorted", "code_pairs")}
    for name in names:
        feats = memo.get(name)
        if feats is None:
            text = unidecode(name).lower() if transliterate else name.lower()
            words = sorted(set(words_of.findall(text)))
            mp = sorted({code(w) for w in words})
            pairs = [f"{a}|{b}" for a, b in itertools.combinations(mp, 2)] or mp
            feats = memo[name] = (" ".join(words) or None, words, mp, " ".join(mp) or None, pairs)
        for key, value in zip(cols, feats, strict=True):
            cols[key].append(value)
    return cols


def run_splink(names: Sequence[str], transliterate: bool = True) -> MethodResult:
    import logging

    import duckdb
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    frame = pd.DataFrame({"unique_id": range(len(names)), **_splink_features(names, transliterate)})
    spill = tempfile.TemporaryDirectory(prefix="splink_")
    # DuckDB takes 80% of the machine's memory by default; on a shared machine it gets what namematch's
    # 1M target allows, and spills to disk beyond it.
    connection = duckdb.connect(config={"memory_limit": SPLINK_MEMORY, "temp_directory": spill.name})
    db_api = DuckDBAPI(connection=connection)
    table = db_api.register(frame, dataset_display_name="names")
    predict_rules: list[Any] = [block_on("code_pairs", arrays_to_explode=["code_pairs"]), block_on("codes_sorted")]
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name_sorted", [0.95, 0.88, 0.8]),
            cl.ArrayIntersectAtSizes("words", [3, 2, 1]),
            cl.ArrayIntersectAtSizes("codes", [3, 2, 1]),
        ],
        blocking_rules_to_generate_predictions=predict_rules,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(table, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match([block_on("name_sorted")], recall=0.3)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("codes_sorted"), max_pairs=2e6, record_sample_proportion=1.0
    )
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    scored = predictions.as_duckdbpyrelation().aggregate("count(*)").fetchall()[0]
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9)
    labels = list(range(len(names)))
    ids: dict[Any, int] = {}
    for uid, cluster in clusters.as_duckdbpyrelation().select("unique_id, cluster_id").fetchall():
        labels[int(uid)] = len(names) + ids.setdefault(cluster, len(ids))
    connection.close()
    spill.cleanup()
    return labels, {
        "candidate_pairs": None,
        "pairs_above_0_5": int(scored[0]) if scored else None,
        "duckdb_memory_limit": SPLINK_MEMORY,
        "transliterated": transliterate,
        "version": version("splink"),
        "duckdb": version("duckdb"),
    }


def run_namematch(names: Sequence[str]) -> MethodResult:
    import namematch

    result = namematch.dedupe(list(names), kind="auto")
    report = dataclasses.asdict(result.report) if dataclasses.is_dataclass(result.report) else dict(result.report)
    candidates = next((v for k, v in report.items() if "candidate" in k), None)
    return list(result.labels), {"candidate_pairs": candidates, "report": report}


_RUNNERS: dict[str, Callable[[Sequence[str]], MethodResult]] = {
    "namematch": run_namematch,
    "exact": run_exact,
    "metaphone_jw": run_metaphone_jw,
    "splink": run_splink,
    "splink_raw": lambda names: run_splink(names, transliterate=False),
}


def _imports(method: str) -> None:
    """Import what a method needs before the clock starts (import time is not the method's work)."""
    if method == "namematch":
        import namematch

        if not hasattr(namematch, "dedupe"):
            raise ImportError("namematch.dedupe is not available in this version")
    elif method.startswith("splink"):
        import duckdb  # noqa: F401
        import pandas  # noqa: F401
        import splink  # noqa: F401
    else:
        import jellyfish  # noqa: F401
        import numpy  # noqa: F401
        import rapidfuzz  # noqa: F401
        import unidecode  # noqa: F401


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def _tree(pid: int) -> list[int]:
    """*pid* and its descendants (Linux /proc; just *pid* elsewhere)."""
    out = [pid]
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids = children.read_text().split()
        except OSError:
            continue
        for kid in kids:
            out.extend(_tree(int(kid)))
    return out


def _pss(pid: int) -> int:
    """Proportional set size of *pid* in bytes: pages shared with forked workers counted once overall."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _kill(pid: int) -> None:
    with contextlib.suppress(OSError):  # it may have ended meanwhile
        os.kill(pid, signal.SIGKILL)


#: The share of one core the memory sampler may take: reading ``/proc/PID/smaps_rollup`` walks the
#: process's page tables (tens of milliseconds a read for namematch at a million names), so
#: sampling its processes every 0.1 s took about a third of a core from a method that uses both
#: cores; the interval grows to keep within this share (the results give the samples and the
#: sampler's seconds).
SAMPLER_SHARE = 0.1


def _watch(process: subprocess.Popen[bytes], cap: int, timeout: float | None, interval: float = 0.1) -> dict[str, Any]:
    """Wait for *process*, sampling the summed PSS of it and its workers (namematch forks workers,
    whose memory ``ru_maxrss`` of the child does not see) from outside: a sampling thread inside the
    child would make it a threaded process, which namematch does not fork (see
    ``namematch.dedupe.parallel.can_fork``). Samples come every *interval* seconds, or less often
    when one takes longer than :data:`SAMPLER_SHARE` of that (the samples and the seconds they took
    are returned). Above *cap* bytes, or after *timeout* seconds, the whole tree is ended."""
    started = time.perf_counter()
    peak = 0
    spent = 0.0
    samples = 0
    while process.poll() is None:
        clock = time.perf_counter()
        pids = _tree(process.pid)
        peak = max(peak, sum(_pss(pid) for pid in pids))
        took = time.perf_counter() - clock
        spent += took
        samples += 1
        over_time = timeout is not None and time.perf_counter() - started > timeout
        if peak > cap or over_time:
            for pid in reversed(pids):
                _kill(pid)
            process.wait()
            if over_time:
                return {"status": "timeout", "timeout_seconds": timeout, "peak_pss_tree_bytes": peak}
            return {
                "status": "memory",
                "cap_bytes": cap,
                "peak_pss_tree_bytes": peak,
                "seconds": time.perf_counter() - started,
            }
        time.sleep(max(interval, took / SAMPLER_SHARE))
    return {"peak_pss_tree_bytes": peak, "memory_samples": samples, "sampler_seconds": round(spent, 3)}


def child(method: str, names_path: str, labels_path: str) -> dict[str, Any]:
    """Run one method on the names file, write its labels, return its measurements."""
    try:
        _imports(method)
    except ImportError as exc:
        return {"status": "unavailable", "error": str(exc)}
    start = time.perf_counter()
    names = Path(names_path).read_text(encoding="utf-8").split("\n")
    read_seconds = time.perf_counter() - start
    rss_before = _peak_rss()
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    labels, info = _RUNNERS[method](names)
    seconds = time.perf_counter() - start
    with open(labels_path, "wb") as handle:
        array("q", labels).tofile(handle)
    return {
        "status": "ok",
        "seconds": seconds,
        "read_seconds": read_seconds,
        "peak_rss_self_bytes": _peak_rss(),
        "rss_before_bytes": rss_before,
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        **info,
    }


# --------------------------------------------------------------------------- the parent


ROOT = Path(__file__).resolve().parent.parent


def _spawn(
    method: str, names_path: Path, labels_path: Path, timeout: float | None, env: dict[str, str]
) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.bench_dedupe", "--child", method, str(names_path), str(labels_path)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=ROOT)
        watched = _watch(process, MEMORY_CAP, timeout)
        if "status" in watched:
            return watched
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if process.returncode != 0 or not stdout.strip():
        return {"status": "error", "error": stderr.strip().splitlines()[-5:]}
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    result["peak_pss_tree_bytes"] = watched["peak_pss_tree_bytes"]
    result["memory_samples"] = watched["memory_samples"]
    result["sampler_seconds"] = watched["sampler_seconds"]
    result["peak_rss_bytes"] = max(result["peak_rss_self_bytes"], watched["peak_pss_tree_bytes"])
    return result


def _first_seen(labels: Sequence[int]) -> list[int]:
    """The same partition, clusters numbered in order of first appearance (to compare runs)."""
    ids: dict[int, int] = {}
    return [ids.setdefault(x, len(ids)) for x in labels]


def _runs(method: str, size: int, override: int | None) -> int:
    if override is not None:
        return override
    if size <= 10_000:
        return 3
    if method.startswith("splink"):
        return 1
    return 2 if size <= 100_000 else 1


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _commit() -> str:
    """The repository's commit, with ``+dirty`` when files under src/ differ from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def _versions() -> dict[str, str]:
    others = ("rapidfuzz", "jellyfish", "splink", "duckdb", "pandas", "numpy")
    return {"namematch_commit": _commit(), **versions(), **{n: _version(n) for n in others}}


def _verdicts(method: str, size: int, result: dict[str, Any]) -> dict[str, bool]:
    if method != "namematch" or result.get("status") != "ok":
        return {}
    out = {"bcubed_f1": result["metrics"]["bcubed_f1"] >= TARGETS["bcubed_f1"]}
    seconds: dict[int, float] = TARGETS["seconds"]  # type: ignore[assignment]
    memory: dict[int, int] = TARGETS["peak_rss_bytes"]  # type: ignore[assignment]
    if size in seconds:
        out["seconds"] = result["seconds"] <= seconds[size]
    if size in memory:
        out["peak_rss_bytes"] = result["peak_rss_bytes"] <= memory[size]
    return out


@dataclasses.dataclass(frozen=True)
class _Setup:
    seed: int
    methods: Sequence[str]
    runs: int | None
    splink_timeout: float
    timeout: float
    workdir: Path
    env: dict[str, str]  # children import the frozen copy of namematch
    log: Callable[[str], None]

    def similarities(self, pairs: list[tuple[str, str]]) -> list[float | None]:
        path = self.workdir / "pairs.json"
        path.write_text(json.dumps(pairs, ensure_ascii=False), encoding="utf-8")
        command = [sys.executable, "-m", "benchmarks.bench_dedupe", "--scores", str(path)]
        done = subprocess.run(command, capture_output=True, text=True, check=False, env=self.env, cwd=ROOT)
        path.unlink()
        if done.returncode != 0:
            return [None] * len(pairs)
        scores: list[float | None] = json.loads(done.stdout.strip().splitlines()[-1])
        return scores


def _freeze(workdir: Path) -> dict[str, str]:
    """Copy the namematch package as it is now; children import the copy, so that every run of one
    benchmark sees one version even while the working tree changes."""
    import namematch

    frozen = workdir / "frozen"
    shutil.copytree(Path(namematch.__file__).parent, frozen / "namematch", ignore=shutil.ignore_patterns("__pycache__"))
    paths = [str(frozen), str(ROOT), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def bench_size(size: int, setup: _Setup) -> dict[str, Any]:
    seed, methods, runs, workdir, log = setup.seed, setup.methods, setup.runs, setup.workdir, setup.log
    start = time.perf_counter()
    rows = generate(size, seed)
    generation = time.perf_counter() - start
    log(f"{size} rows generated in {generation:.1f} s")
    names = [row.name for row in rows]
    if any("\n" in n for n in names):
        raise ValueError("a name holds a line break")
    names_path = workdir / f"names_{size}.txt"
    names_path.write_text("\n".join(names), encoding="utf-8")
    truth = [row.entity for row in rows]
    scripts = [row.script for row in rows]
    out: dict[str, Any] = {
        "rows": size,
        "generation_seconds": round(generation, 2),
        "table": describe(rows),
        "oracle": evaluate(oracle_labels(rows), truth, scripts),
        "methods": {},
    }
    for method in methods:
        if method == "splink_raw" and size > SPLINK_RAW_MAX_ROWS:
            out["methods"][method] = {"status": "skipped", "why": f"run only up to {SPLINK_RAW_MAX_ROWS} rows"}
            continue
        limit = setup.splink_timeout if method.startswith("splink") else setup.timeout
        results = []
        labels: list[int] | None = None
        deterministic = True
        for attempt in range(_runs(method, size, runs)):
            labels_path = workdir / f"labels_{method}_{size}_{attempt}.bin"
            result = _spawn(method, names_path, labels_path, limit, setup.env)
            log(f"  {method} run {attempt + 1}: {result.get('status')} {result.get('seconds', 0):.2f} s")
            if result["status"] != "ok":
                results = [result]
                break
            got = array("q")
            with labels_path.open("rb") as handle:
                got.fromfile(handle, size)
            labels_path.unlink()
            canonical = _first_seen(got)
            if labels is None:
                labels = canonical
            elif canonical != labels:
                deterministic = False
            results.append(result)
        first = results[0]
        if first["status"] != "ok" or labels is None:
            out["methods"][method] = first
            continue
        entry = {
            **first,
            "runs": len(results),
            "seconds": statistics.median(r["seconds"] for r in results),
            "seconds_all": [round(r["seconds"], 3) for r in results],
            "read_seconds": statistics.median(r["read_seconds"] for r in results),
            "peak_rss_bytes": int(statistics.median(r["peak_rss_bytes"] for r in results)),
            "deterministic": deterministic,
            "metrics": evaluate(labels, truth, scripts),
            "by_category": by_category(labels, rows),
        }
        if method == "namematch":
            entry["errors"] = sample_errors(labels, rows, seed=seed, scorer=setup.similarities)
        entry["passes"] = _verdicts(method, size, entry)
        out["methods"][method] = entry
    names_path.unlink()
    return out


def bench(
    sizes: Sequence[int],
    *,
    seed: int = SEED,
    methods: Sequence[str] = DEFAULT_METHODS,
    runs: int | None = None,
    splink_timeout: float = SPLINK_TIMEOUT,
    timeout: float = TIMEOUT,
    log: Callable[[str], None] = lambda message: print(message, file=sys.stderr, flush=True),
) -> dict[str, Any]:
    """Every method at every size; the payload written to ``results/dedupe.json``."""
    with tempfile.TemporaryDirectory(prefix="bench_dedupe_") as tmp:
        workdir = Path(tmp)
        setup = _Setup(seed, methods, runs, splink_timeout, timeout, workdir, _freeze(workdir), log)
        payload = _payload(seed)
        for size in sizes:
            payload["sizes"].append(bench_size(size, setup))
    return payload


def _payload(seed: int) -> dict[str, Any]:
    return {
        "machine": machine(),
        "seed": seed,
        "versions": _versions(),
        "targets": {
            "seconds": {str(k): v for k, v in TARGETS["seconds"].items()},  # type: ignore[attr-defined]
            "peak_rss_bytes": {str(k): v for k, v in TARGETS["peak_rss_bytes"].items()},  # type: ignore[attr-defined]
            "bcubed_f1": TARGETS["bcubed_f1"],
        },
        "timing": "wall seconds from the names in memory to the labels, median of the runs; reading the "
        "names file excluded (read_seconds); imports excluded; table generation excluded",
        "memory": "peak memory of the child process: the larger of its ru_maxrss and the summed PSS of it and "
        "its forked workers sampled from outside the child every 0.1 s, or less often where a sample takes "
        "longer than 10% of the interval (memory_samples, sampler_seconds); interpreter, imports and names included",
        "sizes": [],
    }


# --------------------------------------------------------------------------- the report


def _mark(passes: dict[str, bool], key: str) -> str:
    return "" if key not in passes else (" ✅" if passes[key] else " ❌")


def _shares(shares: dict[str, float]) -> str:
    return ", ".join(f"{k} {x:.0%}" for k, x in shares.items())


def _pct(x: float) -> str:
    return f"{x:.3f}"


def markdown(payload: dict[str, Any]) -> str:
    m = payload["machine"]
    v = payload["versions"]
    lines = [
        "# Deduplication benchmark",
        "",
        f"Generated by `python -m benchmarks.bench_dedupe` on {m['date']}: {m['cpu']}, {m['cores']} cores, "
        f"Python {m['python']}. Table: `benchmarks.synth_entities`, seed {payload['seed']} (Faker {v['faker']}, "
        f"iuliia {v['iuliia']}, anyascii {v['anyascii']}, unidecode {v['unidecode']}); Splink {v['splink']} on "
        f"DuckDB {v['duckdb']}.",
        "",
        f"Targets for namematch: 1M rows in <= 90 s with peak memory <= 4 GB (read as 4 GiB = 4,096 MiB), 100k "
        f"rows in <= 10 s, B-cubed F1 >= {TARGETS['bcubed_f1']}. ✅/❌ mark them. Time: {payload['timing']}. "
        f"Memory: {payload['memory']}.",
        "Pairwise scores run over all row pairs; *Cyr–Lat R* is the pairwise recall on true pairs of a "
        "Cyrillic and a Latin mention; *oracle* merges only the entities whose full names are identical "
        "(the ceiling of any string-only method).",
        "",
    ]
    for entry in payload["sizes"]:
        t = entry["table"]
        lines += [
            f"## {entry['rows']:,} rows",
            "",
            f"{t['entities']:,} entities (mean cluster {t['mean_cluster_size']}, largest {t['max_cluster_size']}, "
            f"{t['singleton_entities']:.0%} singletons); rows {_shares(t['rows_by_kind'])}; "
            f"scripts {_shares(t['rows_by_script'])}; "
            f"{t['rows_with_typo']:.1%} with a typo; {t['rows_circular']:.0%} circular spellings; "
            f"indistinguishable entity pairs: {t['indistinguishable_entity_pairs']} "
            f"({t['indistinguishable_pair_fraction']:.2e} of all entity pairs). "
            f"Generated in {entry['generation_seconds']} s (not timed below).",
            "",
            "| method | runs | seconds | peak MiB | candidate pairs | clusters | pairwise P | pairwise R | "
            "pairwise F1 | B³ P | B³ R | B³ F1 | Cyr–Lat R |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        o = entry["oracle"]
        lines.append(
            f"| oracle | – | – | – | – | {o['clusters']:,} | {_pct(o['pairwise_precision'])} | "
            f"{_pct(o['pairwise_recall'])} | {_pct(o['pairwise_f1'])} | {_pct(o['bcubed_precision'])} | "
            f"{_pct(o['bcubed_recall'])} | {_pct(o['bcubed_f1'])} | {_pct(o['cross_script_recall'])} |"
        )
        for method, r in entry["methods"].items():
            if r.get("status") != "ok":
                lines.append(f"| {method} | {_why(r)} |" + " |" * 11)
                continue
            x = r["metrics"]
            passes = r.get("passes", {})
            cand = r.get("candidate_pairs")
            lines.append(
                f"| {method} | {r['runs']} | {r['seconds']:.2f}{_mark(passes, 'seconds')} | "
                f"{r['peak_rss_bytes'] / 2**20:,.0f}{_mark(passes, 'peak_rss_bytes')} | "
                f"{'–' if cand is None else f'{cand:,}'} | {x['clusters']:,} | {_pct(x['pairwise_precision'])} | "
                f"{_pct(x['pairwise_recall'])} | {_pct(x['pairwise_f1'])} | {_pct(x['bcubed_precision'])} | "
                f"{_pct(x['bcubed_recall'])} | {_pct(x['bcubed_f1'])}{_mark(passes, 'bcubed_f1')} | "
                f"{_pct(x['cross_script_recall'])} |"
            )
        notes = []
        loads = [
            f"{m} {r['load_average_1min'][0]}–{r['load_average_1min'][1]}"
            for m, r in entry["methods"].items()
            if r.get("status") == "ok" and "load_average_1min" in r
        ]
        if loads:
            notes.append(
                f"1-minute load average at the start and end of each method's first run ({m['cores']} cores, "
                f"shared): {', '.join(loads)}."
            )
        sampled = [
            f"{m} {r['memory_samples']} in {r['sampler_seconds']:.1f} s"
            for m, r in entry["methods"].items()
            if r.get("status") == "ok" and "memory_samples" in r
        ]
        if sampled:
            notes.append(f"Memory samples in each method's first run, and the sampler's seconds: {', '.join(sampled)}.")
        for method, r in entry["methods"].items():
            if r.get("status") == "ok" and method == "metaphone_jw":
                notes.append(
                    f"metaphone_jw skipped {r['oversized_blocks']} blocks of more than {r['block_cap']} distinct "
                    f"strings ({r['strings_in_oversized_blocks']:,} string-block memberships)."
                )
            if r.get("status") == "ok" and not r.get("deterministic", True):
                notes.append(f"{method} gave different labels in different runs.")
        if notes:
            lines += ["", *notes]
        lines += _category_table(entry["methods"])
        lines.append("")
    lines += _error_section(payload)
    return "\n".join(lines)


def _why(r: dict[str, Any]) -> str:
    if r["status"] == "timeout":
        return f"timeout after {r['timeout_seconds']:.0f} s"
    if r["status"] == "memory":
        return f"stopped above {r['cap_bytes'] / 2**30:.0f} GiB after {r['seconds']:.0f} s"
    if r["status"] == "error":
        return "error: " + " ".join(r.get("error", [])[-1:]).replace("|", "/")
    return f"{r['status']}: {r.get('why') or r.get('error', '')}"


def _category_table(methods: dict[str, Any]) -> list[str]:
    """B-cubed precision/recall by row category, one column per method that ran."""
    ran = {m: r["by_category"] for m, r in methods.items() if r.get("status") == "ok"}
    if not ran:
        return []
    lines = [
        "",
        "B-cubed precision / recall by row category (rows of that category averaged):",
        "",
        "| category | rows | " + " | ".join(ran) + " |",
        "|---|---|" + "---|" * len(ran),
    ]
    first = next(iter(ran.values()))
    for field in _CATEGORIES:
        for value, stats in first[field].items():
            cells = []
            for cats in ran.values():
                v = cats[field].get(value)
                cells.append("–" if v is None else f"{v['bcubed_precision']:.3f} / {v['bcubed_recall']:.3f}")
            lines.append(f"| {field}={value} | {stats['rows']:,} | " + " | ".join(cells) + " |")
    return lines


def _error_section(payload: dict[str, Any]) -> list[str]:
    """namematch's sampled errors at the largest size up to 100k rows."""
    found = [e for e in payload["sizes"] if e["rows"] <= 100_000 and e["methods"].get("namematch", {}).get("errors")]
    if not found:
        return []
    entry = found[-1]
    errors = entry["methods"]["namematch"]["errors"]
    lines = [
        f"## What namematch's errors look like ({entry['rows']:,} rows)",
        "",
        f"{errors['false_merge_clusters']:,} predicted clusters hold more than one entity; "
        f"{errors['split_entities']:,} entities are split over several clusters. A random sample of each "
        "(one row from each of the two largest parts; *score* is `namematch.similarity` of the two names; "
        "the canonical name is the entity's full name):",
        "",
    ]
    for title, key in (("False merges", "false_merges"), ("Missed merges", "missed_merges")):
        lines += [f"**{title}**", "", "| score | name A | entity A | name B | entity B |", "|---|---|---|---|---|"]
        for x in errors[key]:
            a, b = x["a"], x["b"]
            lines.append(
                f"| {x['score']} | {_cell(a['name'])} | {_cell(a['canonical'])} ({a['relation']}) | "
                f"{_cell(b['name'])} | {_cell(b['canonical'])} ({b['relation']}) |"
            )
        lines.append("")
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(DEFAULT_METHODS))
    parser.add_argument("--runs", type=int, help="runs per method and size (default: by size, see the doc)")
    parser.add_argument("--splink-timeout", type=float, default=SPLINK_TIMEOUT, help="seconds per Splink run")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per run of the other methods")
    parser.add_argument("--no-write", action="store_true", help="print the Markdown, write no results")
    parser.add_argument("--child", nargs=3, metavar=("METHOD", "NAMES", "LABELS"), help=argparse.SUPPRESS)
    parser.add_argument("--scores", metavar="PAIRS_JSON", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    if args.scores:
        pairs = json.loads(Path(args.scores).read_text(encoding="utf-8"))
        print(json.dumps(similarities([(a, b) for a, b in pairs])))
        return
    payload = bench(
        args.sizes,
        seed=args.seed,
        methods=args.methods,
        runs=args.runs,
        splink_timeout=args.splink_timeout,
        timeout=args.timeout,
    )
    text = markdown(payload)
    if args.no_write:
        print(text)
    else:
        write("dedupe", payload, text)
        print(text)


if __name__ == "__main__":
    main()
