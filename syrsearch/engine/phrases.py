"""Phrases matched in one pass: the same hits and scores as Whoosh's
``Phrase``, without its per-document span machinery.

Whoosh answers a phrase with ``SpanNear2``: an intersection of the words'
matchers that, at every document containing all the words, builds a span
object per position, joins them pair by pair into sets of new spans and
sorts them, and is then scored again through the same matchers when the
collector asks. :class:`BulkPhrase` finds the documents that have every
word once: over the index's own postings by intersecting the words' posting
blocks as sets (:func:`_in_blocks`), over any other codec by walking the
intersection of their matchers (:func:`_walk`). At each such document it
decodes each word's positions into a list of integers and follows the chain
word by word (a set look-up for an exact phrase, a moving pointer with a
slop), stopping at the first word that cannot continue it, and keeps the
intersection's score for the documents that match, which is the sum of the
words' own scores, exactly as ``SpanNear2`` gives it. Deleted documents
never match.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import Any

from whoosh import matching
from whoosh import query as wq
from whoosh.matching import IntersectionMatcher
from whoosh.matching.mcore import Matcher
from whoosh.util import make_binary_tree


class BulkPhrase(wq.Phrase):  # type: ignore[misc]
    """``Phrase(fieldname, words, slop)`` with the same meaning: each word
    within ``slop`` positions after the one before it (1: adjacent)."""

    def __repr__(self) -> str:  # what --explain prints: the query's meaning, Whoosh's name
        return f"Phrase({self.fieldname!r}, {self.words!r}, slop={self.slop}, boost={self.boost:f})"

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

        def matchers() -> list[Any]:
            return [wq.Term(fieldname, w).matcher(searcher, context) for w in words]

        rarity = [reader.doc_frequency(fieldname, w) for w in words]
        found = _in_blocks(matchers, rarity, field.format.decoder("positions"), self.slop)
        ids, scores = found if found is not None else _walk(matchers(), self.slop)
        if not ids:
            return matching.NullMatcher()
        m: Any = ScoredMatcher(ids, scores)
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
        return m


def _walk(terms: list[Any], slop: int) -> tuple[list[int], list[float]]:
    """One pass over the documents that have every word (the words'
    matchers intersected, deleted documents already left out): the ones
    where the words stand in order, and their scores as ``SpanNear2`` gives
    them (the intersection's: the sum of the words' own)."""
    isect = make_binary_tree(IntersectionMatcher, terms)
    first, rest = terms[0], terms[1:]
    ids: list[int] = []
    scores: list[float] = []
    while isect.is_active():
        ends = sorted(first.value_as("positions"))
        for t in rest:
            ends = _follow(ends, sorted(t.value_as("positions")), slop)
            if not ends:
                break
        if ends:
            ids.append(isect.id())
            scores.append(isect.score())
        isect.next()
    return ids, scores


def _in_blocks(
    matchers: Callable[[], list[Any]],
    rarity: list[int],
    decode: Callable[[bytes], Any],
    slop: int,
) -> tuple[list[int], list[float]] | None:
    """:func:`_walk`'s answer from the words' posting blocks, where they are
    the index's own (:class:`~syrsearch.engine.postings.CompactLeafMatcher`),
    else None: the documents that have every word intersected as sets, then,
    for those alone, the positions decoded and followed and each word's
    score taken from its block, summed in the intersection's order."""
    from .postings import CompactLeafMatcher, unwrapped

    leaves = [unwrapped(m) for m in matchers()]
    if not all(
        type(m) is CompactLeafMatcher
        and all(b == 1.0 for b in boosts)
        and hasattr(m.scorer, "score_postings")
        for m, boosts, _ in leaves
    ):
        return None
    common: set[int] | None = None
    for _, (m, _, _) in sorted(zip(rarity, leaves, strict=True), key=lambda pair: pair[0]):
        ids: set[int] = set()
        for block in m.ids_left():
            ids.update(block if common is None else common.intersection(block))
        common = ids
        if not common:
            return [], []
    assert common is not None
    common.difference_update(leaves[0][2])  # deleted documents never match
    if not common:
        return [], []
    order = sorted(common)
    words: list[tuple[list[Any], list[float]]] = []
    for m, _, _ in (unwrapped(m) for m in matchers()):
        values: dict[int, Any] = {}
        got, weights = [], []
        i = 0
        while m.is_active() and i < len(order):
            if m.block_max_id() < order[i]:
                m.next_block()
                continue
            block = m.block_ids()
            hits = [j for j, d in enumerate(block) if d in common]
            if hits:
                w, v = m.block_weights(), m.block_values()
                for j in hits:
                    values[block[j]] = v[j]
                    got.append(block[j])
                    weights.append(w[j])
            i = bisect_left(order, block[-1] + 1, i)
            m.next_block()
        scores = dict(zip(got, m.scorer.score_postings(got, weights), strict=True))
        at = [values[d] for d in order]
        words.append((at, [scores[d] for d in order]))
    out_ids: list[int] = []
    out_scores: list[float] = []
    first, rest = words[0], words[1:]
    for k, d in enumerate(order):
        ends = sorted(decode(first[0][k]))
        for values_of, _ in rest:
            ends = _follow(ends, sorted(decode(values_of[k])), slop)
            if not ends:
                break
        if ends:
            out_ids.append(d)
            out_scores.append(_tree_sum([s[k] for _, s in words]))
    return out_ids, out_scores


def _tree_sum(scores: list[float]) -> float:
    """``scores`` added as Whoosh's binary tree of intersections adds them
    (``make_binary_tree``: the first half, then the second), so the sum is
    the same to the last bit."""
    if len(scores) == 2:
        return scores[0] + scores[1]
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return _tree_sum(scores[:half]) + _tree_sum(scores[half:])


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


class ScoredMatcher(Matcher):  # type: ignore[misc]
    """Postings already found and scored: ``ids`` ascending, ``scores`` beside them."""

    def __init__(self, ids: list[int], scores: list[float], i: int = 0) -> None:
        self._ids = ids
        self._scores = scores
        self._i = i

    def copy(self) -> ScoredMatcher:
        return ScoredMatcher(self._ids, self._scores, self._i)

    def replace(self, minquality: float = 0) -> Any:
        return self if self.is_active() else matching.NullMatcher()

    def is_active(self) -> bool:
        return self._i < len(self._ids)

    def reset(self) -> None:
        self._i = 0

    def id(self) -> int:
        return self._ids[self._i]

    def all_ids(self) -> Iterator[int]:
        return iter(self._ids[self._i :])

    def next(self) -> bool:
        self._i += 1
        return False

    def skip_to(self, id: int) -> bool:
        self._i = bisect_left(self._ids, id, self._i)
        return False

    def score(self) -> float:
        return self._scores[self._i]

    def weight(self) -> float:
        return self._scores[self._i]

    def supports_block_quality(self) -> bool:
        return False

    def depth(self) -> int:
        return 0
