"""Compare matching strategies on labelled name pairs (``namematch bench``). Work in progress."""

from __future__ import annotations

__all__: list[str] = []
