"""A name analysed once: normalised, romanised, folded, its words' forms, keys, roles and gender.

``prepare`` is what every comparison starts from; preparing the choices of a search once is what
makes searching 200,000 names fast. Words are analysed once per (word, language) and shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import count

from namematch._text import CYRILLIC, require_str
from namematch.aliases import given_name_groups
from namematch.errors import NamematchError
from namematch.match.normalize import KINDS, Kind, analyse, has_legal_form, legal_form
from namematch.match.normalize import clear_caches as clear_normalized
from namematch.match.person import GIVEN, INITIAL, INITIALS, MIDDLE, PATRONYMIC, SURNAME, gender_and_stem, roles
from namematch.match.phonetic import fold, forms, skeleton
from namematch.translit.detect import detect_language
from namematch.translit.registry import get_language, transliterator

__all__ = ["LEGAL", "WORD", "Prepared", "Word", "assemble", "clear_caches", "intern_word", "prepare"]

LEGAL, WORD = "legal form", "word"

#: A name is matched on its first MAX_WORDS words (a name is a few words; a megabyte of text is not
#: a name, and comparing two of them word by word would take quadratic time).
MAX_WORDS = 32

#: How much each role counts in a comparison.
WEIGHTS = {SURNAME: 3.0, GIVEN: 2.0, PATRONYMIC: 1.5, INITIAL: 1.0, MIDDLE: 1.0, WORD: 2.0, LEGAL: 0.2}


@dataclass(frozen=True, eq=False)
class Word:
    """One analysed word. Instances are shared between names (compared by identity)."""

    uid: int
    text: str
    folded: str
    forms: tuple[str, ...]
    keys: frozenset[str]
    gender: str | None
    stems: tuple[str, ...]
    #: the given-name groups (alias tables) this word is an equivalent of, and a diminutive of
    given: frozenset[str] = frozenset()
    minor: frozenset[str] = frozenset()
    scheme: str = ""

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Pickled by content and interned on arrival: a Word analysed in another process (dedupe's
        # workers) becomes this process's Word of the same text, with a uid of this process.
        return intern_word, self.parts()

    def parts(self) -> tuple[str, str, _WordFields]:
        """(text, scheme, analysis): what :func:`intern_word` rebuilds the word from."""
        return (
            self.text,
            self.scheme,
            (self.folded, self.forms, self.keys, self.gender, self.stems, self.given, self.minor),
        )


@dataclass(frozen=True, eq=False)
class Prepared:
    """A name analysed for matching (see :func:`prepare`)."""

    name: str
    kind: str
    normalized: str
    words: tuple[Word, ...]
    roles: tuple[str, ...]
    dropped: tuple[str, ...]
    lang: str | None
    #: per word: its weight in a comparison, and the factor a comparison pays when it has no counterpart
    weights: tuple[float, ...]
    misses: tuple[float, ...]
    #: the words' uids, and whether any word is an initial, a patronymic or a legal form (these
    #: take the careful scoring path)
    uids: tuple[int, ...]
    special: bool

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # The uids are this process's, and the weights follow from the roles: rebuilt on arrival.
        return assemble, (self.name, self.kind, self.normalized, self.words, self.roles, self.dropped, self.lang)

    @cached_property
    def keys(self) -> frozenset[str]:
        """The blocking keys: the skeletons of the words that name the entity (not initials,
        patronymics or legal forms), in every reading."""
        out: set[str] = set()
        for word, role in zip(self.words, self.roles, strict=True):
            if role not in INITIALS and role not in (PATRONYMIC, LEGAL) and len(word.folded) > 1:
                out |= word.keys
        return frozenset(k for k in out if k)

    @property
    def romanized(self) -> str:
        """The folded romanisation of the normalised name, word by word."""
        return " ".join(w.folded for w in self.words)


_UIDS = count(1)
#: What a comparison pays for a word of this role that has no counterpart in the other name.
MISSES = {SURNAME: 0.93, GIVEN: 0.93, WORD: 0.93, INITIAL: 0.97, MIDDLE: 0.97, PATRONYMIC: 1.0, LEGAL: 1.0}


# Analysed words by (text, scheme), shared by every name; emptied when full (uids stay unique).
_WORDS: dict[tuple[str, str], Word] = {}


def _word(text: str, scheme: str) -> Word:
    found = _WORDS.get((text, scheme))
    if found is None:
        if len(_WORDS) >= 1 << 18:
            _WORDS.clear()
        found = _WORDS[text, scheme] = _analyse_word(text, scheme)
    return found


_WordFields = tuple[str, tuple[str, ...], frozenset[str], "str | None", tuple[str, ...], frozenset[str], frozenset[str]]


def intern_word(text: str, scheme: str, fields: _WordFields) -> Word:
    """This process's word of *text* under *scheme*, made from *fields* (analysed elsewhere) when
    this process has not analysed it."""
    found = _WORDS.get((text, scheme))
    if found is None:
        folded, forms_, keys, gender, stems, given, minor = fields
        found = _WORDS[text, scheme] = Word(
            next(_UIDS), text, folded, forms_, keys, gender, stems, given, minor, scheme
        )
    return found


def _analyse_word(text: str, scheme: str) -> Word:
    latin = transliterator(scheme)(text) if CYRILLIC.search(text) else text
    folded = fold(latin)
    variants = forms(folded)
    genders = [gender_and_stem(f) for f in variants]
    gender = genders[0][0] if all(g == genders[0][0] for g, _ in genders) else None
    given, minor = given_name_groups(variants)
    return Word(
        given=given,
        minor=minor,
        uid=next(_UIDS),
        text=text,
        folded=folded,
        forms=variants,
        keys=frozenset(skeleton(f) for f in variants),
        gender=gender,
        stems=tuple(dict.fromkeys(stem for _, stem in genders)),
        scheme=scheme,
    )


def assemble(
    name: str,
    kind: str,
    normalized: str,
    words: tuple[Word, ...],
    roles: tuple[str, ...],
    dropped: tuple[str, ...],
    lang: str | None,
) -> Prepared:
    """A prepared name from its analysed parts (the weights and the rest follow from the roles)."""
    found = _BY_ROLES.get(roles)
    if found is None:
        found = (
            tuple(WEIGHTS[r] for r in roles),
            tuple(MISSES[r] for r in roles),
            any(r in (INITIAL, MIDDLE, LEGAL, PATRONYMIC) for r in roles),
        )
        if len(_BY_ROLES) >= 1 << 12:
            _BY_ROLES.clear()
        _BY_ROLES[roles] = found
    weights, misses, special = found
    return Prepared(
        name, kind, normalized, words, roles, dropped, lang, weights, misses, tuple([w.uid for w in words]), special
    )


# weights, misses and special by roles: a few hundred combinations cover every name
_BY_ROLES: dict[tuple[str, ...], tuple[tuple[float, ...], tuple[float, ...], bool]] = {}


def _resolve_kind(kind: str, words: list[str]) -> str:
    if kind != "auto":
        return kind
    if has_legal_form(words):
        return "org"
    return "person"


def prepare(name: str | Prepared, *, kind: Kind = "auto", lang: str | None = None) -> Prepared:
    """Analyse *name* once for matching; pass the result anywhere a name is accepted.

    Only the first :data:`MAX_WORDS` words count. ``kind`` is ``person``, ``place``, ``org`` or
    ``auto`` (an organisation when the name holds a legal form such as ООО or LLC, a person
    otherwise). ``lang`` is the language of Cyrillic words (detected when not given; Russian when
    the letters give no evidence).

    >>> p = prepare("EVDOKIMOV, Mikhail Nikolaevich")
    >>> [(w.folded, r) for w, r in zip(p.words, p.roles)]
    [('evdokimov', 'surname'), ('mikhail', 'given'), ('nikolaevich', 'patronymic')]
    >>> sorted(prepare("Євдокимов").keys), sorted(prepare("Jewdokimow").keys)  # j: a glide, or French ж
    (['Avdkmv'], ['Avdkmv', 'Svdkmv'])
    """
    if isinstance(name, Prepared):
        if kind not in KINDS:
            raise NamematchError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        return name
    key = (name, kind, lang)
    try:
        found = _PREPARED.get(key)
    except TypeError:  # unhashable: _prepare says what was expected
        found = None
    if found is None:
        found = _prepare(name, kind, lang)
        if len(_PREPARED) >= 1 << 16:
            _PREPARED.clear()
        _PREPARED[key] = found
    return found


# Names repeat (one entity is mentioned many times): a bounded memo of prepared names, emptied
# when full. A Prepared is immutable, so sharing it changes nothing.
_PREPARED: dict[tuple[object, object, object], Prepared] = {}


def clear_caches() -> None:
    """Forget prepared names, analysed words and normalised chunks (for benchmarks measuring a
    cold start)."""
    _PREPARED.clear()
    _WORDS.clear()
    clear_normalized()


def _prepare(name: str, kind: Kind, lang: str | None) -> Prepared:
    require_str(name, "name")
    analysed = analyse(name, kind)
    tokens = analysed.tokens[:MAX_WORDS]
    texts = [t.text for t in tokens]
    resolved = _resolve_kind(kind, texts)
    if lang is not None:
        code = get_language(lang).code
    elif analysed.text.isascii():  # no Cyrillic letter, so no evidence: detect_language's None
        code = "ru"
    else:
        code = detect_language(analysed.text) or "ru"
    scheme = get_language(code).default_scheme
    words = tuple(_word(t, scheme) for t in texts)
    if resolved == "person":
        found = roles(
            [w.folded for w in words],
            [w.forms[0] for w in words],
            [t.initial for t in tokens],
            [t.caps for t in tokens],
            [t.comma for t in tokens],
            [bool(w.given or w.minor) for w in words],
        )
    else:
        found = [WORD] * len(words)
        if resolved == "org":
            i = 0
            while i < len(texts):
                form = legal_form(tuple(texts[i:]))
                size = form[1] if form else 1
                if form:
                    found[i : i + size] = [LEGAL] * size
                i += size
    return assemble(name, resolved, analysed.text, words, tuple(found), analysed.dropped, code)
