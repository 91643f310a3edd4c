"""More like this: the articles most like one article, by its key terms.

Whoosh's more-like-this (``Searcher.more_like``) picks an article's key terms
with a query-expansion model and searches for them, OR-ed and weighted,
leaving the article itself out. syrsearch does the same search, over title and
body, but picks the key terms its own way, because Whoosh's Bo1 model ranks
"the", "of" and "in" first in an index with no stop list, and because the
analyzer indexes several terms per word (``=`` exact forms, ``^`` capitals,
compound parts) that would count one word several times.

A key term is the stem of a word of the article (title and body), weighted as
BM25 weights it in a search: how often the article uses it, saturating, times
its inverse document frequency. Function words (:data:`FUNCTION_WORDS`),
numbers and words no other article has are never key terms. Each is shown as the article
writes it most often (``negoti`` -> ``negotiations``), and each hit lists the
key terms it shares with the article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from whoosh import query as wq

from .analysis import Word, stem, word_terms, words
from .indexer import IndexHandle, doc_frequency, term_text, unpack_body
from .query import TITLE_BOOST
from .search import (
    BM25_B,
    BM25_K1,
    DEFAULT_LIMIT,
    Hit,
    StoredArticle,
    body_snippets,
    idf,
    resolve_id,
    stored_facts,
    weighting,
)
from .snippets import Match, matched_spans

DEFAULT_TERMS = 10

# English function words: frequent everywhere, so never what makes two
# articles alike. Only key-term selection skips them; every word is indexed.
_FUNCTION_WORDS = """
    a about above after again against all also although am among an and another any
    are around as at be because been before being below between both but by can
    could did do does doing down during each either else even ever every few for from
    further had has have having he her here hers herself him himself his how however
    i if in into is it its itself just least less many me might mine more most much
    must my myself neither no nor not now of off often on once one only onto or other
    others otherwise our ours ourselves out over own per perhaps quite rather same
    shall she should since so some such than that the their theirs them themselves
    then there these they this those though through thus till to too toward towards
    under until up upon very via was we were what whatever when whenever where
    whereas whether which while who whom whose why will with within without would
    yet you your yours yourself yourselves said say says saying told
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
_POSSESSIVE = re.compile("['\u2019\u02bc][sS]$")


@dataclass(frozen=True, slots=True)
class KeyTerm:
    """A term that characterises an article."""

    term: str  # the index term (a stem)
    word: str  # the word as the article writes it most often
    weight: float


@dataclass(frozen=True, slots=True)
class SimilarHit:
    """An article like the one asked about, and the key terms they share."""

    hit: Hit
    shared: tuple[str, ...]  # KeyTerm.word, most characteristic first


@dataclass(frozen=True, slots=True)
class SimilarResult:
    """The articles most like ``article``."""

    article: StoredArticle
    key_terms: tuple[KeyTerm, ...]
    total: int
    hits: tuple[SimilarHit, ...]


@cache
def _function_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in FUNCTION_WORDS)


def key_terms(reader: Any, title: str, body: str, count: int = DEFAULT_TERMS) -> list[KeyTerm]:
    """The ``count`` terms that most characterise an article with this text,
    among those another article of the index also has."""
    title_words, body_words = list(words(title)), list(words(body))
    tf: Counter[str] = Counter(stem(w.text) for w in title_words + body_words)
    # Body first: a title's Capitalised Words lose a tie with the body's.
    readable = _readable(
        (stem(w.text), text[w.start : w.end])
        for text, ws in ((body, body_words), (title, title_words))
        for w in ws
    )
    in_title, in_body = _terms_of(title_words), _terms_of(body_words)
    n = reader.doc_count_all()
    avg_length = (reader.field_length("body") + reader.field_length("title")) / max(n, 1)
    # In index terms, as Whoosh counts field lengths (several per word).
    length = sum(len(word_terms(w)) for w in title_words + body_words)
    length_norm = 1 - BM25_B + BM25_B * length / max(avg_length, 1)
    scored = []
    for term, freq in tf.items():
        if len(term) < 2 or term.isdigit() or term in _function_stems():
            continue
        df_body = doc_frequency(reader, "body", term)
        df_title = doc_frequency(reader, "title", term)
        others = max(df_body - (term in in_body), df_title - (term in in_title))
        if others < 1:
            continue
        weight = idf(n, df_body or df_title) * freq * (BM25_K1 + 1) / (freq + BM25_K1 * length_norm)
        scored.append(KeyTerm(term, readable[term], weight))
    scored.sort(key=lambda k: (-k.weight, k.term))
    return scored[:count]


def similar(
    handle: IndexHandle,
    ident: str,
    *,
    limit: int | None = DEFAULT_LIMIT,
    terms: int = DEFAULT_TERMS,
    snippets: int = 1,
) -> SimilarResult:
    """The articles most like the one ``ident`` names (as ``show`` resolves it),
    best first, the article itself left out."""
    article = resolve_id(handle, ident)
    with handle.ix.searcher(weighting=weighting()) as searcher:
        reader = searcher.reader()
        keys = key_terms(reader, article.title, article.body, terms)
        if not keys:
            return SimilarResult(article, (), 0, ())
        q = wq.Or(
            [
                wq.Term(fieldname, k.term, boost=k.weight * boost)
                for k in keys
                for fieldname, boost in (("title", TITLE_BOOST), ("body", 1.0))
            ]
        )
        # Not a search mask, as Whoosh's more_like uses: a limited search
        # would still count the masked article in the total.
        q = wq.AndNot(q, wq.Term("id", article.id))
        results = searcher.search(q, limit=limit, terms=True)
        hits = []
        for rank, hit in enumerate(results, 1):
            matched = {term_text(t) for _, t in hit.matched_terms()}
            shared = [k for k in keys if k.term in matched]
            hits.append(_similar_hit(handle, rank, hit, shared, snippets))
        return SimilarResult(article, tuple(keys), len(results), tuple(hits))


def _similar_hit(
    handle: IndexHandle, rank: int, hit: Any, shared: list[KeyTerm], snippets: int
) -> SimilarHit:
    stored = hit.fields()
    title, body = stored.get("title", ""), unpack_body(stored)
    match = Match(frozenset(k.term for k in shared))
    found = Hit(
        rank=rank,
        id=stored["id"],
        path=handle.article_path(stored["path"]),
        title=title,
        score=float(hit.score or 0.0),
        snippets=tuple(body_snippets(body, match, snippets)),
        title_highlights=tuple(matched_spans(title, match)),
        **stored_facts(stored),
    )
    return SimilarHit(found, tuple(k.word for k in shared))


def _readable(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """stem -> the form the text uses most often (the first of equals)."""
    forms: dict[str, Counter[str]] = {}
    for term, raw in pairs:
        forms.setdefault(term, Counter())[_POSSESSIVE.sub("", raw)] += 1
    return {term: counts.most_common(1)[0][0] for term, counts in forms.items()}


def _terms_of(ws: list[Word]) -> set[str]:
    return {t for w in ws for t in word_terms(w)}
