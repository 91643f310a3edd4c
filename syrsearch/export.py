"""Export: every indexed article as JSON lines, or as Elasticsearch/OpenSearch
``_bulk`` NDJSON with a matching index mapping.

The documents carry the same fields the index stores, so a corpus that
outgrows one machine can move to a distributed engine unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .indexer import IndexHandle
from .output import article_dict
from .search import iter_articles


def jsonl_lines(handle: IndexHandle) -> Iterator[str]:
    """One JSON object per article, ordered by id."""
    for article in iter_articles(handle):
        yield json.dumps(article_dict(article), ensure_ascii=False) + "\n"


def bulk_lines(handle: IndexHandle, index_name: str) -> Iterator[str]:
    """``_bulk`` action/document pairs: ``{"index": {...}}`` then the document."""
    for article in iter_articles(handle):
        action = {"index": {"_index": index_name, "_id": article.id}}
        yield json.dumps(action, ensure_ascii=False) + "\n"
        yield json.dumps(article_dict(article), ensure_ascii=False) + "\n"


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
            }
        },
    }
