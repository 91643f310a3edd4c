"""Searching: run a query against an open index and return plain data.

No Whoosh object leaves this module: hits are frozen dataclasses holding the
stored text they need, so callers may use them after the searcher is closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from math import log
from typing import Any

from whoosh import collectors, scoring, sorting
from whoosh.query import And as _And
from whoosh.query import AndMaybe, Or, Query, Term, TermRange

from .errors import UnknownIdError
from .feedback import FEEDBACK_DOCS, expansion_query, expansion_terms, feedback_text
from .indexer import SEARCH_FIELDS, IndexHandle, unpack_body
from .metadata import NamesSources, content_spans, source_key
from .query import ANY_TITLE_BOOST, TITLE_BOOST, Translation, build_query, highlight_match
from .snippets import Match, Snippet, Span, lead_snippet, make_snippets, matched_spans

DEFAULT_LIMIT = 10


@dataclass(frozen=True, slots=True)
class Hit(NamesSources):
    """One matching article."""

    rank: int
    id: str
    path: str
    title: str
    score: float
    snippets: tuple[Snippet, ...]
    title_highlights: tuple[tuple[int, int], ...] = ()
    date: str | None = None
    sources: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()


class SortOrder(str, Enum):
    score = "score"
    date = "date"


@dataclass(frozen=True, slots=True)
class Filters:
    """Conditions on what the text says about an article; ``None`` = any.

    An article whose text gives no date never passes a date bound, and one
    that names no source never passes ``sources``.
    """

    since: date | None = None
    until: date | None = None
    sources: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.since or self.until or self.sources)

    def query(self) -> Query | None:
        parts: list[Query] = []
        if self.since or self.until:
            low = self.since.isoformat() if self.since else None
            high = self.until.isoformat() if self.until else None
            parts.append(TermRange("date", low, high))
        if self.sources:
            keys = sorted({source_key(s) for s in self.sources} - {""})
            parts.append(Or([Term("source", k) for k in keys]))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else _And(parts)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The answer to one query."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    parsed: str = ""
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    notices: tuple[str, ...] = field(default_factory=tuple)
    expansion: tuple[str, ...] = ()  # terms added by feedback (``expand``)
    suggestion: str | None = None  # a corrected query (see syrsearch.suggest)
    corrected: bool = False  # the hits answer ``suggestion``, not ``query``


@dataclass(frozen=True, slots=True)
class StoredArticle(NamesSources):
    """An article as the index holds it."""

    id: str
    path: str
    title: str
    body: str
    encoding: str
    date: str | None = None
    sources: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()


BM25_B = 0.75
BM25_K1 = 1.2


def idf(doc_count: int, doc_frequency: int) -> float:
    """BM25's inverse document frequency as Lucene computes it: near 0 for a
    term in almost every document, never negative."""
    return log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


class _BM25(scoring.BM25F):
    """BM25F with :func:`idf`, so very common words weigh next to nothing.

    A document's length normalisation is worked out once per field and shared
    by every term of the query (Whoosh's own scorer reads the stored length
    again for each posting of each term).
    """

    def __init__(self, B: float, K1: float) -> None:
        super().__init__(B=B, K1=K1)
        self._norms: dict[tuple[int, str], dict[int, float]] = {}

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        return idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))

    def scorer(self, searcher: Any, fieldname: str, text: str, qf: int = 1) -> Any:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if not isinstance(scorer, scoring.BM25FScorer):
            return scorer
        return _BM25Scorer(scorer, self._norms.setdefault((id(searcher), fieldname), {}))


class _BM25Scorer(scoring.BaseScorer):
    """Whoosh's BM25F scorer with the length normalisation memoised in ``norms``."""

    def __init__(self, inner: Any, norms: dict[int, float]) -> None:
        self.inner = inner
        self.norms = norms
        self.idf_k1 = inner.idf * (inner.K1 + 1)

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


def weighting() -> Any:
    return _BM25(B=BM25_B, K1=BM25_K1)


def translate(handle: IndexHandle, text: str, *, any_word: bool = False) -> Translation:
    """The Whoosh query ``text`` becomes, with notes on how each word was read."""
    with handle.ix.reader() as reader:
        return build_query(text, reader, SEARCH_FIELDS, any_word=any_word)


def search(
    handle: IndexHandle,
    text: str,
    *,
    limit: int | None = DEFAULT_LIMIT,
    snippets: int = 2,
    any_word: bool = False,
    filters: Filters | None = None,
    sort: SortOrder = SortOrder.score,
    expand: bool | None = None,
) -> SearchResult:
    """Search the index: the top ``limit`` hits (all if None) with snippets.

    ``any_word`` ranks articles matching any of the words (natural-language
    mode) instead of requiring all of them. ``filters`` keeps only articles
    whose date and source pass; ``sort`` by date puts the newest first, the
    undated last, and equal dates by score. ``expand`` also ranks by words
    common in the top articles (pseudo-relevance feedback, see
    :mod:`syrsearch.feedback`); by default it is on in any-word mode. It never
    changes which articles match, only their order.
    """
    with handle.ix.searcher(weighting=weighting()) as searcher:
        reader = searcher.reader()
        tr = build_query(text, reader, SEARCH_FIELDS, any_word=any_word)
        options: dict[str, Any] = {}
        if filters:
            options["filter"] = filters.query()
        if sort is SortOrder.date:
            options["sortedby"] = [sorting.FieldFacet("date", reverse=True), sorting.ScoreFacet()]
        coordinate = any_word and sort is SortOrder.score and len(tr.groups) > 1
        pool = max(limit, RESCORE_POOL) if coordinate and limit is not None else limit
        ranked_query, expansion = tr.query, []
        if any_word if expand is None else expand:
            ranked_query, expansion = _expanded(searcher, tr, options.get("filter"), any_word)
        results = _results(searcher, ranked_query, pool, options)
        total = len(results)
        ranked = [(hit.docnum, _score(hit.score)) for hit in results]
        if coordinate:
            ranked = coordinated(searcher, tr.groups, ranked)[:limit]
        title_match = highlight_match(tr.query, reader, "title")
        body_match = highlight_match(tr.query, reader, "body")
        hits = []
        for rank, (docnum, score) in enumerate(ranked, 1):
            stored = searcher.stored_fields(docnum)
            body = unpack_body(stored)
            title = stored.get("title", "")
            hits.append(
                Hit(
                    rank=rank,
                    id=stored["id"],
                    path=handle.article_path(stored["path"]),
                    title=title,
                    score=score,
                    snippets=tuple(body_snippets(body, body_match, snippets)),
                    title_highlights=tuple(matched_spans(title, title_match)),
                    **stored_facts(stored),
                )
            )
    return SearchResult(
        query=text,
        total=total,
        hits=tuple(hits),
        parsed=repr(tr.query),
        words=tuple((raw, tuple(forms)) for raw, forms in tr.words),
        notices=tuple(tr.notices),
        expansion=tuple(expansion),
    )


def _expanded(
    searcher: Any, tr: Translation, filter_query: Any, any_word: bool
) -> tuple[Any, list[str]]:
    """``tr.query`` with words from its top articles as an optional part."""
    options = {} if filter_query is None else {"filter": filter_query}
    texts = []
    for hit in _results(searcher, tr.query, FEEDBACK_DOCS, options):
        stored = searcher.stored_fields(hit.docnum)
        texts.append(feedback_text(stored.get("title", ""), unpack_body(stored)))
    terms = expansion_terms(searcher.reader(), texts, SEARCH_FIELDS)
    words = len(tr.groups) or sum(1 for _, forms in tr.words if forms)
    boosts = {"title": ANY_TITLE_BOOST if any_word else TITLE_BOOST, "body": 1.0}
    extra = expansion_query(terms, words, boosts)
    if extra is None:
        return tr.query, []
    return AndMaybe(tr.query, extra), [term for term, _ in terms]


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


def _results(searcher: Any, q: Any, limit: int | None, options: dict[str, Any]) -> Any:
    """Whoosh's results for ``q``: the top ``limit``, ranked exactly.

    Whoosh's own top-N collector swaps in cheaper matchers as its heap fills,
    which drops documents that belong in the top N of a nested OR query (and
    it then counts the total in a second pass). Scoring every match once,
    with no swapping, gives the exact top N and the total together.
    """
    if limit is None or "sortedby" in options or limit >= searcher.doc_count():
        return searcher.search(q, limit=limit, **options)
    collector: Any = collectors.TopCollector(limit, usequality=False, replace=0)
    if options.get("filter") is not None:
        collector = collectors.FilterCollector(collector, allow=options["filter"])
    searcher.search_with_collector(q, collector)
    return collector.results()


def stored_facts(stored: dict[str, Any]) -> dict[str, Any]:
    """``date``, ``sources`` and ``urls`` of a stored document, as
    :class:`Hit` and :class:`StoredArticle` take them."""
    meta = stored.get("meta") or {}
    return {
        "date": stored.get("date") or None,
        "sources": tuple(meta.get("sources", ())),
        "urls": tuple(meta.get("urls", ())),
    }


def _score(key: Any) -> float:
    """A hit's relevance score; sorted by date, Whoosh gives the sort key,
    whose last part is the negated score (:class:`whoosh.sorting.ScoreFacet`)."""
    if isinstance(key, tuple):
        return float(-key[-1])
    return float(key or 0.0)


def body_snippets(body: str, match: Match, count: int) -> list[Snippet]:
    """Up to ``count`` snippets of the article's own text (never its chrome)
    around what ``match`` selects; its first sentence if nothing matched there."""
    if count <= 0:
        return []
    content = content_spans(body)
    spans = _inside(matched_spans(body, match), content)
    return make_snippets(body, spans, count=count) or _lead(body, content)


def _inside(spans: Iterable[Span], ranges: list[Span]) -> list[Span]:
    return [s for s in spans if any(a <= s[0] and s[1] <= b for a, b in ranges)]


def _lead(body: str, content: list[Span]) -> list[Snippet]:
    for a, b in content:
        found = lead_snippet(body[:b], start=a)
        if found:
            return found
    return []


def resolve_id(handle: IndexHandle, ident: str) -> StoredArticle:
    """The article whose id is ``ident``, or the one id that starts with it."""
    with handle.ix.searcher() as searcher:
        reader = searcher.reader()
        stored = searcher.document(id=ident) or searcher.document(path=ident)
        if stored is None and ident.endswith(".txt"):
            stored = searcher.document(path=ident.rsplit("/", 1)[-1])
        if stored is None:
            matches = (
                [
                    t.decode("utf-8") if isinstance(t, bytes) else t
                    for t in reader.expand_prefix("id", ident)
                ]
                if ident
                else []
            )
            if len(matches) == 1:
                stored = searcher.document(id=matches[0])
            elif len(matches) > 1:
                shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
                raise UnknownIdError(
                    f"id prefix '{ident}' matches {len(matches)} articles: {shown}",
                    hint="type more of the id",
                )
        if stored is None:
            raise UnknownIdError(
                f"no article with id '{ident}'",
                hint="ids are file names without .txt; list them with "
                "'syrsearch query WORDS --format tsv'",
            )
        return _stored(handle, stored)


def iter_articles(handle: IndexHandle) -> Iterator[StoredArticle]:
    """Every indexed article, ordered by id."""
    with handle.ix.searcher() as searcher:
        reader = searcher.reader()
        ids = reader.column_reader("id")
        for docnum in sorted(reader.all_doc_ids(), key=lambda d: ids[d]):
            yield _stored(handle, reader.stored_fields(docnum))


def _stored(handle: IndexHandle, stored: dict[str, Any]) -> StoredArticle:
    return StoredArticle(
        id=stored["id"],
        path=handle.article_path(stored["path"]),
        title=stored.get("title", ""),
        body=unpack_body(stored),
        encoding=stored.get("encoding", ""),
        **stored_facts(stored),
    )


def highlight_matches(handle: IndexHandle, text: str) -> dict[str, Match]:
    """Per field, what a query highlights (for ``show --highlight``)."""
    with handle.ix.reader() as reader:
        tr = build_query(text, reader, SEARCH_FIELDS)
        return {f: highlight_match(tr.query, reader, f) for f in SEARCH_FIELDS}
