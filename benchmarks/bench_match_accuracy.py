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
for namematch precision/recall at :data:`namematch.DEFAULT_THRESHOLD`. The metrics and strategies
are the library's, :mod:`namematch.bench.metrics` and :mod:`namematch.bench.strategies` (ties
handled as one threshold); ``namematch bench`` runs more strategies on any labelled set.

Blocking: two names are co-blocked when their key sets intersect; recall on positives against the
share of negatives co-blocked, for :func:`namematch.keys` and two baselines (metaphone of each
unidecode'd word; the first three letters of the longest unidecode'd word).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import namematch
from benchmarks.eval_pairs import FULL, Pair, load, tool_versions
from benchmarks.harness import machine, write
from namematch.bench.metrics import blocking as blocking_metrics
from namematch.bench.metrics import metrics as _metrics
from namematch.bench.strategies import KeysFunction, ScoreFunction, get

# The strategies and blockers are the library's (``namematch bench``); the names here are the ones
# this benchmark has always reported under.
STRATEGIES: dict[str, ScoreFunction] = {
    name: score
    for name, registered in {
        "exact": "normalised_exact",
        "unidecode+jaro_winkler": "unidecode_jaro_winkler",
        "token_sort_ratio": "unidecode_token_sort_ratio",
        "metaphone": "metaphone",
        "nysiis": "nysiis",
        "namematch": "namematch",
    }.items()
    if (score := get(registered).score) is not None
}

BLOCKERS: dict[str, KeysFunction] = {
    name: keys
    for name, registered in {
        "namematch.keys": "namematch_keys",
        "metaphone_words": "metaphone_keys",
        "first3_longest_word": "first3_keys",
    }.items()
    if (keys := get(registered).keys) is not None
}


def metrics(scores: Sequence[float], labels: Sequence[int], threshold: float | None = None) -> dict[str, Any]:
    """The library's metrics (:func:`namematch.bench.metrics.metrics`), recall at precision 0.99 only."""
    return _metrics(scores, labels, threshold, precisions=(0.99,)).as_dict()


def blocking(pairs: Sequence[Pair], groups: dict[str, list[int]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    labels = [p.is_match for p in pairs]
    for name, blocker in BLOCKERS.items():
        together = [not set(blocker(p.name1, p.kind)).isdisjoint(blocker(p.name2, p.kind)) for p in pairs]
        sizes = [len(blocker(p.name1, p.kind)) for p in pairs]
        out[name] = {"mean_keys_per_name": sum(sizes) / len(sizes)}
        for group, idx in groups.items():
            b = blocking_metrics([together[i] for i in idx], [labels[i] for i in idx])
            out[name][group] = {"recall_positives": b.recall, "negatives_coblocked": b.negatives_coblocked}
    return out


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
