"""Related names and terms: what is over-represented where a query matches.

As Elasticsearch's ``significant_text`` under a sampler: the candidates are
the names (:mod:`syrsearch.text.entities`, stored at index time, kept whole) and
the words written in lower case of the best :data:`SAMPLE` matches, by score.
Each is weighed by JLH, the score ``significant_terms`` uses by default:
``(fg - bg) * fg / bg``, where ``fg`` is the share of the matching articles
that have it and ``bg`` the share of the whole index. The best candidates by
their share of the sample are then counted exactly in every match, and ranked
on those counts. The query's own words, function words and numbers are left
out, and so is a name made of a query word (``Sergei Lavrov`` for ``Lavrov``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from whoosh.query import Term

from ..model import Facet, Filters
from ..model.views import RelatedResult, RelatedTerm
from ..text.entities import name_key
from ..text.metadata import content_spans
from ..text.stopwords import FUNCTION_STEMS
from ..text.words import normalize, stem, words
from .facets import base_docs, bucketer
from .index import Index, Reading
from .query import build_query
from .ranking import top_docs
from .schema import SEARCH_FIELDS, stored_body
from .search import filter_query

SAMPLE = 100
"""The best-scoring matches whose names and words are the candidates (as
Elasticsearch's ``sampler`` aggregation, whose default is 100)."""
DEFAULT_RELATED = 20
"""Names and terms listed."""
CANDIDATES = 3
"""Candidates counted exactly, per name or term listed."""
MIN_LENGTH = 3
"""Shorter words are never related terms."""
MIN_SAMPLE_DOCS = 3
"""A candidate is in at least this many articles of the sample (as
Elasticsearch's ``min_doc_count``), unless the sample is small."""
_LOWER_WORD = re.compile(r"(?<![\w'\u2019-])[^\W\d_]+(?![\w'\u2019-])")
"""A plain word, not part of a hyphenated, possessive or alphanumeric one."""
NAME = "name"
TERM = "term"


class _Candidates:
    """Names and terms of a sample of articles, with the forms they take."""

    def __init__(self, excluded: set[str], excluded_words: set[str]) -> None:
        self.df: Counter[tuple[str, str]] = Counter()
        self.forms: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.excluded = excluded
        self.excluded_words = excluded_words

    def add(self, stored: dict[str, Any]) -> None:
        seen: set[tuple[str, str]] = set()
        for name in (stored.get("meta") or {}).get("names", ()):
            key = name_key(name)
            if self.excluded_words.intersection(key.split()):
                continue
            seen.add((NAME, key))
            self.forms[(NAME, key)][name] += 1
        body = stored_body(stored)
        raw_words = {w for a, b in content_spans(body) for w in _LOWER_WORD.findall(body, a, b)}
        for raw in raw_words:
            if not raw[0].islower() or len(raw) < MIN_LENGTH:
                continue
            word = normalize(raw)
            term = stem(word)
            if term in FUNCTION_STEMS or term in self.excluded:
                continue
            seen.add((TERM, term))
            self.forms[(TERM, term)][word] += 1
        self.df.update(seen)


def _jlh(fg: int, fg_total: int, bg: int, bg_total: int) -> float:
    if not fg or not fg_total or not bg_total:
        return 0.0
    fg_share = fg / fg_total
    bg_share = max(bg, fg) / bg_total
    return (fg_share - bg_share) * fg_share / bg_share if fg_share > bg_share else 0.0


def _query_words(text: str) -> tuple[set[str], set[str]]:
    """The stems and the normalised forms of the query's words."""
    normalised = {w.text for w in words(text)} | {p for w in words(text) for p in w.parts}
    return {stem(w) for w in normalised}, normalised | {normalize(w) for w in normalised}


def related(
    index: Index,
    text: str,
    *,
    filters: Filters | None = None,
    any_word: bool = False,
    limit: int | None = DEFAULT_RELATED,
    sample: int = SAMPLE,
) -> RelatedResult:
    """The names and terms most over-represented in the articles matching ``text``."""
    with index.reading() as r:
        q, matched = _matches(r, text, filters or Filters(), any_word)
        ranked = [hit.docnum for hit in top_docs(r.searcher, q, sample, _options(filters))]
        ranked = [d for d in ranked if d in matched]
        return _related(r, text, matched, ranked, limit)


def related_by(
    index: Index,
    text: str,
    by: Facet,
    *,
    filters: Filters | None = None,
    any_word: bool = False,
    limit: int | None = 5,
    sample: int = SAMPLE // 4,
) -> list[RelatedResult]:
    """:func:`related` for each time bucket of ``by`` with matches, oldest first."""
    if not by.is_time:
        raise ValueError("related --by takes a time facet")
    with index.reading() as r:
        q, matched = _matches(r, text, filters or Filters(), any_word)
        ranked = [hit.docnum for hit in top_docs(r.searcher, q, None, _options(filters))]
        bucket_of = bucketer(r, by)
        per: dict[str | None, list[int]] = defaultdict(list)
        for d in ranked:
            if d in matched:
                (key,) = bucket_of([d])
                per[key].append(d)
        out = []
        for key in sorted(per, key=lambda k: (k is None, k or "")):
            docs = per[key]
            result = _related(r, text, set(docs), docs[:sample], limit)
            out.append(_with_bucket(result, key))
        return out


def _with_bucket(result: RelatedResult, key: str | None) -> RelatedResult:
    from dataclasses import replace

    return replace(result, bucket=key)


def _options(filters: Filters | None) -> dict[str, Any]:
    q = filter_query(filters) if filters else None
    return {} if q is None else {"filter": q}


def _matches(r: Reading, text: str, filters: Filters, any_word: bool) -> tuple[Any, set[int]]:
    tr = build_query(text, r.lexicon, SEARCH_FIELDS, any_word=any_word)
    base = base_docs(r, filters)
    return tr.query, base.intersection(r.searcher.docs_for_query(tr.query))


def _related(
    r: Reading, text: str, matched: set[int], sample: Sequence[int], limit: int | None
) -> RelatedResult:
    articles = r.reader.doc_count()
    stems, normalised = _query_words(text)
    candidates = _Candidates(stems, normalised)
    for d in sample:
        candidates.add(r.searcher.stored_fields(d))
    n = len(sample)
    least = MIN_SAMPLE_DOCS if n >= 20 else 2 if n >= 5 else 1
    corpus = {key: _corpus_df(r, key) for key, df in candidates.df.items() if df >= least}
    first = sorted(
        (
            (-_jlh(candidates.df[key], n, corpus[key], articles), key)
            for key in corpus
            if _jlh(candidates.df[key], n, corpus[key], articles) > 0
        ),
    )
    wanted = len(first) if limit is None else limit * CANDIDATES
    counted = []
    for _, key in first[:wanted]:
        fg = _exact(r, key, matched) if n < len(matched) else candidates.df[key]
        score = _jlh(fg, len(matched), corpus[key], articles)
        if score > 0:
            form = candidates.forms[key].most_common(1)[0][0]
            counted.append(RelatedTerm(form, key[0], fg, max(corpus[key], fg), round(score, 4)))
    counted.sort(key=lambda t: (-t.score, t.text))
    terms = tuple(counted if limit is None else counted[:limit])
    return RelatedResult(text, len(matched), articles, n, terms)


def _field(key: tuple[str, str]) -> str:
    return "entities" if key[0] == NAME else "body"


def _corpus_df(r: Reading, key: tuple[str, str]) -> int:
    return r.lexicon.doc_frequency(_field(key), key[1])


def _exact(r: Reading, key: tuple[str, str], matched: set[int]) -> int:
    return len(matched.intersection(r.searcher.docs_for_query(Term(_field(key), key[1]))))
