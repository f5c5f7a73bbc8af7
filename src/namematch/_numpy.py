"""numpy, for the modules that need it; importing it through here counts the threads it starts
(:mod:`namematch._threads`), so that dedupe still forks its workers after using numpy."""

# ruff: noqa: E402

from __future__ import annotations

import sys

from namematch import _threads

_before = None if "numpy" in sys.modules else _threads.threads()

import numpy as np

_threads.count_library(_before)

__all__ = ["np"]
