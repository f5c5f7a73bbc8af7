"""Which Cyrillic language a text is written in, from the letters only it (or few others) use.

Each language scores its *evidence* (letters few other languages have: ї є ґ for Ukrainian, ў for
Belarusian, ђ ћ for Serbian, ѓ ќ ѕ for Macedonian, қ ғ ә ... for Kazakh, ы э ё for Russian; a hard
sign ъ before a consonant for Bulgarian, before е ё ю я for Russian) and its *foreign* letters (letters
of the text outside its alphabet). Among the languages with any evidence, the fewest foreign letters
win, then the most evidence, then the priority order of ``languages.json``. A text with no evidence
("Москва", "Иван": letters every candidate shares) gives ``None``: no language is silently assumed.
"""

from __future__ import annotations

from namematch._text import nfc, require_str
from namematch.translit.registry import Language, languages

__all__ = ["candidate_languages", "detect_language", "language_scores"]

_RU_HARD_SIGN_NEXT = frozenset("еёюя")


def _letters(text: str) -> list[tuple[str, str]]:
    """The Cyrillic letters of *text* (lower case), each with the letter after it."""
    lowered = nfc(text).lower()
    out = []
    for i, char in enumerate(lowered):
        if "\u0400" <= char <= "\u052f" and char.isalpha():
            out.append((char, lowered[i + 1] if i + 1 < len(lowered) else ""))
    return out


def _score(lang: Language, letters: list[tuple[str, str]]) -> tuple[int, int]:
    evidence = foreign = 0
    for char, nxt in letters:
        if char not in lang.alphabet:
            foreign += 1
        if char == "ъ":
            # ru writes ъ only as a separator before iotated vowels; bg writes it as a vowel.
            separator = nxt in _RU_HARD_SIGN_NEXT
            evidence += (lang.code == "ru" and separator) or (lang.code == "bg" and not separator)
        elif char in lang.evidence:
            evidence += 1
    return evidence, foreign


def language_scores(text: str) -> dict[str, tuple[int, int]]:
    """(evidence, foreign letters) of *text* for every supported language, for explanation and tests."""
    letters = _letters(require_str(text))
    return {lang.code: _score(lang, letters) for lang in languages()}


def detect_language(text: str) -> str | None:
    """The language of a Cyrillic *text*: one of ``ru uk be bg sr mk kk``, or ``None`` without evidence.

    >>> detect_language("Київ"), detect_language("Ўладзімір"), detect_language("Москва")
    ('uk', 'be', None)
    """
    letters = _letters(require_str(text))
    if not letters:
        return None
    best: tuple[int, int, int] | None = None
    found = None
    for rank, lang in enumerate(languages()):
        evidence, foreign = _score(lang, letters)
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
    letters = _letters(text)
    if not letters:
        return []
    fits = [lang.code for lang in languages() if all(c in lang.alphabet for c, _ in letters)]
    if fits:
        return fits
    fewest = min(_score(lang, letters)[1] for lang in languages())
    return [lang.code for lang in languages() if _score(lang, letters)[1] == fewest]
