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
from functools import cache, lru_cache

from namematch._text import nfc, require_str
from namematch.translit.registry import Language, languages

__all__ = ["candidate_languages", "detect_language", "language_scores"]

_RU_HARD_SIGN_NEXT = frozenset("еёюя")


@cache
def patterns() -> dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
    """Each language's evidence and foreign patterns, compiled."""

    def join(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    return {lang.code: (join(lang.evidence_patterns), join(lang.foreign_patterns)) for lang in languages()}


_CYRILLIC_LETTERS = frozenset(c for c in map(chr, range(0x0400, 0x0530)) if c.isalpha() and c.islower())


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


@lru_cache(maxsize=1 << 16)
def _word_scores(word: str) -> tuple[tuple[int, int], ...] | None:
    """(evidence, foreign) per language for one lower-cased word; None when it has no Cyrillic.

    Scores add up over words (no letter or pattern reads across a space), and words repeat far
    more than texts do, so they are computed once per word.
    """
    letters = _CYRILLIC_LETTERS.intersection(word)
    if not letters:
        return None
    return tuple(_score(lang, word, letters) for lang in languages())


def _scores(lowered: str) -> list[tuple[int, int]] | None:
    totals: list[tuple[int, int]] | None = None
    for word in lowered.split():
        found = _word_scores(word)
        if found is None:
            continue
        if totals is None:
            totals = list(found)
        else:
            totals = [(e + e2, f + f2) for (e, f), (e2, f2) in zip(totals, found, strict=True)]
    return totals


def language_scores(text: str) -> dict[str, tuple[int, int]]:
    """(evidence, foreign letters) of *text* for every supported language, for explanation and tests."""
    scores = _scores(nfc(require_str(text)).lower())
    return {lang.code: scores[i] if scores else (0, 0) for i, lang in enumerate(languages())}


def detect_language(text: str) -> str | None:
    """The language of a Cyrillic *text*: one of ``ru uk be bg sr mk kk``, or ``None`` without evidence.

    >>> detect_language("Київ"), detect_language("Ўладзімір"), detect_language("Москва")
    ('uk', 'be', None)
    """
    return _detect(_scores(nfc(require_str(text)).lower()))


def _detect(scores: list[tuple[int, int]] | None) -> str | None:
    if scores is None:
        return None
    best: tuple[int, int, int] | None = None
    found = None
    for rank, (evidence, foreign) in enumerate(scores):
        if evidence == 0:
            continue
        key = (foreign, -evidence, rank)
        if best is None or key < best:
            best, found = key, languages()[rank].code
    return found


def candidate_languages(text: str) -> list[str]:
    """Languages that could have written *text*: the detected one, or else every language with no
    letter outside its alphabet (priority order), or else those with the fewest. Empty for text with
    no Cyrillic."""
    scores = _scores(nfc(require_str(text)).lower())
    detected = _detect(scores)
    if detected is not None:
        return [detected]
    if scores is None:
        return []
    fewest = min(foreign for _, foreign in scores)
    return [lang.code for lang, (_, foreign) in zip(languages(), scores, strict=True) if foreign == fewest]
