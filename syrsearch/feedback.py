"""Pseudo-relevance feedback: words from the top-ranked articles, to rank by.

The articles a query ranks first tend to share words the query did not use
(``truce`` and ``hostilities`` beside ``ceasefire``). :func:`expansion_terms`
picks them with the Bo1 model of Amati's divergence from randomness: a word
scores by how much more often it appears in those articles than its frequency
in the whole index predicts, so a word common everywhere is not picked. The
defaults are Terrier's (3 articles, 10 words, each in at least 2 of them).

:func:`expansion_query` turns the words into an optional part of the query,
weighted so that they carry as much as the query's own words, as RM3 combines
them (weight 0.5). Optional: the expanded query ranks the same articles, and
never matches one that the query itself does not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from math import log2
from typing import Any

from whoosh import query as wq

from .analysis import CAPS, EXACT, stem, term_positions
from .metadata import content_spans
from .query import STOP_WORDS

FEEDBACK_DOCS = 3
"""Top articles the words are taken from."""
FEEDBACK_TERMS = 10
"""Words added."""
FEEDBACK_MIN_DOCS = 2
"""A word is added only if at least this many of those articles have it."""
FEEDBACK_SHARE = 0.5
"""The share of the expanded query's weight on the added words."""

_SKIP = frozenset(stem(w) for w in STOP_WORDS)


def feedback_text(title: str, body: str) -> str:
    """What an article says, less the site chrome around it."""
    return "\n".join([title, *(body[a:b] for a, b in content_spans(body))])


def expansion_terms(
    reader: Any, texts: Sequence[str], fields: Sequence[str]
) -> list[tuple[str, float]]:
    """The best :data:`FEEDBACK_TERMS` index terms of ``texts`` (the top
    articles), with their Bo1 weights, best first."""
    in_top: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    for text in texts:
        counts = {
            term: len(positions)
            for term, positions in term_positions(text).items()
            if term[0] not in (EXACT, CAPS) and term.isalpha() and term not in _SKIP
        }
        in_top.update(counts)
        docs.update(counts.keys())
    doc_count = max(1, reader.doc_count_all())
    weights = []
    for term, tf in in_top.items():
        if docs[term] < FEEDBACK_MIN_DOCS:
            continue
        everywhere = max(tf, sum(reader.frequency(f, term) for f in fields))
        expected = everywhere / doc_count
        weights.append((term, tf * log2((1 + expected) / expected) + log2(1 + expected)))
    weights.sort(key=lambda pair: (-pair[1], pair[0]))
    return weights[:FEEDBACK_TERMS]


def expansion_query(
    terms: Sequence[tuple[str, float]], query_words: int, field_boosts: dict[str, float]
) -> Any:
    """An OR of ``terms`` over the fields, weighted to carry
    :data:`FEEDBACK_SHARE` of a query of ``query_words`` words; None if no terms."""
    total = sum(weight for _, weight in terms)
    if not terms or total <= 0:
        return None
    scale = FEEDBACK_SHARE / (1 - FEEDBACK_SHARE) * max(1, query_words) / total
    return wq.Or(
        [
            wq.Term(field, term, boost=weight * scale * boost)
            for term, weight in terms
            for field, boost in field_boosts.items()
        ]
    )
