"""Person names: which word is the surname, the given name, the patronymic; surname gender.

Conventions of the region, read from the written form:

- ``EVDOKIMOV, Mikhail``: the word before a comma is the surname;
- ``Mikhail EVDOKIMOV``: a word in capitals among small letters is the surname;
- ``Evdokimov Mikhail Nikolaevich`` and ``Mikhail Nikolaevich Evdokimov``: a patronymic (by its
  ending: -ovich, -evich, -ovych, -ovna, -ivna, ... in any romanisation) tells the order; a
  patronymic is only recognised in a name of three words or more, so ``Roman Abramovich`` keeps
  its surname; of two words with such an ending, one is a surname of that ending (Isaievich Alina
  Artemivna, Vasylevych Mykhailo Mykhailovych): the patronymic is the one the comma or capitals do
  not mark, else a woman's (-ivna), else the one after the given name;
- ``M. N. Evdokimov``: one letter is an initial. Initials keep their order: in a name with no given
  name the first initial is the given name's and the others are middle initials (the patronymic's
  or a middle name's); in a name with a given name every initial is a middle one (``Mikhail N.
  Evdokimov``). The given name's initial is never matched with a patronymic or a middle initial
  (``V. Komarov`` is not ``B. V. Komarov``; ``Bobylev F. V.`` is not Vlas Fedoseevich). A middle
  initial may still stand for a given-looking word (a middle name, or a father's name the rule
  below does not catch);
- a Bulgarian father's name (Deliana *Kiryakova* Pevetsova, Limonadov Petrozar *Karchov*) has no
  patronymic ending: in a name of three words, the second of two given-looking words that ends in
  -ov/-ev(a) is read as the patronymic it stands for;
- otherwise a word with a surname ending (-ov, -ev, -in, -sky, -enko, -uk, -ich, ...) is the
  surname, else the last word.

Surname gender is read from the phonetic form's ending: -ova/-eva/-ina/-ska (and -aya) are female,
-ov/-ev/-in/-ski (and -iy, -yi, -ou) male; -enko, -uk, -ko, -ich and others are invariant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["GIVEN", "INITIAL", "INITIALS", "MIDDLE", "PATRONYMIC", "SURNAME", "gender_and_stem", "roles"]

SURNAME, GIVEN, PATRONYMIC, INITIAL = "surname", "given", "patronymic", "initial"
#: An initial after the given name or its initial: the patronymic's (or a middle name's).
MIDDLE = "middle initial"
INITIALS = frozenset({INITIAL, MIDDLE})

# On folded (ASCII) words, any romanisation: -ovich -evich -ovych -ovič -owitsch -owicz -ovna -ivna ...
_PATRONYMIC = re.compile(
    r"(?:[oea][vw](?:i|y)?(?:ch|c|tch|tsch|cz)|[oea]v[iy]?ch|[oeai][vw]n[ai]|[iy]chn[ai]|il[iy]?[iy]ch)$"
)
# A woman's patronymic: -ovna, -ivna, -ichna (a surname does not end so).
_FEMALE_PATRONYMIC = re.compile(r"(?:[oeai][vw]n[ai]|[iy]chn[ai])$")
# Ilyich (Ильич, Il'ich), the one patronymic of five letters (others of its kind are longer).
_ILYICH = re.compile(r"il[iy]?[iy]ch$")
# On phonetic forms: endings that surnames of the region carry (and given names rarely do).
_SURNAME_ENDING = re.compile(r"(?:ov|ev|in|ova|eva|ina|ski|ska|ci|cki|cka|enko|enka|uk|Cuk|ko|iC|ic|ih|ian|dze|Svili)$")
# On phonetic forms: a Bulgarian father's name (Petrov, Georgieva: the father's given name + -ov/-ev).
_FATHERS_NAME = re.compile(r"[oe]va?$")
_FEMALE = (("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("ska", "sk"), ("cka", "ck"), ("ava", "av"))
_MALE = (("ov", "ov"), ("ev", "ev"), ("in", "in"), ("ski", "sk"), ("cki", "ck"), ("av", "av"))
_INVARIANT = ("enko", "enka", "uk", "ko", "iC", "ic", "ih", "dze", "Svili", "ian")


def gender_and_stem(form: str) -> tuple[str | None, str]:
    """("m" | "f" | None, stem) of a surname's phonetic form.

    >>> gender_and_stem("ivanova"), gender_and_stem("ivanov"), gender_and_stem("zelenska")
    (('f', 'ivanov'), ('m', 'ivanov'), ('f', 'zelensk'))
    >>> gender_and_stem("petrenko")
    (None, 'petrenko')
    """
    if form.endswith(_INVARIANT) or len(form) < 4:
        return None, form
    for ending, stem in _FEMALE:
        if form.endswith(ending):
            return "f", form[: -len(ending)] + stem
    for ending, stem in _MALE:
        if form.endswith(ending):
            return "m", form[: -len(ending)] + stem
    return None, form


def roles(
    folded: Sequence[str],
    forms: Sequence[str],
    initial: Sequence[bool],
    caps: Sequence[bool],
    comma: Sequence[bool],
    given: Sequence[bool] = (),
) -> list[str]:
    """The role of each word of a person's name, from the conventions above; *given* marks the
    words the alias tables know as given names (Irina ends like a surname, but is not one)."""
    n = len(folded)
    out = [INITIAL if initial[i] else "" for i in range(n)]
    words = [i for i in range(n) if not initial[i]]
    if len(words) >= 3 or (len(words) == 2 and any(initial)):
        for i in words:
            if _PATRONYMIC.search(folded[i]) and (len(folded[i]) >= 6 or _ILYICH.match(folded[i])):
                out[i] = PATRONYMIC
    marked = [i for i in words if out[i] == PATRONYMIC]
    if len(marked) > 1:
        kept = _one_patronymic(marked, folded, initial, caps, comma)
        for i in marked:
            if i != kept:
                out[i] = ""
    candidates = [i for i in words if not out[i]]
    surname = _pick_surname(candidates, forms, caps, comma, out, given or [False] * n)
    for i in candidates:
        out[i] = SURNAME if i == surname else GIVEN
    given_words = [i for i in candidates if out[i] == GIVEN]
    if n == 3 and len(given_words) == 2 and _FATHERS_NAME.search(forms[given_words[1]]):
        # Given name, father's name, surname (or the surname first): a Bulgarian father's name
        # (Deliana Kiryakova Pevetsova) has no patronymic ending, but it stands where a patronymic
        # does, and an initial for it is a middle one.
        out[given_words[1]] = PATRONYMIC
    initials = [i for i in range(n) if initial[i]]
    for i in initials[0 if GIVEN in out else 1 :]:
        out[i] = MIDDLE
    return out


def _one_patronymic(
    marked: list[int], folded: Sequence[str], initial: Sequence[bool], caps: Sequence[bool], comma: Sequence[bool]
) -> int:
    """Which of several words with a patronymic's ending is the patronymic: the others are
    surnames of that ending (Isaievich, Vasylevych, Abramovich), which a name has one of.
    A word the comma or capitals mark as the surname is not it; a woman's patronymic (-ivna)
    beside a word in -ich is it; else the one straight after the given name (Vasylevych Mykhailo
    *Mykhailovych*, Adam *Omelianovych* Isaievich); else the last."""
    for flags in (comma, caps):
        flagged = [i for i in marked if flags[i]]
        if len(flagged) == 1 and len(marked) == 2:
            return marked[0] if flagged[0] == marked[1] else marked[1]
    female = [i for i in marked if _FEMALE_PATRONYMIC.search(folded[i])]
    if len(female) == 1:
        return female[0]
    given = [i for i in range(len(folded)) if i not in marked and not initial[i]]
    if given and given[0] + 1 in marked:
        return given[0] + 1
    return marked[-1]


def _pick_surname(
    candidates: list[int],
    forms: Sequence[str],
    caps: Sequence[bool],
    comma: Sequence[bool],
    out: list[str],
    given: Sequence[bool],
) -> int | None:
    if not candidates:
        return None
    for flags in (comma, caps):
        marked = [i for i in candidates if flags[i]]
        if len(marked) == 1:
            return marked[0]
    patronymics = [i for i, role in enumerate(out) if role == PATRONYMIC]
    if patronymics and len(candidates) >= 2:
        # Surname Given Patronymic (the patronymic last) or Given Patronymic Surname.
        return candidates[0] if patronymics[-1] == len(out) - 1 else candidates[-1]
    if len(candidates) == 1:
        return candidates[0]
    unknown = [i for i in candidates if not given[i]]
    if len(unknown) == 1:
        return unknown[0]
    endings = [i for i in candidates if _SURNAME_ENDING.search(forms[i])]
    if len(endings) == 1:
        return endings[0]
    if len(candidates) == 3 and candidates[0] in endings and candidates[2] in endings:
        # Surname Given Father's-name (Bulgarian: Limonadov Petrozar Karchov). Written the other
        # way, Given Father's-name Surname, the middle word would be a father's name (-ov, -eva);
        # a given name may end like a surname (Krivoshapkova Vaklina Kiprislavova).
        middle, last = forms[candidates[1]], forms[candidates[2]]
        if candidates[1] not in endings or (_FATHERS_NAME.search(last) and not _FATHERS_NAME.search(middle)):
            return candidates[0]
    return candidates[-1]
