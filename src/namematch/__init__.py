"""namematch: decide whether two spellings name the same entity when one started life in Cyrillic.

The public API is what ``__all__`` lists; everything else is internal and may change.
"""

from __future__ import annotations

from namematch.errors import (
    NamematchError,
    SchemeFormatError,
    UncoveredCharacterError,
    UnknownLanguageError,
    UnknownSchemeError,
)
from namematch.translit.api import transliterate, variants
from namematch.translit.detect import detect_language
from namematch.translit.registry import Language, languages, schemes
from namematch.translit.scheme import Scheme

__version__ = "0.1.0"

__all__ = [
    "Language",
    "NamematchError",
    "Scheme",
    "SchemeFormatError",
    "UncoveredCharacterError",
    "UnknownLanguageError",
    "UnknownSchemeError",
    "__version__",
    "detect_language",
    "languages",
    "schemes",
    "transliterate",
    "variants",
]
