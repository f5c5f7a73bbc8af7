"""Hypothesis strategies shared by the property tests: Cyrillic names, romanised names, noise."""

from __future__ import annotations

from hypothesis import strategies as st

import namematch

#: Every letter of every supported alphabet (lower case).
ALL_LETTERS = "".join(sorted({c for lang in namematch.languages() for c in lang.alphabet}))
LANG_CODES = [lang.code for lang in namematch.languages()]


def words(alphabet: str, *, min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[str]:
    """Lower-case words over *alphabet*."""
    return st.text(alphabet=alphabet, min_size=min_size, max_size=max_size)


cyrillic_words = words(ALL_LETTERS)


@st.composite
def language_words(draw: st.DrawFn, min_size: int = 1) -> tuple[str, str]:
    """A language code and a lower-case word written in that language's alphabet."""
    lang = draw(st.sampled_from(namematch.languages()))
    return lang.code, draw(words("".join(sorted(lang.alphabet)), min_size=min_size))


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


cyrillic_names = st.lists(cyrillic_words.map(_title), min_size=1, max_size=4).map(" ".join)

#: Latin-script text: ASCII letters, accented Latin, digits, punctuation and spaces (no Cyrillic).
latin_text = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZáéíóúčšžđćłńśźżüöäßñ0123456789 .,-'’()/\t",
    max_size=40,
)

#: Anything at all, including control characters, other scripts and look-alike letters.
noisy_text = st.text(max_size=60)
