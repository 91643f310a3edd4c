"""The index's terms, asked about as text: ``str`` in, ``str`` out.

Whoosh hands terms back as bytes or str depending on the call; here they are
always str. The query translator, suggestions, ``similar`` and ``stats`` ask
the index about terms only through a :class:`Lexicon`.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from whoosh.reading import TermNotFound

from ..text.words import CAPS, EXACT, Script, Word, script, stem

ACRONYM_SHARE = 0.5
"""A word in capitals is an acronym where at least this share of the articles
that have it write it in capitals (``US``; not ``MAY`` in a shouted headline)."""
NAME_SHARE = 0.5
"""A capitalised word is a name where at least this share of the articles that
have its exact form use it as a one-word name in their prose (``Hamas``; not
``Talks``, which a few articles capitalise in ``Peace Talks``)."""
ENTITIES = "entities"
"""The field of the names of the articles' prose (``schema.ENTITIES_FIELD``)."""
BODY = "body"
MAX_FORMS = 32
"""The most words sharing a name's stem that a query sets apart from it."""
MAX_SCANNED = 2_000
"""The most index terms read to find them (those after the word's first letters)."""
SHORTEST_NAME = 3
"""A name this short or shorter is not looked for among longer words (``Al``)."""


def term_text(term: object) -> str:
    """A term as Whoosh hands it back (bytes or str), as text."""
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


_LENGTHS = struct.Struct("!ii")  # a record of Whoosh's W3 term table: key and value lengths
_FIELD = struct.Struct("!H")  # a W3 term key: the field number, then the term


def segment_terms(segment: Any, fieldname: str) -> list[str] | None:
    """Every term of ``fieldname`` in one segment, read from its term table in
    one piece (Whoosh's own iteration reads each term with two seeks, ten
    times slower); None if the segment is not in Whoosh's W3 format."""
    text = segment_text(segment, fieldname)
    return None if text is None else text.split("\n") if text else []


def segment_text(segment: Any, fieldname: str) -> str | None:
    """:func:`segment_terms` as one text, a term a line: the field's stretch
    of the term table cut into keys, and decoded in one piece."""
    try:
        table = segment._terms._tindex
        number = segment._terms._fieldmap.get(fieldname)
        if number is None:  # no document of this segment has the field
            return ""
        start = table.closest_key_pos(_FIELD.pack(number))  # keys are in order
        if start is None:
            return ""
        after = table.closest_key_pos(_FIELD.pack(number + 1)) if number < 0xFFFF else None
        end = table.endofdata if after is None else after
        blob = table.dbfile.get(start, end - start)
    except (AttributeError, KeyError, TypeError):
        return None
    want = _FIELD.pack(number)
    keys = []
    pos, end, unpack, size = 0, len(blob), _LENGTHS.unpack_from, _LENGTHS.size
    while pos < end:
        keylen, datalen = unpack(blob, pos)
        key = pos + size
        keys.append(blob[key + 2 : key + keylen])
        pos = key + keylen + datalen
    if keys and (blob[size : size + 2] != want or pos != end):
        raise ValueError("damaged term table")
    return b"\n".join(keys).decode("utf-8")


RARE_LITERAL = 2_000
"""A pattern's literal text found at most this often in a segment's term
list is looked for line by line there, not by a regex pass over the list."""


def _lines_with(text: str, literal: str) -> Iterator[str]:
    """The lines of ``text`` that contain ``literal`` (not empty), once each."""
    find, rfind, end = text.find, text.rfind, len(text)
    at = find(literal)
    while at >= 0:
        start = rfind("\n", 0, at) + 1
        stop = find("\n", at)
        stop = end if stop < 0 else stop
        yield text[start:stop]
        at = find(literal, stop)


class Lexicon:
    """Term statistics of one open index reader."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._acronyms: dict[tuple[str, tuple[str, ...]], bool] = {}
        self._names: dict[str, bool] = {}
        self._forms: dict[tuple[str, str], list[str]] = {}
        # Whole term lists, as tuples: a tuple of strings is left out of the
        # garbage collector's passes (a list of a million terms made each
        # full collection of an interactive session cost a quarter second).
        self._segment_terms: dict[tuple[int, str], tuple[str, ...] | None] = {}
        self._joined: dict[tuple[int, str], str] = {}

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

    def doc_frequencies(self, fieldname: str, terms: Sequence[str]) -> list[int]:
        """:meth:`doc_frequency` of each of ``terms``, looked up together:
        a segment's term table at a time, each key hashed once."""
        encoded = [t.encode("utf-8") for t in terms]
        totals = [0] * len(terms)
        hashes: dict[tuple[int, bytes], list[int]] = {}
        for segment, _ in self._reader.leaf_readers():
            batch = getattr(getattr(segment, "_terms", None), "doc_frequencies", None)
            if batch is None:
                counts = [self._segment_df(segment, fieldname, t) for t in terms]
            else:
                counts = batch(fieldname, encoded, hashes)
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
        return totals

    @staticmethod
    def _segment_df(segment: Any, fieldname: str, term: str) -> int:
        try:
            return int(segment.doc_frequency(fieldname, term))
        except TermNotFound:
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

    def is_name(self, word: Word, stems: Sequence[str]) -> bool:
        """Whether ``word``, written with a capital, is one the corpus uses as
        a name, and shares its stems (``stems``) with other words: at least
        :data:`NAME_SHARE` of the articles with its exact form (``=hamas``;
        for a word that is its own stem, ``hama``, every article with the
        stem) have it as a one-word name of their prose (the ``entities``
        field, which leaves sentence-initial capitals out). Only Latin-script
        words: a Russian name inflects, and needs its stem."""
        if not word.title or word.parts or not word.text.isalpha():
            return False
        if not word.text.isascii() and script(word.text) != Script.LATIN:
            return False
        if all(s == word.text for s in stems) and not self.sharing_stem(BODY, word.text):
            return False  # nothing else shares its terms
        if word.text not in self._names:
            own = word.text if word.text in stems else EXACT + word.text
            named = self.doc_frequency(ENTITIES, word.text)
            every = self.doc_frequency(BODY, own)
            self._names[word.text] = named > 0 and named >= NAME_SHARE * every
        return self._names[word.text]

    def sharing_stem(self, fieldname: str, word: str) -> list[str]:
        """The exact-form terms (``=hamas``) of the other words whose stem is
        ``word`` (``hama``), at most :data:`MAX_FORMS`."""
        key = (fieldname, word)
        if key not in self._forms:
            found: list[str] = []
            if len(word) > SHORTEST_NAME:
                head = EXACT + word[:-1]  # stemming may change a last letter: hoping, hope
                for n, term in enumerate(self.expand_prefix(fieldname, head)):
                    if stem(term[1:]) == word and term[1:] != word:
                        found.append(term)
                    if len(found) == MAX_FORMS or n == MAX_SCANNED:
                        break
            self._forms[key] = found
        return self._forms[key]

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

    def matching_terms(
        self, fieldname: str, prefix: str, keep: Callable[[str], object]
    ) -> list[str]:
        """The terms of ``fieldname`` starting with ``prefix`` that ``keep``
        accepts, in order: one run through each segment's term list (merging
        the lists of several segments term by term costs several times more)."""
        found: set[str] = set()
        for sub, _ in self._reader.leaf_readers():
            every: Iterable[str] | None = None
            if not prefix:  # read once per segment and field, whatever the patterns
                key = (id(sub), fieldname)
                if key not in self._segment_terms:
                    terms = segment_terms(sub, fieldname)
                    self._segment_terms[key] = None if terms is None else tuple(terms)
                every = self._segment_terms[key]
            try:
                if every is None:
                    every = map(term_text, sub.expand_prefix(fieldname, prefix))
                found.update(t for t in every if keep(t))
            except TermNotFound:
                continue
        return sorted(found)

    def terms_matching(self, fieldname: str, rx: re.Pattern[str], literal: str = "") -> list[str]:
        """The terms of ``fieldname`` that ``rx`` (a multi-line pattern
        anchored with ``^`` and ``$``) finds in the term list, one term a line:
        one regex pass per segment, at C speed, however many patterns ask.
        ``literal``, text every match contains: where it is rare in a
        segment's list, only the lines that have it are tried."""
        found: set[str] = set()
        for sub, _ in self._reader.leaf_readers():
            key = (id(sub), fieldname)
            if key not in self._joined:
                text = segment_text(sub, fieldname)
                if text is None:
                    text = "\n".join(map(term_text, sub.lexicon(fieldname)))
                self._joined[key] = text
            text = self._joined[key]
            if literal and text.count(literal) <= RARE_LITERAL:
                found.update(t for t in _lines_with(text, literal) if rx.match(t))
            else:
                found.update(rx.findall(text))
        return sorted(found)

    def terms_within(self, fieldname: str, text: str, maxdist: int, prefix: int) -> set[str]:
        """Terms at most ``maxdist`` edits from ``text`` sharing its first
        ``prefix`` characters, a transposition one edit (the optimal string
        alignment distance, Whoosh's ``terms_within``). Segment by segment,
        only terms of a length within ``maxdist`` of the text's are compared,
        in C (RapidFuzz): Whoosh compares every term of the prefix in Python."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        found: set[str] = set()
        shortest, longest = len(text) - maxdist, len(text) + maxdist
        for sub, _ in self._reader.leaf_readers():
            try:
                near = [
                    t
                    for t in map(term_text, sub.expand_prefix(fieldname, text[:prefix]))
                    if shortest <= len(t) <= longest
                ]
            except TermNotFound:
                continue
            matches = process.extract(
                text, near, scorer=OSA.distance, score_cutoff=maxdist, limit=None
            )
            found.update(term for term, _, _ in matches)
        return found
