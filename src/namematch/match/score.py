"""Pair scores that explain themselves: :func:`compare` and :func:`similarity`.

Words are aligned one to one (any order) to maximise the total of their similarities. A pair of
words scores, by the first measure that holds:

- ``exact``: the same folded romanisation (1.0);
- ``transliteration``: the same phonetic form, i.e. two romanisations of one spelling (0.96);
- ``initial``: an initial against a word it begins (0.9);
- ``legal form``: two legal forms with one meaning (ООО and LLC, 1.0);
- ``key`` / ``edit distance``: the normalised Levenshtein similarity of the phonetic forms, moved
  halfway to 1 when their keys agree (typos are tolerated in proportion to length).

The name's score is the weighted mean over aligned words (surname 3, given name 2, patronymic 1.5,
initial 1, other words 2, legal forms 0.2), then penalties: an unmatched given name or other word
(x0.93), an unmatched initial (x0.97); a conflicting patronymic (x0.7); under ``gender="strict"``,
a male and a female form of one surname (x0.8). An unmatched patronymic costs nothing.
:data:`DEFAULT_THRESHOLD` (0.85) separates matches from non-matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations
from typing import Literal

from rapidfuzz.distance import Levenshtein

from namematch.errors import NamematchError
from namematch.match.normalize import Kind, legal_form
from namematch.match.person import INITIAL, PATRONYMIC, SURNAME
from namematch.match.prepared import LEGAL, WEIGHTS, Prepared, Word, prepare

__all__ = ["DEFAULT_THRESHOLD", "Comparison", "Gender", "PartMatch", "compare", "similarity"]

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


def _word_score(a: Word, b: Word, role_a: str, role_b: str, gender: str) -> tuple[float, str]:
    if a is b or a.folded == b.folded:
        return 1.0, "exact"
    if role_a == INITIAL or role_b == INITIAL:
        if role_a == INITIAL and role_b == INITIAL:
            return (1.0, "initial") if a.folded[:1] == b.folded[:1] else (0.0, "initial")
        short, long_ = (a, b) if role_a == INITIAL else (b, a)
        hit = any(f.startswith(s) for s in short.forms for f in long_.forms if s)
        return (0.9, "initial") if hit or long_.folded.startswith(short.folded) else (0.0, "initial")
    if role_a == LEGAL and role_b == LEGAL:
        label_a, label_b = legal_form((a.text,)), legal_form((b.text,))
        if label_a is not None and label_a == label_b:
            return 1.0, "legal form"
    if not set(a.forms).isdisjoint(b.forms):
        return 0.96, "transliteration"
    if gender == "ignore" and SURNAME in (role_a, role_b) and not set(a.stems).isdisjoint(b.stems):
        return 0.96, "same surname, other gender"
    best = max(Levenshtein.normalized_similarity(fa, fb) for fa in a.forms for fb in b.forms)
    if not a.keys.isdisjoint(b.keys):
        return best + (1.0 - best) / 2, "key"
    return best, "edit distance"


def _align(matrix: list[list[float]]) -> list[tuple[int, int]]:
    """The one-to-one pairing of rows and columns with the largest total (ties: the first found)."""
    n, m = len(matrix), len(matrix[0]) if matrix else 0
    if not n or not m:
        return []
    if max(n, m) <= _BRUTE_FORCE:
        if n <= m:
            best = max(permutations(range(m), n), key=lambda cols: sum(matrix[i][c] for i, c in enumerate(cols)))
            return list(enumerate(best))
        rows = max(permutations(range(n), m), key=lambda rs: sum(matrix[r][j] for j, r in enumerate(rs)))
        return [(r, j) for j, r in enumerate(rows)]
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


def _order(a: Prepared, b: Prepared) -> bool:
    """Whether to swap the pair, so that compare(a, b) and compare(b, a) do the same work."""
    return (len(a.words), a.normalized, a.name) > (len(b.words), b.normalized, b.name)


def compare(
    a: str | Prepared,
    b: str | Prepared,
    *,
    kind: Kind = "auto",
    gender: Gender = "strict",
) -> Comparison:
    """Compare two names and say why.

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
    score, parts, unmatched, penalties = _score(pa, pb, gender)
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


def similarity(a: str | Prepared, b: str | Prepared, *, kind: Kind = "auto", gender: Gender = "strict") -> float:
    """The score of :func:`compare` alone, in [0, 1]; 1.0 for identical names.

    >>> similarity("Zelensky", "Зеленський") >= DEFAULT_THRESHOLD > similarity("Petrov", "Petrenko")
    True
    """
    return compare(a, b, kind=kind, gender=gender).score


def _score(pa: Prepared, pb: Prepared, gender: str) -> tuple[float, list[PartMatch], list[str], list[str]]:
    if not pa.words or not pb.words:
        same = pa.normalized == pb.normalized
        return (1.0 if same else 0.0), [], [], ([] if same else ["one name is empty"])
    measures: list[list[tuple[float, str]]] = [
        [_word_score(wa, wb, ra, rb, gender) for wb, rb in zip(pb.words, pb.roles, strict=True)]
        for wa, ra in zip(pa.words, pa.roles, strict=True)
    ]
    pairs = _align([[s for s, _ in row] for row in measures])
    total = weight_sum = 0.0
    factor = 1.0
    parts: list[PartMatch] = []
    penalties: list[str] = []
    for i, j in pairs:
        s, measure = measures[i][j]
        ra, rb = pa.roles[i], pb.roles[j]
        role = ra if ra == rb else (SURNAME if SURNAME in (ra, rb) else ra if ra != INITIAL else rb)
        weight = max(WEIGHTS[ra], WEIGHTS[rb])
        total += weight * s
        weight_sum += weight
        wa, wb = pa.words[i], pb.words[j]
        parts.append(PartMatch(wa.text, wb.text, role, measure, s))
        if ra == PATRONYMIC and rb == PATRONYMIC and s < 0.75:
            factor *= 0.7
            penalties.append(f"conflicting patronymics {wa.text!r} and {wb.text!r} (x0.7)")
        if (
            gender == "strict"
            and SURNAME in (ra, rb)
            and wa.gender is not None
            and wb.gender is not None
            and wa.gender != wb.gender
            and not set(wa.stems).isdisjoint(wb.stems)
        ):
            factor *= 0.8
            penalties.append(f"{wa.text!r} and {wb.text!r} are the male and female forms of one surname (x0.8)")
    matched_a = {i for i, _ in pairs}
    matched_b = {j for _, j in pairs}
    unmatched: list[str] = []
    for prepared, matched in ((pa, matched_a), (pb, matched_b)):
        for k, (word, role) in enumerate(zip(prepared.words, prepared.roles, strict=True)):
            if k in matched:
                continue
            unmatched.append(f"{role} {word.text!r} of {prepared.name!r}")
            if role == INITIAL:
                factor *= 0.97
            elif role not in (PATRONYMIC, LEGAL):
                factor *= 0.93
                penalties.append(f"no counterpart for {role} {word.text!r} (x0.93)")
    score = (total / weight_sum if weight_sum else 0.0) * factor
    return min(1.0, max(0.0, score)), parts, unmatched, penalties
