"""Ranking: how hits are scored and ordered.

* **BM25** (:class:`BM25`): Whoosh's BM25F with Lucene's inverse document
  frequency, so a word found in almost every article weighs next to nothing.
* **Exact top N** (:func:`top_docs`): every match scored once, so nested OR
  queries are ranked exactly.
* **Coordination** (:func:`coordinated`): in any-word mode, an article scores
  more the more of the query's words it has.
* **A pasted title** (:func:`title_first`): an article whose title is the
  query, word for word, ranks first.
* **Pseudo-relevance feedback** (:func:`expansion_terms`,
  :func:`expansion_query`), below.

The articles a query ranks first tend to share words the query did not use
(``truce`` and ``hostilities`` beside ``ceasefire``). :func:`expansion_terms`
picks them with the Bo1 model of Amati's divergence from randomness: a word
scores by how much more often it appears in those articles than its frequency
in the whole index predicts, so a word common everywhere is not picked. The
defaults are Terrier's (3 articles, 10 words, each in at least 2 of them).

:func:`expansion_query` turns the words into an optional part of the query,
weighted so that they carry as much as the query's own words, as RM3 combines
them (weight 0.5). Optional: the expanded query ranks the same articles, and
never matches one that the query itself does not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from math import log, log2
from typing import Any

from whoosh import collectors, scoring
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

from ..text.metadata import content_spans
from ..text.stopwords import STOP_STEMS
from ..text.words import CAPS, EXACT, term_positions
from .lexicon import Lexicon
from .query.bounds import NO_DEADLINE, Deadline, Scored, TimedOut, walk_query

BM25_B = 0.75
"""BM25 length normalisation."""
BM25_K1 = 1.2
"""BM25 term-frequency saturation."""


def idf(doc_count: int, doc_frequency: int) -> float:
    """BM25's inverse document frequency as Lucene computes it: near 0 for a
    term in almost every document, never negative."""
    return log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


class BM25(scoring.BM25F):  # type: ignore[misc]
    """BM25F with :func:`idf`, so very common words weigh next to nothing.

    A document's length normalisation is worked out once per field and shared
    by every term of the query (Whoosh's own scorer reads the stored length
    again for each posting of each term).
    """

    def __init__(self, B: float, K1: float) -> None:
        super().__init__(B=B, K1=K1)
        self._norms: dict[tuple[int, str], dict[int, float]] = {}
        self._lengths: dict[tuple[int, str], bytes | None] = {}

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        return idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))

    def scorer(self, searcher: Any, fieldname: str, text: str, qf: int = 1) -> Any:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if not isinstance(scorer, scoring.BM25FScorer):
            return scorer
        key = (id(searcher), fieldname)
        return _BM25Scorer(
            scorer, self._norms.setdefault(key, {}), lambda: self._length_bytes(key, searcher)
        )

    def _length_bytes(self, key: tuple[int, str], searcher: Any) -> bytes | None:
        if key not in self._lengths:
            self._lengths[key] = length_bytes(searcher.reader(), key[1])
        return self._lengths[key]


def length_bytes(reader: Any, fieldname: str) -> bytes | None:
    """The stored length byte of ``fieldname`` for every document of one
    segment's ``reader``, read in one piece from Whoosh's length column (one
    byte a document); None where the column is not laid out so."""
    try:
        perdoc = reader._perdoc
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None or column._fixedlen != 1:
            return None
        return bytes(column._dbfile.get(column._basepos, column._count))
    except (AttributeError, TypeError):  # another reader or codec: a lookup per document
        return None


class _BM25Scorer(scoring.BaseScorer):  # type: ignore[misc]
    """Whoosh's BM25F scorer with the length normalisation memoised in ``norms``."""

    def __init__(
        self, inner: Any, norms: dict[int, float], lengths: Callable[[], bytes | None]
    ) -> None:
        self.inner = inner
        self.norms = norms
        self.idf_k1 = inner.idf * (inner.K1 + 1)
        self._lengths = lengths
        self._by_byte: list[float] | None = None

    def supports_block_quality(self) -> bool:
        return True

    def max_quality(self) -> float:
        return float(self.inner.max_quality())

    def block_quality(self, matcher: Any) -> float:
        return float(self.inner.block_quality(matcher))

    def score(self, matcher: Any) -> float:
        docnum = matcher.id()
        norm = self.norms.get(docnum)
        if norm is None:
            inner = self.inner
            ratio = inner.dfl(docnum) / inner.avgfl
            norm = self.norms[docnum] = inner.K1 * ((1 - inner.B) + inner.B * ratio)
        weight = matcher.weight()
        return float(self.idf_k1 * weight / (weight + norm))

    def score_postings(self, ids: Sequence[int], weights: Sequence[float]) -> list[float]:
        """:meth:`score` of each posting of a block, without a call per
        posting: the documents' lengths read from the segment's length column
        at once, the normalisation worked out once per length byte."""
        inner, idf_k1 = self.inner, self.idf_k1
        k1, b, avgfl = inner.K1, inner.B, inner.avgfl
        lengths = self._lengths()
        if lengths is not None and ids and ids[-1] < len(lengths):
            by_byte = self._by_byte
            if by_byte is None:
                by_byte = [k1 * ((1 - b) + b * (byte_to_length(x) / avgfl)) for x in range(256)]
                self._by_byte = by_byte
            return [
                float(idf_k1 * w / (w + by_byte[lengths[d]]))
                for d, w in zip(ids, weights, strict=True)
            ]
        norms = self.norms
        out = []
        for docnum, weight in zip(ids, weights, strict=True):
            norm = norms.get(docnum)
            if norm is None:
                norm = norms[docnum] = k1 * ((1 - b) + b * (inner.dfl(docnum) / avgfl))
            out.append(float(idf_k1 * weight / (weight + norm)))
        return out


def weighting() -> BM25:
    """The scoring every search uses."""
    return BM25(B=BM25_B, K1=BM25_K1)


COORDINATION = 0.25
"""In any-word mode, the share of a score that depends on how many of the
query's words the article has: the score is multiplied by
``1 - COORDINATION + COORDINATION * matched / words``."""
RESCORE_POOL = 100
"""Any-word hits re-ranked that way: at least the first this many."""


def coordinated(
    searcher: Any, groups: list[Any], ranked: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    """``ranked`` (docnum, score) re-scored by the share of ``groups`` (the
    query's words) each document matches, best first."""
    matched = dict.fromkeys((d for d, _ in ranked), 0)
    for sub, offset in searcher.leaf_searchers():
        local = sorted(d - offset for d in matched if 0 <= d - offset < sub.doc_count_all())
        for group in groups if local else ():
            m = group.matcher(sub)
            for d in local:
                if m.is_active() and m.id() < d:
                    m.skip_to(d)
                if not m.is_active():
                    break
                if m.id() == d:
                    matched[d + offset] += 1
    share = 1.0 / len(groups)
    rescored = [(d, s * (1 - COORDINATION + COORDINATION * matched[d] * share)) for d, s in ranked]
    return sorted(rescored, key=lambda pair: (-pair[1], pair[0]))


def title_first(ranked: list[tuple[int, float]], titled: Sequence[int]) -> list[tuple[int, float]]:
    """``ranked`` (docnum, score) with the articles of ``titled`` (whose title
    is the query) first, in their order, each scored at least as the best of
    the rest: an exact title outranks whatever feedback and coordination
    made of a short title's few words."""
    if not titled:
        return ranked
    best = max((s for _, s in ranked), default=0.0)
    own = dict(ranked)
    first = [(d, max(best, own.get(d, 0.0))) for d in dict.fromkeys(titled)]
    chosen = set(titled)
    return first + [(d, s) for d, s in ranked if d not in chosen]


def top_docs(
    searcher: Any,
    q: Any,
    limit: int | None,
    options: dict[str, Any],
    deadline: Deadline = NO_DEADLINE,
) -> Any:
    """Whoosh's results for ``q``: the top ``limit``, ranked exactly.

    Whoosh's own top-N collector swaps in cheaper matchers as its heap fills,
    which drops documents that belong in the top N of a nested OR query (and
    it then counts the total in a second pass). Scoring every match once,
    with no swapping, gives the exact top N and the total together.

    If ``deadline`` passes, the results are those found so far, and
    ``deadline.passed`` is set.
    """
    collector: Any
    if limit is None or "sortedby" in options or limit >= searcher.doc_count():
        collector = searcher.collector(limit=limit, **options)
    else:
        collector = collectors.TopCollector(limit, usequality=False, replace=0)
        if options.get("filter") is not None:
            collector = collectors.FilterCollector(collector, allow=options["filter"])
    remaining = deadline.remaining()
    if remaining == 0:  # already past: nothing found
        deadline.passed = True
        q = wq.NullQuery
    elif remaining is not None:
        # A timer thread, not SIGALRM: a library user may search in any thread.
        collector = collectors.TimeLimitCollector(collector, remaining, use_alarm=False)
    for node, _ in walk_query(q):
        if isinstance(node, Scored):
            node.deadline = deadline
    try:
        searcher.search_with_collector(q, collector)
    except (collectors.TimeLimit, TimedOut):
        deadline.passed = True
    return collector.results()


FEEDBACK_DOCS = 3
"""Top articles the words are taken from."""
FEEDBACK_TERMS = 10
"""Words added."""
FEEDBACK_MIN_DOCS = 2
"""A word is added only if at least this many of those articles have it."""
FEEDBACK_SHARE = 0.5
"""The share of the expanded query's weight on the added words."""


def feedback_text(title: str, body: str) -> str:
    """What an article says, less the site chrome around it."""
    return "\n".join([title, *(body[a:b] for a, b in content_spans(body))])


def expansion_terms(
    lexicon: Lexicon, texts: Sequence[str], fields: Sequence[str]
) -> list[tuple[str, float]]:
    """The best :data:`FEEDBACK_TERMS` index terms of ``texts`` (the top
    articles), with their Bo1 weights, best first."""
    in_top: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    for text in texts:
        counts = {
            term: len(positions)
            for term, positions in term_positions(text).items()
            if term[0] not in (EXACT, CAPS) and term.isalpha() and term not in STOP_STEMS
        }
        in_top.update(counts)
        docs.update(counts.keys())
    doc_count = max(1, lexicon.doc_count())
    weights = []
    for term, tf in in_top.items():
        if docs[term] < FEEDBACK_MIN_DOCS:
            continue
        everywhere = max(tf, sum(lexicon.frequency(f, term) for f in fields))
        expected = everywhere / doc_count
        weights.append((term, tf * log2((1 + expected) / expected) + log2(1 + expected)))
    weights.sort(key=lambda pair: (-pair[1], pair[0]))
    return weights[:FEEDBACK_TERMS]


def expansion_query(
    terms: Sequence[tuple[str, float]], query_words: int, field_boosts: dict[str, float]
) -> Any:
    """An OR of ``terms`` over the fields, weighted to carry
    :data:`FEEDBACK_SHARE` of a query of ``query_words`` words; None if no terms."""
    total = sum(weight for _, weight in terms)
    if not terms or total <= 0:
        return None
    scale = FEEDBACK_SHARE / (1 - FEEDBACK_SHARE) * max(1, query_words) / total
    return wq.Or(
        [
            wq.Term(field, term, boost=weight * scale * boost)
            for term, weight in terms
            for field, boost in field_boosts.items()
        ]
    )
