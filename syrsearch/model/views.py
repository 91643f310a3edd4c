"""What the views over many articles answer: ``similar`` and ``stats``.

Kept apart from :mod:`syrsearch.model`: a search needs none of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import Hit, StoredArticle


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
