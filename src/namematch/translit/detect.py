"""Which Cyrillic language a text is written in, from the letters only it (or few others) use.

Each language scores its *evidence*: letters few other languages have (ї є ґ for Ukrainian, ў for
Belarusian, ђ ћ for Serbian, ѓ ќ ѕ for Macedonian, қ ғ ә ... for Kazakh, ы э ё for Russian), a hard
sign ъ before a consonant for Bulgarian and before е ё ю я for Russian, and the Ukrainian endings
-ський, -цьк, which Russian writes -ский, -цк. It also counts its *foreign* letters: letters of the
text outside its alphabet and, for Bulgarian, ь anywhere but before о. Letters and patterns live in
``languages.json``. Among the languages with any evidence, the fewest foreign letters win, then the
most evidence, then the priority order. A text with no evidence ("Москва", "Иван": letters every
candidate shares) gives ``None``: no language is silently assumed.
"""

from __future__ import annotations

import re
from functools import cache

from namematch._text import nfc, require_str
from namematch.translit.registry import Language, languages

__all__ = ["candidate_languages", "detect_language", "language_scores"]

_RU_HARD_SIGN_NEXT = frozenset("еёюя")


@cache
def patterns() -> dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
    """Each language's evidence and foreign patterns, compiled, and under "" any evidence at all."""

    def join(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    out = {lang.code: (join(lang.evidence_patterns), join(lang.foreign_patterns)) for lang in languages()}
    letters = "".join(sorted({c for lang in languages() for c in lang.evidence} | {"ъ"}))
    anything = (*(p for lang in languages() for p in lang.evidence_patterns), f"[{letters}]")
    out[""] = (join(anything), None)
    return out


_CYRILLIC_LETTERS = frozenset(c for c in map(chr, range(0x0400, 0x0530)) if c.isalpha() and c.islower())


def _letters(text: str) -> tuple[str, frozenset[str]]:
    """The lower-cased text and the set of its Cyrillic letters."""
    lowered = nfc(text).lower()
    return lowered, _CYRILLIC_LETTERS.intersection(lowered)


def _score(lang: Language, lowered: str, letters: frozenset[str]) -> tuple[int, int]:
    evidence = sum(lowered.count(c) for c in letters & lang.evidence)
    foreign = sum(lowered.count(c) for c in letters - lang.alphabet)
    if "ъ" in letters and lang.code in ("ru", "bg"):
        # ru writes ъ only as a separator before iotated vowels; bg writes it as a vowel.
        separators = len(re.findall("ъ[еёюя]", lowered))
        evidence += separators if lang.code == "ru" else lowered.count("ъ") - separators
    more, less = patterns()[lang.code]
    if more is not None:
        evidence += len(more.findall(lowered))
    if less is not None:
        foreign += len(less.findall(lowered))
    return evidence, foreign


def language_scores(text: str) -> dict[str, tuple[int, int]]:
    """(evidence, foreign letters) of *text* for every supported language, for explanation and tests."""
    lowered, letters = _letters(require_str(text))
    return {lang.code: _score(lang, lowered, letters) for lang in languages()}


def detect_language(text: str) -> str | None:
    """The language of a Cyrillic *text*: one of ``ru uk be bg sr mk kk``, or ``None`` without evidence.

    >>> detect_language("Київ"), detect_language("Ўладзімір"), detect_language("Москва")
    ('uk', 'be', None)
    """
    lowered, letters = _letters(require_str(text))
    return _detect(lowered, letters)


def _detect(lowered: str, letters: frozenset[str]) -> str | None:
    anything = patterns()[""][0]
    if not letters or anything is None or anything.search(lowered) is None:
        return None  # the common case for names: no evidence at all, found by one regex search
    best: tuple[int, int, int] | None = None
    found = None
    for rank, lang in enumerate(languages()):
        evidence, foreign = _score(lang, lowered, letters)
        if evidence == 0:
            continue
        key = (foreign, -evidence, rank)
        if best is None or key < best:
            best, found = key, lang.code
    return found


def candidate_languages(text: str) -> list[str]:
    """Languages that could have written *text*: the detected one, or else every language whose
    alphabet holds all of its Cyrillic letters (priority order), or else those with the fewest
    letters outside their alphabet. Empty for text with no Cyrillic."""
    lowered, letters = _letters(require_str(text))
    detected = _detect(lowered, letters)
    if detected is not None:
        return [detected]
    if not letters:
        return []
    fits = [lang.code for lang in languages() if letters <= lang.alphabet]
    if fits:
        return fits
    foreign = {lang.code: _score(lang, lowered, letters)[1] for lang in languages()}
    fewest = min(foreign.values())
    return [code for code, n in foreign.items() if n == fewest]
