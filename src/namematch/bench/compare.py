"""Regression check: a new run against a frozen reference run (a JSON report), for CI.

A strategy regresses on a dataset when, overall or in any category present in both runs,

- its ROC AUC falls by more than ``auc_tolerance`` (default 0.005), or
- its recall at precision 0.99 falls by more than ``recall_tolerance`` (default 0.01), or
- (a keys strategy) its blocking recall falls by more than ``recall_tolerance``.

A strategy or dataset of the reference that the new run should have had but lacks is *missing*,
which fails too (a strategy that silently stopped running is a regression of its own), unless it
is a peer whose optional package is not installed here (a note then). Rises
beyond the tolerances are listed as improvements: refresh the reference to keep them. Speeds are
never compared (they depend on the machine). Scores are deterministic, so on the same data and
code the new run equals the reference exactly.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from namematch.bench.run import OVERALL, BenchResult
from namematch.errors import NamematchError

__all__ = ["AUC_TOLERANCE", "RECALL_TOLERANCE", "Change", "CompareReport", "compare", "load_reference"]

AUC_TOLERANCE = 0.005
RECALL_TOLERANCE = 0.01
_RECALL = "recall_at_precision_0.99"


@dataclass(frozen=True)
class Change:
    """One metric of one strategy on one group of one dataset that moved beyond its tolerance."""

    dataset: str
    strategy: str
    group: str
    metric: str
    reference: float
    new: float
    tolerance: float

    @property
    def delta(self) -> float:
        """``new - reference``."""
        return self.new - self.reference

    def __str__(self) -> str:
        return (
            f"{self.dataset} / {self.strategy} / {self.group}: {self.metric} {self.reference:.4f} -> {self.new:.4f} "
            f"({self.delta:+.4f}, tolerance {self.tolerance:g})"
        )


@dataclass
class CompareReport:
    """What :func:`compare` found; ``ok`` when nothing regressed and nothing is missing."""

    auc_tolerance: float
    recall_tolerance: float
    regressions: list[Change] = field(default_factory=list)
    improvements: list[Change] = field(default_factory=list)
    #: "dataset / strategy" (or a dataset) in the reference that the new run lacks
    missing: list[str] = field(default_factory=list)
    #: anything else worth saying: new strategies, a dataset whose file changed, datasets not run
    notes: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        """True when no metric fell beyond its tolerance and nothing expected is missing."""
        return not self.regressions and not self.missing

    def text(self) -> str:
        """A human-readable summary, one finding a line."""
        lines = [
            f"compared {self.checked} metrics against the reference "
            f"(tolerances: ROC AUC {self.auc_tolerance:g}, recall {self.recall_tolerance:g})"
        ]
        lines += [f"REGRESSION {c}" for c in self.regressions]
        lines += [f"MISSING {m}" for m in self.missing]
        lines += [f"improved {c}" for c in self.improvements]
        lines += [f"note: {n}" for n in self.notes]
        lines.append("OK: no regression" if self.ok else "FAILED: accuracy regressed or results are missing")
        return "\n".join(lines) + "\n"


def load_reference(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A JSON report written by ``namematch bench --json``, checked to be one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise NamematchError(f"{os.fspath(path)}: cannot read the reference: {exc}") from exc
    if not isinstance(data, dict) or not str(data.get("format", "")).startswith("namematch-bench/"):
        raise NamematchError(f"{os.fspath(path)}: not a namematch bench JSON report (no 'format' field)")
    return data


def _number(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value):
        return float(value)
    return None


def compare(
    reference: Mapping[str, Any] | str | os.PathLike[str],
    new: BenchResult | Mapping[str, Any],
    *,
    auc_tolerance: float = AUC_TOLERANCE,
    recall_tolerance: float = RECALL_TOLERANCE,
    overall_only: bool = False,
    strategies: Collection[str] | None = None,
    datasets: Collection[str] | None = None,
) -> CompareReport:
    """Compare *new* (a result or its JSON dict) with *reference* (a JSON dict or its path).

    Only the *strategies* and *datasets* named are expected (all of the reference's when None): a
    run restricted on purpose is not missing the rest. ``overall_only`` skips the categories.
    """
    ref = load_reference(reference) if isinstance(reference, (str, os.PathLike)) else reference
    now = new.to_dict() if isinstance(new, BenchResult) else new
    report = CompareReport(auc_tolerance, recall_tolerance)
    ref_sets: Mapping[str, Any] = ref.get("datasets", {})
    new_sets: Mapping[str, Any] = now.get("datasets", {})
    for name in sorted(ref_sets):
        if name not in new_sets:
            if datasets is None or name in datasets:
                report.missing.append(f"dataset {name}")
            else:
                report.notes.append(f"dataset {name} of the reference was not run")
            continue
        r, n = ref_sets[name], new_sets[name]
        if r.get("sha256") and n.get("sha256") and r["sha256"] != n["sha256"]:
            report.notes.append(f"dataset {name}: the file differs from the reference's (sha256): the data changed")
        for section, metric_names in (("accuracy", ("roc_auc", _RECALL)), ("blocking", ("recall",))):
            ref_section: Mapping[str, Any] = r.get(section, {})
            new_section: Mapping[str, Any] = n.get(section, {})
            for strategy in sorted(ref_section):
                if strategy not in new_section:
                    requires = ref.get("strategies", {}).get(strategy, {}).get("requires")
                    if strategies is not None and strategy not in strategies:
                        pass
                    elif requires and strategies is None:
                        report.notes.append(f"{name} / {strategy}: not run (needs {requires}, not installed here)")
                    else:
                        report.missing.append(f"{name} / {strategy}")
                    continue
                groups = [g for g in ref_section[strategy] if g in new_section[strategy]]
                if overall_only:
                    groups = [g for g in groups if g == OVERALL]
                for group in sorted(groups, key=lambda g: (g != OVERALL, g)):
                    for metric in metric_names:
                        tolerance = auc_tolerance if metric == "roc_auc" else recall_tolerance
                        before = _number(ref_section[strategy][group].get(metric))
                        after = _number(new_section[strategy][group].get(metric))
                        if before is None or after is None:
                            continue
                        report.checked += 1
                        change = Change(name, strategy, group, metric, before, after, tolerance)
                        # A small epsilon keeps a change of exactly the tolerance from failing on rounding.
                        if after < before - tolerance - 1e-12:
                            report.regressions.append(change)
                        elif after > before + tolerance + 1e-12:
                            report.improvements.append(change)
            added = sorted(set(new_section) - set(ref_section))
            if added:
                report.notes.append(f"dataset {name}: not in the reference (not compared): {', '.join(added)}")
    return report
