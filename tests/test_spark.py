"""namematch on Spark, in local mode: the SQL functions against the Python API, and ``dedupe`` against
the local engine (the same clusters, cluster ids and canonical names, row for row).

Needs pyspark and a Java runtime; skipped without them. One Spark session (``local[2]``) serves every
test; each dedupe is a few dozen small Spark jobs, so the tables are kept to a few thousand rows.
"""

from __future__ import annotations

import csv
import os
import random
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import namematch

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "news_entities.csv"
MISSING_EXTRA = "namematch.spark needs the 'spark' extra: pip install 'namematch[spark]'"
OUTPUT = ["cluster_id", "cluster_size", "canonical_name"]
NAMES = [
    "Евдокимов",
    "Yevdokimov",
    "Jewdokimow",
    "Evdokimoff",
    "Зеленський",
    "Zelenskyy",
    "Selenskyj",
    "Petrov",
    "Petrenko",
    "Михаил Евдокимов",
    "ООО «Ромашка»",
    "Mr. Ivan Petrov",
    "Київ",
    "",
]

# pyspark 4 warns that it does not yet support pandas 3 fully; what these tests use works with it.
pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning",
    "ignore::DeprecationWarning:pyspark",
    "ignore::ResourceWarning",
)


# --- importing (no Spark needed) --------------------------------------------------------------------


def test_import_namematch_does_not_import_pyspark() -> None:
    code = "import namematch, sys; assert 'pyspark' not in sys.modules, 'pyspark imported'"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("missing", ["pyspark", "pandas", "pyarrow"])
def test_a_missing_extra_raises_import_error_naming_it(missing: str) -> None:
    code = f"import sys; sys.modules[{missing!r}] = None; import namematch.spark"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert f"ImportError: {MISSING_EXTRA}" in done.stderr


# --- the session ------------------------------------------------------------------------------------


def _java_major(java: str) -> int:
    """The major version of a Java runtime (8 for "1.8.0_392", 17 for "17.0.15"), 0 if unknown."""
    done = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    found = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if found is None:
        return 0
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    """A local Spark session with two cores, few shuffle partitions and no UI."""
    pyspark = pytest.importorskip("pyspark", reason="needs the spark extra: pip install 'namematch[spark]'")
    # Spark runs $JAVA_HOME/bin/java when JAVA_HOME is set, else the java on PATH.
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    if java is None or not os.path.exists(java):
        pytest.skip("Spark needs a Java runtime: no java on PATH and no JAVA_HOME")
    needed = 17 if int(pyspark.__version__.split(".")[0]) >= 4 else 8
    if _java_major(java) < needed:
        pytest.skip(f"pyspark {pyspark.__version__} needs Java {needed} or newer")
    from pyspark.sql import SparkSession

    # The Python workers run this interpreter, which has namematch installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        session = (
            SparkSession.builder.master("local[2]")
            .appName("namematch-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.default.parallelism", "4")
            .config("spark.driver.memory", "1g")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def nms(spark: SparkSession) -> Any:
    """The module under test (imported once a session is known to start)."""
    import namematch.spark

    return namematch.spark


def _names_frame(spark: SparkSession, names: Sequence[str | None]) -> DataFrame:
    return spark.createDataFrame([(i, n) for i, n in enumerate(names)], "id long, name string")


# --- the SQL functions ------------------------------------------------------------------------------


def test_sql_functions_equal_the_python_api(spark: SparkSession, nms: Any) -> None:
    nms.register(spark)
    _names_frame(spark, [*NAMES, None]).createOrReplaceTempView("people")
    rows = spark.sql(
        """
        SELECT id, name, nm_transliterate(name) AS t, nm_transliterate_scheme(name, 'bgn_pcgn') AS ts,
               nm_transliterate_lang(name, 'uk') AS tl, nm_normalize(name) AS n,
               nm_normalize_kind(name, 'org') AS nk, nm_keys(name) AS k, nm_keys_kind(name, 'place') AS kk
        FROM people ORDER BY id
        """
    ).collect()
    assert len(rows) == len(NAMES) + 1
    for row in rows[:-1]:
        name = row["name"]
        assert row["t"] == namematch.transliterate(name)
        assert row["ts"] == namematch.transliterate(name, "bgn_pcgn")
        assert row["tl"] == namematch.transliterate(name, lang="uk")
        assert row["n"] == namematch.normalize(name)
        assert row["nk"] == namematch.normalize(name, kind="org")
        assert row["k"] == sorted(namematch.keys(name))
        assert row["kk"] == sorted(namematch.keys(name, kind="place"))
    # NULL in, NULL out
    assert all(rows[-1][c] is None for c in ("t", "ts", "tl", "n", "nk", "k", "kk"))


def test_sql_similarity_equals_the_python_api_for_every_pair(spark: SparkSession, nms: Any) -> None:
    nms.register(spark)
    _names_frame(spark, [*NAMES, None]).createOrReplaceTempView("people")
    rows = spark.sql(
        """
        SELECT a.name AS a, b.name AS b, nm_similarity(a.name, b.name) AS s,
               nm_similarity_kind(a.name, b.name, 'place') AS sp
        FROM people AS a CROSS JOIN people AS b
        """
    ).collect()
    assert len(rows) == (len(NAMES) + 1) ** 2
    for row in rows:
        if row["a"] is None or row["b"] is None:
            assert row["s"] is None
            assert row["sp"] is None
            continue
        assert row["s"] == namematch.similarity(row["a"], row["b"])
        assert row["sp"] == namematch.similarity(row["a"], row["b"], kind="place")


def test_the_udfs_work_in_the_dataframe_api_and_with_a_prefix(spark: SparkSession, nms: Any) -> None:
    from pyspark.sql import functions as F

    udfs = nms.register(spark, prefix="x_")
    assert sorted(udfs) == sorted("x_" + name for name in nms.FUNCTIONS)
    frame = _names_frame(spark, ["Зеленський", "Zelenskyy"])
    got = frame.select(udfs["x_keys"](F.col("name")).alias("k"), F.expr("x_transliterate(name)").alias("t")).collect()
    assert [r["k"] for r in got] == [sorted(namematch.keys("Зеленський")), sorted(namematch.keys("Zelenskyy"))]
    assert [r["t"] for r in got] == [namematch.transliterate("Зеленський"), "Zelenskyy"]
    with pytest.raises(namematch.NamematchError, match="prefix"):
        nms.register(spark, prefix="no spaces")


def test_an_unknown_scheme_fails_the_query_with_namematchs_message(spark: SparkSession, nms: Any) -> None:
    nms.register(spark)
    _names_frame(spark, ["Київ"]).createOrReplaceTempView("people")
    with pytest.raises(Exception, match="no_such_scheme"):
        spark.sql("SELECT nm_transliterate_scheme(name, 'no_such_scheme') FROM people").collect()


# --- dedupe: parity with the local engine -----------------------------------------------------------


def _read_example() -> list[dict[str, str]]:
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _variants_table(seed: int = 20261122) -> list[str | None]:
    """A few thousand mentions made from the example's names: other romanisations, capitals, swapped
    word order, initials and one-letter typos, shuffled; with null, empty and blank cells."""
    rng = random.Random(seed)
    out: list[str | None] = []
    for name in dict.fromkeys(row["name"] for row in _read_example()):
        words = name.split()
        out.append(name)
        out.extend(namematch.variants(name, limit=3) if not name.isascii() else [])
        out.append(name.upper())
        if len(words) == 2:
            out.append(f"{words[1]} {words[0]}")
            out.append(f"{words[0][0]}. {words[1]}")
        if len(name) > 5:
            at = rng.randrange(1, len(name) - 2)
            out.append(name[:at] + name[at + 1] + name[at] + name[at + 2 :])
    out = [n for n in out for _ in range(rng.choice((1, 1, 1, 2, 3)))]
    rng.shuffle(out)
    for at in range(0, len(out), 97):
        out.insert(at, rng.choice((None, "", "   ", "\t")))
    return out


def _compare(local: Any, spark_rows: list[Any], ids: list[Any]) -> None:
    """The Spark output, matched to the local result by id, is the same row for row."""
    by_id = {row["id"]: row for row in spark_rows}
    assert len(by_id) == len(spark_rows) == len(ids)
    mismatches = []
    for row, row_id in enumerate(ids):
        got = by_id[row_id]
        label = local.labels[row]
        want = (label, len(local.clusters[label]), local.representatives[label].name)
        if (got["cluster_id"], got["cluster_size"], got["canonical_name"]) != want:
            mismatches.append((row_id, got["cluster_id"], got["cluster_size"], got["canonical_name"], want))
    assert not mismatches, f"{len(mismatches)} rows differ, first: {mismatches[:5]}"


def _spark_dedupe_with_pairs(
    nms: Any, frame: DataFrame, monkeypatch: pytest.MonkeyPatch, **options: Any
) -> tuple[list[Any], dict[tuple[Any, Any], float]]:
    """``nms.dedupe(frame, **options)``'s rows, and its scored candidate pairs as ``{(id_a, id_b):
    score}`` with the ids of the first rows carrying each name (``id_a`` the earlier row), taken
    from the stages it materialises."""
    from namematch.spark import _dedupe
    from namematch.spark._graph import Materialiser

    stages: dict[str, DataFrame] = {}
    materialise = Materialiser.__call__

    def keep(self: Materialiser, stage: DataFrame, what: str) -> DataFrame:
        done = materialise(self, stage, what)
        stages.setdefault(what, done)
        return done

    monkeypatch.setattr(Materialiser, "__call__", keep)
    rows = nms.dedupe(frame, **options).collect()
    monkeypatch.undo()
    id_of = {r[_dedupe.ROW]: r["id"] for r in stages["input"].select(_dedupe.ROW, "id").collect()}
    scored = stages["score"].collect()
    pairs = {(id_of[r[_dedupe.LO]], id_of[r[_dedupe.HI]]): r[_dedupe.SCORE] for r in scored}
    assert len(pairs) == len(scored)
    return rows, pairs


def _compare_pairs(local: Any, spark_pairs: dict[tuple[Any, Any], float], ids: list[Any]) -> None:
    """The same candidate pairs as the local engine (``pairs=True``), with the same scores."""
    local_pairs = {(ids[p.row_a], ids[p.row_b]): p.score for p in local.pairs}
    assert len(local_pairs) == local.report.candidate_pairs
    assert not local_pairs.keys() - spark_pairs.keys(), "pairs only the local engine proposes"
    assert not spark_pairs.keys() - local_pairs.keys(), "pairs only Spark proposes"
    scores = [(k, local_pairs[k], spark_pairs[k]) for k in local_pairs if local_pairs[k] != spark_pairs[k]]
    assert not scores, f"{len(scores)} pairs score differently, first: {scores[:5]}"


def test_dedupe_equals_the_local_engine_on_the_example_table(spark: SparkSession, nms: Any) -> None:
    # Read from the CSV file by Spark itself: one file keeps its row order, which numbers the clusters.
    frame = spark.read.csv(str(EXAMPLE), header=True, inferSchema=False)
    out = nms.dedupe(frame, column="name")
    assert out.columns == [*frame.columns, *OUTPUT]
    rows = _read_example()
    local = namematch.dedupe(rows, column="name")
    _compare(local, out.collect(), [row["id"] for row in rows])


def test_dedupe_equals_the_local_engine_with_windows_and_missing_names(
    spark: SparkSession, nms: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = _variants_table()
    # A small block limit sends many names through oversized blocks and the sorted window.
    options: dict[str, Any] = {"max_block": 6, "window": 3}
    local = namematch.dedupe(names, pairs=True, **options)
    assert local.report.windowed_names > 50
    assert local.report.null > 0
    assert local.report.empty > 0
    assert local.report.refused_merges > 0
    assert len(names) > 2000
    out, pairs = _spark_dedupe_with_pairs(nms, _names_frame(spark, names), monkeypatch, column="name", **options)
    ids = list(range(len(names)))
    _compare_pairs(local, pairs, ids)
    _compare(local, out, ids)


@pytest.mark.parametrize("max_block", [4, 10_000])
def test_dedupe_equals_the_local_engine_on_alias_blocks(
    spark: SparkSession, nms: Any, monkeypatch: pytest.MonkeyPatch, max_block: int
) -> None:
    # Every spelling the tables know of a few cities: in blocks over the limit, each is a star;
    # under it, every pair of the block.
    from namematch.aliases import entities

    wanted = {"Kyiv", "Moscow", "Minsk"}
    names: list[str | None] = [
        a.name
        for e in entities("places")
        if e.name in wanted or wanted & {a.name for a in e.aliases}
        for a in e.aliases
    ]
    names += [row["name"] for row in _read_example()][:200]
    options: dict[str, Any] = {"max_block": max_block, "window": 2}
    local = namematch.dedupe(names, pairs=True, **options)
    assert (local.report.star_pairs > 30) == (max_block == 4)
    out, pairs = _spark_dedupe_with_pairs(nms, _names_frame(spark, names), monkeypatch, column="name", **options)
    ids = list(range(len(names)))
    _compare_pairs(local, pairs, ids)
    _compare(local, out, ids)


def test_dedupe_equals_the_local_engine_on_synthetic_entities(
    spark: SparkSession, nms: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The benchmark's table (persons with initials, typos, namesakes, relatives of the other sex;
    # places and organisations in several scripts), where an order-dependent score once made the
    # two engines differ. A block limit of 10 makes hundreds of oversized blocks and windows.
    for needed in ("faker", "iuliia", "anyascii"):
        pytest.importorskip(needed, reason="the synthetic table needs the bench extra: pip install 'namematch[bench]'")
    from benchmarks.synth_entities import generate

    names = [row.name for row in generate(4000, seed=20261122)]
    options: dict[str, Any] = {"max_block": 10, "window": 3}
    local = namematch.dedupe(names, pairs=True, **options)
    report = local.report
    assert report.oversized_blocks > 300
    assert report.windowed_blocks > 50
    assert report.windowed_names > 300
    assert report.refused_merges > 50
    assert max(len(rows) for rows in local.clusters) > 20
    out, pairs = _spark_dedupe_with_pairs(nms, _names_frame(spark, names), monkeypatch, column="name", **options)
    ids = list(range(len(names)))
    _compare_pairs(local, pairs, ids)
    _compare(local, out, ids)


def test_dedupe_with_same_equals_the_local_engine(spark: SparkSession, nms: Any) -> None:
    rows: list[dict[str, str | None]] = [dict(row) for row in _read_example()]
    for row in rows[::11]:
        row["country"] = None  # a missing value equals a missing value
    local = namematch.dedupe(rows, column="name", same=["country"], kind="auto", threshold=0.8)
    # An input column named like an output column is replaced; the others are kept as they are.
    frame = spark.createDataFrame(
        [(r["id"], r["name"], r["country"], 7) for r in rows], "id string, name string, country string, cluster_id int"
    )
    out = nms.dedupe(frame, column="name", same=["country"], threshold=0.8)
    assert out.columns == ["id", "name", "country", *OUTPUT]
    collected = out.collect()
    assert {(r["id"], r["name"], r["country"]) for r in collected} == {(r["id"], r["name"], r["country"]) for r in rows}
    _compare(local, collected, [row["id"] for row in rows])


# --- dedupe: the door -------------------------------------------------------------------------------


def test_dedupe_checks_its_arguments(spark: SparkSession, nms: Any) -> None:
    frame = spark.createDataFrame([(1, "Kyiv")], "id long, name string")
    with pytest.raises(namematch.NamematchError, match="no column 'nom'; the DataFrame has id, name"):
        nms.dedupe(frame, column="nom")
    with pytest.raises(namematch.NamematchError, match=re.escape("column 'id' must hold strings, it holds bigint")):
        nms.dedupe(frame, column="id")
    with pytest.raises(namematch.NamematchError, match="kind must be one of"):
        nms.dedupe(frame, column="name", kind="ship")
    with pytest.raises(namematch.NamematchError, match="threshold"):
        nms.dedupe(frame, column="name", threshold=1.5)
    with pytest.raises(namematch.NamematchError, match="max_block"):
        nms.dedupe(frame, column="name", max_block=0)
    with pytest.raises(namematch.NamematchError, match="window must be a positive integer"):
        nms.dedupe(frame, column="name", window=True)
    for bad in (0, -3, 2.5, "8"):
        with pytest.raises(namematch.NamematchError, match="partitions must be a positive integer"):
            nms.dedupe(frame, column="name", partitions=bad)
