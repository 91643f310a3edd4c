"""An article's language: detected from its text, named by its ISO 639-1 code.

Detection is Google's Compact Language Detector 2 (``pycld2``, its model
compiled into the package): about 1 ms for a news article, and right on the
short texts of this domain (see ``BENCHMARKS.md``). A text mixing languages
gets the language of most of its bytes. A text CLD2 cannot place (too short,
or no letters) has no language: it is analysed as :data:`DEFAULT_LANG` and
stored without one, never with a guess.

:data:`SNOWBALL` names the Snowball stemmer (PyStemmer) of each language that
has one; the scripts' own rules are in :mod:`syrsearch.text.words`.
"""

from __future__ import annotations

import re

DEFAULT_LANG = "en"
"""How a text of no known language is analysed (Porter's English stemmer)."""

SNOWBALL: dict[str, str] = {
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "nb": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "sv": "swedish",
    "tr": "turkish",
}
"""Latin-script languages whose words are stemmed by their own Snowball
stemmer; English (and a language not named here) keeps Porter's
(``whoosh.lang.porter``), as the index always had. Cyrillic words are stemmed
as Russian and Arabic-script words as Arabic, whatever the article's language."""

# CLD2's codes that are not ISO 639-1, or name a variant.
_ISO = {"iw": "he", "jw": "jv", "zh-Hant": "zh", "in": "id", "mo": "ro", "sh": "sr"}
_CODE = re.compile(r"[a-z]{2}")


def language_code(text: str) -> str | None:
    """``text`` as an ISO 639-1 code (``RU`` -> ``ru``), or None if it is not one."""
    code = text.strip().lower()
    return code if _CODE.fullmatch(code) else None


def detect_language(text: str) -> str | None:
    """The main language of ``text`` as an ISO 639-1 code, or None."""
    if not text.strip():
        return None
    import pycld2  # only when detecting: at index time, not for a query

    data = text.encode("utf-8", "replace")
    try:
        _reliable, _bytes, found = pycld2.detect(data)
    except pycld2.error:  # bytes CLD2 will not read (control characters)
        cleaned = "".join(c if c.isprintable() or c.isspace() else " " for c in text)
        try:
            _reliable, _bytes, found = pycld2.detect(cleaned.encode("utf-8", "replace"))
        except pycld2.error:
            return None
    code = found[0][1] if found else "un"
    code = _ISO.get(code, code)
    return code if _CODE.fullmatch(code) and code != "un" else None
