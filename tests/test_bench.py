"""namematch.bench: metrics, strategies, datasets, the runner, reports and the regression check."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path

import pytest

import namematch
from namematch import bench
from namematch.bench import strategies as registry
from namematch.bench.compare import compare
from namematch.bench.datasets import Dataset, DatasetError, Problems
from namematch.bench.metrics import blocking, metrics, pr_curve, roc_auc, sweep
from namematch.bench.run import _bar

ROOT = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------- metrics


def test_metrics_against_hand_computed_values() -> None:
    scores, labels = [0.9, 0.8, 0.8, 0.3], [1, 1, 0, 0]
    # pairs of (positive, negative): 0.9>0.8, 0.9>0.3, 0.8=0.8 (half), 0.8>0.3 -> 3.5 / 4
    assert roc_auc(scores, labels) == 0.875
    assert sweep(scores, labels) == [(0.9, 1, 0), (0.8, 2, 1), (0.3, 2, 2)]
    m = metrics(scores, labels, threshold=0.5)
    # average precision: recall 0.5 at precision 1, then recall 1.0 at precision 2/3
    assert m.pr_auc == pytest.approx(0.5 * 1 + 0.5 * 2 / 3)
    # F1 at 0.9: P=1, R=0.5 -> 2/3; at 0.8: P=2/3, R=1 -> 0.8; at 0.3: P=0.5, R=1 -> 2/3
    assert m.best_f1 == pytest.approx(0.8)
    assert m.best_f1_threshold == 0.8
    assert m.recall_at_precision == {0.99: 0.5, 0.999: 0.5}
    assert m.precision_at_threshold == pytest.approx(2 / 3)
    assert m.recall_at_threshold == 1.0
    assert m.f1_at_threshold == pytest.approx(0.8)
    assert (m.pairs, m.positives, m.threshold) == (4, 2, 0.5)


def test_ties_are_one_threshold() -> None:
    # Every pair tied: no order at all, whatever the labels' order in the input.
    m = metrics([0.7] * 4, [1, 0, 1, 0])
    assert m.roc_auc == 0.5
    assert sweep([0.7] * 4, [1, 0, 1, 0]) == [(0.7, 2, 2)]
    assert m.recall_at_precision[0.99] == 0.0
    assert m.best_f1 == pytest.approx(2 / 3)
    assert m.best_f1_threshold == 0.7
    # A 0/1 strategy: its one useful threshold is 1.0, never a position inside a tie.
    m = metrics([1, 1, 0, 0, 0], [1, 0, 1, 0, 0])
    assert m.roc_auc == pytest.approx((1 * 2 + 0.5 * 1 + 0.5 * 2 + 0 * 0) / 6)
    assert [t for t, _, _ in sweep([1, 1, 0, 0, 0], [1, 0, 1, 0, 0])] == [1, 0]
    assert m.recall_at_precision[0.99] == 0.0


def test_auc_equals_the_pairwise_definition_on_random_data() -> None:
    rng = random.Random(7)
    for _ in range(20):
        scores = [rng.choice([0.0, 0.25, 0.5, 0.75, 1.0]) for _ in range(40)]
        labels = [rng.randint(0, 1) for _ in range(40)]
        pos = [s for s, y in zip(scores, labels, strict=True) if y]
        neg = [s for s, y in zip(scores, labels, strict=True) if not y]
        if not pos or not neg:
            continue
        wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
        assert roc_auc(scores, labels) == pytest.approx(wins / (len(pos) * len(neg)))
        for target in (0.5, 0.8, 0.99):
            best = 0.0
            for t in set(scores):
                chosen = [y for s, y in zip(scores, labels, strict=True) if s >= t]
                if sum(chosen) / len(chosen) >= target:
                    best = max(best, sum(chosen) / len(pos))
            assert metrics(scores, labels, precisions=[target]).recall_at_precision[target] == pytest.approx(best)


def test_degenerate_groups_give_nan_not_an_error() -> None:
    m = metrics([0.1, 0.2], [1, 1], threshold=0.5)
    assert math.isnan(m.roc_auc)
    assert math.isnan(m.precision_at_threshold or 0.0)
    assert m.recall_at_threshold == 0.0
    assert m.f1_at_threshold == 0.0
    with pytest.raises(ValueError, match="3 scores but 2 labels"):
        metrics([0.1, 0.2, 0.3], [1, 0])


def test_pr_curve_and_blocking() -> None:
    assert pr_curve([1.0, 0.0], [1, 0]) == [(1.0, 1.0, 1.0), (0.0, 0.5, 1.0)]
    b = blocking([True, True, False, True, False], [1, 1, 1, 0, 0])
    assert (b.pairs, b.positives) == (5, 3)
    assert b.recall == pytest.approx(2 / 3)
    assert b.negatives_coblocked == 0.5
    assert b.as_dict()["recall"] == b.recall


def test_metric_dict_keys_are_stable() -> None:
    keys = list(metrics([1.0, 0.0], [1, 0], 0.5).as_dict())
    assert keys == [
        "pairs",
        "positives",
        "roc_auc",
        "pr_auc",
        "best_f1",
        "best_f1_threshold",
        "recall_at_precision_0.99",
        "recall_at_precision_0.999",
        "threshold",
        "precision_at_threshold",
        "recall_at_threshold",
        "f1_at_threshold",
    ]


# --------------------------------------------------------------------------- strategies

BUILTINS = {
    "exact",
    "normalised_exact",
    "unidecode_levenshtein",
    "unidecode_jaro_winkler",
    "unidecode_token_sort_ratio",
    "soundex",
    "metaphone",
    "nysiis",
    "match_rating",
    "namematch_romanised_jaro_winkler",
    "namematch",
    "namematch_keys",
    "metaphone_keys",
    "first3_keys",
}


def test_registry_has_every_builtin_and_the_rapidfuzz_peers() -> None:
    found = {s.name: s for s in bench.available()}
    assert set(found) >= BUILTINS | {"rapidfuzz_wratio", "rapidfuzz_token_set_ratio"}
    assert found["namematch"].threshold == namematch.DEFAULT_THRESHOLD
    assert {n for n, s in found.items() if s.kind == "keys"} >= {"namematch_keys", "metaphone_keys", "first3_keys"}
    assert all(found[n].threshold == 1.0 for n in ("exact", "soundex", "metaphone", "nysiis", "match_rating"))
    assert found[bench.BASELINE].kind == "score"


def test_builtin_scores() -> None:
    def score(name: str, a: str, b: str, kind: str = "auto") -> float:
        function = bench.get(name).score
        assert function is not None
        return function(a, b, kind)

    assert score("exact", "Ivan", "Ivan") == 1.0
    assert score("exact", "Ivan", "ivan") == 0.0
    assert score("normalised_exact", "IVANOV, Ivan", "ivanov ivan") == 1.0
    assert score("soundex", "Щеглова", "Shcheglova") == 1.0  # unidecode first: no Cyrillic reaches jellyfish
    assert score("metaphone", "Ivan Petrov", "Petrov Ivan") == 1.0
    assert score("namematch", "Zelensky", "Зеленський", "person") >= namematch.DEFAULT_THRESHOLD
    assert 0.0 <= score("unidecode_jaro_winkler", "Киев", "Kyiv") <= 1.0
    keys = bench.get("namematch_keys").keys
    assert keys is not None
    assert set(keys("Евдокимов", "person")) & set(keys("Jewdokimow", "person"))


def test_unknown_strategy_lists_the_valid_ones() -> None:
    with pytest.raises(bench.StrategyError, match=r"unknown strategy 'nope'.*namematch_keys"):
        bench.get("nope")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("tests.test_bench_user", "expected module:function"),
        ("no_such_module_xyz:f", "cannot import 'no_such_module_xyz'"),
        ("tests.test_bench_user:missing", "has no attribute 'missing'"),
        ("tests.test_bench_user:NOT_CALLABLE", "neither a function nor a Strategy"),
    ],
)
def test_bad_module_function_specs(spec: str, message: str) -> None:
    with pytest.raises(bench.StrategyError, match=message):
        bench.load(spec)


def test_register_and_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._registry()))
    mine = bench.Strategy("mine", "always half", lambda a, b, kind: 0.5, group="user")
    bench.register(mine)
    assert bench.get("mine") is mine
    with pytest.raises(bench.StrategyError, match="already registered"):
        bench.register(mine)
    bench.register(bench.Strategy("mine", "always one", lambda a, b, kind: 1.0), replace=True)
    assert bench.get("mine").description == "always one"
    with pytest.raises(bench.StrategyError, match="cannot hold ':'"):
        bench.register(bench.Strategy("a:b", "x", lambda a, b, kind: 1.0))


def test_a_strategy_has_exactly_one_function() -> None:
    with pytest.raises(bench.StrategyError, match="exactly one of"):
        bench.Strategy("none", "neither")
    with pytest.raises(bench.StrategyError, match="exactly one of"):
        bench.Strategy("both", "both", lambda a, b, k: 1.0, keys=lambda n, k: {n})
    with pytest.raises(bench.StrategyError, match="no threshold"):
        bench.Strategy("keys", "keys", keys=lambda n, k: {n}, threshold=0.5)


def test_peers_are_registered_only_when_their_package_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    def adapters() -> list[bench.Strategy]:
        return [bench.Strategy("ghost_peer", "never", lambda a, b, kind: 0.0, group="peer")]

    monkeypatch.setattr(registry, "_PEERS", {"no_such_module_xyz": adapters, "json": adapters})
    monkeypatch.setattr(registry, "_REGISTRY", {})
    names = {s.name for s in bench.available()}
    assert "ghost_peer" in names  # json imports
    monkeypatch.setattr(registry, "_PEERS", {"no_such_module_xyz": adapters})
    monkeypatch.setattr(registry, "_REGISTRY", {})
    names = {s.name for s in bench.available()}
    assert "ghost_peer" not in names
    assert names >= BUILTINS


# --------------------------------------------------------------------------- datasets


def _csv(tmp_path: Path, text: str, name: str = "pairs.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = (
    "name1,name2,is_match,category,kind,source\n"
    "Михаил Евдокимов,Mikhail Yevdokimov,1,script,person,x\n"
    "Иван Петров,Ivan Petrenko,0,script,person,x\n"
    "Київ,Kyiv,true,place,place,x\n"
    "Львів,Lviv,no,place,,x\n"
    '"Ivanov, Ivan",Ivan Ivanov,YES,format,person,x\n'
    "Ivanov,Ivanova,0,gender,person,x\n"
)


def test_csv_rows_stream_with_line_numbers(tmp_path: Path) -> None:
    path = _csv(tmp_path, "\ufeff" + GOOD + "\n")  # a BOM and a trailing blank line are fine
    rows = list(bench.dataset(path).rows())
    assert [r.line for r in rows] == [2, 3, 4, 5, 6, 7]
    assert [r.is_match for r in rows] == [True, False, True, False, True, False]
    assert rows[3].kind == "auto"
    assert rows[4].name1 == "Ivanov, Ivan"
    assert rows[2].category == "place"


BAD = (
    "name1,name2,is_match\n"
    "a,b,1\n"
    "a,b,maybe\n"  # 3
    ",b,0\n"  # 4
    'a,"b\nc",1\n'  # 5-6, good
    "a,b\n"  # 7
    "a,b,0\n"  # 8
)


def test_malformed_rows_fail_by_default_with_file_and_line(tmp_path: Path) -> None:
    path = _csv(tmp_path, BAD)
    with pytest.raises(DatasetError, match=r"pairs\.csv:3: is_match must be 0 or 1, got 'maybe'"):
        list(bench.dataset(path).rows())


def test_malformed_rows_are_reported_or_skipped_and_counted(tmp_path: Path) -> None:
    path = _csv(tmp_path, BAD)
    report = Problems("report")
    rows = list(bench.dataset(path).rows(report))
    assert [r.line for r in rows] == [2, 5, 8]
    assert report.count == 3
    assert [m.split(": ", 1)[0].rsplit(":", 1)[1] for m in report.messages] == ["3", "4", "7"]
    assert "empty name1" in report.messages[1]
    assert "2 fields, the header has 3" in report.messages[2]
    skip = Problems("skip")
    assert len(list(bench.dataset(path).rows(skip))) == 3
    assert (skip.count, skip.messages) == (3, [])


def test_unknown_kind_is_malformed(tmp_path: Path) -> None:
    path = _csv(tmp_path, "name1,name2,is_match,kind\na,b,1,company\n")
    with pytest.raises(DatasetError, match=r":2: kind must be one of person, place, org, auto or empty, got 'company'"):
        list(bench.dataset(path).rows())


def test_missing_columns_and_files_fail(tmp_path: Path) -> None:
    path = _csv(tmp_path, "left,right,is_match\na,b,1\n")
    with pytest.raises(DatasetError, match="missing columns name1, name2"):
        list(bench.dataset(path).rows(Problems("skip")))
    with pytest.raises(DatasetError, match="no such file, and not a built-in dataset"):
        bench.dataset(tmp_path / "nope.csv")
    with pytest.raises(DatasetError, match="empty file"):
        list(bench.dataset(_csv(tmp_path, "", "empty.csv")).rows())
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(b"name1,name2,is_match\n\xe9,b,1\n")
    with pytest.raises(DatasetError, match="not UTF-8"):
        list(bench.dataset(bad).rows())


def test_parquet_rows_and_malformed_rows(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table(
        {
            "name1": ["Київ", "Ivanov", ""],
            "name2": ["Kyiv", "Ivanova", "x"],
            "is_match": [True, False, True],
            "category": ["place", "gender", "gender"],
        }
    )
    path = tmp_path / "pairs.parquet"
    pq.write_table(table, path)
    data = bench.dataset(path)
    assert data.format == "parquet"
    assert data.estimate_rows() == 3
    problems = Problems("report")
    rows = list(data.rows(problems))
    assert [(r.name1, r.is_match, r.line) for r in rows] == [("Київ", True, 1), ("Ivanov", False, 2)]
    assert problems.messages == [f"{path}: row 3: empty name1"]


def test_parquet_without_pyarrow_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "pairs.parquet"
    path.write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ImportError, match=r"pip install 'namematch\[parquet\]'"):
        list(bench.dataset(path).rows())


def test_builtin_small_set_ships_as_an_exact_copy_of_the_benchmark_data() -> None:
    shipped = ROOT / "src" / "namematch" / "data" / "bench" / "eval_pairs_small.csv"
    assert shipped.read_bytes() == (ROOT / "benchmarks" / "data" / "eval_pairs_small.csv").read_bytes()
    small = bench.dataset("eval_pairs_small")
    assert small.path.resolve() == shipped.resolve()
    assert len(list(small.rows())) == 588
    assert bench.builtin_datasets()["eval_pairs"] == ROOT / "benchmarks" / "data" / "eval_pairs.csv"


# --------------------------------------------------------------------------- the runner and reports

TINY = (
    "name1,name2,is_match,category,kind\n"
    "Михаил Евдокимов,Mikhail Yevdokimov,1,script,person\n"
    "Иван Петров,Ivan Petrenko,0,script,person\n"
    "Зеленський,Zelensky,1,script,person\n"
    "Олена Зеленська,Volodymyr Zelenskyi,0,script,person\n"
    "Київ,Kyiv,1,place,place\n"
    "Львів,Lutsk,0,place,place\n"
    "Ivanov Ivan,IVANOV | Ivan,1,format,person\n"
    "Petrov,Petrova,0,format,person\n"
)


def test_run_scores_every_pair_with_every_strategy(tmp_path: Path) -> None:
    path = _csv(tmp_path, TINY)
    csv_out = tmp_path / "scores.csv"
    result = bench.run(
        path,
        ["exact", "namematch", "tests.test_bench_user:first_letter", "namematch_keys"],
        speed=False,
        pairs_csv=csv_out,
        worst=2,
    )
    d = result.dataset("pairs")
    assert (d.pairs, d.positives, d.skipped) == (8, 4, 0)
    assert d.categories == {"format": (2, 1), "place": (2, 1), "script": (4, 2)}
    assert d.groups() == ["overall", "format", "place", "script"]
    labels = [1, 0, 1, 0, 1, 0, 1, 0]
    own = metrics(list(d.scores["namematch"]), labels, namematch.DEFAULT_THRESHOLD)
    assert d.accuracy["namematch"]["overall"] == own
    assert d.accuracy["namematch"]["script"].pairs == 4
    assert set(d.blocking) == {"namematch_keys"}
    assert d.blocking["namematch_keys"]["overall"].recall == 1.0
    assert d.keys_per_name["namematch_keys"] > 0
    fps, fns = d.worst["namematch"]
    assert len(fps) == 2
    assert len(fns) == 2
    assert fps[0].score >= fps[1].score
    assert fns[0].score <= fns[1].score
    assert not d.speed
    rows = csv_out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == (
        "dataset,line,name1,name2,is_match,category,kind,exact,namematch,tests.test_bench_user:first_letter,namematch_keys"
    )
    assert len(rows) == 9
    assert rows[1].startswith("pairs,2,Михаил Евдокимов,Mikhail Yevdokimov,1,script,person,0,")


def test_run_is_deterministic_apart_from_timings(tmp_path: Path) -> None:
    path = _csv(tmp_path, TINY)
    chosen = ["exact", "unidecode_levenshtein", "namematch", "soundex", "first3_keys"]
    first = bench.run(path, chosen, speed_sample=4, speed_rounds=1).to_dict()
    second = bench.run(path, chosen, speed_sample=4, speed_rounds=1).to_dict()
    for report in (first, second):
        speed = report["datasets"]["pairs"].pop("speed")
        assert speed["baseline"] == bench.BASELINE
        assert speed["strategies"][bench.BASELINE]["ratio_to_baseline"] == 1.0
        assert set(speed["strategies"]) == set(chosen)
        assert all(v["pairs_per_second"] > 0 for v in speed["strategies"].values())
        report.pop("environment")
    assert first == second


def test_baseline_is_timed_even_when_not_selected(tmp_path: Path) -> None:
    result = bench.run(_csv(tmp_path, TINY), ["exact"], speed_sample=3, speed_rounds=1)
    d = result.datasets[0]
    assert set(d.speed) == {"exact", bench.BASELINE}
    assert d.baseline == bench.BASELINE
    assert [s.name for s in result.strategies] == ["exact"]


def test_a_failing_strategy_says_where(tmp_path: Path) -> None:
    path = _csv(tmp_path, TINY)
    with pytest.raises(bench.StrategyError, match=r"'tests.test_bench_user:fails' failed on .*pairs\.csv:2 .*boom"):
        bench.run(path, ["tests.test_bench_user:fails"], speed=False)
    with pytest.raises(bench.StrategyError, match="a score must be a number, got str 'high'"):
        bench.run(path, ["tests.test_bench_user:not_a_number"], speed=False)


def test_datasets_without_categories_and_with_skipped_rows(tmp_path: Path) -> None:
    path = _csv(tmp_path, "name1,name2,is_match\nIvan,Ivan,1\nIvan,Petr,0\nIvan,,1\n")
    result = bench.run(path, ["exact"], speed=False, on_error="skip")
    d = result.datasets[0]
    assert (d.pairs, d.skipped, d.categories, d.groups()) == (2, 1, {}, ["overall"])
    assert "1 malformed row skipped" in result.table()
    assert "1 malformed rows skipped" in result.to_markdown()


def test_reports(tmp_path: Path) -> None:
    path = _csv(tmp_path, TINY + "A|B,A|B,0,format,person\n")
    result = bench.run(path, ["exact", "namematch", "metaphone_keys"], speed_sample=3, speed_rounds=1)
    data = json.loads(result.to_json())
    assert data["format"] == "namematch-bench/1"
    assert data["strategies"]["namematch"]["threshold"] == namematch.DEFAULT_THRESHOLD
    pairs = data["datasets"]["pairs"]
    assert pairs["accuracy"]["exact"]["place"]["precision_at_threshold"] is None  # NaN -> null
    assert pairs["blocking"]["metaphone_keys"]["overall"]["recall"] == pytest.approx(
        result.datasets[0].blocking["metaphone_keys"]["overall"].recall, abs=1e-6
    )
    text = result.to_markdown()
    for heading in (
        "## Strategies",
        "## pairs",
        "### Scores, all pairs",
        "### ROC AUC per category",
        "### Recall at precision 0.99 per category",
        "### Blocking keys, all pairs",
        "### Speed",
        "### Worst errors",
        "#### namematch",
    ):
        assert heading in text
    assert "A\\|B" in text  # a pipe in a name does not break the table
    table = result.table()
    assert table.index("namematch") < table.index("exact")  # best first
    assert "keys strategy" in table


# --------------------------------------------------------------------------- compare


def _reference(tmp_path: Path) -> dict[str, object]:
    result = bench.run(_csv(tmp_path, TINY), ["exact", "namematch", "namematch_keys"], speed=False)
    return result.to_dict()


def test_compare_identity_passes(tmp_path: Path) -> None:
    reference = _reference(tmp_path)
    report = compare(reference, json.loads(json.dumps(reference)))
    assert report.ok
    assert report.checked > 0
    assert not report.regressions
    assert not report.improvements
    assert "OK: no regression" in report.text()


def test_compare_fails_on_a_regression_beyond_the_tolerance(tmp_path: Path) -> None:
    reference = _reference(tmp_path)
    new = json.loads(json.dumps(reference))
    overall = new["datasets"]["pairs"]["accuracy"]["namematch"]["overall"]
    overall["roc_auc"] -= 0.004  # within the default 0.005
    assert compare(reference, new).ok
    overall["roc_auc"] -= 0.002
    new["datasets"]["pairs"]["blocking"]["namematch_keys"]["overall"]["recall"] -= 0.02
    report = compare(reference, new)
    assert not report.ok
    assert [(c.strategy, c.group, c.metric) for c in report.regressions] == [
        ("namematch", "overall", "roc_auc"),
        ("namematch_keys", "overall", "recall"),
    ]
    assert report.regressions[0].delta == pytest.approx(-0.006)
    assert "REGRESSION pairs / namematch / overall: roc_auc" in report.text()
    assert compare(reference, new, auc_tolerance=0.01, recall_tolerance=0.05).ok


def test_compare_reports_missing_and_new(tmp_path: Path) -> None:
    reference = _reference(tmp_path)
    new = json.loads(json.dumps(reference))
    del new["datasets"]["pairs"]["accuracy"]["exact"]
    report = compare(reference, new)
    assert report.missing == ["pairs / exact"]
    assert not report.ok
    assert compare(reference, new, strategies=["namematch", "namematch_keys"]).ok  # a restricted run
    reference["strategies"]["exact"]["requires"] = "somepackage"  # type: ignore[index]
    assert compare(reference, new).ok  # a peer not installed here: a note
    new["datasets"]["pairs"]["accuracy"]["extra"] = {}
    new["datasets"]["pairs"]["sha256"] = "0" * 64
    notes = "\n".join(compare(reference, new).notes)
    assert "not in the reference (not compared): extra" in notes
    assert "the file differs" in notes
    assert not compare(reference, {"datasets": {}}).ok
    assert compare(reference, {"datasets": {}}, datasets=[]).ok


def test_compare_reads_a_reference_file(tmp_path: Path) -> None:
    path = tmp_path / "ref.json"
    path.write_text(json.dumps(_reference(tmp_path)), encoding="utf-8")
    assert compare(path, bench.load_reference(path)).ok
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(namematch.NamematchError, match="not a namematch bench JSON report"):
        bench.load_reference(path)


# --------------------------------------------------------------------------- extras


def test_plots_are_png_files(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from namematch.bench.plots import write_plots

    result = bench.run(_csv(tmp_path, TINY), ["exact", "soundex", "namematch", "namematch_keys"], speed=False)
    paths = write_plots(result, tmp_path / "plots")
    assert [p.name for p in paths] == ["bench_pr_pairs.png", "bench_scores_pairs.png"]
    for path in paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert path.stat().st_size > 10_000


def test_plots_without_matplotlib_name_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = bench.run(_csv(tmp_path, TINY), ["exact"], speed=False)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    from namematch.bench.plots import write_plots

    with pytest.raises(ImportError, match=r"plots need the .plot. extra: pip install .namematch\[plot\]."):
        write_plots(result, tmp_path)


def test_no_progress_bar_and_no_error_without_tqdm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    bar = _bar(True, 10, "x")
    bar.update(5)
    bar.close()
    assert type(bar).__name__ == "_NoBar"


def test_progress_bar_when_asked_and_tqdm_is_there() -> None:
    pytest.importorskip("tqdm")
    bar = _bar(True, 10, "x")
    bar.update(10)
    bar.close()
    assert type(bar).__name__ == "tqdm"
    assert type(_bar(False, 10, "x")).__name__ == "_NoBar"


def test_importing_namematch_imports_no_extra() -> None:
    code = (
        "import sys, namematch, namematch.bench, namematch.bench.plots, namematch.cli\n"
        "namematch.cli._parser()\n"
        "heavy = [m for m in ('matplotlib', 'tqdm', 'pandas', 'pyarrow') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_dataset_objects_pass_through() -> None:
    data = Dataset("x", ROOT / "benchmarks" / "data" / "eval_pairs_small.csv", "here")
    assert bench.dataset(data) is data


def test_a_run_with_a_progress_bar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    path = _csv(tmp_path, TINY)
    assert bench.dataset(path).estimate_rows() == 8
    result = bench.run(path, ["exact"], speed=False, progress=True)
    assert result.datasets[0].pairs == 8
    assert capsys.readouterr().out == ""  # the bar is on stderr only
