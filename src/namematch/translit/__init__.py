"""Transliteration: the scheme format, the engine that runs it, the shipped schemes, detection."""
