"""Checks done at the door of every public function that takes text."""

from __future__ import annotations

import re
import unicodedata

# The apostrophe class: every character people type for the Ukrainian and Belarusian apostrophe
# (and for the Russian hard sign on old typewriters): ' ’ ʼ ‘ ` and the acute accent ´, which
# Belarusian texts use too (сям´я). Treated as one thing everywhere.
APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4"

#: A letter of the Cyrillic and Cyrillic Supplement blocks (U+0400-U+052F), the letters namematch romanises.
CYRILLIC = re.compile("[\u0400-\u052f]")


def require_str(value: object, what: str = "text") -> str:
    """Return *value* if it is a ``str``; raise a ``TypeError`` saying what was expected otherwise."""
    if isinstance(value, str):
        return value
    hint = " (decode bytes first, e.g. data.decode('utf-8'))" if isinstance(value, (bytes, bytearray)) else ""
    raise TypeError(f"{what} must be str, not {type(value).__name__}{hint}")


def nfc(text: str) -> str:
    """NFC-normalise *text*; cheap when it already is (the common case)."""
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)
