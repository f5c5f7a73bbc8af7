"""Can the guarded linkage of one giant component be split across tasks and stay exact?

    python -m benchmarks.bench_linkage_rounds [--rows 100000 1000000] [--rounds 15] [--complete 100000]

The Spark engine hands each connected component of matching pairs to one task and runs the local
engine's best-first guarded linkage (:mod:`namematch.dedupe.cluster`) on it, so the two engines give
identical clusters. On the synthetic entity table one component takes a large share of all matched
names at 1M rows (``benchmarks/results/spark.md``). This benchmark measures the natural exact way
to split that work, as Spark would run it, in rounds:

- in a round, every cluster's best remaining matching pair (by the linkage's own order: score
  descending, then pair order) is found; a pair that is the best of *both* its clusters is decided
  now (merged, or refused by the guard). Such pairs touch disjoint clusters, and no pair ranked
  above one of them touches its clusters, so the sequential linkage would decide each of them the
  same way: the rounds give the sequential result exactly (checked to completion at the sizes in
  ``--complete``);
- after each round, the pairs still undecided fall into connected components, each of which could
  go to its own task with the clusters made so far. The benchmark reports the largest of them.

If the largest remaining component shrank quickly, a few distributed rounds followed by one task
per component would bound the work of a task. The numbers say whether it does.

The linkage's input is the local engine's own (``namematch.dedupe`` with the clustering call
wrapped to capture its arguments): the same pairs, scores, threshold, guard and on-demand scores.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.harness import machine, write
from benchmarks.synth_entities import SEED, generate
from namematch.dedupe import cluster as _cluster
from namematch.dedupe import core as _core

_find = _cluster._find
_HOOK = "cluster_codes"  # dedupe's call of the linkage, wrapped to capture its input


def _capture(names: list[str]) -> dict[str, Any]:
    """Run dedupe, keeping the arguments and result of its clustering call."""
    import namematch

    captured: dict[str, Any] = {}
    real = getattr(_core, _HOOK)

    def wrapped(n: int, codes: Any, scores: Any, threshold: float, score: Any, different: Any, **options: Any) -> Any:
        labels, stats = real(n, codes, scores, threshold, score, different, **options)
        captured.update(
            n=n, codes=codes, scores=scores, threshold=threshold, score=score, different=different, labels=labels
        )
        captured["contradictions"] = options["contradictions"]
        captured["listed"] = options.get("listed")
        return labels, stats

    setattr(_core, _HOOK, wrapped)
    try:
        start = time.perf_counter()
        namematch.dedupe(names)
        captured["dedupe_seconds"] = time.perf_counter() - start
    finally:
        setattr(_core, _HOOK, real)
    return captured


def _largest_component(ends: Sequence[tuple[int, int]], weight: Callable[[int], int]) -> tuple[int, int]:
    """(names, pairs) of the largest connected component of the pairs *ends* (cluster ids);
    a cluster counts as *weight* names."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in ends:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    names: Counter[int] = Counter()
    for node in {x for pair in ends for x in pair}:
        names[find(node)] += weight(node)
    pairs = Counter(find(a) for a, _ in ends)
    if not names:
        return 0, 0
    root, count = names.most_common(1)[0]
    return count, pairs[root]


def rounds(captured: dict[str, Any], limit: int | None) -> dict[str, Any]:
    """The exact rounds over the captured linkage input, up to *limit* rounds (None: to the end)."""
    n, codes, scores = captured["n"], captured["codes"], captured["scores"]
    threshold, contradictions = captured["threshold"], captured["contradictions"]
    listed: Sequence[bool] | None = captured["listed"]
    shift, mask, floor, max_checks = _cluster.SHIFT, _cluster._MASK, _cluster.FLOOR, _cluster.MAX_CHECKS
    stats = _cluster.ClusterStats()
    unscored = _cluster._Unscored(captured["score"], captured["different"], threshold, floor, stats, listed)
    index = {code: k for k, code in enumerate(codes)}

    def agree(x: int, y: int) -> bool:
        # the linkage's own rule (cluster._cluster_arrays): a name the alias tables list and one
        # they do not may always share a cluster
        code = x << shift | y if x < y else y << shift | x
        k = index.get(code)
        if k is None:
            return unscored.agree(code, x, y)
        if listed is not None and listed[x] != listed[y]:
            return True
        s = scores[k]
        return bool(s >= threshold or (s >= floor and not contradictions[k]))

    matching = [k for k, s in enumerate(scores) if s >= threshold]
    matching.sort(key=scores.__getitem__, reverse=True)
    parent = list(range(n))
    members: dict[int, list[int]] = {}
    sizes: dict[int, int] = {}
    first = _largest_component([(codes[k] >> shift, codes[k] & mask) for k in matching], lambda _: 1)
    history: list[dict[str, Any]] = []
    remaining = matching
    while remaining and (limit is None or len(history) < limit):
        ends = []
        live = []
        for k in remaining:
            ra, rb = _find(parent, codes[k] >> shift), _find(parent, codes[k] & mask)
            if ra != rb:
                ends.append((ra, rb))
                live.append(k)
        if not live:
            break
        best: dict[int, int] = {}  # cluster -> position (in live, best first) of its best pair
        for at, (ra, rb) in enumerate(ends):
            best.setdefault(ra, at)
            best.setdefault(rb, at)
        merged = refused = 0
        undecided = []
        for at, (ra, rb) in enumerate(ends):
            if best[ra] != at or best[rb] != at:
                undecided.append(live[at])
                continue
            group_a, group_b = members.get(ra) or [ra], members.get(rb) or [rb]
            if not all(agree(x, y) for x in group_a for y in group_b):
                refused += 1
                continue
            merged += 1
            _cluster.merge(parent, members, sizes, (ra, group_a), (rb, group_b), max_checks)
        after = [(_find(parent, codes[k] >> shift), _find(parent, codes[k] & mask)) for k in undecided]
        remaining = [k for k, (a, b) in zip(undecided, after, strict=True) if a != b]
        names, pairs = _largest_component([(a, b) for a, b in after if a != b], lambda c: sizes.get(c, 1))
        history.append(
            {
                "round": len(history) + 1,
                "decided": merged + refused,
                "merged": merged,
                "refused": refused,
                "undecided": len(remaining),
                "largest_names": names,
                "largest_pairs": pairs,
            }
        )
    out: dict[str, Any] = {
        "matching_pairs": len(matching),
        "largest_component_names": first[0],
        "largest_component_pairs": first[1],
        "rounds": history,
        "finished": not remaining,
    }
    if not remaining:
        out["identical_to_sequential"] = _cluster.labels(parent) == captured["labels"]
    return out


def bench(sizes: Sequence[int], limit: int, complete: Sequence[int]) -> dict[str, Any]:
    runs = []
    for size in sizes:
        names = [row.name for row in generate(size, SEED)]
        captured = _capture(names)
        start = time.perf_counter()
        result = rounds(captured, None if size in complete else limit)
        result.update(rows=size, distinct_names=captured["n"], seconds=time.perf_counter() - start)
        runs.append(result)
        print(json.dumps({k: v for k, v in result.items() if k != "rounds"}), flush=True)
    return {"machine": machine(), "seed": SEED, "round_limit": limit, "runs": runs}


def render(payload: dict[str, Any]) -> str:
    m = payload["machine"]
    lines = [
        "# Splitting the guarded linkage of a giant component into exact rounds",
        "",
        f"{m['date']}, {m['cpu']} ({m['cores']} cores), Python {m['python']}. "
        f"Generated by `python -m benchmarks.bench_linkage_rounds`; the method is in its docstring. "
        f"Table: `benchmarks.synth_entities.generate(rows, {payload['seed']})`.",
        "",
    ]
    for run in payload["runs"]:
        first = run["rounds"][0] if run["rounds"] else {}
        lines += [
            f"## {run['rows']:,} rows",
            "",
            f"{run['distinct_names']:,} distinct names, {run['matching_pairs']:,} matching pairs; the largest "
            f"component of matching pairs holds {run['largest_component_names']:,} names and "
            f"{run['largest_component_pairs']:,} pairs.",
            "",
        ]
        if run["finished"]:
            lines.append(
                f"Ran to the end in {len(run['rounds'])} rounds; clusters identical to the sequential linkage: "
                f"**{'yes' if run.get('identical_to_sequential') else 'NO'}**."
            )
        else:
            undecided = run["rounds"][-1]["undecided"]
            lines.append(f"Stopped after {len(run['rounds'])} rounds ({undecided:,} pairs undecided).")
        lines += [
            "",
            "| round | pairs decided | merged | refused | undecided | largest remaining component: names | pairs |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        shown = [r for r in run["rounds"] if r["round"] <= 15 or r["round"] % 50 == 0 or r is run["rounds"][-1]]
        lines += [
            f"| {r['round']} | {r['decided']:,} | {r['merged']:,} | {r['refused']:,} | {r['undecided']:,} | "
            f"{r['largest_names']:,} | {r['largest_pairs']:,} |"
            for r in shown
        ]
        if first and not run["finished"]:
            last = run["rounds"][-1]
            share = last["largest_names"] / run["largest_component_names"] if run["largest_component_names"] else 0
            lines += [
                "",
                f"After {last['round']} rounds the largest component still holds {last['largest_names']:,} names "
                f"({share:.0%} of the largest at the start).",
            ]
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=15, help="rounds at most, at sizes not run to the end")
    parser.add_argument("--complete", type=int, nargs="*", default=[100_000], help="sizes run to the end")
    parser.add_argument("--print", action="store_true", help="print the results instead of writing them")
    args = parser.parse_args(argv)
    payload = bench(args.rows, args.rounds, args.complete)
    markdown = render(payload)
    if args.print:
        print(markdown)
    else:
        write("linkage_rounds", payload, markdown)


if __name__ == "__main__":
    main()
