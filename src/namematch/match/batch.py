"""Many pair scores at once: :func:`spelling_score` over arrays of name pairs, vectorised.

``score_pairs(names, first, second)`` returns, for every pair ``(names[first[k]], names[second[k]])``,
exactly the float that :func:`namematch.match.score.spelling_score` returns (``gender="strict"``,
no diminutives): the same word-pair rules, the same alignment with the same tie-breaking, the same
arithmetic in the same order, so that dedupe's clusters do not depend on which path scored them (a
test holds the two equal pair by pair). What changes is where the work happens:

1. every distinct word is numbered once, with its folded spelling, phonetic forms, keys, given-name
   groups, initial sounds, gender, stems and patronymic stems as small integer arrays
   (:class:`~namematch.match.wordtable.WordTable`, viewed here as numpy arrays without a copy);
2. the word pairs a batch needs are found with numpy, made distinct, and scored by rule in bulk
   (edit distances by :func:`rapidfuzz.process.cpdist`, set overlaps by broadcasting);
3. name pairs are grouped by their word counts, and for each group every one-to-one alignment is
   totalled at once and the best taken, as :func:`~namematch.match.score._align` takes it (the
   greedy alignment of names of more than six words too); on that alignment, whether the two names
   contradict each other (:func:`~namematch.match.score.contradicts`) comes out as well.

Names with no words (nothing left after normalisation) are scored one pair at a time by
:func:`spelling_score`.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from itertools import permutations
from typing import Any

from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.process import cpdist

from namematch._numpy import np  # numpy, with its threads counted
from namematch.match.initials import letters_agree
from namematch.match.prepared import Prepared
from namematch.match.score import _BRUTE_FORCE, _OUT_OF_PLACE, CONTRADICTION, contradicts, spelling_score
from namematch.match.wordtable import (
    GIVEN_CODE,
    INITIAL_CODE,
    LEGAL_CODE,
    MAX_WORDS,
    MIDDLE_CODE,
    PATRONYMIC_CODE,
    ROLE_CODES,
    SURNAME_CODE,
    WORD_CODE,
    Padded,
    WordTable,
)

__all__ = ["MAX_WORDS", "WordTable", "evaluate_pairs", "score_codes", "score_pairs"]

#: Pairs scored per round: bounds the memory of the intermediate arrays.
CHUNK = 100_000

_INITIAL, _PATRONYMIC, _LEGAL, _SURNAME = INITIAL_CODE, PATRONYMIC_CODE, LEGAL_CODE, SURNAME_CODE
_MIDDLE = MIDDLE_CODE
_OUT_OF_PLACE_CODES = np.zeros((len(ROLE_CODES) + 1, len(ROLE_CODES) + 1), dtype=np.bool_)
for _a, _b in _OUT_OF_PLACE:
    _OUT_OF_PLACE_CODES[ROLE_CODES[_a], ROLE_CODES[_b]] = True
#: roles whose words, aligned and too different, say two names differ (score._CONTRADICTING_ROLES)
_CONTRADICTING = (GIVEN_CODE, SURNAME_CODE, WORD_CODE)
#: roles only a person's name has (score._PERSONAL)
_PERSONAL = (GIVEN_CODE, INITIAL_CODE, MIDDLE_CODE, PATRONYMIC_CODE)

IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]
StrArray = np.ndarray[Any, np.dtype[np.object_]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]


class _Views:
    """A :class:`WordTable`'s arrays seen as numpy arrays, in place (no copy)."""

    def __init__(self, t: WordTable) -> None:
        count = len(t.names)
        self.names = t.names
        self.words = t.words
        self.long = t.long
        self.strings: StrArray = np.array(t.strings, dtype=object)
        self.lengths = np.frombuffer(t.lengths, dtype=np.int64)
        self.word = np.frombuffer(t.word, dtype=np.int32).reshape(count, MAX_WORDS)
        self.role = np.frombuffer(t.role, dtype=np.int8).reshape(count, MAX_WORDS)
        self.weight = np.frombuffer(t.weight, dtype=np.float64).reshape(count, MAX_WORDS)
        self.miss = np.frombuffer(t.miss, dtype=np.float64).reshape(count, MAX_WORDS)
        self.rank = np.frombuffer(t.rank, dtype=np.int64)
        self.folded = np.frombuffer(t.folded, dtype=np.int64)
        self.gender = np.frombuffer(t.gender, dtype=np.int64)
        self.labels = np.frombuffer(t.labels, dtype=np.int64)
        self.firm = np.frombuffer(t.firm, dtype=np.int8).astype(np.bool_)
        self.forms = _Sets(t.forms)
        self.keys = _Sets(t.keys)
        self.given = _Sets(t.given)
        self.onsets = _Sets(t.onsets)
        self.stems = _Sets(t.stems)
        self.father = _Sets(t.father)
        self.father_keys = _Sets(t.father_keys)
        #: (word, word, rule) codes already scored, sorted, and their scores (see _Cells)
        self.cell_keys: IntArray = np.zeros(0, dtype=np.int64)
        self.cell_values: FloatArray = np.zeros(0, dtype=np.float64)
        #: the codes scored most recently, sorted, and their scores (joining the above when many)
        self.recent_keys: IntArray = np.zeros(0, dtype=np.int64)
        self.recent_values: FloatArray = np.zeros(0, dtype=np.float64)

    def rows(self, names: IntArray, width: int) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
        """Word numbers, role codes, weights and miss factors of *names*, *width* columns."""
        if width <= MAX_WORDS:
            return (
                self.word[names, :width].astype(np.int64),
                self.role[names, :width].astype(np.int64),
                self.weight[names, :width],
                self.miss[names, :width],
            )
        word = np.full((len(names), width), -1, dtype=np.int64)
        role = np.zeros((len(names), width), dtype=np.int64)
        weight = np.zeros((len(names), width), dtype=np.float64)
        miss = np.ones((len(names), width), dtype=np.float64)
        for row, k in enumerate(names.tolist()):
            numbers, codes, weights, misses = self.long[k]
            word[row, : len(numbers)] = numbers
            role[row, : len(numbers)] = codes
            weight[row, : len(numbers)] = weights
            miss[row, : len(numbers)] = misses
        return word, role, weight, miss


class _Sets:
    """A :class:`Padded` table of sets of numbers as a numpy matrix (a row's members first, then
    padding), with each row's first member (-1: none) and count apart: most rows hold one
    member, and are compared by those alone."""

    def __init__(self, padded: Padded) -> None:
        if padded.count:
            self.matrix: IntArray = np.frombuffer(padded.flat, dtype=np.int64).reshape(padded.count, padded.width)
        else:
            self.matrix = np.full((0, padded.width), -1, dtype=np.int64)
        self.first: IntArray = np.ascontiguousarray(self.matrix[:, 0])
        self.count: IntArray = (self.matrix >= 0).sum(axis=1)


def _views(table: Sequence[Prepared] | WordTable) -> _Views:
    t = table if isinstance(table, WordTable) else WordTable(table)
    if not isinstance(t.views, _Views):
        t.views = _Views(t)
    assert isinstance(t.views, _Views)
    return t.views


def _overlap(sets: _Sets, a: IntArray, b: IntArray) -> BoolArray:
    """Whether the sets of rows ``a[k]`` and ``b[k]`` share a member, for every k."""
    first_a = sets.first[a]
    out = (first_a == sets.first[b]) & (first_a >= 0)
    more = np.flatnonzero((sets.count[a] > 1) | (sets.count[b] > 1))
    if len(more):
        left, right = _narrow(sets.matrix, a[more]), _narrow(sets.matrix, b[more])
        right = np.where(right < 0, -2, right)  # padding never meets padding
        out[more] = (left[:, :, None] == right[:, None, :]).any(axis=(1, 2))
    return np.asarray(out)


def _narrow(table: IntArray, rows: IntArray) -> IntArray:
    """``table[rows]`` without the columns that are padding in every one of those rows (a table is
    as wide as its widest row; the rows of a batch are seldom that wide)."""
    out = table[rows]
    used = np.flatnonzero((out >= 0).any(axis=0))
    return out[:, : int(used[-1]) + 1] if len(used) else out[:, :1]


def _core_scores(t: _Views, a: IntArray, b: IntArray) -> FloatArray:
    """``score._core`` of the word pairs ``(a[k], b[k])``."""
    out = np.zeros(len(a), dtype=np.float64)
    exact = t.folded[a] == t.folded[b]
    out[exact] = 1.0
    same_form = ~exact & _overlap(t.forms, a, b)
    out[same_form] = 0.96
    rest = np.flatnonzero(~exact & ~same_form)
    if len(rest):
        ra, rb = a[rest], b[rest]
        strings = t.strings
        best = np.maximum(
            _similarities(strings, t.folded[ra], t.folded[rb], OSA.normalized_similarity),
            _best(t.forms, strings, ra, rb, Levenshtein.normalized_similarity),
        )
        keyed = _overlap(t.keys, ra, rb)
        best = np.where(keyed, best + (1.0 - best) / 2, best)
        out[rest] = best
    low = np.flatnonzero(out < 0.96)
    if len(low):
        alias = _overlap(t.given, a[low], b[low])
        out[low[alias]] = 0.96
    return out


class _Cells:
    """The scores of the word pairs of a batch under their roles, and which pairs of patronymics
    name different fathers; each distinct (word, word, rule) scored once."""

    def __init__(self, t: _Views, wa: IntArray, ra: IntArray, wb: IntArray, rb: IntArray) -> None:
        # The rule that applies depends on the roles only through these classes (_word_score).
        initial = _initial(ra) | _initial(rb)
        patronymics = ~initial & (ra == _PATRONYMIC) & (rb == _PATRONYMIC)
        legal = ~initial & (ra == _LEGAL) & (rb == _LEGAL)
        legal &= (t.labels[wa] >= 0) & (t.labels[wa] == t.labels[wb])
        surname = (ra == _SURNAME) | (rb == _SURNAME)
        both_initial = initial & (ra == rb)
        # 0 core, 1 initial vs surname, 2 initial vs initial, 3 initial vs other, 4 patronymics,
        # 5 legal forms, 6 an initial out of place (score._OUT_OF_PLACE: always 0)
        rule = np.zeros(len(wa), dtype=np.int64)
        rule[initial] = np.where(surname[initial], 1, np.where(both_initial[initial], 2, 3))
        rule[_out_of_place(ra, rb)] = 6
        rule[patronymics] = 4
        rule[legal] = 5
        words = len(t.words) + 1
        code = (np.minimum(wa, wb) * words + np.maximum(wa, wb)) * 8 + rule
        unique, inverse = np.unique(code, return_inverse=True)
        # Batches of one table share most of their word pairs: each is scored once per process,
        # and remembered as its score, negated when the pair is of patronymics naming different
        # fathers (a sign is exact; a score is never below zero).
        # The remembered codes are in two sorted tables: the large one, and the recent one that
        # new codes go into; the recent one joins the large one when it outgrows _RECENT_CELLS (so a
        # batch copies the small table, not the large one, and the large one is copied seldom).
        cached = np.zeros(len(unique), dtype=np.float64)
        unknown = np.arange(len(unique))
        for keys, values in ((t.cell_keys, t.cell_values), (t.recent_keys, t.recent_values)):
            at = np.searchsorted(keys, unique[unknown])
            known = at < len(keys)
            known[known] = keys[at[known]] == unique[unknown[known]]
            cached[unknown[known]] = values[at[known]]
            unknown = unknown[~known]
        todo, at = unknown, at[~known]  # (at: the places of the new codes in the recent table)
        if len(todo):
            fresh, clash = _cell_scores(t, unique[todo], words)
            fresh = fresh + 0.0  # no negative zero: its sign would read as a conflict
            cached[todo] = np.where(clash, -fresh, fresh)
            if len(t.cell_keys) + len(t.recent_keys) + len(todo) > _MAX_CACHED_CELLS:  # start afresh
                t.cell_keys, t.cell_values = unique[todo], cached[todo]
                t.recent_keys, t.recent_values = t.recent_keys[:0], t.recent_values[:0]
            else:  # unique is sorted, so the new codes go in at nondecreasing places
                t.recent_keys = np.insert(t.recent_keys, at, unique[todo])
                t.recent_values = np.insert(t.recent_values, at, cached[todo])
                if len(t.recent_keys) > _RECENT_CELLS:
                    places = np.searchsorted(t.cell_keys, t.recent_keys)
                    t.cell_keys = np.insert(t.cell_keys, places, t.recent_keys)
                    t.cell_values = np.insert(t.cell_values, places, t.recent_values)
                    t.recent_keys, t.recent_values = t.recent_keys[:0], t.recent_values[:0]
        conflict = np.signbit(cached)
        scores = np.abs(cached)
        self.scores = scores[inverse]
        self.conflict = conflict[inverse]


#: Word pairs a process remembers the scores of (16 bytes each), before starting afresh.
_MAX_CACHED_CELLS = 8_000_000
#: Word pairs the recent table of remembered scores holds before it joins the large one.
_RECENT_CELLS = 1 << 19


def _initial(role: IntArray) -> BoolArray:
    """Which role codes are initials (the given name's or a middle one)."""
    return np.asarray((role == _INITIAL) | (role == _MIDDLE))


def _out_of_place(ra: IntArray, rb: IntArray) -> BoolArray:
    """score._OUT_OF_PLACE, by role code: an initial standing where it cannot (always 0)."""
    return np.asarray(_OUT_OF_PLACE_CODES[ra, rb])


def _personal(t: _Views, word: IntArray, role: IntArray) -> BoolArray:
    """score._personal for rows of word numbers and roles."""
    known = (t.given.first[word] >= 0) | (role != GIVEN_CODE)
    return np.asarray((np.isin(role, _PERSONAL) & known).any(axis=1))


def _cell_scores(t: _Views, unique: IntArray, words: int) -> tuple[FloatArray, BoolArray]:
    """The scores of distinct (word, word, rule) codes, and whether each is of patronymics naming
    different fathers."""
    ua, ub, urule = unique // 8 // words, unique // 8 % words, unique % 8
    scores = np.zeros(len(unique), dtype=np.float64)
    conflict = np.zeros(len(unique), dtype=np.bool_)
    same = t.folded[ua] == t.folded[ub]

    core = np.flatnonzero(urule == 0)
    scores[core] = _core_scores(t, ua[core], ub[core])

    initials = np.flatnonzero((urule >= 1) & (urule <= 3))
    hit = _overlap(t.onsets, ua[initials], ub[initials])
    # The onsets agree; the letters are checked one distinct word pair at a time (letters_agree).
    check = np.flatnonzero(hit & ~same[initials])
    if len(check):
        known_words = t.words
        hit[check] = [
            letters_agree(known_words[x], known_words[y])
            for x, y in zip(ua[initials][check].tolist(), ub[initials][check].tolist(), strict=True)
        ]
    value = np.select([urule[initials] == 1, urule[initials] == 2], [0.5, 1.0], 0.9)
    scores[initials] = np.where(same[initials], 1.0, np.where(hit, value, 0.0))

    fathers = np.flatnonzero(urule == 4)
    scores[fathers[same[fathers]]] = 1.0
    other = fathers[~same[fathers]]
    scores[other], conflict[other] = _patronymic_scores(t, ua[other], ub[other])

    scores[urule == 5] = 1.0
    return scores, conflict


def _best(sets: _Sets, strings: StrArray, a: IntArray, b: IntArray, scorer: Any) -> FloatArray:
    """The best *scorer* similarity between a string of the set ``a[k]`` and one of the set
    ``b[k]``, for every k (0.0 when either has none)."""
    best = np.zeros(len(a), dtype=np.float64)
    count_a, count_b = sets.count[a], sets.count[b]
    # The common case first, one string each; then the rows with more, string by string.
    one = np.flatnonzero((count_a == 1) & (count_b == 1))
    best[one] = _similarities(strings, sets.first[a[one]], sets.first[b[one]], scorer)
    more = np.flatnonzero(count_a * count_b > 1)
    if not len(more):
        return best
    left, right = _narrow(sets.matrix, a[more]), _narrow(sets.matrix, b[more])
    pair, i, j = np.nonzero((left[:, :, None] >= 0) & (right[:, None, :] >= 0))
    found = _similarities(strings, left[pair, i], right[pair, j], scorer)
    starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    best[more[pair[starts]]] = np.maximum.reduceat(found, starts)
    return best


def _similarities(strings: StrArray, a: IntArray, b: IntArray, scorer: Any) -> FloatArray:
    """``scorer(strings[a[k]], strings[b[k]])`` for every k."""
    return np.asarray(cpdist(strings[a].tolist(), strings[b].tolist(), scorer=scorer, dtype=np.float64))


def _patronymic_scores(t: _Views, a: IntArray, b: IntArray) -> tuple[FloatArray, np.ndarray[Any, Any]]:
    """``score._patronymic`` of the word pairs ``(a[k], b[k])``: (score, conflicting)."""
    best = _best(t.father, t.strings, a, b, Levenshtein.normalized_similarity)
    same_key = _overlap(t.father_keys, a, b)
    score = np.where(same_key, best + (1.0 - best) / 2, best)
    typo = _best(t.forms, t.strings, a, b, OSA.normalized_similarity) >= 0.85
    conflicting = ~typo & ((best < 0.75) | ((best < 0.9) & ~same_key))
    return score, conflicting


def _gendered(t: _Views, a: IntArray, b: IntArray) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """``score._gendered_pair`` of the word pairs ``(a[k], b[k])``."""
    ga, gb = t.gender[a], t.gender[b]
    out = (ga > 0) & (gb > 0) & (ga != gb)
    some = np.flatnonzero(out)
    if len(some):
        out[some] = _overlap(t.stems, a[some], b[some])
    return np.asarray(out, dtype=np.bool_)


def _alignment(matrix: FloatArray, n: int, m: int) -> IntArray:
    """For each pair, the column aligned with each of the n rows (n <= m), as ``score._align``
    chooses: for one word, or up to six, every one-to-one pairing is tried, totalled left to
    right, and the first best kept; beyond, greedily, best cell first (ties: the later row, then
    column)."""
    pairs = len(matrix)
    if n == 1 or max(n, m) <= _BRUTE_FORCE:
        choices = np.array(list(permutations(range(m), n)), dtype=np.int64).reshape(-1, n)
        totals = np.zeros((pairs, len(choices)), dtype=np.float64)
        for i in range(n):
            totals = totals + matrix[:, i, choices[:, i]]
        return np.asarray(choices[np.argmax(totals, axis=1)])
    chosen = np.zeros((pairs, n), dtype=np.int64)
    open_ = matrix.reshape(pairs, n * m).copy()
    rows = np.arange(pairs)
    for _ in range(n):
        last = n * m - 1 - np.argmax(open_[:, ::-1], axis=1)  # the highest (i, j) of the best cells
        i, j = last // m, last % m
        chosen[rows, i] = j
        open_.reshape(pairs, n, m)[rows, i, :] = -np.inf
        open_.reshape(pairs, n, m)[rows, :, j] = -np.inf
    return chosen


class _Shape:
    """The name pairs of a batch whose first names have *n* words and second names *m* (n <= m),
    laid out as rows of word numbers, roles, weights and miss factors."""

    def __init__(self, t: _Views, first: IntArray, second: IntArray, n: int, m: int) -> None:
        self.n, self.m = n, m
        self.word_a, self.role_a, self.weight_a, _ = t.rows(first, n)
        self.word_b, self.role_b, self.weight_b, self.miss_b = t.rows(second, m)

    def cells(self) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """Every (word, role, word, role) of every pair, row-major (pair, i, j)."""
        n, m = self.n, self.m
        return (
            np.repeat(self.word_a, m, axis=1).reshape(-1),
            np.repeat(self.role_a, m, axis=1).reshape(-1),
            np.tile(self.word_b, (1, n)).reshape(-1),
            np.tile(self.role_b, (1, n)).reshape(-1),
        )

    def scores(
        self, t: _Views, cell_scores: FloatArray, cell_conflicts: np.ndarray[Any, Any]
    ) -> tuple[FloatArray, BoolArray]:
        """_fast_score's arithmetic, aligned word by word in the order of the first name's words;
        and, on the same alignment, :func:`~namematch.match.score.contradicts`."""
        n, m = self.n, self.m
        pairs = len(self.word_a)
        matrix = cell_scores.reshape(pairs, n, m)
        conflict = cell_conflicts.reshape(pairs, n, m)
        chosen = _alignment(matrix, n, m)
        rows = np.arange(pairs)
        total = np.zeros(pairs, dtype=np.float64)
        weight_sum = np.zeros(pairs, dtype=np.float64)
        factor = np.ones(pairs, dtype=np.float64)
        matched = np.zeros((pairs, m), dtype=np.bool_)
        contradiction = np.zeros(pairs, dtype=np.bool_)
        for i in range(n):
            j = chosen[:, i]
            s = matrix[rows, i, j]
            wa, wb = self.weight_a[:, i], self.weight_b[rows, j]
            weight = np.where(wa > wb, wa, wb)
            total = total + weight * s
            weight_sum = weight_sum + weight
            ra, rb = self.role_a[:, i], self.role_b[rows, j]
            surname = (ra == _SURNAME) | (rb == _SURNAME)
            gendered = np.zeros(pairs, dtype=np.bool_)
            if surname.any():
                gendered[surname] = _gendered(t, self.word_a[surname, i], self.word_b[rows, j][surname])
            patronymics = (ra == _PATRONYMIC) & (rb == _PATRONYMIC) & (s < 1.0) & conflict[rows, i, j]
            conflicting = ~gendered & patronymics
            factor = np.where(gendered, factor * 0.8, np.where(conflicting, factor * 0.7, factor))
            matched[rows, j] = True
            contradiction |= gendered | patronymics
            contradiction |= (ra == rb) & np.isin(ra, _CONTRADICTING) & (s < CONTRADICTION)
            contradiction |= (_initial(ra) | _initial(rb)) & (s == 0.0)
        firm_a = ((self.role_a == _LEGAL) & t.firm[self.word_a]).any(axis=1)
        firm_b = ((self.role_b == _LEGAL) & t.firm[self.word_b]).any(axis=1)
        personal_a = _personal(t, self.word_a, self.role_a)
        personal_b = _personal(t, self.word_b, self.role_b)
        contradiction |= (firm_a & personal_b) | (firm_b & personal_a)
        for k in range(m):
            factor = np.where(matched[:, k], factor, factor * self.miss_b[:, k])
        score = np.where(weight_sum > 0, total / np.where(weight_sum > 0, weight_sum, 1.0), 0.0) * factor
        return np.asarray(np.clip(score, 0.0, 1.0)), contradiction


def score_pairs(
    names: Sequence[Prepared] | WordTable, first: Sequence[int] | IntArray, second: Sequence[int] | IntArray
) -> FloatArray:
    """``spelling_score(names[first[k]], names[second[k]])`` for every k, as a float array.

    >>> from namematch import prepare
    >>> names = [prepare(x) for x in ("Mikhail Evdokimov", "Евдокимов Михаил", "Petrov")]
    >>> [round(float(s), 3) for s in score_pairs(names, [0, 0], [1, 2])]
    [1.0, 0.207]
    """
    return evaluate_pairs(names, first, second)[0]


def evaluate_pairs(
    names: Sequence[Prepared] | WordTable, first: Sequence[int] | IntArray, second: Sequence[int] | IntArray
) -> tuple[FloatArray, BoolArray]:
    """:func:`score_pairs`, and for every pair whether the two names carry evidence of two
    entities (:func:`~namematch.match.score.contradicts`)."""
    t = _views(names)
    first_ = np.asarray(first, dtype=np.int64)
    second_ = np.asarray(second, dtype=np.int64)
    if first_.shape != second_.shape or first_.ndim != 1:
        raise ValueError("first and second must be one-dimensional and of one length")
    scores = np.empty(len(first_), dtype=np.float64)
    contradictions = np.zeros(len(first_), dtype=np.bool_)
    for start in range(0, len(first_), CHUNK):
        stop = min(start + CHUNK, len(first_))
        scores[start:stop], contradictions[start:stop] = _score_chunk(t, first_[start:stop], second_[start:stop])
    return scores, contradictions


def score_codes(
    table: WordTable,
    codes: array[int],
    with_aliases: Sequence[int] = (),
    aliases: Sequence[frozenset[str]] = (),
) -> tuple[array[float], array[int]]:
    """The scores of encoded pairs (``i << 32 | j``, as dedupe's blocking gives them), as an array
    of doubles, and whether each pair is evidence of two entities, as an array of bytes (0 or 1).
    A pair of names that share an alias-table entity (``aliases[i]`` and ``aliases[j]``
    intersect; *with_aliases* lists the names with any) scores 1.0 and is no such evidence, as in
    :func:`namematch.similarity`."""
    pairs = np.frombuffer(codes, dtype=np.int64) if len(codes) else np.zeros(0, dtype=np.int64)
    first, second = pairs >> 32, pairs & 0xFFFFFFFF
    scores, contradictions = evaluate_pairs(table, first, second)
    if len(with_aliases):
        named = np.zeros(len(table.names), dtype=np.bool_)
        named[np.asarray(with_aliases, dtype=np.int64)] = True
        for k in np.flatnonzero(named[first] & named[second]).tolist():
            if not aliases[int(first[k])].isdisjoint(aliases[int(second[k])]):
                scores[k] = 1.0
                contradictions[k] = False
    return array("d", scores.tobytes()), array("b", contradictions.astype(np.int8).tobytes())


def _score_chunk(t: _Views, first: IntArray, second: IntArray) -> tuple[FloatArray, BoolArray]:
    swap = t.rank[first] > t.rank[second]
    a = np.where(swap, second, first)
    b = np.where(swap, first, second)
    out = np.empty(len(a), dtype=np.float64)
    contradiction = np.zeros(len(a), dtype=np.bool_)
    n, m = t.lengths[a], t.lengths[b]
    empty = (n == 0) | (m == 0)
    for k in np.flatnonzero(empty).tolist():
        pa, pb = t.names[a[k]], t.names[b[k]]
        out[k], contradiction[k] = spelling_score(pa, pb), contradicts(pa, pb)
    base = int(m.max(initial=0)) + 1
    shape = n * base + m
    shape[empty] = -1
    # The word pairs of every shape are scored together, then each shape aligns its own.
    groups: list[tuple[IntArray, _Shape]] = []
    for code in np.unique(shape[~empty]).tolist():
        where = np.flatnonzero(shape == code)
        groups.append((where, _Shape(t, a[where], b[where], code // base, code % base)))
    start = 0
    if groups:
        parts = [g.cells() for _, g in groups]
        cells = _Cells(t, *(np.concatenate([p[k] for p in parts]) for k in range(4)))
        for where, g in groups:
            stop = start + len(where) * g.n * g.m
            out[where], contradiction[where] = g.scores(t, cells.scores[start:stop], cells.conflict[start:stop])
            start = stop
    return out, contradiction
