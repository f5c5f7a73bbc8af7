"""Compile a :class:`~namematch.translit.scheme.Scheme` into a fast transliterator.

Two passes over the text, both in C:

1. one regular expression holding every rule that needs context, every letter sequence, and every
   capital letter whose romanisation has two or more cased letters (``Щ`` is ``Shch`` before a small
   letter, ``SHCH`` in a word of capitals); a small callback picks the output and its case;
2. ``str.translate`` for all the remaining single letters.

The callback only runs for the letters in (1), so ordinary lower-case text costs two C-level passes.
Contexts are read from the original text, never from output already written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import regex

from namematch._text import APOSTROPHES
from namematch.errors import NamematchError, UncoveredCharacterError
from namematch.translit.scheme import END, START, Rule, Scheme

__all__ = ["ERRORS", "Errors", "Transliterator"]

Errors = Literal["preserve", "ascii", "ignore", "strict"]
ERRORS: tuple[str, ...] = ("preserve", "ascii", "ignore", "strict")

_LETTER = r"[^\W\d_]"
# Every small letter up to the end of the Cyrillic Supplement (Latin, Greek, Cyrillic), as a class.
_SMALL = "[" + "".join(re.escape(chr(c)) for c in range(0x0530) if chr(c).islower()) + "]"
_MARK = "[\u0300-\u036f\u0483-\u0489]"  # combining marks (stress accents, titlo) stay inside a word
_APOS = "[" + re.escape(APOSTROPHES) + "]"
_AT_START = rf"(?<!{_LETTER})(?<!{_MARK})(?<!{_LETTER}{_APOS})"
_AT_END = rf"(?!{_LETTER})(?!{_MARK})(?!{_APOS}{_LETTER})"
# An apostrophe is a letter of the scheme only inside a word that it follows a Cyrillic letter in;
# elsewhere (quotes, O'Brien) it is punctuation and passes through.
_IN_WORD_APOSTROPHE = rf"(?<=[\u0400-\u052f])({_APOS})(?={_LETTER})"

# Letters of any script we have no scheme for, left over after the scheme ran.
# Cyrillic combining marks (titlo, dasia, ...) count as Cyrillic here, though Unicode calls some Inherited.
_UNCOVERED = regex.compile(r"[^\p{Latin}\p{Common}\p{Inherited}]|[\u0483-\u0489\u2de0-\u2dff\ua66f-\ua67f]")


_is_nfc = unicodedata.is_normalized


@dataclass(frozen=True)
class _Part:
    lower: str
    upper: str
    title: str


def _title(text: str) -> str:
    for i, char in enumerate(text):
        if char.lower() != char.upper():
            return text[:i] + char.title() + text[i + 1 :]
    return text


def _parts(rule: Rule, title: Mapping[str, str]) -> tuple[_Part, ...]:
    outputs = rule.output if len(rule.output) == len(rule.source) else rule.output + ("",) * (len(rule.source) - 1)
    parts = [_Part(o, o.upper(), _title(o)) for o in outputs]
    if not rule.contextual and rule.source in title:
        parts[0] = _Part(parts[0].lower, parts[0].upper, title[rule.source])
    return tuple(parts)


def _char_class(items: Iterable[str], classes: Mapping[str, frozenset[str]]) -> str:
    letters = set()
    for item in items:
        letters |= set(classes[item]) if item in classes else set(item)
    if "'" in letters:  # the apostrophe stands for its whole class, in contexts as in sources
        letters |= set(APOSTROPHES)
    return "[" + "".join(re.escape(c) for c in sorted(letters)) + "]" if letters else ""


def _context(rule: Rule, classes: Mapping[str, frozenset[str]]) -> tuple[str, str]:
    """Return the (lookbehind, lookahead) patterns that encode a rule's context."""
    behind, ahead = [], []
    if rule.after:
        alts = [_AT_START] if START in rule.after else []
        cls = _char_class((a for a in rule.after if a != START), classes)
        alts += [f"(?<={cls})"] if cls else []
        behind.append("(?:" + "|".join(alts) + ")")
    if rule.not_after:
        if START in rule.not_after:
            behind.append(rf"(?:(?<={_LETTER})|(?<={_MARK})|(?<={_LETTER}{_APOS}))")
        cls = _char_class((a for a in rule.not_after if a != START), classes)
        behind += [f"(?<!{cls})"] if cls else []
    if rule.before:
        alts = [_AT_END] if END in rule.before else []
        cls = _char_class((b for b in rule.before if b != END), classes)
        alts += [f"(?={cls})"] if cls else []
        ahead.append("(?:" + "|".join(alts) + ")")
    if rule.not_before:
        if END in rule.not_before:
            ahead.append(rf"(?:(?={_LETTER})|(?={_MARK})|(?={_APOS}{_LETTER}))")
        cls = _char_class((b for b in rule.not_before if b != END), classes)
        ahead += [f"(?!{cls})"] if cls else []
    return "".join(behind), "".join(ahead)


#: Names repeat (a few thousand given names and surnames cover most of any table), so each compiled
#: scheme remembers the romanisation of up to MEMO_SIZE recent short inputs: a bounded cache (emptied
#: when full) that changes no output. ``benchmarks/bench_translit.py`` measures with and without it.
MEMO_SIZE = 1 << 15
MEMO_MAX_LENGTH = 128


class Transliterator:
    """A compiled scheme: call it with NFC text to get its romanisation."""

    def __init__(self, scheme: Scheme, *, memo: bool = True) -> None:
        self.scheme = scheme
        self._memo: dict[str, str] = {} if memo else _NoMemo()
        self._split = memo
        self._table: dict[int, str] = {}
        alternatives: list[tuple[int, int, str, tuple[_Part, ...]]] = []
        first_chars: set[str] = set()
        for order, rule in enumerate(scheme.rules):
            parts = _parts(rule, scheme.title)
            behind, ahead = _context(rule, scheme.classes)
            if rule.source == "'":
                body = behind + _IN_WORD_APOSTROPHE + ahead
                alternatives.append((1, order, body, parts))
                first_chars |= set(APOSTROPHES)
            elif len(rule.source) > 1 or rule.contextual:
                body = "(?i:" + behind + "(" + re.escape(rule.source) + ")" + ahead + ")"
                alternatives.append((len(rule.source), order, body, parts))
                first_chars |= {rule.source[0], rule.source[0].upper()}
            else:
                part = parts[0]
                self._table[ord(rule.source)] = part.lower
                capital = rule.source.upper()
                if capital == rule.source:
                    continue
                self._table[ord(capital)] = part.title
                if part.upper != part.title:
                    # Before a small letter the title form (from the table) is right; anywhere else
                    # the neighbours decide, in the callback. Names are title case, so this keeps
                    # the callback away from the common case.
                    body = "(" + re.escape(capital) + ")(?!" + _SMALL + ")"
                    alternatives.append((1, len(scheme.rules) + order, body, parts))
                    first_chars.add(capital)
        # Longest source first; among equal lengths, rules with context before plain letters.
        alternatives.sort(key=lambda alt: (-alt[0], alt[1] >= len(scheme.rules), alt[1]))
        self._parts: list[tuple[_Part, ...]] = [()]
        patterns = []
        for _, _, body, parts in alternatives:  # each body holds exactly one capturing group
            patterns.append(body)
            self._parts.append(parts)
        self._lower = ["".join(p.lower for p in parts) for parts in self._parts]
        # The leading look-ahead lets the regex engine skip positions no rule can start at: about
        # six times faster than the bare alternation on names (measured on the benchmark corpus).
        prefix = "(?=[" + "".join(re.escape(c) for c in sorted(first_chars)) + "])"
        self._regex = re.compile(prefix + "(?:" + "|".join(patterns) + ")") if patterns else None
        self._sub = self._regex.sub if self._regex is not None else None

    def _replace(self, match: re.Match[str]) -> str:
        index = match.lastindex
        assert index is not None
        source = match.group(index)
        if source.islower():
            return self._lower[index]
        return _recase(self._parts[index], source, match.string, match.start(index), match.end(index))

    def __call__(self, text: str, errors: Errors = "preserve") -> str:
        if errors == "preserve":
            memo = self._memo.get(text)
            if memo is not None:
                return memo
            if self._split and " " in text and len(text) <= MEMO_MAX_LENGTH:
                # A line of names: its words repeat far more often than the line does. Words are
                # romanised alone, which is exact: no rule reads across a space, and only a
                # one-letter word takes its case from the next word, so such lines are done whole.
                words = text.split(" ")
                if all(len(word) != 1 for word in words):
                    out = " ".join([self._word(word) for word in words])
                    self._remember(text, out)
                    return out
        out = self._convert(text, errors)
        if errors == "preserve" and len(text) <= MEMO_MAX_LENGTH:
            self._remember(text, out)
        return out

    def _word(self, word: str) -> str:
        out = self._memo.get(word)
        if out is None:
            out = self._convert(word, "preserve")
            self._remember(word, out)
        return out

    def _remember(self, text: str, out: str) -> None:
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[text] = out

    def _convert(self, text: str, errors: Errors) -> str:
        out = self._sub(self._replace, text) if self._sub is not None else text
        out = out.translate(self._table)
        if errors != "preserve" and _UNCOVERED.search(out) is not None:
            out = self._apply_errors(text, out, errors)
        return out if _is_nfc("NFC", out) else unicodedata.normalize("NFC", out)

    def _apply_errors(self, text: str, out: str, errors: str) -> str:
        if errors == "ignore":
            return _UNCOVERED.sub("", out)
        if errors == "ascii":
            from unidecode import unidecode

            return _UNCOVERED.sub(lambda m: unidecode(m.group()), out)
        if errors == "strict":
            covered = self.scheme.covered
            for found in _UNCOVERED.finditer(text):
                if found.group() not in covered:
                    raise UncoveredCharacterError(found.group(), found.start(), self.scheme.id)
            first = _UNCOVERED.search(out)
            assert first is not None
            raise UncoveredCharacterError(first.group(), text.find(first.group()), self.scheme.id)
        raise NamematchError(f"errors must be one of {', '.join(ERRORS)}, got {errors!r}")


class _NoMemo(dict[str, str]):
    """A memo that never remembers (for measuring the engine itself)."""

    def __setitem__(self, key: str, value: str) -> None:
        pass


def _recase(parts: tuple[_Part, ...], source: str, text: str, start: int, end: int) -> str:
    """The output for a match with capitals in it, one source letter at a time.

    A capital whose romanisation has several letters is written in capitals when its nearest cased
    neighbour in the word is a capital (``ЩУКА`` -> ``SHCHUKA``) and in title case otherwise
    (``Щука`` -> ``Shchuka``). A one-letter word is title case (the initial ``Щ.``) unless the word
    next to it is in capitals (``Я ВИДЕЛ``).
    """
    out = []
    for i, char in enumerate(source):
        part = parts[i]
        if not char.isupper():
            out.append(part.lower)
        elif part.upper == part.title:
            out.append(part.upper)
        else:
            case = _neighbour_case(text, start + i + 1, 1) or _neighbour_case(text, start + i - 1, -1)
            if case == 0:
                case = 1 if _capitals_around(text, start + i) else -1
            out.append(part.upper if case > 0 else part.title)
    return "".join(out)


def _neighbour_case(text: str, index: int, step: int) -> int:
    """1 if the nearest cased letter from *index* on (in the same word) is a capital, -1 if small, else 0."""
    while 0 <= index < len(text):
        char = text[index]
        if char.isupper():
            return 1
        if char.islower():
            return -1
        if not (char.isalpha() or char in APOSTROPHES or unicodedata.combining(char)):
            return 0
        index += step
    return 0


def _capitals_around(text: str, index: int) -> bool:
    """For a one-letter word (``Я`` in ``Я ВИДЕЛ``): is the next or previous word written in capitals?

    Only a letter between spaces (or the ends of the text) is such a word, so an initial followed by
    a full stop (``Ю. ЩУКА``) stays title case, and so does ``'Я``; this is also what lets a line be
    romanised word by word (see ``Transliterator.__call__``).
    """
    if (index > 0 and text[index - 1] != " ") or (index + 1 < len(text) and text[index + 1] != " "):
        return False
    after = index + 1
    while after < len(text) and text[after] == " ":
        after += 1
    if after > index + 1 and after + 1 < len(text) and text[after].isupper() and text[after + 1].isupper():
        return True
    before = index - 1
    while before >= 0 and text[before] == " ":
        before -= 1
    return before < index - 1 and before >= 1 and text[before].isupper() and text[before - 1].isupper()
