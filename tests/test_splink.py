"""namematch inside Splink: the added columns, the comparisons on both engines' SQL, a model end to end.

The end-to-end test trains two Splink models on DuckDB on the example table (437 mentions with
ground truth), one on the raw name and one on namematch's columns, by the same recipe and
threshold, and checks the direction only: namematch's columns find more of the true pairs of a
Cyrillic and a Latin mention and more of all true pairs, with a better F1.
"""

from __future__ import annotations

import csv
import importlib
import itertools
import logging
import math
import re
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "news_entities.csv"
MISSING_EXTRA = "namematch.splink needs the 'splink' extra: pip install 'namematch[splink]'"
CYRILLIC = re.compile("[\u0400-\u04ff]")


@pytest.fixture(scope="module")
def nms() -> Any:
    """namematch.splink, or a skip when the splink extra is not installed."""
    for extra in ("splink", "duckdb", "pandas", "pyarrow"):
        pytest.importorskip(extra)
    return importlib.import_module("namematch.splink")


@pytest.fixture(scope="module")
def pd() -> Any:
    return pytest.importorskip("pandas")


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )


# --------------------------------------------------------------------------- optional extra


def test_import_without_splink_names_the_extra() -> None:
    result = _run(
        """
        import sys
        sys.modules["splink"] = None  # as if it were not installed
        try:
            import namematch.splink
        except ImportError as exc:
            print(exc)
        """
    )
    assert result.stdout.strip() == MISSING_EXTRA, result.stderr


def test_import_namematch_does_not_import_splink() -> None:
    result = _run(
        """
        import sys
        import namematch
        namematch.similarity("Zelensky", "Зеленський")
        print(sorted(m for m in ("splink", "duckdb", "pandas", "namematch.splink") if m in sys.modules))
        """
    )
    assert result.stdout.strip() == "[]", result.stderr


# --------------------------------------------------------------------------- add_columns

NAMES = [
    "Михаил Евдокимов",
    "EVDOKIMOV, Mikhail Nikolaevich",
    "M. Evdokimov",
    "Jewdokimow Michał",
    "Ivanov Ivan",
    "Иванова Мария",
    "Kiev",
    "Київ",
    "ПАО «Газпром»",
    None,
    "",
    "   ",
    "Mykhailo Zelenskyi",
]


def _frame(pd: Any) -> Any:
    values: list[object] = [*NAMES, float("nan"), 42]
    return pd.DataFrame({"name": values, "other": range(len(values))}, index=[f"r{i}" for i in range(len(values))])


def test_add_columns_adds_every_column_in_order_and_leaves_the_input_alone(nms: Any, pd: Any) -> None:
    frame = _frame(pd)
    before = frame.copy()
    out = nms.add_columns(frame, column="name")
    pd.testing.assert_frame_equal(frame, before)
    assert list(out.columns) == ["name", "other", *(f"nm_{c.name}" for c in nms.COLUMNS)]
    assert list(out.index) == list(frame.index)
    pd.testing.assert_frame_equal(out[["name", "other"]], frame)
    assert len(out) == len(frame)


def test_rows_without_a_name_get_nulls(nms: Any, pd: Any) -> None:
    out = nms.add_columns(_frame(pd), column="name")
    empty = [NAMES.index(None), NAMES.index(""), NAMES.index("   "), len(NAMES), len(NAMES) + 1]
    for row in empty:
        assert all(pd.isna(out.iloc[row][f"nm_{c.name}"]) for c in nms.COLUMNS), out.iloc[row]
    named = [i for i in range(len(NAMES)) if i not in empty]
    assert out.iloc[named]["nm_sorted"].notna().all()
    assert all(len(out.iloc[i]["nm_keys"]) > 0 for i in named)


def test_values(nms: Any, pd: Any) -> None:
    out = nms.add_columns(_frame(pd), column="name").set_index("name", drop=False)

    def value(name: str, column: str) -> Any:
        found = out.loc[name, f"nm_{column}"]
        return found.tolist() if hasattr(found, "tolist") else found

    assert value("Михаил Евдокимов", "sorted") == "evdokimov mikhail"
    assert value("Михаил Евдокимов", "romanized") == "mikhail evdokimov"
    assert value("Михаил Евдокимов", "keys") == value("EVDOKIMOV, Mikhail Nikolaevich", "keys")
    assert set(value("Jewdokimow Michał", "keys")) & set(value("Михаил Евдокимов", "keys"))
    assert value("EVDOKIMOV, Mikhail Nikolaevich", "patronymic") == "nikolaevich"
    assert value("EVDOKIMOV, Mikhail Nikolaevich", "given") == "mikhail"
    assert pd.isna(value("Михаил Евдокимов", "patronymic"))
    # initials: the patronymic does not count, an initial does, one a word
    assert value("Ivanov Ivan", "initials") == ["i", "i"]
    assert value("M. Evdokimov", "initials") == value("Михаил Евдокимов", "initials")
    assert value("M. Evdokimov", "initials") == value("EVDOKIMOV, Mikhail Nikolaevich", "initials")
    assert value("M. Evdokimov", "given_initial") == value("Михаил Евдокимов", "given_initial") == "m"
    # given-name groups meet across languages
    groups = [set(value(n, "given_groups")) for n in ("Михаил Евдокимов", "Jewdokimow Michał", "Mykhailo Zelenskyi")]
    assert groups[0] & groups[1] & groups[2]
    # gender: one surname stem, two forms
    assert value("Ivanov Ivan", "surname_stem") == value("Иванова Мария", "surname_stem")
    assert (value("Ivanov Ivan", "gender"), value("Иванова Мария", "gender")) == ("m", "f")
    # alias tables: one entity for Kiev and Київ, an organisation for Газпром, none for a person
    assert value("Kiev", "alias_ids") == value("Київ", "alias_ids") != []
    assert value("ПАО «Газпром»", "alias_ids") != []
    assert value("ПАО «Газпром»", "kind") == "org"
    assert value("ПАО «Газпром»", "words") == 1  # the legal form does not count
    assert value("Ivanov Ivan", "alias_ids") == []
    # blocking keys: an initial meets the full given name
    assert set(value("M. Evdokimov", "block_keys")) & set(value("Михаил Евдокимов", "block_keys"))


def test_arrow_table_in_arrow_table_out(nms: Any, pd: Any) -> None:
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"id": list(range(len(NAMES))), "name": NAMES})
    out = nms.add_columns(table, column="name", prefix="x_")
    assert isinstance(out, pa.Table)
    assert out.column_names == ["id", "name", *(f"x_{c.name}" for c in nms.COLUMNS)]
    assert out.schema.field("x_keys").type == pa.list_(pa.string())
    assert out.schema.field("x_words").type == pa.int32()
    frame = nms.add_columns(pd.DataFrame({"id": list(range(len(NAMES))), "name": NAMES}), column="name", prefix="x_")
    assert out.to_pydict()["x_keys"] == [None if v is pd.NA else list(v) for v in frame["x_keys"]]


def test_docs_list_every_column(nms: Any) -> None:
    docs = (ROOT / "docs" / "splink.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `nm_(\w+)` \|", docs, flags=re.MULTILINE)
    assert listed == [c.name for c in nms.COLUMNS]


def test_add_columns_errors(nms: Any, pd: Any) -> None:
    from namematch.errors import NamematchError

    frame = pd.DataFrame({"name": ["Kyiv"], "nm_keys": [None]})
    with pytest.raises(NamematchError, match="nm_keys"):
        nms.add_columns(frame, column="name")
    assert "p_keys" in nms.add_columns(frame, column="name", prefix="p_").columns
    with pytest.raises(NamematchError, match="no column 'nom'"):
        nms.add_columns(frame, column="nom")
    with pytest.raises(NamematchError, match="kind"):
        nms.add_columns(frame, column="name", prefix="p_", kind="city")
    with pytest.raises(TypeError, match="DataFrame"):
        nms.add_columns([{"name": "Kyiv"}], column="name")


def test_workers_give_the_same_columns_and_never_fork_a_threaded_process() -> None:
    pytest.importorskip("splink")
    result = _run(
        """
        import duckdb
        import pandas as pd
        import namematch.splink as nms
        from namematch.dedupe import parallel  # the package: namematch.dedupe is also the function
        parallel.MIN_PARALLEL_NAMES = nms.MIN_PARALLEL_NAMES = 5
        names = ["Михаил Евдокимов", "M. Evdokimov", "Kiev", "Київ", None, "ООО «Ромашка»", "Ivanova"] * 3
        names += [f"Ivan Petrov{i}" for i in range(30)]
        frame = pd.DataFrame({"name": names})
        one = nms.add_columns(frame, column="name", workers=1)
        assert nms._threads() <= nms._THREADS_AT_IMPORT  # so the next call forks
        two = nms.add_columns(frame, column="name", workers=2)
        pd.testing.assert_frame_equal(one, two)
        con = duckdb.connect()
        con.sql("SELECT 42").fetchall()  # DuckDB's threads are running: forking now could hang
        assert nms._threads() > nms._THREADS_AT_IMPORT
        three = nms.add_columns(frame, column="name", workers=2)
        pd.testing.assert_frame_equal(one, three)
        print("same")
        """
    )
    assert result.stdout.strip() == "same", result.stderr


# --------------------------------------------------------------------------- settings on each engine


def test_settings_render_for_duckdb_and_spark(nms: Any) -> None:
    settings = nms.settings(unique_id_column_name="id")
    duck = settings.create_settings_dict("duckdb")
    spark = settings.create_settings_dict("spark")
    assert [c["output_column_name"] for c in duck["comparisons"]] == [
        "nm_name",
        "nm_initials",
        "nm_gender",
        "nm_patronymic",
        "nm_kind",
    ]
    duck_sql = " ".join(lv["sql_condition"] for c in duck["comparisons"] for lv in c["comparison_levels"])
    spark_sql = " ".join(lv["sql_condition"] for c in spark["comparisons"] for lv in c["comparison_levels"])
    for duckdb_only in ("jaro_winkler_similarity", "list_intersect"):
        assert duckdb_only in duck_sql
        assert duckdb_only not in spark_sql
    assert '"' not in spark_sql  # DuckDB's quotes; in Spark SQL they make a string
    assert "ARRAY_INTERSECT" in spark_sql.upper()
    rules = [r["blocking_rule"] for r in spark["blocking_rules_to_generate_predictions"]]
    assert all('"' not in r for r in rules), rules
    assert [r.get("arrays_to_explode") for r in duck["blocking_rules_to_generate_predictions"]] == [
        ["nm_block_keys"],
        ["nm_alias_ids"],
        ["nm_keys"],
    ]


def test_prefix_reaches_every_column(nms: Any) -> None:
    sql = str(nms.settings("q_").create_settings_dict("duckdb"))
    assert "q_keys" in sql
    assert "nm_" not in sql


def test_train_bounds_every_step(nms: Any) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []

    class Training:
        def __getattr__(self, name: str) -> Any:
            return lambda *args, **kwargs: calls.append((name, kwargs))

    class FakeLinker:
        training = Training()

    nms.train(FakeLinker(), max_pairs=1234)
    steps = [name for name, _ in calls]
    assert steps[0] == "estimate_probability_two_random_records_match"
    assert steps.count("estimate_parameters_using_expectation_maximisation") == len(nms.training_rules())
    bounded = [kwargs["max_pairs"] for _, kwargs in calls if "max_pairs" in kwargs]
    assert bounded == [1234] * (len(calls) - 1)  # all but the prior, which counts exact matches


# --------------------------------------------------------------------------- end to end on DuckDB


def _script(name: str) -> str:
    return "Cyrl" if CYRILLIC.search(name) else "Latn"


def _pairwise(labels: Sequence[Any], truth: Sequence[str], scripts: Sequence[str]) -> dict[str, float]:
    """Pairwise precision and recall of a clustering, overall and on true Cyrillic-Latin pairs."""
    rows = range(len(labels))
    pairs = list(itertools.combinations(rows, 2))
    predicted = {(a, b) for a, b in pairs if labels[a] == labels[b]}
    true = {(a, b) for a, b in pairs if truth[a] == truth[b]}
    cross = {(a, b) for a, b in true if scripts[a] != scripts[b]}
    found = predicted & true
    precision = len(found) / len(predicted) if predicted else 1.0
    recall = len(found) / len(true)
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if found else 0.0,
        "cross_recall": len(found & cross) / len(cross),
    }


def _raw_features(pd: Any, frame: Any) -> Any:
    """What a Splink model on the name alone sees: unidecoded, lower case, words sorted."""
    from unidecode import unidecode

    sorted_names, words, heads = [], [], []
    for name in frame["name"]:
        found = sorted(set(re.findall(r"[a-z]+", unidecode(name).lower())))
        sorted_names.append(" ".join(found) or None)
        words.append(found)
        heads.append(sorted({w[:2] for w in found}))
    return frame.assign(raw_sorted=sorted_names, raw_words=words, raw_heads=heads)


def _cluster(linker: Any, ids: Sequence[int]) -> list[Any]:
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9).as_pandas_dataframe()
    found = dict(zip(clusters["id"], clusters["cluster_id"], strict=True))
    return [found[i] for i in ids]


def test_namematch_columns_find_more_cross_script_pairs(nms: Any, pd: Any) -> None:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        frame = pd.DataFrame(list(csv.DictReader(handle)))
    frame["id"] = frame["id"].astype(int)
    truth = list(frame["entity"])
    scripts = [_script(n) for n in frame["name"]]
    ids = list(frame["id"])

    raw = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        comparisons=[
            cl.JaroWinklerAtThresholds("raw_sorted", [0.95, 0.88, 0.8]),
            cl.ArrayIntersectAtSizes("raw_words", [2, 1]),
        ],
        blocking_rules_to_generate_predictions=[block_on("raw_heads", arrays_to_explode=["raw_heads"])],
    )
    linker = Linker(DuckDBAPI().register(_raw_features(pd, frame)), raw, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match([block_on("raw_sorted")], recall=0.5)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (block_on("raw_sorted"), block_on("substr(raw_sorted, 1, 3)")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=2e6)
    alone = _pairwise(_cluster(linker, ids), truth, scripts)

    linker = Linker(
        DuckDBAPI().register(nms.add_columns(frame, column="name")),
        nms.settings(unique_id_column_name="id"),
        log_level=logging.ERROR,
    )
    nms.train(linker)
    model = linker.misc.save_model_to_json()
    with_namematch = _pairwise(_cluster(linker, ids), truth, scripts)

    assert with_namematch["cross_recall"] > alone["cross_recall"], (with_namematch, alone)
    assert with_namematch["recall"] > alone["recall"], (with_namematch, alone)
    assert with_namematch["f1"] > alone["f1"], (with_namematch, alone)
    assert not math.isnan(model["probability_two_random_records_match"])

    # the trained model, carried onto fresh settings, predicts the same
    again = Linker(
        DuckDBAPI().register(nms.add_columns(frame, column="name")),
        nms.settings(unique_id_column_name="id", model=model),
        log_level=logging.ERROR,
    )
    assert _cluster(again, ids) == _cluster(linker, ids)
    counts = Counter(_cluster(again, ids))
    assert max(counts.values()) < len(ids) / 4  # no chain swallowed the table
