"""Reprints: the same story in several articles, found by MinHash and LSH.

At index time each article's prose (site chrome left out, so an outlet's
header and footer do not count) is cut into shingles of
:data:`SHINGLE_WORDS` words; a MinHash of :data:`PERMUTATIONS` values
(``datasketch``) summarises the set, and its :data:`BANDS` bands of
:data:`ROWS` values are stored as the article's ``lsh`` keys, an indexed
field. Two articles sharing a key are candidates; they are reprints of each
other when the Jaccard similarity of their shingle sets, computed exactly from
the stored text, is at least :data:`THRESHOLD`. A group is every article
reachable that way (connected components), named by its smallest id.

The group is worked out from the index when it is read, not stored as a
group id in each article: storing it would mean rewriting every member's
document whenever one member is added, changed or removed, and a run killed
between two commits would leave groups wrong. The keys belong to each article
alone, so an incremental run that adds, changes or removes an article keeps
every group right by construction.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from whoosh.query import Or, Term

from ..model import Hit, Match, Reprint
from ..model.views import ReprintGroup
from ..text.metadata import content_spans
from ..text.words import normalize
from .index import Index, Reading
from .schema import stored_body, stored_facts

SHINGLE_WORDS = 5
"""Words per shingle."""
PERMUTATIONS = 60
"""MinHash values per article."""
BANDS = 20
"""LSH bands: two articles sharing any band are compared."""
ROWS = PERMUTATIONS // BANDS
"""Values per band: with 20 bands of 3, a pair with Jaccard 0.5 is a
candidate with probability 0.93, one with 0.6 with 0.99, one with 0.2 with
0.15 (candidates are then checked exactly)."""
THRESHOLD = 0.5
"""Jaccard similarity of shingle sets from which two articles are reprints."""
MAX_GROUP = 200
"""A group is explored up to this many members."""


_WORD = re.compile(r"\w+")


def shingles(body: str) -> set[str]:
    """The word shingles of an article's prose: its words folded as the index
    folds them (case, accents, apostrophes), the text folded once, not word by
    word (a third of the cost)."""
    text = normalize(" ".join(body[a:b] for a, b in content_spans(body)))
    ws = _WORD.findall(text)
    if len(ws) < SHINGLE_WORDS:
        return {" ".join(ws)} if ws else set()
    return {" ".join(ws[i : i + SHINGLE_WORDS]) for i in range(len(ws) - SHINGLE_WORDS + 1)}


@lru_cache(maxsize=1)
def _template() -> Any:
    from datasketch import MinHash  # only when indexing: it loads numpy and scipy

    return MinHash(num_perm=PERMUTATIONS, seed=1)


def band_keys(body: str) -> list[str]:
    """The LSH keys of an article: one per band, ``b<band>_<hash>``."""
    found = shingles(body)
    if not found:
        return []
    from datasketch import MinHash

    template = _template()
    sketch = MinHash(
        num_perm=PERMUTATIONS, permutations=template.permutations, scheme=template.scheme
    )
    sketch.update_batch(s.encode("utf-8") for s in sorted(found))
    values = sketch.hashvalues
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(f"b{band:02d}_{hashlib.blake2b(chunk, digest_size=6).hexdigest()}")
    return keys


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


class Groups:
    """Reprint groups read from one open index, each article worked out once."""

    def __init__(self, r: Reading) -> None:
        self.r = r
        self._shingles: dict[int, set[str]] = {}
        self._near: dict[int, list[int]] = {}
        self._group: dict[int, tuple[int, ...]] = {}

    def _shingles_of(self, docnum: int) -> set[str]:
        if docnum not in self._shingles:
            stored = self.r.searcher.stored_fields(docnum)
            self._shingles[docnum] = shingles(stored_body(stored))
        return self._shingles[docnum]

    def near(self, docnum: int) -> list[int]:
        """The articles that are reprints of ``docnum`` itself."""
        if docnum in self._near:
            return self._near[docnum]
        keys = (self.r.searcher.stored_fields(docnum).get("lsh") or "").split()
        found: list[int] = []
        if keys:
            candidates = self.r.searcher.docs_for_query(Or([Term("lsh", k) for k in keys]))
            mine = self._shingles_of(docnum)
            found = [
                d
                for d in candidates
                if d != docnum and jaccard(mine, self._shingles_of(d)) >= THRESHOLD
            ]
        self._near[docnum] = found
        return found

    def group(self, docnum: int) -> tuple[int, ...]:
        """Every member of ``docnum``'s group, itself included, in docnum order."""
        if docnum in self._group:
            return self._group[docnum]
        seen, todo = {docnum}, [docnum]
        while todo and len(seen) < MAX_GROUP:
            for d in self.near(todo.pop()):
                if d not in seen:
                    seen.add(d)
                    todo.append(d)
        members = tuple(sorted(seen))
        for d in members:
            self._group[d] = members
        return members

    def ids(self, docnums: Iterable[int]) -> list[str]:
        return [self.r.searcher.stored_fields(d)["id"] for d in docnums]

    def docnum(self, ident: str) -> int | None:
        found = self.r.searcher.document_number(id=ident)
        return None if found is None else int(found)


def group_id(groups: Groups, members: Sequence[int]) -> str:
    """A group's name: the smallest id among its members."""
    return min(groups.ids(members))


COLLAPSE_POOL = 5
"""Collapsing ``limit`` hits looks at this many times as many ranked hits."""
COLLAPSE_MIN_POOL = 50


def collapse_pool(limit: int | None) -> int | None:
    return None if limit is None else max(limit * COLLAPSE_POOL, COLLAPSE_MIN_POOL)


def collapse(
    groups: Groups, ranked: Sequence[tuple[int, float]], limit: int | None
) -> list[tuple[int, float, tuple[int, ...]]]:
    """The best scoring hit of each group, in rank order, with its group's
    members; a hit in the group of one shown before is folded into it."""
    shown: list[tuple[int, float, tuple[int, ...]]] = []
    folded: set[int] = set()
    for docnum, score in ranked:
        if docnum in folded:
            continue
        members = groups.group(docnum)
        folded.update(members)
        shown.append((docnum, score, members))
        if limit is not None and len(shown) >= limit:
            break
    return shown


def collapsed_hits(
    r: Reading,
    ranked: Sequence[tuple[int, float]],
    limit: int | None,
    title_match: Match,
    body_match: Match,
    snippets: int,
    *,
    highlights: bool = True,
) -> tuple[Hit, ...]:
    """The hits of ``ranked`` collapsed: one per group, each with its group's
    name and other members (earliest dated first, then by id)."""
    from .search import make_hit

    groups = Groups(r)
    matched = {d for d, _ in ranked}
    hits = []
    for rank, (docnum, score, members) in enumerate(collapse(groups, ranked, limit), 1):
        hit = make_hit(
            r, rank, docnum, score, title_match, body_match, snippets, highlights=highlights
        )
        others = [reprint(r, d, d in matched) for d in members if d != docnum]
        others.sort(key=lambda p: (p.date is None, p.date or date.min, p.id))
        hits.append(replace(hit, group=group_id(groups, members), reprints=tuple(others)))
    return tuple(hits)


def reprint(r: Reading, docnum: int, matched: bool = False) -> Reprint:
    stored = r.searcher.stored_fields(docnum)
    facts = stored_facts(stored)
    return Reprint(
        id=stored["id"],
        path=r.index.article_path(stored["path"]),
        title=stored.get("title", ""),
        date=facts["date"],
        sources=facts["sources"],
        matched=matched,
    )


def reprint_group(index: Index, ident: str) -> ReprintGroup:
    """The reprint group of the article ``ident`` names (as ``show`` resolves it)."""
    from .search import resolve_id

    with index.reading() as r:
        article = resolve_id(index, ident)
        groups = Groups(r)
        docnum = groups.docnum(article.id)
        members = groups.group(docnum) if docnum is not None else ()
        found = [reprint(r, d) for d in members]
        found.sort(key=lambda p: (p.date is None, p.date or date.min, p.id))
        name = group_id(groups, members) if members else article.id
        return ReprintGroup(article.id, name, tuple(found))
