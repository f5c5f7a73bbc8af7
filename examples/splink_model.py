"""A Splink model with namematch's columns, on DuckDB: deduplicate the example table of news mentions.

    pip install 'namematch[splink]'
    python examples/splink_model.py                                  # examples/news_entities.csv
    python examples/splink_model.py people.csv --column name --id id -o clusters.csv

It adds namematch's columns to the table, builds Splink settings from namematch's comparisons and
blocking rules, trains the model by namematch's bounded recipe, predicts, clusters, and prints the
largest clusters (and, when the table has an ``entity`` column of ground truth, pairwise precision
and recall, overall and on the pairs of a Cyrillic and a Latin mention). No SQL is written here.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from splink import DuckDBAPI, Linker

import namematch.splink as nms

EXAMPLE = Path(__file__).with_name("news_entities.csv")


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in text)


def pairwise(labels: Sequence[Any], truth: Sequence[Any], cyrillic: Sequence[bool]) -> dict[str, float]:
    """Pairwise precision and recall of clusters against ground truth, overall and on true pairs
    of a Cyrillic and a Latin mention (counted per cluster and entity, never pair by pair)."""

    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    cells = Counter(zip(labels, truth, strict=True))
    found, predicted, actual = pairs(cells), pairs(Counter(labels)), pairs(Counter(truth))
    cyr: Counter[Any] = Counter()
    lat: Counter[Any] = Counter()
    cyr_cell: Counter[Any] = Counter()
    lat_cell: Counter[Any] = Counter()
    for label, entity, c in zip(labels, truth, cyrillic, strict=True):
        (cyr if c else lat)[entity] += 1
        (cyr_cell if c else lat_cell)[(label, entity)] += 1
    cross = sum(n * lat[e] for e, n in cyr.items())
    cross_found = sum(n * lat_cell[k] for k, n in cyr_cell.items())
    return {
        "precision": found / predicted if predicted else 1.0,
        "recall": found / actual if actual else 1.0,
        "cyrillic-latin recall": cross_found / cross if cross else 1.0,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("table", nargs="?", default=str(EXAMPLE), help="a CSV file (default: the example table)")
    parser.add_argument("--column", default="name", help="the name column (default: name)")
    parser.add_argument("--id", default="id", help="the unique id column (default: id)")
    parser.add_argument("--threshold", type=float, default=0.9, help="match probability to cluster at (0.9)")
    parser.add_argument("-o", "--output", help="write the rows with cluster_id to this CSV file")
    args = parser.parse_args(argv)

    frame = pd.read_csv(args.table)
    table = nms.add_columns(frame, column=args.column)
    linker = Linker(DuckDBAPI().register(table), nms.settings(unique_id_column_name=args.id), log_level=logging.ERROR)
    nms.train(linker)  # bounded: every training step looks at no more than max_pairs pairs
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, args.threshold)
    cluster_of = dict(clusters.as_duckdbpyrelation().select(f'"{args.id}", cluster_id').fetchall())
    labels = [cluster_of[i] for i in frame[args.id]]

    members: dict[Any, list[str]] = defaultdict(list)
    for label, name in zip(labels, frame[args.column], strict=True):
        members[label].append(str(name))
    print(f"{len(frame)} rows, {len(members)} clusters at match probability {args.threshold}", file=sys.stderr)
    for names in sorted(members.values(), key=len, reverse=True)[:10]:
        shown = sorted(set(names))
        print(f"{len(names):>3}  " + " | ".join(shown[:6]) + (" | ..." if len(shown) > 6 else ""))
    if "entity" in frame.columns:
        cyrillic = [is_cyrillic(str(n)) for n in frame[args.column]]
        scores = pairwise(labels, list(frame["entity"]), cyrillic)
        print("pairwise " + ", ".join(f"{k} {v:.3f}" for k, v in scores.items()), file=sys.stderr)
    if args.output:
        frame.assign(cluster_id=labels).to_csv(args.output, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
