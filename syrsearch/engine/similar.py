"""More like this: the articles most like one article, by the whole of its text.

An article is a vector of its words (stems, over title and body), each
weighted by TF-IDF: ``(1 + log tf) * log(N / df)``. Function words
(:data:`~syrsearch.text.stopwords.FUNCTION_STEMS`), anything with a digit
(``2005``, ``106m``) and words no other article has are left out. Two
articles are as similar as the cosine of their vectors: 1 for the same text,
0 for no word in common. Measured on BBC Sport (``bench/similar.py``), this
finds an article of the same sport more often than a plain TF-IDF cosine or
Whoosh's ``more_like``.

Comparing with every article would read the whole index, so the candidates
are found first by a search, the way Whoosh's ``more_like`` and Lucene's
MoreLikeThis do: the article's :data:`CANDIDATE_TERMS` heaviest words, OR-ed,
each boosted by its weight, over title and body (BM25); the best
:data:`CANDIDATE_POOL` of them are then ranked by cosine, read from their
stored text. The key terms shown are the article's heaviest words, and each
hit lists the words that weigh most in its cosine, each shown as the article
writes it most often (``negoti`` -> ``negotiations``).
"""

from __future__ import annotations

import math
import re
import weakref
from collections import Counter
from collections.abc import Iterable
from typing import Any

from whoosh import query as wq

from ..model import DEFAULT_KEY_TERMS, DEFAULT_LIMIT, DEFAULT_SIMILAR_SNIPPETS, Match
from ..model.views import KeyTerm, SimilarResult
from ..text.lang import DEFAULT_LANG
from ..text.stopwords import FUNCTION_STEMS
from ..text.words import CAPS, EXACT, POSSESSIVE, stem, term_positions, words
from .index import Index
from .lexicon import Lexicon
from .query import TITLE_BOOST
from .schema import stored_body
from .search import make_hit, resolve_id

CANDIDATE_TERMS = 40
"""Heaviest words of the article searched for to find candidates."""
CANDIDATE_POOL = 50
"""Candidates ranked by cosine (more if more hits are asked for)."""


class _Weights:
    """TF-IDF weights of terms in one open index; each idf asked for once."""

    def __init__(
        self, lexicon: Lexicon, cache: dict[str, float] | None = None, *, lang: str = DEFAULT_LANG
    ) -> None:
        self._lexicon = lexicon
        self.lang = lang
        self._n = max(lexicon.doc_count(), 1)
        self._idf: dict[str, float] = {} if cache is None else cache

    def idf(self, term: str) -> float:
        """log(N / df) of a word's stem; 0 for a term that is not one (see
        :func:`_is_word_stem`) or that fewer than two articles have."""
        found = self._idf.get(term)
        if found is None:
            found = 0.0
            if _is_word_stem(term):
                # A title's words are nearly always in a body too: one lookup.
                df = self._lexicon.doc_frequency("body", term)
                if df < 2:
                    df = max(df, self._lexicon.doc_frequency("title", term))
                found = math.log(self._n / df) if df >= 2 else 0.0
            self._idf[term] = found
        return found

    def vector(self, text: str) -> dict[str, float]:
        """The unit TF-IDF vector of a text."""
        weights = {}
        known, idf_of, log = self._idf, self.idf, math.log
        for term, positions in term_positions(text, self.lang).items():
            idf = known.get(term)
            if idf is None:
                idf = idf_of(term)
            if idf:
                weights[term] = (1 + log(len(positions))) * idf
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}


_IDF_CACHES: weakref.WeakKeyDictionary[Index, tuple[Any, dict[str, float]]] = (
    weakref.WeakKeyDictionary()
)


def _idf_cache(index: Index, reader: Any, lang: str = DEFAULT_LANG) -> dict[str, float]:
    """The idf values asked for on this index so far, while it is unchanged
    (a library user asking for many articles' neighbours looks each up once)."""
    state = (index.version(), reader.doc_count_all(), lang)
    known = _IDF_CACHES.get(index)
    if known is None or known[0] != state:
        known = (state, {})
        _IDF_CACHES[index] = known
    return known[1]


_DIGIT = re.compile(r"\d")


def _is_word_stem(term: str) -> bool:
    """A stem of a word with no digit (``2005``, ``106m``), not a function word."""
    return (
        len(term) >= 2
        and not term.startswith((EXACT, CAPS))
        and _DIGIT.search(term) is None
        and term not in FUNCTION_STEMS
    )


def _article_text(title: str, body: str) -> str:
    return f"{title}\n{body}"


def key_terms(
    lexicon: Lexicon,
    title: str,
    body: str,
    count: int = DEFAULT_KEY_TERMS,
    lang: str = DEFAULT_LANG,
) -> list[KeyTerm]:
    """The ``count`` heaviest words of an article with this text (its TF-IDF
    weights, in language ``lang``), among those another article of the index
    also has."""
    return _key_terms(_Weights(lexicon, lang=lang), title, body, count)


def _key_terms(weights: _Weights, title: str, body: str, count: int) -> list[KeyTerm]:
    vector = weights.vector(_article_text(title, body))
    best = sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:count]
    readable = _readable_forms(title, body, weights.lang)
    return [KeyTerm(term, readable.get(term, term), weight) for term, weight in best]


def _readable_forms(title: str, body: str, lang: str = DEFAULT_LANG) -> dict[str, str]:
    return _readable(
        (stem(w.text, lang, w.form), text[w.start : w.end])
        for text in (body, title)  # body first: a title's Capitalised Words lose a tie
        for w in words(text)
    )


def similar(
    index: Index,
    ident: str,
    *,
    limit: int | None = DEFAULT_LIMIT,
    terms: int = DEFAULT_KEY_TERMS,
    snippets: int = DEFAULT_SIMILAR_SNIPPETS,
) -> SimilarResult:
    """The articles most like the one ``ident`` names (as ``show`` resolves it),
    best first, the article itself left out; each hit's score is its cosine
    similarity (0 to 1) and its ``shared`` the ``terms`` words that weigh most
    in it (as the article writes them)."""
    with index.reading() as r:
        article = resolve_id(index, ident)
        lang = article.lang or DEFAULT_LANG
        weights = _Weights(r.lexicon, _idf_cache(index, r.reader, lang), lang=lang)
        vector = weights.vector(_article_text(article.title, article.body))
        keys = _key_terms(weights, article.title, article.body, terms)
        if not vector:
            return SimilarResult(article, (), 0, ())
        heaviest = sorted(vector.items(), key=lambda item: (-item[1], item[0]))
        q = wq.Or(
            [
                wq.Term(fieldname, term, boost=weight * boost)
                for term, weight in heaviest[: max(CANDIDATE_TERMS, terms)]
                for fieldname, boost in (("title", TITLE_BOOST), ("body", 1.0))
            ]
        )
        # Not a search mask, as Whoosh's more_like uses: a limited search
        # would still count the masked article in the total.
        q = wq.AndNot(q, wq.Term("id", article.id))
        pool = CANDIDATE_POOL if limit is None else max(CANDIDATE_POOL, limit)
        results = r.searcher.search(q, limit=pool)
        total = len(results)
        ranked = []
        for hit in results:
            stored = r.searcher.stored_fields(hit.docnum)
            other = weights.vector(_article_text(stored.get("title", ""), stored_body(stored)))
            cosine = sum(w * other.get(t, 0.0) for t, w in vector.items())
            ranked.append((-cosine, stored["id"], hit.docnum, other))
        ranked.sort()
        readable = _readable_forms(article.title, article.body)
        hits = []
        for rank, (negated, _, docnum, other) in enumerate(ranked[:limit], 1):
            # What they share: the words that weigh most in their cosine.
            common = sorted((-w * other[t], t) for t, w in vector.items() if t in other)
            shared = [t for _, t in common if t in readable][:terms]
            match = Match(frozenset(shared))
            words_shared = tuple(readable[t] for t in shared)
            score = round(-negated, 4)
            hits.append(make_hit(r, rank, docnum, score, match, match, snippets, words_shared))
        return SimilarResult(article, tuple(keys), total, tuple(hits))


def _readable(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """stem -> the form the text uses most often (the first of equals)."""
    forms: dict[str, Counter[str]] = {}
    for term, raw in pairs:
        forms.setdefault(term, Counter())[POSSESSIVE.sub("", raw)] += 1
    return {term: counts.most_common(1)[0][0] for term, counts in forms.items()}
