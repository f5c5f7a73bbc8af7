"""``dedupe``: cluster the rows of a table that name the same entity.

The pipeline: each distinct name (with its ``same`` values) is analysed once; names are blocked
on the union of their keys (:mod:`namematch.dedupe.blocking`); candidate pairs are scored with
:func:`namematch.similarity`; clusters are formed by a guarded linkage that does not chain
(:mod:`namematch.dedupe.cluster`). Every input row gets exactly one label; rows without a usable
name get a cluster of their own and are counted. The output is deterministic.
"""

from __future__ import annotations

import gc
import pickle
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from namematch.aliases import Entity
from namematch.dedupe.blocking import (
    MAX_BLOCK,
    WINDOW,
    Blocks,
    BlockStats,
    blocking_keys,
    decode,
    window_spelling,
)
from namematch.dedupe.cluster import cluster_codes
from namematch.dedupe.parallel import (
    MIN_PARALLEL_NAMES,
    can_fork,
    default_workers,
    map_shared,
    run_aside,
    score_batches,
    why_not_fork,
)
from namematch.dedupe.records import Columns, name_of, read_columns, require_extra, status_of
from namematch.errors import NamematchError
from namematch.match.normalize import KINDS, Kind
from namematch.match.person import INITIALS
from namematch.match.prepared import LEGAL, Prepared, Word, assemble, intern_word, prepare
from namematch.match.score import (
    DEFAULT_THRESHOLD,
    Gender,
    auto_entities,
    compare,
    contradicts,
    entities_of,
    entity_ids,
    is_listed,
    spelling_score,
)
from namematch.match.wordtable import WordTable, ranks

__all__ = ["CandidatePair", "DedupeReport", "DedupeResult", "Representative", "dedupe"]


@dataclass(frozen=True)
class Representative:
    """The spelling chosen to name a cluster, the row it comes from (None for the official name
    of an alias-table entity that no row writes), and why it was chosen."""

    name: str
    row: int | None
    reason: str


@dataclass(frozen=True)
class CandidatePair:
    """Two distinct names that blocking put together, their score and what clustering made of it.

    ``rows_a``/``rows_b`` are the first input rows carrying each name; ``decision`` is ``merged``
    (this pair joined two clusters), ``same cluster`` (already together through other pairs),
    ``refused`` (a match, but merging would have put two names that do not match in one cluster),
    or ``below threshold``.
    """

    row_a: int
    row_b: int
    name_a: str
    name_b: str
    score: float
    decision: str

    def explain(self, *, kind: Kind = "auto", gender: Gender = "strict") -> str:
        """The full explanation of the score (:meth:`namematch.Comparison.explain`)."""
        return compare(self.name_a, self.name_b, kind=kind, gender=gender).explain()


@dataclass
class DedupeReport:
    """Counts of what a dedupe did: nothing is dropped without a number here."""

    rows: int = 0
    named_rows: int = 0
    empty: int = 0
    null: int = 0
    invalid: int = 0
    distinct_names: int = 0
    clusters: int = 0
    multi_row_clusters: int = 0
    largest_clusters: list[tuple[str, int]] = field(default_factory=list)
    block_keys: int = 0
    oversized_blocks: int = 0
    largest_block: int = 0
    largest_block_key: str = ""
    windowed_blocks: int = 0
    windowed_names: int = 0
    #: pairs that oversized alias-table blocks gave (each name with the block's first)
    star_pairs: int = 0
    candidate_pairs: int = 0
    matching_pairs: int = 0
    refused_merges: int = 0
    threshold: float = DEFAULT_THRESHOLD
    #: wall seconds per stage: ``analyse``, ``block`` (which also builds the word table the scorer
    #: reads, in parallel with the blocking where a second process is used), ``score``, ``cluster``
    seconds: dict[str, float] = field(default_factory=dict)
    #: processes that did the work of a stage (one where forking is not possible or not worth it:
    #: small inputs, no ``fork``, or a calling process that runs threads)
    processes: dict[str, int] = field(default_factory=dict)
    #: why a large input ran in one process though more cores were available ("" otherwise)
    one_process: str = ""

    def summary(self) -> str:
        """A few lines for a terminal."""
        lines = [
            f"{self.rows} rows -> {self.clusters} clusters ({self.multi_row_clusters} with more than one row); "
            f"{self.distinct_names} distinct names",
            f"rows without a name: {self.empty} empty, {self.null} null, {self.invalid} not text "
            "(each kept, in a cluster of its own)",
            f"{self.candidate_pairs} candidate pairs scored, {self.matching_pairs} above the threshold "
            f"{self.threshold}, {self.refused_merges} merges refused to avoid chaining",
        ]
        if self.oversized_blocks:
            lines.append(
                f"{self.oversized_blocks} blocks over the size limit (largest: {self.largest_block} names "
                f"sharing {self.largest_block_key!r}) met through finer keys; "
                f"{self.windowed_names} names in {self.windowed_blocks} blocks compared with their nearest spellings"
            )
        if any(count > 1 for count in self.processes.values()):
            lines.append("processes: " + ", ".join(f"{stage} {count}" for stage, count in self.processes.items()))
        if self.one_process:
            lines.append(f"ran in one process: {self.one_process}")
        if self.largest_clusters:
            shown = ", ".join(f"{name!r} x{size}" for name, size in self.largest_clusters[:5])
            lines.append(f"largest clusters: {shown}")
        return "\n".join(lines)


class DedupeResult:
    """The clusters of a dedupe. Rows are numbered from 0 in input order."""

    def __init__(
        self,
        records: object,
        columns: Columns,
        labels: list[int],
        representatives: list[Representative],
        report: DedupeReport,
        pairs: list[CandidatePair] | None,
        clusters: list[list[int]] | None = None,
    ) -> None:
        self._records = records
        self._columns = columns
        #: one cluster id per input row, in input order (ids are 0, 1, ... in order of first row)
        self.labels = labels
        #: the rows of each cluster, by cluster id (*clusters*, when the caller has them already)
        if clusters is None:
            clusters = [[] for _ in representatives]
            for row, label in enumerate(labels):
                clusters[label].append(row)
        self.clusters: list[list[int]] = clusters
        #: the chosen spelling of each cluster, by cluster id
        self.representatives = representatives
        self.report = report
        self._pairs = pairs

    @property
    def representative(self) -> list[Representative]:
        """Alias of :attr:`representatives` (one per cluster)."""
        return self.representatives

    @property
    def pairs(self) -> list[CandidatePair]:
        """The scored candidate pairs (ask for them with ``dedupe(..., pairs=True)``)."""
        if self._pairs is None:
            raise NamematchError("candidate pairs were not kept: call dedupe(..., pairs=True)")
        return self._pairs

    def cluster_columns(self) -> tuple[list[int], list[int], list[str]]:
        """``cluster_id``, ``cluster_size`` and ``canonical_name`` per row."""
        sizes = [len(rows) for rows in self.clusters]
        return (
            list(self.labels),
            [sizes[label] for label in self.labels],
            [self.representatives[label].name for label in self.labels],
        )

    def to_pandas(self) -> Any:
        """The input rows untouched, plus ``cluster_id``, ``cluster_size`` and ``canonical_name``."""
        pd = require_extra("pandas", "pandas", "DedupeResult.to_pandas")
        ids, sizes, names = self.cluster_columns()
        kind = self._columns.kind
        if kind == "pandas":
            frame = self._records.copy()  # type: ignore[attr-defined]
        elif kind == "arrow":
            frame = self._records.to_pandas()  # type: ignore[attr-defined]
        elif kind == "dicts":
            frame = pd.DataFrame.from_records(list(self._records))  # type: ignore[call-overload]
        else:
            frame = pd.DataFrame({"name": pd.Series(self._columns.names, dtype=object)})
        frame["cluster_id"] = ids
        frame["cluster_size"] = sizes
        frame["canonical_name"] = names
        return frame

    def to_arrow(self) -> Any:
        """The input rows untouched, plus ``cluster_id``, ``cluster_size`` and ``canonical_name``."""
        pa = require_extra("pyarrow", "parquet", "DedupeResult.to_arrow")
        ids, sizes, names = self.cluster_columns()
        kind = self._columns.kind
        if kind == "arrow":
            table = self._records
        elif kind == "pandas":
            table = pa.Table.from_pandas(self._records, preserve_index=False)
        elif kind == "dicts":
            table = pa.Table.from_pylist(list(self._records))  # type: ignore[call-overload]
        else:
            table = pa.table({"name": pa.array([v if isinstance(v, str) else None for v in self._columns.names])})
        table = table.append_column("cluster_id", pa.array(ids, pa.int64()))  # type: ignore[attr-defined]
        table = table.append_column("cluster_size", pa.array(sizes, pa.int64()))
        return table.append_column("canonical_name", pa.array(names, pa.string()))


def dedupe(
    records: object,
    *,
    column: str | None = None,
    kind: Kind = "auto",
    threshold: float | None = None,
    gender: Gender = "strict",
    same: Sequence[str] = (),
    pairs: bool = False,
    max_block: int = MAX_BLOCK,
    window: int = WINDOW,
    workers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> DedupeResult:
    """Cluster the rows of *records* that name the same entity.

    *records* is a list of strings, a list of dicts (``column`` names the key holding the
    name), a pandas DataFrame or a pyarrow Table (``column`` names the column). ``kind`` and
    ``gender`` are those of :func:`namematch.compare`; ``threshold`` defaults to
    :data:`namematch.DEFAULT_THRESHOLD`. ``same`` names columns that must be equal for two rows
    to merge (for instance ``same=["country"]``). ``pairs=True`` keeps the scored candidate pairs.
    ``workers`` is how many processes score candidate pairs (default: the cores
    available; large inputs only, where ``fork`` exists, and only from a process that runs a single
    thread: forking a threaded process, DuckDB's or a Jupyter kernel's, can leave a worker waiting on
    a lock no thread will release, so such a process runs everything in itself).
    ``progress(stage, done, total)`` is called as work advances. ``max_block`` and ``window`` tune
    blocking (:mod:`namematch.dedupe.blocking`). Python's cyclic garbage collector is paused while
    dedupe runs (it makes millions of small objects and no cycles) and restored afterwards;
    ``report.processes`` says how many processes each stage used.

    >>> result = dedupe(["Mikhail Evdokimov", "Евдокимов Михаил", "Kyiv", "Petrov", "Київ", "Petrenko", ""])
    >>> result.labels
    [0, 0, 1, 2, 1, 3, 4]
    >>> result.representatives[0].name, result.report.empty
    ('Mikhail Evdokimov', 1)
    """
    threshold = check_options(kind, gender, threshold, max_block, window)
    if isinstance(same, str):
        same = (same,)
    with _collector_paused():
        return _dedupe(
            records, column, kind, threshold, gender, tuple(same), pairs, max_block, window, workers, progress
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: dedupe makes millions of small objects that hold
    no cycles, and each collection would walk them all again (100k synthetic rows: 1.24x faster,
    ``benchmarks/results/dedupe_engine.md``). It is restored as it was, also on error.

    The objects made meanwhile that are still alive (the result, the memos of analysed names and
    words) are then moved to the collector's oldest generation without a walk: the first young
    collection after a resumed collector would otherwise walk them all, about a million at 100k
    rows (the first two collections after the call: 0.37 s, against none, in the same benchmark),
    and the next one again. Objects the caller made before the call move there too
    (cyclic garbage among them is found by the next full collection instead). Where the caller
    froze objects itself (:func:`gc.freeze`), nothing is moved: unfreezing would move theirs."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()  # every tracked object to the permanent generation (no walk) ...
                gc.unfreeze()  # ... and from there to the oldest one
            gc.enable()


def _dedupe(
    records: object,
    column: str | None,
    kind: Kind,
    threshold: float,
    gender: Gender,
    same: tuple[str, ...],
    pairs: bool,
    max_block: int,
    window: int,
    workers: int | None,
    progress: Callable[[str, int, int], None] | None,
) -> DedupeResult:
    report = DedupeReport(threshold=float(threshold))
    clock = time.perf_counter()
    columns = read_columns(records, column, tuple(same))
    report.rows = len(columns.names)

    # Distinct (name, same values): the unit of work. Rows without a name stand alone.
    item_of_row: list[int] = []
    items: dict[tuple[str, tuple[object, ...]], int] = {}
    texts: list[str] = []
    first_row: list[int] = []
    for row, value in enumerate(columns.names):
        text = name_of(value)
        if text is None:
            setattr(report, status_of(value), getattr(report, status_of(value)) + 1)
            item_of_row.append(-1)
            continue
        key = (text, columns.same[row] if columns.same is not None else ())
        item = items.get(key)
        if item is None:
            item = items[key] = len(texts)
            texts.append(text)
            first_row.append(row)
        item_of_row.append(item)
    report.named_rows = report.rows - report.empty - report.null - report.invalid
    report.distinct_names = len(texts)
    same_of_item = [k[1] for k in items]
    del items

    # Analyse each distinct name once.
    cores = default_workers() if workers is None else workers
    if cores > 1 and len(texts) >= MIN_PARALLEL_NAMES:
        report.one_process = why_not_fork()
        if not report.one_process:
            _warm(kind)  # the tables every helper would otherwise load again

    def analyse(text: str) -> tuple[Prepared, frozenset[str], tuple[frozenset[str], ...]]:
        p = prepare(text, kind=kind)
        aliases = entity_ids(p, kind)
        return p, aliases, blocking_keys(p, sorted(aliases))

    total_names = len(texts)
    # Slices of analysed names come as they are done (not in order): each name goes into the
    # blocks under its number at once, and the lists are put in order at the end.
    blocks = Blocks(total_names)
    done: dict[int, tuple[list[Prepared], list[frozenset[str]]]] = {}
    for start, results in map_shared(
        analyse,
        texts,
        # Analysed names are costly to pickle (each brings its words); helpers send them
        # packed, each word's analysis once.
        pack=_Packer().pack,
        unpack=_Unpacker().unpack,
        workers=cores,
        progress=None if progress is None else (lambda count: progress("analyse", count, total_names)),
        used=lambda count: report.processes.__setitem__("analyse", count),
    ):
        # (each name's keys are dropped once filed: at a million names they take hundreds of MB)
        done[start] = ([p for p, _, _ in results], [aliases for _, aliases, _ in results])
        for i, (_, _, tiers) in enumerate(results, start):
            if columns.same is not None:
                prefix = f"{same_of_item[i]!r}\x1f"
                tiers = tuple(frozenset(prefix + k for k in tier) for tier in tiers)
            blocks.add(tiers, i)
    prepared: list[Prepared] = []
    alias_sets: list[frozenset[str]] = []
    for start in sorted(done):
        names, aliases = done.pop(start)
        prepared += names
        alias_sets += aliases
    del done
    report.seconds["analyse"] = time.perf_counter() - clock

    clock = time.perf_counter()

    # The words of every name as flat arrays (the vectorised scorer's input, for the default
    # gender policy), built here, once, before the scoring workers fork: they read it in place.
    # Blocking and the table do not depend on each other: with a second core, a forked process
    # pairs the blocks while this one builds the table; whichever is done first ranks the names
    # for the table (the forked one at 100k names, this one at a million).
    table: WordTable | None = None
    if cores > 1 and gender == "strict" and len(texts) >= MIN_PARALLEL_NAMES and can_fork():
        # numpy first, once here, for every process forked from here on (blocking's, the scorers')
        from namematch import _numpy  # noqa: F401

        aside = partial(_pairs, blocks, prepared, max_block, window)
        del blocks
        table, (candidates, block_stats), table_rank = run_aside(
            partial(WordTable, prepared, ranked=False), aside, partial(ranks, prepared)
        )
        del aside
        table.rank = table_rank
        report.processes["block"] = 2
    else:
        candidates, block_stats = _pairs(blocks, prepared, max_block, window)
        del blocks
        if gender == "strict":
            table = WordTable(prepared)
        report.processes["block"] = 1
    report.block_keys = block_stats.keys
    report.oversized_blocks = block_stats.oversized
    report.largest_block = block_stats.largest_block
    report.largest_block_key = block_stats.largest_key
    report.windowed_blocks = block_stats.windowed_blocks
    report.windowed_names = block_stats.windowed_names
    report.star_pairs = block_stats.star_pairs
    report.candidate_pairs = len(candidates)
    report.seconds["block"] = time.perf_counter() - clock

    clock = time.perf_counter()

    def score_pair(a: int, b: int) -> float:
        # similarity(), with each name's alias-table entities looked up once, not per pair
        shared = alias_sets[a]
        if shared and not shared.isdisjoint(alias_sets[b]):
            return 1.0
        return spelling_score(prepared[a], prepared[b], gender)

    def different(a: int, b: int) -> bool:
        shared = alias_sets[a]
        if shared and not shared.isdisjoint(alias_sets[b]):
            return False
        return gender == "strict" and contradicts(prepared[a], prepared[b])

    total = len(candidates)
    with_aliases = [k for k, shared in enumerate(alias_sets) if shared]

    def batch_scorer() -> Callable[[array[int]], tuple[array[float], array[int]]]:
        if table is None:  # the vectorised scorer knows the default gender policy only
            return lambda codes: (
                array("d", (score_pair(c >> 32, c & 0xFFFFFFFF) for c in codes)),
                array("b", (different(c >> 32, c & 0xFFFFFFFF) for c in codes)),
            )
        from namematch.match.batch import score_codes

        return lambda codes: score_codes(table, codes, with_aliases, alias_sets)

    scores, contradictions = score_batches(
        batch_scorer,
        candidates,
        workers=cores,
        progress=None if progress is None else (lambda done: progress("score", done, total)),
        used=lambda count: report.processes.__setitem__("score", count),
    )
    report.seconds["score"] = time.perf_counter() - clock

    clock = time.perf_counter()

    item_labels, cluster_stats = cluster_codes(
        len(texts),
        candidates,
        scores,
        float(threshold),
        score_pair,
        different,
        contradictions=contradictions,
        listed=[is_listed(aliases) for aliases in alias_sets],
        workers=cores,
    )
    report.matching_pairs = cluster_stats.matching_pairs
    report.refused_merges = cluster_stats.refused_merges
    report.processes["cluster"] = cluster_stats.processes

    # Cluster ids in order of each cluster's first row; nameless rows each get their own.
    labels: list[int] = []
    cluster_of: dict[int, int] = {}
    rows_of: list[list[int]] = []
    for row, item in enumerate(item_of_row):
        if item < 0:
            labels.append(len(rows_of))
            rows_of.append([row])
            continue
        root = item_labels[item]
        label = cluster_of.get(root)
        if label is None:
            label = cluster_of[root] = len(rows_of)
            rows_of.append([])
        rows_of[label].append(row)
        labels.append(label)
    full = _full_word_counts(table) if table is not None else None
    representatives = [
        _representative(rows, item_of_row, texts, prepared, columns.names, kind, alias_sets, full) for rows in rows_of
    ]
    report.clusters = len(rows_of)
    report.multi_row_clusters = sum(1 for rows in rows_of if len(rows) > 1)
    biggest = sorted(range(len(rows_of)), key=lambda c: (-len(rows_of[c]), c))[:10]
    report.largest_clusters = [(representatives[c].name, len(rows_of[c])) for c in biggest if len(rows_of[c]) > 1]

    kept: list[CandidatePair] | None = None
    if pairs:
        kept = []
        for code, s in zip(candidates, scores, strict=True):
            a, b = decode(code)
            same_cluster = item_labels[a] == item_labels[b]
            decision = (
                ("merged" if same_cluster else "refused")
                if s >= threshold
                else ("same cluster" if same_cluster else "below threshold")
            )
            kept.append(CandidatePair(first_row[a], first_row[b], texts[a], texts[b], s, decision))
    report.seconds["cluster"] = time.perf_counter() - clock
    return DedupeResult(records, columns, labels, representatives, report, kept, rows_of)


def _pairs(blocks: Blocks, prepared: list[Prepared], max_block: int, window: int) -> tuple[array[int], BlockStats]:
    """The candidate pairs of *blocks* and their statistics, ordering oversized blocks by each
    name's spelling, made when asked for (a forked process that read every name would copy the
    memory pages of each)."""
    return blocks.pairs(lambda k: window_spelling(prepared[k]), max_block=max_block, window=window)


def check_options(kind: str, gender: str, threshold: float | None, max_block: int, window: int) -> float:
    """The threshold to use, after checking the options dedupe shares with its Spark twin."""
    if kind not in KINDS:
        raise NamematchError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if gender not in ("strict", "ignore"):
        raise NamematchError(f"gender must be 'strict' or 'ignore', got {gender!r}")
    if threshold is None:
        threshold = DEFAULT_THRESHOLD
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0.0 <= threshold <= 1.0:
        raise NamematchError(f"threshold must be a number in [0, 1], got {threshold!r}")
    for what, value in (("max_block", max_block), ("window", window)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise NamematchError(f"{what} must be a positive integer, got {value!r}")
    return float(threshold)


_Analysed = tuple[Prepared, frozenset[str], tuple[frozenset[str], ...]]


class _Packer:
    """Packs analysed names in a helper process: each name by its parts, its words by number, each
    word's analysis sent once (the first time this helper sends it; words are numbered in the
    order they are sent)."""

    def __init__(self) -> None:
        self.sent: dict[int, int] = {}  # a word's number, by its uid

    def pack(self, results: list[_Analysed]) -> bytes:
        words = []
        names = []
        sent = self.sent
        for p, aliases, tiers in results:
            numbers = []
            for w in p.words:
                number = sent.get(w.uid)
                if number is None:
                    number = sent[w.uid] = len(sent)
                    words.append(w.parts())
                numbers.append(number)
            names.append((p.kind, p.normalized, numbers, p.roles, p.dropped, p.lang, tuple(aliases), tiers))
        return pickle.dumps((words, names), protocol=pickle.HIGHEST_PROTOCOL)


class _Unpacker:
    """Rebuilds here what :class:`_Packer` packed, in order: words first, then the names."""

    def __init__(self) -> None:
        self.words: list[Word] = []  # by the number the helper gave them

    def unpack(self, texts: Sequence[str], blob: bytes) -> list[_Analysed]:
        words, names = pickle.loads(blob)
        known = self.words
        for text, scheme, fields in words:
            known.append(intern_word(text, scheme, fields))
        out = []
        for name, (kind, normalized, numbers, roles, dropped, lang, aliases, tiers) in zip(texts, names, strict=True):
            p = assemble(name, kind, normalized, tuple([known[k] for k in numbers]), roles, dropped, lang)
            out.append((p, frozenset(aliases), tiers))
        return out


def _warm(kind: str) -> None:
    """Load the alias tables' indexes and the initials' letter table here, before helpers fork
    (they inherit them)."""
    from namematch.aliases import warm
    from namematch.match.initials import warm as warm_initials

    warm(given_only=kind == "person")
    warm_initials()


def _representative(
    rows: list[int],
    item_of_row: list[int],
    texts: list[str],
    prepared: list[Prepared],
    names: list[object],
    kind: str,
    alias_sets: Sequence[frozenset[str]] | None = None,
    full: Sequence[int] | None = None,
) -> Representative:
    """The most complete, most official spelling of a cluster, and why it was chosen. *alias_sets*,
    when given, are the items' :func:`entity_ids`: an item with none names no entity of the tables
    (with ``kind`` other than ``person``), so the cluster has no official name to look up. *full*,
    when given, is each item's count of :func:`_full_words`."""
    first = item_of_row[rows[0]]
    if first < 0:
        value = names[rows[0]]
        return Representative(value if isinstance(value, str) else "", rows[0], f"no name ({status_of(value)})")
    if len(rows) == 1:
        return Representative(texts[first], rows[0], "only spelling")
    items = [item_of_row[r] for r in rows]
    counts = Counter(items)
    # Each item's first row (zip reversed, so that the first row of an item is the one kept).
    first_row = dict(zip(reversed(items), reversed(rows), strict=True))
    if alias_sets is not None and kind != "person" and not all(alias_sets[i] for i in counts):
        entity = None
    else:
        entity = _common_entity([prepared[i] for i in counts], kind)
    if entity is not None:
        official = next((i for i in counts if texts[i] == entity.name), None)
        row = first_row[official] if official is not None else None
        return Representative(entity.name, row, f"official name in the alias tables ({entity.id})")

    # The first by: most full words, most rows, fewest words in capitals, Latin script, fewest
    # words dropped, first row; each test only among the items tied on the ones before.
    fulls = {i: full[i] for i in counts} if full is not None else {i: _full_words(prepared[i]) for i in counts}
    most = max(fulls.values())
    tied = [i for i in counts if fulls[i] == most]
    if len(tied) > 1:
        top = max(counts[i] for i in tied)
        tied = [i for i in tied if counts[i] == top]

    def rank(item: int) -> tuple[int, int, int, int]:
        text = texts[item]
        shouting = 0
        for w in text.split():
            if len(w) > 1 and w.isupper():
                shouting += 1
        return (shouting, -int(text.isascii()), len(prepared[item].dropped), first_row[item])

    best = min(tied, key=rank) if len(tied) > 1 else tied[0]
    reason = f"most complete ({most} full words), written so in {counts[best]} of {len(rows)} rows"
    return Representative(texts[best], first_row[best], reason)


def _full_word_counts(table: WordTable) -> list[int]:
    """:func:`_full_words` of every name of *table*, from its arrays."""
    from namematch._numpy import np
    from namematch.match.wordtable import INITIAL_CODE, LEGAL_CODE, MAX_WORDS, MIDDLE_CODE

    count = len(table.names)
    word = np.frombuffer(table.word, dtype=np.int32).reshape(count, MAX_WORDS)
    role = np.frombuffer(table.role, dtype=np.int8).reshape(count, MAX_WORDS)
    long_enough = np.array([len(w.folded) > 1 for w in table.words] + [False], dtype=bool)  # [-1]: padding
    full = long_enough[word] & ~np.isin(role, (INITIAL_CODE, MIDDLE_CODE, LEGAL_CODE))
    counts: list[int] = full.sum(axis=1).tolist()
    for k in table.long:
        counts[k] = _full_words(table.names[k])
    return counts


def _full_words(p: Prepared) -> int:
    """How many of a name's words are full words (not initials or legal forms)."""
    full = 0
    for r, w in zip(p.roles, p.words, strict=True):
        if r not in _NOT_FULL and len(w.folded) > 1:
            full += 1
    return full


_NOT_FULL = INITIALS | {LEGAL}


def _common_entity(names: list[Prepared], kind: str) -> Entity | None:
    """The alias-table entity that every name of a cluster is a spelling of, if there is one."""
    shared: dict[str, Entity] | None = None
    for p in names:
        if kind == "auto":
            entities = tuple(auto_entities(p).values())
        else:
            entities = entities_of(p, "place" if kind == "person" else kind, exact=True)
        found = {e.id: e for e in entities}
        shared = found if shared is None else {k: v for k, v in shared.items() if k in found}
        if not shared:
            return None
    return next(iter(shared.values())) if shared else None
