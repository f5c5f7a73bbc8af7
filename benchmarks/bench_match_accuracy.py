"""Matching accuracy: namematch against classical baselines on the labelled pairs of ``eval_pairs``.

    python -m benchmarks.bench_match_accuracy [--pairs benchmarks/data/eval_pairs.csv]

Every pair is scored by every strategy in the same run:

- ``exact``: equality after NFKC, case folding and collapsing everything but letters to one space;
- ``unidecode+jaro_winkler``: unidecode both, lower case, rapidfuzz Jaro-Winkler;
- ``token_sort_ratio``: rapidfuzz ``token_sort_ratio`` on the unidecode'd lower-case names;
- ``metaphone`` / ``nysiis``: jellyfish codes of the unidecode'd words equal in some order (1/0);
- ``namematch``: :func:`namematch.similarity` with the pair's kind and the default gender policy.

Per category and overall (and again on the rows that use no namematch scheme, ``circular=0``):
ROC AUC, PR AUC (average precision), the best F1 with its threshold, recall at precision 0.99, and
for namematch precision/recall at :data:`namematch.DEFAULT_THRESHOLD`. All metrics are computed
here in plain Python (ties handled as one threshold).

Blocking: two names are co-blocked when their key sets intersect; recall on positives against the
share of negatives co-blocked, for :func:`namematch.keys` and two baselines (metaphone of each
unidecode'd word; the first three letters of the longest unidecode'd word).
"""

from __future__ import annotations

import argparse
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jellyfish
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler
from unidecode import unidecode

import namematch
from benchmarks.eval_pairs import FULL, Pair, load, tool_versions
from benchmarks.harness import machine, write

_NON_LETTERS = re.compile(r"[^\w]+|[\d_]+")


def _exact_form(text: str) -> str:
    return " ".join(_NON_LETTERS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


def _ascii(text: str) -> str:
    return str(unidecode(text)).lower()


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z]+", _ascii(text)) if w]


def _codes(function: Callable[[str], str]) -> Callable[[str, str, str], float]:
    def score(a: str, b: str, kind: str) -> float:
        left, right = sorted(function(w) for w in _words(a)), sorted(function(w) for w in _words(b))
        return 1.0 if left and left == right else 0.0

    return score


STRATEGIES: dict[str, Callable[[str, str, str], float]] = {
    "exact": lambda a, b, kind: float(_exact_form(a) == _exact_form(b)),
    "unidecode+jaro_winkler": lambda a, b, kind: JaroWinkler.similarity(_ascii(a), _ascii(b)),
    "token_sort_ratio": lambda a, b, kind: fuzz.token_sort_ratio(_ascii(a), _ascii(b)) / 100,
    "metaphone": _codes(jellyfish.metaphone),
    "nysiis": _codes(jellyfish.nysiis),
    "namematch": lambda a, b, kind: namematch.similarity(a, b, kind=kind),  # type: ignore[arg-type]
}


# --------------------------------------------------------------------------- metrics


def _sweep(scores: Sequence[float], labels: Sequence[int]) -> list[tuple[float, int, int]]:
    """(threshold, true positives, false positives) when predicting ``score >= threshold``, best first."""
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
    """The probability that a random positive outscores a random negative (ties count half)."""
    pos = sum(labels)
    neg = len(labels) - pos
    if not pos or not neg:
        return float("nan")
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


def metrics(scores: Sequence[float], labels: Sequence[int], threshold: float | None = None) -> dict[str, Any]:
    pos = sum(labels)
    sweep = _sweep(scores, labels)
    ap = 0.0
    prev_recall = 0.0
    best = (0.0, 1.0)
    recall_at_99 = 0.0
    for t, tp, fp in sweep:
        precision = tp / (tp + fp)
        recall = tp / pos if pos else 0.0
        ap += (recall - prev_recall) * precision
        prev_recall = recall
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best[0]:
            best = (f1, t)
        if precision >= 0.99:
            recall_at_99 = max(recall_at_99, recall)
    out: dict[str, Any] = {
        "pairs": len(labels),
        "positives": pos,
        "roc_auc": roc_auc(scores, labels),
        "pr_auc": ap,
        "best_f1": best[0],
        "best_f1_threshold": best[1],
        "recall_at_precision_0.99": recall_at_99,
    }
    if threshold is not None:
        tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y)
        fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and not y)
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / pos if pos else float("nan")
        out |= {
            "threshold": threshold,
            "precision_at_threshold": precision,
            "recall_at_threshold": recall,
            "f1_at_threshold": 2 * precision * recall / (precision + recall) if tp else 0.0,
        }
    return out


# --------------------------------------------------------------------------- blocking


def _metaphone_keys(name: str, kind: str) -> frozenset[str]:
    return frozenset(jellyfish.metaphone(w) for w in _words(name))


def _prefix_keys(name: str, kind: str) -> frozenset[str]:
    words = _words(name)
    return frozenset({max(words, key=len)[:3]}) if words else frozenset()


BLOCKERS: dict[str, Callable[[str, str], frozenset[str]]] = {
    "namematch.keys": lambda name, kind: namematch.keys(name, kind=kind),  # type: ignore[arg-type]
    "metaphone_words": _metaphone_keys,
    "first3_longest_word": _prefix_keys,
}


def blocking(pairs: Sequence[Pair], groups: dict[str, list[int]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, blocker in BLOCKERS.items():
        together = [not blocker(p.name1, p.kind).isdisjoint(blocker(p.name2, p.kind)) for p in pairs]
        sizes = [len(blocker(p.name1, p.kind)) for p in pairs]
        out[name] = {"mean_keys_per_name": sum(sizes) / len(sizes)} | {
            group: {
                "recall_positives": _share([together[i] for i in idx if pairs[i].is_match]),
                "negatives_coblocked": _share([together[i] for i in idx if not pairs[i].is_match]),
            }
            for group, idx in groups.items()
        }
    return out


def _share(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")


# --------------------------------------------------------------------------- report


def _errors(pairs: Sequence[Pair], scores: Sequence[float], positive: bool, n: int = 15) -> list[dict[str, Any]]:
    idx = [i for i, p in enumerate(pairs) if bool(p.is_match) == positive]
    idx.sort(key=lambda i: scores[i] if positive else -scores[i])
    out = []
    for i in idx[:n]:
        p = pairs[i]
        comparison = namematch.compare(p.name1, p.name2, kind=p.kind)  # type: ignore[arg-type]
        out.append(
            {
                "name1": p.name1,
                "name2": p.name2,
                "category": p.category,
                "source": p.source,
                "score": round(scores[i], 4),
                "explain": comparison.explain().splitlines(),
            }
        )
    return out


def _fmt(x: float) -> str:
    return "n/a" if x != x else f"{x:.3f}"


def markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        "# Matching accuracy",
        "",
        f"{m['date']}, {m['cpu']} ({m['cores']} cores), Python {m['python']}. "
        f"Pairs: `{result['pairs_file']}` ({result['pairs']} pairs, {result['circular_pairs']} using a namematch "
        f"scheme). Tools: {', '.join(f'{k} {v}' for k, v in result['versions'].items())}. "
        "Generated by `python -m benchmarks.bench_match_accuracy`.",
        "",
        "Best F1 is at the strategy's own best threshold (in brackets); namematch's row adds precision/recall"
        f" at its default threshold {namematch.DEFAULT_THRESHOLD}. R@P99: recall at precision >= 0.99.",
        "",
    ]
    for group, per in result["accuracy"].items():
        first = next(iter(per.values()))
        lines += [
            f"## {group} ({first['pairs']} pairs, {first['positives']} positive)",
            "",
            "| strategy | ROC AUC | PR AUC | best F1 (thr) | R@P99 | P / R at default |",
            "|---|---|---|---|---|---|",
        ]
        for name, r in per.items():
            at = (
                f"{_fmt(r['precision_at_threshold'])} / {_fmt(r['recall_at_threshold'])}"
                if "precision_at_threshold" in r
                else ""
            )
            lines.append(
                f"| {name} | {_fmt(r['roc_auc'])} | {_fmt(r['pr_auc'])} | {_fmt(r['best_f1'])} "
                f"({r['best_f1_threshold']:.2f}) | {_fmt(r['recall_at_precision_0.99'])} | {at} |"
            )
        lines.append("")
    lines += [
        "## Blocking (co-blocked when key sets intersect): recall on positives / share of negatives co-blocked",
        "",
        "| group | " + " | ".join(result["blocking"]) + " |",
        "|---|" + "---|" * len(result["blocking"]),
    ]
    groups = [g for g in next(iter(result["blocking"].values())) if g != "mean_keys_per_name"]
    for group in groups:
        cells = [
            f"{_fmt(b[group]['recall_positives'])} / {_fmt(b[group]['negatives_coblocked'])}"
            for b in result["blocking"].values()
        ]
        lines.append(f"| {group} | " + " | ".join(cells) + " |")
    lines.append(
        "| keys per name | " + " | ".join(f"{b['mean_keys_per_name']:.2f}" for b in result["blocking"].values()) + " |"
    )
    lines += ["", "## namematch: worst false negatives and false positives", ""]
    for title, key in (
        ("False negatives (lowest-scored matches)", "false_negatives"),
        ("False positives", "false_positives"),
    ):
        lines += [f"### {title}", "", "| score | category | name1 | name2 |", "|---|---|---|---|"]
        lines += [f"| {e['score']:.3f} | {e['category']} | {e['name1']} | {e['name2']} |" for e in result[key]]
        lines.append("")
    return "\n".join(lines)


def run(path: Path) -> dict[str, Any]:
    pairs = load(path)
    labels = [p.is_match for p in pairs]
    scores: dict[str, list[float]] = {}
    seconds: dict[str, float] = {}
    for name, strategy in STRATEGIES.items():
        start = time.perf_counter()
        scores[name] = [strategy(p.name1, p.name2, p.kind) for p in pairs]
        seconds[name] = time.perf_counter() - start
    categories = list(dict.fromkeys(p.category for p in pairs))
    groups: dict[str, list[int]] = {"overall": list(range(len(pairs)))}
    groups |= {c: [i for i, p in enumerate(pairs) if p.category == c] for c in categories}
    groups["overall, independent only"] = [i for i, p in enumerate(pairs) if not p.circular]
    groups |= {
        f"{c}, independent only": [i for i, p in enumerate(pairs) if p.category == c and not p.circular]
        for c in categories
    }
    groups = {g: idx for g, idx in groups.items() if idx and 0 < sum(labels[i] for i in idx) < len(idx)}
    accuracy = {
        group: {
            name: metrics(
                [s[i] for i in idx],
                [labels[i] for i in idx],
                namematch.DEFAULT_THRESHOLD if name == "namematch" else None,
            )
            for name, s in scores.items()
        }
        for group, idx in groups.items()
    }
    block_groups = {g: idx for g, idx in groups.items() if "independent" not in g}
    return {
        "machine": machine(),
        "pairs_file": str(path.relative_to(Path(__file__).resolve().parents[1]) if path.is_absolute() else path),
        "pairs": len(pairs),
        "circular_pairs": sum(p.circular for p in pairs),
        "versions": tool_versions(),
        "default_threshold": namematch.DEFAULT_THRESHOLD,
        "scoring_seconds": seconds,
        "accuracy": accuracy,
        "blocking": blocking(pairs, block_groups),
        "false_negatives": _errors(pairs, scores["namematch"], positive=True),
        "false_positives": _errors(pairs, scores["namematch"], positive=False),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="matching accuracy against baselines")
    parser.add_argument("--pairs", type=Path, default=FULL)
    parser.add_argument("--name", default="match_accuracy", help="results file name (without extension)")
    args = parser.parse_args(argv)
    result = run(args.pairs.resolve())
    text = markdown(result)
    write(args.name, result, text)
    print(text)


if __name__ == "__main__":
    main()
