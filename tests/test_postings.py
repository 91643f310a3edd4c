"""The index's own postings path (engine/postings.py) answers exactly as
Whoosh's stock writer and codec would: same hits, same scores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec

from syrsearch import open_index, search
from syrsearch.engine import indexer
from syrsearch.engine.postings import BLOCK, CompactCodec
from syrsearch.model import SearchRequest

QUERIES = [
    "ceasefire", "Aleppo", "talks Geneva", "Russia OR Iran", '"peace talks"',
    "Lavrov", "humanitarian aid", "Kerry NOT Lavrov", "negotiat*", "opposition~",
    '"United Nations" Security', "Assad regime", "the", "ISIS",
]  # fmt: skip


def stock_writer(ix: Any, **kwargs: Any) -> Any:
    return ix.writer(compound=False, **kwargs)  # Whoosh's pool and W3 codec


def answers(folder: Path, query: str) -> tuple[int, list[tuple[str, float]]]:
    result = search(open_index(folder), SearchRequest(text=query, limit=50))
    return result.total, [(hit.id, round(hit.score, 5)) for hit in result.hits]


def codecs(folder: Path) -> set[type]:
    gen = (folder / (folder / "CURRENT").read_text().strip()).resolve()
    ix = whoosh_index.open_dir(str(gen))
    return {type(segment.codec()) for segment in ix._segments()}


@pytest.fixture
def both(seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    ours, stock = tmp_path / "ours", tmp_path / "stock"
    indexer.update_index(seeds, ours)
    monkeypatch.setattr(indexer, "BatchWriter", stock_writer)
    indexer.update_index(seeds, stock)
    monkeypatch.undo()
    return ours, stock


def test_the_seeds_answer_as_a_stock_written_index(both: tuple[Path, Path]) -> None:
    ours, stock = both
    assert codecs(ours) == {CompactCodec} and codecs(stock) == {W3Codec}
    found = 0
    for query in QUERIES:
        mine = answers(ours, query)
        assert mine == answers(stock, query), query
        found += mine[0] > 0
    assert found >= 10  # most of them match something


def test_long_posting_lists_and_updates_answer_as_stock(
    make_corpus: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # more articles than a block holds, words of every frequency, an update
    # that merges segments and deletes documents
    files = {
        f"a{i:04}.txt": f"Talks {i}\nGENEVA - The talks on round {i} of the ceasefire "
        + " ".join(f"w{j}" for j in range(i % 17))
        + (" in Aleppo and Aleppo again" * (i % 5))
        + "\n"
        for i in range(3 * BLOCK + 7)
    }
    root = make_corpus(files)
    folders = {"ours": tmp_path / "ours", "stock": tmp_path / "stock"}
    for name, folder in folders.items():
        if name == "stock":
            monkeypatch.setattr(indexer, "BatchWriter", stock_writer)
        indexer.update_index(root, folder)
    for i in range(0, 3 * BLOCK, 7):
        (root / f"a{i:04}.txt").write_text(f"Talks {i}\nThe envoy spoke of w3 and Aleppo.\n")
    (root / "a0001.txt").unlink()
    for folder in folders.values():
        report = indexer.update_index(root, folder)
        assert report.removed == 1 and report.updated > 50
    for query in ("talks", "Aleppo", '"round 12"', "w3 w9", "envoy", "ceasefire NOT w1"):
        assert answers(folders["ours"], query) == answers(folders["stock"], query), query
    assert answers(folders["ours"], "talks")[0] == 3 * BLOCK + 6


def _walk(m: Any) -> dict[int, float]:
    out = {}
    while m.is_active():
        out[m.id()] = m.score()
        m.next()
    return out


def test_lists_read_a_block_at_a_time_score_as_a_call_per_posting(
    make_corpus: Any, tmp_path: Path
) -> None:
    """The part-by-part scoring of a large query (bounds.doc_scores) reads a
    term's postings in whole blocks: the same documents and the same scores,
    to the last bit, as Whoosh's matchers one posting at a time, with a boost,
    a segment's deletions and the best part of a DisjunctionMax."""
    from whoosh import query as wq
    from whoosh.util.numeric import byte_to_length

    from syrsearch.engine.query.bounds import BestOf, Expanded, doc_ids, doc_scores, matcher_scores
    from syrsearch.engine.ranking import length_bytes, weighting
    from syrsearch.engine.schema import leaf_column

    files = {
        f"b{i:04}.txt": f"Round {i}\nThe talks in Geneva, round {i}. "
        + "Aleppo " * (i % 4)
        + ("Lavrov said the ceasefire held. " if i % 3 else "Kerry spoke. ")
        + "\n"
        for i in range(2 * BLOCK + 11)
    }
    root = make_corpus(files)
    folder = tmp_path / "index"
    indexer.update_index(root, folder)
    for i in range(0, 2 * BLOCK, 5):  # deletions in the first segment, a second segment
        (root / f"b{i:04}.txt").write_text(f"Round {i}\nAleppo again, no talks.\n")
    indexer.update_index(root, folder)
    ix = open_index(folder)._ix
    parts = [
        wq.Term("body", "aleppo", boost=0.7),
        wq.Term("body", "talk"),
        wq.Term("body", "kerri"),
    ]
    best = BestOf(parts, boost=1.3)
    queries = [
        wq.Term("body", "aleppo"),
        wq.Term("body", "talk", boost=2.0),
        wq.Term("title", "round", boost=0.5),
        wq.Or([wq.Term("body", "lavrov"), wq.Term("body", "kerri")], boost=1.5),
        best,
        wq.And([wq.Term("body", "aleppo"), wq.Not(wq.Term("body", "lavrov"))]),
        # an AND's parts are read from the smallest, the others only where it matches
        wq.And(
            [wq.Or([wq.Term("body", "talk"), wq.Term("title", "round")]), wq.Term("body", "kerri")]
        ),
        wq.And(
            [
                wq.Term("body", "talk"),
                wq.Or([wq.Term("body", "kerri"), wq.Not(wq.Term("body", "aleppo"))]),
            ]
        ),
        wq.AndMaybe(
            wq.Term("body", "kerri"), wq.Or([wq.Term("body", "talk"), wq.Term("body", "aleppo")])
        ),
    ]
    three = wq.And([wq.Term("body", "talk"), wq.Term("body", "aleppo"), wq.Term("body", "lavrov")])
    with ix.searcher(weighting=weighting()) as searcher:
        leaves = [sub for sub, _ in searcher.leaf_searchers()]
        assert len(leaves) >= 2 and any(sub.reader().has_deletions() for sub in leaves)
        for sub in leaves:  # columns are read in one piece: the values Whoosh reads one by one
            for name in ("path", "stamp", "id", "date", "lang"):
                if sub.reader().has_column(name):
                    whole = leaf_column(sub.reader(), name)
                    assert whole == list(sub.reader().column_reader(name)), name
                    assert len(whole) == sub.reader().doc_count_all()
        for sub in leaves:  # the lengths are read in one piece, one byte an article
            lengths = length_bytes(sub.reader(), "body")
            assert lengths is not None and len(lengths) == sub.reader().doc_count_all()
            assert byte_to_length(lengths[3]) == sub.reader().doc_field_length(3, "body")
        compared = three_matched = 0
        for sub in leaves:
            context = sub.context()
            for q in queries:
                plain = _walk(q.matcher(sub, context))
                assert doc_scores(q, sub, context) == plain, q
                assert doc_ids(q, sub) == set(plain), q  # unscored: the same documents
                compared += len(plain)
                within = set(range(0, sub.reader().doc_count_all(), 3))  # scored for some only
                some = {d: score for d, score in plain.items() if d in within}
                assert doc_scores(q, sub, context, within=within) == some, q
            # the scores of three parts are added in their order, whichever is read first
            scored = [doc_scores(part, sub, context) for part in three.subqueries]
            expected = {
                d: 0.0 + scored[0][d] + scored[1][d] + scored[2][d]
                for d in set(scored[0]) & set(scored[1]) & set(scored[2])
            }
            assert doc_scores(three, sub, context) == expected
            three_matched += len(expected)
            # each document scores as the best part it matches, times the boost
            scored = [_walk(p.matcher(sub, context)) for p in parts]
            expected = {d: max(s[d] for s in scored if d in s) * 1.3 for d in set().union(*scored)}
            assert _walk(best.matcher(sub, context)) == expected
            term = wq.Term("body", "aleppo", boost=3.0)
            assert matcher_scores(term.matcher(sub, context)) == _walk(term.matcher(sub, context))
            # a pattern's terms, read with no scorer, a block at a time: each term's live articles
            terms = [wq.Term("body", t) for t in ("aleppo", "kerri", "talk", "nothing")]
            every = set().union(*(set(t.matcher(sub, context).all_ids()) for t in terms))
            expanded = Expanded(wq.Or(terms), boost=1.5)
            assert _walk(expanded.matcher(sub, context)) == dict.fromkeys(every, 1.5)
        assert compared > 4 * BLOCK and three_matched > BLOCK // 2


def test_a_query_scored_part_by_part_stops_at_its_deadline(seeds: Path, tmp_path: Path) -> None:
    """Every query is matched part by part (Scored); the --timeout deadline is
    checked before each part, and the search returns what it found, marked."""
    from whoosh import query as wq

    from syrsearch.engine.query.bounds import Deadline, Scored, TimedOut, doc_scores
    from syrsearch.engine.ranking import top_docs, weighting

    indexer.update_index(seeds, tmp_path / "index")
    ix = open_index(tmp_path / "index")._ix
    q = wq.Or([wq.Term("body", "ceasefir"), wq.Term("body", "talk")])
    passed = Deadline(0.0)
    with ix.searcher(weighting=weighting()) as searcher:
        sub = searcher.leaf_searchers()[0][0]
        assert doc_scores(q, sub, sub.context())  # matches without a deadline
        with pytest.raises(TimedOut):
            doc_scores(q, sub, sub.context(), passed)
        scored = Scored(q)
        results = top_docs(searcher, scored, 10, {}, Deadline(3600))
        assert len(results) > 0 and scored.deadline.seconds == 3600

        class PassesWhenScoring(Deadline):
            def remaining(self) -> float | None:  # no timer for the collector
                return None

        late = PassesWhenScoring(3600)
        late.at = 0.0  # only a part's check can see it has passed
        assert len(top_docs(searcher, Scored(q), 10, {}, late)) == 0 and late.passed


def test_the_term_table_read_through_a_map_answers_as_whoosh_reads_it(
    make_corpus: Any, tmp_path: Path
) -> None:
    """A segment's term table is read through a memory map, each look-up one
    loop over it (CompactTermsReader._find): every key gives the value Whoosh's
    own reader of the same file gives, an absent key none, and the document
    frequencies looked up together are those looked up one by one."""
    import io

    from whoosh.filedb.filetables import OrderedHashReader
    from whoosh.filedb.structfile import StructFile

    from syrsearch.engine.lexicon import segment_terms, segment_text
    from syrsearch.engine.postings import CompactTermsReader, _MappedFile

    files = {
        f"c{i:04}.txt": f"Round {i}\nTalks in Geneva on round {i}; "
        + " ".join(f"w{j}" for j in range(i % 23))
        + (" Aleppo" if i % 2 else " Homs")
        + "\n"
        for i in range(BLOCK + 40)
    }
    root = make_corpus(files)
    folder = tmp_path / "index"
    indexer.update_index(root, folder)
    for i in range(0, BLOCK, 3):  # deletions, and a second segment
        (root / f"c{i:04}.txt").write_text(f"Round {i}\nAleppo again and w99.\n")
    indexer.update_index(root, folder)
    index = open_index(folder)
    checked = 0
    with index.reading() as r:
        leaves = [sub for sub, _ in r.reader.leaf_readers()]
        assert len(leaves) >= 2
        for sub in leaves:
            terms = sub._terms
            assert isinstance(terms, CompactTermsReader)
            assert isinstance(terms._tindex.dbfile, _MappedFile)
            data = bytes(terms._tindex.dbfile.file)
            plain = OrderedHashReader(StructFile(io.BytesIO(data)), len(data))
            unmapped = CompactTermsReader(
                terms._codec, StructFile(io.BytesIO(data)), len(data), terms._postfile
            )
            for key, value in plain.items():
                assert terms._find(key) == value == unmapped._find(key)
                assert terms._find(key + b"\x00") is None
                checked += 1
            assert terms._find(b"\xff\xffnothing") is None
            words = ["talk", "aleppo", "hom", "w7", "w99", "absent", "geneva"]
            one_by_one = [sub.doc_frequency("body", w) for w in words]
            assert terms.doc_frequencies("body", [w.encode() for w in words], {}) == one_by_one
            assert unmapped.doc_frequencies("body", [w.encode() for w in words], {}) == one_by_one
            assert terms.doc_frequencies("nofield", [b"talk"], {}) == [0]
            for field in ("body", "title", "entities", "nofield"):  # a field's terms in one piece
                listed = [t.decode() for t in sub.lexicon(field)] if field != "nofield" else []
                assert segment_terms(sub, field) == listed, field
                assert segment_text(sub, field) == "\n".join(listed), field
        words = ["talk", "aleppo", "hom", "w7", "w99", "absent"]
        assert r.lexicon.doc_frequencies("body", words) == [
            r.lexicon.doc_frequency("body", w) for w in words
        ]
        assert r.lexicon.doc_frequency("body", "talk") == BLOCK + 40
        # a leading wildcard: the lines with the pattern's literal, or a regex pass, alike
        from syrsearch.engine import lexicon as module
        from syrsearch.engine.query.bounds import _regex

        for pattern, literal in [("*1*", "1"), ("*w2?", "w2"), ("*ound*", "ound"), ("*zz*", "zz")]:
            rx = _regex(pattern, line=True)
            whole = r.lexicon.terms_matching("body", rx)
            for rare in (0, 10**9):
                r.lexicon._joined.clear()
                module.RARE_LITERAL = rare
                try:
                    assert r.lexicon.terms_matching("body", rx, literal) == whole, pattern
                finally:
                    module.RARE_LITERAL = 2_000
        assert "w21" in r.lexicon.terms_matching("body", _regex("*1", line=True), "1")
    assert checked > 200
