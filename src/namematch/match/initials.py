"""Which Cyrillic letter a word may start with, read from every shipped romanisation scheme, so
that an initial is compared with a name letter by letter, not only by sound.

The sound classes of :func:`namematch.match.score._onsets` put Ч and Ж together (both sibilants,
written ch, zh, č, ž, tsch, j ...), and Г with Х (Ukrainian h): so "Ch." was taken for Zhanna's
initial and "Г." for Khrabrin's. Here each word gets the set of Cyrillic letters it may start with:

- a Cyrillic word: its first letter;
- a romanised word: every letter some scheme writes as a prefix of it (Zhanna: ж as zh, з as z;
  Iakov: я as ia, и as i; Tschaikowski: ч as tsch, т as t);
- an initial of one or two Latin letters: every letter some scheme's romanisation starts with it
  ("Z." is з, ж or German ц; "Ch." is ч, ш, or German and Polish х; "Zh." is ж alone).

Letters that the languages write for one another's are one letter here (и, і, ї, й: Игорь and
Ігор; е, є, э; г, ґ, ғ; the Kazakh letters and their Russian spellings; ђ and ѓ, ћ and ќ).

An initial and a word may stand for one name when their sets share a letter, or when either set is
unknown (an abbreviation such as "Dm." or "Vl.", which no romanisation of one letter starts):
then the sound classes alone decide, as before. The table is derived from the scheme files
(:func:`computed_letters`); ``data/build.py`` ships it with the alias index, so a process reads it
instead of compiling every scheme, and a new or edited scheme file extends it.
"""

from __future__ import annotations

from functools import cache

from namematch.match.phonetic import fold
from namematch.match.prepared import Word
from namematch.translit.registry import get_language, schemes, transliterator

__all__ = ["clear_caches", "computed_letters", "letters", "letters_agree", "warm"]

#: Letters one language writes where another writes the other: one letter for initials.
_GROUPS = ("иіїйѝ", "еєэѐ", "гґғ", "уўүұ", "аә", "оө", "кқ", "нң", "хһ", "ђѓ", "ћќ")
_GROUP = {c: g[0] for g in _GROUPS for c in g}
_CYRILLIC = range(0x0400, 0x0530)


def computed_letters() -> dict[str, list[str]]:
    """Each romanisation some shipped scheme writes a letter as at a word's start (folded as words
    are) -> the letters (one per group) it writes, computed from the scheme files now; what
    ``data/build.py`` stores in the alias index."""
    written: dict[str, set[str]] = {}
    for scheme in schemes():
        alphabet = get_language(scheme.language).alphabet
        romanise = transliterator(scheme.id)
        for letter in sorted(alphabet):
            latin = fold(romanise(letter))
            if latin:
                written.setdefault(latin, set()).add(_GROUP.get(letter, letter))
    # Latin x writes кс (Xenia, Aleksandr as Alexander), which no scheme writes at a word's start.
    written.setdefault("x", set()).add("к")
    return {latin: sorted(found) for latin, found in sorted(written.items())}


@cache
def _tables() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]], int]:
    """(romanisation -> the letters it writes at a word's start; any prefix of a romanisation ->
    the letters whose romanisation starts with it; the longest romanisation)."""
    from namematch.aliases import stored_initial_letters

    written = stored_initial_letters() or computed_letters()
    starts: dict[str, set[str]] = {}
    for latin, found in written.items():
        for end in range(1, len(latin) + 1):
            starts.setdefault(latin[:end], set()).update(found)
    return (
        {k: frozenset(v) for k, v in written.items()},
        {k: frozenset(v) for k, v in starts.items()},
        max(map(len, written), default=0),
    )


def _letters(word: Word) -> frozenset[str] | None:
    first = next((c for c in word.text if c.isalpha()), "")
    if ord(first[:1] or "\0") in _CYRILLIC:
        low = first.lower()
        return frozenset({_GROUP.get(low, low)})
    folded = word.folded
    if not folded:
        return None
    written, starts, longest = _tables()
    if len(folded) <= 2:  # an initial: the start of a letter's romanisation
        return starts.get(folded)
    found: set[str] = set()
    for end in range(1, min(len(folded), longest) + 1):
        found.update(written.get(folded[:end], ()))
    return frozenset(found) or None


def warm() -> None:
    """Load the table now (before forking workers that would each load it)."""
    _tables()


_LETTERS: dict[int, frozenset[str] | None] = {}


def letters(word: Word) -> frozenset[str] | None:
    """The Cyrillic letters *word* may start with (one per group of equivalent letters), or None
    when no scheme explains its start. Remembered per word."""
    try:
        return _LETTERS[word.uid]
    except KeyError:
        if len(_LETTERS) >= 1 << 18:
            _LETTERS.clear()
        found = _LETTERS[word.uid] = _letters(word)
        return found


def clear_caches() -> None:
    """Forget the letters remembered per word (the table itself is reset with the registry)."""
    _LETTERS.clear()


def letters_agree(a: Word, b: Word) -> bool:
    """Whether two words, one of them an initial, may start with the same Cyrillic letter."""
    la, lb = letters(a), letters(b)
    return la is None or lb is None or not la.isdisjoint(lb)
