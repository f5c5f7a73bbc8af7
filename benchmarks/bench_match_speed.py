"""Matching speed, as ratios to baselines timed in the same run.

    python -m benchmarks.bench_match_speed [--quick]

Medians of interleaved rounds (``harness.medians``):

a. ``namematch.similarity`` on raw string pairs (the pairs of ``eval_pairs.csv``), namematch's caches
   cleared before each round (``translit.registry.reset`` and the word cache; the clearing, which
   reloads the scheme tables on first use, is inside the timed round), against unidecode +
   rapidfuzz Jaro-Winkler on the same pairs;
b. similarity on prepared names (every name prepared first, not timed) against Jaro-Winkler on
   names unidecode'd in advance;
c. ``namematch.keys`` from raw strings (caches cleared each round) against the metaphone code of
   each unidecode'd word;
d. top-10 search: ``namematch.Choices`` over 200,000 person names built once (time, and peak
   Python memory by tracemalloc in a second build), then ``namematch.match(query, choices,
   limit=10)`` per query (median and p95 over the queries) against rapidfuzz ``process.extract``
   (``token_sort_ratio``, limit 10) over the unidecode'd lower-case names.

Names: Faker's Russian, Ukrainian and Bulgarian lists (see ``eval_pairs.py``), ``Given Surname`` or
``Surname Given Patronymic``, half of them romanised by an independent tool (iuliia, unidecode,
anyascii), with a fixed seed. Queries are other spellings (another tool, Cyrillic, or a typo) of
names in the choices.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import jellyfish
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler
from unidecode import unidecode

import namematch
from benchmarks.eval_pairs import FULL, LAYOUTS, build, load, parts, person, romanisers, tool_versions, typo
from benchmarks.harness import machine, medians, peak_memory, write
from namematch.match.prepared import clear_caches as clear_prepared
from namematch.translit.registry import reset

TARGETS = {
    "similarity_raw_pairs_per_s": 20_000,
    "similarity_prepared_pairs_per_s": 100_000,
    "keys_names_per_s": 100_000,
    "search_median_s": 1.0,
}


def clear_caches() -> None:
    reset()
    clear_prepared()


def _ascii(text: str) -> str:
    return str(unidecode(text)).lower()


def person_names(count: int, seed: int = 20261121) -> list[str]:
    """*count* person names, half Cyrillic and half romanised by an independent tool."""
    rng = random.Random(f"speed-{seed}")
    out: list[str] = []
    while len(out) < count:
        lang = rng.choices(("ru", "uk", "bg"), weights=(0.5, 0.3, 0.2))[0]
        p = person(lang, rng)
        tools = [t for t in romanisers(lang) if not t.circular]
        tool = None if rng.random() < 0.5 else rng.choice(tools)
        x = parts(p, tool)
        if x is None:
            continue
        out.append(LAYOUTS["surname_given_patronymic" if p.patronymic else "given_surname"](x, rng))
    return out


def queries_for(names: Sequence[str], count: int, seed: int = 20261121) -> list[tuple[str, int]]:
    """Other spellings of *count* names of the choices (a typo; order reversed in capitals; unidecode'd),
    each with the index of its source."""
    rng = random.Random(f"queries-{seed}")
    out = []
    for index in rng.sample(range(len(names)), count):
        name = names[index]
        roll = rng.random()
        if roll < 0.4:
            out.append((typo(name, rng), index))
        elif roll < 0.7:
            out.append((" ".join(reversed(name.split())).upper(), index))
        else:
            out.append((str(unidecode(name)), index))
    return out


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def pairs_speed(pairs: Sequence[tuple[str, str, str]], rounds: int) -> dict[str, Any]:
    names = sorted({n for a, b, _ in pairs for n in (a, b)})

    def similarity_raw() -> None:
        clear_caches()
        for a, b, kind in pairs:
            namematch.similarity(a, b, kind=kind)  # type: ignore[arg-type]

    def jaro_raw() -> None:
        for a, b, _ in pairs:
            JaroWinkler.similarity(_ascii(a), _ascii(b))

    prepared = [
        (namematch.prepare(a, kind=kind), namematch.prepare(b, kind=kind))  # type: ignore[arg-type]
        for a, b, kind in pairs
    ]
    ascii_pairs = [(_ascii(a), _ascii(b)) for a, b, _ in pairs]

    def similarity_prepared() -> None:
        for a, b in prepared:
            namematch.similarity(a, b)

    def jaro_prepared() -> None:
        for a, b in ascii_pairs:
            JaroWinkler.similarity(a, b)

    def keys_raw() -> None:
        clear_caches()
        for name in names:
            namematch.keys(name)

    def similarity_raw_warm() -> None:  # the same pairs again: names and words already analysed
        for a, b, kind in pairs:
            namematch.similarity(a, b, kind=kind)  # type: ignore[arg-type]

    def keys_warm() -> None:
        for name in names:
            namematch.keys(name)

    def metaphone_keys() -> None:
        for name in names:
            {jellyfish.metaphone(w) for w in _ascii(name).split()}

    t = medians(
        {
            "similarity_raw": similarity_raw,
            "similarity_raw_warm": similarity_raw_warm,  # right after the cold round filled the memos
            "unidecode+jaro_winkler": jaro_raw,
            "similarity_prepared": similarity_prepared,
            "jaro_winkler_preprocessed": jaro_prepared,
            "keys_raw": keys_raw,
            "keys_warm": keys_warm,
            "metaphone_keys": metaphone_keys,
            "cache_reset_alone": clear_caches,
        },
        rounds,
    )
    n, m = len(pairs), len(names)
    return {
        "pairs": n,
        "distinct_names": m,
        "rounds": rounds,
        "median_seconds": t,
        "similarity_raw_pairs_per_s": _rate(n, t["similarity_raw"]),
        "unidecode+jaro_winkler_pairs_per_s": _rate(n, t["unidecode+jaro_winkler"]),
        "similarity_raw_ratio_to_baseline": t["unidecode+jaro_winkler"] / t["similarity_raw"],
        "similarity_prepared_pairs_per_s": _rate(n, t["similarity_prepared"]),
        "jaro_winkler_preprocessed_pairs_per_s": _rate(n, t["jaro_winkler_preprocessed"]),
        "similarity_prepared_ratio_to_baseline": t["jaro_winkler_preprocessed"] / t["similarity_prepared"],
        "keys_names_per_s": _rate(m, t["keys_raw"]),
        "metaphone_keys_names_per_s": _rate(m, t["metaphone_keys"]),
        "keys_ratio_to_baseline": t["metaphone_keys"] / t["keys_raw"],
        "similarity_raw_warm_pairs_per_s": _rate(n, t["similarity_raw_warm"]),
        "similarity_raw_warm_ratio_to_baseline": t["unidecode+jaro_winkler"] / t["similarity_raw_warm"],
        "keys_warm_names_per_s": _rate(m, t["keys_warm"]),
        "keys_warm_ratio_to_baseline": t["metaphone_keys"] / t["keys_warm"],
    }


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def search_speed(count: int, n_queries: int, rounds: int, memory: bool) -> dict[str, Any]:
    names = person_names(count)
    queries = queries_for(names, n_queries)
    clear_caches()
    start = time.perf_counter()
    choices = namematch.Choices(names)
    build_seconds = time.perf_counter() - start
    start = time.perf_counter()
    screen = [_ascii(n) for n in names]
    baseline_build = time.perf_counter() - start

    per_query: dict[str, list[list[float]]] = {"namematch.match": [], "rapidfuzz.process.extract": []}

    def timed(label: str, texts: Sequence[str], run: Callable[[str], object]) -> Callable[[], None]:
        def go() -> None:
            times = []
            for q in texts:
                t0 = time.perf_counter()
                run(q)
                times.append(time.perf_counter() - t0)
            per_query[label].append(times)

        return go

    def nm(q: str) -> list[namematch.Match]:
        return namematch.match(q, choices, limit=10)

    def rf(q: str) -> list[tuple[str, float, int]]:
        return process.extract(_ascii(q), screen, scorer=fuzz.token_sort_ratio, limit=10)

    texts = [q for q, _ in queries]
    totals = medians(
        {
            "namematch.match": timed("namematch.match", texts, nm),
            "rapidfuzz.process.extract": timed("rapidfuzz.process.extract", texts, rf),
        },
        rounds,
    )
    # Is the query's source among the top 10? (a sanity check, not an accuracy benchmark)
    found = sum(any(names[m.index] == names[i] for m in nm(q)) for q, i in queries)
    found_rf = sum(any(names[j] == names[i] for _, _, j in rf(q)) for q, i in queries)

    def per_query_stats(label: str) -> dict[str, float]:
        # per query: the median over rounds; then the median and p95 over queries
        rounds_times = per_query[label]
        each = [statistics.median(r[i] for r in rounds_times) for i in range(len(queries))]
        return {"median_s": statistics.median(each), "p95_s": _percentile(each, 0.95), "max_s": max(each)}

    out: dict[str, Any] = {
        "choices": count,
        "queries": n_queries,
        "rounds": rounds,
        "namematch_build_seconds": build_seconds,
        "baseline_build_seconds": baseline_build,
        "namematch": per_query_stats("namematch.match"),
        "rapidfuzz_token_sort_ratio": per_query_stats("rapidfuzz.process.extract"),
        "median_round_seconds": totals,
        "source_in_top10": {"namematch": found / n_queries, "rapidfuzz": found_rf / n_queries},
    }
    out["median_ratio_to_baseline"] = out["rapidfuzz_token_sort_ratio"]["median_s"] / out["namematch"]["median_s"]
    if memory:
        del choices
        clear_caches()
        out["namematch_build_peak_bytes"] = peak_memory(lambda: namematch.Choices(names))
        out["baseline_build_peak_bytes"] = peak_memory(lambda: [_ascii(n) for n in names])
    return out


def markdown(result: dict[str, Any]) -> str:
    m, p, s = result["machine"], result["pairs"], result["search"]
    ok = {k: ("yes" if v else "**no**") for k, v in result["meets_targets"].items()}
    lines = [
        "# Matching speed",
        "",
        f"{m['date']}, {m['cpu']} ({m['cores']} cores), Python {m['python']}, namematch "
        f"{result['versions']['namematch']}. Generated by `python -m benchmarks.bench_match_speed"
        f"{' --quick' if result['quick'] else ''}`.",
        "",
        f"Pairs: {p['pairs']} pairs of `eval_pairs.csv` ({p['distinct_names']} distinct names), medians of "
        f"{p['rounds']} interleaved rounds. Ratio: namematch's rate / the baseline's (above 1: faster).",
        "",
        "| task | namematch | baseline | baseline rate | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
        f"| similarity, raw strings (caches cleared) | {p['similarity_raw_pairs_per_s']:,.0f} pairs/s | unidecode + "
        f"Jaro-Winkler | {p['unidecode+jaro_winkler_pairs_per_s']:,.0f} | "
        f"{p['similarity_raw_ratio_to_baseline']:.3f} | >= 20,000 | {ok['similarity_raw']} |",
        f"| similarity, prepared | {p['similarity_prepared_pairs_per_s']:,.0f} pairs/s | Jaro-Winkler on "
        f"pre-unidecoded | {p['jaro_winkler_preprocessed_pairs_per_s']:,.0f} | "
        f"{p['similarity_prepared_ratio_to_baseline']:.3f} | >= 100,000 | {ok['similarity_prepared']} |",
        f"| keys, raw strings (caches cleared) | {p['keys_names_per_s']:,.0f} names/s | metaphone per word | "
        f"{p['metaphone_keys_names_per_s']:,.0f} | {p['keys_ratio_to_baseline']:.3f} | >= 100,000 | {ok['keys']} |",
        f"| similarity, raw strings seen before (memo warm) | {p['similarity_raw_warm_pairs_per_s']:,.0f} pairs/s "
        f"| unidecode + Jaro-Winkler | {p['unidecode+jaro_winkler_pairs_per_s']:,.0f} | "
        f"{p['similarity_raw_warm_ratio_to_baseline']:.3f} | (context) | |",
        f"| keys, raw strings seen before (memo warm) | {p['keys_warm_names_per_s']:,.0f} names/s | metaphone per "
        f"word | {p['metaphone_keys_names_per_s']:,.0f} | {p['keys_warm_ratio_to_baseline']:.3f} | (context) | |",
        "",
        "The targets are judged on the cold rows: every name analysed from scratch. The warm rows are "
        "the steady state when names repeat (namematch keeps bounded memos of prepared names and words).",
        "",
        f"Cache reset alone (inside each cleared round): {p['median_seconds']['cache_reset_alone'] * 1e3:.2f} ms.",
        "",
        f"## Top-10 search over {s['choices']:,} names ({s['queries']} queries, {s['rounds']} rounds)",
        "",
        "| | build | peak memory (tracemalloc) | per query median | p95 | max | source in top 10 |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, key, build_key, mem_key in (
        ("namematch.Choices + match", "namematch", "namematch_build_seconds", "namematch_build_peak_bytes"),
        (
            "rapidfuzz process.extract (token_sort_ratio)",
            "rapidfuzz_token_sort_ratio",
            "baseline_build_seconds",
            "baseline_build_peak_bytes",
        ),
    ):
        mem = f"{s[mem_key] / 1e6:,.0f} MB" if mem_key in s else "not measured"
        short = "namematch" if key == "namematch" else "rapidfuzz"
        lines.append(
            f"| {label} | {s[build_key]:.1f} s | {mem} | {s[key]['median_s'] * 1e3:.1f} ms | "
            f"{s[key]['p95_s'] * 1e3:.1f} ms | {s[key]['max_s'] * 1e3:.1f} ms | {s['source_in_top10'][short]:.0%} |"
        )
    lines += [
        "",
        f"Search median ratio to baseline: {s['median_ratio_to_baseline']:.3f}; target well under a second: "
        f"{ok['search']}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="matching speed against baselines")
    parser.add_argument("--quick", action="store_true", help="fewer pairs, choices and rounds")
    parser.add_argument("--choices", type=int, default=None, help="names to search (default 200,000)")
    parser.add_argument("--no-memory", action="store_true", help="skip the second, traced build")
    args = parser.parse_args(argv)
    pairs_all = load(FULL) if FULL.exists() else build()
    pairs = [(p.name1, p.name2, p.kind) for p in pairs_all]
    rounds = 5
    if args.quick:
        pairs = pairs[::4]
    count = args.choices or (20_000 if args.quick else 200_000)
    pair_result = pairs_speed(pairs, rounds)
    search = search_speed(count, 50, 5 if not args.quick else 3, memory=not args.no_memory)
    result: dict[str, Any] = {
        "machine": machine(),
        "versions": tool_versions(),
        "quick": args.quick,
        "targets": TARGETS,
        "pairs": pair_result,
        "search": search,
    }
    result["meets_targets"] = {
        "similarity_raw": pair_result["similarity_raw_pairs_per_s"] >= TARGETS["similarity_raw_pairs_per_s"],
        "similarity_prepared": pair_result["similarity_prepared_pairs_per_s"]
        >= TARGETS["similarity_prepared_pairs_per_s"],
        "keys": pair_result["keys_names_per_s"] >= TARGETS["keys_names_per_s"],
        "search": search["namematch"]["median_s"] < TARGETS["search_median_s"],
    }
    text = markdown(result)
    write("match_speed", result, text)
    print(text)


if __name__ == "__main__":
    main()
