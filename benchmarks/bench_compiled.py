"""What compiling the per-name analysis would buy: namematch as shipped against the same code with
its analysis modules compiled by mypyc, in one run.

    python -m benchmarks.bench_compiled          # writes results/compiled.{json,md}

The cold speed targets of the matching core (``similarity`` on raw strings >= 20,000 pairs/s,
``keys`` >= 100,000 names/s) are set by the cost of analysing a name the first time: normalising,
detecting the language, romanising and folding its new words, reading their roles. That work is
pure Python. This benchmark answers whether an ahead-of-time compiler for typed Python closes the
gap without rewriting anything: the package is copied to a temporary folder, the modules of the
per-name analysis (:data:`COMPILED`) are compiled there with mypyc (installed with mypy, the
``lint`` extra; it needs a C compiler and the Python headers), and a fresh interpreter per run
measures each variant on the pairs of ``eval_pairs.csv`` with ``bench_match_speed.pairs_speed``
(caches cleared before each cold round), runs alternating between the variants (medians of
``--runs``). The same variants then deduplicate the synthetic entity table of ``bench_dedupe``
(``--dedupe-rows``, 100,000 by default; 0 skips it), a fresh interpreter per run, alternating:
wall seconds of ``namematch.dedupe(names)`` and its stages, the labels checked equal.

Nothing compiled is shipped: this is a measurement for a design decision (see the results file).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.harness import machine, write
from benchmarks.synth_entities import SEED, generate

ROOT = Path(__file__).resolve().parent.parent
#: The modules a name's analysis runs through (paths in the package), compiled together.
COMPILED = (
    "_text.py",
    "match/normalize.py",
    "match/phonetic.py",
    "match/person.py",
    "match/prepared.py",
    "translit/detect.py",
    "translit/engine.py",
)

# One variant's rates, measured by bench_match_speed's own rounds (caches cleared in the cold ones).
_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])  # the variant's package, ahead of the installed one
sys.path.insert(1, sys.argv[2])
from benchmarks.bench_match_speed import pairs_speed
from benchmarks.eval_pairs import FULL, load

rates = pairs_speed([(p.name1, p.name2, p.kind) for p in load(FULL)], rounds=3)
module = sys.modules["namematch.match.prepared"].__file__ or ""
print(json.dumps({
    "compiled": module.endswith(".so"),
    "similarity_raw": rates["similarity_raw_pairs_per_s"],
    "similarity_prepared": rates["similarity_prepared_pairs_per_s"],
    "keys": rates["keys_names_per_s"],
}))
"""


# One variant's dedupe of the names in a file (one per line): seconds, stages, a digest of the labels.
_DEDUPE_CHILD = """
import hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
import namematch

names = open(sys.argv[2], encoding="utf-8").read().split("\\n")
start = time.perf_counter()
result = namematch.dedupe(names)
seconds = time.perf_counter() - start
module = sys.modules["namematch.match.prepared"].__file__ or ""
print(json.dumps({
    "compiled": module.endswith(".so"),
    "seconds": seconds,
    "stages": result.report.seconds,
    "labels": hashlib.sha256(repr(result.labels).encode()).hexdigest(),
}))
"""


def compile_copy(target: Path) -> None:
    """Copy the package into *target* and compile :data:`COMPILED` there with mypyc."""
    shutil.copytree(ROOT / "src" / "namematch", target / "namematch")
    files = [f"namematch/{module}" for module in COMPILED]
    done = subprocess.run(
        [sys.executable, "-m", "mypyc", *files], cwd=target, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"mypyc failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    shutil.rmtree(target / "build", ignore_errors=True)


def _child(script: str, *args: str) -> dict[str, Any]:
    """The JSON a fresh interpreter running *script* with *args* prints last."""
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def measure(package_root: Path) -> dict[str, Any]:
    """One fresh interpreter's rates for the package found under *package_root*."""
    return _child(_CHILD, str(package_root), str(ROOT))


def measure_dedupe(package_root: Path, names_path: Path) -> dict[str, Any]:
    """One fresh interpreter's dedupe of the names in *names_path* with the package under *package_root*."""
    return _child(_DEDUPE_CHILD, str(package_root), str(names_path))


def markdown(result: dict[str, Any]) -> str:
    m, rows = result["machine"], result["rates"]
    lines = [
        "# The per-name analysis, compiled",
        "",
        f"{m['date']}, {m['cpu']} ({m['cores']} cores), Python {m['python']}, mypy {result['mypy']}. "
        "Generated by `python -m benchmarks.bench_compiled`.",
        "",
        f"The package as shipped against the same code with {len(COMPILED)} modules of the per-name analysis "
        f"({', '.join(f'`{c}`' for c in COMPILED)}) compiled by mypyc; the pairs of `eval_pairs.csv`, caches "
        f"cleared before each cold round; medians of {result['runs']} runs per variant, alternating, each in a "
        "fresh interpreter (itself the median of 3 rounds of `bench_match_speed.pairs_speed`).",
        "",
        "| task | as shipped | compiled | compiled / shipped | target |",
        "|---|---|---|---|---|",
    ]
    targets = {"similarity_raw": 20_000, "similarity_prepared": 100_000, "keys": 100_000}
    labels = {
        "similarity_raw": "similarity, raw strings, cold (pairs/s)",
        "similarity_prepared": "similarity, prepared (pairs/s)",
        "keys": "keys, raw strings, cold (names/s)",
    }
    for key, label in labels.items():
        pure, fast = rows["pure"][key], rows["compiled"][key]
        lines.append(f"| {label} | {pure:,.0f} | {fast:,.0f} | {fast / pure:.2f}x | {targets[key]:,} |")
    short = {key: targets[key] / rows["compiled"][key] for key in ("similarity_raw", "keys")}
    lines += [
        "",
        f"Compiled as it is written, the analysis would still need to be {short['similarity_raw']:.1f}x faster "
        f"for the raw-pair target and {short['keys']:.1f}x for the keys target on this run's machine.",
        "",
    ]
    dedupe = result.get("dedupe")
    if dedupe:
        pure, fast = dedupe["pure"], dedupe["compiled"]
        lines += [
            f"## dedupe, {dedupe['rows']:,} rows",
            "",
            f"`namematch.dedupe(names)` on `benchmarks.synth_entities.generate({dedupe['rows']}, {dedupe['seed']})` "
            f"({dedupe['distinct']:,} distinct names); medians of {result['runs']} runs per variant, alternating, "
            "each in a fresh interpreter; the names are read before the clock starts. Labels identical: "
            f"{'yes' if dedupe['same_labels'] else '**no**'}.",
            "",
            "| variant | seconds | runs | analyse | block | score | cluster |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, row in (("as shipped", pure), ("compiled", fast)):
            st = row["stages"]
            lines.append(
                f"| {name} | {row['seconds']:.2f} | {', '.join(f'{x:.2f}' for x in row['all'])} | "
                f"{st['analyse']:.2f} | {st['block']:.2f} | {st['score']:.2f} | {st['cluster']:.2f} |"
            )
        lines += [
            "",
            f"Compiled / shipped: {pure['seconds'] / fast['seconds']:.2f}x faster in all, "
            f"{pure['stages']['analyse'] / fast['stages']['analyse']:.2f}x in the analysis stage.",
            "",
        ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="fresh interpreters per variant")
    parser.add_argument("--dedupe-rows", type=int, default=100_000, help="rows of the dedupe runs (0: none)")
    args = parser.parse_args(argv)
    from importlib.metadata import version

    dedupe_runs: dict[str, list[dict[str, Any]]] = {"pure": [], "compiled": []}
    names: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        compiled_root = Path(folder) / "compiled"
        compiled_root.mkdir()
        compile_copy(compiled_root)
        samples: dict[str, list[dict[str, Any]]] = {"pure": [], "compiled": []}
        for _ in range(args.runs):
            samples["pure"].append(measure(ROOT / "src"))
            samples["compiled"].append(measure(compiled_root))
        if args.dedupe_rows:
            names = [row.name for row in generate(args.dedupe_rows, SEED)]
            names_path = Path(folder) / "names.txt"
            names_path.write_text("\n".join(names), encoding="utf-8")
            for _ in range(args.runs):
                dedupe_runs["pure"].append(measure_dedupe(ROOT / "src", names_path))
                dedupe_runs["compiled"].append(measure_dedupe(compiled_root, names_path))
    every = [*samples["pure"], *dedupe_runs["pure"]], [*samples["compiled"], *dedupe_runs["compiled"]]
    if any(s["compiled"] for s in every[0]) or not all(s["compiled"] for s in every[1]):
        raise SystemExit("a run did not import the variant it was meant to")
    tasks = ("similarity_raw", "similarity_prepared", "keys")
    rates = {
        variant: {key: statistics.median(s[key] for s in runs) for key in tasks} for variant, runs in samples.items()
    }
    result: dict[str, Any] = {
        "machine": machine(),
        "mypy": version("mypy"),
        "runs": args.runs,
        "rates": rates,
        "samples": samples,
    }
    if args.dedupe_rows:
        result["dedupe"] = {
            "rows": args.dedupe_rows,
            "seed": SEED,
            "distinct": len(set(names)),
            "same_labels": len({r["labels"] for runs in dedupe_runs.values() for r in runs}) == 1,
            **{
                variant: {
                    "seconds": statistics.median(r["seconds"] for r in runs),
                    "all": [r["seconds"] for r in runs],
                    "stages": {k: statistics.median(r["stages"][k] for r in runs) for k in runs[0]["stages"]},
                }
                for variant, runs in dedupe_runs.items()
            },
        }
    text = markdown(result)
    write("compiled", result, text)
    print(text)


if __name__ == "__main__":
    main()
