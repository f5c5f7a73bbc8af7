"""Accuracy metrics over scored, labelled pairs, in plain Python (no numpy needed).

Every metric predicts a match when ``score >= threshold`` and treats equal scores as one threshold:
two pairs with the same score are always on the same side, so a strategy that gives many pairs the
same score (a 0/1 strategy, a rounded percentage) is never credited with an order it did not give.

>>> scores, labels = [0.9, 0.8, 0.8, 0.3], [1, 1, 0, 0]
>>> roc_auc(scores, labels)
0.875
>>> m = metrics(scores, labels, threshold=0.5)
>>> m.best_f1, m.best_f1_threshold, m.recall_at_precision[0.99]
(0.8, 0.8, 0.5)
>>> round(m.precision_at_threshold, 3), m.recall_at_threshold
(0.667, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "PRECISIONS",
    "Blocking",
    "Metrics",
    "blocking",
    "metrics",
    "pr_curve",
    "roc_auc",
    "sweep",
]

#: The precisions at which :func:`metrics` reports the recall a strategy reaches.
PRECISIONS: tuple[float, ...] = (0.99, 0.999)

NAN = float("nan")


def sweep(scores: Sequence[float], labels: Sequence[int]) -> list[tuple[float, int, int]]:
    """``(threshold, true positives, false positives)`` when predicting ``score >= threshold``, for
    every distinct score, highest first (pairs with equal scores enter together).

    >>> sweep([0.9, 0.8, 0.8, 0.3], [1, 1, 0, 0])
    [(0.9, 1, 0), (0.8, 2, 1), (0.3, 2, 2)]
    """
    if len(scores) != len(labels):
        raise ValueError(f"{len(scores)} scores but {len(labels)} labels")
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    out: list[tuple[float, int, int]] = []
    tp = fp = 0
    k = 0
    while k < len(order):
        threshold = scores[order[k]]
        while k < len(order) and scores[order[k]] == threshold:
            tp += labels[order[k]]
            fp += 1 - labels[order[k]]
            k += 1
        out.append((threshold, tp, fp))
    return out


def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """The probability that a random positive outscores a random negative, ties counting half
    (the Mann-Whitney statistic); NaN when either class is empty.

    >>> roc_auc([1.0, 1.0, 0.0], [1, 0, 0])
    0.75
    """
    pos = sum(labels)
    neg = len(labels) - pos
    if not pos or not neg:
        return NAN
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum = 0.0
    k = 0
    while k < len(order):
        j = k
        while j < len(order) and scores[order[j]] == scores[order[k]]:
            j += 1
        mean_rank = (k + 1 + j) / 2
        rank_sum += mean_rank * sum(labels[order[i]] for i in range(k, j))
        k = j
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def pr_curve(scores: Sequence[float], labels: Sequence[int]) -> list[tuple[float, float, float]]:
    """``(threshold, precision, recall)`` at every distinct score, highest threshold first.

    >>> pr_curve([0.9, 0.8, 0.8, 0.3], [1, 1, 0, 0])
    [(0.9, 1.0, 0.5), (0.8, 0.6666666666666666, 1.0), (0.3, 0.5, 1.0)]
    """
    pos = sum(labels)
    return [(t, tp / (tp + fp), tp / pos if pos else NAN) for t, tp, fp in sweep(scores, labels)]


@dataclass(frozen=True)
class Metrics:
    """The accuracy of one strategy on one group of pairs (see :func:`metrics`).

    NaN marks a value that does not exist: ROC AUC with one class only, precision when nothing
    reaches the threshold.
    """

    pairs: int
    positives: int
    roc_auc: float
    #: average precision: the area under the step-wise precision-recall curve
    pr_auc: float
    best_f1: float
    #: the threshold (a score of the strategy) at which ``best_f1`` is reached; the highest one on ties
    best_f1_threshold: float
    #: precision -> the highest recall at a threshold whose precision is at least that
    recall_at_precision: Mapping[float, float] = field(default_factory=dict)
    #: the strategy's own documented threshold, and precision, recall and F1 there (None without one)
    threshold: float | None = None
    precision_at_threshold: float | None = None
    recall_at_threshold: float | None = None
    f1_at_threshold: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The metrics as a flat dict; recall at precision *p* is ``recall_at_precision_<p>``."""
        out: dict[str, Any] = {
            "pairs": self.pairs,
            "positives": self.positives,
            "roc_auc": self.roc_auc,
            "pr_auc": self.pr_auc,
            "best_f1": self.best_f1,
            "best_f1_threshold": self.best_f1_threshold,
        }
        out |= {f"recall_at_precision_{p}": r for p, r in self.recall_at_precision.items()}
        if self.threshold is not None:
            out |= {
                "threshold": self.threshold,
                "precision_at_threshold": self.precision_at_threshold,
                "recall_at_threshold": self.recall_at_threshold,
                "f1_at_threshold": self.f1_at_threshold,
            }
        return out


def metrics(
    scores: Sequence[float],
    labels: Sequence[int],
    threshold: float | None = None,
    *,
    precisions: Iterable[float] = PRECISIONS,
) -> Metrics:
    """ROC AUC, PR AUC (average precision), best F1 with its threshold, recall at each of
    *precisions*, and with *threshold* precision, recall and F1 at it.

    *labels* are 1 for a match and 0 for a non-match.
    """
    targets = tuple(precisions)
    pos = sum(labels)
    ap = 0.0
    prev_recall = 0.0
    best = (0.0, 1.0)
    reached = dict.fromkeys(targets, 0.0)
    for t, tp, fp in sweep(scores, labels):
        precision = tp / (tp + fp)
        recall = tp / pos if pos else 0.0
        ap += (recall - prev_recall) * precision
        prev_recall = recall
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best[0]:
            best = (f1, t)
        for p in targets:
            if precision >= p:
                reached[p] = max(reached[p], recall)
    out = Metrics(
        pairs=len(labels),
        positives=pos,
        roc_auc=roc_auc(scores, labels),
        pr_auc=ap,
        best_f1=best[0],
        best_f1_threshold=best[1],
        recall_at_precision=reached,
    )
    if threshold is None:
        return out
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and not y)
    precision = tp / (tp + fp) if tp + fp else NAN
    recall = tp / pos if pos else NAN
    return replace(
        out,
        threshold=threshold,
        precision_at_threshold=precision,
        recall_at_threshold=recall,
        f1_at_threshold=2 * precision * recall / (precision + recall) if tp else 0.0,
    )


@dataclass(frozen=True)
class Blocking:
    """How well a blocking key strategy keeps matches together and non-matches apart.

    ``recall`` is the share of matching pairs whose key sets intersect (co-blocked: a pair a blocked
    search would compare at all); ``negatives_coblocked`` the share of non-matching pairs that are
    co-blocked too (work a blocked search still does; lower is better, but only with high recall).
    """

    pairs: int
    positives: int
    recall: float
    negatives_coblocked: float

    def as_dict(self) -> dict[str, Any]:
        """The fields as a dict."""
        return dict(self.__dict__)


def blocking(together: Sequence[bool], labels: Sequence[int]) -> Blocking:
    """Blocking recall on positives against the share of negatives co-blocked.

    >>> blocking([True, False, True, False], [1, 1, 0, 0])
    Blocking(pairs=4, positives=2, recall=0.5, negatives_coblocked=0.5)
    """
    if len(together) != len(labels):
        raise ValueError(f"{len(together)} flags but {len(labels)} labels")
    positives = [t for t, y in zip(together, labels, strict=True) if y]
    negatives = [t for t, y in zip(together, labels, strict=True) if not y]
    return Blocking(
        pairs=len(labels),
        positives=len(positives),
        recall=_share(positives),
        negatives_coblocked=_share(negatives),
    )


def _share(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else NAN


def is_nan(value: float | None) -> bool:
    """True for NaN (a metric that does not exist); False for None and numbers."""
    return value is not None and math.isnan(value)
