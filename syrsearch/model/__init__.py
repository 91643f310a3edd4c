"""The data that crosses a module boundary, decided once.

Frozen dataclasses and enums only, with no behaviour beyond a derived
property: what the index answers (:class:`Hit`, :class:`SearchResult`,
:class:`StoredArticle`, ...) and what a caller asks (:class:`SearchRequest`,
:class:`Filters`, :class:`SortOrder`). Dates are :class:`datetime.date`
everywhere; the output layer writes them as ISO text.

Every class defined costs start-up time, so each command defines only the
types it uses: what a search passes and answers is here; what reading the
corpus and an index run pass is in :mod:`syrsearch.model.indexing`; what
``similar`` and ``stats`` answer is in :mod:`syrsearch.model.views`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path

Span = tuple[int, int]
"""A ``[start, end)`` range of characters."""

DEFAULT_LIMIT = 10
"""Hits a search returns unless asked for another number."""
DEFAULT_SNIPPETS = 2
"""Snippets per hit of a search."""
DEFAULT_SIMILAR_SNIPPETS = 1
"""Snippets per hit of ``similar``."""
DEFAULT_KEY_TERMS = 10
"""Key terms ``similar`` picks from an article."""
DEFAULT_STATS_TERMS = 20
"""Distinctive terms ``stats`` lists."""
DEFAULT_CORPUS = Path("seeds")
"""The corpus folder of a new index, unless told otherwise."""
DEFAULT_LOCK_WAIT = 30.0
"""Seconds an index run waits for another one to finish."""
DEFAULT_MAX_EXPANSIONS = 1024
"""Index terms a prefix, wildcard or fuzzy word of a query may stand for."""
FEW_HITS = 3
"""A query with fewer hits than this gets a spelling suggestion, if there is one."""


class NamesSources:
    """Mixin for what carries ``sources``: ``source`` is the first of them."""

    __slots__ = ()
    sources: tuple[str, ...]

    @property
    def source(self) -> str | None:
        """The most specific source named (byline, dateline, credit, site)."""
        return self.sources[0] if self.sources else None


# -- text ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Snippet:
    """A piece of article text and the ranges of its highlighted words."""

    text: str
    highlights: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Match:
    """What to highlight: single index terms, and phrases as ``(terms, slop)``."""

    terms: frozenset[str] = frozenset()
    phrases: tuple[tuple[tuple[str, ...], int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)


@dataclass(frozen=True, slots=True)
class Metadata(NamesSources):
    """Facts an article states about itself; ``None`` or empty when it does not."""

    date: date | None = None
    sources: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()


# -- asking ----------------------------------------------------------------------


class SortOrder(str, Enum):
    """How hits are ordered: by relevance, or newest first."""

    score = "score"
    date = "date"


class Facet(str, Enum):
    """What ``--by`` counts matching articles by."""

    month = "month"
    week = "week"
    year = "year"
    source = "source"
    lang = "lang"
    folder = "folder"

    @property
    def is_time(self) -> bool:
        return self in (Facet.month, Facet.week, Facet.year)


@dataclass(frozen=True, slots=True)
class Filters:
    """Conditions on what the text says about an article; ``None`` = any.

    An article whose text gives no date never passes a date bound, and one
    that names no source never passes ``sources``.
    """

    since: date | None = None
    until: date | None = None
    sources: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()  # ISO 639-1 codes: articles in any of these languages

    def __bool__(self) -> bool:
        return bool(self.since or self.until or self.sources or self.langs)


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """One query and how to answer it.

    ``limit`` None means every hit. ``any_word`` matches articles with any of
    the words (natural-language mode) instead of all of them; ``expand`` (None:
    as ``any_word``) also ranks by words common in the top hits. ``fix``
    answers a spelling suggestion instead when the query finds little;
    ``count`` asks only for the total. ``max_expansions`` bounds the index
    terms a pattern or fuzzy word stands for; ``timeout`` (seconds, None: no
    limit) stops the search there, answering what it found so far; ``collapse``
    shows one hit per reprint group, the best scoring, with the others listed
    under it. ``aliases`` False turns alias groups off; ``alias_file`` is a
    user's alias file, read beside the shipped one (and the index folder's
    ``aliases.txt``). ``highlights`` False leaves the title highlights out
    (with ``snippets`` 0, a hit then needs no text but its title): for an
    output that never shows them.
    """

    text: str
    limit: int | None = DEFAULT_LIMIT
    snippets: int = DEFAULT_SNIPPETS
    any_word: bool = False
    expand: bool | None = None
    filters: Filters = field(default_factory=Filters)
    sort: SortOrder = SortOrder.score
    fix: bool = False
    count: bool = False
    max_expansions: int = DEFAULT_MAX_EXPANSIONS
    timeout: float | None = None
    collapse: bool = False
    aliases: bool = True
    alias_file: str | None = None
    highlights: bool = True


# -- answers ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reprint(NamesSources):
    """Another article of a reprint group: the same story, lightly edited."""

    id: str
    path: str
    title: str
    date: date | None = None
    sources: tuple[str, ...] = ()
    matched: bool = False  # whether it matches the query too (it is then folded in)


@dataclass(frozen=True, slots=True)
class Hit(NamesSources):
    """One matching article. ``shared`` is set for a ``similar`` hit: the key
    terms it shares with the article asked about, most characteristic first.
    ``group`` and ``reprints`` are set when hits are collapsed: the name of its
    reprint group and the group's other members, earliest first."""

    rank: int
    id: str
    path: str
    title: str
    score: float
    snippets: tuple[Snippet, ...]
    title_highlights: tuple[Span, ...] = ()
    date: date | None = None
    sources: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    shared: tuple[str, ...] | None = None
    group: str | None = None
    reprints: tuple[Reprint, ...] = ()
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Explanation:
    """How a query was read: the Whoosh query as text, each word of the query
    with the index terms it became (none: a common word left out), and notes."""

    parsed: str = ""
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    notices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The answer to one query."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    parsed: str = ""
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    notices: tuple[str, ...] = ()
    expansion: tuple[str, ...] = ()  # terms added by feedback (``expand``)
    suggestion: str | None = None  # a corrected query that finds more
    corrected: bool = False  # the hits answer ``suggestion``, not ``query``
    timed_out: bool = False  # the search stopped at its ``timeout``: hits found so far


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A corrected query and what it finds."""

    text: str
    total: int
    corrections: tuple[tuple[str, str], ...]  # (as typed, replacement)


@dataclass(frozen=True, slots=True)
class StoredArticle(NamesSources):
    """An article as the index holds it."""

    id: str
    path: str
    title: str
    body: str
    encoding: str
    date: date | None = None
    sources: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    lang: str | None = None
