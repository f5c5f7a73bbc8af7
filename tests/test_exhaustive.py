"""Exhaustive: every code point of the Cyrillic blocks U+0400–U+052F, both cases, every scheme."""

from __future__ import annotations

import pytest

import namematch
from namematch.translit.registry import transliterator

CODE_POINTS = [chr(cp) for cp in range(0x0400, 0x0530)]
CHARS = sorted({c for cp in CODE_POINTS for c in (cp, cp.lower(), cp.upper()) if len(c) == 1})
SCHEMES = namematch.schemes()


def _cyrillic(text: str) -> list[str]:
    return [c for c in text if "\u0400" <= c <= "\u052f"]


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.id)
def test_every_code_point_in_every_position(scheme: namematch.Scheme) -> None:
    run = transliterator(scheme.id)
    alphabet = {ch for rule in scheme.rules for part in rule.output for ch in part}
    alphabet |= {ch.upper() for ch in alphabet} | {ch for out in scheme.title.values() for ch in out}
    for char in CHARS:
        for text in (char, f"{char}а", f"а{char}", f"а{char}а", f"{char}{char}", f"'{char}'", f"а'{char}"):
            kept = run(text)  # errors="preserve" never raises
            assert isinstance(kept, str)
            ascii_out = run(text, "ascii")
            assert not _cyrillic(ascii_out), (text, ascii_out)
            assert all(c.isascii() or c in alphabet for c in ascii_out), (text, ascii_out)
            assert not _cyrillic(run(text, "ignore"))


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.id)
def test_every_mapped_letter_is_romanised_in_both_cases(scheme: namematch.Scheme) -> None:
    # Letters with a plain (context-free) entry are romanised wherever they stand, in either case.
    run = transliterator(scheme.id)
    plain = {rule.source for rule in scheme.rules if not rule.contextual and len(rule.source) == 1}
    for char in sorted(plain - {"'"}) + sorted(c.upper() for c in plain - {"'"}):
        for text in (char, char * 3, f"{char}а{char}", f"а{char}"):
            assert not _cyrillic(run(text, "strict")), (scheme.id, text)


@pytest.mark.parametrize("lang", namematch.languages(), ids=lambda lang: lang.code)
def test_every_scheme_covers_its_languages_alphabet(lang: namematch.Language) -> None:
    for scheme in (s for s in SCHEMES if s.language == lang.code):
        plain = {rule.source for rule in scheme.rules if not rule.contextual}
        missing = [c for c in sorted(lang.alphabet) if c not in plain]
        # A letter the standard does not give alone (or at all) is allowed, but its notes must say so.
        unexplained = [c for c in missing if not any(c in note for note in scheme.notes)]
        assert not unexplained, (scheme.id, unexplained)
