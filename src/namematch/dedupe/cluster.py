"""Clusters from scored pairs, without chaining unrelated names through intermediaries.

A plain union-find over the pairs that score above the threshold merges "Ivanov" and "Ivanova"
through the typo "Ivanonv", which is close to both, and merges every Krushovska of a register
through one mention of the bare surname. Here the matching pairs are merged best first (score
descending, then by index, so the result is deterministic), and a merge of two clusters is refused
when some pair of names across them is evidence of two entities: it scores below :data:`FLOOR`, or
below the threshold with a contradiction (a male and a female form of one surname, conflicting
patronymics, two different given names or surnames, initials that disagree; see
:func:`namematch.match.score.contradicts`). A mention with a typo, or with less detail (an initial,
no patronymic), still joins the cluster it matches; Ivanov and Ivanova, or two Krushovskas with
different given names, never share one. Pairs blocking did not propose are scored when a merge
needs them; checks are capped at :data:`MAX_CHECKS` names per side. A name the alias tables list
as a name of an organisation or place (*listed*) and a name they do not list are no evidence
against each other, however unlike: the tables' names of one entity are in other languages and
abbreviations (SK RF, Investigative Committee of Russia), which a misspelt or unlisted name of it
need not resemble; two listed names of different entities still are. Merges only happen inside a
connected component of the matching pairs, which is also how the Spark engine distributes the work,
and how :func:`cluster_codes` shares it between processes: each links the matching pairs of its
share of the components, in the same order, so the clusters are the same on any number of cores.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from namematch._numpy import np

    IntArray = np.ndarray[Any, np.dtype[np.int64]]

__all__ = [
    "FLOOR",
    "MAX_CHECKS",
    "MAX_LINK_PROCESSES",
    "ClusterStats",
    "cluster",
    "cluster_codes",
    "components",
    "labels",
    "merge",
]

SHIFT = 32
_MASK = (1 << SHIFT) - 1

#: A merge checks the first this many names of each cluster against the other's (a cap on the
#: cost of merging two very large clusters; clusters of names are rarely that large).
MAX_CHECKS = 40
#: A pair across two merging clusters scoring below this is different enough on its own.
FLOOR = 0.5
#: At most this many processes link the components. Each forked process scores pairs of the
#: analysed names it meets, and touching a name copies the memory pages it lies in (reference
#: counts are written): at a million names, one more process took 0.75 GB more memory.
MAX_LINK_PROCESSES = 2


@dataclass
class ClusterStats:
    """What clustering did, for the report."""

    matching_pairs: int = 0
    merges: int = 0
    refused_merges: int = 0
    extra_scores: int = 0
    #: processes that linked the pairs
    processes: int = 1


def _find(parent: list[int], x: int) -> int:
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        parent[x], x = root, parent[x]
    return root


def cluster(
    n: int,
    pairs: Sequence[tuple[int, int]],
    scores: Sequence[float],
    threshold: float,
    score: Callable[[int, int], float],
    different: Callable[[int, int], bool],
    *,
    floor: float = FLOOR,
    max_checks: int = MAX_CHECKS,
    listed: Sequence[bool] | None = None,
) -> tuple[list[int], ClusterStats]:
    """A cluster label per item ``0..n-1`` (the smallest item of its cluster), and the statistics.

    *pairs* are the compared item pairs and *scores* their scores, in the same order; *score*
    scores any other pair when a merge needs it, and *different* says whether a pair that does not
    match carries evidence of two entities (:func:`namematch.match.score.contradicts`); *listed*
    says which items the alias tables list (see the module's docstring).
    """
    order = sorted(range(len(pairs)), key=lambda k: (min(pairs[k]) << SHIFT) | max(pairs[k]))
    codes = array("q", ((min(pairs[k]) << SHIFT) | max(pairs[k]) for k in order))
    sorted_scores = array("d", (scores[k] for k in order))
    return cluster_codes(
        n, codes, sorted_scores, threshold, score, different, floor=floor, max_checks=max_checks, listed=listed
    )


def cluster_codes(
    n: int,
    codes: array[int],
    scores: array[float],
    threshold: float,
    score: Callable[[int, int], float],
    different: Callable[[int, int], bool],
    *,
    floor: float = FLOOR,
    max_checks: int = MAX_CHECKS,
    contradictions: Sequence[int] | None = None,
    listed: Sequence[bool] | None = None,
    workers: int = 1,
) -> tuple[list[int], ClusterStats]:
    """:func:`cluster` over encoded pairs (``i << SHIFT | j``, ``i < j``, sorted, no repeats), as
    :class:`namematch.dedupe.blocking.Blocks` gives them: 16 bytes a pair with its score.
    *contradictions*, when given, holds ``different`` of every encoded pair, computed already; then
    up to *workers* processes (forked; at most :data:`MAX_LINK_PROCESSES`) link the components of
    the matching pairs, each a share of them (when there are at least ``MIN_PARALLEL_PAIRS``
    matching pairs and forking is safe)."""
    stats = ClusterStats()
    listed = listed if listed is not None and any(listed) else None
    if contradictions is not None:
        return _cluster_arrays(
            n, codes, scores, threshold, score, different, floor, max_checks, contradictions, listed, workers
        )
    matching = [k for k, s in enumerate(scores) if s >= threshold]
    # Best first; equal scores in pair order (a stable sort), so the result is deterministic.
    matching.sort(key=scores.__getitem__, reverse=True)
    stats.matching_pairs = len(matching)
    unscored = _Unscored(score, different, threshold, floor, stats, listed)
    size = len(codes)

    def agree(x: int, y: int) -> bool:
        """Whether x and y may share a cluster: they match, or they do not but nothing says
        they are two entities."""
        if listed is not None and listed[x] != listed[y]:
            return True
        code = x << SHIFT | y if x < y else y << SHIFT | x
        at = bisect_left(codes, code)
        if at < size and codes[at] == code:
            s = scores[at]
            if s >= threshold:
                return True
            if s < floor:
                return False
            return not different(x, y)
        return unscored.agree(code, x, y)

    def compatible(group_a: list[int], group_b: list[int]) -> bool:
        return all(agree(x, y) for x in group_a[:max_checks] for y in group_b[:max_checks])

    return _link(n, codes, matching, compatible, max_checks, stats)


class _Unscored:
    """The pairs blocking never proposed: scored when a merge needs them, and remembered."""

    def __init__(
        self,
        score: Callable[[int, int], float],
        different: Callable[[int, int], bool],
        threshold: float,
        floor: float,
        stats: ClusterStats,
        listed: Sequence[bool] | None = None,
    ) -> None:
        self.score, self.different, self.threshold, self.floor, self.stats = score, different, threshold, floor, stats
        self.listed = listed
        self.known: dict[int, bool] = {}

    def agree(self, code: int, x: int, y: int) -> bool:
        """Whether x and y (encoded as *code*) may share a cluster."""
        if self.listed is not None and self.listed[x] != self.listed[y]:
            return True
        found = self.known.get(code)
        if found is None:
            s = self.score(x, y)
            self.stats.extra_scores += 1
            found = self.known[code] = s >= self.threshold or (s >= self.floor and not self.different(x, y))
        return found


def _link(
    n: int,
    codes: array[int],
    matching: Sequence[int],
    compatible: Callable[[list[int], list[int]], bool],
    max_checks: int,
    stats: ClusterStats,
) -> tuple[list[int], ClusterStats]:
    """Merge the pairs *matching* (indices into *codes*, best first) while *compatible* allows."""
    parent = list(range(n))
    # The first max_checks names of each cluster of several (all a merge checks), and its size.
    members: dict[int, list[int]] = {}
    sizes: dict[int, int] = {}
    for k in matching:
        code = codes[k]
        a, b = code >> SHIFT, code & _MASK
        # (most names are roots, or one step below theirs: _find only for the rest)
        ra = a if parent[a] == a else _find(parent, a)
        rb = b if parent[b] == b else _find(parent, b)
        if ra == rb:
            continue
        group_a = members.get(ra) or [ra]
        group_b = members.get(rb) or [rb]
        if not compatible(group_a, group_b):
            stats.refused_merges += 1
            continue
        stats.merges += 1
        merge(parent, members, sizes, (ra, group_a), (rb, group_b), max_checks)
    return labels(parent), stats


def merge(
    parent: list[int],
    members: dict[int, list[int]],
    sizes: dict[int, int],
    a: tuple[int, list[int]],
    b: tuple[int, list[int]],
    max_checks: int,
) -> None:
    """Merge two clusters, each given as (root, the names a merge checks): the larger keeps its
    root (on a tie, *a*), and the merged cluster keeps its first *max_checks* names, the larger
    cluster's first."""
    (ra, group_a), (rb, group_b) = a, b
    size_a, size_b = sizes.get(ra, 1), sizes.get(rb, 1)
    if size_a < size_b:
        ra, rb, group_a, group_b = rb, ra, group_b, group_a
    parent[rb] = ra
    members[ra] = (group_a + group_b)[:max_checks]
    sizes[ra] = size_a + size_b
    members.pop(rb, None)
    sizes.pop(rb, None)


def labels(parent: list[int]) -> list[int]:
    """Each item's cluster label: the smallest item of its cluster."""
    roots = [_find(parent, x) for x in range(len(parent))]
    smallest: dict[int, int] = {}
    for x, root in enumerate(roots):
        smallest.setdefault(root, x)
    return [smallest[root] for root in roots]


#: Below this many name pairs, a merge's checks are looked up one by one (numpy's call overhead
#: costs more than the lookups, which also stop at the first disagreement).
_VECTOR_CHECKS = 64


def _cluster_arrays(
    n: int,
    codes: array[int],
    scores: array[float],
    threshold: float,
    score: Callable[[int, int], float],
    different: Callable[[int, int], bool],
    floor: float,
    max_checks: int,
    contradictions: Sequence[int],
    listed: Sequence[bool] | None = None,
    workers: int = 1,
) -> tuple[list[int], ClusterStats]:
    """:func:`cluster_codes` with the contradictions precomputed: the same merges, decided with
    numpy lookups. A merge is allowed exactly when every checked pair agrees, so checking the
    scored pairs first (at once) and the unscored ones after, in order, gives the same answer."""
    from namematch._numpy import np
    from namematch.dedupe.parallel import MIN_PARALLEL_PAIRS, can_fork, run_split

    stats = ClusterStats()
    code_array = np.frombuffer(codes, dtype=np.int64) if len(codes) else np.zeros(0, dtype=np.int64)
    score_array = np.frombuffer(scores, dtype=np.float64) if len(scores) else np.zeros(0)
    contra = np.asarray(contradictions, dtype=bool)
    # Whether each scored pair allows its two names in one cluster.
    allowed = (score_array >= threshold) | ((score_array >= floor) & ~contra)
    if listed is not None:
        on_list = np.asarray(listed, dtype=bool)
        allowed |= on_list[code_array >> SHIFT] != on_list[code_array & _MASK]
    candidates = np.flatnonzero(score_array >= threshold)
    # Best first; equal scores in pair order (a stable sort), so the result is deterministic.
    ordered = candidates[np.argsort(-score_array[candidates], kind="stable")]
    stats.matching_pairs = len(ordered)
    del candidates
    unscored = _Unscored(score, different, threshold, floor, stats, listed)
    size = len(codes)
    last = size - 1

    allows = allowed.tobytes()  # read one at a time below: bytes index faster than numpy

    def compatible(group_a: list[int], group_b: list[int]) -> bool:
        if len(group_a) * len(group_b) < _VECTOR_CHECKS:
            # Pair by pair, the scored pairs first, stopping at the first that disagrees; then
            # the others, in order, scored as needed (none when a scored pair disagrees).
            unknown: list[tuple[int, int, int]] = []
            for x in group_a:
                for y in group_b:
                    code = x << SHIFT | y if x < y else y << SHIFT | x
                    where = bisect_left(codes, code)
                    if where < size and codes[where] == code:
                        if not allows[where]:
                            return False
                    else:
                        unknown.append((code, x, y))
            return all(unscored.agree(code, x, y) for code, x, y in unknown)
        xs = np.array(group_a, dtype=np.int64)[:, None]
        ys = np.array(group_b, dtype=np.int64)[None, :]
        wanted = ((np.minimum(xs, ys) << SHIFT) | np.maximum(xs, ys)).ravel()
        at = np.minimum(np.searchsorted(code_array, wanted), last)
        scored = code_array[at] == wanted
        if not allowed[at[scored]].all():
            return False
        missing = np.flatnonzero(~scored)
        if not len(missing):
            return True
        width = len(group_b)
        return all(unscored.agree(int(wanted[m]), group_a[m // width], group_b[m % width]) for m in missing.tolist())

    workers = min(workers, MAX_LINK_PROCESSES)
    if workers <= 1 or len(ordered) < MIN_PARALLEL_PAIRS or not can_fork():
        return _link(n, codes, ordered.tolist(), compatible, max_checks, stats)

    # A share of the components per process, each linked in the global order of its pairs: a
    # merge, and every check it makes, stays inside one component, so the clusters are the same.
    first, second = code_array[ordered] >> SHIFT, code_array[ordered] & _MASK
    share = _shares(components(n, first, second)[first], workers)
    del first, second

    def link_share(k: int) -> tuple[bytes, ClusterStats]:
        done = unscored.stats = ClusterStats()  # each share runs in a process of its own
        found, _ = _link(n, codes, ordered[share == k].tolist(), compatible, max_checks, done)
        return array("q", found).tobytes(), done

    results = run_split([partial(link_share, k) for k in range(workers)])
    found = np.arange(n, dtype=np.int64)
    stats.processes = len(results)
    for blob, done in results:
        # An item outside a share's components is its own label there; inside, the smallest item
        # of its cluster, which is no larger.
        np.minimum(found, np.frombuffer(blob, dtype=np.int64), out=found)
        stats.merges += done.merges
        stats.refused_merges += done.refused_merges
        stats.extra_scores += done.extra_scores
    return found.tolist(), stats


def components(n: int, first: IntArray, second: IntArray) -> IntArray:
    """The connected component of each item ``0..n-1`` of the graph with edges ``(first[k],
    second[k])``, named by its smallest item (numpy: hooking roots onto smaller roots, then
    pointer jumping, until every edge is inside one component)."""
    from namematch._numpy import np

    label = np.arange(n, dtype=np.int64)
    while True:
        la, lb = label[first], label[second]
        apart = la != lb
        if not apart.any():
            return label
        la, lb = la[apart], lb[apart]
        np.minimum.at(label, np.maximum(la, lb), np.minimum(la, lb))
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped


def _shares(component: IntArray, workers: int) -> IntArray:
    """For each pair, given its component, which of *workers* shares it goes to: whole components,
    dealt largest first (by pairs) in snake order (0, 1, 1, 0, 0, 1, ...), so that each share gets
    components of every size. The work is far from even per pair (large components are where
    merges are refused and unscored pairs scored), and the components that came first in the
    input are the larger ones, so cutting the components in input order would not balance it."""
    from namematch._numpy import np

    _, inverse, counts = np.unique(component, return_inverse=True, return_counts=True)
    rank = np.empty(len(counts), dtype=np.int64)
    rank[np.argsort(-counts, kind="stable")] = np.arange(len(counts))
    turn = rank % (2 * workers)
    share_of = np.where(turn < workers, turn, 2 * workers - 1 - turn)
    return np.asarray(share_of[inverse])
