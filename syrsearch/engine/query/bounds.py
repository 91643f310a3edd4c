"""The limits that keep any query cheap, as Lucene and Elasticsearch bound theirs.

* a fuzzy word (``word~N``) is at most :data:`MAX_FUZZY_DISTANCE` edits away;
  a phrase's slop (``"a b"~N``) at most :data:`MAX_SLOP`;
* a prefix, wildcard or fuzzy word stands for at most ``max_expansions`` index
  terms (:data:`~syrsearch.model.DEFAULT_MAX_EXPANSIONS`), found by one pass
  over the term list, never once per document;
* a boost (``word^N``) is clamped to ``[0,`` :data:`MAX_BOOST` ``]``;
* a query of more than :data:`MAX_CLAUSES` words and operators is searched
  as any of its words (its first :data:`MAX_CLAUSES` of them), and one nested
  more than :data:`MAX_DEPTH` levels is refused.

Each limit that applies adds a notice, which ``--explain`` shows.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import matching
from whoosh import query as wq

from ...text.words import CAPS, EXACT
from ..lexicon import Lexicon

MAX_FUZZY_DISTANCE = 2
"""Edits a fuzzy word may be away (``Lavrof~``: 1; ``Lavrof~9`` is read as 2)."""
MAX_SLOP = 50
"""Positions the words of a phrase may be apart (``"a b"~N``)."""
MAX_BOOST = 100.0
"""The largest boost (``word^N``); a negative one is read as 0."""
MAX_CLAUSES = 256
"""Words and operators a query may have before it is searched as ``--any``."""
MAX_DEPTH = 32
"""Levels of nested groups a query may have."""


class TimedOut(Exception):
    """The search's deadline passed before a query was translated."""


class Deadline:
    """When a search must stop (``--timeout``); ``seconds`` None: never."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = seconds
        self.at = None if seconds is None else time.monotonic() + seconds
        self.passed = False  # set by whoever stopped because of it

    def remaining(self) -> float | None:
        """Seconds left (at least 0), or None without a deadline."""
        return None if self.at is None else max(0.0, self.at - time.monotonic())

    def check(self) -> None:
        """Raise :class:`TimedOut` if the deadline has passed."""
        if self.at is not None and time.monotonic() >= self.at:
            self.passed = True
            raise TimedOut


NO_DEADLINE = Deadline()


@dataclass(frozen=True, slots=True)
class Expansion:
    """The index terms a pattern stands for (at most the cap), and how many it matched."""

    terms: tuple[str, ...]
    matched: int


class Expanded(wq.ConstantScoreQuery):  # type: ignore[misc]
    """Any of the terms a pattern stands for, every match scoring the
    pattern's boost, as Whoosh and Lucene score a prefix or wildcard: the
    matches are collected once, never scored term by term."""

    def __init__(self, child: Any, boost: float = 1.0) -> None:
        super().__init__(child, score=1.0)
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.boost == getattr(other, "boost", None)

    def __hash__(self) -> int:
        return hash(self.child) ^ hash(self.boost)

    def __repr__(self) -> str:
        return f"Expanded({self.child!r}, boost={self.boost:g})"

    def _rewrap(self, child: Any) -> Expanded:
        return Expanded(child, self.boost)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        subs = self.child.subqueries if isinstance(self.child, wq.Or) else [self.child]
        ids: set[int] = set()
        for sub in subs:  # each term's postings read straight, not through a tree of unions
            ids.update(sub.matcher(searcher, context).all_ids())
        if not ids:
            return matching.NullMatcher()
        return matching.ListMatcher(sorted(ids), all_weights=self.boost)


def clamped_boost(boost: float) -> float:
    """``boost`` within ``[0, MAX_BOOST]`` (NaN is 1)."""
    if math.isnan(boost):
        return 1.0
    return min(max(boost, 0.0), MAX_BOOST)


def walk(tree: Any) -> Iterator[tuple[Any, int]]:
    """Every node of a parsed query with its depth, without recursion (a deep
    tree must not exhaust the stack)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        children = getattr(node, "children", None)
        if children is not None:
            stack.extend((child, depth + 1) for child in children())


def _regex(pattern: str, *, line: bool = False) -> re.Pattern[str]:
    """A Whoosh wildcard (``*`` any run, ``?`` one character) as a regex of a
    whole term; ``line``: of a whole line of a term list (see
    :meth:`~syrsearch.engine.lexicon.Lexicon.terms_matching`)."""
    if not line:
        parts = ("." if c == "?" else ".*" if c == "*" else re.escape(c) for c in pattern)
        return re.compile("".join(parts) + r"\Z", re.DOTALL)
    parts = ("[^\n]" if c == "?" else "[^\n]*" if c == "*" else re.escape(c) for c in pattern)
    return re.compile(f"^(?![{re.escape(CAPS)}])(?:{re.escape(EXACT)})?{''.join(parts)}$", re.M)


def _capped(found: Sequence[str], cap: int) -> Expansion:
    return Expansion(tuple(found[:cap]), len(found))


def _matcher(rx: re.Pattern[str], at: int) -> Callable[[str], object]:
    return lambda term: rx.match(term, at)


def _watched(keep: Callable[[str], object], deadline: Deadline) -> Callable[[str], object]:
    """``keep``, checking ``deadline`` every 4,096 terms of a long scan."""
    if deadline.at is None:
        return keep
    seen = [0]

    def watched(term: str) -> object:
        seen[0] += 1
        if not seen[0] & 4095:
            deadline.check()
        return keep(term)

    return watched


def pattern_terms(
    lexicon: Lexicon,
    fieldname: str,
    text: str,
    *,
    prefix: bool,
    cap: int,
    deadline: Deadline = NO_DEADLINE,
) -> Expansion:
    """The terms of ``fieldname`` matching ``text`` (a prefix, or a wildcard
    pattern), in their stemmed or exact (``=``) form, in term order. Raises
    :class:`TimedOut` if ``deadline`` passes during the scan."""
    if prefix:
        starts = [text, EXACT + text]
        keep = _watched(bool, deadline)
        found = [t for s in starts for t in lexicon.matching_terms(fieldname, s, keep)]
        return _capped(found, cap)
    cut = min((i for i in (text.find("*"), text.find("?")) if i >= 0), default=len(text))
    literal, rx = text[:cut], _regex(text[cut:])
    if literal:  # two short runs of the term list
        found = []
        for start in (literal, EXACT + literal):
            keep = _watched(_matcher(rx, len(start)), deadline)
            found += lexicon.matching_terms(fieldname, start, keep)
        return _capped(found, cap)

    # A leading wildcard: the whole term list, once, one term a line; not the
    # capitalised forms (^us), the exact forms (=word) as their words.
    line = _regex(text, line=True)
    deadline.check()
    return _capped(lexicon.terms_matching(fieldname, line), cap)


def fuzzy_terms(
    lexicon: Lexicon, fieldname: str, text: str, maxdist: int, prefix: int, cap: int
) -> Expansion:
    """The terms of ``fieldname`` within ``maxdist`` edits of ``text``, in term order."""
    return _capped(sorted(lexicon.terms_within(fieldname, text, maxdist, prefix)), cap)
