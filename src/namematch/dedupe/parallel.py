"""Scoring candidate pairs on several cores: forked workers share the analysed names.

On platforms with ``fork`` (Linux, and macOS when asked for), the parent analyses every name
once, then forks workers that inherit the analysed names and score a slice of the pairs each;
only the scores travel back (8 bytes a pair). Elsewhere, or for few pairs, scoring runs in the
calling process. The scores are the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
from array import array
from collections.abc import Callable, Sequence

__all__ = ["MIN_PARALLEL_PAIRS", "default_workers", "score_pairs"]

#: Below this many candidate pairs, forking costs more than it saves.
MIN_PARALLEL_PAIRS = 50_000

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
