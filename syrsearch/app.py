"""The use cases the command line and a library user share.

Each takes plain values and returns plain data, deciding what the engine
alone does not: building an index on first use, answering a spelling
suggestion instead (``--fix``), counting only (``--count``), the notices a
person should see, and the exit status of the answer. Nothing here prints:
the caller gets the notices as text and shows them (or not).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .engine import search as engine_search
from .engine.index import Index, open_index
from .engine.suggest import suggest
from .errors import ExitCode, IndexMissingError, SyrsearchError
from .model import (
    DEFAULT_LOCK_WAIT,
    Explanation,
    SearchRequest,
    SearchResult,
    Span,
    StoredArticle,
)
from .text.lang import DEFAULT_LANG
from .text.snippets import matched_spans

if TYPE_CHECKING:  # only annotations: a search need not define them
    from .model.indexing import IndexReport
    from .model.views import IndexStats, SimilarResult


__all__ = [
    "BatchAnswer",
    "IndexEvents",
    "QueryOutcome",
    "ShownArticle",
    "articles",
    "batch_exit_code",
    "build",
    "explain",
    "index_stats",
    "open_or_build",
    "run_batch",
    "run_query",
    "search_with_suggestion",
    "show",
    "similar",
]


class IndexEvents(Protocol):
    """Who hears about an index run: progress, warnings, notices, the end."""

    def progress(self, done: int, total: int) -> None: ...
    def warn(self, relpath: str, reason: str) -> None: ...
    def notice(self, message: str) -> None: ...
    def finished(self, report: IndexReport, corpus: Path, index_dir: Path) -> None: ...


def build(
    corpus: Path,
    index_dir: Path,
    events: IndexEvents,
    *,
    rebuild: bool = False,
    wait: float = DEFAULT_LOCK_WAIT,
) -> IndexReport:
    """Bring the index in step with the corpus, telling ``events`` as it goes."""
    from .engine.indexer import update_index  # only when indexing: a query need not load it

    report = update_index(
        corpus,
        index_dir,
        rebuild=rebuild,
        progress=events.progress,
        warn=events.warn,
        notice=events.notice,
        lock_timeout=wait,
    )
    events.finished(report, corpus, index_dir)
    return report


def open_or_build(index_dir: Path, corpus: Path, events: IndexEvents) -> Index:
    """Open the index; if there is none yet but the corpus exists, build it first."""
    try:
        return open_index(index_dir)
    except IndexMissingError as exc:
        if not corpus.is_dir():
            raise SyrsearchError(
                f"no index in '{index_dir}' and no corpus folder '{corpus}'",
                hint="run 'syrsearch index --corpus DIR' first",
            ) from exc
    events.notice(f"no index in '{index_dir}' yet: building it from '{corpus}'")
    build(corpus, index_dir, events)
    return open_index(index_dir)


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
        request = dataclasses.replace(request, limit=1, snippets=0, expand=False)
    result = search_with_suggestion(index, request)
    notices = list(result.notices)
    if result.suggestion:
        said = "showing results for" if result.corrected else "did you mean"
        notices.append(f"{where}{said}: {result.suggestion}")
    elif not where and not result.total and not request.any_word and len(request.text.split()) > 1:
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
    ``langs``, ``aliases``, ``alias_file`` as a request has them."""
    return engine_search.explain(index, text, any_word=any_word, **options)


# -- articles --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShownArticle:
    """One article, and per field (``title``, ``body``) the ranges to highlight."""

    article: StoredArticle
    spans: dict[str, list[Span]]


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
    return ShownArticle(article, spans)


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
