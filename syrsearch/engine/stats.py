"""What an index holds: counts, size, dates, sources, distinctive terms.

Everything is read from the index's term lists and columns, never from the
stored articles one by one, so it stays quick on a large corpus.
"""

from __future__ import annotations

import heapq
import math
import os
from datetime import date
from pathlib import Path

from whoosh.query import Every, Term, TermRange

from ..model import DEFAULT_STATS_TERMS
from ..model.views import IndexStats, SourceCount, TermWeight
from ..text.metadata import source_key
from ..text.stopwords import FUNCTION_STEMS
from ..text.words import CAPS, EXACT, stem
from .index import Index, Reading
from .lexicon import Lexicon, term_text
from .schema import LANG_FIELD, SEARCH_FIELDS

TOP_SOURCES = 10
"""Sources listed, most articles first."""


def _folder_bytes(folder: Path) -> int:
    """The bytes of the files under ``folder``. A writer's temporary file or
    folder may go between the listing and its ``stat``: it is not counted
    (``os.walk`` skips a folder it cannot list)."""
    total = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def index_stats(
    index: Index, *, top_terms: int = DEFAULT_STATS_TERMS, top_sources: int = TOP_SOURCES
) -> IndexStats:
    """Counts and summaries of the live index."""
    with index.reading() as r:
        lexicon = r.lexicon
        articles = r.reader.doc_count()
        words = {
            text
            for fieldname in SEARCH_FIELDS
            for text in lexicon.terms(fieldname)
            if not text.startswith((EXACT, CAPS))
        }
        corpus_bytes = 0
        if r.reader.doc_count_all():  # an empty index has no columns
            stamps = r.reader.column_reader("stamp")
            corpus_bytes = sum(
                int(term_text(stamps[d]).split(":", 1)[0] or 0) for d in r.reader.all_doc_ids()
            )
        # Counted through queries, which skip deleted articles; term statistics do not.
        live = [d for d in lexicon.terms("date") if _count(r, Term("date", d))]
        dated = _count(r, TermRange("date", None, None))
        source_counts = sorted(
            (-_count(r, Term("source", key)), key) for key in lexicon.terms("source")
        )
        sources = tuple(
            SourceCount(source_name(r, key), -n) for n, key in source_counts[:top_sources] if n
        )
        with_source = _count(r, Every("source"))
        lang_counts = sorted((-_count(r, Term(LANG_FIELD, c)), c) for c in lexicon.languages())
        languages = tuple(SourceCount(code, -n) for n, code in lang_counts if n)
        distinctive = _distinctive(lexicon, articles, top_terms)
    return IndexStats(
        articles=articles,
        terms=len(words),
        index_bytes=_folder_bytes(index.generation),
        corpus_bytes=corpus_bytes,
        index_folder=str(index.folder),
        corpus=str(index.corpus),
        dated=dated,
        first_date=date.fromisoformat(live[0]) if live else None,
        last_date=date.fromisoformat(live[-1]) if live else None,
        with_source=with_source,
        sources=sources,
        distinctive=distinctive,
        languages=languages,
    )


def _count(r: Reading, q: object) -> int:
    return sum(1 for _ in r.searcher.docs_for_query(q))


def source_name(r: Reading, key: str) -> str:
    """The source as one of its articles writes it."""
    for docnum in r.searcher.docs_for_query(Term("source", key)):
        meta = r.searcher.stored_fields(docnum).get("meta") or {}
        for name in meta.get("sources", ()):
            if source_key(name) == key:
                return str(name)
    return key


def _distinctive(lexicon: Lexicon, articles: int, top: int) -> tuple[TermWeight, ...]:
    """Words with the highest collection tf-idf (occurrences x log(N/df)) in
    the body, among those in at least two articles and not in most of them."""
    if articles == 0 or top <= 0:
        return ()
    scored = []
    for text, weight, df in lexicon.terms_with_stats("body"):
        if (
            text.startswith((EXACT, CAPS))
            or not text.isalpha()
            or text in FUNCTION_STEMS
            or df < 2
            or df > articles / 2
        ):
            continue
        scored.append((weight * math.log(articles / df), text, weight, df))
    best = heapq.nlargest(top, scored)
    return tuple(TermWeight(_surface(lexicon, text), n, df) for _, text, n, df in best)


def _surface(lexicon: Lexicon, stemmed: str) -> str:
    """The commonest written form of a stem (``negoti`` -> ``negotiations``).

    Articles writing the stem itself (``talk``) have no exact-form term, so
    they are the ones the exact forms do not account for.
    """
    forms: dict[str, int] = {}
    # A stem need not be a prefix of its words (says -> sai), but all but its
    # last letter is.
    prefix = EXACT + stemmed[: max(2, len(stemmed) - 1)]
    for term in lexicon.expand_prefix("body", prefix):
        form = term[len(EXACT) :]
        if stem(form) == stemmed:
            forms[form] = lexicon.doc_frequency("body", term)
    literal = lexicon.doc_frequency("body", stemmed) - sum(forms.values())
    best = max(forms, key=lambda f: (forms[f], f), default=stemmed)
    return stemmed if literal >= forms.get(best, 0) else best
