"""``namematch bench`` end to end: outputs, the regression check, errors and exit statuses."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from namematch.cli import _parser

TINY = (
    "name1,name2,is_match,category,kind\n"
    "Михаил Евдокимов,Mikhail Yevdokimov,1,script,person\n"
    "Иван Петров,Ivan Petrenko,0,script,person\n"
    "Зеленський,Zelensky,1,script,person\n"
    "Олена Зеленська,Volodymyr Zelenskyi,0,script,person\n"
    "Київ,Kyiv,1,place,place\n"
    "Львів,Lutsk,0,place,place\n"
    "Ivanov Ivan,IVANOV Ivan,1,format,person\n"
    "Petrov,Petrova,0,format,person\n"
)


def bench(*args: str) -> tuple[int, str, str]:
    """Run ``namematch bench ARGS`` in this process: (status, stdout, stderr)."""
    parsed = _parser().parse_args(["bench", *args])
    out, err = io.StringIO(), io.StringIO()
    status = parsed.run(parsed, out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.csv"
    path.write_text(TINY, encoding="utf-8")
    return path


def test_end_to_end_writes_table_json_markdown_and_pairs_csv(tiny: Path, tmp_path: Path) -> None:
    out_json, out_md, out_csv = tmp_path / "r" / "r.json", tmp_path / "r.md", tmp_path / "pairs.csv"
    status, out, err = bench(
        str(tiny),
        "--strategy",
        "exact,namematch",
        "-s",
        "namematch_keys",
        "--json",
        str(out_json),
        "--markdown",
        str(out_md),
        "--pairs-csv",
        str(out_csv),
        "--speed-sample",
        "4",
        "--speed-rounds",
        "1",
        "--no-progress",
    )
    assert (status, err) == (0, "")
    assert out.startswith("tiny: 8 pairs, 4 matches")
    assert "namematch_keys" in out
    report = json.loads(out_json.read_text(encoding="utf-8"))
    assert set(report["strategies"]) == {"exact", "namematch", "namematch_keys"}
    assert report["datasets"]["tiny"]["accuracy"]["namematch"]["overall"]["pairs"] == 8
    assert "speed" in report["datasets"]["tiny"]
    assert out_md.read_text(encoding="utf-8").startswith("# namematch bench")
    with out_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 8
    assert rows[0]["name1"] == "Михаил Евдокимов"
    assert set(rows[0]) >= {"dataset", "line", "is_match", "category", "exact", "namematch", "namematch_keys"}


def test_json_to_stdout_replaces_the_table(tiny: Path) -> None:
    status, out, _ = bench(str(tiny), "-s", "exact", "--no-speed", "--json", "-")
    assert status == 0
    assert json.loads(out)["datasets"]["tiny"]["pairs"] == 8


def test_compare_exits_zero_on_identity_and_one_on_a_regression(tiny: Path, tmp_path: Path) -> None:
    reference = tmp_path / "ref.json"
    assert bench(str(tiny), "-s", "exact,namematch", "--no-speed", "-q", "--json", str(reference))[0] == 0
    status, out, _ = bench(str(tiny), "-s", "exact,namematch", "--no-speed", "-q", "--compare", str(reference))
    assert status == 0
    assert "OK: no regression" in out
    data = json.loads(reference.read_text(encoding="utf-8"))
    data["datasets"]["tiny"]["accuracy"]["namematch"]["overall"]["roc_auc"] = 1.0 + 0.5  # the new run falls short
    data["datasets"]["tiny"]["accuracy"]["namematch"]["overall"]["recall_at_precision_0.99"] = 2.0
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps(data), encoding="utf-8")
    status, out, _ = bench(str(tiny), "-s", "exact,namematch", "--no-speed", "-q", "--compare", str(crafted))
    assert status == 1
    assert "REGRESSION tiny / namematch / overall: roc_auc" in out
    assert "REGRESSION tiny / namematch / overall: recall_at_precision_0.99" in out
    assert "FAILED" in out
    status, _, _ = bench(
        str(tiny), "-s", "exact,namematch", "--no-speed", "-q", "--compare", str(crafted), "--auc-tolerance", "1",
        "--recall-tolerance", "1",
    )  # fmt: skip
    assert status == 0


def test_the_committed_small_reference_passes() -> None:
    """The CI step, in-process: the small set against its frozen reference, accuracy only."""
    reference = Path(__file__).resolve().parents[1] / "benchmarks" / "results" / "bench_reference.json"
    if not reference.exists():
        pytest.skip("no committed reference yet")
    status, out, _ = bench("eval_pairs_small", "--compare", str(reference), "--no-speed", "-q")
    assert status == 0, out


def test_list_names_strategies_and_datasets() -> None:
    status, out, _ = bench("--list")
    assert status == 0
    assert "namematch_keys" in out
    assert "eval_pairs_small" in out
    assert "module:function" in out


def test_malformed_rows_fail_or_are_reported(tiny: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(TINY + "a,b,maybe,format,person\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "namematch", "bench", str(bad), "-s", "exact", "--no-speed"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert f"{bad}:10: is_match must be 0 or 1, got 'maybe'" in done.stderr
    status, out, err = bench(str(bad), "-s", "exact", "--no-speed", "--on-error", "report")
    assert status == 0
    assert f"{bad}:10: is_match must be 0 or 1" in err
    assert "1 malformed row(s) skipped" in err
    assert "1 malformed row skipped" in out


def test_unknown_strategy_and_dataset_exit_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "namematch", "bench", "-s", "nope", "--no-speed"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "unknown strategy 'nope'" in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "namematch", "bench", "nope.csv", "--no-speed"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "not a built-in dataset" in done.stderr


def test_plots_option_writes_pngs(tiny: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    status, _, err = bench(str(tiny), "-s", "exact,namematch", "--no-speed", "-q", "--plots", str(tmp_path / "p"))
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["bench_pr_tiny.png", "bench_scores_tiny.png"]
    assert "wrote" in err


def test_plots_option_without_matplotlib_names_the_extra(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    status, out, err = bench(str(tiny), "-s", "exact", "--no-speed", "--plots", str(tmp_path / "p"))
    assert status == 2
    assert "plots need the 'plot' extra: pip install 'namematch[plot]'" in err
    assert out == ""  # it fails before the run, not after
