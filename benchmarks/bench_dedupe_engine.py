"""How dedupe's engine choices pay off, each against its own baseline in the same run.

    python -m benchmarks.bench_dedupe_engine [--rows 100000] [--runs 3]

On the synthetic entity table (``benchmarks.synth_entities``, the seed of ``bench_dedupe``), every
run in a fresh subprocess, the variants interleaved round by round (the machine is shared), medians:

a. ``namematch.dedupe(names)`` as shipped: names analysed on every core, the cyclic garbage
   collector paused;
b. the same with the collector left running (the baseline of the pause);
c. the same with the collector paused but the surviving objects left where they are when it
   resumes (the baseline of moving them to the oldest generation without a walk);
d. the same with ``workers=1``: everything in one process (the baseline of the parallel stages);
e. the command line on the table as CSV and as Parquet (``namematch dedupe FILE --column name``):
   Parquet is read in a forked child so that pyarrow's threads do not keep dedupe on one core; the
   processes each stage used are read from the summary.

Each run reports its wall seconds, its stage seconds and the processes per stage, and, for the API
variants, the seconds of the first two young collections after the call returns (``gc.collect(0)``
then ``gc.collect(1)``: what the next allocations after the call would trigger; not in the wall
seconds). The labels of a to d are checked equal.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.harness import machine, write
from benchmarks.synth_entities import SEED, generate

_CHILD = """
import contextlib, gc, json, sys, time
import namematch
from namematch.dedupe import core

variant, path = sys.argv[1], sys.argv[2]
names = open(path, encoding="utf-8").read().split("\\n")


@contextlib.contextmanager
def paused_only():
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


if variant == "collector running":
    core._collector_paused = contextlib.nullcontext
elif variant == "collector paused, survivors not moved":
    core._collector_paused = paused_only
start = time.perf_counter()
result = namematch.dedupe(names, workers=1 if variant == "one process" else None)
seconds = time.perf_counter() - start
start = time.perf_counter()
gc.collect(0)
gc.collect(1)
after = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "after": after, "stages": result.report.seconds,
                  "processes": result.report.processes, "labels": result.labels}))
"""

VARIANTS = ("as shipped", "collector running", "collector paused, survivors not moved", "one process")


def _api_run(variant: str, names_path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, variant, str(names_path)], capture_output=True, text=True, check=True
    )
    out: dict[str, Any] = json.loads(done.stdout)
    return out


def _cli_run(source: Path, target: Path) -> dict[str, Any]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "namematch", "dedupe", str(source), "--column", "name", "-o", str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    line = next((x for x in done.stderr.splitlines() if x.startswith("processes: ")), "")
    one = next((x for x in done.stderr.splitlines() if x.startswith("ran in one process")), "")
    return {"seconds": seconds, "processes": line.removeprefix("processes: ") or "1 (all stages)", "note": one}


def run(rows: int, runs: int, log: Any = print) -> dict[str, Any]:
    table = generate(rows, SEED)
    names = [row.name for row in table]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        names_path = work / "names.txt"
        names_path.write_text("\n".join(names), encoding="utf-8")
        csv_path, parquet_path = work / "table.csv", work / "table.parquet"
        with csv_path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "name"])
            writer.writerows(enumerate(names))
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({"id": list(range(len(names))), "name": names}), parquet_path)
        api: dict[str, list[dict[str, Any]]] = {v: [] for v in VARIANTS}
        cli: dict[str, list[dict[str, Any]]] = {"csv": [], "parquet": []}
        for round_ in range(runs):
            for variant in VARIANTS:
                found = _api_run(variant, names_path)
                api[variant].append(found)
                log(f"round {round_ + 1} {variant}: {found['seconds']:.2f} s, processes {found['processes']}")
            for fmt, source in (("csv", csv_path), ("parquet", parquet_path)):
                found = _cli_run(source, work / f"out.{fmt}")
                cli[fmt].append(found)
                log(f"round {round_ + 1} CLI {fmt}: {found['seconds']:.2f} s, processes {found['processes']}")
    labels = [api[v][0].pop("labels") for v in VARIANTS]
    for v in VARIANTS:
        for found in api[v][1:]:
            found.pop("labels")
    return {
        "machine": machine(),
        "rows": rows,
        "distinct_names": len(set(names)),
        "runs": runs,
        "same_labels": all(x == labels[0] for x in labels),
        "api": {
            v: {
                "median_seconds": statistics.median(r["seconds"] for r in api[v]),
                "seconds_all": [round(r["seconds"], 2) for r in api[v]],
                "median_stages": {s: statistics.median(r["stages"][s] for r in api[v]) for s in api[v][0]["stages"]},
                "median_after_seconds": statistics.median(r["after"] for r in api[v]),
                "processes": api[v][0]["processes"],
            }
            for v in VARIANTS
        },
        "cli": {
            fmt: {
                "median_seconds": statistics.median(r["seconds"] for r in cli[fmt]),
                "seconds_all": [round(r["seconds"], 2) for r in cli[fmt]],
                "processes": cli[fmt][0]["processes"],
                "note": cli[fmt][0]["note"],
            }
            for fmt in cli
        },
    }


def markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    api, cli = result["api"], result["cli"]
    shipped = api["as shipped"]["median_seconds"]
    lines = [
        "# Dedupe engine choices",
        "",
        f"{m['date']}, {m['cpu']} ({m['cores']} cores), Python {m['python']}. "
        "Generated by `python -m benchmarks.bench_dedupe_engine`.",
        "",
        f"{result['rows']:,} rows of the synthetic entity table ({result['distinct_names']:,} distinct names), "
        f"{result['runs']} interleaved rounds, each run a fresh process; medians. "
        f"Labels of the API variants identical: {'yes' if result['same_labels'] else '**no**'}. "
        "*After the call*: seconds of the first two young collections once the call has returned "
        "(`gc.collect(0)`, `gc.collect(1)`), not in the call's seconds.",
        "",
        "| variant | median s | runs | analyse | block | score | cluster | after the call | processes "
        "| shipped is faster by |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for variant, r in api.items():
        st = r["median_stages"]
        ratio = "(itself)" if variant == "as shipped" else f"{r['median_seconds'] / shipped:.2f}x"
        lines.append(
            f"| `dedupe`, {variant} | {r['median_seconds']:.2f} | {', '.join(map(str, r['seconds_all']))} | "
            f"{st['analyse']:.1f} | {st['block']:.1f} | {st['score']:.1f} | {st['cluster']:.1f} | "
            f"{r['median_after_seconds']:.3f} | {r['processes']} | {ratio} |"
        )
    lines += [
        "",
        "| command line input | median s (reading, dedupe, writing) | runs | processes |",
        "|---|---|---|---|",
    ]
    for fmt, r in cli.items():
        lines.append(
            f"| {fmt} | {r['median_seconds']:.2f} | {', '.join(map(str, r['seconds_all']))} | {r['processes']} |"
        )
    lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print the Markdown, write no results")
    args = parser.parse_args(argv)
    result = run(args.rows, args.runs, log=lambda s: print(s, file=sys.stderr, flush=True))
    text = markdown(result)
    if args.no_write:
        print(text)
    else:
        write("dedupe_engine", result, text)
        print(text)


if __name__ == "__main__":
    main()
