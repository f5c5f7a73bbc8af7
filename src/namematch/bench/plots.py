"""PNG plots of a benchmark run (needs the ``plot`` extra: ``pip install 'namematch[plot]'``).

- :func:`plot_pr_curves`: precision against recall for every score strategy on one dataset, best
  average precision first in the legend, with each strategy's own threshold marked and the share of matches (what
  a coin would reach) as a dashed line;
- :func:`plot_score_distributions`: one small panel per score strategy, the scores of the matches
  against those of the non-matches (each as a share of its class), with the own threshold; best
  ROC AUC first.

matplotlib is imported only when a plot is asked for, and drawn through its object API (no pyplot,
no change to the caller's backend). PNGs carry no timestamp or version metadata.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from namematch.bench.metrics import pr_curve
from namematch.bench.run import OVERALL, BenchResult, DatasetResult

__all__ = ["plot_pr_curves", "plot_score_distributions", "require", "write_plots"]

_STYLES = ("-", "--", "-.", ":")


def require() -> None:
    """Raise ImportError naming the ``plot`` extra when matplotlib is not installed."""
    try:
        import matplotlib.figure  # noqa: F401
    except ImportError as exc:
        raise ImportError("plots need the 'plot' extra: pip install 'namematch[plot]'") from exc


def _figure(width: float, height: float) -> Any:
    require()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def _colours(n: int) -> list[Any]:
    from matplotlib import colormaps

    if n <= 10:
        return [colormaps["tab10"](i) for i in range(n)]
    # tab20 pairs a dark and a light shade of each hue: the ten dark ones first, so the best ten
    # strategies (listed first) get ten distinct hues.
    palette = colormaps["tab20"]
    return [palette((2 * i) % 20 + (i // 10) % 2) for i in range(n)]


def _order(d: DatasetResult, metric: str) -> list[str]:
    def key(name: str) -> tuple[float, str]:
        value = float(getattr(d.accuracy[name][OVERALL], metric))
        return (-(value if not math.isnan(value) else -1.0), name)

    return sorted(d.accuracy, key=key)


def _save(figure: Any, path: str | os.PathLike[str]) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, format="png", metadata={"Software": None})
    return out


def plot_pr_curves(d: DatasetResult, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Precision-recall curves of every score strategy on *d*, written as a PNG to *path*."""
    names = _order(d, "pr_auc")
    figure = _figure(12.5, 6.5)
    axes = figure.add_subplot()
    labels = list(d.labels)
    base = d.positives / d.pairs if d.pairs else 0.5
    for i, (name, colour) in enumerate(zip(names, _colours(len(names)), strict=True)):
        m = d.accuracy[name][OVERALL]
        curve = pr_curve(d.scores[name], labels)
        recall = [r for _, _, r in curve]
        precision = [p for _, p, _ in curve]
        few = len(curve) <= 3
        axes.plot(
            recall,
            precision,
            linestyle=_STYLES[i // 10 % len(_STYLES)] if not few else ":",
            marker="o" if few else None,
            markersize=5,
            linewidth=2.2 if name == "namematch" else 1.5,
            color=colour,
            label=f"{name}  (AP {m.pr_auc:.3f}, ROC AUC {m.roc_auc:.3f})",
            zorder=3 if name == "namematch" else 2,
        )
        if (
            m.threshold is not None
            and m.precision_at_threshold is not None
            and not math.isnan(m.precision_at_threshold)
        ):
            axes.plot(
                [m.recall_at_threshold],
                [m.precision_at_threshold],
                marker="X",
                markersize=9,
                color=colour,
                markeredgecolor="black",
                linestyle="none",
                zorder=4,
            )
    axes.axhline(base, color="grey", linestyle="--", linewidth=1, label=f"share of matches ({base:.2f})")
    axes.plot([], [], marker="X", color="white", markeredgecolor="black", linestyle="none", label="own threshold")
    axes.set_xlim(0, 1.01)
    axes.set_ylim(max(0.0, min(base, 0.5) - 0.05), 1.01)
    axes.set_xlabel("recall: share of the matches found", fontsize=11)
    axes.set_ylabel("precision: share of the predicted matches that are right", fontsize=11)
    axes.set_title(
        title or f"Precision-recall by strategy: {d.name} ({d.pairs:,} pairs, {d.positives:,} matches)",
        fontsize=13,
    )
    axes.grid(True, alpha=0.3)
    axes.tick_params(labelsize=10)
    axes.legend(
        loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=9, frameon=False, title="by average precision (AP)"
    )
    return _save(figure, path)


def plot_score_distributions(d: DatasetResult, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Score histograms, matches against non-matches, one panel per score strategy, as a PNG."""
    names = _order(d, "roc_auc")
    columns = 4 if len(names) > 6 else max(1, min(3, len(names)))
    rows = max(1, math.ceil(len(names) / columns))
    figure = _figure(3.6 * columns, 2.6 * rows + 0.8)
    grid = figure.subplots(rows, columns, squeeze=False)
    positives = [i for i, y in enumerate(d.labels) if y]
    negatives = [i for i, y in enumerate(d.labels) if not y]
    for k, axes in enumerate(grid.flat):
        if k >= len(names):
            axes.set_visible(False)
            continue
        name = names[k]
        values = d.scores[name]
        low = min(0.0, min(values, default=0.0))
        high = max(1.0, max(values, default=1.0))
        bins = [low + (high - low) * j / 25 for j in range(26)]
        for idx, colour, label in ((positives, "tab:blue", "matches"), (negatives, "tab:orange", "non-matches")):
            if not idx:
                continue
            axes.hist(
                [values[i] for i in idx],
                bins=bins,
                weights=[1 / len(idx)] * len(idx),
                color=colour,
                alpha=0.55,
                label=label,
            )
        m = d.accuracy[name][OVERALL]
        if m.threshold is not None:
            axes.axvline(m.threshold, color="black", linestyle="--", linewidth=1, label="own threshold")
        axes.set_title(f"{name}\nROC AUC {m.roc_auc:.3f}", fontsize=10)
        axes.set_xlim(low, high)
        axes.set_ylim(0, 1)
        axes.tick_params(labelsize=8)
        axes.grid(True, alpha=0.3)
        if k % columns == 0:
            axes.set_ylabel("share of the class", fontsize=9)
        if k >= len(names) - columns:
            axes.set_xlabel("score", fontsize=9)
    handles, legend_labels = [], []
    for axes in grid.flat:
        for handle, label in zip(*axes.get_legend_handles_labels(), strict=True):
            if label not in legend_labels:
                handles.append(handle)
                legend_labels.append(label)
    figure.legend(handles, legend_labels, loc="outside upper right", ncols=3, fontsize=10, frameon=False)
    figure.suptitle(
        title or f"Scores of matches and non-matches: {d.name} ({d.pairs:,} pairs)", fontsize=13, x=0.02, ha="left"
    )
    return _save(figure, path)


def write_plots(result: BenchResult, directory: str | os.PathLike[str], *, prefix: str = "bench_") -> list[Path]:
    """Both plots for every dataset of *result*: ``{prefix}pr_{dataset}.png`` and
    ``{prefix}scores_{dataset}.png`` in *directory*; returns the paths written."""
    out: list[Path] = []
    folder = Path(directory)
    for d in result.datasets:
        if not d.accuracy or not d.pairs:
            continue
        out.append(plot_pr_curves(d, folder / f"{prefix}pr_{d.name}.png"))
        out.append(plot_score_distributions(d, folder / f"{prefix}scores_{d.name}.png"))
    return out
