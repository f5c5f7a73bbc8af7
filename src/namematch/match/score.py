"""Pair scores that explain themselves: :func:`compare` and :func:`similarity`.

Words are aligned one to one (any order) to maximise the total of their similarities. A pair of
words scores, by the first measure that holds:

- ``exact``: the same folded romanisation (1.0);
- ``transliteration``: the same phonetic form, i.e. two romanisations of one spelling (0.96);
- ``initial``: an initial against a word it begins (0.9), read on sounds (Ya. = Yaroslava = Я.);
- ``patronymic stem``: two patronymics, compared on the father's name in them;
- ``legal form``: two legal forms with one meaning (ООО and LLC, 1.0);
- ``key`` / ``edit distance``: the normalised Levenshtein similarity of the phonetic forms (or the
  edit similarity of the folded spellings, if higher: a typo shows best there, and two letters
  swapped count as one edit), moved halfway to 1 when their keys agree (typos are tolerated in
  proportion to length).

The name's score is the weighted mean over aligned words (surname 3, given name 2, patronymic 1.5,
initial 1, other words 2, legal forms 0.2), then penalties: an unmatched given name or other word
(x0.93), an unmatched initial (x0.97); a conflicting patronymic, i.e. another father's name and
not a spelling or typo of the same one (x0.7); under ``gender="strict"``,
a male and a female form of one surname (x0.8). An unmatched patronymic costs nothing.
:data:`DEFAULT_THRESHOLD` (0.85) separates matches from non-matches.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import permutations
from typing import Literal

from rapidfuzz.distance import OSA, Levenshtein

from namematch.aliases import Entity, find
from namematch.errors import NamematchError
from namematch.match.initials import letters_agree
from namematch.match.normalize import Kind, legal_form
from namematch.match.person import GIVEN, INITIAL, INITIALS, MIDDLE, PATRONYMIC, SURNAME
from namematch.match.phonetic import skeleton
from namematch.match.prepared import LEGAL, WORD, Prepared, Word, prepare

__all__ = [
    "DEFAULT_THRESHOLD",
    "Comparison",
    "Gender",
    "PartMatch",
    "compare",
    "entities_of",
    "similarities",
    "similarity",
]

DEFAULT_THRESHOLD = 0.85
Gender = Literal["strict", "ignore"]
_GENDERS = ("strict", "ignore")
_BRUTE_FORCE = 6  # words; beyond this the alignment is greedy


@dataclass(frozen=True)
class PartMatch:
    """Two aligned words, the role they play, the measure that decided, and its score."""

    a: str
    b: str
    role: str
    measure: str
    score: float


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare`: a score, a verdict and why."""

    a: str
    b: str
    kind: str
    score: float
    is_match: bool
    threshold: float
    parts: tuple[PartMatch, ...]
    unmatched: tuple[str, ...]
    penalties: tuple[str, ...]

    def explain(self) -> str:
        """A few lines a person can read."""
        verdict = "match" if self.is_match else "no match"
        lines = [f"{self.a!r} vs {self.b!r} ({self.kind}): {self.score:.3f}, {verdict} at {self.threshold}"]
        lines += [f"  {p.role}: {p.a!r} ~ {p.b!r} by {p.measure} ({p.score:.2f})" for p in self.parts]
        lines += [f"  unmatched: {u}" for u in self.unmatched]
        lines += [f"  penalty: {p}" for p in self.penalties]
        return "\n".join(lines)


def _core(a: Word, b: Word) -> tuple[float, str]:
    """The role-free similarity of two words (symmetric), remembered: words repeat across names."""
    key = a.uid * _SHIFT + b.uid if a.uid < b.uid else b.uid * _SHIFT + a.uid
    found = _CORE.get(key)
    if found is not None:
        return found
    if a.folded == b.folded:
        found = (1.0, "exact")
    elif len(a.forms) == 1 == len(b.forms):  # the common case, without building sets
        form_a, form_b = a.forms[0], b.forms[0]
        if form_a == form_b:
            found = (0.96, "transliteration")
        else:
            # A typo shows best on the spelling itself: phonetic rewriting can spread it.
            best = max(_lev(form_a, form_b), _osa(a.folded, b.folded))
            found = (best + (1.0 - best) / 2, "key") if not a.keys.isdisjoint(b.keys) else (best, "edit distance")
    elif not set(a.forms).isdisjoint(b.forms):
        found = (0.96, "transliteration")
    else:
        best = max(_osa(a.folded, b.folded), *(_lev(fa, fb) for fa in a.forms for fb in b.forms))
        found = (best + (1.0 - best) / 2, "key") if not a.keys.isdisjoint(b.keys) else (best, "edit distance")
    if found[0] < 0.96 and not a.given.isdisjoint(b.given):
        found = (0.96, "alias")  # two forms of one given name (Mikhail, Mykhailo, Michał)
    if len(_CORE) >= 1 << 20:
        _CORE.clear()
        _SCORES.clear()
    _CORE[key] = found
    _SCORES[key] = found[0]
    return found


_SHIFT = 1 << 40
_CORE: dict[int, tuple[float, str]] = {}
_SCORES: dict[int, float] = {}  # the same, scores only, for the hot loop
_lev = Levenshtein.normalized_similarity
_osa = OSA.normalized_similarity  # a transposition is one edit
_SPECIAL = frozenset({INITIAL, MIDDLE, LEGAL, PATRONYMIC})
_PATRONYMIC_SUFFIX = re.compile(r"(?:[oea]vi?[Ch]|[oeai]vna|i?Cna|iC|ih)$")
_VOWEL_START = frozenset("aeiou")
_ONSET = str.maketrans({"z": "s", "c": "s", "Z": "S", "C": "S", "J": "S"})  # not f/v: Ф and В are two letters


def _onset(form: str) -> str:
    """The sound a word starts with, as an initial would write it (a vowel, or a consonant class)."""
    return form[:1] if form[:1] in _VOWEL_START else form[:1].translate(_ONSET)


def _onsets(word: Word) -> frozenset[str]:
    """:func:`_word_onsets`, remembered per word."""
    found = _ONSETS.get(word.uid)
    if found is None:
        if len(_ONSETS) >= 1 << 18:
            _ONSETS.clear()
        found = _ONSETS[word.uid] = _word_onsets(word)
    return found


_ONSETS: dict[int, frozenset[str]] = {}


def _word_onsets(word: Word) -> frozenset[str]:
    """The sounds a word may start with: of its phonetic forms, and of its romanisation (the forms
    read Иосиф as "esif", but "I. Lukin" is Iosif's initial).

    A word that starts with я, ю or ё (Ya, Ia, Ja, Â; Yu, Iu, Ju, Iou, Û; Yo, Io, Jo) starts with that
    sound, not with the vowel its forms keep, and its romanisation's first letter may stand for it:
    Iakov's onsets are ``ja`` and ``i``. An initial written with both letters (Ia., Я.) is only
    that sound, so it is not Ivan's or Alina's initial."""
    glide = _glide(word)
    if glide is None:
        return frozenset({_onset(f) for f in word.forms} | {_onset(word.folded)})
    if _GLIDE.fullmatch(word.folded) or len(word.folded) < 2 or word.text[:1].lower() in _ISO_GLIDE:  # Û is not U
        return frozenset({glide})
    return frozenset({glide, _onset(word.folded)})


_GLIDE = re.compile(r"[yij](ou|a|u|o)")  # French writes Ю as "iou"
_ISO_GLIDE = {"â": "ja", "û": "ju"}


def _glide(word: Word) -> str | None:
    """``ja``, ``ju`` or ``jo`` for a word that starts with я, ю or ё as written or romanised."""
    first = word.text[:1].lower()
    if not first:
        return None
    if first in "яюё":
        return "j" + "auo"["яюё".index(first)]
    if first in _ISO_GLIDE:
        return _ISO_GLIDE[first]
    found = _GLIDE.match(word.folded)
    return "j" + found.group(1)[-1] if found and first in "yij" else None


def _patronymic(a: Word, b: Word) -> tuple[float, bool]:
    """The similarity of two patronymics, read on the father's name in them (Nikola-evich), and
    whether they conflict: different names, not a spelling or a typo of one."""
    stems_a = [_PATRONYMIC_SUFFIX.sub("", f) for f in a.forms]
    stems_b = [_PATRONYMIC_SUFFIX.sub("", f) for f in b.forms]
    best = max(_lev(x, y) for x in stems_a for y in stems_b)
    same_key = not {skeleton(x) for x in stems_a}.isdisjoint(skeleton(y) for y in stems_b)
    score = best + (1.0 - best) / 2 if same_key else best
    # One slip of the keyboard in a long patronymic (Vladisladovich) is a typo, not another father.
    typo = max(_osa(x, y) for x in a.forms for y in b.forms) >= 0.85
    return score, not typo and (best < 0.75 or (best < 0.9 and not same_key))


def _word_score(
    a: Word, b: Word, role_a: str, role_b: str, gender: str, diminutives: bool = False
) -> tuple[float, str]:
    if (role_a, role_b) in _OUT_OF_PLACE:
        return 0.0, "initial out of place"
    if a is b:
        return 1.0, "exact"
    if diminutives:
        found = _word_score(a, b, role_a, role_b, gender)
        if found[0] < 0.9 and not (a.given | a.minor).isdisjoint(b.given | b.minor):
            return 0.9, "diminutive"
        return found
    if role_a not in _SPECIAL and role_b not in _SPECIAL and gender != "ignore":
        return _core(a, b)
    if role_a in INITIALS or role_b in INITIALS:
        if a.folded == b.folded:
            return 1.0, "exact" if role_a == role_b else "initial"
        hit = not _onsets(a).isdisjoint(_onsets(b)) and letters_agree(a, b)
        if SURNAME in (role_a, role_b):
            return (0.5 if hit else 0.0), "initial"  # an initial seldom stands for a surname
        if role_a == role_b:
            return (1.0 if hit else 0.0), "initial"
        return (0.9 if hit else 0.0), "initial"
    if role_a == PATRONYMIC and role_b == PATRONYMIC:
        score, _ = _patronymic(a, b)
        return (1.0, "exact") if a.folded == b.folded else (score, "patronymic stem")
    if role_a == LEGAL and role_b == LEGAL:
        label_a, label_b = legal_form((a.text,)), legal_form((b.text,))
        if label_a is not None and label_a == label_b:
            return 1.0, "legal form"
    found = _core(a, b)
    if found[0] < 0.96 and gender == "ignore" and SURNAME in (role_a, role_b) and not set(a.stems).isdisjoint(b.stems):
        return 0.96, "same surname, other gender"
    return found


#: Role pairs where an initial stands where it cannot, and which score 0: the given name's initial
#: against a patronymic or a middle initial (``V. Komarov`` is not ``B. V. Komarov``), and any
#: initial against a legal form or a word of a place or organisation (``Petrov A. T.`` is not
#: ``AO Timofeev-Petrov``: the legal form "AO" and the word "Timofeev" are not the initials A. T.).
_OUT_OF_PLACE = frozenset(
    pair
    for a, b in (
        (INITIAL, PATRONYMIC),
        (INITIAL, MIDDLE),
        (LEGAL, INITIAL),
        (LEGAL, MIDDLE),
        (WORD, INITIAL),
        (WORD, MIDDLE),
    )
    for pair in ((a, b), (b, a))
)


def _align(matrix: list[list[float]]) -> list[tuple[int, int]]:
    """The one-to-one pairing of rows and columns with the largest total (ties: the first found)."""
    n, m = len(matrix), len(matrix[0]) if matrix else 0
    if not n or not m:
        return []
    if n == 1:
        row = matrix[0]
        return [(0, row.index(max(row)))]
    if m == 1:
        column = [r[0] for r in matrix]
        return [(column.index(max(column)), 0)]
    if n == 2 and m == 2:
        (a, b), (c, d) = matrix
        return [(0, 0), (1, 1)] if a + d >= b + c else [(0, 1), (1, 0)]
    if max(n, m) <= _BRUTE_FORCE:
        best_total = -1.0
        best: tuple[int, ...] = ()
        if n <= m:
            for cols in _permutations(m, n):
                total = 0.0
                for i, c in enumerate(cols):
                    total += matrix[i][c]
                if total > best_total:
                    best_total, best = total, cols
            return list(enumerate(best))
        for rows in _permutations(n, m):
            total = 0.0
            for j, r in enumerate(rows):
                total += matrix[r][j]
            if total > best_total:
                best_total, best = total, rows
        return sorted((r, j) for j, r in enumerate(best))
    cells = sorted(((matrix[i][j], i, j) for i in range(n) for j in range(m)), reverse=True)
    used_i: set[int] = set()
    used_j: set[int] = set()
    pairs = []
    for _, i, j in cells:
        if i not in used_i and j not in used_j:
            pairs.append((i, j))
            used_i.add(i)
            used_j.add(j)
    return sorted(pairs)


@cache
def _permutations(m: int, n: int) -> tuple[tuple[int, ...], ...]:
    return tuple(permutations(range(m), n))


def _order(a: Prepared, b: Prepared) -> bool:
    """Whether to swap the pair, so that compare(a, b) and compare(b, a) do the same work."""
    return (len(a.words), a.normalized, a.name) > (len(b.words), b.normalized, b.name)


def compare(
    a: str | Prepared,
    b: str | Prepared,
    *,
    kind: Kind = "auto",
    gender: Gender = "strict",
    diminutives: bool = False,
) -> Comparison:
    """Compare two names and say why.

    Two names that the alias tables give as names of one place or country (``kind="place"``) or
    organisation (``kind="org"``, or ``auto`` when both read as organisations) match outright
    (measure ``alias``). Given names that the tables give as
    one name in two languages (Mikhail, Mykhailo, Michał) score 0.96; diminutives (Misha) count
    only with ``diminutives=True`` (0.9).

    >>> c = compare("Yevdokimov Mikhail", "Михаил Евдокимов")
    >>> round(c.score, 2), c.is_match, [(p.role, p.measure) for p in c.parts]
    (0.98, True, [('surname', 'transliteration'), ('given', 'exact')])
    >>> compare("Ivanov", "Ivanova").is_match, compare("Ivanov", "Ivanova", gender="ignore").is_match
    (False, True)
    """
    if gender not in _GENDERS:
        raise NamematchError(f"gender must be one of {', '.join(_GENDERS)}, got {gender!r}")
    pa, pb = prepare(a, kind=kind), prepare(b, kind=kind)
    swapped = _order(pa, pb)
    if swapped:
        pa, pb = pb, pa
    shared = _shared_entity(pa, pb, kind)
    if shared is not None:
        score = 1.0
        unmatched: list[str] = []
        penalties: list[str] = []
        parts = [PartMatch(pa.normalized, pb.normalized, shared.kind, f"alias ({shared.name}, {shared.id})", 1.0)]
    else:
        score, parts, unmatched, penalties = _score(pa, pb, gender, diminutives=diminutives)
    if swapped:
        parts = [PartMatch(p.b, p.a, p.role, p.measure, p.score) for p in parts]
        pa, pb = pb, pa
    return Comparison(
        a=pa.name,
        b=pb.name,
        kind=pa.kind if pa.kind == pb.kind else f"{pa.kind}/{pb.kind}",
        score=score,
        is_match=score >= DEFAULT_THRESHOLD,
        threshold=DEFAULT_THRESHOLD,
        parts=tuple(parts),
        unmatched=tuple(unmatched),
        penalties=tuple(penalties),
    )


def similarity(
    a: str | Prepared,
    b: str | Prepared,
    *,
    kind: Kind = "auto",
    gender: Gender = "strict",
    diminutives: bool = False,
) -> float:
    """The score of :func:`compare` alone, in [0, 1]; 1.0 for identical names.

    >>> similarity("Zelensky", "Зеленський") >= DEFAULT_THRESHOLD > similarity("Petrov", "Petrenko")
    True
    """
    if gender not in _GENDERS:
        raise NamematchError(f"gender must be one of {', '.join(_GENDERS)}, got {gender!r}")
    pa, pb = prepare(a, kind=kind), prepare(b, kind=kind)
    if _shared_entity(pa, pb, kind) is not None:
        return 1.0
    return spelling_score(pa, pb, gender, diminutives=diminutives)


def similarities(
    a: Sequence[str | Prepared],
    b: Sequence[str | Prepared],
    *,
    kind: Kind = "auto",
    gender: Gender = "strict",
) -> list[float]:
    """:func:`similarity` of ``a[k]`` and ``b[k]`` for every k: the same floats, computed in bulk
    when names recur across the pairs (at least four pairs per distinct name, as when scoring
    candidate pairs of a table: vectorised with numpy, the way dedupe scores its pairs); otherwise
    by a loop over :func:`similarity`. Each distinct name is analysed once.

    >>> similarities(["Zelensky", "Kyiv", "Petrov"], ["Зеленський", "Київ", "Petrenko"])
    [0.96, 1.0, 0.5]
    """
    if gender not in _GENDERS:
        raise NamematchError(f"gender must be one of {', '.join(_GENDERS)}, got {gender!r}")
    if isinstance(a, (str, bytes)) or isinstance(b, (str, bytes)):
        raise TypeError("similarities takes two sequences of names; for one pair, use similarity()")
    if len(a) != len(b):
        raise NamematchError(f"a and b must be of one length, got {len(a)} and {len(b)}")
    number: dict[int, int] = {}
    names: list[Prepared] = []
    first: list[int] = []
    second: list[int] = []
    for side, column in ((first, a), (second, b)):
        for name in column:
            p = prepare(name, kind=kind)
            found = number.get(id(p))
            if found is None:
                found = number[id(p)] = len(names)
                names.append(p)
            side.append(found)
    if gender != "strict" or len(first) < _BULK_PAIRS_PER_NAME * len(names):
        # Bulk scoring first builds tables of the names' words: it pays when names recur in pairs.
        return [similarity(names[i], names[j], kind=kind, gender=gender) for i, j in zip(first, second, strict=True)]
    from namematch.match.batch import score_pairs  # numpy: imported when first needed

    scores: list[float] = score_pairs(names, first, second).tolist()
    entities = [entity_ids(p, kind) for p in names]
    for k, (i, j) in enumerate(zip(first, second, strict=True)):
        if entities[i] and entities[j] and _shared_entity(names[i], names[j], kind) is not None:
            scores[k] = 1.0
    return scores


_BULK_PAIRS_PER_NAME = 4


def entity_ids(p: Prepared, kind: str) -> frozenset[str]:
    """The alias-table entities :func:`_shared_entity` may find *p* to share with another name
    (empty: it shares none with any name): with ``auto``, the keys of :func:`auto_entities`."""
    if kind == "auto":
        return frozenset(auto_entities(p))
    if kind in ("place", "org"):
        return frozenset(e.id for e in entities_of(p, kind))
    return frozenset()


def spelling_score(pa: Prepared, pb: Prepared, gender: str = "strict", *, diminutives: bool = False) -> float:
    """:func:`similarity` of two prepared names without the alias tables (for callers that
    looked the names up once already, as dedupe does)."""
    if _order(pa, pb):
        pa, pb = pb, pa
    if gender == "strict" and not diminutives and pa.words and pb.words:
        return _fast_score(pa, pb)
    return _score(pa, pb, gender, explain=False, diminutives=diminutives)[0]


_TABLES_FOR_KIND = {"place": ("places", "countries"), "org": ("organisations",)}
_ENTITIES: dict[tuple[str, str, bool], tuple[Entity, ...]] = {}


def entities_of(p: Prepared, kind: str, *, exact: bool = False) -> tuple[Entity, ...]:
    """The alias-table entities whose names *p* is a spelling of: places and countries for
    ``kind="place"``, organisations for ``"org"``, any table otherwise; ``exact`` leaves out
    the phonetic (looser) readings."""
    key = (p.normalized, kind, exact)
    found = _ENTITIES.get(key)
    if found is None:
        tables = _TABLES_FOR_KIND.get(kind, ("places", "countries", "organisations"))
        joined = "".join(w.folded for w in p.words)
        phonetic = " ".join(w.forms[0] for w in p.words)
        found = tuple(e for t in tables for e in find(joined, phonetic, kind=t, loose=not exact))
        if len(_ENTITIES) >= 1 << 16:
            _ENTITIES.clear()
        _ENTITIES[key] = found
    return found


def _shared_entity(pa: Prepared, pb: Prepared, kind: str) -> Entity | None:
    """The entity of the alias tables that both names name, if any: places and countries for
    ``kind="place"``, organisations for ``kind="org"``; with ``auto``, those of
    :func:`auto_entities`. Never for persons: Ivanov and Ivanova are not the city of Ivanovo."""
    if kind == "auto":
        found_b = auto_entities(pb)
        return next((e for key, e in auto_entities(pa).items() if key in found_b), None) if found_b else None
    if kind not in ("place", "org"):
        return None
    ids_b = {e.id for e in entities_of(pb, kind)}
    if not ids_b:
        return None
    return next((e for e in entities_of(pa, kind) if e.id in ids_b), None)


def auto_entities(p: Prepared) -> dict[str, Entity]:
    """The alias-table entities a name may name with ``kind="auto"``, by a key two names must
    share. A name read as an organisation's (it has a legal form): the organisations it is a
    spelling of. Any other name without an initial or a patronymic: the places, countries and
    organisations (SBU, BelTA, Ministry of Internal Affairs of the Russian Federation: a public
    body has no legal form) it is, letter for letter, a name of. A name in a gendered form (Kirov,
    Pskov, Tallinn's "Talin") names a place only when the place's own name has that form too, and
    the key carries the gender: a name without gender meets it, but the other gender's form never
    does (the tables list Ivanov and Ivanova as names of Ivanovo; neither bare surname is taken for
    the city, nor Kirova for Kirov). A name with words of both genders is no place.
    Remembered per prepared name (a search or a batch asks again for every pair)."""
    found = _AUTO.get(id(p))
    if found is not None and found[0] is p:
        return found[1]
    entities = _auto_entities(p)
    if len(_AUTO) >= 1 << 16:
        _AUTO.clear()
    _AUTO[id(p)] = (p, entities)
    return entities


# auto_entities by the id of the prepared name (kept, so that an id is not reused while its entry lives)
_AUTO: dict[int, tuple[Prepared, dict[str, Entity]]] = {}


def _auto_entities(p: Prepared) -> dict[str, Entity]:
    if p.kind == "org":
        return {e.id: e for e in entities_of(p, "org")}
    if p.special:
        return {}
    found: dict[str, Entity] = {}
    genders = {w.gender for w in p.words} - {None}
    if len(genders) <= 1:
        for e in entities_of(p, "place", exact=True):
            if not genders:
                found.update((e.id + tag, e) for tag in ("", "#m", "#f"))
            elif genders <= _place_genders(e):
                found[f"{e.id}#{next(iter(genders))}"] = e
    for e in entities_of(p, "org", exact=True):
        found[e.id] = e
    return found


def _place_genders(e: Entity) -> frozenset[str]:
    """The genders of the words of a place's own name (Kirov: male; Ivanovo: none), remembered."""
    found = _PLACE_GENDERS.get(e.id)
    if found is None:
        words = prepare(e.name, kind="place").words
        found = _PLACE_GENDERS[e.id] = frozenset(w.gender for w in words if w.gender is not None)
    return found


_PLACE_GENDERS: dict[str, frozenset[str]] = {}


def clear_entity_caches() -> None:
    """Forget what was looked up in the alias tables (:func:`namematch.aliases.reset` calls this:
    the entities of names, by text and per prepared name, and the genders of places)."""
    _ENTITIES.clear()
    _AUTO.clear()
    _PLACE_GENDERS.clear()


def _gendered_pair(a: Word, b: Word) -> bool:
    """Whether two surnames are the male and the female form of one surname (Ivanov, Ivanova)."""
    return (
        a.gender is not None and b.gender is not None and a.gender != b.gender and not set(a.stems).isdisjoint(b.stems)
    )


def _conflicting(a: Word, b: Word) -> bool:
    """Whether two patronymics name different fathers (remembered per word pair)."""
    key = a.uid * _SHIFT + b.uid if a.uid < b.uid else b.uid * _SHIFT + a.uid
    found = _CONFLICTS.get(key)
    if found is None:
        found = _CONFLICTS[key] = _patronymic(a, b)[1]
        if len(_CONFLICTS) >= 1 << 18:
            _CONFLICTS.clear()
    return found


_CONFLICTS: dict[int, bool] = {}


#: Word-pair scores below this, between words of the same role, say two names differ.
CONTRADICTION = 0.75


def is_listed(ids: Collection[str]) -> bool:
    """Whether a name whose alias-table entities are *ids* (:func:`entity_ids`) is one the tables
    list as a name of an organisation or place (not only as a gendered form, ``#m``/``#f``: Kirov,
    also a surname), so that a name of the entity they do not list need not resemble it."""
    return any("#" not in i for i in ids)


def contradicts(pa: Prepared, pb: Prepared) -> bool:
    """Whether two names carry evidence that they name different entities (not merely too little
    evidence that they name one): a company's name (with a legal form other than a sole
    proprietor's) against a person's (with a known given name, an initial or a patronymic);
    aligned as in :func:`similarity`, a male and a female form of one surname, conflicting
    patronymics, two given names or surnames (or two words of a place or organisation) that are
    different words, or initials that do not agree."""
    if not pa.words or not pb.words:
        return pa.normalized != pb.normalized
    if (_firm(pa) and _personal(pb)) or (_firm(pb) and _personal(pa)):
        return True
    if _order(pa, pb):
        pa, pb = pb, pa
    matrix = _matrix(pa, pb, "strict")
    for i, j in _align(matrix):
        s = matrix[i][j]
        ra, rb = pa.roles[i], pb.roles[j]
        if (ra == SURNAME or rb == SURNAME) and _gendered_pair(pa.words[i], pb.words[j]):
            return True
        if ra == rb == PATRONYMIC and s < 1.0 and _conflicting(pa.words[i], pb.words[j]):
            return True
        if ra == rb and ra in _CONTRADICTING_ROLES and s < CONTRADICTION:
            return True
        if (ra in INITIALS or rb in INITIALS) and s == 0.0:
            return True
    return False


_CONTRADICTING_ROLES = frozenset({GIVEN, SURNAME, "word"})
#: Roles only a person's name has (a given name only when the alias tables know it as one: an
#: organisation's name without its legal form, Katrov Khvrchilkov, reads as a given name and a
#: surname).
_PERSONAL = frozenset({GIVEN, INITIAL, MIDDLE, PATRONYMIC})


def is_firm_form(word: Word) -> bool:
    """Whether *word*, read as a legal form, makes its name a company's: any legal form but a sole
    proprietor's (ФОП Петренко is Petrenko in business)."""
    found = legal_form((word.text,))
    return found is not None and found[0] != "sole"


def _firm(p: Prepared) -> bool:
    return any(r == LEGAL and is_firm_form(w) for w, r in zip(p.words, p.roles, strict=True))


def _personal(p: Prepared) -> bool:
    return any(r in _PERSONAL and (r != GIVEN or w.given) for w, r in zip(p.words, p.roles, strict=True))


def _fast_score(pa: Prepared, pb: Prepared) -> float:
    """:func:`_score` with the strict gender policy, without explanation: the same arithmetic in
    fewer steps (a property test holds the two equal)."""
    matrix = _matrix(pa, pb, "strict")
    pairs = _align(matrix)
    total = weight_sum = 0.0
    factor = 1.0
    weights_a, weights_b, roles_a, roles_b = pa.weights, pb.weights, pa.roles, pb.roles
    for i, j in pairs:
        s = matrix[i][j]
        wa, wb = weights_a[i], weights_b[j]
        weight = wa if wa > wb else wb
        total += weight * s
        weight_sum += weight
        ra, rb = roles_a[i], roles_b[j]
        if (ra == SURNAME or rb == SURNAME) and _gendered_pair(pa.words[i], pb.words[j]):
            factor *= 0.8
        elif ra == PATRONYMIC and rb == PATRONYMIC and s < 1.0 and _conflicting(pa.words[i], pb.words[j]):
            factor *= 0.7
    if len(pairs) < len(weights_a):
        matched = {i for i, _ in pairs}
        for k, miss in enumerate(pa.misses):
            if k not in matched:
                factor *= miss
    if len(pairs) < len(weights_b):
        matched = {j for _, j in pairs}
        for k, miss in enumerate(pb.misses):
            if k not in matched:
                factor *= miss
    score = (total / weight_sum if weight_sum else 0.0) * factor
    return 1.0 if score > 1.0 else (0.0 if score < 0.0 else score)


def _matrix(pa: Prepared, pb: Prepared, gender: str, diminutives: bool = False) -> list[list[float]]:
    """Word-pair scores; the hot loop of every comparison, kept lean."""
    if gender == "strict" and not diminutives and not pa.special and not pb.special:
        get = _SCORES.get
        rows = []
        for x, a in zip(pa.uids, pa.words, strict=True):
            row = []
            for y, b in zip(pb.uids, pb.words, strict=True):
                found = get(x * _SHIFT + y if x < y else y * _SHIFT + x)
                row.append(found if found is not None else _core(a, b)[0])
            rows.append(row)
        return rows
    if gender == "strict" and not diminutives:
        # Initials, patronymics and legal forms: the score depends on the roles too; remembered.
        get = _ROLE_SCORES.get
        rows = []
        codes = _ROLE_CODES.get
        columns = [(y, b, rb, codes(rb, 0)) for y, b, rb in zip(pb.uids, pb.words, pb.roles, strict=True)]
        for x, a, ra in zip(pa.uids, pa.words, pa.roles, strict=True):
            ca = codes(ra, 0)
            row = []
            for y, b, rb, cb in columns:
                key = (x * _SHIFT + y) * 64 + ca * 8 + cb if x < y else (y * _SHIFT + x) * 64 + cb * 8 + ca
                found = get(key)
                if found is None:
                    found = _word_score(a, b, ra, rb, gender)[0]
                    if len(_ROLE_SCORES) >= 1 << 20:
                        _ROLE_SCORES.clear()
                    _ROLE_SCORES[key] = found
                row.append(found)
            rows.append(row)
        return rows
    return [
        [_word_score(a, b, ra, rb, gender, diminutives)[0] for b, rb in zip(pb.words, pb.roles, strict=True)]
        for a, ra in zip(pa.words, pa.roles, strict=True)
    ]


# Every role a word score depends on has its own code (an initial against a surname scores
# differently from an initial against a given name).
_ROLE_CODES = {INITIAL: 1, PATRONYMIC: 2, LEGAL: 3, SURNAME: 4, MIDDLE: 5, GIVEN: 6, WORD: 7}
_ROLE_SCORES: dict[int, float] = {}  # word-pair scores under roles, strict gender, no diminutives


def _score(
    pa: Prepared, pb: Prepared, gender: str, *, explain: bool = True, diminutives: bool = False
) -> tuple[float, list[PartMatch], list[str], list[str]]:
    if not pa.words or not pb.words:
        same = pa.normalized == pb.normalized
        return (1.0 if same else 0.0), [], [], ([] if same else ["one name is empty"])
    matrix = _matrix(pa, pb, gender, diminutives)
    pairs = _align(matrix)
    total = weight_sum = 0.0
    factor = 1.0
    parts: list[PartMatch] = []
    penalties: list[str] = []
    strict = gender == "strict"
    for i, j in pairs:
        s = matrix[i][j]
        weight = max(pa.weights[i], pb.weights[j])
        total += weight * s
        weight_sum += weight
        ra, rb = pa.roles[i], pb.roles[j]
        if ra == PATRONYMIC and rb == PATRONYMIC and s < 1.0 and _patronymic(pa.words[i], pb.words[j])[1]:
            factor *= 0.7
            if explain:
                penalties.append(f"conflicting patronymics {pa.words[i].text!r} and {pb.words[j].text!r} (x0.7)")
        if strict and (ra == SURNAME or rb == SURNAME) and _gendered_pair(pa.words[i], pb.words[j]):
            factor *= 0.8
            if explain:
                wa, wb = pa.words[i], pb.words[j]
                penalties.append(f"{wa.text!r} and {wb.text!r} are the male and female forms of one surname (x0.8)")
        if explain:
            role = ra if ra == rb else (SURNAME if SURNAME in (ra, rb) else ra if ra not in INITIALS else rb)
            measure = _word_score(pa.words[i], pb.words[j], ra, rb, gender, diminutives)[1]
            parts.append(PartMatch(pa.words[i].text, pb.words[j].text, role, measure, s))
    unmatched: list[str] = []
    if len(pairs) < len(pa.words) or len(pairs) < len(pb.words):
        for prepared, matched in ((pa, {i for i, _ in pairs}), (pb, {j for _, j in pairs})):
            for k, miss in enumerate(prepared.misses):
                if k in matched:
                    continue
                factor *= miss
                if explain:
                    role, text = prepared.roles[k], prepared.words[k].text
                    unmatched.append(f"{role} {text!r} of {prepared.name!r}")
                    if miss < 0.95:
                        penalties.append(f"no counterpart for {role} {text!r} (x{miss})")
    score = (total / weight_sum if weight_sum else 0.0) * factor
    return min(1.0, max(0.0, score)), parts, unmatched, penalties
