"""What the views over many articles answer: ``similar``, ``stats``, ``--by``,
``related`` and reprint groups.

Kept apart from :mod:`syrsearch.model`: a search needs none of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import Facet, Hit, Reprint, StoredArticle


@dataclass(frozen=True, slots=True)
class KeyTerm:
    """A term that characterises an article."""

    term: str  # the index term (a stem)
    word: str  # the word as the article writes it most often
    weight: float


@dataclass(frozen=True, slots=True)
class SimilarResult:
    """The articles most like ``article``, each hit with its ``shared`` terms."""

    article: StoredArticle
    key_terms: tuple[KeyTerm, ...]
    total: int
    hits: tuple[Hit, ...]


@dataclass(frozen=True, slots=True)
class SourceCount:
    name: str
    articles: int


@dataclass(frozen=True, slots=True)
class TermWeight:
    """A distinctive word: how often it occurs, in how many articles."""

    word: str
    occurrences: int
    articles: int


@dataclass(frozen=True, slots=True)
class IndexStats:
    articles: int
    terms: int
    index_bytes: int
    corpus_bytes: int
    index_folder: str
    corpus: str
    dated: int = 0
    first_date: date | None = None
    last_date: date | None = None
    with_source: int = 0
    sources: tuple[SourceCount, ...] = ()
    distinctive: tuple[TermWeight, ...] = ()
    languages: tuple[SourceCount, ...] = ()  # (ISO 639-1 code, articles), most first


# -- facets and timelines ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bucket:
    """One bar: ``articles`` matching in the bucket, out of ``all`` articles
    in it (those passing the same filters). ``key`` None is the bucket of
    articles with no value (undated, no source, no language)."""

    key: str | None
    articles: int
    all: int

    @property
    def share(self) -> float | None:
        return self.articles / self.all if self.all else None


@dataclass(frozen=True, slots=True)
class FacetResult:
    """Matching articles per bucket: every bucket of the range, zeros included,
    for time; the top buckets for the others, ``more`` saying how many other
    buckets have matches. ``unknown`` counts those with no value. ``query``
    None counts every article (``stats``)."""

    query: str | None
    by: Facet
    total: int
    buckets: tuple[Bucket, ...]
    unknown: Bucket
    more: int = 0


@dataclass(frozen=True, slots=True)
class ReprintGroup:
    """An article's reprint group: its name (the smallest id) and every
    member, the article itself included, earliest dated first."""

    id: str
    group: str
    members: tuple[Reprint, ...]


# -- related names and terms ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class RelatedTerm:
    """A name or word over-represented in the articles matching a query:
    in ``matches`` of them, and in ``corpus`` articles of the whole index."""

    text: str  # as the articles write it (a name whole: "Staffan de Mistura")
    kind: str  # "name" or "term"
    matches: int
    corpus: int
    score: float


@dataclass(frozen=True, slots=True)
class RelatedResult:
    """What keeps a query company: ``total`` articles matched, out of
    ``articles``; the names and terms were picked from the best ``sample`` of
    them, and counted in all, or, where ``counted`` is not None, in that many
    of them (an even sample of the index, for a large set of matches).
    ``bucket`` is the time bucket of a ``--by`` series (None for the whole
    range)."""

    query: str
    total: int
    articles: int
    sample: int
    terms: tuple[RelatedTerm, ...]
    bucket: str | None = None
    counted: int | None = None
