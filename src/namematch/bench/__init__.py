"""Compare matching strategies on labelled name pairs: accuracy, blocking, speed, worst errors.

The command ``namematch bench`` and this API do the same thing::

    >>> from namematch import bench
    >>> result = bench.run("eval_pairs_small", ["exact", "namematch"], speed=False)
    >>> m = result.dataset("eval_pairs_small").accuracy["namematch"]["overall"]
    >>> m.roc_auc > 0.95 and m.recall_at_precision[0.99] > 0.9
    True

- datasets (:mod:`~namematch.bench.datasets`): the built-in labelled sets and any CSV or Parquet
  file with ``name1,name2,is_match[,category,kind]``, streamed, malformed rows reported;
- strategies (:mod:`~namematch.bench.strategies`): a registry of built-in baselines, namematch,
  peers when installed and user functions given as ``module:function``;
- :func:`run` (:mod:`~namematch.bench.run`): every strategy on every pair, then speed apart;
- reports (:mod:`~namematch.bench.report`): terminal table, Markdown, JSON; per-pair CSV via
  ``run(..., pairs_csv=...)``; plots (:mod:`~namematch.bench.plots`, the ``plot`` extra);
- :func:`compare` (:mod:`~namematch.bench.compare`): a new run against a frozen reference, for CI.

See ``docs/bench.md`` for the whole story.
"""

from __future__ import annotations

from namematch.bench.compare import AUC_TOLERANCE, RECALL_TOLERANCE, Change, CompareReport, compare, load_reference
from namematch.bench.datasets import Dataset, DatasetError, LabelledPair, builtin_datasets, dataset
from namematch.bench.metrics import Blocking, Metrics, blocking, metrics, pr_curve, roc_auc
from namematch.bench.run import BenchResult, DatasetResult, ErrorCase, Speed, run
from namematch.bench.strategies import BASELINE, Strategy, StrategyError, available, get, load, register

__all__ = [
    "AUC_TOLERANCE",
    "BASELINE",
    "RECALL_TOLERANCE",
    "BenchResult",
    "Blocking",
    "Change",
    "CompareReport",
    "Dataset",
    "DatasetError",
    "DatasetResult",
    "ErrorCase",
    "LabelledPair",
    "Metrics",
    "Speed",
    "Strategy",
    "StrategyError",
    "available",
    "blocking",
    "builtin_datasets",
    "compare",
    "dataset",
    "get",
    "load",
    "load_reference",
    "metrics",
    "pr_curve",
    "register",
    "roc_auc",
    "run",
]
