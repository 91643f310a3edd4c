"""Related names and terms: what is over-represented where a query matches.

As Elasticsearch's ``significant_text`` under a sampler: the candidates are
the names (:mod:`syrsearch.text.entities`, stored at index time, kept whole) and
the words written in lower case of the best :data:`SAMPLE` matches, by score.
Each is weighed by JLH, the score ``significant_terms`` uses by default:
``(fg - bg) * fg / bg``, where ``fg`` is the share of the matching articles
that have it and ``bg`` the share of the whole index. The best candidates by
their share of the sample are then counted exactly in every match, and ranked
on those counts; where that would read more than :data:`POSTINGS_BUDGET`
postings (common candidates of a large index), they are counted in the
matches of an even sample of the index instead, and the answer says how many
matches that is. The matches and the sample come from one scoring pass. The
query's own words, function words and numbers are left out, and so is a name
made of a query word (``Sergei Lavrov`` for ``Lavrov``).
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from whoosh import collectors
from whoosh.reading import TermNotFound

from ..model import Facet, Filters
from ..model.views import RelatedResult, RelatedTerm
from ..text.entities import name_key
from ..text.lang import DEFAULT_LANG
from ..text.metadata import content_spans
from ..text.stopwords import FUNCTION_STEMS
from ..text.words import accented, normalize, stem, words
from .facets import bucketer
from .index import Index, Reading
from .postings import CompactLeafMatcher, unwrapped
from .query import build_query
from .query.bounds import Scored, doc_scores, matcher_ids
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
_RUN = re.compile(r"[\w'\u2019-]+")
"""A run of word characters, apostrophes and hyphens: a related term is a
run made of letters alone (not part of a hyphenated, possessive or
alphanumeric word)."""
_LETTERS = re.compile(r"[^\W\d_]+")
POSTINGS_BUDGET = 100_000
"""Postings read, at most, to count the listed candidates in every match
(about a tenth of a second); beyond it they are counted in the matches of an
even sample of the index (:class:`Windows`), and the answer says in how many."""
WINDOWS = 64
"""Stretches of the index that sample spreads over."""
NAME = "name"
TERM = "term"


Key = tuple[str, str]
"""A candidate: its kind (:data:`NAME` or :data:`TERM`) and its index term."""
_UNSEEN = object()


class _Candidates:
    """Names and terms of a sample of articles, with the forms they take.

    A word's fate (left out, or the term and form it gives) is worked out
    once per sample, not once per article: most words of a sample recur."""

    def __init__(self, excluded: set[str], excluded_words: set[str]) -> None:
        self.df: Counter[Key] = Counter()
        self.forms: Counter[tuple[Key, str]] = Counter()
        self.excluded = excluded
        self.excluded_words = excluded_words
        self._excluded_in: dict[str, set[str]] = {}  # other languages' stems of the query
        self._words: dict[str, dict[str, Any]] = {}  # by the language of the article
        self._names: dict[str, Any] = {}
        self._best: dict[Key, str] | None = None

    def add(self, stored: dict[str, Any]) -> None:
        found: list[tuple[Key, str]] = []
        lang = stored.get("lang") or DEFAULT_LANG  # the language its words were indexed in
        names, words_ = self._names, self._words.setdefault(lang, {})
        for name in (stored.get("meta") or {}).get("names", ()):
            entry = names.get(name, _UNSEEN)
            if entry is _UNSEEN:
                entry = names[name] = self._name(name)
            if entry is not None:
                found.append(entry)
        body = stored_body(stored)
        raw_words: dict[str, None] = {}
        for a, b in content_spans(body):
            raw_words.update(dict.fromkeys(_RUN.findall(body, a, b)))
        for raw in raw_words:
            entry = words_.get(raw, _UNSEEN)
            if entry is _UNSEEN:
                entry = words_[raw] = self._term(raw, lang)
            if entry is not None:
                found.append(entry)
        self.forms.update(found)
        self.df.update({key for key, _ in found})

    def _name(self, name: str) -> tuple[Key, str] | None:
        key = name_key(name)
        if self.excluded_words.intersection(key.split()):
            return None
        return (NAME, key), name

    def _term(self, raw: str, lang: str = DEFAULT_LANG) -> tuple[Key, str] | None:
        if len(raw) < MIN_LENGTH or not raw[0].islower():
            return None
        if raw.isascii():  # the common case: normalize() would only lower it
            if not raw.isalpha():
                return None
            word = raw.lower()
        elif _LETTERS.fullmatch(raw):
            word = normalize(raw)
        else:
            return None
        # the stem the index has for it: an article's words are stemmed in its language
        term = stem(word) if lang == DEFAULT_LANG else stem(word, lang, accented(raw))
        if term in FUNCTION_STEMS or term in self._excluded(lang):
            return None
        return (TERM, term), word

    def _excluded(self, lang: str) -> set[str]:
        """The stems of the query's words, as an article in ``lang`` has them."""
        if lang == DEFAULT_LANG:
            return self.excluded
        if lang not in self._excluded_in:
            stems = {stem(w, lang) for w in self.excluded_words}
            self._excluded_in[lang] = self.excluded | stems
        return self._excluded_in[lang]

    def form(self, key: Key) -> str:
        """The form ``key`` takes most often in the sample (the first seen of equals)."""
        if self._best is None:
            self._best = {}
            most: dict[Key, int] = {}
            for (k, form), n in self.forms.items():
                if n > most.get(k, 0):
                    self._best[k], most[k] = form, n
        return self._best[key]


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
        ranked, matched = _ranked(r, text, filters, any_word, sample)
        return _related(r, text, matched, ranked, limit, _Counts(r))


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
        ranked, _ = _ranked(r, text, filters, any_word, None)
        bucket_of = bucketer(r, by)
        per: dict[str | None, list[int]] = defaultdict(list)
        for d in ranked:
            (key,) = bucket_of([d])
            per[key].append(d)
        out = []
        counts = _Counts(r)  # a candidate's articles read once for every bucket
        for key in sorted(per, key=lambda k: (k is None, k or "")):
            docs = per[key]
            result = _related(r, text, set(docs), docs[:sample], limit, counts)
            out.append(_with_bucket(result, key))
        return out


def _with_bucket(result: RelatedResult, key: str | None) -> RelatedResult:
    from dataclasses import replace

    return replace(result, bucket=key)


class _TopAndAll(collectors.TopCollector):  # type: ignore[misc]
    """The best ``limit`` matches, ranked exactly as :func:`.ranking.top_docs`
    ranks them, and every match, in one pass."""

    def _collect(self, global_docnum: int, score: float) -> Any:
        self.docset.add(global_docnum)
        return super()._collect(global_docnum, score)


def _ranked(
    r: Reading, text: str, filters: Filters | None, any_word: bool, limit: int | None
) -> tuple[list[int], set[int]]:
    """The best ``limit`` matches (every one, if None), best first, and all
    the matches, those that pass ``filters``."""
    q = build_query(text, r.lexicon, SEARCH_FIELDS, any_word=any_word).query
    allow = filter_query(filters) if filters else None
    if (
        limit is not None
        and allow is None
        and isinstance(q, Scored)
        and not r.searcher.weighting.use_final  # final scores are a collector's
    ):
        return _best_and_all(r, q, limit)
    collector: Any = (
        collectors.UnlimitedCollector()
        if limit is None
        else _TopAndAll(limit, usequality=False, replace=0)
    )
    top = collector
    if allow is not None:
        collector = collectors.FilterCollector(collector, allow=allow)
    r.searcher.search_with_collector(q, collector)
    return [hit.docnum for hit in collector.results()], top.docset


def _best_and_all(r: Reading, q: Scored, limit: int) -> tuple[list[int], set[int]]:
    """What :class:`_TopAndAll` collects for ``q``, from its scores
    (:func:`~.query.bounds.doc_scores`, segment by segment) without a call
    per match: the best ``limit`` by score, of equals the first, and all."""
    searcher = r.searcher
    context = searcher.context()  # as the search gives a collector
    scores: dict[int, float] = {}
    for sub, offset in searcher.leaf_searchers():
        found = doc_scores(q.child, sub, context, q.deadline)
        scores.update({d + offset: s for d, s in found.items()} if offset else found)
    best = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0]))
    return [d for d, _ in best], set(scores)


def _related(
    r: Reading,
    text: str,
    matched: set[int],
    sample: Sequence[int],
    limit: int | None,
    counts: _Counts,
) -> RelatedResult:
    articles = r.reader.doc_count()
    stems, normalised = _query_words(text)
    candidates = _Candidates(stems, normalised)
    for d in sample:
        candidates.add(r.searcher.stored_fields(d))
    n = len(sample)
    least = MIN_SAMPLE_DOCS if n >= 20 else 2 if n >= 5 else 1
    corpus = counts.corpus([key for key, df in candidates.df.items() if df >= least])
    first = sorted(
        (
            (-_jlh(candidates.df[key], n, corpus[key], articles), key)
            for key in corpus
            if _jlh(candidates.df[key], n, corpus[key], articles) > 0
        ),
    )
    wanted = len(first) if limit is None else limit * CANDIDATES
    keys = [key for _, key in first[:wanted]]
    if n < len(matched):
        fg_of, counted = counts.count(keys, matched, sum(corpus[k] for k in keys))
    else:  # the sample is every match: counted already
        fg_of, counted = {k: candidates.df[k] for k in keys}, len(matched)
    listed = []
    for key in keys:
        fg = fg_of[key]
        score = _jlh(fg, counted, corpus[key], articles)
        if score > 0:
            form = candidates.form(key)
            listed.append(RelatedTerm(form, key[0], fg, max(corpus[key], fg), round(score, 4)))
    listed.sort(key=lambda t: (-t.score, t.text))
    terms = tuple(listed if limit is None else listed[:limit])
    every = counted == len(matched)
    return RelatedResult(text, len(matched), articles, n, terms, counted=None if every else counted)


def _field(key: tuple[str, str]) -> str:
    return "entities" if key[0] == NAME else "body"


class _Counts:
    """How many matches have each candidate: all of them, or, where that
    would read more than :data:`POSTINGS_BUDGET` postings, those of an even
    sample of the index (:data:`WINDOWS` stretches of document numbers
    spread over it, each the same share of its part), said in the answer."""

    def __init__(self, r: Reading) -> None:
        self.r = r
        self.docs: dict[Key, set[int]] = {}
        self._corpus: dict[Key, int] = {}

    def corpus(self, keys: Sequence[Key]) -> dict[Key, int]:
        """The articles of the index with each of ``keys`` (each looked up
        once for every bucket of ``related --by``)."""
        known = self._corpus
        for kind in (NAME, TERM):
            unread = [k for k in dict.fromkeys(keys) if k[0] == kind and k not in known]
            if unread:
                field = _field(unread[0])
                counts = self.r.lexicon.doc_frequencies(field, [k[1] for k in unread])
                known.update(zip(unread, counts, strict=True))
        return {k: known[k] for k in keys}

    def count(
        self, keys: Sequence[Key], matched: set[int], postings: int
    ) -> tuple[dict[Key, int], int]:
        """Each key's matches, and the number of matches they were counted in."""
        unread = sum(1 for k in keys if k not in self.docs)
        if postings <= POSTINGS_BUDGET or unread == 0:
            return {k: len(matched.intersection(self._docs(k))) for k in keys}, len(matched)
        windows = Windows(self.r.reader.doc_count_all(), POSTINGS_BUDGET / postings)
        inside = [d for d in matched if windows.has(d)]
        parts = []  # each segment, its offset, and its matches inside the windows
        for sub, offset in self.r.searcher.leaf_searchers():
            size = sub.reader().doc_count_all()
            local = {d - offset for d in inside if offset <= d < offset + size}
            parts.append((sub.reader(), offset, size, local))
        return {k: self._in_windows(k, windows, parts) for k in keys}, len(inside)

    def _docs(self, key: Key) -> set[int]:
        """The articles with ``key``, its postings read a block at a time
        where they can be."""
        if key not in self.docs:
            field, text = _field(key), key[1]
            docs: set[int] = set()
            for reader, offset in self.r.reader.leaf_readers():
                try:  # one look-up of the term, not two
                    postings = reader.postings(field, text)
                except TermNotFound:
                    continue
                docs.update(map(offset.__add__, matcher_ids(postings)))
            self.docs[key] = docs
        return self.docs[key]

    def _in_windows(
        self, key: Key, windows: Windows, parts: list[tuple[Any, int, int, set[int]]]
    ) -> int:
        """The matches with ``key`` inside ``windows``: only the postings of
        the windows are read (the others are skipped block by block), a
        block at a time where the postings allow it."""
        field, text = _field(key), key[1]
        n = 0
        for reader, offset, size, local in parts:
            if not local or (field, text) not in reader:
                continue
            m = unwrapped(reader.postings(field, text))[0]  # deleted articles are never matches
            for low, high in windows.ranges:
                low, high = low - offset, high - offset
                if high <= 0:
                    continue
                if low >= size or not m.is_active():
                    break
                if m.id() < low:
                    m.skip_to(low)
                if isinstance(m, CompactLeafMatcher):
                    while m.is_active() and m.id() < high:
                        n += len(local.intersection(m.block_ids()))
                        m.next_block()
                    continue
                while m.is_active() and m.id() < high:
                    if m.id() in local:
                        n += 1
                    m.next()
        return n


class Windows:
    """:data:`WINDOWS` stretches of the document numbers ``0 .. size - 1``:
    the first ``share`` of each of as many equal parts."""

    def __init__(self, size: int, share: float) -> None:
        starts = sorted({i * size // WINDOWS for i in range(WINDOWS)} - {size})
        ends = [*starts[1:], size]
        share = min(max(share, 0.0), 1.0)
        self.starts = starts
        self.ranges = [
            (a, a + max(math.ceil((b - a) * share), 1)) for a, b in zip(starts, ends, strict=True)
        ]

    def has(self, docnum: int) -> bool:
        j = bisect_right(self.starts, docnum) - 1
        return j >= 0 and docnum < self.ranges[j][1]
