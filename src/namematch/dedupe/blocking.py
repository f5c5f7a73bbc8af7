"""Candidate pairs: which names are worth scoring, without comparing every name with every other.

Each name gets blocking keys in tiers, coarse to fine, from its analysed words (the same
skeletons as :func:`namematch.keys`, so another script or romanisation still meets its partner):

1. each name word alone (``Avdkmv`` for Evdokimov/Євдокимов/Jewdokimow), and the alias-table
   entity the whole name is a spelling of (``@place:kyiv`` for Kiev/Kyiv/Київ);
2. a word, or its first four letters, with the sound another word or initial starts with
   (``Avdkmv|m`` and ``~evdo|m`` for "M. Evdokimov" and "Mikhail Evdokimov"): survives a typo in
   the other word (or late in this one), and initials;
3. two words (``Avdkmv|mhl``); and, in a name of three words, its first or last word with the
   sounds the two others start with, in order (``smnv^Ad``: Alevtina Dmitrievna Simonova, A. D.
   Simonova, Simonova A. D.; the given name precedes the patronymic whichever end the surname is);
4. two words and the patronymic (``Avdkmv|mhl|nklv``).

Every block of at most ``max_block`` names contributes all its pairs, but for the first tier,
where names of several words meet only by their finer keys (two Mikhails with different surnames
are not worth scoring), and a name of one word meets every name that has it; an alias-table
entity's block, where every name is a spelling of the entity, gives all its pairs (Abai Region,
Abay oblysy). A bigger block (the Ivanovs of a national register) contributes nothing by itself:
its names meet through their finer keys instead, so a very common surname never costs quadratic
time (but an alias-table entity's block is then a star: each name meets the first).
Where a name's finest key is still oversized (thousands of "Ivan Ivanov"), the block is sorted by
:func:`window_spelling` (surname first, names of one word before the rest) and each name is
paired with its ``window`` nearest neighbours. The counts are reported.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from namematch.match.person import INITIALS, PATRONYMIC, SURNAME
from namematch.match.prepared import LEGAL, Prepared, Word

__all__ = [
    "MAX_BLOCK",
    "PREFIX",
    "SHIFT",
    "WINDOW",
    "BlockStats",
    "Blocks",
    "blocking_keys",
    "candidate_pairs",
    "decode",
    "window_spelling",
]

#: Blocks larger than this contribute no pairs of their own (their names meet by finer keys).
MAX_BLOCK = 50
#: Tier 2 also pairs a word's first letters (of its phonetic form) with the other words' sounds,
#: so that a typo after them (Mirobova, Loginod) still meets the name.
PREFIX = 4
#: In a block still oversized at the finest tier, each name meets this many neighbours by spelling.
WINDOW = 8


@dataclass
class BlockStats:
    """What blocking did, for the report."""

    keys: int = 0
    blocks_used: int = 0
    oversized: int = 0
    largest_block: int = 0
    largest_key: str = ""
    windowed_blocks: int = 0
    windowed_names: int = 0
    #: pairs of an oversized alias-table block's first name with each other name of it
    star_pairs: int = 0
    candidate_pairs: int = 0


def blocking_keys(p: Prepared, alias_ids: Sequence[str] = ()) -> tuple[frozenset[str], ...]:
    """The blocking keys of a prepared name, tier by tier (see the module's docstring)."""
    main: list[tuple[str, ...]] = []
    others: list[frozenset[str]] = []  # per main word, the sounds it starts with; then initials'
    ends: list[tuple[str, ...]] = []  # per main word, its keys and prefix keys
    onsets: list[frozenset[str]] = []
    patronymics: list[str] = []
    found = [_word_keys(word) for word in p.words]
    for (keys, sounds, prefix), word, role in zip(found, p.words, p.roles, strict=True):
        if not keys or role == LEGAL or not word.folded:
            continue
        if role in INITIALS or len(word.folded) == 1:
            onsets.append(sounds)
        elif role == PATRONYMIC:
            patronymics.extend(keys)
        else:
            main.append(keys)
            others.append(sounds)
            ends.append(keys + prefix)
    tier1 = {k for keys in main for k in keys}
    tier3 = _three_word_keys(p, found) if len(found) == 3 else set()
    if alias_ids:
        tier1.update([f"@{a}" for a in alias_ids])
    tier2: set[str] = set()
    tier4: set[str] = set()
    others += onsets
    if len(others) > 1:
        for i, own in enumerate(ends):
            heads = others[1 - i] if len(others) == 2 else set().union(*others[:i], *others[i + 1 :])
            tier2.update([f"{k}|{h}" for k in own for h in heads])
    for i, keys in enumerate(main):
        for other in main[i + 1 :]:
            for k in keys:
                for m in other:
                    pair = f"{k}|{m}" if k <= m else f"{m}|{k}"
                    tier3.add(pair)
                    if patronymics:
                        tier4.update([f"{pair}|{q}" for q in patronymics])
    return frozenset(tier1), frozenset(tier2), frozenset(tier3), frozenset(tier4)


def window_spelling(p: Prepared) -> str:
    """What orders an oversized block for the window: the name's words but its legal forms, the
    surname first, and names of one such word before all others (so that Kabanov, МУП «Кабанов»
    and Kabanov LLC sit side by side, and Simonova A. D. beside Simonova Alevtina)."""
    kept = [(w.folded, r) for w, r in zip(p.words, p.roles, strict=True) if r != LEGAL]
    ordered = [w for w, r in kept if r == SURNAME] + [w for w, r in kept if r != SURNAME]
    return ("0 " if len(kept) == 1 else "1 ") + " ".join(ordered)


def _three_word_keys(p: Prepared, found: list[tuple[tuple[str, ...], frozenset[str], tuple[str, ...]]]) -> set[str]:
    """A name of three words (*found*: their :func:`_word_keys`): its first and last full word's
    keys with the sounds the two others start with, in their order (``smnv^Ad`` for Alevtina
    Dmitrievna Simonova, Simonova A. D. and A. D. Simonova).
    The given name comes before the patronymic whichever end the surname takes, so this meets a
    name's initials without trusting the roles (a Bulgarian father's name reads as a given name),
    in a block far smaller than the surname's with one initial."""
    roles = p.roles
    if LEGAL in roles or not (found[0][0] and found[1][0] and found[2][0]):
        return set()
    out: set[str] = set()
    for i in (0, 2):  # the surname is the first word or the last
        if roles[i] in INITIALS or roles[i] == PATRONYMIC or len(p.words[i].folded) < 2:
            continue
        first, second = (found[1][1], found[2][1]) if i == 0 else (found[0][1], found[1][1])
        out.update([f"{k}^{g}{q}" for k in found[i][0] for g in first for q in second])
    return out


def _word_keys(word: Word) -> tuple[tuple[str, ...], frozenset[str], tuple[str, ...]]:
    """A word's sorted non-empty keys, the sounds they start with and its prefix keys (remembered
    per word: names share their words)."""
    found = _WORD_KEYS.get(word.uid)
    if found is None:
        keys = tuple(sorted(k for k in word.keys if k))
        prefix = tuple({f"~{f[:PREFIX]}" for f in word.forms if len(f) > PREFIX})
        found = (keys, frozenset(k[0] for k in keys), prefix)
        if len(_WORD_KEYS) >= 1 << 18:
            _WORD_KEYS.clear()
        _WORD_KEYS[word.uid] = found
    return found


_WORD_KEYS: dict[int, tuple[tuple[str, ...], frozenset[str], tuple[str, ...]]] = {}


SHIFT = 32  # a candidate pair (i, j) is the integer i << SHIFT | j: 8 bytes in an array


class Blocks:
    """Blocks being filled name by name (so no name's keys need to be kept), then their pairs.

    Names are numbered from 0 in order of adding; or, when the count of names is given, each is
    added with its number, in any order (:meth:`pairs` gives the same pairs either way)."""

    def __init__(self, count: int | None = None) -> None:
        self._blocks: list[dict[str, list[int]]] = []
        self._finest = array("b") if count is None else array("b", [-1]) * count
        self._numbered = count is not None

    def add(self, tiers: tuple[frozenset[str], ...], index: int | None = None) -> None:
        """Add a name with its tiers of keys: the next one, or (for blocks of a given count of
        names) name *index*."""
        if index is None:
            if self._numbered:
                raise ValueError("these blocks were made for a count of names: add each with its index")
            index = len(self._finest)
            self._finest.append(-1)
        elif not self._numbered:
            raise ValueError("blocks numbering names in order of adding take no index")
        while len(self._blocks) < len(tiers):
            self._blocks.append(defaultdict(list))
        finest = -1
        for tier, tier_keys in enumerate(tiers):
            if tier_keys:
                finest = tier
            blocks = self._blocks[tier]
            for key in tier_keys:
                blocks[key].append(index)
        self._finest[index] = finest

    def pairs(
        self,
        spellings: Sequence[str] | Callable[[int], str],
        *,
        max_block: int = MAX_BLOCK,
        window: int = WINDOW,
    ) -> tuple[array[int], BlockStats]:
        """The candidate pairs, encoded (``i << SHIFT | j``, ``i < j``) and sorted; the statistics.

        *spellings* order an oversized finest-tier block for the window: a spelling per name, or
        a function giving name *i*'s (called for the names of such blocks only). Blocks of one
        size are paired at once with numpy (the pairs of every block of five names are one index
        pattern).
        """
        from namematch._numpy import np

        spelling = spellings if callable(spellings) else spellings.__getitem__

        stats = BlockStats()
        finest = np.frombuffer(self._finest, dtype=np.int8) if len(self._finest) else np.zeros(0, dtype=np.int8)
        # A name is "covered" once some block it belongs to was usable; names left uncovered at
        # their finest tier go through the window.
        covered = np.zeros(len(finest), dtype=bool)
        found: list[Any] = []
        oversized: list[tuple[int, list[int]]] = []
        for tier, tier_blocks in enumerate(self._blocks):
            stats.keys += len(tier_blocks)
            # Usable blocks by (size, whether it is an alias-table entity's block: tier 0, every
            # name in it a spelling of the entity).
            by_size: dict[tuple[int, bool], list[list[int]]] = defaultdict(list)
            stars: list[int] = []
            keys = list(tier_blocks)
            blocks = list(tier_blocks.values())
            sizes = np.fromiter(map(len, blocks), dtype=np.int64, count=len(blocks))
            largest = int(sizes.max(initial=0))
            # Blocks of one name give no pairs (most blocks): only the others are visited.
            for k in np.flatnonzero(sizes > 1).tolist():
                members = blocks[k]
                size = len(members)
                if size > max_block:
                    oversized.append((tier, members))
                    if tier == 0 and is_alias_key(keys[k]):
                        # Every name here is a spelling of one alias-table entity: each meets the
                        # first (a star, linear in the block), so none is left out.
                        centre = min(members)
                        stars.extend(centre << SHIFT | m for m in members if m != centre)
                else:
                    by_size[size, tier == 0 and is_alias_key(keys[k])].append(members)
            if stars:
                stats.star_pairs += len(stars)
                found.append(np.array(stars, dtype=np.int64))
            if largest > stats.largest_block:  # the first such block in key order, as reported
                stats.largest_block = largest
                stats.largest_key = min(keys[k] for k in np.flatnonzero(sizes == largest).tolist())
            del keys, blocks, sizes
            for (size, entity), groups in by_size.items():
                stats.blocks_used += len(groups)
                members_of = np.fromiter(  # a block per row
                    chain.from_iterable(groups), dtype=np.int64, count=size * len(groups)
                ).reshape(len(groups), size)
                if self._numbered:  # added in any order: ascending, as pairs are i < j
                    members_of.sort(axis=1)
                first, second = np.triu_indices(size, 1)
                a, b = members_of[:, first], members_of[:, second]
                if tier == 0 and not entity:
                    # Names of several words meet by their finer keys; a word alone meets every
                    # name that has it (Evdokimov, Mikhail Evdokimov).
                    alone = finest[members_of] == 0
                    covered[members_of[alone]] = True
                    keep = alone[:, first] | alone[:, second]
                    a, b = a[keep], b[keep]
                else:
                    covered[members_of.ravel()] = True
                found.append((a << SHIFT | b).ravel())
        stats.oversized = len(oversized)
        windowed: list[int] = []
        for tier, members in oversized:
            at_tier = np.array(members, dtype=np.int64)
            stranded = at_tier[(finest[at_tier] == tier) & ~covered[at_tier]].tolist()
            if len(stranded) < 2 and not (stranded and tier == 0):
                continue
            # Sorted neighbourhood over the whole block, for the names that have nothing finer.
            stats.windowed_blocks += 1
            stats.windowed_names += len(stranded)
            order = sorted(members, key=lambda m: (spelling(m), m))
            position = {m: i for i, m in enumerate(order)}
            for m in stranded:
                at = position[m]
                windowed.extend(
                    m << SHIFT | other if m < other else other << SHIFT | m
                    for other in order[max(0, at - window) : at + window + 1]
                    if other != m
                )
        found.append(np.array(windowed, dtype=np.int64))
        self._blocks = []
        codes = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
        del found
        codes.sort()  # then drop repeats (np.unique hashes first: ten times slower here)
        unique = codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes
        del codes
        out = array("q", unique.tobytes())
        stats.candidate_pairs = len(out)
        return out, stats


def is_alias_key(key: str) -> bool:
    """Whether a blocking key is an alias-table entity's (``@place:kyiv``, after the ``same``
    values' prefix where there is one)."""
    return key.startswith("@") or "\x1f@" in key


def decode(code: int) -> tuple[int, int]:
    """The pair ``(i, j)`` of an encoded candidate pair."""
    return code >> SHIFT, code & _MASK


_MASK = (1 << SHIFT) - 1


def candidate_pairs(
    keys: Sequence[tuple[frozenset[str], ...]],
    spellings: Sequence[str],
    *,
    max_block: int = MAX_BLOCK,
    window: int = WINDOW,
) -> tuple[list[tuple[int, int]], BlockStats]:
    """The pairs ``(i, j)``, ``i < j``, of names sharing a usable block, sorted; and the statistics.

    *keys* are the tiers of :func:`blocking_keys` per name; *spellings* order an oversized
    finest-tier block for the window. (:class:`Blocks` does the same without holding every key.)
    """
    blocks = Blocks()
    for tiers in keys:
        blocks.add(tiers)
    codes, stats = blocks.pairs(spellings, max_block=max_block, window=window)
    return [decode(c) for c in codes], stats
