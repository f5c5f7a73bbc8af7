"""dedupe on several cores, with forked workers.

On platforms with ``fork`` (Linux; not Windows), distinct names are analysed in workers, a slice
each, and come back pickled (an analysed word is sent by content and interned on arrival, so
words stay shared); candidate pairs are then scored by workers that inherit the analysed names,
and only the scores travel back (8 bytes a pair). Elsewhere, or for small inputs, everything runs
in the calling process. The results are the same either way (a test holds them equal).
"""

from __future__ import annotations

import multiprocessing
import os
from array import array
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["MIN_PARALLEL_NAMES", "MIN_PARALLEL_PAIRS", "default_workers", "map_in_workers", "score_pairs"]

#: Below this many candidate pairs, forking costs more than it saves.
MIN_PARALLEL_PAIRS = 50_000

#: Below this many distinct names, analysing them in workers costs more than it saves.
MIN_PARALLEL_NAMES = 20_000

# What a forked worker maps over
_MAP: tuple[Callable[[Any], Any], Sequence[Any]] | None = None

# What a forked worker scores: set by the parent just before forking, inherited by the children.
_JOB: tuple[Callable[[int, int], float], Sequence[tuple[int, int]]] | None = None


def default_workers() -> int:
    """The cores this process may use (at most 8)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(8, cores))


def _score_slice(bounds: tuple[int, int]) -> bytes:
    assert _JOB is not None
    score, pairs = _JOB
    out = array("d", (score(a, b) for a, b in pairs[bounds[0] : bounds[1]]))
    return out.tobytes()


def score_pairs(
    score: Callable[[int, int], float],
    pairs: Sequence[tuple[int, int]],
    *,
    workers: int,
    progress: Callable[[int], None] | None = None,
) -> list[float]:
    """``score(a, b)`` for every pair, in order, on up to *workers* processes."""
    global _JOB
    chunk = 20_000
    if workers <= 1 or len(pairs) < MIN_PARALLEL_PAIRS or "fork" not in multiprocessing.get_all_start_methods():
        out: list[float] = []
        for start in range(0, len(pairs), chunk):
            out.extend(score(a, b) for a, b in pairs[start : start + chunk])
            if progress is not None:
                progress(len(out))
        return out
    bounds = [(start, min(start + chunk, len(pairs))) for start in range(0, len(pairs), chunk)]
    _JOB = (score, pairs)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            result = array("d")
            for block in pool.imap(_score_slice, bounds):
                result.frombytes(block)
                if progress is not None:
                    progress(len(result))
        return result.tolist()
    finally:
        _JOB = None


def _map_slice(bounds: tuple[int, int]) -> list[Any]:
    assert _MAP is not None
    function, items = _MAP
    return [function(item) for item in items[bounds[0] : bounds[1]]]


def map_in_workers(
    function: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    workers: int,
    progress: Callable[[int], None] | None = None,
) -> list[Any]:
    """``[function(item) for item in items]``, in order, on up to *workers* forked processes."""
    global _MAP
    chunk = 2_000
    if workers <= 1 or len(items) < MIN_PARALLEL_NAMES or "fork" not in multiprocessing.get_all_start_methods():
        out: list[Any] = []
        for start in range(0, len(items), chunk):
            out.extend(function(item) for item in items[start : start + chunk])
            if progress is not None:
                progress(len(out))
        return out
    bounds = [(start, min(start + chunk, len(items))) for start in range(0, len(items), chunk)]
    _MAP = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            result: list[Any] = []
            for block in pool.imap(_map_slice, bounds):
                result.extend(block)
                if progress is not None:
                    progress(len(result))
        return result
    finally:
        _MAP = None
