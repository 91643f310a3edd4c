"""The limits that keep any query cheap, as Lucene and Elasticsearch bound theirs.

* a fuzzy word (``word~N``) is at most :data:`MAX_FUZZY_DISTANCE` edits away,
  fewer for a short word (:func:`fuzzy_distance`, Elasticsearch's ``AUTO``),
  shares its first letter with the terms it stands for, and stands for at
  most :data:`MAX_FUZZY_EXPANSIONS` of them, the closest first;
  a phrase's slop (``"a b"~N``) at most :data:`MAX_SLOP`;
* the prefixes, wildcards and fuzzy words of a query stand for at most
  ``max_expansions`` index terms in all (:data:`~syrsearch.model.DEFAULT_MAX_EXPANSIONS`,
  counted in every field searched, as Lucene counts a query's clauses), found
  by one pass over the term list, never once per document;
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
from whoosh.reading import TermNotFound

from ...text.words import CAPS, EXACT
from ..lexicon import Lexicon
from ..postings import unwrapped

MAX_FUZZY_DISTANCE = 2
"""Edits a fuzzy word may be away (``Lavrof~``: 1; ``Lavrof~9`` is read as 2)."""
MIN_FUZZY_LENGTH = 3
"""Letters a word needs to be searched fuzzy (``to~`` is ``to``)."""
TWO_EDITS_LENGTH = 6
"""Letters a word needs for two edits (``Kerry~2`` is ``Kerry~1``)."""
MAX_FUZZY_EXPANSIONS = 50
"""Terms a fuzzy word stands for at most, the closest first (Lucene's default)."""
MAX_SLOP = 50
"""Positions the words of a phrase may be apart (``"a b"~N``)."""
MAX_BOOST = 100.0
"""The largest boost (``word^N``); a negative one is read as 0."""
MAX_PHRASES = 8
"""Phrase clauses a query may have (a phrase in title and body is two, each
spelling of a compound one more): the later phrases are searched as their
words, in any order."""
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
            ids.update(leaf_ids(sub, searcher))
        if not ids:
            return matching.NullMatcher()
        return matching.ListMatcher(sorted(ids), all_weights=self.boost)


def doc_ids(q: Any, searcher: Any) -> set[int]:
    """The documents of one segment's ``searcher`` that ``q`` matches, by set
    operations over its parts (each leaf's postings read once, unscored)."""
    if isinstance(q, wq.And | wq.Or | wq.DisjunctionMax):
        subs = list(q.subqueries)
        yes = [doc_ids(c, searcher) for c in subs if not isinstance(c, wq.Not)]
        no = [doc_ids(c.query, searcher) for c in subs if isinstance(c, wq.Not)]
        if isinstance(q, wq.And):
            out = set.intersection(*yes) if yes else set(searcher.reader().all_doc_ids())
            return out.difference(*no)
        every = set(searcher.reader().all_doc_ids()) if no else set()
        return set().union(*yes, *(every - n for n in no))
    if isinstance(q, wq.AndNot):
        return doc_ids(q.a, searcher) - doc_ids(q.b, searcher)
    if isinstance(q, wq.AndMaybe):
        return doc_ids(q.a, searcher)
    if isinstance(q, wq.Not):
        return set(searcher.reader().all_doc_ids()) - doc_ids(q.query, searcher)
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return set()
    return leaf_ids(q, searcher)


def leaf_ids(q: Any, searcher: Any) -> set[int]:
    """The documents of one segment's ``searcher`` that the leaf query
    ``q`` matches: a term's postings read with no scorer (a scorer's set-up
    costs more than a short list's reading)."""
    if type(q) is wq.Term:
        schema, reader = searcher.schema, searcher.reader()
        if q.fieldname not in schema:
            return set()
        try:
            text = schema[q.fieldname].to_bytes(q.text)
        except ValueError:
            return set()
        if (q.fieldname, text) not in reader:
            return set()
        return matcher_ids(reader.postings(q.fieldname, text))
    return matcher_ids(q.matcher(searcher, searcher.boolean_context()))


def matcher_ids(m: Any) -> set[int]:
    """The documents ``m`` matches: a term's postings a block at a time
    where the matcher can (a boost and a segment's deletions unwrapped)."""
    m, _, deleted = unwrapped(m)
    ids_left = getattr(m, "ids_left", None)
    out = set(m.all_ids()) if ids_left is None else set().union(*ids_left())
    out.difference_update(deleted)
    return out


class _BestMatcher(matching.DisjunctionMaxMatcher):  # type: ignore[misc]
    """Whoosh's DisjunctionMax matcher scoring the current document by the
    best part that matches it. Whoosh's own takes the larger score of its two
    parts even when one of them stands on a later document, so an article's
    score there depends on its neighbours."""

    def score(self) -> float:
        a, b = self.a, self.b
        if not a.is_active():
            return float(b.score())
        if not b.is_active():
            return float(a.score())
        at_a, at_b = a.id(), b.id()
        if at_a != at_b:
            return float(a.score() if at_a < at_b else b.score())
        return float(max(a.score(), b.score()))


class BestOf(wq.DisjunctionMax):  # type: ignore[misc]
    """``DisjunctionMax``: each document scores as the best of the parts it
    matches (:class:`_BestMatcher`), times the boost; shown as Whoosh's."""

    def __repr__(self) -> str:
        return "DisjunctionMax" + str(super().__repr__())[len(type(self).__name__) :]

    def _matcher(self, subs: Any, searcher: Any, context: Any) -> Any:
        r = searcher.reader()
        return self._tree_matcher(
            subs, _BestMatcher, searcher, context, lambda q: q.estimate_size(r)
        )


class Excluded(wq.Not):  # type: ignore[misc]
    """NOT ``query``, its matches found once as a set (:func:`doc_ids`)
    instead of Whoosh's walk of every document through the query's tree;
    each document left scores 1, as Whoosh scores a NOT."""

    def __repr__(self) -> str:
        return f"Excluded({self.query!r})"

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        out = doc_ids(self.query, searcher)
        ids = [d for d in searcher.reader().all_doc_ids() if d not in out]
        return matching.ListMatcher(ids, all_weights=1.0) if ids else matching.NullMatcher()


class Matched(wq.WrappingQuery):  # type: ignore[misc]
    """The documents ``child`` matches, unscored, found as a set: what
    ANDNOT leaves out."""

    def __repr__(self) -> str:
        return f"Matched({self.child!r})"

    def _rewrap(self, child: Any) -> Matched:
        return Matched(child)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        ids = sorted(doc_ids(self.child, searcher))
        return matching.ListMatcher(ids, all_weights=1.0) if ids else matching.NullMatcher()


def doc_scores(
    q: Any,
    searcher: Any,
    context: Any,
    deadline: Deadline = NO_DEADLINE,
    within: set[int] | None = None,
) -> dict[int, float]:
    """Each document of one segment's ``searcher`` that ``q`` matches, with
    the score Whoosh's matchers give it, part by part (term at a time): each
    leaf's postings are read once into a table, and AND, OR, ANDNOT and
    ANDMAYBE combine the tables, where Whoosh would walk every candidate
    document through the whole tree of matchers. ``deadline`` is checked
    before each part (:class:`TimedOut`).

    Only the documents of ``within`` are scored, if it is given. The parts
    of an AND are read from the one likely to match the fewest documents
    (:func:`_size`), each of the others only for the documents that all the
    parts before it match; the scores are still added in the order of the
    parts, so they are the same to the last bit."""
    deadline.check()
    if isinstance(q, wq.And | wq.Or) and not getattr(q, "minmatch", 0):
        subs = list(q.subqueries)
        yes_parts = [c for c in subs if not isinstance(c, wq.Not)]
        no = [doc_ids(c.query, searcher) for c in subs if isinstance(c, wq.Not)]
        every = set(searcher.reader().all_doc_ids()) if no else set()
        # A NOT part matches the documents without its words, each scoring 1.
        if isinstance(q, wq.And):
            narrow = within
            if no:
                narrow = (every if narrow is None else narrow & every).difference(*no)
            reader = searcher.reader()
            yes: list[dict[int, float]] = [{} for _ in yes_parts]
            for i in sorted(range(len(yes_parts)), key=lambda i: _size(yes_parts[i], reader)):
                if narrow is not None and not narrow:
                    return {}
                yes[i] = doc_scores(yes_parts[i], searcher, context, deadline, narrow)
                narrow = set(yes[i])
            if narrow is None:  # no part at all
                return {}
            total = dict.fromkeys(narrow, 0.0)
            for p in yes:
                for d in narrow:
                    total[d] += p[d]
            for _ in no:
                for d in narrow:
                    total[d] += 1.0
        else:
            parts = [doc_scores(c, searcher, context, deadline, within) for c in yes_parts]
            for n in no:
                parts.append(dict.fromkeys((every if within is None else within & every) - n, 1.0))
            total = dict(parts[0]) if parts else {}
            for p in parts[1:]:  # in the order of the parts, as Whoosh adds them
                get = total.get
                for d, score in p.items():
                    total[d] = get(d, 0.0) + score
        boost = q.boost
        return {d: score * boost for d, score in total.items()} if boost != 1.0 else total
    if isinstance(q, wq.AndNot):  # a binary query's boost is not applied by Whoosh
        out = doc_scores(q.a, searcher, context, deadline, within)
        for d in doc_ids(q.b, searcher):
            out.pop(d, None)
        return out
    if isinstance(q, wq.AndMaybe):
        out = doc_scores(q.a, searcher, context, deadline, within)
        maybe = doc_scores(q.b, searcher, context, deadline, set(out))
        return {d: s + maybe.get(d, 0.0) for d, s in out.items()}
    if isinstance(q, BestOf):  # the best part's score
        best: dict[int, float] = {}
        for part in (doc_scores(c, searcher, context, deadline, within) for c in q.subqueries):
            for d, score in part.items():
                if d not in best or score > best[d]:
                    best[d] = score
        boost = q.boost
        return {d: score * boost for d, score in best.items()} if boost != 1.0 else best
    if isinstance(q, wq.Not):
        ids = doc_ids(q, searcher)
        return dict.fromkeys(ids if within is None else ids & within, 1.0)
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return {}
    return matcher_scores(q.matcher(searcher, context), within)


def _size(q: Any, reader: Any) -> float:
    """About how many documents of one segment's ``reader`` ``q`` matches,
    at most (for the order of an AND's parts): a term's document frequency,
    the sum of an OR's parts, the least of an AND's; unknown is infinite."""
    if type(q) is wq.Term:
        try:
            return float(reader.doc_frequency(q.fieldname, q.text))
        except (KeyError, ValueError, TypeError, TermNotFound):
            return math.inf
    if isinstance(q, wq.Or | wq.DisjunctionMax) and not getattr(q, "minmatch", 0):
        return sum(_size(c, reader) for c in q.subqueries)
    if isinstance(q, wq.And):
        return min((_size(c, reader) for c in q.subqueries), default=math.inf)
    return math.inf


def matcher_scores(m: Any, within: set[int] | None = None) -> dict[int, float]:
    """Each document ``m`` matches (of ``within``, if given), with its score:
    a term's postings a block at a time where the matcher and its scorer can
    (a boost and a segment's deletions unwrapped), otherwise a call per
    posting."""
    m, boosts, deleted = unwrapped(m)
    bulk = getattr(m, "postings_left", None)
    score_postings = getattr(getattr(m, "scorer", None), "score_postings", None)
    out: dict[int, float] = {}
    if bulk is None or score_postings is None:
        while m.is_active():
            if within is None or m.id() in within:
                out[m.id()] = m.score()
            m.next()
    else:
        for ids, weights in bulk():
            if within is not None:
                picked = [i for i, d in enumerate(ids) if d in within]
                if len(picked) < len(ids):
                    if not picked:
                        continue
                    ids = [ids[i] for i in picked]
                    weights = [weights[i] for i in picked]
            out.update(zip(ids, score_postings(ids, weights), strict=True))
    for d in deleted:
        out.pop(d, None)
    for boost in reversed(boosts):  # innermost first: each wrapper scales its child's score
        if boost != 1.0:
            out = {d: score * boost for d, score in out.items()}
    return out


class Scored(wq.WrappingQuery):  # type: ignore[misc]
    """``child``, its matches and scores found part by part
    (:func:`doc_scores`), which every query is: each term's postings are
    scored a block at a time there, with the same hits and scores as Whoosh's
    walk of every document through its tree of matchers and less of the time
    (BENCHMARKS.md, "The query path at 100,000 articles")."""

    def __repr__(self) -> str:
        return repr(self.child)

    deadline = NO_DEADLINE
    """When to stop scoring (set by the search that runs it)."""

    def _rewrap(self, child: Any) -> Scored:
        out = Scored(child)
        out.deadline = self.deadline
        return out

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        found = doc_scores(self.child, searcher, context, self.deadline)
        if not found:
            return matching.NullMatcher()
        ids = sorted(found)
        return matching.ListMatcher(ids, weights=[found[d] for d in ids])


def unscored_as_sets(q: Any) -> Any:
    """``q`` with each part that only includes or excludes documents (a NOT,
    what an ANDNOT leaves out) matched as a set (:class:`Excluded`,
    :class:`Matched`): the same matches and scores, each such part read once."""
    if isinstance(q, wq.Not) and not isinstance(q, Excluded):
        return Excluded(q.query)
    if isinstance(q, wq.AndNot):
        out = wq.AndNot(unscored_as_sets(q.a), Matched(q.b))
        return out
    if isinstance(q, wq.AndMaybe):
        return wq.AndMaybe(unscored_as_sets(q.a), unscored_as_sets(q.b))
    if isinstance(q, wq.And | wq.Or | wq.DisjunctionMax):
        copy = q.copy()
        copy.subqueries = [unscored_as_sets(c) for c in q.subqueries]
        return copy
    return q


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


def walk_query(q: Any) -> Iterator[tuple[Any, int]]:
    """Every node of a translated (Whoosh) query with its depth, without
    recursion; a pattern's expansion is one node."""
    stack = [(q, 1)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        if isinstance(node, Expanded):
            continue
        if isinstance(node, wq.CompoundQuery):
            stack.extend((c, depth + 1) for c in node.subqueries)
        elif isinstance(node, wq.Not):
            stack.append((node.query, depth + 1))
        elif isinstance(node, wq.WrappingQuery):
            stack.append((node.child, depth + 1))


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
    literal = max(re.split(r"[*?]", text), key=len)  # every match contains it
    return _capped(lexicon.terms_matching(fieldname, line, literal), cap)


def fuzzy_distance(word: str, asked: int) -> int:
    """The edits a fuzzy ``word`` may be away: ``asked`` at most, and as
    Elasticsearch's ``AUTO`` fuzziness: none under :data:`MIN_FUZZY_LENGTH`
    letters, one under :data:`TWO_EDITS_LENGTH`, else
    :data:`MAX_FUZZY_DISTANCE`."""
    n = len(word)
    most = 0 if n < MIN_FUZZY_LENGTH else 1 if n < TWO_EDITS_LENGTH else MAX_FUZZY_DISTANCE
    return min(asked, most)


def fuzzy_terms(
    lexicon: Lexicon, fieldname: str, text: str, maxdist: int, prefix: int, cap: int
) -> Expansion:
    """The terms of ``fieldname`` within ``maxdist`` edits of ``text``, the
    closest first (then in term order), at most ``cap`` and
    :data:`MAX_FUZZY_EXPANSIONS` of them."""
    from rapidfuzz.distance import OSA

    found = lexicon.terms_within(fieldname, text, maxdist, prefix)
    ordered = sorted(found, key=lambda term: (OSA.distance(term, text), term))
    return _capped(ordered, min(cap, MAX_FUZZY_EXPANSIONS))
