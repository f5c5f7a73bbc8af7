"""Transliteration speed: namematch against unidecode, anyascii and iuliia, measured in the same run.

    python -m benchmarks.bench_translit [--rounds 7] [--megabytes 1.0]

Corpora (see ``corpus.py``): at least 1 MB each of Russian and Ukrainian names. Throughput is
reported as MB of UTF-8 input per second, word by word (one call per word), line by line (one call
per line) and whole (one call on the whole corpus); the ratio is to unidecode in the same run.
Medians of several interleaved rounds; peak memory by tracemalloc in a separate, untimed pass.
A last table checks linear time: the same text at 1/8 to 2x the corpus as one string.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
from typing import Any

import anyascii
import iuliia
from unidecode import unidecode

from benchmarks.corpus import build, faker_version
from benchmarks.harness import each, machine, medians, peak_memory, write
from namematch import schemes, transliterate
from namematch.translit.api import clear_cache
from namematch.translit.engine import Transliterator
from namematch.translit.registry import get_language, get_scheme, transliterator


def contenders(lang: str) -> dict[str, Callable[[str], object]]:
    """Everything timed, by name. The namematch ones are direct calls, as users write them."""
    default = get_language(lang).default_scheme
    heavy = "bgnpcgn-rus-Cyrl-Latn-1947" if lang == "ru" else "bgnpcgn-ukr-Cyrl-Latn-2019"
    raw = Transliterator(get_scheme(default), memo=False)
    found: dict[str, Callable[[str], object]] = {
        "unidecode": unidecode,
        "anyascii": anyascii.anyascii,
    }
    if lang == "ru":
        found["iuliia (ICAO Doc 9303)"] = iuliia.ICAO_DOC_9303.translate
        found["iuliia (BGN/PCGN)"] = iuliia.BGN_PCGN.translate
    found[f"namematch engine without memo [{default}]"] = raw
    found[f"namematch transliterate(lang={lang!r}) [{default}]"] = lambda text: transliterate(text, lang=lang)
    found["namematch transliterate() [language detected]"] = transliterate
    found[f"namematch transliterate(scheme={heavy!r})"] = lambda text: transliterate(text, heavy)
    return found


def forget() -> None:
    """Empty every compiled scheme's memo, so each round starts cold (the memo fills within a round)."""
    for scheme in schemes():
        transliterator(scheme.id)._memo.clear()
    clear_cache()


def has_context_rules(scheme_id: str) -> bool:
    scheme = get_scheme(scheme_id)
    return any(rule.contextual or len(rule.source) > 1 for rule in scheme.rules)


def run_language(lang: str, rounds: int, megabytes: float) -> dict[str, Any]:
    corpus = build(lang, min_megabytes=megabytes)
    words, lines, text = corpus.words, list(corpus.lines), corpus.text
    funcs = contenders(lang)
    for function in funcs.values():  # warm caches (compiled schemes) outside the timings
        function(lines[0])
    modes = {"word": words, "line": lines, "whole": [text]}
    rows: dict[str, dict[str, Any]] = {name: {} for name in funcs}
    for mode, items in modes.items():
        times = medians({name: each(f, items, before=forget) for name, f in funcs.items()}, rounds)
        base = times["unidecode"]
        for name, seconds in times.items():
            rows[name][mode] = {
                "seconds": seconds,
                "mb_per_s": corpus.megabytes / seconds,
                "ratio_to_unidecode": base / seconds,
            }
    for name, function in funcs.items():
        forget()
        rows[name]["peak_memory_whole_mb"] = peak_memory(partial(function, text)) / 1e6
    return {
        "lang": lang,
        "default_scheme": get_language(lang).default_scheme,
        "default_has_context_rules": has_context_rules(get_language(lang).default_scheme),
        "corpus": {
            "megabytes": corpus.megabytes,
            "lines": len(lines),
            "distinct_lines": len(set(lines)),
            "words": len(words),
            "distinct_words": len(set(words)),
            "sha256": corpus.sha256,
            "source": f"Faker {faker_version()} name lists ({lang})",
        },
        "results": rows,
    }


def linear_time(rounds: int) -> list[dict[str, float]]:
    corpus = build("uk", min_megabytes=1.0)
    run = Transliterator(get_scheme(get_language("uk").default_scheme), memo=False)
    out = []
    for factor in (0.125, 0.25, 0.5, 1.0, 2.0):
        text = (corpus.text * 2)[: int(len(corpus.text) * factor)]
        size = len(text.encode("utf-8")) / 1e6
        seconds = medians({"t": partial(run, text)}, rounds)["t"]
        out.append({"megabytes": size, "seconds": seconds, "seconds_per_mb": seconds / size})
    return out


def markdown(payload: dict[str, Any]) -> str:
    m = payload["machine"]
    lines = [
        "# Transliteration speed",
        "",
        f"Run {m['date']} on {m['cpu']} ({m['cores']} cores), Python {m['python']}; "
        f"medians of {payload['rounds']} interleaved rounds. Produced by `python -m benchmarks.bench_translit`.",
        "MB/s of UTF-8 input; the ratio is to unidecode measured in the same run (higher is faster).",
        "",
    ]
    for section in payload["languages"]:
        c = section["corpus"]
        lines += [
            f"## {section['lang']}: {c['megabytes']:.2f} MB, {c['lines']:,} lines ({c['distinct_lines']:,} distinct), "
            f"{c['words']:,} words ({c['distinct_words']:,} distinct)",
            "",
            f"Corpus: {c['source']}, sha256 {c['sha256'][:12]}. namematch's memo of recent inputs is emptied "
            "before every round; it fills within a round as names repeat.",
            "",
            f"Default scheme `{section['default_scheme']}`; it has context or sequence rules: "
            f"{'yes' if section['default_has_context_rules'] else 'no'}.",
            "",
            "| contender | word MB/s | x unidecode | line MB/s | x unidecode | whole MB/s | x unidecode "
            "| peak MB (whole) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, r in section["results"].items():
            cells = " | ".join(
                f"{r[m]['mb_per_s']:.2f} | {r[m]['ratio_to_unidecode']:.2f}" for m in ("word", "line", "whole")
            )
            lines.append(f"| {name} | {cells} | {r['peak_memory_whole_mb']:.1f} |")
        lines.append("")
    lines += [
        "## Linear time (uk default scheme, one string)",
        "",
        "| MB | seconds | seconds per MB |",
        "|---|---|---|",
    ]
    lines += [
        f"| {r['megabytes']:.3f} | {r['seconds']:.4f} | {r['seconds_per_mb']:.4f} |" for r in payload["linear_time"]
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--megabytes", type=float, default=1.0)
    args = parser.parse_args()
    payload = {
        "machine": machine(),
        "rounds": args.rounds,
        "languages": [run_language(lang, args.rounds, args.megabytes) for lang in ("ru", "uk")],
        "linear_time": linear_time(args.rounds),
    }
    write("translit_speed", payload, markdown(payload))
    print(markdown(payload))


if __name__ == "__main__":
    main()
