"""Alias tables: their size, and their coverage of independent public lists they were not built from.

    python -m benchmarks.bench_aliases

Coverage lists (Faker's MIT-licensed locale data, not used to build the places and countries
tables, which come from GeoNames and ISO 3166 / iso-codes):
- places: the Ukrainian and Russian city names of Faker's ``uk_UA`` and ``ru_RU`` address providers
  (settlements of every size, so full coverage is not expected: the table holds towns of 20,000+);
- countries: the country names in Russian and Ukrainian of the same providers;
- given names: the first names of Faker's ``ru_RU``, ``uk_UA``, ``bg_BG`` and ``mk_MK`` person
  providers. These lists also told the table's builder which names are common, so this number is
  not independent; it is reported for completeness.
A name counts as covered when :func:`namematch.lookup` finds an entity of the table for it.
"""

from __future__ import annotations

import importlib
from typing import Any

from benchmarks.corpus import faker_version
from benchmarks.harness import machine, write
from namematch import lookup
from namematch.aliases import TABLES, entities


def _faker(module: str, attribute: str) -> list[str]:
    provider = importlib.import_module(module).Provider
    values = getattr(provider, attribute, ())
    return sorted({v for v in (values.keys() if isinstance(values, dict) else values) if v.strip()})


def _coverage(names: list[str], table: str) -> dict[str, Any]:
    missing = [n for n in names if not lookup(n, kind=table)]
    return {
        "names": len(names),
        "covered": len(names) - len(missing),
        "share": 1 - len(missing) / len(names),
        "missing_sample": missing[:25],
    }


def report() -> dict[str, Any]:
    faker_version()
    sizes = {}
    for table in TABLES:
        rows = entities(table)
        sizes[table] = {
            "entities": len(rows),
            "aliases": sum(len(e.aliases) for e in rows),
            "diminutives": sum(len(e.diminutives) for e in rows),
            "languages": sorted({a.lang for e in rows for a in e.aliases} - {"und"}),
        }
    cities = {loc: _faker(f"faker.providers.address.{loc}", "city_names") for loc in ("uk_UA", "ru_RU")}
    countries = {loc: _faker(f"faker.providers.address.{loc}", "countries") for loc in ("uk_UA", "ru_RU")}
    given = {
        loc: _faker(f"faker.providers.person.{loc}", "first_names") for loc in ("ru_RU", "uk_UA", "bg_BG", "mk_MK")
    }
    return {
        "machine": machine(),
        "faker": faker_version(),
        "sizes": sizes,
        "coverage": {
            **{f"places vs Faker {k} cities": _coverage(v, "places") for k, v in cities.items()},
            **{f"countries vs Faker {k} countries": _coverage(v, "countries") for k, v in countries.items()},
            **{
                f"given names vs Faker {k} first names (not independent)": _coverage(v, "given_names")
                for k, v in given.items()
            },
        },
    }


def markdown(payload: dict[str, Any]) -> str:
    out = [
        "# Alias tables: size and coverage",
        "",
        f"Run {payload['machine']['date']} by `python -m benchmarks.bench_aliases` (Faker {payload['faker']}).",
        "",
        "| table | entities | aliases | diminutives | languages |",
        "|---|---|---|---|---|",
        *[
            f"| {t} | {s['entities']:,} | {s['aliases']:,} | {s['diminutives']:,} | {len(s['languages'])} |"
            for t, s in payload["sizes"].items()
        ],
        "",
        "| coverage of | names | found | share |",
        "|---|---|---|---|",
        *[f"| {k} | {c['names']:,} | {c['covered']:,} | {c['share']:.1%} |" for k, c in payload["coverage"].items()],
        "",
    ]
    return "\n".join(out)


def main() -> None:
    payload = report()
    write("aliases", payload, markdown(payload))
    print(markdown(payload))


if __name__ == "__main__":
    main()
