"""The runner: every strategy scores every pair of every dataset; accuracy and speed apart.

Accuracy: the pairs are read one at a time (a file of any size streams; what stays in memory is
one number per pair and strategy), every strategy scores every pair, and the metrics of
:mod:`namematch.bench.metrics` are computed overall and per category. Scores are deterministic,
so two runs give the same accuracy figures.

Speed is measured apart, after the accuracy pass, on a fixed sample of the dataset's pairs (a
seeded reservoir sample): each strategy scores the whole sample in each of several rounds,
strategies interleaved within a round so that machine noise hits all alike; the median round
gives pairs per second, reported also as a ratio to the baseline strategy timed in the same run
(:data:`~namematch.bench.strategies.BASELINE`). A strategy with caches has them emptied before
each of its rounds (namematch's prepared names and words), so the figures are for names never
seen before. Timings vary from run to run and machine to machine; only the ratios travel.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
import platform
import random
import statistics
import sys
import time
from array import array
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any, Protocol

from namematch.bench.datasets import Dataset, LabelledPair, OnError, Problems, dataset
from namematch.bench.metrics import PRECISIONS, Blocking, Metrics, blocking, metrics
from namematch.bench.strategies import BASELINE, Strategy, StrategyError, get, select

__all__ = [
    "OVERALL",
    "BenchResult",
    "DatasetResult",
    "ErrorCase",
    "Speed",
    "run",
]

#: the group every pair belongs to
OVERALL = "overall"
#: the group name of pairs whose category is empty, in a dataset that has categories
NO_CATEGORY = "(none)"
SEED = 20261122


@dataclass(frozen=True)
class ErrorCase:
    """A pair a strategy got most wrong: a match it scored lowest, or a non-match it scored highest."""

    line: int
    name1: str
    name2: str
    is_match: bool
    category: str
    kind: str
    score: float


@dataclass(frozen=True)
class Speed:
    """How fast a strategy scored the timing sample: the median of the rounds."""

    pairs_per_second: float
    #: pairs per second over the baseline's, timed in the same run (None without a baseline)
    ratio: float | None
    sample: int
    rounds: int


@dataclass
class DatasetResult:
    """Everything measured on one dataset."""

    name: str
    source: str
    sha256: str
    pairs: int
    positives: int
    #: malformed rows skipped (``on_error`` skip or report), and their messages (report)
    skipped: int
    problems: list[str]
    #: category -> (pairs, positives)
    categories: dict[str, tuple[int, int]]
    #: strategy -> group (``overall`` and each category) -> metrics; score strategies only
    accuracy: dict[str, dict[str, Metrics]]
    #: strategy -> group -> blocking recall and co-blocked negatives; keys strategies only
    blocking: dict[str, dict[str, Blocking]]
    #: keys strategy -> mean number of keys per name
    keys_per_name: dict[str, float]
    #: strategy -> (false positives, false negatives), worst first
    worst: dict[str, tuple[list[ErrorCase], list[ErrorCase]]]
    #: strategy -> speed; empty when speed was not measured
    speed: dict[str, Speed]
    baseline: str | None
    #: per pair, in file order: the label, the category and each strategy's score (keys: 1.0 when co-blocked)
    labels: array[int] = field(repr=False)
    pair_categories: list[str] = field(repr=False)
    scores: dict[str, array[float]] = field(repr=False)

    def groups(self) -> list[str]:
        """``overall`` and then the categories, sorted."""
        return [OVERALL, *self.categories]


@dataclass
class BenchResult:
    """The result of :func:`run`: the strategies, and one :class:`DatasetResult` per dataset."""

    strategies: list[Strategy]
    datasets: list[DatasetResult]
    settings: dict[str, Any]
    environment: dict[str, Any]

    def dataset(self, name: str) -> DatasetResult:
        """The result on the dataset of that name."""
        for result in self.datasets:
            if result.name == name:
                return result
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report as a dict (see :func:`namematch.bench.report.to_dict`)."""
        from namematch.bench.report import to_dict

        return to_dict(self)

    def to_json(self) -> str:
        """The JSON report: sorted keys, NaN as null, timings only under ``speed`` and ``environment``."""
        from namematch.bench.report import to_json

        return to_json(self)

    def to_markdown(self) -> str:
        """The Markdown report."""
        from namematch.bench.report import to_markdown

        return to_markdown(self)

    def table(self) -> str:
        """The terminal table."""
        from namematch.bench.report import table

        return table(self)


class _Bar(Protocol):
    def update(self, n: int) -> object: ...
    def close(self) -> None: ...


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _bar(enabled: bool | None, total: int | None, description: str) -> _Bar:
    """A tqdm bar on stderr when asked for (None: when stderr is a terminal) and tqdm is installed."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:  # the 'progress' extra is optional: no bar, no error
        return _NoBar()
    bar: _Bar = tqdm(total=total, desc=description, unit=" pairs", file=sys.stderr, leave=False)
    return bar


def run(
    datasets: str | os.PathLike[str] | Dataset | Iterable[str | os.PathLike[str] | Dataset] = "eval_pairs_small",
    strategies: Iterable[str | Strategy] | None = None,
    *,
    speed: bool = True,
    speed_sample: int = 1000,
    speed_rounds: int = 5,
    baseline: str | None = BASELINE,
    worst: int = 5,
    on_error: OnError = "fail",
    pairs_csv: str | os.PathLike[str] | IO[str] | None = None,
    progress: bool | None = None,
    seed: int = SEED,
) -> BenchResult:
    """Score every pair of every dataset with every strategy; measure accuracy, then speed.

    *datasets*: built-in names (``eval_pairs_small``, ``eval_pairs``), paths to CSV or Parquet files,
    or :class:`~namematch.bench.datasets.Dataset` objects, one or several. *strategies*: names
    (``module:function`` too) or :class:`~namematch.bench.strategies.Strategy` objects; every
    available strategy when None. *speed*: time the strategies on *speed_sample* pairs, median of
    *speed_rounds*, against *baseline* (timed even when not among *strategies*). *worst*: how many
    false positives and false negatives to keep per strategy. *on_error*: what a malformed row does
    (``fail``, ``skip``, ``report``). *pairs_csv*: a file to write every pair's scores to.
    *progress*: a bar on stderr (None: when stderr is a terminal and tqdm is installed).
    """
    chosen = select(strategies)
    specs: list[str | os.PathLike[str] | Dataset] = (
        [datasets] if isinstance(datasets, (str, os.PathLike, Dataset)) else list(datasets)
    )
    loaded = _unique([dataset(s) for s in specs])
    timed_baseline = get(baseline) if speed and baseline is not None else None
    if timed_baseline is not None and timed_baseline.kind != "score":
        raise StrategyError(f"the baseline must be a score strategy, {timed_baseline.name!r} is a keys strategy")
    with ExitStack() as stack:
        handle: IO[str] | None = None
        if isinstance(pairs_csv, (str, os.PathLike)):
            handle = stack.enter_context(Path(pairs_csv).open("w", encoding="utf-8", newline=""))
        elif pairs_csv is not None:
            handle = pairs_csv
        writer = _PairsWriter(handle, chosen) if handle is not None else None
        results = [
            _run_one(
                d,
                chosen,
                speed=speed,
                sample_size=speed_sample,
                rounds=speed_rounds,
                baseline=timed_baseline,
                worst=worst,
                on_error=on_error,
                writer=writer,
                progress=progress,
                seed=seed,
            )
            for d in loaded
        ]
    settings: dict[str, Any] = {
        "precisions": list(PRECISIONS),
        "worst": worst,
        "on_error": on_error,
        "speed": speed,
    }
    if speed:
        settings |= {
            "speed_sample": speed_sample,
            "speed_rounds": speed_rounds,
            "baseline": None if timed_baseline is None else timed_baseline.name,
            "seed": seed,
        }
    return BenchResult(chosen, results, settings, environment())


def _unique(datasets: list[Dataset]) -> list[Dataset]:
    seen: dict[str, int] = {}
    out = []
    for d in datasets:
        n = seen.get(d.name, 0)
        seen[d.name] = n + 1
        out.append(d if not n else Dataset(f"{d.name}_{n + 1}", d.path, d.source, d.format))
    return out


class _PairsWriter:
    """The per-pair CSV: one row per pair and dataset, one column per strategy."""

    def __init__(self, handle: IO[str], strategies: Sequence[Strategy]) -> None:
        import csv

        self.writer = csv.writer(handle, lineterminator="\n")
        self.writer.writerow(
            ["dataset", "line", "name1", "name2", "is_match", "category", "kind", *(s.name for s in strategies)]
        )

    def write(self, name: str, pair: LabelledPair, scores: Sequence[float]) -> None:
        row: list[object] = [name, pair.line, pair.name1, pair.name2, int(pair.is_match), pair.category, pair.kind]
        row += [_short(s) for s in scores]
        self.writer.writerow(row)


def _short(score: float) -> str:
    return "1" if score == 1 else "0" if score == 0 else f"{score:.6g}"


class _Worst:
    """The *n* worst errors of one strategy, kept while streaming (bounded heaps)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.false_negatives: list[tuple[float, int, LabelledPair]] = []  # (-score, -line): lowest scores kept
        self.false_positives: list[tuple[float, int, LabelledPair]] = []  # (score, -line): highest scores kept

    def add(self, pair: LabelledPair, score: float, keys: bool) -> None:
        if self.n <= 0:
            return
        if pair.is_match:
            if keys and score:
                return
            item = (-score, -pair.line, pair)
            heap = self.false_negatives
        else:
            if keys:
                return  # co-blocked non-matches are a blocker's expected cost, not its errors
            item = (score, -pair.line, pair)
            heap = self.false_positives
        if len(heap) < self.n:
            heapq.heappush(heap, item)
        else:
            heapq.heappushpop(heap, item)

    def cases(self) -> tuple[list[ErrorCase], list[ErrorCase]]:
        def case(p: LabelledPair, score: float) -> ErrorCase:
            return ErrorCase(p.line, p.name1, p.name2, p.is_match, p.category, p.kind, score)

        def order(item: tuple[float, int, LabelledPair]) -> tuple[float, int]:
            return (-item[0], -item[1])  # worst first (lowest match, highest non-match), then file order

        return (
            [case(p, s) for s, _, p in sorted(self.false_positives, key=order)],
            [case(p, -s) for s, _, p in sorted(self.false_negatives, key=order)],
        )


def _run_one(
    data: Dataset,
    strategies: list[Strategy],
    *,
    speed: bool,
    sample_size: int,
    rounds: int,
    baseline: Strategy | None,
    worst: int,
    on_error: OnError,
    writer: _PairsWriter | None,
    progress: bool | None,
    seed: int,
) -> DatasetResult:
    problems = Problems(on_error)
    labels: array[int] = array("b")
    categories: list[str] = []
    scores: dict[str, array[float]] = {s.name: array("d") for s in strategies}
    key_counts = dict.fromkeys((s.name for s in strategies if s.keys is not None), 0)
    worst_of = {s.name: _Worst(worst) for s in strategies}
    rng = random.Random(seed)
    sample: list[LabelledPair] = []
    shown = sys.stderr.isatty() if progress is None else progress
    bar = _bar(shown, data.estimate_rows() if shown else None, data.name)
    seen = 0
    try:
        for pair in data.rows(problems):
            row: list[float] = []
            for strategy in strategies:
                value = _score(strategy, pair, data, key_counts)
                scores[strategy.name].append(value)
                worst_of[strategy.name].add(pair, value, strategy.keys is not None)
                row.append(value)
            labels.append(int(pair.is_match))
            categories.append(pair.category)
            if writer is not None:
                writer.write(data.name, pair, row)
            # Reservoir sampling (Algorithm R): a fixed-size, seeded, uniform sample of a stream.
            if len(sample) < sample_size:
                sample.append(pair)
            else:
                j = rng.randrange(seen + 1)
                if j < sample_size:
                    sample[j] = pair
            seen += 1
            if seen % 256 == 0:
                bar.update(256)
        bar.update(seen % 256)
    finally:
        bar.close()
    named = sorted({c for c in categories if c})
    has_none = bool(named) and any(not c for c in categories)
    category_names = named + ([NO_CATEGORY] if has_none else [])
    groups: dict[str, list[int]] = {OVERALL: list(range(len(labels)))}
    if named:
        index: dict[str, list[int]] = {c: [] for c in category_names}
        for i, c in enumerate(categories):
            index[c or NO_CATEGORY].append(i)
        groups |= index
    accuracy: dict[str, dict[str, Metrics]] = {}
    blocked: dict[str, dict[str, Blocking]] = {}
    for strategy in strategies:
        values = scores[strategy.name]
        per: dict[str, Any] = {}
        for group, idx in groups.items():
            group_labels = [labels[i] for i in idx]
            if strategy.score is not None:
                per[group] = metrics([values[i] for i in idx], group_labels, strategy.threshold)
            else:
                per[group] = blocking([values[i] == 1.0 for i in idx], group_labels)
        (accuracy if strategy.score is not None else blocked)[strategy.name] = per
    n = len(labels)
    return DatasetResult(
        name=data.name,
        source=data.source,
        sha256=data.sha256(),
        pairs=n,
        positives=sum(labels),
        skipped=problems.count,
        problems=problems.messages,
        categories={c: (len(groups[c]), sum(labels[i] for i in groups[c])) for c in category_names},
        accuracy=accuracy,
        blocking=blocked,
        keys_per_name={name: count / (2 * n) if n else 0.0 for name, count in key_counts.items()},
        worst={name: w.cases() for name, w in worst_of.items()},
        speed=_speeds(strategies, baseline, sample, rounds) if speed and sample else {},
        baseline=baseline.name if speed and baseline is not None and sample else None,
        labels=labels,
        pair_categories=categories,
        scores=scores,
    )


def _score(strategy: Strategy, pair: LabelledPair, data: Dataset, key_counts: dict[str, int]) -> float:
    try:
        if strategy.score is not None:
            value = strategy.score(pair.name1, pair.name2, pair.kind)
            if value != value:
                raise StrategyError("the score is NaN")
            return value
        assert strategy.keys is not None
        left, right = set(strategy.keys(pair.name1, pair.kind)), set(strategy.keys(pair.name2, pair.kind))
        key_counts[strategy.name] += len(left) + len(right)
        return 1.0 if left & right else 0.0
    except Exception as exc:
        raise StrategyError(
            f"strategy {strategy.name!r} failed on {data.path}:{pair.line} ({pair.name1!r}, {pair.name2!r}): "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def _timer(strategy: Strategy, sample: Sequence[LabelledPair]) -> float:
    """Seconds for *strategy* to score the whole *sample* once (after emptying its caches)."""
    if strategy.reset is not None:
        strategy.reset()
    start = time.perf_counter()
    if strategy.score is not None:
        score = strategy.score
        for p in sample:
            score(p.name1, p.name2, p.kind)
    else:
        keys = strategy.keys
        assert keys is not None
        for p in sample:
            set(keys(p.name1, p.kind)).isdisjoint(keys(p.name2, p.kind))
    return time.perf_counter() - start


def _speeds(
    strategies: list[Strategy], baseline: Strategy | None, sample: list[LabelledPair], rounds: int
) -> dict[str, Speed]:
    timed = list(strategies)
    if baseline is not None and all(s.name != baseline.name for s in timed):
        timed.append(baseline)
    samples: dict[str, list[float]] = {s.name: [] for s in timed}
    for s in timed:  # one untimed round: imports, tables loaded once per process
        _timer(s, sample[:10])
    for _ in range(max(1, rounds)):
        for s in timed:
            samples[s.name].append(_timer(s, sample))
    rates = {name: len(sample) / max(statistics.median(times), 1e-9) for name, times in samples.items()}
    base = rates[baseline.name] if baseline is not None else None
    return {
        name: Speed(rate, rate / base if base else None, len(sample), max(1, rounds)) for name, rate in rates.items()
    }


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def environment() -> dict[str, Any]:
    """When, where and with which versions a run happened (reported beside timings, never compared)."""
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), cpu)
    except OSError:
        pass
    packages = ("namematch", "rapidfuzz", "jellyfish", "unidecode", "cyrtranslit")
    versions = {p: v for p in packages if (v := _version(p)) is not None}
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }
