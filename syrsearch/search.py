"""Searching: run a query against an open index and return plain data.

No Whoosh object leaves this module: hits are frozen dataclasses holding the
stored text they need, so callers may use them after the searcher is closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from math import log
from typing import Any

from whoosh import scoring

from .errors import UnknownIdError
from .indexer import SEARCH_FIELDS, IndexHandle
from .query import Translation, build_query, highlight_match
from .snippets import Match, Snippet, lead_snippet, make_snippets, matched_spans

DEFAULT_LIMIT = 10


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching article."""

    rank: int
    id: str
    path: str
    title: str
    score: float
    snippets: tuple[Snippet, ...]
    title_highlights: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The answer to one query."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    parsed: str = ""
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    notices: tuple[str, ...] = field(default_factory=tuple)
    suggestion: str | None = None  # a corrected query (see syrsearch.suggest)
    corrected: bool = False  # the hits answer ``suggestion``, not ``query``


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the index holds it."""

    id: str
    path: str
    title: str
    body: str
    encoding: str


BM25_B = 0.75
BM25_K1 = 1.2


def idf(doc_count: int, doc_frequency: int) -> float:
    """BM25's inverse document frequency as Lucene computes it: near 0 for a
    term in almost every document, never negative."""
    return log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


class _BM25(scoring.BM25F):
    """BM25F with :func:`idf`, so very common words weigh next to nothing."""

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        return idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))


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
) -> SearchResult:
    """Search the index: the top ``limit`` hits (all if None) with snippets.

    ``any_word`` ranks articles matching any of the words (natural-language
    mode) instead of requiring all of them.
    """
    with handle.ix.searcher(weighting=weighting()) as searcher:
        reader = searcher.reader()
        tr = build_query(text, reader, SEARCH_FIELDS, any_word=any_word)
        results = searcher.search(tr.query, limit=limit)
        title_match = highlight_match(tr.query, reader, "title")
        body_match = highlight_match(tr.query, reader, "body")
        hits = []
        for rank, hit in enumerate(results, 1):
            stored = hit.fields()
            body = stored.get("body", "")
            title = stored.get("title", "")
            snips: list[Snippet] = []
            if snippets:
                spans = matched_spans(body, body_match)
                snips = make_snippets(body, spans, count=snippets) or lead_snippet(body)
            hits.append(
                Hit(
                    rank=rank,
                    id=stored["id"],
                    path=handle.article_path(stored["path"]),
                    title=title,
                    score=float(hit.score or 0.0),
                    snippets=tuple(snips),
                    title_highlights=tuple(matched_spans(title, title_match)),
                )
            )
        total = len(results)
    return SearchResult(
        query=text,
        total=total,
        hits=tuple(hits),
        parsed=repr(tr.query),
        words=tuple((raw, tuple(forms)) for raw, forms in tr.words),
        notices=tuple(tr.notices),
    )


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
        body=stored.get("body", ""),
        encoding=stored.get("encoding", ""),
    )


def highlight_matches(handle: IndexHandle, text: str) -> dict[str, Match]:
    """Per field, what a query highlights (for ``show --highlight``)."""
    with handle.ix.reader() as reader:
        tr = build_query(text, reader, SEARCH_FIELDS)
        return {f: highlight_match(tr.query, reader, f) for f in SEARCH_FIELDS}
