"""The threads this process runs, and those that numpy's import started when namematch imported it.

numpy's OpenBLAS starts a pool of idle threads on import. Forking a process that runs other
threads is unsafe (a worker may wait on a lock no thread will release), so dedupe forks only
single-threaded processes; but OpenBLAS shuts its pool down around a fork (``pthread_atfork``), so
its threads do not count. When namematch imports numpy first (:mod:`namematch._numpy`), it counts
them here; when numpy was imported before (by pandas, say), they cannot be told apart from other
threads, and count.
"""

from __future__ import annotations

import os

__all__ = ["count_library", "library_threads", "threads"]

_LIBRARY_THREADS = 0


def threads() -> int | None:
    """The threads this process runs (None where the platform does not say)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return None


def count_library(before: int | None) -> None:
    """Note the threads a library's import started, *before* being the count before it (None: the
    import was not namematch's, or the platform does not say)."""
    global _LIBRARY_THREADS
    after = threads()
    if before == 1 and after is not None:
        _LIBRARY_THREADS = after - 1


def library_threads() -> int:
    """Threads numpy's import started when namematch imported it (see the module's docstring)."""
    return _LIBRARY_THREADS
