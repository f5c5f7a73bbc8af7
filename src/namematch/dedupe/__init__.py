"""Deduplicate entity tables: cluster the rows that name the same entity. Work in progress."""

from __future__ import annotations

__all__: list[str] = []
