"""The machine-readable records: one owner for every JSON object and TSV row.

What a script reads is an interface, kept stable (see the README's
"Scripting"): the hit object, the result object, an article, ``stats``, the
index run's report, ``--explain``, a batch line. Dates are ISO text or
``None``; TSV values have tab, newline, carriage return and backslash escaped.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from ..model import Explanation, Hit, SearchResult, Snippet, StoredArticle

if TYPE_CHECKING:  # only annotations: a search need not define them
    from ..model.indexing import IndexReport
    from ..model.views import IndexStats, SimilarResult


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def tsv_field(value: object) -> str:
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def tsv_row(values: tuple[object, ...]) -> str:
    return "\t".join(tsv_field(v) for v in values) + "\n"


def snippet_dict(snippet: Snippet) -> dict[str, Any]:
    return {"text": snippet.text, "highlights": [list(span) for span in snippet.highlights]}


def hit_dict(hit: Hit) -> dict[str, Any]:
    """The stable JSON object of one hit (see README, "Scripting"); a
    ``similar`` hit has its ``shared_terms`` too."""
    data = {
        "rank": hit.rank,
        "id": hit.id,
        "path": hit.path,
        "title": hit.title,
        "score": round(hit.score, 4),
        "snippets": [snippet_dict(s) for s in hit.snippets],
        "title_highlights": [list(span) for span in hit.title_highlights],
        "date": iso(hit.date),
        "source": hit.source,
        "sources": list(hit.sources),
        "urls": list(hit.urls),
        "lang": hit.lang,
    }
    if hit.shared is not None:
        data["shared_terms"] = list(hit.shared)
    return data


def hit_row(hit: Hit) -> tuple[object, ...]:
    """The TSV columns of one hit, then its language; a ``similar`` hit has
    its shared terms before the language (columns are only ever added last)."""
    row: tuple[object, ...] = (
        hit.rank, f"{hit.score:.4f}", hit.id, hit.title, hit.path, iso(hit.date) or "",
        hit.source or "",
    )  # fmt: skip
    if hit.shared is not None:
        row += (",".join(hit.shared),)
    return (*row, hit.lang or "")


def result_dict(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "total": result.total,
        "hits": [hit_dict(h) for h in result.hits],
        "suggestion": result.suggestion,
    }


def count_dict(result: SearchResult, *, fixed: bool) -> dict[str, Any]:
    """``--count`` as JSON: with ``--fix``, which suggestion the total counts."""
    data: dict[str, Any] = {"query": result.query, "total": result.total}
    if fixed:
        data["suggestion"] = result.suggestion
    return data


def article_dict(article: StoredArticle) -> dict[str, Any]:
    """The stable JSON object of one stored article (``show``, ``export``)."""
    return {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "body": article.body,
        "encoding": article.encoding,
        "date": iso(article.date),
        "sources": list(article.sources),
        "urls": list(article.urls),
        "source": article.source,
        "lang": article.lang,
    }


def article_row(article: StoredArticle) -> tuple[object, ...]:
    return (
        article.id, article.title, article.path, iso(article.date) or "", article.source or "",
        article.lang or "",
    )  # fmt: skip


def similar_dict(result: SimilarResult) -> dict[str, Any]:
    return {
        "id": result.article.id,
        "path": result.article.path,
        "title": result.article.title,
        "key_terms": [k.word for k in result.key_terms],
        "total": result.total,
        "hits": [hit_dict(h) for h in result.hits],
    }


def stats_dict(stats: IndexStats) -> dict[str, Any]:
    """The stable JSON object of ``syrsearch stats`` (see README)."""
    return {
        "index": stats.index_folder,
        "corpus": stats.corpus,
        "articles": stats.articles,
        "terms": stats.terms,
        "index_bytes": stats.index_bytes,
        "corpus_bytes": stats.corpus_bytes,
        "dates": {
            "dated": stats.dated,
            "first": iso(stats.first_date),
            "last": iso(stats.last_date),
        },
        "sources": {
            "articles": stats.with_source,
            "top": [{"name": s.name, "articles": s.articles} for s in stats.sources],
        },
        "distinctive_terms": [
            {"word": t.word, "occurrences": t.occurrences, "articles": t.articles}
            for t in stats.distinctive
        ],
        "languages": [{"lang": s.name, "articles": s.articles} for s in stats.languages],
    }


def report_dict(report: IndexReport) -> dict[str, Any]:
    """``syrsearch index --json``."""
    return {
        "added": report.added,
        "updated": report.updated,
        "removed": report.removed,
        "unchanged": report.unchanged,
        "skipped": [{"path": p, "reason": r} for p, r in report.skipped],
        "warnings": [{"path": p, "warning": w} for p, w in report.warnings],
        "rebuilt": report.rebuilt,
        "articles": report.total,
        "seconds": round(report.seconds, 3),
    }


def explanation_dict(query: str, explanation: Explanation) -> dict[str, Any]:
    """``--explain`` as JSON."""
    return {
        "query": query,
        "parsed": explanation.parsed,
        "words": [{"word": w, "terms": list(forms)} for w, forms in explanation.words],
        "notices": list(explanation.notices),
    }
