"""Language detection accuracy.

    python -m benchmarks.bench_detect

1. The shared vectors' sources for the seven languages (``tests/data/cyrillic_latin.json``), each
   distinct (language, source) once, keeping those that contain a distinctive letter (a letter in any
   language's evidence set, or ъ): is the detected language the system's language?
2. Mixed Russian/Ukrainian names (Faker's ru_RU and uk_UA lists, see ``corpus.py``) shuffled together,
   one name per line: per line, over the lines with any evidence, and how many lines get no answer.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.corpus import build, faker_version
from benchmarks.harness import machine, write
from namematch import detect_language, languages

VECTORS = Path(__file__).resolve().parents[1] / "tests" / "data" / "cyrillic_latin.json"
CODES = [lang.code for lang in languages()]
EVIDENCE = {c for lang in languages() for c in lang.evidence} | {"ъ"}
# Letters of exactly one language's alphabet (ї є ґ, ў, ђ ћ, ѓ ќ ѕ, ә ғ қ ...).
EXCLUSIVE = {c for lang in languages() for c in lang.alphabet if sum(c in o.alphabet for o in languages()) == 1}


def distinctive(text: str) -> bool:
    return any(c in EVIDENCE for c in text.lower())


def vectors_accuracy() -> dict[str, Any]:
    systems = json.loads(VECTORS.read_text(encoding="utf-8"))["systems"]
    items = sorted({(s["language"], v["source"]) for s in systems if s["language"] in CODES for v in s["vectors"]})
    kept = [(lang, src) for lang, src in items if distinctive(src)]
    per: dict[str, Counter[str]] = {code: Counter() for code in CODES}
    confusions: Counter[tuple[str, str]] = Counter()
    misses = []
    for lang, src in kept:
        got = detect_language(src)
        per[lang]["total"] += 1
        if got == lang:
            per[lang]["right"] += 1
        else:
            confusions[(lang, str(got))] += 1
            misses.append({"language": lang, "detected": got, "source": src[:80]})
    right = sum(c["right"] for c in per.values())
    total = sum(c["total"] for c in per.values())
    exclusive = [(lang, src) for lang, src in kept if any(c in EXCLUSIVE for c in src.lower())]
    exclusive_right = sum(detect_language(src) == lang for lang, src in exclusive)
    return {
        "exclusive_letters": "".join(sorted(EXCLUSIVE)),
        "with_exclusive_letter": len(exclusive),
        "accuracy_exclusive": exclusive_right / len(exclusive),
        "distinct_sources": len(items),
        "with_distinctive_letter": total,
        "accuracy": right / total,
        "per_language": {k: {"right": v["right"], "total": v["total"]} for k, v in per.items()},
        "confusions": {f"{a}->{b}": n for (a, b), n in confusions.most_common()},
        "misses": misses[:40],
    }


def mixed_accuracy() -> dict[str, Any]:
    lines = [("ru", line) for line in build("ru", min_megabytes=0.2).lines]
    lines += [("uk", line) for line in build("uk", min_megabytes=0.2).lines]
    random.Random(7).shuffle(lines)
    answered = right = 0
    wrong: Counter[str] = Counter()
    for lang, line in lines:
        got = detect_language(line)
        if got is None:
            continue
        answered += 1
        right += got == lang
        if got != lang:
            wrong[f"{lang}->{got}"] += 1
    return {
        "lines": len(lines),
        "answered": answered,
        "no_evidence": len(lines) - answered,
        "accuracy_when_answered": right / answered,
        "errors": dict(wrong.most_common()),
        "source": f"Faker {faker_version()} ru_RU and uk_UA name lists",
    }


def markdown(payload: dict[str, Any]) -> str:
    v, m = payload["vectors"], payload["mixed_ru_uk"]
    out = [
        "# Language detection accuracy",
        "",
        f"Run {payload['machine']['date']}. Produced by `python -m benchmarks.bench_detect`.",
        "",
        f"## Shared vectors: {v['with_distinctive_letter']} distinct sources with a distinctive letter "
        f"(of {v['distinct_sources']})",
        "",
        f"Accuracy: **{v['accuracy']:.3f}**. On the {v['with_exclusive_letter']} of them with a letter only one "
        f"language has ({v['exclusive_letters']}): **{v['accuracy_exclusive']:.3f}**.",
        "",
        "| language | right | total |",
        "|---|---|---|",
        *[f"| {k} | {c['right']} | {c['total']} |" for k, c in v["per_language"].items()],
        "",
        "Confusions: " + (", ".join(f"{k} {n}" for k, n in v["confusions"].items()) or "none"),
        "",
        f"## Mixed Russian and Ukrainian names, one per line ({m['source']})",
        "",
        f"{m['lines']:,} lines; {m['answered']:,} with evidence answered, "
        f"accuracy **{m['accuracy_when_answered']:.3f}**; "
        f"{m['no_evidence']:,} lines with no distinctive letter give `None` (no language assumed).",
        "",
        "Errors: " + (", ".join(f"{k} {n}" for k, n in m["errors"].items()) or "none"),
        "",
    ]
    return "\n".join(out)


def main() -> None:
    payload = {"machine": machine(), "vectors": vectors_accuracy(), "mixed_ru_uk": mixed_accuracy()}
    write("detect_accuracy", payload, markdown(payload))
    print(markdown(payload))


if __name__ == "__main__":
    main()
