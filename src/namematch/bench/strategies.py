"""The strategies a benchmark compares: a registry of named ways to decide whether two names match.

A strategy is either a **score** strategy, ``score(name1, name2, kind) -> float`` (higher means
more alike; a documented ``threshold`` is its own match decision, ``None`` when it has none), or a
**keys** strategy, ``keys(name, kind) -> set of str``, a blocking rule (two names are compared at
all when their key sets intersect). ``kind`` is the pair's ``kind`` column (``auto`` without one).

Built-ins (every one ships with namematch's core dependencies):

========================================  ======  =========  ======================================
name                                      kind    threshold  what
========================================  ======  =========  ======================================
``exact``                                 score   1.0        the strings are identical
``normalised_exact``                      score   1.0        equal after NFKC, case folding, and
                                                             anything but letters made one space
``unidecode_levenshtein``                 score   -          normalised Levenshtein similarity of
                                                             the unidecode'd lower-case names
``unidecode_jaro_winkler``                score   -          Jaro-Winkler of the same
``unidecode_token_sort_ratio``            score   -          rapidfuzz ``token_sort_ratio`` / 100
``soundex``, ``metaphone``, ``nysiis``,   score   1.0        every word's code equal, in some order
``match_rating``                                             (unidecode'd words, jellyfish codes)
``namematch_romanised_jaro_winkler``      score   -          Jaro-Winkler of namematch's romanised
                                                             forms: transliteration alone
``namematch``                             score   0.85       :func:`namematch.similarity` with the
                                                             pair's kind
``namematch_keys``                        keys    -          :func:`namematch.keys`
``metaphone_keys``                        keys    -          the metaphone of each unidecode'd word
``first3_keys``                           keys    -          the first three letters of the longest
                                                             unidecode'd word
========================================  ======  =========  ======================================

Peers are registered when their package imports: ``rapidfuzz_wratio`` and
``rapidfuzz_token_set_ratio`` (rapidfuzz, a core dependency) and ``cyrtranslit_jaro_winkler``
(``pip install cyrtranslit``). Another library comes in through a small adapter: a
:class:`Strategy` built around one call of it, given to :func:`register` or named on the command
line as ``module:attribute``.

User strategies: ``load("package.module:function")`` wraps a function ``f(name1, name2)`` or
``f(name1, name2, kind)`` returning a number (its ``threshold`` attribute, if any, is its documented
threshold; the first line of its docstring its description); an attribute that is a
:class:`Strategy` is used as it is, which is how a keys strategy is given.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import numbers
import re
import sys
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Literal

from namematch.errors import NamematchError

__all__ = [
    "BASELINE",
    "KeysFunction",
    "ScoreFunction",
    "Strategy",
    "StrategyError",
    "available",
    "get",
    "load",
    "register",
    "select",
]

#: (name1, name2, kind) -> similarity, higher is more alike
ScoreFunction = Callable[[str, str, str], float]
#: (name, kind) -> blocking keys
KeysFunction = Callable[[str, str], Collection[str]]
Group = Literal["baseline", "namematch", "peer", "user"]

#: The strategy whose speed every other speed is divided by, timed in the same run: the matcher a
#: team would write in five minutes (``exact`` is no yardstick: its time is the loop's overhead).
BASELINE = "unidecode_levenshtein"


class StrategyError(NamematchError):
    """An unknown strategy, a ``module:function`` that cannot be loaded, or a strategy that failed."""


@dataclass(frozen=True)
class Strategy:
    """A named way of matching names; exactly one of ``score`` and ``keys`` is given."""

    name: str
    description: str
    score: ScoreFunction | None = None
    keys: KeysFunction | None = None
    #: the strategy's own documented match threshold (score strategies), None when it has none
    threshold: float | None = None
    #: where it comes from: a classical ``baseline``, ``namematch``, a ``peer`` library, a ``user`` function
    group: Group = "baseline"
    #: the package it needs beyond namematch's own dependencies (None: nothing more)
    requires: str | None = None
    #: empties the strategy's caches, so each timing round starts cold (None: it has none)
    reset: Callable[[], None] | None = None

    def __post_init__(self) -> None:
        if (self.score is None) == (self.keys is None):
            raise StrategyError(f"strategy {self.name!r}: give exactly one of score= and keys=")
        if self.keys is not None and self.threshold is not None:
            raise StrategyError(f"strategy {self.name!r}: a keys strategy has no threshold")

    @property
    def kind(self) -> Literal["score", "keys"]:
        """``score`` or ``keys``."""
        return "score" if self.score is not None else "keys"


# --------------------------------------------------------------------------- built-in functions

_NON_LETTERS = re.compile(r"[^\w]+|[\d_]+")


@cache
def _unidecode() -> Callable[[str], str]:
    # unidecode is GPL-2.0-or-later and imported only when a strategy that uses it runs.
    from unidecode import unidecode

    return unidecode


def _ascii(text: str) -> str:
    return str(_unidecode()(text)).lower()


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z]+", _ascii(text)) if w]


def _exact_form(text: str) -> str:
    return " ".join(_NON_LETTERS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


def _codes_equal(function: Callable[[str], str]) -> ScoreFunction:
    def score(a: str, b: str, kind: str) -> float:
        left, right = sorted(function(w) for w in _words(a)), sorted(function(w) for w in _words(b))
        return 1.0 if left and left == right else 0.0

    return score


def _exact(a: str, b: str, kind: str) -> float:
    return float(a == b)


def _normalised_exact(a: str, b: str, kind: str) -> float:
    return float(_exact_form(a) == _exact_form(b))


def _builtins() -> list[Strategy]:
    import jellyfish
    from rapidfuzz import fuzz
    from rapidfuzz.distance import JaroWinkler, Levenshtein

    import namematch
    from namematch.match.prepared import clear_caches

    def similarity(a: str, b: str, kind: str) -> float:
        return namematch.similarity(a, b, kind=kind)  # type: ignore[arg-type]

    def romanised_jaro_winkler(a: str, b: str, kind: str) -> float:
        return namematch.measure("jaro_winkler", a, b, kind=kind)  # type: ignore[arg-type]

    def namematch_keys(name: str, kind: str) -> frozenset[str]:
        return namematch.keys(name, kind=kind)  # type: ignore[arg-type]

    def metaphone_keys(name: str, kind: str) -> frozenset[str]:
        return frozenset(jellyfish.metaphone(w) for w in _words(name))

    def first3_keys(name: str, kind: str) -> frozenset[str]:
        words = _words(name)
        return frozenset({max(words, key=len)[:3]}) if words else frozenset()

    codes = {
        "soundex": jellyfish.soundex,
        "metaphone": jellyfish.metaphone,
        "nysiis": jellyfish.nysiis,
        "match_rating": jellyfish.match_rating_codex,
    }
    return [
        Strategy("exact", "the two strings are identical, nothing normalised", _exact, threshold=1.0),
        Strategy(
            "normalised_exact",
            "equal after NFKC, case folding, and anything but letters made one space",
            _normalised_exact,
            threshold=1.0,
        ),
        Strategy(
            "unidecode_levenshtein",
            "normalised Levenshtein similarity of the unidecode'd lower-case names (rapidfuzz)",
            lambda a, b, kind: Levenshtein.normalized_similarity(_ascii(a), _ascii(b)),
        ),
        Strategy(
            "unidecode_jaro_winkler",
            "Jaro-Winkler similarity of the unidecode'd lower-case names (rapidfuzz)",
            lambda a, b, kind: JaroWinkler.similarity(_ascii(a), _ascii(b)),
        ),
        Strategy(
            "unidecode_token_sort_ratio",
            "rapidfuzz token_sort_ratio / 100 of the unidecode'd lower-case names",
            lambda a, b, kind: fuzz.token_sort_ratio(_ascii(a), _ascii(b)) / 100,
        ),
        *(
            Strategy(
                code,
                f"1 when the {code} codes (jellyfish) of the unidecode'd words are equal in some order",
                _codes_equal(function),
                threshold=1.0,
            )
            for code, function in codes.items()
        ),
        Strategy(
            "namematch_romanised_jaro_winkler",
            "Jaro-Winkler of namematch's romanised forms (transliteration without the scoring)",
            romanised_jaro_winkler,
            group="namematch",
            reset=clear_caches,
        ),
        Strategy(
            "namematch",
            "namematch.similarity with the pair's kind, default gender policy",
            similarity,
            threshold=namematch.DEFAULT_THRESHOLD,
            group="namematch",
            reset=clear_caches,
        ),
        Strategy(
            "namematch_keys",
            "namematch.keys: consonant skeletons of the phonetic forms",
            keys=namematch_keys,
            group="namematch",
            reset=clear_caches,
        ),
        Strategy("metaphone_keys", "the metaphone code of each unidecode'd word", keys=metaphone_keys),
        Strategy("first3_keys", "the first three letters of the longest unidecode'd word", keys=first3_keys),
    ]


# --------------------------------------------------------------------------- peers


def _rapidfuzz_peers() -> list[Strategy]:
    from rapidfuzz import fuzz, utils

    return [
        Strategy(
            "rapidfuzz_wratio",
            "rapidfuzz WRatio / 100 of the unidecode'd names, rapidfuzz's default processing",
            lambda a, b, kind: fuzz.WRatio(_ascii(a), _ascii(b), processor=utils.default_process) / 100,
            group="peer",
        ),
        Strategy(
            "rapidfuzz_token_set_ratio",
            "rapidfuzz token_set_ratio / 100 of the unidecode'd names, rapidfuzz's default processing",
            lambda a, b, kind: fuzz.token_set_ratio(_ascii(a), _ascii(b), processor=utils.default_process) / 100,
            group="peer",
        ),
    ]


def _cyrtranslit_peers() -> list[Strategy]:
    from rapidfuzz.distance import JaroWinkler

    cyrtranslit = importlib.import_module("cyrtranslit")  # optional, untyped

    def latin(text: str) -> str:
        # cyrtranslit needs the language; Russian is its broadest table for names of unknown origin.
        return str(cyrtranslit.to_latin(text, "ru")).lower()

    return [
        Strategy(
            "cyrtranslit_jaro_winkler",
            "Jaro-Winkler of the names romanised by cyrtranslit (Russian table), lower case",
            lambda a, b, kind: JaroWinkler.similarity(latin(a), latin(b)),
            group="peer",
            requires="cyrtranslit",
        ),
    ]


#: module that must import -> the adapters it makes
_PEERS: dict[str, Callable[[], list[Strategy]]] = {
    "rapidfuzz": _rapidfuzz_peers,
    "cyrtranslit": _cyrtranslit_peers,
}


# --------------------------------------------------------------------------- the registry

_REGISTRY: dict[str, Strategy] = {}


def _registry() -> dict[str, Strategy]:
    if not _REGISTRY:
        for strategy in _builtins():
            _REGISTRY[strategy.name] = strategy
        for module, adapters in _PEERS.items():
            if importlib.util.find_spec(module) is None:
                continue
            try:
                made = adapters()
            except ImportError:
                continue
            for strategy in made:
                _REGISTRY[strategy.name] = strategy
    return _REGISTRY


def register(strategy: Strategy, *, replace: bool = False) -> Strategy:
    """Add *strategy* to the registry (``replace=True`` to overwrite one of the same name)."""
    registry = _registry()
    if strategy.name in registry and not replace:
        raise StrategyError(f"a strategy named {strategy.name!r} is already registered (pass replace=True)")
    if ":" in strategy.name:
        raise StrategyError(f"strategy names cannot hold ':' (that means module:function): {strategy.name!r}")
    registry[strategy.name] = strategy
    return strategy


def available() -> list[Strategy]:
    """Every registered strategy: the built-ins, the peers whose package imports, and what was
    registered; in registration order."""
    return list(_registry().values())


def get(name: str | Strategy) -> Strategy:
    """The strategy of that name, or ``module:function`` loaded by :func:`load`."""
    if isinstance(name, Strategy):
        return name
    if ":" in name:
        return load(name)
    found = _registry().get(name)
    if found is None:
        raise StrategyError(f"unknown strategy {name!r}; valid: {', '.join(_registry())} or module:function")
    return found


def select(names: Iterable[str | Strategy] | None = None) -> list[Strategy]:
    """The strategies named (every available one when None), without duplicates, in order."""
    chosen = available() if names is None else [get(n) for n in names]
    out: dict[str, Strategy] = {}
    for strategy in chosen:
        out.setdefault(strategy.name, strategy)
    if not out:
        raise StrategyError("no strategy to run")
    return list(out.values())


def load(spec: str) -> Strategy:
    """A strategy from ``module:attribute`` (a module importable, or a ``.py`` file's name in the
    current directory). The attribute is a :class:`Strategy`, or a function ``f(name1, name2)`` or
    ``f(name1, name2, kind)`` returning a number.
    """
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise StrategyError(f"{spec!r}: expected module:function")
    here = str(Path.cwd())
    added = here not in sys.path
    if added:
        sys.path.insert(0, here)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise StrategyError(f"{spec!r}: cannot import {module_name!r}: {exc}") from exc
    finally:
        if added:
            sys.path.remove(here)
    target: object = module
    for part in attribute.split("."):
        if not hasattr(target, part):
            raise StrategyError(f"{spec!r}: {module_name!r} has no attribute {attribute!r}")
        target = getattr(target, part)
    if isinstance(target, Strategy):
        return replace(target, group="user") if target.group != "user" else target
    if not callable(target):
        raise StrategyError(f"{spec!r} is neither a function nor a Strategy")
    threshold = getattr(target, "threshold", None)
    if threshold is not None and not isinstance(threshold, (int, float)):
        raise StrategyError(f"{spec!r}: its threshold attribute must be a number, got {threshold!r}")
    doc = inspect.getdoc(target)
    return Strategy(
        spec,
        doc.splitlines()[0] if doc else f"user function {spec}",
        _adapt(target),
        threshold=None if threshold is None else float(threshold),
        group="user",
    )


def _adapt(function: Callable[..., object]) -> ScoreFunction:
    """Call *function* with the pair's kind only when it takes one."""
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature: two names
        parameters = []
    if any(p.name == "kind" for p in parameters):
        return lambda a, b, kind: _number(function(a, b, kind=kind))
    positional = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters)
    if positional >= 3 or any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return lambda a, b, kind: _number(function(a, b, kind))
    return lambda a, b, kind: _number(function(a, b))


def _number(value: object) -> float:
    if isinstance(value, numbers.Real):
        number = float(value)
        if number == number:
            return number
    raise StrategyError(f"a score must be a number, got {type(value).__name__} {value!r}")
