"""The one list of English function words, and the sets derived from it.

The index keeps every word, so phrases and AND queries use them all. Only
these leave function words out:

* an any-word (natural-language) query, and the words its feedback adds, skip
  :data:`STOP_WORDS`, Snowball's English stop list, which has neither ``us``
  nor ``may``;
* ``similar`` (key terms) and ``stats`` (distinctive words) never pick a word
  of :data:`FUNCTION_WORDS`: the stop list plus words that are frequent in any
  news text (``also``, ``however``, ``said``) and titles (``Mr``).

The ``*_STEMS`` sets hold the index terms (stems) of those words, for code that
reads terms from the index rather than words from a text.
"""

from __future__ import annotations

from whoosh.lang.stopwords import stoplists

from .words import stem

STOP_WORDS: frozenset[str] = frozenset(stoplists["en"])
"""Snowball's English stop list."""

_MORE = """
    also although among another around could either else even ever every however
    least less many might mine much must neither often one onto others otherwise per
    perhaps quite rather shall since though thus till toward towards upon via whatever
    whenever whereas whether whose within without would yet
    said say says saying told
    mr mrs ms dr
"""
FUNCTION_WORDS: frozenset[str] = STOP_WORDS | frozenset(_MORE.split())
"""Words that never characterise an article."""

STOP_STEMS: frozenset[str] = frozenset(stem(w) for w in STOP_WORDS)
FUNCTION_STEMS: frozenset[str] = frozenset(stem(w) for w in FUNCTION_WORDS) | FUNCTION_WORDS
