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
    "open_index": "syrsearch.indexer",
    "update_index": "syrsearch.indexer",
    "search": "syrsearch.search",
    "similar": "syrsearch.similar",
    "suggest": "syrsearch.suggest",
    "search_with_suggestion": "syrsearch.suggest",
    "index_stats": "syrsearch.stats",
    "extract": "syrsearch.metadata",
    "Filters": "syrsearch.search",
    "SortOrder": "syrsearch.search",
    "Hit": "syrsearch.search",
    "SearchResult": "syrsearch.search",
    "StoredArticle": "syrsearch.search",
    "IndexReport": "syrsearch.indexer",
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
    "CorpusError",
    "ExitCode",
    "Filters",
    "Hit",
    "IndexDamagedError",
    "IndexLockedError",
    "IndexMissingError",
    "IndexReport",
    "IndexWriteError",
    "QueryError",
    "SearchResult",
    "SortOrder",
    "StoredArticle",
    "SyrsearchError",
    "UnknownIdError",
    "__version__",
    "extract",
    "index_stats",
    "open_index",
    "search",
    "search_with_suggestion",
    "similar",
    "suggest",
    "update_index",
]

if TYPE_CHECKING:  # pragma: no cover
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
    from .indexer import IndexReport, open_index, update_index
    from .metadata import extract
    from .search import Filters, Hit, SearchResult, SortOrder, StoredArticle, search
    from .similar import similar
    from .stats import index_stats
    from .suggest import search_with_suggestion, suggest


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'syrsearch' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
