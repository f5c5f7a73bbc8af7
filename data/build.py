"""Build the curated alias tables: check the edited sources and write what ships.

    python data/build.py            # data/aliases/*.yml -> src/namematch/data/aliases/*.json
                                    #   and their keys -> src/namematch/data/alias_index.json
    python data/build.py --check    # fail (exit 1) when the shipped files are stale or a table is invalid

The edited sources are YAML, for people; the package reads only the generated JSON, so it needs
no YAML parser at run time. The format is documented in data/aliases/README.md and enforced here,
in one place: an unknown key, a missing source, a bad language code or an alias that names two
entities of one kind without being marked ambiguous fails the build. Output is normalised (NFC,
trimmed, entities sorted by id, aliases deduplicated and sorted), so a rebuild of unchanged data
gives the same bytes.

The index of the aliases' keys (``alias_index.json``) is computed by namematch itself, from the
tables as shipped; rerun the build after changing the code that makes the keys (the index's
fingerprint lists it: ``namematch.aliases._KEY_SOURCES``), or the package computes them at run time,
which is correct but costs about two seconds a process.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "aliases"
OUTPUT = ROOT / "src" / "namematch" / "data" / "aliases"
INDEX = ROOT / "src" / "namematch" / "data" / "alias_index.json"

TABLES = {
    "places": {"capital", "city", "town", "oblast", "region", "raion", "district", "republic", "autonomy"},
    "countries": {"country", "territory"},
    "given_names": {"given_name"},
    "organisations": {"legal_form", "state_body", "organisation"},
}
ALIAS_TYPES = {
    "official", "romanisation", "exonym", "historical", "press", "abbreviation", "code",
    "equivalent", "variant",
}  # fmt: skip
# ISO 639-1 codes the tables may use; "und" for a form with no one language (codes, Latin names).
LANGS = {
    "en", "ru", "uk", "be", "bg", "sr", "mk", "kk", "pl", "de", "fr", "cs", "sk", "lt", "lv", "et",
    "ro", "ka", "hy", "az", "tr", "hu", "fi", "sv", "it", "es", "pt", "nl", "el", "he", "ky", "uz",
    "tg", "tk", "mn", "crh", "rue", "hr", "bs", "sl", "sq", "is", "la", "yi", "und",
}  # fmt: skip
_TOP = {"table", "about", "sources", "entities"}
_SOURCE = {"name", "url", "licence", "retrieved"}
_ENTITY = {"id", "kind", "name", "country", "source", "ambiguous", "aliases", "diminutives", "notes"}
_ALIAS = {"name", "lang", "type", "years", "source"}


class TableError(ValueError):
    """A table that does not follow the format."""


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TableError(f"{where}: expected a non-empty string, got {value!r}")
    text = unicodedata.normalize("NFC", " ".join(value.split()))
    return text


def _keys(data: Any, allowed: set[str], required: set[str], where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise TableError(f"{where}: expected a mapping")
    unknown = set(data) - allowed
    if unknown:
        raise TableError(f"{where}: unknown keys {sorted(unknown)}; allowed {sorted(allowed)}")
    missing = required - set(data)
    if missing:
        raise TableError(f"{where}: missing keys {sorted(missing)}")
    return data


def _alias(raw: Any, where: str, sources: dict[str, Any], default_source: str, table: str) -> dict[str, Any]:
    if isinstance(raw, str):  # shorthand for a name of no particular type
        raw = {"name": raw, "lang": "und", "type": "variant"}
    data = _keys(raw, _ALIAS, {"name", "lang"}, where)
    out: dict[str, Any] = {"name": _text(data["name"], where), "lang": data["lang"]}
    if out["lang"] not in LANGS:
        raise TableError(f"{where}: language {out['lang']!r} is not one of {sorted(LANGS)}")
    kind = data.get("type", "equivalent" if table == "given_names" else "variant")
    if kind not in ALIAS_TYPES:
        raise TableError(f"{where}: type {kind!r} is not one of {sorted(ALIAS_TYPES)}")
    out["type"] = kind
    if "years" in data:
        out["years"] = _text(str(data["years"]), where)
    source = data.get("source", default_source)
    if source not in sources:
        raise TableError(f"{where}: source {source!r} is not declared under 'sources'")
    out["source"] = source
    return out


def load_table(path: Path) -> dict[str, Any]:
    """Parse and check one edited table; return its normalised form."""
    import yaml  # build time only: the package itself reads the generated JSON

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = path.name
    data = _keys(raw, _TOP, _TOP, where)
    table = data["table"]
    if table not in TABLES or path.stem != table:
        raise TableError(f"{where}: table must be one of {sorted(TABLES)} and match the file name")
    sources: dict[str, Any] = {}
    for key, source in (data["sources"] or {}).items():
        checked = _keys(source, _SOURCE, _SOURCE, f"{where}: source {key}")
        sources[key] = {k: _text(str(v), f"{where}: source {key}.{k}") for k, v in checked.items()}
    entities: dict[str, dict[str, Any]] = {}
    for i, raw_entity in enumerate(data["entities"] or []):
        here = f"{where}: entity {i}"
        entity = _keys(raw_entity, _ENTITY, {"id", "kind", "name", "source", "aliases"}, here)
        eid = _text(str(entity["id"]), here)
        here = f"{where}: {eid}"
        if eid in entities:
            raise TableError(f"{here}: duplicate id")
        if entity["kind"] not in TABLES[table]:
            raise TableError(f"{here}: kind {entity['kind']!r} is not one of {sorted(TABLES[table])}")
        if entity["source"] not in sources:
            raise TableError(f"{here}: source {entity['source']!r} is not declared")
        out: dict[str, Any] = {"id": eid, "kind": entity["kind"], "name": _text(entity["name"], here)}
        if "country" in entity:
            country = _text(str(entity["country"]), here)
            if len(country) != 2 or not country.isupper():
                raise TableError(f"{here}: country must be an ISO 3166-1 alpha-2 code, got {country!r}")
            out["country"] = country
        if entity.get("ambiguous"):
            out["ambiguous"] = True
        if "notes" in entity:
            out["notes"] = _text(str(entity["notes"]), here)
        for field in ("aliases", "diminutives"):
            if field == "diminutives" and field not in entity:
                continue
            if field == "diminutives" and table != "given_names":
                raise TableError(f"{here}: only given names have diminutives")
            items = [
                _alias(a, f"{here}: {field}[{k}]", sources, entity["source"], table)
                for k, a in enumerate(entity[field] or [])
            ]
            if field == "aliases":
                items.append(
                    {
                        "name": out["name"],
                        "lang": "en",
                        "type": "official" if table != "given_names" else "equivalent",
                        "source": entity["source"],
                    }
                )
            unique = {(a["name"], a["lang"], a["type"]): a for a in items}
            out[field] = sorted(unique.values(), key=lambda a: (a["lang"], a["type"], a["name"]))
        entities[eid] = out
    return {
        "generated": f"by data/build.py from data/aliases/{path.name}; edit that file, not this one",
        "table": table,
        "about": _text(data["about"], where),
        "sources": dict(sorted(sources.items())),
        "entities": [entities[k] for k in sorted(entities)],
    }


def render(table: dict[str, Any]) -> str:
    """JSON with one entity a line: compact, and a change to one entity is a one-line diff."""
    head = {k: v for k, v in table.items() if k != "entities"}
    lines = json.dumps(head, ensure_ascii=False, indent=1)[:-2].rstrip("\n")
    body = ",\n".join("  " + json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in table["entities"])
    return f'{lines},\n "entities": [\n{body}\n ]\n}}\n'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail if the shipped files are stale")
    args = parser.parse_args(argv)
    stale = []
    expected = set()
    for path in sorted(SOURCES.glob("*.yml")):
        try:
            table = load_table(path)
        except TableError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        target = OUTPUT / f"{path.stem}.json"
        expected.add(target.name)
        text = render(table)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            stale.append(target.name)
            if not args.check:
                OUTPUT.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        print(
            f"{path.name}: {len(table['entities'])} entities, "
            f"{sum(len(e['aliases']) for e in table['entities'])} aliases",
            file=sys.stderr,
        )
    extra = {p.name for p in OUTPUT.glob("*.json")} - expected if OUTPUT.exists() else set()
    if args.check and (stale or extra):
        print(
            f"error: shipped alias tables are stale: {sorted(stale) + sorted(extra)}; run python data/build.py",
            file=sys.stderr,
        )
        return 1
    for name in extra:
        (OUTPUT / name).unlink()
    return _build_index(check=args.check)


def _build_index(*, check: bool) -> int:
    """Write (or, with *check*, compare) the index of the shipped tables' alias keys."""
    sys.path.insert(0, str(ROOT / "src"))
    from namematch import aliases

    aliases.reset()
    text = json.dumps(aliases.index_document(), ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    current = INDEX.read_text(encoding="utf-8") if INDEX.exists() else None
    if current == text:
        return 0
    if check:
        print(f"error: {INDEX.name} is stale; run python data/build.py", file=sys.stderr)
        return 1
    INDEX.write_text(text, encoding="utf-8")
    print(f"{INDEX.name}: written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
