"""The words of many prepared names as flat arrays of numbers, for the bulk scorer.

Built here with the standard library's :mod:`array` (no numpy), so that dedupe can build the table
once, in the parent process, before forking its scoring workers: a process that imported numpy
runs threads and is not forked, and a worker that built its own table would copy, page by page,
every name object it touched. The workers read the arrays in place
(:mod:`namematch.match.batch` views them as numpy arrays without copying).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from namematch.match.normalize import legal_form
from namematch.match.person import GIVEN, INITIAL, MIDDLE, PATRONYMIC, SURNAME
from namematch.match.phonetic import skeleton
from namematch.match.prepared import LEGAL, WORD, Prepared, Word
from namematch.match.score import _PATRONYMIC_SUFFIX, _onsets, is_firm_form

__all__ = ["MAX_WORDS", "ROLE_CODES", "WordTable", "ranks"]

#: Names of up to this many words are held in the table's fixed-width rows; longer ones (rare:
#: organisation names) apart, and gathered when a batch needs them.
MAX_WORDS = 6

NONE, INITIAL_CODE, PATRONYMIC_CODE, LEGAL_CODE, SURNAME_CODE, GIVEN_CODE, WORD_CODE, MIDDLE_CODE = range(8)
#: A small number per role (other roles: 0).
ROLE_CODES = {
    INITIAL: INITIAL_CODE,
    PATRONYMIC: PATRONYMIC_CODE,
    LEGAL: LEGAL_CODE,
    SURNAME: SURNAME_CODE,
    GIVEN: GIVEN_CODE,
    WORD: WORD_CODE,
    MIDDLE: MIDDLE_CODE,
}
_GENDER = {None: 0, "m": 1, "f": 2}


class _Ids:
    """Values numbered in order of first sight."""

    def __init__(self) -> None:
        self.ids: dict[object, int] = {}

    def __call__(self, value: object) -> int:
        found = self.ids.get(value)
        if found is None:
            found = self.ids[value] = len(self.ids)
        return found


class Padded:
    """Rows of numbers of different lengths, as one flat array of rows padded with -1 to the
    longest."""

    def __init__(self, rows: list[list[int]]) -> None:
        self.width = max((len(r) for r in rows), default=0) or 1
        self.count = len(rows)
        self.flat = array("q", [-1]) * (self.count * self.width)
        width = self.width
        for k, row in enumerate(rows):
            self.flat[k * width : k * width + len(row)] = array("q", row)


def ranks(names: Sequence[Prepared]) -> array[int]:
    """Each name's position in the order compare() puts a pair in: (number of words, normalised
    name, name)."""
    sort_keys = [(len(p.words), p.normalized, p.name) for p in names]
    rank = array("q", bytes(8 * len(names)))
    for position, k in enumerate(sorted(range(len(names)), key=sort_keys.__getitem__)):
        rank[k] = position
    return rank


class WordTable:
    """The words of a list of prepared names, numbered, with what the scoring rules read of them;
    and the names as rows of word numbers, role codes, weights and miss factors (names of more
    than :data:`MAX_WORDS` words apart, in :attr:`long`). Every array is flat, row-major."""

    def __init__(self, names: Sequence[Prepared], *, ranked: bool = True) -> None:
        """With ``ranked=False``, :attr:`rank` is left empty for the caller to set to :func:`ranks`
        of *names* (dedupe ranks them in another process while this one builds the rest)."""
        self.names = names
        index: dict[int, int] = {}
        words: list[Word] = []
        count = len(names)
        width = MAX_WORDS
        self.lengths = array("q", [len(p.words) for p in names])
        # Filled as lists (a slice of a list takes a tuple as it is), made arrays once at the end.
        word = [-1] * (count * width)
        role = [0] * (count * width)
        weight = [0.0] * (count * width)
        miss = [1.0] * (count * width)
        #: the rows of the longer names, by name index
        self.long: dict[int, tuple[list[int], list[int], list[float], list[float]]] = {}
        codes_of: dict[tuple[str, ...], list[int]] = {}  # names share a few hundred role sequences
        patronymics: set[int] = set()  # numbers of the words some name reads as a patronymic
        for k, p in enumerate(names):
            numbers = []
            for w in p.words:
                number = index.get(w.uid)
                if number is None:
                    number = index[w.uid] = len(words)
                    words.append(w)
                numbers.append(number)
            n = len(numbers)
            codes = codes_of.get(p.roles)
            if codes is None:
                codes = codes_of[p.roles] = [ROLE_CODES.get(r, NONE) for r in p.roles]
            if PATRONYMIC_CODE in codes:
                patronymics.update(x for x, c in zip(numbers, codes, strict=True) if c == PATRONYMIC_CODE)
            if n > width:
                self.long[k] = (numbers, codes, list(p.weights), list(p.misses))
            elif n:
                at = k * width
                word[at : at + n] = numbers
                role[at : at + n] = codes
                weight[at : at + n] = p.weights
                miss[at : at + n] = p.misses
        self.word = array("i", word)
        self.role = array("b", role)
        self.weight = array("d", weight)
        self.miss = array("d", miss)
        del word, role, weight, miss
        #: each name's position in the order compare() puts a pair in (:func:`ranks`)
        self.rank = ranks(names) if ranked else array("q")
        self.words = words

        strings, keys, groups, stems, labels, onsets = _Ids(), _Ids(), _Ids(), _Ids(), _Ids(), _Ids()
        self.folded = array("q", [strings(w.folded) for w in words])
        self.forms = Padded([[strings(f) for f in w.forms] for w in words])
        self.keys = Padded([[keys(x) for x in w.keys] for w in words])
        self.given = Padded([[groups(g) for g in w.given] for w in words])
        self.onsets = Padded([sorted({onsets(o) for o in _onsets(w)}) for w in words])
        self.stems = Padded([[stems(x) for x in w.stems] for w in words])
        self.gender = array("q", [_GENDER.get(w.gender, 0) for w in words])
        self.labels = array("q", [-1 if (x := legal_form((w.text,))) is None else labels(x) for w in words])
        #: whether a word, as a legal form, makes its name a company's (score._firm)
        self.firm = array("b", [is_firm_form(w) for w in words])
        # A patronymic read on the father's name in it: the stems of its forms, and their keys
        # (only the words some name reads as a patronymic: the scorer reads no other word's).
        stem_lists = [
            [_PATRONYMIC_SUFFIX.sub("", f) for f in w.forms] if x in patronymics else [] for x, w in enumerate(words)
        ]
        self.father = Padded([[strings(x) for x in row] for row in stem_lists])
        self.father_keys = Padded([sorted({keys(skeleton(x)) for x in row}) for row in stem_lists])
        self.strings: list[str] = [str(s) for s in strings.ids]
        #: the numpy views of the arrays, made where they are first needed (namematch.match.batch)
        self.views: object = None
