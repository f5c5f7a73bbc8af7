"""What a benchmark run says: a terminal table, Markdown, JSON, and the worst errors of each strategy.

Tables list strategies best first (ROC AUC for score strategies, blocking recall for keys
strategies; ties by name), so the order is deterministic. The JSON has sorted keys, numbers rounded
to 6 decimals and NaN written as ``null`` (a metric that does not exist, such as ROC AUC on a group
with one class); timings appear only under ``speed`` and ``environment``, so two runs on the same
data and code give the same JSON apart from those.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from namematch.bench.metrics import Blocking, Metrics
from namematch.bench.run import OVERALL, BenchResult, DatasetResult, ErrorCase

__all__ = ["FORMAT", "table", "to_dict", "to_json", "to_markdown"]

#: the ``format`` field of a JSON report
FORMAT = "namematch-bench/1"


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if isinstance(value, dict):
        return {str(k): _round(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    return value


def _case(case: ErrorCase) -> dict[str, Any]:
    return {
        "line": case.line,
        "name1": case.name1,
        "name2": case.name2,
        "is_match": case.is_match,
        "category": case.category,
        "kind": case.kind,
        "score": case.score,
    }


def _dataset_dict(d: DatasetResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "source": d.source,
        "sha256": d.sha256,
        "pairs": d.pairs,
        "positives": d.positives,
        "skipped_rows": d.skipped,
        "problems": d.problems,
        "categories": {c: {"pairs": n, "positives": p} for c, (n, p) in d.categories.items()},
        "accuracy": {s: {g: m.as_dict() for g, m in per.items()} for s, per in d.accuracy.items()},
        "blocking": {s: {g: b.as_dict() for g, b in per.items()} for s, per in d.blocking.items()},
        "keys_per_name": d.keys_per_name,
        "worst": {
            s: {"false_positives": [_case(c) for c in fp], "false_negatives": [_case(c) for c in fn]}
            for s, (fp, fn) in d.worst.items()
        },
    }
    if d.speed:
        out["speed"] = {
            "baseline": d.baseline,
            "strategies": {
                s: {"pairs_per_second": v.pairs_per_second, "ratio_to_baseline": v.ratio} for s, v in d.speed.items()
            },
            "sample": next(iter(d.speed.values())).sample,
            "rounds": next(iter(d.speed.values())).rounds,
        }
    return out


def to_dict(result: BenchResult) -> dict[str, Any]:
    """The JSON report as a dict: format, settings, environment, strategies, and per dataset its
    size, categories, accuracy, blocking, worst errors and speed."""
    out: dict[str, Any] = _round(
        {
            "format": FORMAT,
            "settings": result.settings,
            "environment": result.environment,
            "strategies": {
                s.name: {
                    "kind": s.kind,
                    "group": s.group,
                    "threshold": s.threshold,
                    "description": s.description,
                    "requires": s.requires,
                }
                for s in result.strategies
            },
            "datasets": {d.name: _dataset_dict(d) for d in result.datasets},
        }
    )
    return out


def to_json(result: BenchResult) -> str:
    """The JSON report (see :func:`to_dict`), sorted keys, two-space indent, UTF-8 names as they are."""
    return json.dumps(to_dict(result), ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"


# --------------------------------------------------------------------------- ordering and formatting


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def _score_order(d: DatasetResult) -> list[str]:
    def key(name: str) -> tuple[float, float, str]:
        m = d.accuracy[name][OVERALL]
        auc = -1.0 if math.isnan(m.roc_auc) else m.roc_auc
        return (-auc, -m.pr_auc, name)

    return sorted(d.accuracy, key=key)


def _keys_order(d: DatasetResult) -> list[str]:
    def key(name: str) -> tuple[float, float, str]:
        b = d.blocking[name][OVERALL]
        recall = -1.0 if math.isnan(b.recall) else b.recall
        return (-recall, b.negatives_coblocked, name)

    return sorted(d.blocking, key=key)


def _rate(value: float) -> str:
    return f"{value:,.0f}"


def _ratio(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3g}x"


def _at_threshold(m: Metrics) -> str:
    if m.threshold is None:
        return "-"
    return f"{_fmt(m.precision_at_threshold)} / {_fmt(m.recall_at_threshold)} ({m.threshold:g})"


def _recalls(m: Metrics) -> list[str]:
    return [_fmt(r) for r in m.recall_at_precision.values()]


def _precisions(d: DatasetResult) -> list[float]:
    for per in d.accuracy.values():
        return list(per[OVERALL].recall_at_precision)
    return []


# --------------------------------------------------------------------------- terminal


def _aligned(rows: Sequence[Sequence[str]], right_from: int = 1) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        cells = [c.ljust(w) if i < right_from else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def table(result: BenchResult) -> str:
    """The terminal table: per dataset, the score strategies then the keys strategies, best first."""
    lines: list[str] = []
    for d in result.datasets:
        lines.append(f"{d.name}: {d.pairs:,} pairs, {d.positives:,} matches ({d.source})")
        if d.skipped:
            lines.append(f"  {d.skipped} malformed row{'s' if d.skipped > 1 else ''} skipped")
        speed = bool(d.speed)
        if d.accuracy:
            precisions = _precisions(d)
            head = ["strategy", "ROC AUC", "PR AUC", "best F1 (thr)", *(f"R@P{p:g}" for p in precisions)]
            head += ["P / R at own thr"]
            head += ["pairs/s", f"vs {d.baseline}"] if speed else []
            rows = [head]
            for name in _score_order(d):
                m = d.accuracy[name][OVERALL]
                row = [name, _fmt(m.roc_auc), _fmt(m.pr_auc), f"{_fmt(m.best_f1)} ({m.best_f1_threshold:.2f})"]
                row += [*_recalls(m), _at_threshold(m)]
                if speed:
                    s = d.speed.get(name)
                    row += [_rate(s.pairs_per_second), _ratio(s.ratio)] if s else ["", ""]
                rows.append(row)
            lines += _aligned(rows)
        if d.blocking:
            lines.append("")
            head = ["keys strategy", "recall", "negatives co-blocked", "keys/name"]
            head += ["pairs/s", f"vs {d.baseline}"] if speed else []
            rows = [head]
            for name in _keys_order(d):
                b = d.blocking[name][OVERALL]
                row = [name, _fmt(b.recall), _fmt(b.negatives_coblocked), f"{d.keys_per_name[name]:.2f}"]
                if speed:
                    s = d.speed.get(name)
                    row += [_rate(s.pairs_per_second), _ratio(s.ratio)] if s else ["", ""]
                rows.append(row)
            lines += _aligned(rows)
        if speed:
            sample = next(iter(d.speed.values()))
            lines.append(
                f"(speed: median of {sample.rounds} rounds over {sample.sample} pairs, caches emptied each round; "
                f"ratio to {d.baseline} timed in the same run)"
            )
        lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- Markdown


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_table(rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return out


def _md_speed(d: DatasetResult) -> list[str]:
    if not d.speed:
        return []
    sample = next(iter(d.speed.values()))
    rows = [["strategy", "pairs/s", f"ratio to {d.baseline}"]]
    order = sorted(d.speed, key=lambda name: (-d.speed[name].pairs_per_second, name))
    rows += [[name, _rate(d.speed[name].pairs_per_second), _ratio(d.speed[name].ratio)] for name in order]
    return [
        "### Speed",
        "",
        f"Measured apart from accuracy: each strategy scores the same {sample.sample} pairs (a seeded sample) "
        f"in each of {sample.rounds} interleaved rounds, caches emptied before each round; the median round. "
        "Only the ratios carry over to another machine.",
        "",
        *_md_table(rows),
        "",
    ]


def _md_worst(d: DatasetResult) -> list[str]:
    out = ["### Worst errors", ""]
    out.append(
        "Per score strategy, the matches it scored lowest (false negatives) and the non-matches it scored "
        "highest (false positives); per keys strategy, matches it did not co-block. `line` is the line in "
        "the dataset file."
    )
    out.append("")
    for name in [*_score_order(d), *_keys_order(d)]:
        fps, fns = d.worst.get(name, ([], []))
        if not fps and not fns:
            continue
        out += [f"#### {name}", "", "| error | score | line | category | name1 | name2 |", "|---|---|---|---|---|---|"]
        for label, cases in (("FN", fns), ("FP", fps)):
            out += [
                f"| {label} | {c.score:.3f} | {c.line} | {_cell(c.category)} | {_cell(c.name1)} | {_cell(c.name2)} |"
                for c in cases
            ]
        out.append("")
    return out


def _md_dataset(d: DatasetResult) -> list[str]:
    out = [
        f"## {d.name}",
        "",
        f"{d.pairs:,} pairs, {d.positives:,} matches; {d.source}, sha256 `{d.sha256[:16]}`."
        + (f" {d.skipped} malformed rows skipped." if d.skipped else ""),
        "",
    ]
    if d.problems:
        out += ["Malformed rows:", "", *(f"- {_cell(p)}" for p in d.problems), ""]
    groups = list(d.categories)
    if d.accuracy:
        precisions = _precisions(d)
        rows = [
            [
                "strategy",
                "ROC AUC",
                "PR AUC",
                "best F1 (thr)",
                *(f"R@P{p:g}" for p in precisions),
                "P / R at own threshold",
            ]
        ]
        for name in _score_order(d):
            m = d.accuracy[name][OVERALL]
            rows.append(
                [
                    name,
                    _fmt(m.roc_auc),
                    _fmt(m.pr_auc),
                    f"{_fmt(m.best_f1)} ({m.best_f1_threshold:.2f})",
                    *_recalls(m),
                    _at_threshold(m),
                ]
            )
        out += ["### Scores, all pairs", "", *_md_table(rows), ""]
        if groups:
            head = ["strategy", *(f"{g} ({d.categories[g][0]})" for g in groups)]
            rows = [head, *([name, *(_fmt(d.accuracy[name][g].roc_auc) for g in groups)] for name in _score_order(d))]
            out += ["### ROC AUC per category", "", *_md_table(rows), ""]
            p = precisions[0]
            rows = [head]
            rows += [
                [name, *(_fmt(d.accuracy[name][g].recall_at_precision[p]) for g in groups)] for name in _score_order(d)
            ]
            out += [f"### Recall at precision {p:g} per category", "", *_md_table(rows), ""]
    if d.blocking:
        rows = [["keys strategy", "recall", "negatives co-blocked", "keys per name"]]
        for name in _keys_order(d):
            b: Blocking = d.blocking[name][OVERALL]
            rows.append([name, _fmt(b.recall), _fmt(b.negatives_coblocked), f"{d.keys_per_name[name]:.2f}"])
        out += ["### Blocking keys, all pairs", "", *_md_table(rows), ""]
        if groups:
            rows = [["keys strategy", *groups]]
            rows += [
                [
                    name,
                    *(
                        f"{_fmt(d.blocking[name][g].recall)} / {_fmt(d.blocking[name][g].negatives_coblocked)}"
                        for g in groups
                    ),
                ]
                for name in _keys_order(d)
            ]
            out += ["### Blocking per category: recall / negatives co-blocked", "", *_md_table(rows), ""]
    return out + _md_speed(d) + _md_worst(d)


def to_markdown(result: BenchResult, *, title: str = "namematch bench") -> str:
    """The Markdown report: the strategies, then per dataset the overall and per-category tables,
    speed, and the worst errors of each strategy."""
    env = result.environment
    versions = ", ".join(f"{k} {v}" for k, v in env.get("versions", {}).items())
    out = [
        f"# {title}",
        "",
        f"{env.get('date', '')}, {env.get('cpu', '')} ({env.get('cores', '?')} cores), Python {env.get('python', '')}; "
        f"{versions}.",
        "",
        "Higher is better for every column but *negatives co-blocked*. Best F1 is at the strategy's own best "
        "threshold (in brackets); R@P*p*: the highest recall at a threshold whose precision is at least *p*; "
        "*P / R at own threshold*: precision and recall at the threshold the strategy documents (`-`: none). "
        "Equal scores count as one threshold.",
        "",
        "## Strategies",
        "",
    ]
    rows = [["strategy", "kind", "from", "threshold", "what"]]
    rows += [
        [
            s.name,
            s.kind,
            s.group + (f" ({s.requires})" if s.requires else ""),
            "-" if s.threshold is None else f"{s.threshold:g}",
            _cell(s.description),
        ]
        for s in result.strategies
    ]
    out += [*_md_table(rows), ""]
    for d in result.datasets:
        out += _md_dataset(d)
    return "\n".join(out).rstrip() + "\n"
