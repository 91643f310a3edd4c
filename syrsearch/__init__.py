"""syrsearch: full-text search over a folder of news articles.

The public API. Names are loaded on first use, so ``import syrsearch`` (and a
command that only prints its help) does not import the search engine::

    from pathlib import Path
    import syrsearch

    syrsearch.update_index(Path("seeds"), Path("index"))
    index = syrsearch.open_index(Path("index"))
    for hit in syrsearch.search(index, "ceasefire").hits:
        print(hit.rank, hit.id, hit.title)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "open_index": "syrsearch.engine.index",
    "update_index": "syrsearch.engine.indexer",
    "search": "syrsearch.engine.search",
    "similar": "syrsearch.engine.similar",
    "suggest": "syrsearch.engine.suggest",
    "search_with_suggestion": "syrsearch.app",
    "index_stats": "syrsearch.engine.stats",
    "extract": "syrsearch.text.metadata",
    "facet": "syrsearch.engine.facets",
    "facets": "syrsearch.engine.facets",
    "related": "syrsearch.engine.related",
    "related_by": "syrsearch.engine.related",
    "reprint_group": "syrsearch.engine.reprints",
    "find_names": "syrsearch.text.entities",
    "Facet": "syrsearch.model",
    "Reprint": "syrsearch.model",
    "Bucket": "syrsearch.model.views",
    "FacetResult": "syrsearch.model.views",
    "RelatedResult": "syrsearch.model.views",
    "RelatedTerm": "syrsearch.model.views",
    "ReprintGroup": "syrsearch.model.views",
    "Filters": "syrsearch.model",
    "SortOrder": "syrsearch.model",
    "Hit": "syrsearch.model",
    "SearchResult": "syrsearch.model",
    "StoredArticle": "syrsearch.model",
    "IndexReport": "syrsearch.model.indexing",
    "Index": "syrsearch.engine.index",
    "SearchRequest": "syrsearch.model",
    "Snippet": "syrsearch.model",
    "Explanation": "syrsearch.model",
    "Suggestion": "syrsearch.model",
    "SimilarResult": "syrsearch.model.views",
    "KeyTerm": "syrsearch.model.views",
    "IndexStats": "syrsearch.model.views",
    "Metadata": "syrsearch.model",
    "run_query": "syrsearch.app",
    "QueryOutcome": "syrsearch.app",
    "ExitCode": "syrsearch.errors",
    "SyrsearchError": "syrsearch.errors",
    "CorpusError": "syrsearch.errors",
    "IndexMissingError": "syrsearch.errors",
    "IndexDamagedError": "syrsearch.errors",
    "IndexWriteError": "syrsearch.errors",
    "IndexLockedError": "syrsearch.errors",
    "QueryError": "syrsearch.errors",
    "UnknownIdError": "syrsearch.errors",
}

__all__ = [
    "Bucket",
    "CorpusError",
    "ExitCode",
    "Explanation",
    "Facet",
    "FacetResult",
    "Filters",
    "Hit",
    "Index",
    "IndexDamagedError",
    "IndexLockedError",
    "IndexMissingError",
    "IndexReport",
    "IndexStats",
    "IndexWriteError",
    "KeyTerm",
    "Metadata",
    "QueryError",
    "QueryOutcome",
    "RelatedResult",
    "RelatedTerm",
    "Reprint",
    "ReprintGroup",
    "SearchRequest",
    "SearchResult",
    "SimilarResult",
    "Snippet",
    "SortOrder",
    "StoredArticle",
    "Suggestion",
    "SyrsearchError",
    "UnknownIdError",
    "__version__",
    "extract",
    "facet",
    "facets",
    "find_names",
    "index_stats",
    "open_index",
    "related",
    "related_by",
    "reprint_group",
    "run_query",
    "search",
    "search_with_suggestion",
    "similar",
    "suggest",
    "update_index",
]

if TYPE_CHECKING:  # pragma: no cover
    from .app import QueryOutcome, run_query, search_with_suggestion
    from .engine.facets import facet, facets
    from .engine.index import Index, open_index
    from .engine.indexer import update_index
    from .engine.related import related, related_by
    from .engine.reprints import reprint_group
    from .engine.search import search
    from .engine.similar import similar
    from .engine.stats import index_stats
    from .engine.suggest import suggest
    from .errors import (
        CorpusError,
        ExitCode,
        IndexDamagedError,
        IndexLockedError,
        IndexMissingError,
        IndexWriteError,
        QueryError,
        SyrsearchError,
        UnknownIdError,
    )
    from .model import (
        Explanation,
        Facet,
        Filters,
        Hit,
        Metadata,
        Reprint,
        SearchRequest,
        SearchResult,
        Snippet,
        SortOrder,
        StoredArticle,
        Suggestion,
    )
    from .model.indexing import IndexReport
    from .model.views import (
        Bucket,
        FacetResult,
        IndexStats,
        KeyTerm,
        RelatedResult,
        RelatedTerm,
        ReprintGroup,
        SimilarResult,
    )
    from .text.entities import find_names
    from .text.metadata import extract


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'syrsearch' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
