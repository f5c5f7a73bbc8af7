"""The built wheel carries the data the library reads (schemes, languages) and the typing marker."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (built,) = out.glob("namematch-*.whl")
    return zipfile.ZipFile(built)


def test_wheel_has_every_scheme_and_the_language_table(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    shipped = {p.name for p in (ROOT / "src" / "namematch" / "data" / "schemes").glob("*.json")}
    assert {f"namematch/data/schemes/{name}" for name in shipped} <= names
    assert "namematch/data/languages.json" in names
    assert "namematch/data/bench/eval_pairs_small.csv" in names
    tables = {p.name for p in (ROOT / "src" / "namematch" / "data" / "aliases").glob("*.json")}
    assert {f"namematch/data/aliases/{name}" for name in tables} <= names
    assert "namematch/py.typed" in names


def test_wheel_does_not_carry_tests_or_benchmarks(wheel: zipfile.ZipFile) -> None:
    assert not [n for n in wheel.namelist() if n.startswith(("tests/", "benchmarks/"))]


def test_wheel_carries_a_current_alias_key_index(wheel: zipfile.ZipFile) -> None:
    """The stored keys are used only when their fingerprint matches the files they were made from:
    the wheel must carry the index and those files byte for byte as built, or every process that
    uses the alias tables pays about two seconds to compute the keys again."""
    import json

    from namematch import aliases

    names = set(wheel.namelist())
    assert "namematch/data/alias_index.json" in names
    stored = json.loads(wheel.read("namematch/data/alias_index.json"))
    assert stored["fingerprint"] == aliases.fingerprint()
    package = ROOT / "src" / "namematch"
    for source in aliases._KEY_SOURCES:
        path = package / source
        files = (
            sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
            if path.is_dir()
            else [path]
        )
        for file in files:
            inside = "namematch/" + file.relative_to(package).as_posix()
            assert wheel.read(inside) == file.read_bytes(), inside
