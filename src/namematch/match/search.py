"""Search one name among many: :func:`match`.

Two stages. Candidates are the choices that share a blocking key with the query, plus the best
few hundred by a fast edit-distance screen of the romanised forms (rapidfuzz, in C, over all
choices); the candidates are then scored with :func:`~namematch.match.score.similarity` and the
best returned. Prepare a large list once with :class:`Choices` (or pass prepared names).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from namematch.errors import NamematchError
from namematch.match.normalize import Kind
from namematch.match.prepared import Prepared, prepare
from namematch.match.score import Gender, similarity

__all__ = ["Choices", "Match", "match"]

_SCREEN = 200  # how many choices the edit-distance screen passes on


@dataclass(frozen=True)
class Match:
    """One result of :func:`match`: the choice as given, its score and its index in the choices."""

    choice: str
    score: float
    index: int


class Choices:
    """A list of names analysed once for repeated searches (its keys indexed)."""

    def __init__(self, names: Iterable[str | Prepared], *, kind: Kind = "auto") -> None:
        self.kind = kind
        self.prepared: list[Prepared] = [prepare(n, kind=kind) for n in names]
        self._screen = [" ".join(sorted(w.forms[0] for w in p.words)) for p in self.prepared]
        self._by_key: dict[str, list[int]] = {}
        for i, p in enumerate(self.prepared):
            for key in p.keys:
                self._by_key.setdefault(key, []).append(i)

    def __len__(self) -> int:
        return len(self.prepared)

    def candidates(self, query: Prepared) -> set[int]:
        found: set[int] = set()
        for key in query.keys:
            found.update(self._by_key.get(key, ()))
        screen = " ".join(sorted(w.forms[0] for w in query.words))
        for _, _, index in process.extract(screen, self._screen, scorer=fuzz.token_sort_ratio, limit=_SCREEN):
            found.add(index)
        return found


def match(
    query: str | Prepared,
    choices: Sequence[str | Prepared] | Choices,
    *,
    kind: Kind = "auto",
    limit: int | None = 10,
    score_cutoff: float | None = None,
    gender: Gender = "strict",
) -> list[Match]:
    """The best *limit* choices for *query*, best first (ties by index), with scores and indices.

    >>> [(m.choice, round(m.score, 2), m.index) for m in match("Евдокимов", ["Petrov", "Yevdokimov", "Evdokimova"])]
    [('Yevdokimov', 0.96, 1), ('Evdokimova', 0.76, 2), ('Petrov', 0.22, 0)]
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise NamematchError(f"limit must be a positive integer or None, got {limit!r}")
    prepared = choices if isinstance(choices, Choices) else Choices(choices, kind=kind)
    q = prepare(query, kind=kind)
    indices = prepared.candidates(q) if len(prepared) > _SCREEN else set(range(len(prepared)))
    scored = []
    for i in indices:
        s = similarity(q, prepared.prepared[i], kind=kind, gender=gender)
        if score_cutoff is None or s >= score_cutoff:
            scored.append((s, i))
    scored.sort(key=lambda item: (-item[0], item[1]))
    top = scored[:limit] if limit is not None else scored
    return [Match(prepared.prepared[i].name, s, i) for s, i in top]
