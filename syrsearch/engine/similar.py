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
its inverse document frequency. Function words (:data:`~syrsearch.text.stopwords.FUNCTION_WORDS`),
numbers and words no other article has are never key terms. Each is shown as the article
writes it most often (``negoti`` -> ``negotiations``), and each hit lists the
key terms it shares with the article.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from whoosh import query as wq

from ..model import DEFAULT_KEY_TERMS, DEFAULT_LIMIT, DEFAULT_SIMILAR_SNIPPETS, Match
from ..model.views import KeyTerm, SimilarResult
from ..text.lang import DEFAULT_LANG
from ..text.stopwords import FUNCTION_STEMS
from ..text.words import POSSESSIVE, Word, stem, word_terms, words
from .index import Index
from .lexicon import Lexicon, term_text
from .query import TITLE_BOOST
from .ranking import BM25_B, BM25_K1, idf
from .search import make_hit, resolve_id


def key_terms(
    lexicon: Lexicon,
    title: str,
    body: str,
    count: int = DEFAULT_KEY_TERMS,
    lang: str = DEFAULT_LANG,
) -> list[KeyTerm]:
    """The ``count`` terms that most characterise an article with this text
    (in language ``lang``), among those another article of the index also has."""
    title_words, body_words = list(words(title)), list(words(body))
    tf: Counter[str] = Counter(stem(w.text, lang, w.form) for w in title_words + body_words)
    # Body first: a title's Capitalised Words lose a tie with the body's.
    readable = _readable(
        (stem(w.text, lang, w.form), text[w.start : w.end])
        for text, ws in ((body, body_words), (title, title_words))
        for w in ws
    )
    in_title, in_body = _terms_of(title_words, lang), _terms_of(body_words, lang)
    n = lexicon.doc_count()
    avg_length = (lexicon.field_length("body") + lexicon.field_length("title")) / max(n, 1)
    # In index terms, as Whoosh counts field lengths (several per word).
    length = sum(len(word_terms(w, lang)) for w in title_words + body_words)
    length_norm = 1 - BM25_B + BM25_B * length / max(avg_length, 1)
    scored = []
    for term, freq in tf.items():
        if len(term) < 2 or term.isdigit() or term in FUNCTION_STEMS:
            continue
        df_body = lexicon.doc_frequency("body", term)
        df_title = lexicon.doc_frequency("title", term)
        others = max(df_body - (term in in_body), df_title - (term in in_title))
        if others < 1:
            continue
        weight = idf(n, df_body or df_title) * freq * (BM25_K1 + 1) / (freq + BM25_K1 * length_norm)
        scored.append(KeyTerm(term, readable[term], weight))
    scored.sort(key=lambda k: (-k.weight, k.term))
    return scored[:count]


def similar(
    index: Index,
    ident: str,
    *,
    limit: int | None = DEFAULT_LIMIT,
    terms: int = DEFAULT_KEY_TERMS,
    snippets: int = DEFAULT_SIMILAR_SNIPPETS,
) -> SimilarResult:
    """The articles most like the one ``ident`` names (as ``show`` resolves it),
    best first, the article itself left out; each hit's ``shared`` lists the
    key terms it has."""
    with index.reading() as r:
        article = resolve_id(index, ident)
        lang = article.lang or DEFAULT_LANG
        keys = key_terms(r.lexicon, article.title, article.body, terms, lang)
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
        results = r.searcher.search(q, limit=limit, terms=True)
        hits = []
        for rank, hit in enumerate(results, 1):
            matched = {term_text(t) for _, t in hit.matched_terms()}
            shared = [k for k in keys if k.term in matched]
            match = Match(frozenset(k.term for k in shared))
            score = float(hit.score or 0.0)
            words_shared = tuple(k.word for k in shared)
            hits.append(make_hit(r, rank, hit.docnum, score, match, match, snippets, words_shared))
        return SimilarResult(article, tuple(keys), len(results), tuple(hits))


def _readable(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """stem -> the form the text uses most often (the first of equals)."""
    forms: dict[str, Counter[str]] = {}
    for term, raw in pairs:
        forms.setdefault(term, Counter())[POSSESSIVE.sub("", raw)] += 1
    return {term: counts.most_common(1)[0][0] for term, counts in forms.items()}


def _terms_of(ws: list[Word], lang: str) -> set[str]:
    return {t for w in ws for t in word_terms(w, lang)}
