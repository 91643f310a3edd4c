"""The use cases the command line and a library user share.

Each takes plain values and returns plain data, deciding what the engine
alone does not: building an index on first use, answering a spelling
suggestion instead (``--fix``), counting only (``--count``), the notices a
person should see, and the exit status of the answer. Nothing here prints:
the caller gets the notices as text and shows them (or not).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .engine import search as engine_search
from .engine.index import Index, bound_corpus, changed_files, open_index
from .errors import ExitCode, IndexMissingError, SyrsearchError
from .model import (
    DEFAULT_CORPUS,
    DEFAULT_LOCK_WAIT,
    FEW_HITS,
    Explanation,
    SearchRequest,
    SearchResult,
    Span,
    StoredArticle,
)
from .text.lang import DEFAULT_LANG
from .text.snippets import matched_spans

if TYPE_CHECKING:  # only annotations: a search need not define them
    from .model import Facet
    from .model.indexing import IndexReport
    from .model.views import FacetResult, IndexStats, RelatedResult, ReprintGroup, SimilarResult


__all__ = [
    "BatchAnswer",
    "FacetAnswer",
    "IndexEvents",
    "QueryOutcome",
    "ShownArticle",
    "articles",
    "batch_exit_code",
    "build",
    "explain",
    "ids_starting",
    "index_stats",
    "open_or_build",
    "query_lines",
    "related",
    "reprints",
    "run_batch",
    "run_facets",
    "run_query",
    "search_with_suggestion",
    "show",
    "similar",
    "source_names",
    "stale_notice",
]


class IndexEvents(Protocol):
    """Who hears about an index run: progress (articles read and analysed),
    the later phases by name (writing, merging), warnings, notices, the end."""

    def progress(self, done: int, total: int) -> None: ...
    def phase(self, name: str) -> None: ...
    def warn(self, relpath: str, reason: str) -> None: ...
    def notice(self, message: str) -> None: ...
    def finished(self, report: IndexReport, corpus: Path, index_dir: Path) -> None: ...


def build(
    corpus: Path | None,
    index_dir: Path,
    events: IndexEvents,
    *,
    rebuild: bool = False,
    wait: float = DEFAULT_LOCK_WAIT,
    follow_links: bool = False,
) -> IndexReport:
    """Bring the index in step with the corpus, telling ``events`` as it goes
    (``follow_links``: links to files outside the corpus too).

    With no ``corpus``, the one the index was built from (from any working
    folder), or :data:`~syrsearch.model.DEFAULT_CORPUS` for a new index.
    """
    from .engine.indexer import update_index  # only when indexing: a query need not load it

    if corpus is None:
        corpus = bound_corpus(index_dir) or DEFAULT_CORPUS

    report = update_index(
        corpus,
        index_dir,
        rebuild=rebuild,
        progress=events.progress,
        warn=events.warn,
        notice=events.notice,
        lock_timeout=wait,
        follow_links=follow_links,
        phase=events.phase,
    )
    events.finished(report, corpus, index_dir)
    return report


def open_or_build(index_dir: Path, corpus: Path, events: IndexEvents) -> Index:
    """Open the index; if there is none yet but the corpus exists, build it first.

    An index older than its corpus is answered from as it is (a query never
    writes), but ``events`` hears how many files changed since it was built,
    or that the corpus folder is gone.
    """
    try:
        index = open_index(index_dir)
    except IndexMissingError as exc:
        if not corpus.is_dir():
            raise SyrsearchError(
                f"no index in '{index_dir}' and no corpus folder '{corpus}'",
                hint="run 'syrsearch index --corpus DIR' first",
            ) from exc
    else:
        notice = stale_notice(index)
        if notice:
            events.notice(notice)
        return index
    events.notice(f"no index in '{index_dir}' yet: building it from '{corpus}'")
    build(corpus, index_dir, events)
    return open_index(index_dir)


def stale_notice(index: Index) -> str | None:
    """What to say about an index older than its corpus, or None if it is current."""
    changed = changed_files(index)
    if changed is None:
        return f"the corpus folder '{index.corpus}' of this index is gone; answering from the index"
    if not changed:
        return None
    files = "1 file" if changed == 1 else f"{changed:,} files"
    return f"{files} changed since the index was built; run 'syrsearch index'"


# -- queries ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueryOutcome:
    """A query's answer, what to tell a person about it, and the exit status."""

    result: SearchResult
    notices: tuple[str, ...]
    exit_code: ExitCode


def search_with_suggestion(
    index: Index, query: SearchRequest | str, **options: Any
) -> SearchResult:
    """:func:`~syrsearch.engine.search.search` (the same arguments); when the
    query finds little, the result has a spelling ``suggestion``, and with
    ``fix`` its hits are the suggestion's (``corrected`` is then true, while
    ``query`` stays the text as typed)."""
    request = query if isinstance(query, SearchRequest) else SearchRequest(query, **options)
    fix = request.fix
    with index.reading():
        result = engine_search.search(index, request)
        if result.timed_out or result.total >= FEW_HITS:
            return result
        from .engine.suggest import suggest  # only for a query that finds little

        found = suggest(index, request.text, total=result.total, any_word=request.any_word)
        if found is None:
            return result
        if not fix:
            return dataclasses.replace(result, suggestion=found.text)
        fixed = engine_search.search(index, dataclasses.replace(request, text=found.text))
    return dataclasses.replace(fixed, query=request.text, suggestion=found.text, corrected=True)


def run_query(index: Index, request: SearchRequest, *, where: str = "") -> QueryOutcome:
    """Answer one query as the command line does. ``count`` asks for the
    total only (every match counts, whatever the limit); ``where`` (``line 2:
    ``) starts the suggestion notice of a batch line, which gets no hint."""
    if request.count:
        request = dataclasses.replace(request, limit=1, snippets=0, highlights=False, expand=False)
    result = search_with_suggestion(index, request)
    notices = list(result.notices)
    if result.timed_out:
        notices.append(
            f"search stopped after {request.timeout:g} s (--timeout):"
            f" showing the {result.total} matches found so far"
        )
    if result.suggestion:
        said = "showing results for" if result.corrected else "did you mean"
        notices.append(f"{where}{said}: {result.suggestion}")
    elif (
        not where
        and not result.total
        and not result.timed_out
        and not request.any_word
        and len(request.text.split()) > 1
        and not engine_search.is_listing(request.text)
    ):
        notices.append("no article has all of the words; --any ranks those with any of them")
    code = ExitCode.OK if result.total else ExitCode.NO_MATCH
    return QueryOutcome(result, tuple(notices), code)


@dataclass(frozen=True, slots=True)
class BatchAnswer:
    """The answer to one line of a batch: an outcome, or the error that line got."""

    lineno: int
    query: str
    outcome: QueryOutcome | None = None
    error: SyrsearchError | None = None


def run_batch(index: Index, lines: Iterable[str], request: SearchRequest) -> Iterator[BatchAnswer]:
    """One answer per non-blank line, each a query with ``request``'s options.
    A line that cannot be searched gets its error; the others are answered."""
    with index.reading():
        for lineno, raw in enumerate(lines, 1):
            query = raw[:-1] if raw.endswith("\n") else raw
            query = query[:-1] if query.endswith("\r") else query
            if not query.strip():
                continue
            line = dataclasses.replace(request, text=query)
            try:
                yield BatchAnswer(lineno, query, run_query(index, line, where=f"line {lineno}: "))
            except SyrsearchError as exc:
                yield BatchAnswer(lineno, query, error=exc)


def batch_exit_code(answers: Iterable[BatchAnswer]) -> ExitCode:
    """2 if any line was an error, else 0 if any query had a hit, else 1."""
    hit = error = False
    for answer in answers:
        error = error or answer.error is not None
        hit = hit or (answer.outcome is not None and answer.outcome.result.total > 0)
    if error:
        return ExitCode.ERROR
    return ExitCode.OK if hit else ExitCode.NO_MATCH


def explain(index: Index, text: str, *, any_word: bool = False, **options: Any) -> Explanation:
    """How ``text`` is read, without searching (``--explain``); ``options``:
    ``max_expansions``, ``langs``, ``aliases``, ``alias_file`` as a request
    has them."""
    return engine_search.explain(index, text, any_word=any_word, **options)


# -- articles --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShownArticle:
    """One article, and per field (``title``, ``body``) the ranges to highlight."""

    article: StoredArticle
    spans: dict[str, list[Span]]
    notices: tuple[str, ...] = ()


def show(index: Index, ident: str, *, highlight: str | None = None) -> ShownArticle:
    """The article ``ident`` names, with what ``highlight`` (a query) matches."""
    with index.reading():
        article = engine_search.resolve_id(index, ident)
        spans: dict[str, list[Span]] = {}
        if highlight is not None:
            matches = engine_search.highlight_matches(index, highlight)
            lang = article.lang or DEFAULT_LANG
            spans = {
                "title": matched_spans(article.title, matches["title"], lang),
                "body": matched_spans(article.body, matches["body"], lang),
            }
    gone = () if Path(article.path).is_file() else (_gone(article.path),)
    return ShownArticle(article, spans, gone)


def _gone(path: str) -> str:
    return f"'{path}' is gone since the index was built; this is the text indexed then"


def articles(index: Index) -> Iterator[StoredArticle]:
    """Every indexed article, ordered by id (``export``)."""
    return engine_search.iter_articles(index)


def similar(index: Index, ident: str, **options: Any) -> SimilarResult:
    """:func:`syrsearch.engine.similar.similar` (loaded only when asked for)."""
    from .engine.similar import similar as similar_articles

    return similar_articles(index, ident, **options)


def index_stats(index: Index, **options: Any) -> IndexStats:
    """:func:`syrsearch.engine.stats.index_stats` (loaded only when asked for)."""
    from .engine.stats import index_stats as stats_of

    return stats_of(index, **options)


# -- research views --------------------------------------------------------------


def query_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """``(line number, query)`` for every non-blank line of a batch, as read."""
    for lineno, raw in enumerate(lines, 1):
        query = raw[:-1] if raw.endswith("\n") else raw
        query = query[:-1] if query.endswith("\r") else query
        if query.strip():
            yield lineno, query


@dataclass(frozen=True, slots=True)
class FacetAnswer:
    """One query's facet, or the error its line got (``lineno`` 0: not a batch)."""

    lineno: int
    query: str | None
    result: FacetResult | None = None
    error: SyrsearchError | None = None


def run_facets(
    index: Index, queries: Sequence[tuple[int, str | None]], by: Facet, **options: Any
) -> tuple[list[FacetAnswer], ExitCode]:
    """The ``--by`` series of each query over one shared range of time buckets
    (:func:`syrsearch.engine.facets.facets`, the same options), and the exit
    status: 2 if a query was an error, else 0 if any matched, else 1."""
    from .engine.facets import facets

    # '*' counts every article that passes the filters, as a query of it lists them.
    texts = [None if q is not None and engine_search.is_listing(q) else q for _, q in queries]
    results = facets(index, texts, by, **options)
    answers = [
        FacetAnswer(n, q, error=r) if isinstance(r, SyrsearchError) else FacetAnswer(n, q, r)
        for (n, q), r in zip(queries, results, strict=True)
    ]
    if any(a.error for a in answers):
        return answers, ExitCode.ERROR
    hit = any(a.result is not None and a.result.total for a in answers)
    return answers, ExitCode.OK if hit else ExitCode.NO_MATCH


def reprints(index: Index, ident: str) -> ReprintGroup:
    """:func:`syrsearch.engine.reprints.reprint_group` (``show ID --reprints``)."""
    from .engine.reprints import reprint_group

    return reprint_group(index, ident)


def related(
    index: Index, text: str, *, by: Facet | None = None, **options: Any
) -> tuple[list[RelatedResult], tuple[str, ...], ExitCode]:
    """``related``: the names and terms over-represented where ``text``
    matches (:mod:`syrsearch.engine.related`; per time bucket with ``by``),
    the notices to show, and the exit status (0 if any is listed)."""
    from .engine import related as engine_related

    if by is None:
        results = [engine_related.related(index, text, **options)]
    elif not by.is_time:
        raise SyrsearchError(
            f"related --by {by.value}: only time buckets are supported",
            hint="use --by month, week or year",
        )
    else:
        results = engine_related.related_by(index, text, by, **options)
    notices: list[str] = []
    listed = any(r.terms for r in results)
    if not any(r.total for r in results):
        notices.append("no article matches the query")
    elif not listed:
        notices.append("no name or term stands out in the matching articles")
    return results, tuple(notices), ExitCode.OK if listed else ExitCode.NO_MATCH


def ids_starting(index: Index, prefix: str, most: int) -> list[str]:
    """Up to ``most`` article ids that start with ``prefix``, in order (completion)."""
    with index.reading() as r:
        found = []
        for ident in r.lexicon.expand_prefix("id", prefix):
            found.append(ident)
            if len(found) >= most:
                break
        return found


def source_names(index: Index, most: int) -> list[str]:
    """The names of the index's most frequent sources (completion)."""
    return [s.name for s in index_stats(index, top_terms=0, top_sources=most).sources]
