"""Phrases matched in bulk (engine/phrases.py): the same hits and scores as
Whoosh's own Phrase, on real text, and never a deleted article."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from whoosh import query as wq

from syrsearch import open_index, search, update_index
from syrsearch.engine.index import Index
from syrsearch.engine.phrases import BulkPhrase
from syrsearch.engine.query import build_query
from syrsearch.engine.schema import SEARCH_FIELDS
from syrsearch.engine.search import stored_body
from syrsearch.text.words import words


def _stock(q: Any) -> Any:
    """``q`` with every bulk phrase replaced by Whoosh's own."""
    if isinstance(q, BulkPhrase):
        return wq.Phrase(q.fieldname, list(q.words), slop=q.slop, boost=q.boost)
    return q.apply(_stock) if not q.is_leaf() else q


def _phrases(texts: list[str], rng: random.Random, n: int) -> list[str]:
    """Real phrases of 2-4 words from ``texts``, some with a slop, and pairs
    of words from two texts (which mostly do not stand together)."""
    found = []
    for _ in range(n):
        ws = [w for w in words(rng.choice(texts)) if w.text.isalpha()]
        if len(ws) < 6:
            continue
        k = rng.choice((2, 2, 3, 4))
        i = rng.randrange(len(ws) - k)
        phrase = '"' + " ".join(w.text for w in ws[i : i + k]) + '"'
        found.append(phrase + rng.choice(("", "", "~2", "~4")))
    for _ in range(n // 4):
        a, b = (rng.choice(list(words(rng.choice(texts))) or [None]) for _ in range(2))
        if a and b:
            found.append(f'"{a.text} {b.text}"')
    return found


def _compare(index: Index, queries: list[str]) -> int:
    """Checks each query's hits and scores against the stock phrase query;
    returns how many queries had a bulk phrase that matched something."""
    matched = 0
    with index.reading() as r:
        for text in queries:
            q = build_query(text, r.lexicon, SEARCH_FIELDS).query
            stock = _stock(q)
            if stock == q:
                continue
            ours = [(h.docnum, h.score) for h in r.searcher.search(q, limit=None)]
            theirs = [(h.docnum, h.score) for h in r.searcher.search(stock, limit=None)]
            assert ours == theirs, text
            matched += bool(ours)
    return matched


def _texts(index: Index, rng: random.Random, n: int) -> list[str]:
    with index.reading() as r:
        docs = sorted(r.reader.all_doc_ids())
        return [stored_body(r.reader.stored_fields(d)) for d in rng.sample(docs, min(n, len(docs)))]


def test_bulk_phrases_give_whoosh_s_hits_and_scores_on_the_seeds(seed_index: Index) -> None:
    rng = random.Random(15)
    queries = _phrases(_texts(seed_index, rng, 5), rng, 120)
    queries += ['"cease-fire"', '"east aleppo"', '"Secretary of State"', '"Russian Foreign"']
    assert _compare(seed_index, queries) > 40


def test_bulk_phrases_give_whoosh_s_hits_and_scores_on_bbc_sport(bbc_index: Path) -> None:
    index = open_index(bbc_index)
    rng = random.Random(737)
    queries = _phrases(_texts(index, rng, 60), rng, 150)
    queries += ['"world cup"', '"six nations"~3', '"grand slam" final', '"the the"']
    assert _compare(index, queries) > 60


ARTICLES = {
    "a.txt": "Monitors report\n\nThe trilateral monitoring group met in Astana on Monday.",
    "b.txt": "Talks resume\n\nA trilateral monitoring group will watch the ceasefire lines.",
    "c.txt": "Group of monitors\n\nThe group said monitoring was trilateral in name only.",
    **{
        f"other{i}.txt": f"Note {i}\n\nDelegates discussed the agenda for day {i}."
        for i in range(8)
    },
}


def test_a_deleted_article_no_longer_matches_its_phrase(
    make_corpus: Callable[..., Path], tmp_path: Path
) -> None:
    corpus = make_corpus(ARTICLES)
    folder = tmp_path / "index"
    update_index(corpus, folder)
    before = search(open_index(folder), '"trilateral monitoring group"', limit=None)
    assert sorted(h.id for h in before.hits) == ["a", "b"]
    (corpus / "a.txt").unlink()
    update_index(corpus, folder)
    index = open_index(folder)
    with index.reading() as r:
        assert r.reader.has_deletions()  # the article is marked deleted, not merged away
        assert "a" not in {r.reader.stored_fields(d)["id"] for d in r.reader.all_doc_ids()}
    after = search(index, '"trilateral monitoring group"', limit=None)
    assert [h.id for h in after.hits] == ["b"]
    with index.reading() as r:  # the phrase's own matcher leaves the deleted article out
        for sub, _ in r.searcher.leaf_searchers():
            m = BulkPhrase("body", ["trilater", "monitor", "group"]).matcher(sub, sub.context())
            found = set()
            while m.is_active():
                found.add(m.id())
                m.next()
            deleted = {d for d in range(sub.doc_count_all()) if sub.reader().is_deleted(d)}
            assert not found & deleted
    assert _compare(index, ['"trilateral monitoring group"', '"monitoring group"~2']) == 2


@pytest.mark.parametrize(
    ("positions", "slop", "expected"),
    [
        ([[1, 5, 9], [2, 7, 10]], 1, True),
        ([[1, 5], [3, 8]], 1, False),
        ([[1, 5], [3, 8]], 2, True),
        ([[4], [4]], 3, False),  # the same position is not "after"
        ([[2], [1]], 5, False),  # in order only
        ([[1], [2], [4]], 1, False),
        ([[1], [2], [4]], 2, True),
    ],
)
def test_adjacency_on_decoded_positions(
    positions: list[list[int]], slop: int, expected: bool
) -> None:
    from syrsearch.engine.phrases import _follow

    ends = positions[0]
    for nxt in positions[1:]:
        ends = _follow(ends, nxt, slop)
    assert bool(ends) is expected


def test_phrases_of_the_index_s_own_postings_are_read_in_blocks(
    bbc_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On an index of the project's own postings the phrase is answered from
    the words' posting blocks, not by walking their matchers; the answers
    are those the walk gives."""
    from syrsearch.engine import phrases

    index = open_index(bbc_index)
    queries = ['"world cup"', '"six nations"~3', '"the the"', '"grand slam"', '"in the"']

    def answers() -> list[list[tuple[str, float]]]:
        return [[(h.id, h.score) for h in search(index, q, limit=None).hits] for q in queries]

    def walk(*args: Any) -> Any:
        raise AssertionError("walked")

    with monkeypatch.context() as m:
        m.setattr(phrases, "_in_blocks", lambda *args: None)  # the walk alone
        walked = answers()
    monkeypatch.setattr(phrases, "_walk", walk)
    assert answers() == walked and sum(map(len, walked)) > 100
