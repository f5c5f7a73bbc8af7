"""The command line: streaming, composition, errors reported with their place."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from namematch.cli import main


def run(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "namematch", *args], input=stdin, capture_output=True, check=False)


def test_translit_reads_stdin_and_writes_stdout() -> None:
    done = run(["translit", "--lang", "uk"], "Київ\nЗеленський\n".encode())
    assert done.returncode == 0
    assert done.stdout.decode() == "Kyiv\nZelenskyi\n"


def test_translit_scheme_and_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("Михаил Евдокимов\n", encoding="utf-8")
    second.write_text("Щука\r\n", encoding="utf-8")
    done = run(["translit", "--scheme", "bgn_pcgn", str(first), str(second)])
    assert done.stdout.decode() == "Mikhail Yevdokimov\nShchuka\n"


def test_variants_are_tab_separated_after_the_line() -> None:
    done = run(["translit", "--variants", "--lang", "ru"], "Евдокимов\n".encode())
    fields = done.stdout.decode().rstrip("\n").split("\t")
    assert fields[0] == "Евдокимов"
    assert {"Evdokimov", "Yevdokimov"} <= set(fields[1:])


def test_unknown_scheme_exits_non_zero_listing_the_valid_ones() -> None:
    done = run(["translit", "--scheme", "nope"], b"x\n")
    assert done.returncode == 2
    assert b"unknown scheme 'nope'" in done.stderr
    assert b"ua-ukr-Cyrl-Latn-2010" in done.stderr
    assert done.stdout == b""


def test_invalid_utf8_is_reported_with_line_and_column_and_kept() -> None:
    done = run(["translit", "--lang", "uk"], b"\xd0\x9a\xd0\xb8\xd1\x97\xd0\xb2\nab\xffc\n")
    assert done.returncode == 1
    assert b"<stdin>:2:3: invalid UTF-8 byte 0xFF" in done.stderr
    assert done.stdout == b"Kyiv\nab\xffc\n"


def test_broken_pipe_exits_quietly() -> None:
    script = f"{sys.executable} -m namematch translit --lang uk | head -n 1"
    lines = "Київ\n" * 200_000
    done = subprocess.run(["bash", "-c", script], input=lines.encode(), capture_output=True, check=False)
    assert done.stdout == b"Kyiv\n"
    assert done.stderr == b""


def test_detect_command() -> None:
    done = run(["detect"], "Київ\nМосква\n".encode())
    assert done.stdout.decode() == "uk\tКиїв\n-\tМосква\n"


def test_schemes_lists_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemes", "--lang", "uk", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ids = {row["id"] for row in rows}
    assert "ua-ukr-Cyrl-Latn-2010" in ids
    assert all(row["language"] == "uk" for row in rows)
    assert [row["id"] for row in rows if row["default"]] == ["ua-ukr-Cyrl-Latn-2010"]
    assert {"id", "language", "name", "authority", "year", "source_url", "licence", "aliases"} <= set(rows[0])


def test_schemes_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemes"]) == 0
    out = capsys.readouterr().out
    assert "* ua-ukr-Cyrl-Latn-2010" in out


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    done = run(["translit", str(tmp_path / "missing.txt")])
    assert done.returncode == 2
    assert b"missing.txt" in done.stderr


def test_usage_errors_exit_2() -> None:
    assert run(["translit", "--scheme", "a", "--lang", "uk"]).returncode == 2
    assert run([]).returncode == 2
