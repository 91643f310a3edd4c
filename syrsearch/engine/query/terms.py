"""The index terms one query word may match, as a Whoosh query, and as text.

* a word matches its stem, or its exact form, which scores the exact match
  higher; a hyphenated word matches its closed form or its parts in a row
  (in any-word mode: its parts, as words);
* a word in capitals that the corpus uses as an acronym (``US``) matches only
  the capitalised form; lowercase (``us``) matches every form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whoosh import query as wq

from ...text.stopwords import STOP_WORDS
from ...text.words import CAPS, EXACT, Word, stem
from ..lexicon import Lexicon
from .strategy import AllWords, unless_all


class WordTerms:
    """Term alternatives of single words, under one strategy."""

    def __init__(self, lexicon: Lexicon, strategy: AllWords) -> None:
        self.lexicon = lexicon
        self.strategy = strategy

    def query(self, word: Word, fieldname: str, fields: Sequence[str]) -> Any:
        """The query for ``word`` in ``fieldname`` (positionless); ``fields``
        are those the word is searched in, for the acronym test."""
        if self.lexicon.is_acronym(word, fields):
            return wq.Term(fieldname, CAPS + word.text)
        if word.parts and self.strategy.splits_compounds and _long_parts(word):
            return self._parts(word, fieldname)
        stemmed = stem(word.text)
        alternatives: list[Any] = [wq.Term(fieldname, stemmed)]
        exact_boost = self.strategy.exact_boost
        if stemmed != word.text and exact_boost > 0:
            alternatives.append(wq.Term(fieldname, EXACT + word.text, boost=exact_boost))
        if word.parts:
            alternatives.append(wq.Phrase(fieldname, [stem(p) for p in word.parts]))
        return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)

    def _parts(self, word: Word, fieldname: str) -> Any:
        """A hyphenated word as its parts, as separate words, and its closed
        form where they are not both there (an article writing ``wind-tunnel``
        has the closed form too, and is not to count it twice)."""
        parts = [p for p in _long_parts(word) if p not in STOP_WORDS] or _long_parts(word)
        part_qs = [self.query(Word(p, word.start, word.end), fieldname, ()) for p in parts]
        return wq.Or([*part_qs, unless_all(wq.Term(fieldname, stem(word.text)), part_qs)])

    def forms(self, word: Word, fields: Sequence[str]) -> tuple[str, ...]:
        """How ``word`` is searched, as ``--explain`` shows it; ``fields``
        empty when the acronym test does not apply (a word of a phrase)."""
        if fields and self.lexicon.is_acronym(word, fields):
            return (f"{CAPS}{word.text} (acronym)",)
        forms = [stem(word.text)]
        if word.parts:
            forms.append(" ".join(stem(p) for p in word.parts))
        return tuple(forms)


PART_LETTERS = 3
"""A part of a hyphenated word shorter than this (``J-Lo``, ``al-Nusra``) is
not searched as a word of its own in any-word mode: it would match words it
only shares a stem with (``lo``: ``Los``)."""


def _long_parts(word: Word) -> list[str]:
    return [p for p in word.parts if len(p) >= PART_LETTERS]
