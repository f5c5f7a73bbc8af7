"""Deduplicate entity tables: cluster the rows that name the same entity (see :func:`dedupe`)."""

from __future__ import annotations

from namematch.dedupe.core import CandidatePair, DedupeReport, DedupeResult, Representative, dedupe

__all__ = ["CandidatePair", "DedupeReport", "DedupeResult", "Representative", "dedupe"]
