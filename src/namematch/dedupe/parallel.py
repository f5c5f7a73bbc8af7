"""Work on several cores, with forked workers.

On platforms with ``fork`` (Linux; not Windows), and when this process runs a single thread (numpy's
idle pool aside, see :func:`can_fork`), dedupe analyses its names with :func:`map_shared` (this
process takes part of the names, forked helpers the rest, sent back packed) and scores its
candidate pairs with :func:`score_batches`, in workers that inherit the analysed names and the word
table, so that only the scores travel back (9 bytes a pair); and links the connected components of
the matching pairs with :func:`run_split`, a share of the components per process (the linkage of
one component never looks outside it). :func:`map_in_workers` maps a function over items in workers
(the Splink columns use it: their values are small). Elsewhere, or for small inputs, everything
runs in the calling process. The results are the same either way (a test holds
them equal).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from namematch import _threads

__all__ = [
    "MIN_PARALLEL_NAMES",
    "MIN_PARALLEL_PAIRS",
    "can_fork",
    "default_workers",
    "map_in_workers",
    "map_shared",
    "run_split",
    "score_batches",
    "why_not_fork",
]

#: Below this many candidate pairs, forking costs more than it saves.
MIN_PARALLEL_PAIRS = 50_000

#: Below this many items, mapping them in workers costs more than it saves.
MIN_PARALLEL_NAMES = 20_000


# What a forked worker maps over
_MAP: tuple[Callable[[Any], Any], Sequence[Any]] | None = None

# A batch scorer's factory and the codes, inherited by forked workers; the scorer each worker built.
BatchScorer = Callable[["array[int]"], "tuple[array[float], array[int]]"]
_BATCH: tuple[Callable[[], BatchScorer], array[int]] | None = None
_BATCH_SCORER: BatchScorer | None = None


def can_fork() -> bool:
    """Whether forking workers is safe here: the platform has ``fork`` and this process runs one
    thread (forking a threaded process, DuckDB's or a JVM bridge's, can leave a worker waiting on
    a lock that no thread will ever release), not counting the idle pool numpy's import started
    when namematch imported it (:mod:`namematch._threads`)."""
    return not why_not_fork()


def why_not_fork() -> str:
    """Why :func:`can_fork` says no, for a report ("" when it says yes)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return "this platform has no fork"
    running = _threads.threads()
    if running is None:  # no /proc (macOS): count the threads Python knows of
        running, allowed = threading.active_count(), 1
    else:
        allowed = 1 + _threads.library_threads()
    if running <= allowed:
        return ""
    return (
        f"this process runs {running} threads (pandas, pyarrow, DuckDB, a notebook or a JVM bridge "
        "start them), and forking a threaded process is unsafe"
    )


def default_workers() -> int:
    """The cores this process may use (at most 8)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(8, cores))


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
) -> Iterator[Any]:
    """``function(item)`` for each item, yielded in order, computed on up to *workers* forked
    processes."""
    global _MAP
    chunk = 2_000
    if workers <= 1 or len(items) < MIN_PARALLEL_NAMES or not can_fork():
        for start in range(0, len(items), chunk):
            yield from (function(item) for item in items[start : start + chunk])
            if progress is not None:
                progress(min(start + chunk, len(items)))
        return
    bounds = [(start, min(start + chunk, len(items))) for start in range(0, len(items), chunk)]
    _MAP = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            done = 0
            for block in pool.imap(_map_slice, bounds):
                done += len(block)
                yield from block
                if progress is not None:
                    progress(done)
    finally:
        _MAP = None


# What forked workers of map_shared compute: the function, how they pack a slice's results, the items
_SHARED: tuple[Callable[[Any], Any], Callable[[list[Any]], bytes], Sequence[Any]] | None = None

#: Items a helper of map_shared computes at a time.
SHARED_CHUNK = 2_000

#: What taking in a helper's result costs this process, as a share of what computing it costs a
#: helper; sets how much of the work this process keeps. Measured on 100k names and two cores:
#: unpacking a name and adding its keys takes about a fifth of analysing it, but a helper sharing
#: the machine analyses slower than this process, and at 0.15 (46% kept here) this process still
#: waited a second for the helper; 0.1 keeps 47%.
UNPACK_COST = 0.1


def _shared_slice(bounds: tuple[int, int]) -> bytes:
    assert _SHARED is not None
    function, pack, items = _SHARED
    return pack([function(item) for item in items[bounds[0] : bounds[1]]])


def map_shared(
    function: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    pack: Callable[[list[Any]], bytes],
    unpack: Callable[[Sequence[Any], bytes], list[Any]],
    workers: int,
    progress: Callable[[int], None] | None = None,
    used: Callable[[int], None] | None = None,
) -> Iterator[Any]:
    """``function(item)`` for each item, yielded in order. With several workers, this process
    computes the first part of the items itself while ``workers - 1`` forked processes compute the
    rest, a slice at a time, and send back ``pack(results)``; ``unpack(items_of_the_slice, packed)``
    turns that back into the results here. Packing lets results that are costly to pickle (analysed
    names, sharing their words) travel compactly. Where forking is not possible, or for few items,
    everything is computed here, with the same results."""
    global _SHARED
    chunk = SHARED_CHUNK
    helpers = workers - 1
    if helpers < 1 or len(items) < MIN_PARALLEL_NAMES or not can_fork():
        if used is not None:
            used(1)
        yield from map_in_workers(function, items, workers=1, progress=progress)
        return
    # This process's share: it finishes its part when the helpers finish theirs, counting the
    # unpacking of their results.
    share = (1 / helpers - UNPACK_COST) / (1 - UNPACK_COST + 1 / helpers)
    own = max(chunk, int(len(items) * max(share, 0.0)) // chunk * chunk)
    bounds = [(start, min(start + chunk, len(items))) for start in range(own, len(items), chunk)]
    if not bounds:  # nothing left for a helper
        if used is not None:
            used(1)
        yield from map_in_workers(function, items, workers=1, progress=progress)
        return
    if used is not None:
        used(1 + min(helpers, len(bounds)))
    _SHARED = (function, pack, items)
    try:
        with multiprocessing.get_context("fork").Pool(helpers) as pool:
            _SHARED = None  # the helpers have their copy
            packed = pool.imap(_shared_slice, bounds)
            for start in range(0, own, chunk):
                yield from (function(item) for item in items[start : start + chunk])
                if progress is not None:
                    progress(min(start + chunk, len(items)))
            for (start, end), blob in zip(bounds, packed, strict=True):
                yield from unpack(items[start:end], blob)
                if progress is not None:
                    progress(end)
    finally:
        _SHARED = None


# The tasks of run_split, inherited by its forked processes.
_TASKS: Sequence[Callable[[], Any]] | None = None


def _run_task(index: int) -> Any:
    assert _TASKS is not None
    return _TASKS[index]()


def run_split(tasks: Sequence[Callable[[], Any]]) -> list[Any]:
    """``[task() for task in tasks]``, computed at once: the first task in this process, each other
    in a forked process of its own (which sends its result back pickled). Callers check
    :func:`can_fork` first; the tasks must not depend on one another's side effects."""
    global _TASKS
    if len(tasks) <= 1:
        return [task() for task in tasks]
    _TASKS = tasks
    try:
        with multiprocessing.get_context("fork").Pool(len(tasks) - 1) as pool:
            _TASKS = None  # the forked processes have their copy
            others = pool.map_async(_run_task, range(1, len(tasks)), chunksize=1)
            first = tasks[0]()
            return [first, *others.get()]
    finally:
        _TASKS = None


def _batch_slice(bounds: tuple[int, int]) -> tuple[bytes, bytes]:
    global _BATCH_SCORER
    assert _BATCH is not None
    factory, codes = _BATCH
    if _BATCH_SCORER is None:  # once per worker: the scorer's tables are built after the fork
        _BATCH_SCORER = factory()
    scores, flags = _BATCH_SCORER(codes[bounds[0] : bounds[1]])
    return scores.tobytes(), flags.tobytes()


def score_batches(
    factory: Callable[[], BatchScorer],
    codes: array[int],
    *,
    workers: int,
    chunk: int = 100_000,
    progress: Callable[[int], None] | None = None,
    used: Callable[[int], None] | None = None,
) -> tuple[array[float], array[int]]:
    """The scores of every encoded pair, in order, and a byte per pair (what the scorer says of
    it besides: dedupe's contradictions). ``factory()`` builds a scorer of a slice of codes, once
    per process; slices go to up to *workers* forked processes (each builds its own scorer after
    the fork, so that the parent stays free of the threads the scorer's libraries may start), or
    are scored here."""
    global _BATCH
    scores, flags = array("d"), array("b")
    if workers <= 1 or len(codes) < MIN_PARALLEL_PAIRS or not can_fork():
        if used is not None:
            used(1)
        scorer = factory()
        for start in range(0, len(codes), chunk):
            some, marks = scorer(codes[start : start + chunk])
            scores.extend(some)
            flags.extend(marks)
            if progress is not None:
                progress(len(scores))
        return scores, flags
    chunk = min(chunk, -(-len(codes) // workers))  # every worker gets a share
    bounds = [(start, min(start + chunk, len(codes))) for start in range(0, len(codes), chunk)]
    if used is not None:
        used(min(workers, len(bounds)))
    _BATCH = (factory, codes)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for some_bytes, mark_bytes in pool.imap(_batch_slice, bounds):
                scores.frombytes(some_bytes)
                flags.frombytes(mark_bytes)
                if progress is not None:
                    progress(len(scores))
        return scores, flags
    finally:
        _BATCH = None
