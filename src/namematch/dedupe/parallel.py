"""Work on several cores, with forked workers.

On platforms with ``fork`` (Linux; not Windows), and when this process runs a single thread (numpy's
idle pool aside, see :func:`can_fork`), dedupe analyses its names with :func:`map_shared` (forked
helpers take slices of the names from the first on and send their results back packed, this
process takes slices from the last one back, until the two meet; each slice is handed on as soon
as it is done); pairs the blocks in a forked process while this one builds the word table, with
:func:`run_aside` (the ranking of names for the table goes to whichever is done first); scores its
candidate pairs with :func:`score_batches`, in workers that inherit the analysed names and the word
table, so that only the scores travel back (9 bytes a pair); and links the connected components of
the matching pairs with :func:`run_split`, a share of the components per process (the linkage of
one component never looks outside it).
:func:`map_in_workers` maps a function over items in workers (the Splink columns use it: their
values are small). Elsewhere, or for small inputs, everything runs in the calling process. The
results are the same either way (a test holds them equal).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

from namematch import _threads
from namematch.errors import NamematchError

__all__ = [
    "MIN_PARALLEL_NAMES",
    "MIN_PARALLEL_PAIRS",
    "can_fork",
    "default_workers",
    "map_in_workers",
    "map_shared",
    "run_aside",
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
    if multiprocessing.current_process().daemon:
        return "this process is a daemonic worker (of a multiprocessing pool), which may not start processes"
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


# What forked workers of map_shared compute: the function, how they pack a slice's results, the
# items, the slice size; which slices a helper has started, and the first slice this process took.
_SHARED: tuple[Callable[[Any], Any], Callable[[list[Any]], bytes], Sequence[Any], int, Any, Any] | None = None

#: Items computed at a time (a slice), by a helper of map_shared or by this process.
SHARED_CHUNK = 2_000


def _shared_slice(index: int) -> bytes | None:
    """A helper's work on slice *index*: its packed results, or None when the calling process took
    the slice first."""
    assert _SHARED is not None
    function, pack, items, chunk, started, first_taken = _SHARED
    started[index] = 1  # before reading first_taken (see map_shared)
    if index >= first_taken.value:
        return None
    return pack([function(item) for item in items[index * chunk : (index + 1) * chunk]])


def map_shared(
    function: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    pack: Callable[[list[Any]], bytes],
    unpack: Callable[[Sequence[Any], bytes], list[Any]],
    workers: int,
    progress: Callable[[int], None] | None = None,
    used: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, list[Any]]]:
    """``function(item)`` for each item, yielded a slice at a time as ``(start, results)``: the
    results of ``items[start : start + len(results)]``, in order within the slice; the slices
    as they are done, every item's result once. With several workers, the items are
    cut into slices: ``workers - 1`` forked helpers compute slices from the first on, and send back
    ``pack(results)``, which ``unpack(items_of_the_slice, packed)`` turns back into the results
    here (in the order of the slices: a helper may send a word's analysis once); this process
    computes slices from the last one back, yielding each at once, and between two of its slices
    takes in what the helpers sent, until the two meet. So the work divides itself, whichever side
    runs faster (taking a helper's results in costs this process a share of what computing them
    cost, and how large a share depends on the input), and no slice waits for the ones before it.
    Packing lets results that are costly to pickle (analysed names, sharing their words) travel
    compactly. Where forking is not possible, or for few items, everything is computed here, in
    order, with the same results."""
    global _SHARED
    chunk = SHARED_CHUNK
    helpers = workers - 1
    slices = -(-len(items) // chunk)
    if helpers < 1 or len(items) < MIN_PARALLEL_NAMES or slices < 2 or not can_fork():
        if used is not None:
            used(1)
        for start in range(0, len(items), chunk):
            yield start, [function(item) for item in items[start : start + chunk]]
            if progress is not None:
                progress(min(start + chunk, len(items)))
        return
    if used is not None:
        used(1 + min(helpers, slices - 1))
    context = multiprocessing.get_context("fork")
    # A helper marks a slice started before it reads first_taken; this process reads the mark
    # before it lowers first_taken to take the slice. So a slice is never skipped by both sides
    # (at worst, in a race, computed by both, and this process's results used).
    started = context.RawArray("b", slices)
    first_taken = context.RawValue("q", slices)
    _SHARED = (function, pack, items, chunk, started, first_taken)

    def part(index: int) -> Sequence[Any]:
        return items[index * chunk : (index + 1) * chunk]

    done = 0
    try:
        with context.Pool(helpers) as pool:
            _SHARED = None  # the helpers have their copy
            packed = pool.imap(_shared_slice, range(slices))
            received = 0  # slices whose helper result has been taken in
            taking = True  # whether this process may still take slices from the end
            while received < slices:
                if received < first_taken.value:  # a helper's slice is next
                    try:
                        blob = packed.next(timeout=0 if taking else None)
                    except multiprocessing.TimeoutError:
                        pass  # nothing yet: take a slice meanwhile
                    else:
                        assert blob is not None  # slices below first_taken are the helpers'
                        results = unpack(part(received), blob)
                        yield received * chunk, results
                        received += 1
                        done += len(results)
                        if progress is not None:
                            progress(done)
                        continue
                if taking:
                    index = first_taken.value - 1
                    if index < received or started[index]:
                        taking = False
                        continue
                    first_taken.value = index
                    results = [function(item) for item in part(index)]
                    yield index * chunk, results
                    done += len(results)
                    if progress is not None:
                        progress(done)
                    continue
                # This process's slices, yielded already; a helper's result for any of them (a
                # race, or nothing: None) is still taken in, for the words it sends once.
                blob = packed.next()
                if blob is not None:
                    unpack(part(received), blob)
                received += 1
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


def _run_aside(task: Callable[[], Any], either: Callable[[], Any], claim: Any, lock: Any, out: Any) -> None:
    """run_aside's forked process: its task, then *either* if this process claims it first; the
    results (or the error) are sent back on *out*."""
    try:
        result = task()
        took = _claim(claim, lock, 2)
        extra = either() if took else None
        # Arrays in a tuple result travel as their bytes, after the rest (pickling one copies it
        # several times over: tens of MB of candidate pairs at a million names).
        arrays = [v for v in result if isinstance(v, array)] if isinstance(result, tuple) else []
        if arrays:
            result = tuple(_Raw(v.typecode, len(v)) if isinstance(v, array) else v for v in result)
        out.send((result, extra, took))
        for values in arrays:
            out.send_bytes(values)
    except BaseException as error:  # sent back, raised there
        out.send(NamematchError(f"the forked process of run_aside failed: {error!r}"))
    finally:
        out.close()


def _claim(claim: Any, lock: Any, mark: int) -> bool:
    """Whether this process takes run_aside's shared task: it does when no process has (the claim
    is 0), marking the claim with *mark*, under the lock."""
    with lock:
        if claim.value:
            return False
        claim.value = mark
        return True


class _Raw(NamedTuple):
    """An array of a result of run_aside's forked process, sent apart as its bytes."""

    typecode: str
    length: int


def _receive(receive: Any, result: Any) -> Any:
    """*result* with each of its :class:`_Raw` arrays read from *receive*, in order."""
    if not isinstance(result, tuple) or not any(isinstance(v, _Raw) for v in result):
        return result
    out: list[Any] = []
    for value in result:
        if isinstance(value, _Raw):
            values = array(value.typecode, bytes(array(value.typecode).itemsize)) * value.length
            if receive.recv_bytes_into(values) != values.itemsize * value.length:
                raise NamematchError("the forked process of run_aside sent an array short")
            value = values
        out.append(value)
    return tuple(out)


def _widen(connection: Any) -> None:
    """Let a pipe hold 1 MiB at a time (Linux; elsewhere, or where refused, it stays as it is):
    a large result then crosses in fewer, longer writes."""
    try:
        import fcntl

        fcntl.fcntl(connection.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass


def run_aside(here: Callable[[], Any], there: Callable[[], Any], either: Callable[[], Any]) -> tuple[Any, Any, Any]:
    """``(here(), there(), either())``, computed at once: *here* in this process, *there* in a
    forked one (its result sent back pickled, but for arrays in a tuple result, which are sent as
    their bytes), and *either* by whichever of the two is done with its own task first, so that
    neither waits for the other longer than it must. The forked process is not waited for once
    its results are in: it ends while this one goes on, and is collected when another process
    starts. Callers check :func:`can_fork` first; the tasks must not depend on one another's side
    effects."""
    context = multiprocessing.get_context("fork")
    claim, lock = context.RawValue("b", 0), context.Lock()
    receive, send = context.Pipe(duplex=False)
    _widen(send)
    process = context.Process(target=_run_aside, args=(there, either, claim, lock, send), daemon=True)
    process.start()
    send.close()
    try:
        mine = here()
        took = _claim(claim, lock, 1)
        extra = either() if took else None
        try:
            message = receive.recv()
        except EOFError:
            process.join()
            raise NamematchError(
                f"the forked process of run_aside ended without a result (exit code {process.exitcode})"
            ) from None
    except BaseException:
        receive.close()
        process.terminate()
        process.join()
        raise
    if isinstance(message, NamematchError):
        receive.close()
        process.join()
        raise message
    theirs, their_extra, they_took = message
    assert took != they_took
    try:
        theirs = _receive(receive, theirs)
    except EOFError:
        process.join()
        raise NamematchError(
            f"the forked process of run_aside ended while sending its result (exit code {process.exitcode})"
        ) from None
    finally:
        receive.close()
    return mine, theirs, extra if took else their_extra


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
