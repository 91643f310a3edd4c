"""Export: every indexed article as JSON lines, or as Elasticsearch/OpenSearch
``_bulk`` NDJSON with a matching index mapping.

The documents carry the same fields the index stores, so a corpus that
outgrows one machine can move to a distributed engine unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..model import StoredArticle
from .records import article_dict, dumps
from .terminal import ExportFormat

__all__ = ["ExportFormat", "bulk_lines", "export_lines", "index_mapping", "jsonl_lines"]


def jsonl_lines(articles: Iterable[StoredArticle]) -> Iterator[str]:
    """One JSON object per article."""
    for article in articles:
        yield dumps(article_dict(article)) + "\n"


def bulk_lines(articles: Iterable[StoredArticle], index_name: str) -> Iterator[str]:
    """``_bulk`` action/document pairs: ``{"index": {...}}`` then the document."""
    for article in articles:
        action = {"index": {"_index": index_name, "_id": article.id}}
        yield dumps(action) + "\n"
        yield dumps(article_dict(article)) + "\n"


def export_lines(
    articles: Iterable[StoredArticle], fmt: ExportFormat, index_name: str
) -> Iterator[str]:
    return jsonl_lines(articles) if fmt is ExportFormat.jsonl else bulk_lines(articles, index_name)


def index_mapping() -> dict[str, Any]:
    """Settings and mappings for ``PUT /<index>`` that mirror syrsearch's analysis:
    ASCII folding, apostrophe-possessive removal, hyphenated words kept whole
    and split, English stemming, no stop words."""
    return {
        "settings": {
            "analysis": {
                "filter": {
                    "syrsearch_compounds": {
                        "type": "word_delimiter_graph",
                        "catenate_words": True,
                        "preserve_original": False,
                        "split_on_case_change": False,
                        "split_on_numerics": False,
                        "stem_english_possessive": True,
                    },
                    "syrsearch_stemmer": {"type": "stemmer", "language": "porter"},
                },
                "analyzer": {
                    "syrsearch": {
                        "type": "custom",
                        "tokenizer": "whitespace",
                        "filter": [
                            "syrsearch_compounds",
                            "lowercase",
                            "asciifolding",
                            "syrsearch_stemmer",
                        ],
                    }
                },
            }
        },
        "mappings": {
            "properties": {
                "id": {"type": "keyword"},
                "path": {"type": "keyword"},
                "title": {"type": "text", "analyzer": "syrsearch"},
                "body": {"type": "text", "analyzer": "syrsearch"},
                "encoding": {"type": "keyword"},
                "date": {"type": "date", "format": "strict_date"},
                "source": {"type": "keyword"},
                "sources": {"type": "keyword"},
                "urls": {"type": "keyword"},
                "lang": {"type": "keyword"},
            }
        },
    }
