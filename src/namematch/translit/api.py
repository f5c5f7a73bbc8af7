"""The public transliteration functions: :func:`transliterate` and :func:`variants`."""

from __future__ import annotations

import unicodedata

from namematch._text import nfc, require_str
from namematch.errors import NamematchError
from namematch.translit.detect import candidate_languages
from namematch.translit.engine import ERRORS, MEMO_SIZE, Errors, Transliterator
from namematch.translit.registry import get_language, get_scheme, languages, schemes, transliterator
from namematch.translit.scheme import Scheme

__all__ = ["clear_cache", "resolve_scheme", "transliterate", "variants"]


def resolve_scheme(text: str, scheme: str | Scheme | None, lang: str | None) -> Scheme:
    """The scheme to use: the one named, else the language's default, else the detected language's.

    With neither given and nothing detected, the first language (priority order) whose alphabet holds
    every Cyrillic letter of the text, and Russian for text with no Cyrillic at all.
    """
    if scheme is not None:
        found = get_scheme(scheme.id if isinstance(scheme, Scheme) else require_str(scheme, "scheme"))
        if lang is not None and get_language(require_str(lang, "lang")).code != found.language:
            raise NamematchError(f"scheme {found.id!r} is for {found.language!r}, not for lang={lang!r}")
        return found
    if lang is not None:
        return get_scheme(get_language(require_str(lang, "lang")).default_scheme)
    candidates = candidate_languages(text)
    code = candidates[0] if candidates else languages()[0].code
    return get_scheme(get_language(code).default_scheme)


def transliterate(
    text: str,
    scheme: str | Scheme | None = None,
    *,
    lang: str | None = None,
    errors: Errors = "preserve",
) -> str:
    """Romanise Cyrillic *text* under a published scheme.

    ``scheme`` is a scheme id or any alias (``"ua-ukr-Cyrl-Latn-2010"``, ``"icao_doc_9303"``); without
    one, the default scheme of ``lang``; without a language, of the detected one. Latin letters,
    digits, punctuation and spacing pass through untouched. Input is NFC-normalised first, so NFD
    input gives the same output. ``errors`` decides what happens to a letter the scheme does not
    cover (a Kazakh ``қ`` under a Russian scheme, a Greek letter): ``"preserve"`` keeps it,
    ``"ascii"`` replaces it with unidecode's ASCII, ``"ignore"`` drops it and ``"strict"`` raises
    :class:`~namematch.errors.UncoveredCharacterError` naming the character and its index.

    >>> transliterate("Зеленський", lang="uk")
    'Zelenskyi'
    >>> transliterate("Михаил Евдокимов", "bgn_pcgn")
    'Mikhail Yevdokimov'
    >>> transliterate("ЩУКА"), transliterate("Щука")
    ('SHCHUKA', 'Shchuka')
    """
    if not isinstance(text, str):
        require_str(text)
    try:  # the hot path: a (scheme, lang) pair seen before, given as strings or None
        run = _RESOLVED[scheme, lang]
    except (KeyError, TypeError):
        run = _resolve(text, scheme, lang)
    if errors != "preserve" and errors not in ERRORS:
        raise NamematchError(f"errors must be one of {', '.join(ERRORS)}, got {errors!r}")
    return run(text if _is_nfc("NFC", text) else _normalize("NFC", text), errors)


_is_nfc = unicodedata.is_normalized
_normalize = unicodedata.normalize


def _resolve(text: str, scheme: str | Scheme | None, lang: str | None) -> Transliterator:
    if scheme is None and lang is None:  # the scheme depends on the text's language: remembered per text
        run = _DETECTED.get(text)
        if run is None:
            run = transliterator(resolve_scheme(text, None, None).id)
            if len(_DETECTED) >= MEMO_SIZE:
                _DETECTED.clear()
            _DETECTED[text] = run
        return run
    run = transliterator(resolve_scheme(text, scheme, lang).id)
    if not isinstance(scheme, Scheme):
        _RESOLVED[scheme, lang] = run
    return run


# (scheme, lang) as given -> compiled transliterator, so a loop over names resolves its scheme once.
# Only pairs that resolved without error get in; registry.reset() clears it.
_RESOLVED: dict[tuple[object, object], Transliterator] = {}
# text -> the transliterator of its detected language, for calls with neither scheme nor lang.
_DETECTED: dict[str, Transliterator] = {}


def clear_cache() -> None:
    """Forget resolved schemes (called by :func:`namematch.translit.registry.reset`)."""
    _RESOLVED.clear()
    _DETECTED.clear()


def variants(name: str, *, lang: str | None = None, limit: int | None = None) -> list[str]:
    """The distinct romanisations of *name* across every shipped scheme of its language.

    Most common first: ranked by the share of the language's schemes that write it so, ties in the
    order of the language's default scheme, then scheme id. With no ``lang``, the detected language
    is used; when the text gives no evidence, every language that could have written it contributes,
    weighted by the detection priority (ru 1, uk 1/2, be 1/4, ... : how much text in the wild each
    is written in), so a Russian reading of "Михаил" comes before a Serbian one. Text with no
    Cyrillic gives itself.

    >>> variants("Евдокимов", lang="ru")
    ['Evdokimov', 'Yevdokimov', 'Jewdokimow']
    >>> variants("Київ")[:3]
    ['Kyiv', 'Kyïv', 'Kyyiv']
    """
    name = nfc(require_str(name, "name"))
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise NamematchError(f"limit must be a positive integer or None, got {limit!r}")
    codes = [get_language(require_str(lang, "lang")).code] if lang is not None else candidate_languages(name)
    if not codes:
        return [name]
    prior = {lang.code: 0.5**rank for rank, lang in enumerate(languages())}
    weight: dict[str, float] = {}
    first_seen: dict[str, int] = {}
    for code in codes:
        default = get_language(code).default_scheme
        ordered = sorted((s for s in schemes() if s.language == code), key=lambda s: (s.id != default, s.id))
        for scheme in ordered:
            out = transliterator(scheme.id)(name)
            weight[out] = weight.get(out, 0.0) + prior[code] / len(ordered)
            first_seen.setdefault(out, len(first_seen))
    ranked = sorted(weight, key=lambda out: (-round(weight[out], 9), first_seen[out]))
    return ranked[:limit] if limit is not None else ranked
