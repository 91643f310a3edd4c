"""Phrases matched in bulk: the same hits and scores as Whoosh's ``Phrase``,
without its per-document span machinery.

Whoosh answers a phrase with ``SpanNear2``: an intersection of the words'
matchers that, at every document containing all the words, builds span
objects for each position and joins them pair by pair. :class:`BulkPhrase`
asks the same posting lists through the reader's Matcher API instead (so it
works with any codec and format that stores positions): the documents of the
rarest word first, narrowed by set intersection with the others', then the
positions of the words still in play, decoded once per document and checked
for adjacency as plain integers, word by word, dropping a document as soon
as no chain can continue. The documents left are then scored exactly as
``SpanNear2`` scores them: the sum of the words' own matchers (the same
weighting), with the phrase's boost. Deleted documents never match: every
posting list is read through ``reader.postings``, which leaves them out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from whoosh import matching
from whoosh import query as wq
from whoosh.matching import IntersectionMatcher
from whoosh.util import make_binary_tree
from whoosh.matching.mcore import Matcher
from whoosh.reading import TermNotFound


class BulkPhrase(wq.Phrase):  # type: ignore[misc]
    """``Phrase(fieldname, words, slop)`` with the same meaning: each word
    within ``slop`` positions after the one before it (1: adjacent)."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        fieldname = self.fieldname
        schema = searcher.schema
        if fieldname not in schema or len(self.words) < 2:
            return super().matcher(searcher, context)
        field = schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            return super().matcher(searcher, context)  # Whoosh's own answer (error or AND)
        reader = searcher.reader()
        try:
            words = [field.to_bytes(w) for w in self.words]
        except ValueError:
            return matching.NullMatcher()
        if any((fieldname, w) not in reader for w in words):
            return matching.NullMatcher()
        docs = matching_docs(reader, fieldname, words, self.slop)
        if not docs:
            return matching.NullMatcher()
        terms = [wq.Term(fieldname, w).matcher(searcher, context) for w in words]
        isect = make_binary_tree(IntersectionMatcher, terms)
        m: Any = ListedMatcher(isect, docs)
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
        return m


def matching_docs(reader: Any, fieldname: str, words: Sequence[bytes], slop: int) -> list[int]:
    """The documents (sorted) where ``words`` stand in order, each at 1 to
    ``slop`` positions after the one before it."""
    unique = list(dict.fromkeys(words))
    by_size = sorted(unique, key=lambda w: reader.doc_frequency(fieldname, w))
    candidates: set[int] | None = None
    for w in by_size:
        ids = set(_postings(reader, fieldname, w).all_ids())
        candidates = ids if candidates is None else candidates & ids
        if not candidates:
            return []
    alive = sorted(candidates or ())
    # ends[doc]: the positions where a chain of the words so far can end.
    ends: dict[int, list[int]] = {}
    for i, w in enumerate(words):
        found = _positions(reader, fieldname, w, alive)
        if i == 0:
            ends = found
            continue
        kept: dict[int, list[int]] = {}
        for doc, positions in found.items():
            previous = ends[doc]
            chain = _follow(previous, positions, slop)
            if chain:
                kept[doc] = chain
        ends = kept
        alive = sorted(ends)
        if not alive:
            return []
    return alive


def _follow(previous: list[int], positions: list[int], slop: int) -> list[int]:
    """The ``positions`` that stand 1 to ``slop`` after one of ``previous``
    (both ascending)."""
    if slop == 1:
        after = {p + 1 for p in previous}
        return [q for q in positions if q in after]
    out = []
    j, n = 0, len(previous)
    for q in positions:
        while j < n and previous[j] < q - slop:
            j += 1
        if j < n and previous[j] < q:
            out.append(q)
    return out


def _postings(reader: Any, fieldname: str, word: bytes) -> Matcher:
    try:
        return reader.postings(fieldname, word)
    except TermNotFound:
        return matching.NullMatcher()


def _positions(reader: Any, fieldname: str, word: bytes, docs: list[int]) -> dict[int, list[int]]:
    """The positions of ``word`` in each of ``docs`` (ascending ids) that has it."""
    m = _postings(reader, fieldname, word)
    found: dict[int, list[int]] = {}
    for doc in docs:
        if not m.is_active():
            break
        if m.id() < doc:
            m.skip_to(doc)
            if not m.is_active():
                break
        if m.id() == doc:
            found[doc] = sorted(m.value_as("positions"))
    return found


class ListedMatcher(matching.WrappingMatcher):  # type: ignore[misc]
    """``child``'s postings at ``ids`` only (ascending, each one of the
    child's): the child skips straight to each, and scores it itself."""

    def __init__(self, child: Any, ids: list[int], boost: float = 1.0) -> None:
        super().__init__(child, boost=boost)
        self._ids = ids
        self._i = 0
        if ids and child.is_active() and child.id() < ids[0]:
            child.skip_to(ids[0])

    def copy(self) -> ListedMatcher:
        m = ListedMatcher(self.child.copy(), self._ids[self._i :], boost=self.boost)
        return m

    def _replacement(self, newchild: Any) -> ListedMatcher:
        return ListedMatcher(newchild, self._ids[self._i :], boost=self.boost)

    def replace(self, minquality: float = 0) -> Any:
        return self if self.is_active() else matching.NullMatcher()

    def is_active(self) -> bool:
        return self._i < len(self._ids)

    def id(self) -> int:
        return self._ids[self._i]

    def all_ids(self) -> Iterator[int]:
        return iter(self._ids[self._i :])

    def reset(self) -> None:
        self.child.reset()
        self._i = 0
        if self._ids:
            self.child.skip_to(self._ids[0])

    def next(self) -> bool:
        self._i += 1
        if self.is_active():
            self.child.skip_to(self._ids[self._i])
        return False

    def skip_to(self, id: int) -> bool:
        i = self._i
        while i < len(self._ids) and self._ids[i] < id:
            i += 1
        if i != self._i:
            self._i = i
            if self.is_active():
                self.child.skip_to(self._ids[i])
        return False

    def supports_block_quality(self) -> bool:
        return False
