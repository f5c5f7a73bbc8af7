"""Named measures over the romanised form of names, so strategies can be compared side by side.

Every measure takes two names (any script: Cyrillic is romanised first, so no measure silently
receives letters it cannot handle) and returns a similarity in [0, 1]. The classical phonetic codes
(jellyfish) are exposed as measures that score 1.0 when every word's code agrees in some order,
and as :func:`phonetic_code`.
"""

from __future__ import annotations

from collections.abc import Callable

import jellyfish
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler, Levenshtein

from namematch.errors import NamematchError
from namematch.match.normalize import Kind
from namematch.match.prepared import Prepared, prepare
from namematch.match.score import similarity

__all__ = ["MEASURES", "PHONETIC_CODES", "keys", "measure", "phonetic_code"]

PHONETIC_CODES: dict[str, Callable[[str], str]] = {
    "soundex": jellyfish.soundex,
    "metaphone": jellyfish.metaphone,
    "nysiis": jellyfish.nysiis,
    "match_rating": jellyfish.match_rating_codex,
}


def keys(name: str | Prepared, *, kind: Kind = "auto") -> frozenset[str]:
    """Blocking keys: two spellings of one name share one, whatever the script and romanisation.

    >>> all(keys("Евдокимов") & keys(s) for s in ["Yevdokimov", "Jewdokimow", "Evdokimoff"])
    True
    >>> sorted(keys("Володимир Зеленський")), sorted(keys("Selenskyj"))
    (['slnsk', 'vldmr'], ['slnsk'])
    """
    return prepare(name, kind=kind).keys


def phonetic_code(name: str | Prepared, code: str = "metaphone", *, kind: Kind = "auto") -> str:
    """A classical phonetic code of each word of the romanised name, joined by spaces.

    >>> phonetic_code("Щеглова", "soundex"), phonetic_code("Shcheglova", "soundex")
    ('S241', 'S241')
    """
    function = PHONETIC_CODES.get(code)
    if function is None:
        raise NamematchError(f"unknown phonetic code {code!r}; valid: {', '.join(PHONETIC_CODES)}")
    return " ".join(function(w.folded) for w in prepare(name, kind=kind).words if w.folded)


def _codes_equal(code: str) -> Callable[[Prepared, Prepared], float]:
    function = PHONETIC_CODES[code]

    def score(a: Prepared, b: Prepared) -> float:
        left = sorted(function(w.folded) for w in a.words if w.folded)
        right = sorted(function(w.folded) for w in b.words if w.folded)
        return 1.0 if left and left == right else 0.0

    return score


def _on_romanised(function: Callable[[str, str], float]) -> Callable[[Prepared, Prepared], float]:
    return lambda a, b: function(a.romanized, b.romanized)


_PAIR_MEASURES: dict[str, Callable[[Prepared, Prepared], float]] = {
    "exact": lambda a, b: float(a.normalized == b.normalized),
    "romanised_exact": _on_romanised(lambda x, y: float(x == y)),
    "levenshtein": _on_romanised(Levenshtein.normalized_similarity),
    "jaro_winkler": _on_romanised(JaroWinkler.similarity),
    "token_sort_ratio": _on_romanised(lambda x, y: fuzz.token_sort_ratio(x, y) / 100),
    **{code: _codes_equal(code) for code in PHONETIC_CODES},
    "keys": lambda a, b: float(not a.keys.isdisjoint(b.keys)),
    "namematch": lambda a, b: similarity(a, b),
}

#: The names of the measures :func:`measure` accepts.
MEASURES: tuple[str, ...] = tuple(_PAIR_MEASURES)


def measure(name: str, a: str | Prepared, b: str | Prepared, *, kind: Kind = "auto") -> float:
    """Score two names with the named measure (one of :data:`MEASURES`).

    >>> measure("jaro_winkler", "Petrov", "Petrenko") > measure("namematch", "Petrov", "Petrenko")
    True
    """
    function = _PAIR_MEASURES.get(name)
    if function is None:
        raise NamematchError(f"unknown measure {name!r}; valid: {', '.join(MEASURES)}")
    return function(prepare(a, kind=kind), prepare(b, kind=kind))
