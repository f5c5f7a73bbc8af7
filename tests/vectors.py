"""The shared romanisation test vectors, kept in ``tests/data/`` so a fresh clone passes anywhere.

``tests/data/cyrillic_latin.json`` is a copy of the interscript maps' test cases (MIT licence,
Copyright Ribose; attribution and commit inside the file, see ``tests/data/README.md``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

VECTORS_FILE = Path(__file__).parent / "data" / "cyrillic_latin.json"


@cache
def systems() -> dict[str, dict[str, Any]]:
    """Every system of the vectors file, by its id."""
    data = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
    return {system["id"]: system for system in data["systems"]}
