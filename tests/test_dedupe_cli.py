"""``namematch dedupe``: formats, malformed rows, explain, errors; run as users run it."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parent.parent / "examples" / "news_entities.csv"


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "namematch", "dedupe", *args], input=stdin, capture_output=True, check=False
    )


def test_readme_main_job_on_the_example() -> None:
    done = _run(str(EXAMPLE), "--column", "name")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(done.stdout.decode().splitlines()))
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        original = list(csv.DictReader(handle))
    assert len(rows) == len(original)
    assert [r["id"] for r in rows] == [r["id"] for r in original]
    assert list(rows[0]) == [*original[0], "cluster_id", "cluster_size", "canonical_name"]
    summary = done.stderr.decode()
    assert "rows ->" in summary
    assert "largest clusters" in summary


def test_malformed_rows_are_reported_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(
        b'id,name\n1,Zelensky\n2,"Zelenskyy",surplus\n3\n4,\xff\xfeKyiv\n5,"multi\nline"\n6,\xd0\x97\xd0\xb5\n'
    )
    done = _run(str(path), "--column", "name", "-o", str(tmp_path / "out.csv"))
    assert done.returncode == 1
    err = done.stderr.decode()
    assert f"{path}:3:" in err  # the surplus field
    assert f"{path}:4:" in err  # too few fields
    assert f"{path}:5:" in err  # not UTF-8
    out = (tmp_path / "out.csv").read_bytes()
    assert b"\xff\xfeKyiv" in out  # carried through unchanged
    rows = list(csv.DictReader(out.decode("utf-8", "surrogateescape").splitlines()))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert rows[1]["_extra"] == "surplus"
    strict = _run(str(path), "--column", "name", "--strict")
    assert strict.returncode == 2
    assert b":3:" in strict.stderr


def test_tsv_and_jsonl_and_stdin(tmp_path: Path) -> None:
    tsv = tmp_path / "in.tsv"
    tsv.write_text("name\tcountry\nKyiv\tUA\nКиїв\tUA\n", encoding="utf-8")
    done = _run(str(tsv), "--column", "name")
    assert done.returncode == 0
    lines = done.stdout.decode().splitlines()
    assert lines[0] == "name\tcountry\tcluster_id\tcluster_size\tcanonical_name"
    assert lines[1].split("\t")[2] == lines[2].split("\t")[2] == "0"
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text('{"name": "Kiev", "n": 1}\nnot json\n[1, 2]\n{"name": "Kyiv", "n": 4}\n', encoding="utf-8")
    done = _run(str(jsonl), "--column", "name")
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert out[0]["cluster_id"] == out[3]["cluster_id"]
    assert out[1]["_raw"] == "not json"
    assert out[2]["_raw"] == "[1, 2]"
    assert b"in.jsonl:2:" in done.stderr
    piped = _run("-", "--column", "name", stdin="\ufeffname\nPetrov\nПетров\n".encode())  # with a BOM
    assert piped.returncode == 0
    assert piped.stdout.decode().splitlines()[2].endswith(",0,2,Petrov")


def test_explain_writes_every_candidate_pair(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("name\nIvanov\nIvanonv\nIvanova\n", encoding="utf-8")
    pairs = tmp_path / "pairs.csv"
    done = _run(str(src), "--column", "name", "--explain", str(pairs))
    assert done.returncode == 0
    with pairs.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["decision"] for r in rows} >= {"merged", "refused"}
    assert all(r["explanation"].startswith("'") for r in rows)


def test_parquet_round_trip(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3], "name": ["Kyiv", None, "Kiev"]}), src)
    out = tmp_path / "out.parquet"
    done = _run(str(src), "--column", "name", "-o", str(out))
    assert done.returncode == 0, done.stderr
    table = pq.read_table(out)
    assert table.column("id").to_pylist() == [1, 2, 3]
    assert table.column("cluster_id").to_pylist() == [0, 1, 0]
    assert _run(str(src), "--column", "name").returncode == 2  # not to a terminal


_PARQUET_SCRIPT = """
import sys
from namematch.dedupe.parallel import can_fork
from namematch.dedupe import tables
from namematch.dedupe.tables import read_table, write_table

tables.CHILD_READ_BYTES = 0  # a small file, read in a child all the same
table = read_table(sys.argv[1], "parquet")
assert "pyarrow" not in sys.modules  # read in a child: this process can still fork dedupe's workers
assert can_fork()
assert table.columns == ["id", "name"], table.columns
assert table.rows == [{"id": 1, "name": "Kyiv"}, {"id": 2, "name": None}, {"id": 3, "name": "Kiev"}], table.rows
write_table(table, {"cluster_id": [0, 1, 0]}, sys.argv[2], "parquet")
print("ok")
"""


def test_parquet_is_read_in_a_child_so_the_cores_stay_usable(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(pa.table({"id": pa.array([1, 2, 3], pa.int16()), "name": ["Kyiv", None, "Kiev"]}), src)
    done = subprocess.run(
        [sys.executable, "-c", _PARQUET_SCRIPT, str(src), str(out)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    written = pq.read_table(out)
    assert written.schema.field("id").type == pa.int16()  # the input's types, carried through
    assert written.column("cluster_id").to_pylist() == [0, 1, 0]
    piped = _run("-", "--format", "parquet", "--column", "name", "-o", str(out), stdin=src.read_bytes())
    assert piped.returncode == 0, piped.stderr
    assert pq.read_table(out).column("cluster_id").to_pylist() == [0, 1, 0]


def test_a_file_that_is_not_parquet_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    src = tmp_path / "in.parquet"
    src.write_text("id,name\n1,Kyiv\n", encoding="utf-8")
    done = _run(str(src), "--column", "name", "-o", str(tmp_path / "out.parquet"))
    assert done.returncode == 2
    assert b"cannot read it as Parquet" in done.stderr
    assert b"Traceback" not in done.stderr


def test_errors_exit_2(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("who\nKyiv\n", encoding="utf-8")
    done = _run(str(src), "--column", "name")
    assert done.returncode == 2
    assert b"no column 'name'" in done.stderr
    assert b"who" in done.stderr
    assert _run(str(tmp_path / "missing.csv"), "--column", "name").returncode == 2
    unknown = tmp_path / "in.xlsx"
    unknown.write_text("x", encoding="utf-8")
    done = _run(str(unknown), "--column", "name")
    assert done.returncode == 2
    assert b"--format" in done.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert _run(str(empty), "--column", "name").returncode == 2
    clash = tmp_path / "clash.csv"
    clash.write_text("name,cluster_id\nKyiv,7\n", encoding="utf-8")
    assert _run(str(clash), "--column", "name").returncode == 2
