"""The README cannot drift: its scheme table is what `namematch schemes --markdown` prints.

(Its code examples run as doctests: pytest is configured with --doctest-glob=README.md.)
Run ``python -m tests.test_readme`` to rewrite the table after adding a scheme.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from namematch.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- schemes:start -->\n)(.*?)(<!-- schemes:end -->)", re.S)
ALIASES = re.compile(r"(<!-- aliases:start -->\n)(.*?)(<!-- aliases:end -->)", re.S)


def generated_table() -> str:
    buffer = io.BytesIO()
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8")
    with contextlib.redirect_stdout(wrapper):
        main(["schemes", "--markdown"])
    wrapper.flush()
    return buffer.getvalue().decode("utf-8")


def alias_counts() -> str:
    from namematch.aliases import TABLES, entities

    lines = ["| table | entities | aliases | diminutives | languages |", "|---|---|---|---|---|"]
    for table in TABLES:
        rows = entities(table)
        langs = {a.lang for e in rows for a in e.aliases} - {"und"}
        dims = sum(len(e.diminutives) for e in rows)
        lines.append(f"| {table} | {len(rows):,} | {sum(len(e.aliases) for e in rows):,} | {dims:,} | {len(langs)} |")
    return "\n".join(lines) + "\n"


def test_readme_alias_counts_are_current() -> None:
    found = ALIASES.search(README.read_text(encoding="utf-8"))
    assert found is not None
    assert found.group(2) == alias_counts(), "run: python -m tests.test_readme"


def test_readme_scheme_table_is_current() -> None:
    found = BLOCK.search(README.read_text(encoding="utf-8"))
    assert found is not None
    assert found.group(2) == generated_table(), "run: python -m tests.test_readme"


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    text = BLOCK.sub(lambda m: m.group(1) + generated_table() + m.group(3), text)
    text = ALIASES.sub(lambda m: m.group(1) + alias_counts() + m.group(3), text)
    README.write_text(text, encoding="utf-8")
