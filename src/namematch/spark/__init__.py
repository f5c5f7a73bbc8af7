"""namematch on Apache Spark: the SQL functions, and ``dedupe`` run as Spark jobs.

:func:`register` adds namematch's functions to a Spark session, for SQL and for the DataFrame API::

    from pyspark.sql import SparkSession
    import namematch.spark

    spark = SparkSession.builder.getOrCreate()
    namematch.spark.register(spark)
    spark.sql("SELECT nm_transliterate('Київ'), nm_keys('Jewdokimow'), nm_similarity('Zelensky', 'Зеленський')")

:func:`dedupe` clusters the rows of a Spark DataFrame that name the same entity, with the pipeline
of :func:`namematch.dedupe` expressed in Spark: each distinct name is analysed once, blocks are
formed by exploding the blocking keys and joining, candidate pairs are scored in Arrow batches, the
connected components of the matching pairs are found with DataFrame joins, and guarded linkage runs
inside each component. On the same rows it gives the clusters, cluster ids and canonical names of
the local engine. See ``docs/spark.md`` for the settings that matter on a cluster.

Needs the ``spark`` extra (``pip install 'namematch[spark]'``) and a Java runtime; ``import
namematch`` never imports pyspark, and importing this module without it raises an
:class:`ImportError` naming the extra.
"""

from __future__ import annotations

_NEEDS_EXTRA = "namematch.spark needs the 'spark' extra: pip install 'namematch[spark]'"

try:
    import pandas  # noqa: F401  (pandas UDFs need it on the driver and the workers)
    import pyarrow  # noqa: F401
    import pyspark  # noqa: F401
except ImportError as exc:
    raise ImportError(_NEEDS_EXTRA, name=exc.name) from exc

from namematch.spark._dedupe import dedupe  # noqa: E402  (only once the extra is known to be there)
from namematch.spark._functions import FUNCTIONS, register  # noqa: E402

__all__ = ["FUNCTIONS", "dedupe", "register"]
