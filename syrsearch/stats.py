"""What an index holds: counts, size, dates, sources, distinctive terms.

Everything is read from the index's term lists and columns, never from the
stored articles one by one, so it stays quick on a large corpus.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.query import Every, Term, TermRange

from .analysis import CAPS, EXACT, stem
from .indexer import SEARCH_FIELDS, IndexHandle, term_text

TOP_TERMS = 20
# Function words are frequent everywhere, never distinctive.
STOP_WORDS = frozenset({
    "a", "about", "after", "again", "against", "all", "also", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "between", "both", "but", "by",
    "can", "could", "did", "do", "does", "during", "each", "few", "for", "from", "further",
    "had", "has", "have", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in",
    "into", "is", "it", "its", "just", "more", "most", "my", "no", "nor", "not", "now",
    "of", "off", "on", "once", "only", "or", "other", "our", "out", "over", "own", "same",
    "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "through", "to", "too", "under", "until",
    "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
    "whom", "why", "will", "with", "would", "you", "your", "said", "sai", "says",
})  # fmt: skip
TOP_SOURCES = 10
_STOP_STEMS = frozenset(stem(w) for w in STOP_WORDS) | STOP_WORDS


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
    first_date: str | None = None
    last_date: str | None = None
    with_source: int = 0
    sources: tuple[SourceCount, ...] = ()
    distinctive: tuple[TermWeight, ...] = field(default_factory=tuple)


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def index_stats(
    handle: IndexHandle, *, top_terms: int = TOP_TERMS, top_sources: int = TOP_SOURCES
) -> IndexStats:
    """Counts and summaries of the live index of ``handle``."""
    with handle.ix.searcher() as searcher:
        reader = searcher.reader()
        articles = reader.doc_count()
        words: set[str] = set()
        for fieldname in SEARCH_FIELDS:
            for term in reader.lexicon(fieldname):
                text = term_text(term)
                if not text.startswith((EXACT, CAPS)):
                    words.add(text)
        corpus_bytes = 0
        stamps = reader.column_reader("stamp")
        for docnum in reader.all_doc_ids():
            corpus_bytes += int(term_text(stamps[docnum]).split(":", 1)[0] or 0)
        # Counted through queries, which skip deleted articles; term statistics do not.
        dates = [term_text(t) for t in reader.lexicon("date")]
        live = [d for d in dates if any(True for _ in searcher.docs_for_query(Term("date", d)))]
        dated = sum(1 for _ in searcher.docs_for_query(TermRange("date", None, None)))
        source_counts = sorted(
            (-len(list(searcher.docs_for_query(Term("source", key)))), key)
            for key in (term_text(t) for t in reader.lexicon("source"))
        )
        sources = tuple(
            SourceCount(_source_name(searcher, key), -n)
            for n, key in source_counts[:top_sources]
            if n
        )
        with_source = sum(1 for _ in searcher.docs_for_query(Every("source")))
        distinctive = _distinctive(reader, articles, top_terms)
    gen = Path(handle.ix.storage.folder)
    return IndexStats(
        articles=articles,
        terms=len(words),
        index_bytes=_folder_bytes(gen),
        corpus_bytes=corpus_bytes,
        index_folder=str(handle.folder),
        corpus=str(handle.corpus),
        dated=dated,
        first_date=live[0] if live else None,
        last_date=live[-1] if live else None,
        with_source=with_source,
        sources=sources,
        distinctive=distinctive,
    )


def _source_name(searcher: object, key: str) -> str:
    """The source as one of its articles writes it."""
    for docnum in searcher.docs_for_query(Term("source", key)):  # type: ignore[attr-defined]
        meta = searcher.stored_fields(docnum).get("meta") or {}  # type: ignore[attr-defined]
        for name in meta.get("sources", ()):
            if "".join(c for c in name.casefold() if c.isalnum()) == key:
                return str(name)
    return key


def _distinctive(reader: object, articles: int, top: int) -> tuple[TermWeight, ...]:
    """Words with the highest collection tf-idf (occurrences x log(N/df)) in
    the body, among those in at least two articles and not in most of them."""
    if articles == 0 or top <= 0:
        return ()
    scored = []
    for term, info in reader.iter_field("body"):  # type: ignore[attr-defined]
        text = term_text(term)
        df = info.doc_frequency()
        if (
            text.startswith((EXACT, CAPS))
            or not text.isalpha()
            or text in _STOP_STEMS
            or df < 2
            or df > articles / 2
        ):
            continue
        weight = info.weight()
        scored.append((weight * math.log(articles / df), text, int(weight), df))
    best = heapq.nlargest(top, scored)
    return tuple(TermWeight(_surface(reader, text), n, df) for _, text, n, df in best)


def _surface(reader: object, stemmed: str) -> str:
    """The commonest written form of a stem (``negoti`` -> ``negotiations``).

    Articles writing the stem itself (``talk``) have no exact-form term, so
    they are the ones the exact forms do not account for.
    """
    forms: dict[str, int] = {}
    # A stem need not be a prefix of its words (says -> sai), but all but its
    # last letter is.
    prefix = EXACT + stemmed[: max(2, len(stemmed) - 1)]
    for term in reader.expand_prefix("body", prefix):  # type: ignore[attr-defined]
        form = term_text(term)[len(EXACT) :]
        if stem(form) == stemmed:
            forms[form] = reader.doc_frequency("body", term_text(term))  # type: ignore[attr-defined]
    literal = reader.doc_frequency("body", stemmed) - sum(forms.values())  # type: ignore[attr-defined]
    best = max(forms, key=lambda f: (forms[f], f), default=stemmed)
    return stemmed if literal >= forms.get(best, 0) else best
