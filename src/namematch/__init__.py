"""namematch: decide whether two spellings name the same entity when one started life in Cyrillic.

The public API is what ``__all__`` lists; everything else is internal and may change.
"""

from __future__ import annotations

from namematch.aliases import Alias, Entity, canonical, lookup
from namematch.dedupe import CandidatePair, DedupeReport, DedupeResult, Representative, dedupe
from namematch.errors import (
    NamematchError,
    SchemeFormatError,
    UncoveredCharacterError,
    UnknownLanguageError,
    UnknownSchemeError,
)
from namematch.match.measures import MEASURES, PHONETIC_CODES, keys, measure, phonetic_code
from namematch.match.normalize import normalize
from namematch.match.prepared import Prepared, prepare
from namematch.match.score import DEFAULT_THRESHOLD, Comparison, PartMatch, compare, similarities, similarity
from namematch.match.search import Choices, Match, match
from namematch.translit.api import transliterate, variants
from namematch.translit.detect import detect_language
from namematch.translit.registry import Language, languages, schemes
from namematch.translit.scheme import Scheme

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_THRESHOLD",
    "MEASURES",
    "PHONETIC_CODES",
    "Alias",
    "CandidatePair",
    "Choices",
    "Comparison",
    "DedupeReport",
    "DedupeResult",
    "Entity",
    "Language",
    "Match",
    "NamematchError",
    "PartMatch",
    "Prepared",
    "Representative",
    "Scheme",
    "SchemeFormatError",
    "UncoveredCharacterError",
    "UnknownLanguageError",
    "UnknownSchemeError",
    "__version__",
    "canonical",
    "compare",
    "dedupe",
    "detect_language",
    "keys",
    "languages",
    "lookup",
    "match",
    "measure",
    "normalize",
    "phonetic_code",
    "prepare",
    "schemes",
    "similarities",
    "similarity",
    "transliterate",
    "variants",
]
