"""The index's terms, asked about as text: ``str`` in, ``str`` out.

Whoosh hands terms back as bytes or str depending on the call; here they are
always str. The query translator, suggestions, ``similar`` and ``stats`` ask
the index about terms only through a :class:`Lexicon`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from whoosh.reading import TermNotFound

from ..text.words import CAPS, Word, stem

ACRONYM_SHARE = 0.5
"""A word in capitals is an acronym where at least this share of the articles
that have it write it in capitals (``US``; not ``MAY`` in a shouted headline)."""


def term_text(term: object) -> str:
    """A term as Whoosh hands it back (bytes or str), as text."""
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


class Lexicon:
    """Term statistics of one open index reader."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._acronyms: dict[tuple[str, tuple[str, ...]], bool] = {}

    def doc_count(self) -> int:
        """Documents in the index, deleted ones included (as term statistics count)."""
        return int(self._reader.doc_count_all())

    def field_length(self, fieldname: str) -> int:
        """Terms in ``fieldname`` over all documents."""
        return int(self._reader.field_length(fieldname))

    def doc_frequency(self, fieldname: str, term: str) -> int:
        """How many articles have ``term`` in ``fieldname``."""
        try:
            return int(self._reader.doc_frequency(fieldname, term))
        except TermNotFound:  # a field no document has
            return 0

    def frequency(self, fieldname: str, term: str) -> int:
        """How often ``term`` occurs in ``fieldname``, over all articles."""
        try:
            return int(self._reader.frequency(fieldname, term))
        except TermNotFound:
            return 0

    def languages(self) -> list[str]:
        """The languages of the index's articles (ISO 639-1 codes)."""
        try:
            return list(map(term_text, self._reader.lexicon("lang")))
        except (TermNotFound, KeyError):  # no article has a language
            return []

    def language_counts(self) -> dict[str, int]:
        """How many articles are in each language."""
        return {lang: self.doc_frequency("lang", lang) for lang in self.languages()}

    def in_index(self, term: str, fields: Sequence[str]) -> bool:
        return any(self.doc_frequency(f, term) for f in fields)

    def is_acronym(self, word: Word, fields: Sequence[str]) -> bool:
        """Whether ``word``, written in capitals, is one the corpus uses as an
        acronym (see :data:`ACRONYM_SHARE`)."""
        if not word.caps or word.parts:
            return False
        key = (word.text, tuple(fields))
        if key not in self._acronyms:
            caps = sum(self.doc_frequency(f, CAPS + word.text) for f in fields)
            every = sum(self.doc_frequency(f, stem(word.text)) for f in fields)
            self._acronyms[key] = caps > 0 and caps >= ACRONYM_SHARE * every
        return self._acronyms[key]

    def terms(self, fieldname: str) -> Iterator[str]:
        """Every term of ``fieldname``, in order."""
        return map(term_text, self._reader.lexicon(fieldname))

    def terms_with_stats(self, fieldname: str) -> Iterator[tuple[str, int, int]]:
        """``(term, occurrences, articles)`` for every term of ``fieldname``."""
        for term, info in self._reader.iter_field(fieldname):
            yield term_text(term), int(info.weight()), int(info.doc_frequency())

    def expand_prefix(self, fieldname: str, prefix: str) -> Iterator[str]:
        """The terms of ``fieldname`` that start with ``prefix``."""
        return map(term_text, self._reader.expand_prefix(fieldname, prefix))

    def terms_within(self, fieldname: str, text: str, maxdist: int, prefix: int) -> set[str]:
        """Terms at most ``maxdist`` edits from ``text`` sharing its first
        ``prefix`` characters (Whoosh's automaton: a transposition is two)."""
        found = self._reader.terms_within(fieldname, text, maxdist, prefix=prefix)
        return set(map(term_text, found))
