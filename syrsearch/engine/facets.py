"""Facets and timelines: how many matching articles fall in each bucket.

A bucket is a month, an ISO week or a year of the article's stated date, a
source it names, its language, or the folder it sits in. Each count comes with
the number of all articles in the same bucket (those passing the same filters,
whatever the query), so that a rise in coverage can be told from a rise in
volume. Articles with no value (undated, naming no source) are counted in a
bucket of their own, never dropped.

Counts are read from columns and posting lists, never from stored articles
(but for the display name of a source), and matches are collected unscored,
so a facet costs about what counting the hits does. Without filters or
deleted documents, the whole corpus's counts of a time or folder facet are
one pass over its column, each distinct value labelled once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from pathlib import PurePosixPath

from whoosh.query import Every, Query, Term

from ..errors import SyrsearchError
from ..model import Facet, Filters
from ..model.views import Bucket, FacetResult
from .index import Index, Reading
from .lexicon import term_text
from .query import build_query
from .schema import SEARCH_FIELDS, column
from .search import filter_query
from .stats import source_name

DEFAULT_TOP = 10
"""Buckets of a source, language or folder facet shown, most matches first."""
TOP_FOLDER = "."
"""The folder key of articles at the top of the corpus."""

Key = str | None
Series = tuple[str | None, int, Counter[Key] | SyrsearchError]


def facet(
    index: Index,
    text: str | None,
    by: Facet,
    *,
    filters: Filters | None = None,
    any_word: bool = False,
    limit: int | None = DEFAULT_TOP,
) -> FacetResult:
    """Articles matching ``text`` (every article if None) per bucket of ``by``."""
    (answer,) = facets(index, [text], by, filters=filters, any_word=any_word, limit=limit)
    if isinstance(answer, SyrsearchError):
        raise answer
    return answer


def facets(
    index: Index,
    texts: Sequence[str | None],
    by: Facet,
    *,
    filters: Filters | None = None,
    any_word: bool = False,
    limit: int | None = DEFAULT_TOP,
) -> list[FacetResult | SyrsearchError]:
    """One series per query, over one shared range of time buckets (so that
    the series of a batch line up); a query that cannot be searched gets its
    error in its place."""
    filters = filters or Filters()
    with index.reading() as r:
        bucket_of = bucketer(r, by)
        base = base_docs(r, filters)
        everything = _everything(r, by, bucket_of) if base is None else bucket_of(base)
        series: list[Series] = []
        for text in texts:
            try:
                if text is None:
                    docs = set(r.reader.all_doc_ids()) if base is None else base
                else:
                    docs = _matching(r, text, base, any_word)
            except SyrsearchError as exc:
                series.append((text, 0, exc))
                continue
            series.append((text, len(docs), bucket_of(docs)))
        counts = [c for _, _, c in series if isinstance(c, Counter)]
        span = _time_span(by, counts, everything, filters) if by.is_time else None
        return [
            c
            if isinstance(c, SyrsearchError)
            else _result(r, text, by, total, c, everything, span, limit)
            for text, total, c in series
        ]


# -- which articles ------------------------------------------------------------


def base_docs(r: Reading, filters: Filters) -> set[int] | None:
    """The live articles passing ``filters`` (None: no filter, every one)."""
    q = filter_query(filters)
    if q is None:
        return None
    return set(r.searcher.docs_for_query(q))


def _matching(r: Reading, text: str, base: set[int] | None, any_word: bool) -> set[int]:
    tr = build_query(text, r.lexicon, SEARCH_FIELDS, any_word=any_word)
    docs = set(r.searcher.docs_for_query(tr.query))  # live articles only
    return docs if base is None else base.intersection(docs)


def _everything(r: Reading, by: Facet, bucket_of: Bucketer) -> Counter[Key]:
    """Every live article per bucket of ``by``. Without deleted documents, a
    time or folder facet reads its column in one pass (each value once, not
    one look-up per article) and labels each distinct value once."""
    if r.reader.has_deletions() or not (by.is_time or by is Facet.folder):
        return bucket_of(r.reader.all_doc_ids())
    values = Counter(column(r.reader, "date" if by.is_time else "path"))
    label = _label_of(by)
    counts: Counter[Key] = Counter()
    for value, n in values.items():
        counts[label(term_text(value))] += n
    return counts


def _label_of(by: Facet) -> Callable[[str], Key]:
    """A column value's bucket (``""`` is an undated article)."""
    if by is Facet.folder:
        return _folder
    label = _time_label(by)
    return lambda day: label(date.fromisoformat(day)) if day else None


def _docs(r: Reading, q: Query) -> set[int]:
    return set(r.searcher.docs_for_query(q))


# -- buckets of an article -----------------------------------------------------

Bucketer = Callable[[Iterable[int]], Counter[Key]]


def bucketer(r: Reading, by: Facet) -> Bucketer:
    """A function counting documents per bucket of ``by``."""
    if by.is_time:
        dates = column(r.reader, "date")
        label = _label_of(by)

        def by_date(docs: Iterable[int]) -> Counter[Key]:
            counts: Counter[Key] = Counter()
            for day, n in Counter(dates[d] for d in docs).items():
                counts[label(term_text(day))] += n
            return counts

        return by_date
    if by is Facet.folder:
        paths = column(r.reader, "path")

        def by_folder(docs: Iterable[int]) -> Counter[Key]:
            return Counter(_folder(term_text(paths[d])) for d in docs)

        return by_folder
    field = "source" if by is Facet.source else "lang"
    if field not in r.reader.schema.names():
        raise SyrsearchError(
            f"--by {by.value}: this index records no {by.value} for its articles",
            hint="rebuild it with a syrsearch that records it (syrsearch index --rebuild)",
        )
    postings = {key: _docs(r, Term(field, key)) for key in r.lexicon.terms(field)}
    valued = _docs(r, Every(field))

    def by_term(docs: Iterable[int]) -> Counter[Key]:
        wanted = set(docs)
        counts: Counter[Key] = Counter()
        for key, has in postings.items():
            n = len(has & wanted) if len(has) < len(wanted) else len(wanted & has)
            if n:
                counts[key] = n
        missing = len(wanted - valued)
        if missing:
            counts[None] = missing
        return counts

    return by_term


def _folder(relpath: str) -> str:
    parent = str(PurePosixPath(relpath).parent)
    return TOP_FOLDER if parent in ("", ".") else parent


def _time_label(by: Facet) -> Callable[[date], str]:
    if by is Facet.year:
        return lambda day: f"{day.year:04d}"
    if by is Facet.month:
        return lambda day: f"{day.year:04d}-{day.month:02d}"

    def week(day: date) -> str:
        year, number, _ = day.isocalendar()
        return f"{year:04d}-W{number:02d}"

    return week


# -- the range of time buckets -------------------------------------------------


def _time_span(
    by: Facet, counts: Sequence[Counter[Key]], everything: Counter[Key], filters: Filters
) -> tuple[str, str] | None:
    """The first and last bucket to show: those of the matches, widened to
    ``--since``/``--until`` where the corpus has articles there."""
    keys = [k for c in counts for k, n in c.items() if k is not None and n]
    corpus = [k for k, n in everything.items() if k is not None and n]
    if not keys or not corpus:
        return None
    label = _time_label(by)
    low, high = min(keys), max(keys)
    if filters.since is not None:
        low = min(low, max(label(filters.since), min(corpus)))
    if filters.until is not None:
        high = max(high, min(label(filters.until), max(corpus)))
    return low, high


def time_buckets(by: Facet, first: str, last: str) -> list[str]:
    """Every bucket label of ``by`` from ``first`` to ``last``, both included."""
    if by is Facet.year:
        return [f"{y:04d}" for y in range(int(first), int(last) + 1)]
    if by is Facet.month:
        y, m = int(first[:4]), int(first[5:7])
        out = []
        while f"{y:04d}-{m:02d}" <= last:
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    day = date.fromisocalendar(int(first[:4]), int(first[6:]), 1)
    end = date.fromisocalendar(int(last[:4]), int(last[6:]), 1)
    out = []
    while day <= end:
        year, number, _ = day.isocalendar()
        out.append(f"{year:04d}-W{number:02d}")
        day += timedelta(days=7)
    return out


# -- the answer ------------------------------------------------------------------


def _result(
    r: Reading,
    text: str | None,
    by: Facet,
    total: int,
    counts: Counter[Key],
    everything: Counter[Key],
    span: tuple[str, str] | None,
    limit: int | None,
) -> FacetResult:
    unknown = Bucket(None, counts.get(None, 0), everything.get(None, 0))
    more = 0
    if by.is_time:
        keys = time_buckets(by, *span) if span else []
    else:
        ranked = sorted(
            (k for k, n in counts.items() if k is not None and n), key=lambda k: (-counts[k], k)
        )
        keys = ranked[:limit] if limit is not None else ranked
        more = len(ranked) - len(keys)
    buckets = tuple(
        Bucket(_display(r, by, k), counts.get(k, 0), everything.get(k, 0)) for k in keys
    )
    return FacetResult(text, by, total, buckets, unknown, more)


def _display(r: Reading, by: Facet, key: str) -> str:
    return source_name(r, key) if by is Facet.source else key
