"""namematch.spark.dedupe in Spark local mode against the local engine, on the synthetic entity table.

    python -m benchmarks.bench_spark --sizes 100000 1000000      # writes results/spark.{json,md}
    python -m benchmarks.bench_spark --sizes 1000000             # one size; the others' results are kept

For each size the table of ``benchmarks.synth_entities`` (``generate(rows, seed)``) is generated once
(not timed) and written to Parquet (``id``, ``name``). Then each engine runs in a **fresh
subprocess**, one after the other, never side by side:

- ``local``: :func:`namematch.dedupe` on the table read into pandas, with ``--cores`` workers.
- ``spark``: :func:`namematch.spark.dedupe` in a ``local[<cores>]`` session (driver memory
  ``--driver-memory``, ``spark.sql.shuffle.partitions`` = ``--partitions``), on the Parquet file read
  by Spark and sorted by ``id`` (so that its rows are numbered in the local engine's order).

Each writes ``id, cluster_id, cluster_size, canonical_name`` to Parquet; the parent compares them row
by row (identical cluster ids, sizes and canonical names) and as partitions of the rows (the same
clusters whatever their numbering); when the partitions differ it counts the rows in differing
clusters (a row whose local cluster and Spark cluster are not the same set of rows), and the clusters
of each engine that have no twin in the other; a difference in the number of candidate pairs is
reported too. Each size records the commit it ran at (``git describe --dirty``), and a size
run again replaces only its own entry.

Measured: wall time of the dedupe itself, from the table being loaded (local: in memory; Spark: a
DataFrame over the file) to the labels written (the session start and the table read are reported
apart); peak memory: the driver's ``ru_maxrss`` (the Python process that calls dedupe), the JVM's
peak resident set (``VmHWM`` of the Spark driver JVM, which in local mode also runs the executors:
the shuffle, the joins, the checkpoints), and for the Python workers (the pandas/Arrow UDFs) the
peak of their summed resident set and of the largest one, sampled from ``/proc`` every 0.25 s. The
local engine's forked scoring workers are measured the same way (summed RSS of the children; their
pages are shared copy-on-write with the parent, so the sum overstates them). Rows per executor
core per minute = rows / minutes of dedupe / cores.

Each run has a time budget (``--budget`` seconds, default 1800 per run at 100k rows and 7200 at 1M);
a run over it is killed and reported as a timeout, not waited for.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.harness import RESULTS, machine, write

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("NAMEMATCH_BENCH_DIR", "/tmp/namematch-bench-spark"))
SEED = 20261122
DEFAULT_BUDGETS = {100_000: 1800, 1_000_000: 7200}
TICKS = os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- memory, from /proc


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in bytes (empty once it is gone)."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process's own threads (not of its children)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _descendants(root: int) -> list[int]:
    """Every process under *root* (by parent id, from /proc/*/stat)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    out, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


class Sampler:
    """Samples this process's descendants: the resident set of the JVM (peak from its own VmHWM)
    and of the Python worker processes (summed, and the largest one); the CPU seconds of each (the
    last value seen; a worker that exits loses at most one interval); and the machine's load."""

    def __init__(self, every: float = 0.25) -> None:
        self.every = every
        self.jvm_peak = 0
        self.workers_sum_peak = 0
        self.worker_peak = 0
        self.workers_max_count = 0
        self._cpu: dict[int, float] = {}
        self._jvm: set[int] = set()
        self._loads: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    @property
    def descendants_cpu_seconds(self) -> float:
        return sum(self._cpu.values())

    @property
    def jvm_cpu_seconds(self) -> float:
        return sum(v for pid, v in self._cpu.items() if pid in self._jvm)

    @property
    def load(self) -> float:
        """The mean one-minute load average while sampling."""
        return sum(self._loads) / len(self._loads) if self._loads else os.getloadavg()[0]

    def sample(self) -> None:
        total, count = 0, 0
        self._loads.append(os.getloadavg()[0])
        for pid in _descendants(os.getpid()):
            self._cpu[pid] = max(self._cpu.get(pid, 0.0), _cpu_seconds(pid))
            command = _command(pid)
            status = _status(pid)
            if "java" in command.split(" ", 1)[0]:
                self._jvm.add(pid)
                self.jvm_peak = max(self.jvm_peak, status.get("VmHWM", 0))
            elif "python" in command.split(" ", 1)[0].rsplit("/", 1)[-1]:
                rss = status.get("VmRSS", 0)
                total += rss
                count += 1
                self.worker_peak = max(self.worker_peak, rss)
        self.workers_sum_peak = max(self.workers_sum_peak, total)
        self.workers_max_count = max(self.workers_max_count, count)


def _driver_peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------- the two engines (children)


def _table(rows: int, seed: int) -> Path:
    """The synthetic table as Parquet, generated once per (rows, seed)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from benchmarks.synth_entities import generate

    path = WORK / f"table-{rows}-{seed}.parquet"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        table = generate(rows, seed)
        data = pa.table(
            {"id": pa.array([r.id for r in table], pa.int64()), "name": pa.array([r.name for r in table], pa.string())}
        )
        pq.write_table(data, path.with_suffix(".tmp"), row_group_size=100_000)
        path.with_suffix(".tmp").rename(path)
    return path


def run_local(table: Path, out: Path, cores: int) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    import namematch

    clock = time.perf_counter()
    frame = pq.read_table(table).to_pandas()
    read = time.perf_counter() - clock
    with Sampler() as sampler:
        clock = time.perf_counter()
        cpu = _own_cpu()
        result = namematch.dedupe(frame, column="name", workers=cores)
        ids, sizes, names = result.cluster_columns()
        labels = pa.table(
            {
                "id": pa.array(frame["id"].tolist(), pa.int64()),
                "cluster_id": pa.array(ids, pa.int64()),
                "cluster_size": pa.array(sizes, pa.int64()),
                "canonical_name": pa.array(names, pa.string()),
            }
        )
        pq.write_table(labels, out)
        seconds = time.perf_counter() - clock
        cpu = _own_cpu() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = result.report
    return {
        "seconds": seconds,
        "read_seconds": read,
        "stages": report.seconds,
        "distinct_names": report.distinct_names,
        "candidate_pairs": report.candidate_pairs,
        "matching_pairs": report.matching_pairs,
        "clusters": report.clusters,
        "driver_peak_bytes": _driver_peak(),
        "children_peak_bytes": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
        "workers_sum_peak_bytes": sampler.workers_sum_peak,
        "worker_peak_bytes": sampler.worker_peak,
        "workers": sampler.workers_max_count,
        # the forked workers are reaped by the end, so their CPU time is exact
        "cpu_seconds": cpu + children.ru_utime + children.ru_stime,
        "load_average": sampler.load,
    }


def run_spark(table: Path, out: Path, cores: int, partitions: int, driver_memory: str) -> dict[str, Any]:
    import logging
    import warnings

    warnings.filterwarnings("ignore", category=FutureWarning)  # pyspark 4 on pandas 3
    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    stages: dict[str, float] = {}
    stage_cpu: dict[str, list[float]] = {}  # stage -> [CPU seconds of all processes, of the JVM]
    counts: list[str] = []
    sampler = Sampler()
    last = [0.0, 0.0]

    class Stages(logging.Handler):
        """Collects the stage times dedupe logs, and the CPU each stage took (since the last)."""

        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            what, _, rest = message.partition(": ")
            if not rest.endswith(" s"):
                counts.append(message)
                return
            stages[what] = stages.get(what, 0.0) + float(rest[:-2])
            sampler.sample()
            now = [_own_cpu() + sampler.descendants_cpu_seconds, sampler.jvm_cpu_seconds]
            spent = stage_cpu.setdefault(what, [0.0, 0.0])
            for i in (0, 1):
                spent[i] += now[i] - last[i]
                last[i] = now[i]

    log = logging.getLogger("namematch.spark")
    log.setLevel(logging.INFO)
    log.addHandler(Stages())
    with sampler:
        clock = time.perf_counter()
        spark = (
            SparkSession.builder.master(f"local[{cores}]")
            .appName("namematch-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.memory", driver_memory)
            .config("spark.sql.shuffle.partitions", str(partitions))
            .config("spark.local.dir", str(WORK / "spark-local"))
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        session = time.perf_counter() - clock
        import namematch.spark

        clock = time.perf_counter()
        sampler.sample()
        cpu = _own_cpu() + sampler.descendants_cpu_seconds
        jvm_cpu = sampler.jvm_cpu_seconds
        last[:] = [cpu, jvm_cpu]
        frame = spark.read.parquet(str(table)).orderBy("id")
        result = namematch.spark.dedupe(frame, column="name")
        result.select("id", "cluster_id", "cluster_size", "canonical_name").write.mode("overwrite").parquet(str(out))
        seconds = time.perf_counter() - clock
        sampler.sample()
        cpu = _own_cpu() + sampler.descendants_cpu_seconds - cpu
        jvm_cpu = sampler.jvm_cpu_seconds - jvm_cpu
        spark.stop()
    found = {}
    for count in counts:  # "77823 distinct names, 1528726 candidate pairs"
        words = count.replace(",", "").split()
        if words[1:3] == ["distinct", "names"] and words[4:6] == ["candidate", "pairs"]:
            found = {"distinct_names": int(words[0]), "candidate_pairs": int(words[3])}
    return {
        "seconds": seconds,
        "session_seconds": session,
        "stages": stages,
        "counts": counts,
        **found,
        "driver_peak_bytes": _driver_peak(),
        "jvm_peak_bytes": sampler.jvm_peak,
        "workers_sum_peak_bytes": sampler.workers_sum_peak,
        "worker_peak_bytes": sampler.worker_peak,
        "workers": sampler.workers_max_count,
        "cpu_seconds": cpu,
        "jvm_cpu_seconds": jvm_cpu,
        "stage_cpu_seconds": {k: {"all": v[0], "jvm": v[1]} for k, v in stage_cpu.items()},
        "load_average": sampler.load,
    }


# --------------------------------------------------------------------------- the parent


def _child(engine: str, rows: int, args: argparse.Namespace, budget: float) -> dict[str, Any]:
    """Run one engine in a fresh interpreter (its own process group, killed whole at the budget)."""
    out = WORK / f"labels-{engine}-{rows}.parquet"
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench_spark",
        "--child",
        engine,
        "--sizes",
        str(rows),
        "--seed",
        str(args.seed),
        "--cores",
        str(args.cores),
        "--partitions",
        str(args.partitions),
        "--driver-memory",
        args.driver_memory,
    ]
    clock = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=budget)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return {"status": "timeout", "budget_seconds": budget, "process_seconds": time.perf_counter() - clock}
    if process.returncode != 0:
        return {"status": "failed", "returncode": process.returncode, "stderr": stderr[-4000:]}
    found: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    found.update(status="ok", process_seconds=time.perf_counter() - clock, labels=str(out))
    return found


def _compare(local: Path, spark: Path) -> dict[str, Any]:
    """Row by row (ids, sizes, canonical names), and as partitions of the rows: a local cluster and a
    Spark cluster are the same when each holds exactly the other's rows."""
    import pandas as pd
    import pyarrow.parquet as pq

    a = pq.read_table(local).to_pandas().sort_values("id", ignore_index=True)
    b = pq.read_table(spark).to_pandas().sort_values("id", ignore_index=True)
    if len(a) != len(b) or not (a["id"].to_numpy() == b["id"].to_numpy()).all():
        return {"same_rows": False, "local_rows": len(a), "spark_rows": len(b)}
    both = pd.DataFrame({"local": a["cluster_id"].to_numpy(), "spark": b["cluster_id"].to_numpy()})
    # a row's local cluster spans several Spark clusters, or its Spark cluster several local ones
    split = both.groupby("local")["spark"].transform("nunique") > 1
    merged = both.groupby("spark")["local"].transform("nunique") > 1
    differing = split | merged
    return {
        "same_rows": True,
        "same_partition": not bool(differing.any()),
        "rows_in_differing_clusters": int(differing.sum()),
        "local_clusters_without_twin": int(both.loc[differing, "local"].nunique()),
        "spark_clusters_without_twin": int(both.loc[differing, "spark"].nunique()),
        "same_cluster_ids": bool((a["cluster_id"].to_numpy() == b["cluster_id"].to_numpy()).all()),
        "same_cluster_sizes": bool((a["cluster_size"].to_numpy() == b["cluster_size"].to_numpy()).all()),
        "same_canonical_names": bool((a["canonical_name"] == b["canonical_name"]).all()),
        "rows_with_other_canonical_name": int((a["canonical_name"] != b["canonical_name"]).sum()),
        "clusters": int(a["cluster_id"].nunique()),
        "spark_clusters": int(b["cluster_id"].nunique()),
    }


def _verdict(size: dict[str, Any]) -> str:
    """Whether the Spark clusters are the local engine's, for the table."""
    same = size.get("comparison")
    if not same:
        return "-"
    if not same.get("same_rows"):
        return f"no: other rows ({same.get('local_rows')} local, {same.get('spark_rows')} Spark)"
    if not same["same_partition"]:
        verdict = (
            f"no: {same['rows_in_differing_clusters']:,} rows in differing clusters "
            f"({same['local_clusters_without_twin']:,} local / {same['spark_clusters_without_twin']:,} Spark clusters)"
        )
    else:
        others = [
            what
            for key, what in (
                ("same_cluster_ids", "ids"),
                ("same_cluster_sizes", "sizes"),
                ("same_canonical_names", f"canonical names ({same['rows_with_other_canonical_name']:,} rows)"),
            )
            if not same[key]
        ]
        verdict = (
            "yes (clusters, ids, sizes, canonical names)" if not others else f"same clusters; other {', '.join(others)}"
        )
    local, spark = size["local"].get("candidate_pairs"), size["spark"].get("candidate_pairs")
    if local is not None and spark is not None and local != spark:
        verdict += f"; candidate pairs: {local:,} local, {spark:,} Spark"
    return verdict


def _code_version() -> str:
    """The commit the benchmark runs at (``-dirty`` with uncommitted changes)."""
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty", "--abbrev=12"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "unknown"


def _mib(value: int | None) -> str:
    return "-" if not value else f"{value / 2**20:,.0f}"


def _markdown(payload: dict[str, Any]) -> str:
    m = payload["machine"]
    lines = [
        "# namematch.spark vs the local engine",
        "",
        f"{m['date']}; {m['cpu']}, {m['cores']} cores (shared with other jobs: wall times are upper bounds); "
        f"Python {m['python']}; {payload['spark_version']}; Spark `local[{payload['cores']}]`, "
        f"driver memory {payload['driver_memory']}, {payload['partitions']} shuffle partitions. "
        f"Table: `benchmarks.synth_entities.generate(rows, {payload['seed']})`. "
        "Written by `python -m benchmarks.bench_spark`; how each number is measured is in its docstring.",
        "",
        "| rows | engine | status | dedupe wall s | CPU s | load | rows/core/min (wall) | rows/CPU-min "
        "| driver peak MiB | JVM peak MiB | Python workers peak MiB (sum / largest) | identical clusters |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size in payload["sizes"]:
        rows = size["rows"]
        for engine in ("local", "spark"):
            run = size[engine]
            if run.get("status") != "ok":
                status = f"{run.get('status')} (budget {run.get('budget_seconds', '-')} s)"
                lines.append(f"| {rows:,} | {engine} | {status} |" + " - |" * 9)
                continue
            lines.append(
                f"| {rows:,} | {engine} | ok | {run['seconds']:,.0f} | {run['cpu_seconds']:,.0f} "
                f"| {run['load_average']:.1f} | {run['rows_per_core_minute']:,.0f} | {run['rows_per_cpu_minute']:,.0f} "
                f"| {_mib(run['driver_peak_bytes'])} | {_mib(run.get('jvm_peak_bytes'))} "
                f"| {_mib(run['workers_sum_peak_bytes'])} / {_mib(run['worker_peak_bytes'])} "
                f"| {_verdict(size) if engine == 'spark' else ''} |"
            )
    lines += [
        "",
        "Identical clusters: *yes* when every row is in the same cluster in both (the same set of rows), "
        "then the cluster ids, sizes and canonical names are compared row by row; *no* counts the rows whose "
        "local and Spark clusters differ.",
        "",
        "Code: "
        + "; ".join(
            f"{s['rows']:,} rows at {s.get('code', 'unknown')} ({s.get('date', '?')})" for s in payload["sizes"]
        ),
        "",
        "Stage seconds:",
        "",
    ]
    for size in payload["sizes"]:
        for engine in ("local", "spark"):
            run = size[engine]
            if run.get("status") == "ok":
                cpu = run.get("stage_cpu_seconds", {})
                stages = ", ".join(
                    f"{k} {v:,.1f}" + (f" (CPU {cpu[k]['all']:,.0f}, JVM {cpu[k]['jvm']:,.0f})" if k in cpu else "")
                    for k, v in run["stages"].items()
                )
                extra = f"; session start {run['session_seconds']:.0f} s" if engine == "spark" else ""
                lines.append(f"- {size['rows']:,} rows, {engine}: {stages}{extra}")
                for count in run.get("counts", []):
                    lines.append(f"  - {count}")
    lines += ["", payload.get("capacity_plan", ""), ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=8, help="spark.sql.shuffle.partitions")
    parser.add_argument("--driver-memory", default="6g")
    parser.add_argument("--budget", type=float, help="seconds per run (default: by size)")
    parser.add_argument("--engines", nargs="+", default=["local", "spark"], choices=["local", "spark"])
    parser.add_argument("--child", choices=["local", "spark"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        rows = args.sizes[0]
        table = _table(rows, args.seed)
        out = WORK / f"labels-{args.child}-{rows}.parquet"
        if args.child == "local":
            found = run_local(table, out, args.cores)
        else:
            found = run_spark(table, out, args.cores, args.partitions, args.driver_memory)
        found["rows_per_core_minute"] = rows / (found["seconds"] / 60) / args.cores
        found["rows_per_cpu_minute"] = rows / (found["cpu_seconds"] / 60)
        print(json.dumps(found))
        return

    import pyspark

    previous: dict[str, Any] = {}
    if (RESULTS / "spark.json").exists():
        previous = json.loads((RESULTS / "spark.json").read_text(encoding="utf-8"))
    kept = {s["rows"]: s for s in previous.get("sizes", [])}
    code = _code_version()
    for rows in args.sizes:
        clock = time.perf_counter()
        _table(rows, args.seed)
        print(f"{rows} rows: table ready in {time.perf_counter() - clock:.0f} s", file=sys.stderr, flush=True)
        size = kept.get(rows, {"rows": rows})
        size.pop("comparison", None)
        size.update(code=code, date=machine()["date"])
        budget = args.budget or DEFAULT_BUDGETS.get(rows, 3600)
        for engine in args.engines:
            size[engine] = _child(engine, rows, args, budget)
            print(f"{rows} rows, {engine}: {json.dumps(size[engine])[:400]}", file=sys.stderr, flush=True)
        labels = [Path(size.get(engine, {}).get("labels", "")) for engine in ("local", "spark")]
        if all(size.get(e, {}).get("status") == "ok" for e in ("local", "spark")) and all(p.exists() for p in labels):
            size["comparison"] = _compare(*labels)
            print(f"{rows} rows, identical clusters: {_verdict(size)}", file=sys.stderr, flush=True)
        kept[rows] = size
    payload = {
        "machine": machine(),
        "spark_version": f"pyspark {pyspark.__version__}",
        "seed": args.seed,
        "cores": args.cores,
        "partitions": args.partitions,
        "driver_memory": args.driver_memory,
        "sizes": [kept[r] for r in sorted(kept)],
        "capacity_plan": previous.get("capacity_plan", ""),
    }
    write("spark", payload, _markdown(payload))


if __name__ == "__main__":
    main()
