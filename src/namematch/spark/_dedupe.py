"""``dedupe`` on Spark: the local engine's pipeline (:mod:`namematch.dedupe`) as Spark jobs.

Stages, each materialised once (``Materialiser``) so that no Python UDF runs twice:

1. **Items**: the distinct names (with their ``same`` values), each numbered by its first row (the
   row id is ``monotonically_increasing_id`` of the input, which follows the DataFrame's order), and
   analysed once in an Arrow batch UDF: :func:`~namematch.prepare`, alias ids and
   :func:`~namematch.dedupe.blocking.blocking_keys`, as the local engine does.
2. **Blocks**: the keys exploded, one row per (block, member), joined with the block sizes. A block
   of 2 to ``max_block`` members gives its pairs by a self-join (tier 0 only the pairs holding a name
   whose finest tier is 0, but all pairs of an alias-table entity's block); an oversized alias-table
   block pairs each member with its first item; an oversized block is ordered by
   (``window_spelling``, item) with a window function, and each of its stranded members (finest
   tier here and in no usable block) is joined with the members within ``window`` positions. The
   rules are those of :func:`namematch.dedupe.blocking.candidate_pairs`, rule for rule.
3. **Scores**: the distinct pairs, each assigned to one block that proposes it, are repartitioned
   and sorted by that block, so that consecutive pairs share names, and scored by a pandas UDF with
   the local engine's pair score (1.0 for two spellings of one alias-table entity, else
   :func:`~namematch.match.score.spelling_score`, computed for a whole Arrow batch at once by the
   vectorised :func:`namematch.match.batch.score_pairs`, as the local engine does); a worker
   analyses a name once and keeps it in a bounded memo while the pairs around it are scored.
4. **Components** of the pairs at or above the threshold, by label propagation in Spark
   (:func:`namematch.spark._graph.components`). A component of two names is one cluster; a larger
   one is packed into one row (its names and every scored pair inside it) and handed to
   :func:`namematch.dedupe.cluster.cluster`, the local engine's guarded linkage, with its items
   renumbered in order: merges never cross components, and the tie-breaks follow item order, so the
   clusters are the local engine's.
5. **Labels**: each cluster is named by its first row, numbered densely in that order
   (:func:`namematch.spark._graph.dense_ids`), and the clusters of more than one row get their
   canonical name from the local engine's own choice of representative.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from functools import reduce
from typing import Any

import pandas as pd
import pyarrow as pa
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.pandas.functions import pandas_udf as _pandas_udf
from pyspark.sql.types import ArrayType, IntegerType, StringType, StructType

from namematch.dedupe.blocking import MAX_BLOCK, WINDOW, blocking_keys, window_spelling
from namematch.dedupe.cluster import cluster
from namematch.dedupe.core import _representative, check_options
from namematch.dedupe.records import name_of
from namematch.errors import NamematchError
from namematch.match.normalize import Kind
from namematch.match.prepared import Prepared, prepare
from namematch.match.score import Gender, contradicts, entity_ids, is_listed, spelling_score
from namematch.spark._graph import LOG, Materialiser, components, dense_ids

# pyspark's stubs type only the deprecated ``functionType=`` form; the UDF's kind is read from its
# type hints (the current form), which the stubs' overloads do not cover.
pandas_udf: Any = _pandas_udf

__all__ = ["OUTPUT_COLUMNS", "dedupe"]

#: The columns :func:`dedupe` adds to the input rows.
OUTPUT_COLUMNS = ("cluster_id", "cluster_size", "canonical_name")

# Internal columns; the prefix keeps them apart from the caller's.
ROW, NAME, ITEM, COUNT = "__nm_row", "__nm_name", "__nm_item", "__nm_count"
SPELLING, FINEST, KEYS, BLOCK, TIER, SIZE = (
    "__nm_spelling",
    "__nm_finest",
    "__nm_keys",
    "__nm_block",
    "__nm_tier",
    "__nm_size",
)
LO, HI, LO_NAME, HI_NAME, OWNER, SCORE = (
    "__nm_lo",
    "__nm_hi",
    "__nm_lo_name",
    "__nm_hi_name",
    "__nm_owner",
    "__nm_score",
)
COMP, ROOT, POS, TARGET, STRANDED = "__nm_comp", "__nm_root", "__nm_pos", "__nm_target", "__nm_stranded"
ENTITY = "__nm_entity"


def _same_column(i: int) -> str:
    return f"__nm_same{i}"


# ----------------------------------------------------------- what the local engine does per name and pair

# A worker's memo of analysed names: the pairs of one block share their names, and a worker scores
# a block's pairs one after the other. Bounded, emptied when full (as namematch's own memo is).
_ANALYSED: dict[tuple[str, str], tuple[Prepared, frozenset[str]]] = {}
_MEMO_SIZE = 1 << 16


def _analysed(text: str, kind: Kind) -> tuple[Prepared, frozenset[str]]:
    """The prepared name and its alias-table entities, as the local engine analyses each name."""
    key = (text, kind)
    found = _ANALYSED.get(key)
    if found is None:
        p = prepare(text, kind=kind)
        found = (p, entity_ids(p, kind))
        if len(_ANALYSED) >= _MEMO_SIZE:
            _ANALYSED.clear()
        _ANALYSED[key] = found
    return found


def _pair_score(a: str, b: str, kind: Kind, gender: Gender) -> float:
    """The local engine's score of a pair (``score_pair`` in :func:`namematch.dedupe`): 1.0 for two
    spellings of one alias-table entity, the spelling score otherwise. *a* is the earlier name."""
    pa, aliases_a = _analysed(a, kind)
    pb, aliases_b = _analysed(b, kind)
    if aliases_a and not aliases_a.isdisjoint(aliases_b):
        return 1.0
    return spelling_score(pa, pb, gender)


def _different(a: str, b: str, kind: Kind, gender: Gender) -> bool:
    """The local engine's evidence of two entities (``different`` in :func:`namematch.dedupe`)."""
    pa, aliases_a = _analysed(a, kind)
    pb, aliases_b = _analysed(b, kind)
    if aliases_a and not aliases_a.isdisjoint(aliases_b):
        return False
    return gender == "strict" and contradicts(pa, pb)


# --------------------------------------------------------------------------- Python stages (Arrow batches)


def _analyse(kind: Kind, same: int) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """Per item: the spelling that orders an oversized block, the finest tier with keys (-1 for
    none) and the blocking keys, each written ``<tier><same values>\\x1f<key>`` as the local engine
    prefixes them. Names that are blank drop out: their rows stand alone."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            names = batch.column(NAME).to_pylist()
            sames = [batch.column(_same_column(i)).to_pylist() for i in range(same)]
            usable: list[bool] = []
            spellings: list[str] = []
            finest: list[int] = []
            keys: list[list[str]] = []
            for row, text in enumerate(names):
                if name_of(text) is None:
                    usable.append(False)
                    continue
                usable.append(True)
                p, aliases = _analysed(text, kind)
                tiers = blocking_keys(p, sorted(aliases))
                prefix = repr(tuple(s[row] for s in sames)) + "\x1f" if same else ""
                spellings.append(window_spelling(p))
                finest.append(max((t for t, tier in enumerate(tiers) if tier), default=-1))
                keys.append([f"{t}{prefix}{k}" for t, tier in enumerate(tiers) for k in sorted(tier)])
            kept = batch.filter(pa.array(usable, pa.bool_()))
            yield pa.RecordBatch.from_arrays(
                [
                    *kept.columns,
                    pa.array(spellings, pa.string()),
                    pa.array(finest, pa.int32()),
                    pa.array(keys, pa.list_(pa.string())),
                ],
                names=[*kept.schema.names, SPELLING, FINEST, KEYS],
            )

    return run


def _scorer(kind: Kind, gender: Gender) -> Any:
    """A pandas UDF scoring pairs of names (the earlier name first) as the local engine does."""

    def score(a: pd.Series, b: pd.Series) -> pd.Series:
        left, right = a.tolist(), b.tolist()
        if gender != "strict":  # the vectorised scorer knows the default policy only
            out = [_pair_score(x, y, kind, gender) for x, y in zip(left, right, strict=True)]
            return pd.Series(out, dtype="float64", index=a.index)
        from namematch.match.batch import score_pairs

        # The batch's distinct names, analysed once (and remembered across batches).
        number: dict[str, int] = {}
        names: list[Prepared] = []
        aliases: list[frozenset[str]] = []
        for text in (*left, *right):
            if text not in number:
                number[text] = len(names)
                p, found = _analysed(text, kind)
                names.append(p)
                aliases.append(found)
        first = [number[x] for x in left]
        second = [number[y] for y in right]
        scores = score_pairs(names, first, second)
        for k, (i, j) in enumerate(zip(first, second, strict=True)):
            if aliases[i] and not aliases[i].isdisjoint(aliases[j]):
                scores[k] = 1.0
        return pd.Series(scores, dtype="float64", index=a.index)

    return pandas_udf(score, "double")


def _cluster_component(
    items: list[int],
    names: list[str],
    pairs: Sequence[tuple[int, int]],
    scores: list[float],
    threshold: float,
    kind: Kind,
    gender: Gender,
) -> list[int]:
    """The local engine's guarded linkage over one connected component: *items* sorted (the
    renumbering keeps their order, so every tie-break falls the same way), every scored pair inside
    the component; the root (smallest item of its cluster) of each item."""
    position = {item: i for i, item in enumerate(items)}
    local = [(position[a], position[b]) for a, b in pairs]

    def score(x: int, y: int) -> float:
        return _pair_score(names[x], names[y], kind, gender)

    def different(x: int, y: int) -> bool:
        return _different(names[x], names[y], kind, gender)

    listed = [is_listed(_analysed(name, kind)[1]) for name in names]
    labels, _ = cluster(len(items), local, scores, threshold, score, different, listed=listed)
    return [items[label] for label in labels]


def _linkage(
    threshold: float, kind: Kind, gender: Gender
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """Complete linkage over packed components: one row per component in, one row per item out."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            columns = batch.to_pydict()
            out_items: list[int] = []
            out_roots: list[int] = []
            for items, names, los, his, scores in zip(
                columns[ITEM], columns[NAME], columns[LO], columns[HI], columns[SCORE], strict=True
            ):
                out_items.extend(items)
                roots = _cluster_component(
                    items, names, list(zip(los, his, strict=True)), scores, threshold, kind, gender
                )
                out_roots.extend(roots)
            yield pa.RecordBatch.from_arrays(
                [pa.array(out_items, pa.int64()), pa.array(out_roots, pa.int64())], names=[ITEM, ROOT]
            )

    return run


def _canonical(kind: Kind) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """The canonical name of each cluster of more than one row, chosen by the local engine's
    ``_representative`` from the cluster's names (in order of first row) and their row counts."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            columns = batch.to_pydict()
            chosen: list[str] = []
            for names, counts in zip(columns[NAME], columns[COUNT], strict=True):
                # Only the order of the rows' items and their counts matter to the choice, so each
                # name stands for its rows, in a row order of its own.
                item_of_row = [item for item, count in enumerate(counts) for _ in range(count)]
                prepared = [_analysed(name, kind)[0] for name in names]
                rows = list(range(len(item_of_row)))
                chosen.append(_representative(rows, item_of_row, names, prepared, list(names), kind).name)
            yield pa.RecordBatch.from_arrays(
                [batch.column(ROOT), pa.array(chosen, pa.string())], names=[ROOT, "canonical_name"]
            )

    return run


# --------------------------------------------------------------------------- Spark stages


def _candidates(members: DataFrame, *, max_block: int, window: int) -> DataFrame:
    """Every candidate pair ``(LO, HI)`` with both names and one block proposing it (``OWNER``).

    *members*: one row per (block, item) with the block's tier and size, the item's finest tier,
    spelling and name.
    """

    def side(frame: DataFrame, suffix: str) -> DataFrame:
        return frame.select(
            BLOCK,
            TIER,
            F.col(ITEM).alias(ITEM + suffix),
            F.col(FINEST).alias(FINEST + suffix),
            F.col(NAME).alias(NAME + suffix),
        )

    # An alias-table entity's block (tier 0, key "@..." after any same values).
    alias = F.col(BLOCK).startswith("0@") | F.col(BLOCK).contains("\x1f@")
    usable = members.where(F.col(SIZE).between(2, max_block)).withColumn(ENTITY, alias)
    left, right = side(usable, "_a").withColumn(ENTITY, alias), side(usable, "_b").drop(TIER)
    in_blocks = (
        left.join(right, BLOCK)
        .where(
            (F.col(ITEM + "_a") < F.col(ITEM + "_b"))
            # tier 0: names of several words meet by their finer keys; a name of one word meets all
            # (an alias-table entity's block pairs all its names)
            & ((F.col(TIER) > 0) | (F.col(FINEST + "_a") == 0) | (F.col(FINEST + "_b") == 0) | F.col(ENTITY))
        )
        .select(
            F.col(ITEM + "_a").alias(LO),
            F.col(ITEM + "_b").alias(HI),
            F.col(NAME + "_a").alias(LO_NAME),
            F.col(NAME + "_b").alias(HI_NAME),
            BLOCK,
        )
    )

    # The window, for the names of an oversized block that have nothing finer and met no one yet.
    covered = (
        usable.where((F.col(TIER) > 0) | (F.col(FINEST) == 0) | F.col(ENTITY))
        .select(ITEM)
        .distinct()
        .withColumn("__nm_cov", F.lit(True))
    )
    oversized = (
        members.where(F.col(SIZE) > max_block)
        .join(covered, ITEM, "left")
        .withColumn(STRANDED, (F.col(FINEST) == F.col(TIER)) & F.col("__nm_cov").isNull())
        .drop("__nm_cov")
    )
    stranded = F.sum(F.col(STRANDED).cast("int"))
    windowed_blocks = (
        oversized.groupBy(BLOCK, TIER)
        .agg(stranded.alias("__nm_stranded_count"))
        .where((F.col("__nm_stranded_count") >= 2) | ((F.col("__nm_stranded_count") >= 1) & (F.col(TIER) == 0)))
        .select(BLOCK)
    )
    order = Window.partitionBy(BLOCK).orderBy(SPELLING, ITEM)
    ordered = oversized.join(windowed_blocks, BLOCK).withColumn(POS, F.row_number().over(order))
    reach = F.sequence(F.col(POS) - window, F.col(POS) + window)
    seekers = (
        ordered.where(F.col(STRANDED))
        .select(BLOCK, POS, ITEM, NAME, F.explode(reach).alias(TARGET))
        .where(F.col(TARGET) != F.col(POS))
    )
    targets = ordered.select(
        BLOCK, F.col(POS).alias(TARGET), F.col(ITEM).alias("__nm_other"), F.col(NAME).alias("__nm_other_name")
    )
    first = F.col(ITEM) < F.col("__nm_other")
    near = seekers.join(targets, [BLOCK, TARGET]).select(
        F.least(ITEM, "__nm_other").alias(LO),
        F.greatest(ITEM, "__nm_other").alias(HI),
        F.when(first, F.col(NAME)).otherwise(F.col("__nm_other_name")).alias(LO_NAME),
        F.when(first, F.col("__nm_other_name")).otherwise(F.col(NAME)).alias(HI_NAME),
        BLOCK,
    )
    # An oversized alias-table block: each of its names meets its first item, a star.
    starred = members.where((F.col(SIZE) > max_block) & (F.col(TIER) == 0) & alias)
    centre = "__nm_centre"
    centres = starred.groupBy(BLOCK).agg(F.min(F.struct(ITEM, NAME)).alias(centre))
    stars = (
        starred.join(centres, BLOCK)
        .where(F.col(ITEM) != F.col(f"{centre}.{ITEM}"))
        .select(
            F.col(f"{centre}.{ITEM}").alias(LO),
            F.col(ITEM).alias(HI),
            F.col(f"{centre}.{NAME}").alias(LO_NAME),
            F.col(NAME).alias(HI_NAME),
            BLOCK,
        )
    )
    # An item has one name, so any of a pair's rows gives both names (no need to compare strings).
    return (
        in_blocks.unionByName(near)
        .unionByName(stars)
        .groupBy(LO, HI)
        .agg(F.any_value(LO_NAME).alias(LO_NAME), F.any_value(HI_NAME).alias(HI_NAME), F.min(BLOCK).alias(OWNER))
    )


def dedupe(
    df: DataFrame,
    *,
    column: str,
    kind: Kind = "auto",
    threshold: float | None = None,
    gender: Gender = "strict",
    same: Sequence[str] = (),
    max_block: int = MAX_BLOCK,
    window: int = WINDOW,
    partitions: int | None = None,
) -> DataFrame:
    """Cluster the rows of the Spark DataFrame *df* that name the same entity.

    Returns *df*'s rows with ``cluster_id`` (0, 1, ... in order of each cluster's first row),
    ``cluster_size`` and ``canonical_name`` added (replacing columns of those names), in no
    particular order: the clusters, ids and canonical names :func:`namematch.dedupe` gives for the
    same rows in the same order. Row order is the DataFrame's own (what
    ``monotonically_increasing_id`` sees: file order for one file, the order of a sorted
    DataFrame); it decides only how clusters are numbered and which ties break which way, so sort
    *df* first (``df.orderBy("id")``) when that matters, and give a DataFrame whose rows do not
    change between evaluations (a file, a sorted or cached DataFrame; not a random sample).

    *column* names a string column; rows whose name is null, empty or blank get a cluster of their
    own. ``kind``, ``threshold``, ``gender``, ``same``, ``max_block`` and ``window`` are those of
    :func:`namematch.dedupe`. ``partitions`` is how many tasks the heavy stages are cut into
    (default: ``spark.sql.shuffle.partitions``); make it a few times the executor cores.

    The work is done when this returns (the intermediate results are checkpointed, see
    ``docs/spark.md``); the DataFrame returned joins the labels to *df*'s rows when it is read.
    """
    threshold = check_options(kind, gender, threshold, max_block, window)
    if isinstance(same, str):
        same = (same,)
    available = df.columns
    for wanted in (column, *same):
        if wanted not in available:
            raise NamematchError(f"no column {wanted!r}; the DataFrame has {', '.join(available)}")
    if not isinstance(df.schema[column].dataType, StringType):
        raise NamematchError(
            f"column {column!r} must hold strings, it holds {df.schema[column].dataType.simpleString()}"
        )
    spark = df.sparkSession
    if partitions is None:
        configured = spark.conf.get("spark.sql.shuffle.partitions") or ""
        partitions = int(configured) if configured.isdigit() and int(configured) > 0 else 200
    if isinstance(partitions, bool) or not isinstance(partitions, int) or partitions < 1:
        raise NamematchError(f"partitions must be a positive integer, got {partitions!r}")
    materialise = Materialiser(spark)
    same_columns = [_same_column(i) for i in range(len(same))]

    # The input is read once and kept with its row ids: the ids are where each row's labels go back
    # to, so they must not change should Spark evaluate the input a second time.
    tagged = materialise(df.drop(*OUTPUT_COLUMNS).withColumn(ROW, F.monotonically_increasing_id()), "input")
    narrow = tagged.select(
        ROW, F.col(column).alias(NAME), *(F.col(c).alias(s) for c, s in zip(same, same_columns, strict=True))
    )

    # 1. Items: distinct (name, same values), numbered by their first row, analysed once.
    items = (
        narrow.where(F.col(NAME).isNotNull())
        .groupBy(NAME, *same_columns)
        .agg(F.min(ROW).alias(ITEM), F.count(F.lit(1)).alias(COUNT))
        .repartition(partitions)
    )
    analysed_schema = (
        StructType(list(items.schema.fields))
        .add(SPELLING, StringType())
        .add(FINEST, IntegerType())
        .add(KEYS, ArrayType(StringType()))
    )
    items = materialise(items.mapInArrow(_analyse(kind, len(same)), analysed_schema), "analyse")

    # 2. Blocks and candidate pairs.
    exploded = items.select(ITEM, NAME, SPELLING, FINEST, F.explode(KEYS).alias(BLOCK)).withColumn(
        TIER, F.substring(BLOCK, 1, 1).cast("int")
    )
    members = materialise(exploded.join(exploded.groupBy(BLOCK).agg(F.count(F.lit(1)).alias(SIZE)), BLOCK), "block")
    candidates = _candidates(members, max_block=max_block, window=window)

    # 3. Scores, block by block.
    scored = materialise(
        candidates.repartition(partitions, OWNER)
        .sortWithinPartitions(OWNER, LO, HI)
        .select(LO, HI, _scorer(kind, gender)(F.col(LO_NAME), F.col(HI_NAME)).alias(SCORE)),
        "score",
    )
    if LOG.isEnabledFor(logging.INFO):
        LOG.info("%d distinct names, %d candidate pairs", items.count(), scored.count())

    # 4. Components of the matching pairs; guarded linkage inside those of three names or more.
    edges = scored.where(F.col(SCORE) >= threshold).select(F.col(LO).alias(ITEM), F.col(HI).alias(ITEM + "_b"))
    component = components(edges, materialise, src=ITEM, dst=ITEM + "_b", out=COMP)
    sizes = component.groupBy(COMP).agg(F.count(F.lit(1)).alias(SIZE))
    if LOG.isEnabledFor(logging.INFO):
        found = sizes.agg(F.count(F.lit(1)), F.max(SIZE), F.sum(SIZE)).first()
        LOG.info("%s components of matching pairs, the largest of %s names (%s names in all)", *(found or ()))
    sized = component.join(sizes, COMP)
    pairs_of = sized.where(F.col(SIZE) == 2).select(ITEM, F.col(COMP).alias(ROOT))
    larger = sized.where(F.col(SIZE) > 2).select(ITEM, COMP)
    inside = (
        scored.join(larger.select(F.col(ITEM).alias(LO), F.col(COMP).alias("__nm_comp_lo")), LO)
        .join(larger.select(F.col(ITEM).alias(HI), COMP), HI)
        .where(F.col(COMP) == F.col("__nm_comp_lo"))
        .groupBy(COMP)
        .agg(F.collect_list(F.struct(LO, HI, SCORE)).alias("__nm_pairs"))
    )
    packed = (
        larger.join(items.select(ITEM, NAME), ITEM)
        .groupBy(COMP)
        .agg(F.sort_array(F.collect_list(F.struct(ITEM, NAME))).alias("__nm_items"))
        .join(inside, COMP)
        .select(
            F.col("__nm_items." + ITEM).alias(ITEM),
            F.col("__nm_items." + NAME).alias(NAME),
            F.col("__nm_pairs." + LO).alias(LO),
            F.col("__nm_pairs." + HI).alias(HI),
            F.col("__nm_pairs." + SCORE).alias(SCORE),
        )
        .repartition(partitions)
    )
    linked = packed.mapInArrow(_linkage(threshold, kind, gender), f"{ITEM} long, {ROOT} long")
    roots = materialise(
        items.select(ITEM, NAME, COUNT, *same_columns)
        .join(pairs_of.unionByName(linked), ITEM, "left")
        .withColumn(ROOT, F.coalesce(F.col(ROOT), F.col(ITEM))),
        "cluster",
    )

    # 5. Labels: rows to clusters, clusters numbered by first row, canonical names.
    named_roots = roots.select(NAME, *same_columns, ROOT)
    if same:
        # same values compare as the local engine's tuples do: a missing value equals a missing value
        r, i = narrow.alias("__nm_r"), named_roots.alias("__nm_i")
        condition = reduce(
            lambda acc, c: acc & F.col("__nm_r." + c).eqNullSafe(F.col("__nm_i." + c)),
            same_columns,
            F.col("__nm_r." + NAME) == F.col("__nm_i." + NAME),
        )
        matched = r.join(i, condition, "left").select("__nm_r.*", "__nm_i." + ROOT)
    else:
        matched = narrow.join(named_roots, NAME, "left")
    rows = materialise(matched.select(ROW, NAME, F.coalesce(F.col(ROOT), F.col(ROW)).alias(ROOT)), "rows")
    clusters = rows.groupBy(ROOT).agg(F.count(F.lit(1)).alias(SIZE), F.min(NAME).alias(NAME))
    several = (
        roots.groupBy(ROOT)
        .agg(F.sum(COUNT).alias(SIZE), F.sort_array(F.collect_list(F.struct(ITEM, NAME, COUNT))).alias("__nm_items"))
        .where(F.col(SIZE) > 1)
        .select(ROOT, F.col("__nm_items." + NAME).alias(NAME), F.col("__nm_items." + COUNT).alias(COUNT))
        .repartition(partitions)
    )
    canonical = several.mapInArrow(_canonical(kind), f"{ROOT} long, canonical_name string")
    named = materialise(
        clusters.join(canonical, ROOT, "left").select(
            ROOT,
            F.col(SIZE).alias("cluster_size"),
            F.when(F.col(SIZE) > 1, F.col("canonical_name"))
            .otherwise(F.coalesce(F.col(NAME), F.lit("")))
            .alias("canonical_name"),
        ),
        "canonical names",
    )
    numbered = dense_ids(named, materialise, column=ROOT, out="cluster_id", partitions=partitions)
    labels = materialise(
        rows.join(numbered, ROOT).select(ROW, "cluster_id", "cluster_size", "canonical_name"), "labels"
    )
    return tagged.join(labels, ROW).drop(ROW)
