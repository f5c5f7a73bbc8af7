"""Conformance report: for every system of the shared vectors in our seven languages, whether a
shipped scheme carries it, and how many of its vectors pass exactly (as given and in capitals).

    python -m benchmarks.bench_conformance
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from benchmarks.harness import machine, write
from namematch import schemes, transliterate


def nfc(text: str) -> str:
    # Output is NFC by contract; a few expectations in the file are NFD: compared canonically.
    return unicodedata.normalize("NFC", text)


VECTORS = Path(__file__).resolve().parents[1] / "tests" / "data" / "cyrillic_latin.json"


def report() -> dict[str, Any]:
    data = json.loads(VECTORS.read_text(encoding="utf-8"))
    langs = {s.language for s in schemes()}
    by_name = {name: s.id for s in schemes() for name in (s.id, *s.aliases)}
    rows = []
    for system in data["systems"]:
        if system["language"] not in langs:
            continue
        shipped = by_name.get(system["id"])
        vectors = system["vectors"]
        passed = capitals = 0
        if shipped is not None:
            passed = sum(transliterate(v["source"], shipped) == nfc(v["expected"]) for v in vectors)
            capitals = sum(transliterate(v["source"].upper(), shipped) == nfc(v["expected"].upper()) for v in vectors)
        rows.append(
            {
                "system": system["id"],
                "language": system["language"],
                "shipped_as": shipped,
                "vectors": len(vectors),
                "passed": passed,
                "capitals_passed": capitals,
            }
        )
    shipped_rows = [r for r in rows if r["shipped_as"]]
    return {
        "machine": machine(),
        "vectors_commit": data["commit"],
        "systems_in_languages": len(rows),
        "systems_shipped": len(shipped_rows),
        "systems_with_vectors_shipped": sum(1 for r in shipped_rows if r["vectors"]),
        "vectors_total": sum(r["vectors"] for r in shipped_rows),
        "vectors_passed": sum(r["passed"] for r in shipped_rows),
        "capitals_passed": sum(r["capitals_passed"] for r in shipped_rows),
        "schemes_shipped": len(schemes()),
        "rows": rows,
    }


def markdown(payload: dict[str, Any]) -> str:
    out = [
        "# Conformance to the shared romanisation vectors",
        "",
        f"Run {payload['machine']['date']} by `python -m benchmarks.bench_conformance` "
        f"(vectors: interscript maps at {payload['vectors_commit'][:10]}, MIT).",
        "",
        f"{payload['schemes_shipped']} schemes shipped. "
        f"Of the vectors file's {payload['systems_in_languages']} systems "
        f"for ru uk be bg sr mk kk, {payload['systems_shipped']} are shipped "
        f"({payload['systems_with_vectors_shipped']} of them with vectors): "
        f"**{payload['vectors_passed']} / {payload['vectors_total']}** vectors pass exactly, "
        f"{payload['capitals_passed']} / {payload['vectors_total']} in capitals.",
        "",
        "| system | lang | shipped as | passed | capitals |",
        "|---|---|---|---|---|",
    ]
    for r in payload["rows"]:
        shipped = f"`{r['shipped_as']}`" if r["shipped_as"] else "not shipped"
        out.append(
            f"| {r['system']} | {r['language']} | {shipped} | {r['passed']}/{r['vectors']} "
            f"| {r['capitals_passed']}/{r['vectors']} |"
        )
    return "\n".join(out) + "\n"


def main() -> None:
    payload = report()
    write("conformance", payload, markdown(payload))
    print(markdown(payload))


if __name__ == "__main__":
    main()
