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
from collections import Counter
from functools import cache

from namematch._text import nfc, require_str
from namematch.translit.registry import Language, languages

__all__ = ["candidate_languages", "detect_language", "language_scores"]

_RU_HARD_SIGN_NEXT = frozenset("еёюя")


@cache
def patterns() -> dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
    def join(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    return {lang.code: (join(lang.evidence_patterns), join(lang.foreign_patterns)) for lang in languages()}


def _letters(text: str) -> tuple[str, Counter[str]]:
    """The lower-cased text and a count of its Cyrillic letters."""
    lowered = nfc(text).lower()
    counts = Counter(lowered)
    for char in list(counts):
        if not ("\u0400" <= char <= "\u052f" and char.isalpha()):
            del counts[char]
    return lowered, counts


def _score(lang: Language, lowered: str, counts: Counter[str]) -> tuple[int, int]:
    evidence = sum(n for c, n in counts.items() if c in lang.evidence)
    foreign = sum(n for c, n in counts.items() if c not in lang.alphabet)
    if "ъ" in counts and lang.code in ("ru", "bg"):
        # ru writes ъ only as a separator before iotated vowels; bg writes it as a vowel.
        separators = len(re.findall("ъ[еёюя]", lowered))
        evidence += separators if lang.code == "ru" else counts["ъ"] - separators
    more, less = patterns()[lang.code]
    if more is not None:
        evidence += len(more.findall(lowered))
    if less is not None:
        foreign += len(less.findall(lowered))
    return evidence, foreign


def language_scores(text: str) -> dict[str, tuple[int, int]]:
    """(evidence, foreign letters) of *text* for every supported language, for explanation and tests."""
    lowered, counts = _letters(require_str(text))
    return {lang.code: _score(lang, lowered, counts) for lang in languages()}


def detect_language(text: str) -> str | None:
    """The language of a Cyrillic *text*: one of ``ru uk be bg sr mk kk``, or ``None`` without evidence.

    >>> detect_language("Київ"), detect_language("Ўладзімір"), detect_language("Москва")
    ('uk', 'be', None)
    """
    lowered, counts = _letters(require_str(text))
    if not counts:
        return None
    best: tuple[int, int, int] | None = None
    found = None
    for rank, lang in enumerate(languages()):
        evidence, foreign = _score(lang, lowered, counts)
        if evidence == 0:
            continue
        key = (foreign, -evidence, rank)
        if best is None or key < best:
            best, found = key, lang.code
    return found


def candidate_languages(text: str) -> list[str]:
    """Languages that could have written *text*: the detected one, or else every language whose
    alphabet holds all of its Cyrillic letters (priority order). Empty for text with no Cyrillic."""
    detected = detect_language(text)
    if detected is not None:
        return [detected]
    lowered, counts = _letters(text)
    if not counts:
        return []
    foreign = {lang.code: _score(lang, lowered, counts)[1] for lang in languages()}
    fewest = min(foreign.values())
    return [code for code, n in foreign.items() if n == fewest]
