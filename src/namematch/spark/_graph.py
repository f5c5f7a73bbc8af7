"""Distributed pieces of the Spark dedupe that are plain DataFrame work: materialising intermediate
results, connected components of a graph held as an edge table, and dense numbering."""

from __future__ import annotations

import logging
import time

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from namematch.errors import NamematchError

__all__ = ["MAX_ROUNDS", "Materialiser", "components", "dense_ids"]

LOG = logging.getLogger("namematch.spark")

#: Rounds of label propagation before giving up (real graphs of names need a handful).
MAX_ROUNDS = 100


class Materialiser:
    """Computes a DataFrame once and cuts its lineage, so that later stages reuse it instead of
    recomputing it (a Python UDF would otherwise run again for each consumer).

    With a checkpoint directory set on the SparkContext, reliable checkpoints (written there, they
    survive the loss of an executor; Spark deletes the files only with
    ``spark.cleaner.referenceTracking.cleanCheckpoints``); otherwise local checkpoints (kept by the
    executors in memory and on disk, freed by Spark's context cleaner once nothing refers to them).
    """

    def __init__(self, spark: SparkSession) -> None:
        self._reliable = bool(spark.sparkContext.getCheckpointDir())
        #: seconds spent computing each stage, by name
        self.seconds: dict[str, float] = {}

    def __call__(self, frame: DataFrame, what: str) -> DataFrame:
        """*frame*, computed now; the time it took is logged (``namematch.spark``, INFO) as *what*."""
        clock = time.perf_counter()
        done = frame.checkpoint(eager=True) if self._reliable else frame.localCheckpoint(eager=True)
        seconds = time.perf_counter() - clock
        self.seconds[what] = self.seconds.get(what, 0.0) + seconds
        LOG.info("%s: %.1f s", what, seconds)
        return _without_estimates(done)


def _without_estimates(frame: DataFrame) -> DataFrame:
    """*frame* (checkpointed) as a new DataFrame over the same rows that carries no size estimate.

    A checkpointed DataFrame keeps the optimizer's size estimate of the plan it came from, and a
    join's estimate is the product of its sides' (SPARK-39834): joined and checkpointed round after
    round, the estimates square each round until planning one takes minutes and the driver runs out
    of memory computing them. Rebuilt from its rows, a DataFrame starts from the default estimate
    again; Spark's adaptive execution still plans each join from the real sizes at run time. Only
    classic Spark exposes the rows this way (Spark Connect keeps the DataFrame as it is).
    """
    jdf = getattr(frame, "_jdf", None)
    session = frame.sparkSession
    jsession = getattr(session, "_jsparkSession", None)
    if jdf is None or jsession is None:
        return frame
    return DataFrame(jsession.createDataFrame(jdf.rdd(), jdf.schema()), session)


def components(edges: DataFrame, materialise: Materialiser, *, src: str, dst: str, out: str) -> DataFrame:
    """The connected components of the undirected graph *edges* (columns *src*, *dst*, item ids of
    type long): one row per vertex that has an edge, with its component's smallest vertex in *out*.

    Label propagation with hooking and pointer jumping, a few joins a round: across every edge
    whose ends carry different labels, the larger label's vertex and the vertex itself take the
    smaller label (so a whole tree of labels moves at once, not one vertex), then every vertex takes
    the label of its label. Labels only decrease and always name a vertex of the component, so the
    fixpoint is the component's minimum; the rounds grow with the logarithm of the component's
    diameter, not with the diameter. Nothing is collected to the driver but one count a round.
    """
    v, label, old, near, jump, near_label = "__nm_v", "__nm_label", "__nm_old", "__nm_near", "__nm_jump", "__nm_nl"
    both = materialise(
        edges.select(F.col(src).alias(v), F.col(dst).alias(near))
        .unionByName(edges.select(F.col(dst).alias(v), F.col(src).alias(near)))
        .distinct(),
        "components",
    )
    current = materialise(
        both.groupBy(v).agg(F.min(near).alias(jump)).select(v, F.least(v, jump).alias(label)), "components"
    )
    for _ in range(MAX_ROUNDS):
        labels = current.select(v, label)
        across = (
            both.join(labels, v)
            .join(labels.select(F.col(v).alias(near), F.col(label).alias(near_label)), near)
            .where(F.col(near_label) < F.col(label))
        )
        offers = (
            across.select(v, near_label)
            .unionByName(across.select(F.col(label).alias(v), near_label))
            .groupBy(v)
            .agg(F.min(near_label).alias(jump))
        )
        stepped = labels.join(offers, v, "left").select(
            v, F.col(label).alias(old), F.least(F.col(label), F.coalesce(F.col(jump), F.col(label))).alias(label)
        )
        hop = stepped.select(F.col(v).alias(jump), F.col(label).alias(near))
        jumped = materialise(
            stepped.join(hop, F.col(label) == F.col(jump)).select(v, old, F.col(near).alias(label)), "components"
        )
        current = jumped
        clock = time.perf_counter()
        changed = jumped.where(F.col(old) != F.col(label)).limit(1).count()
        materialise.seconds["components"] += time.perf_counter() - clock
        LOG.debug("components: a round, labels changed: %s", bool(changed))
        if not changed:
            return current.select(F.col(v).alias(src), F.col(label).alias(out))
    raise NamematchError(f"connected components did not converge in {MAX_ROUNDS} rounds")


def dense_ids(frame: DataFrame, materialise: Materialiser, *, column: str, out: str, partitions: int) -> DataFrame:
    """*frame* (distinct values of the long *column*) with *out*: 0, 1, ... in the order of *column*.

    A global rank without moving every row to one partition: range-partition, count each
    partition (the only numbers collected to the driver), and number within each partition from
    its offset.
    """
    pid, offset = "__nm_pid", "__nm_offset"
    parted = materialise(
        frame.repartitionByRange(partitions, column).withColumn(pid, F.spark_partition_id()), "cluster ids"
    )
    counts = {row[pid]: row["count"] for row in parted.groupBy(pid).count().collect()}
    offsets, total = [], 0
    for number in sorted(counts):
        offsets.append((number, total))
        total += counts[number]
    spark = frame.sparkSession
    starts = spark.createDataFrame(offsets, f"{pid} int, {offset} long")
    within = Window.partitionBy(pid).orderBy(column)
    return (
        parted.join(F.broadcast(starts), pid)
        .withColumn(out, F.col(offset) + F.row_number().over(within) - 1)
        .drop(pid, offset)
    )
