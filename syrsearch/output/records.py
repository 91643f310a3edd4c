"""The machine-readable records: one owner for every JSON object and TSV row.

What a script reads is an interface, kept stable (see the README's
"Scripting"): the hit object, the result object, an article, ``stats``, the
index run's report, ``--explain``, a batch line. Dates are ISO text or
``None``; TSV values have tab, newline, carriage return and backslash escaped.

Article text must not drive the terminal of whoever reads a record (``jq -r``,
``cat results.tsv``): every control character (C0, DEL, C1 such as the
one-byte CSI U+009B), every invisible formatting character (bidi overrides
and isolates, zero-width characters, U+2028/U+2029) is written escaped: in
JSON as ``\\uXXXX``, in TSV as ``\\xHH`` or ``\\uXXXX``. Both are lossless.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from ..model import Explanation, Hit, Reprint, SearchResult, Snippet, StoredArticle

if TYPE_CHECKING:  # only annotations: a search need not define them
    from ..model.indexing import IndexReport
    from ..model.views import (
        Bucket,
        FacetResult,
        IndexStats,
        RelatedResult,
        RelatedTerm,
        ReprintGroup,
        SimilarResult,
    )


# Unicode's Cc and Cf characters and the line and paragraph separators
# (tests/test_reliability.py checks this against unicodedata).
UNSEEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def dumps(obj: Any) -> str:
    """``obj`` as one line of JSON, UTF-8 text kept, every control and
    invisible formatting character as a ``\\u`` escape. (``json.dumps``
    escapes only C0; what it writes outside strings is ASCII, so the
    characters matched here are all inside strings.)"""
    return UNSEEN.sub(_json_escape, json.dumps(obj, ensure_ascii=False))


def _tsv_escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _TSV_NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_TSV_NAMED = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_TSV_UNSAFE = re.compile(f"\\\\|{UNSEEN.pattern}")


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def tsv_field(value: object) -> str:
    """A TSV value: backslash, tab, newline and carriage return as ``\\\\``,
    ``\\t``, ``\\n``, ``\\r``; other unseen characters as ``\\xHH``, ``\\uXXXX``."""
    return _TSV_UNSAFE.sub(_tsv_escape, str(value))


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
    if hit.group is not None:
        data["group"] = hit.group
        data["reprints"] = [reprint_dict(p) for p in hit.reprints]
    return data


def reprint_dict(reprint: Reprint) -> dict[str, Any]:
    """A member of a reprint group."""
    return {
        "id": reprint.id,
        "path": reprint.path,
        "title": reprint.title,
        "date": iso(reprint.date),
        "source": reprint.source,
        "matched": reprint.matched,
    }


def reprint_group_dict(group: ReprintGroup) -> dict[str, Any]:
    """``show ID --reprints`` as JSON."""
    return {
        "id": group.id,
        "group": group.group,
        "members": [reprint_dict(p) for p in group.members],
    }


REPRINT_HEADER = ("id", "date", "source", "title", "path")


def reprint_row(reprint: Reprint) -> tuple[object, ...]:
    return (reprint.id, iso(reprint.date) or "", reprint.source or "", reprint.title, reprint.path)


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


# -- CSV -------------------------------------------------------------------------


_CSV_UNSAFE = re.compile(f"(?![\t\n\r]){UNSEEN.pattern}")


def csv_field(value: object) -> object:
    """A CSV value: unseen characters as in TSV (``\\xHH``, ``\\uXXXX``), but
    tab, newline and carriage return kept, in a quoted field."""
    if value is None:
        return ""
    return _CSV_UNSAFE.sub(_tsv_escape, value) if isinstance(value, str) else value


def csv_rows(rows: Iterable[tuple[object, ...]], out: IO[str]) -> None:
    """RFC 4180 records: CRLF line ends, fields quoted when they need it,
    control and invisible formatting characters escaped (:func:`csv_field`)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(tuple(csv_field(v) for v in row) for row in rows)


HIT_HEADER = ("rank", "score", "id", "title", "path", "date", "source")
"""The columns of a hit row (``similar`` adds ``shared_terms``)."""


def hit_header(shared: bool = False) -> tuple[str, ...]:
    """The names of :func:`hit_row`'s columns."""
    return HIT_HEADER + (("shared_terms",) if shared else ()) + ("lang",)


# -- facets ------------------------------------------------------------------------

BUCKET_HEADER = ("bucket", "articles", "all", "share")


def share_text(share: float | None) -> str:
    return "" if share is None else f"{share:.4f}"


def bucket_dict(bucket: Bucket) -> dict[str, Any]:
    share = bucket.share
    return {
        "bucket": bucket.key,
        "articles": bucket.articles,
        "all": bucket.all,
        "share": None if share is None else round(share, 4),
    }


def facet_buckets(result: FacetResult) -> list[Bucket]:
    """The buckets in row order: the named ones, then those with no value
    (when the corpus has any)."""
    return [*result.buckets, *((result.unknown,) if result.unknown.all else ())]


def bucket_row(bucket: Bucket) -> tuple[object, ...]:
    return (bucket.key or "", bucket.articles, bucket.all, share_text(bucket.share))


def facet_dict(result: FacetResult) -> dict[str, Any]:
    """``--by`` as one JSON object."""
    return {
        "query": result.query,
        "by": result.by.value,
        "total": result.total,
        "buckets": [bucket_dict(b) for b in result.buckets],
        "unknown": bucket_dict(result.unknown),
        "more": result.more,
    }


# -- related -----------------------------------------------------------------------

RELATED_HEADER = ("text", "kind", "matches", "corpus", "score")


def related_term_dict(term: RelatedTerm) -> dict[str, Any]:
    return {
        "text": term.text,
        "kind": term.kind,
        "matches": term.matches,
        "corpus": term.corpus,
        "score": term.score,
    }


def related_row(term: RelatedTerm) -> tuple[object, ...]:
    return (term.text, term.kind, term.matches, term.corpus, f"{term.score:.4f}")


def related_dict(result: RelatedResult) -> dict[str, Any]:
    """``related`` as one JSON object (one per bucket with ``--by``)."""
    data: dict[str, Any] = {"query": result.query, "bucket": result.bucket}
    data.update(
        {
            "total": result.total,
            "articles": result.articles,
            "sample": result.sample,
            "counted": result.total if result.counted is None else result.counted,
            "related": [related_term_dict(t) for t in result.terms],
        }
    )
    return data
