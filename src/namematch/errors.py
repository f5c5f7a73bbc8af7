"""The exceptions namematch raises.

Every error about a *value* derives from :class:`NamematchError`, itself a :class:`ValueError`, so
``except ValueError`` keeps working for callers who do not care which one it was. Wrong *types*
(``None``, ``bytes``, numbers where text is expected) raise the built-in :class:`TypeError`.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "NamematchError",
    "SchemeFormatError",
    "UncoveredCharacterError",
    "UnknownLanguageError",
    "UnknownSchemeError",
]


class NamematchError(ValueError):
    """Base class of every value error raised by namematch."""


def _listing(valid: Iterable[str]) -> str:
    return ", ".join(sorted(valid))


class UnknownSchemeError(NamematchError):
    """A scheme id or alias that no shipped scheme carries."""

    def __init__(self, name: str, valid: Iterable[str]) -> None:
        self.name = name
        self.valid = tuple(sorted(valid))
        super().__init__(
            f"unknown scheme {name!r}; valid scheme ids (their aliases are accepted too, see "
            f"namematch.schemes()): {_listing(self.valid)}"
        )


class UnknownLanguageError(NamematchError):
    """A language code namematch has no schemes for."""

    def __init__(self, code: str, valid: Iterable[str]) -> None:
        self.code = code
        self.valid = tuple(sorted(valid))
        super().__init__(f"unknown language {code!r}; valid languages: {_listing(self.valid)}")


class UncoveredCharacterError(NamematchError):
    """Raised under ``errors="strict"`` for a character the scheme does not cover."""

    def __init__(self, char: str, index: int, scheme_id: str) -> None:
        self.char = char
        self.index = index
        self.scheme_id = scheme_id
        super().__init__(
            f"character {char!r} (U+{ord(char):04X}) at index {index} is not covered by scheme {scheme_id!r}"
        )


class SchemeFormatError(NamematchError):
    """A scheme data file that does not follow the documented format."""
