"""Incremental indexing: add, change, delete, no-op, rebuild, ids."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syrsearch import open_index, search, update_index
from syrsearch.engine import indexer
from syrsearch.engine.index import CURRENT
from syrsearch.engine.schema import CompactPositions, NewsAnalyzer
from syrsearch.engine.search import resolve_id
from syrsearch.errors import IndexDamagedError, IndexMissingError
from syrsearch.text.words import term_positions

from .conftest import SEEDS


def ids(handle, query: str) -> set[str]:
    return {h.id for h in search(handle, query, limit=None).hits}


def test_first_run_adds_every_article(seeds: Path, tmp_path: Path) -> None:
    report = update_index(seeds, tmp_path / "ix")
    assert (report.added, report.updated, report.removed, report.rebuilt) == (5, 0, 0, True)
    assert report.total == 5


def test_second_run_does_no_reanalysis(seeds: Path, tmp_path: Path) -> None:
    update_index(seeds, tmp_path / "ix")
    gen = (tmp_path / "ix" / CURRENT).read_text()
    report = update_index(seeds, tmp_path / "ix")
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 5)
    assert not report.changed
    assert (tmp_path / "ix" / CURRENT).read_text() == gen


def test_added_changed_deleted_files(seeds: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    update_index(seeds, folder)
    (seeds / "new_article.txt").write_text("Zanzibar talks\nA zanzibar summit.\n")
    changed = seeds / "002_2e98f640cd47a897.txt"
    changed.write_text("Rewritten\nNow it speaks of quokkas.\n")
    os.utime(changed, ns=(1, 1))
    (seeds / "004_27f4b5ccaf5df4df.txt").unlink()

    report = update_index(seeds, folder)

    assert (report.added, report.updated, report.removed) == (1, 1, 1)
    handle = open_index(folder)
    assert ids(handle, "zanzibar") == {"new_article"}
    assert ids(handle, "quokkas") == {"002_2e98f640cd47a897"}
    assert "002_2e98f640cd47a897" not in ids(handle, "Putin")
    assert ids(handle, "Jubeir") == set()


def test_touched_but_unchanged_file_is_not_reindexed(seeds: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    update_index(seeds, folder)
    os.utime(seeds / "000_277429d245566ea2.txt", ns=(10**18, 10**18))
    report = update_index(seeds, folder)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 5)


def test_rebuild_starts_fresh_in_a_new_generation(seeds: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    update_index(seeds, folder)
    before = (folder / CURRENT).read_text()
    report = update_index(seeds, folder, rebuild=True)
    assert report.rebuilt and report.added == 5
    assert (folder / CURRENT).read_text() != before
    # the generation replaced stays while a query reads it, and goes after
    reader = open_index(folder)
    update_index(seeds, folder, rebuild=True)
    live = (folder / CURRENT).read_text().strip()
    assert sorted(p.name for p in folder.glob("gen-*")) == ["gen-000002", live]
    assert reader.segment_count() == 1  # still readable
    reader.close()
    update_index(seeds, folder)
    assert sorted(p.name for p in folder.glob("gen-*")) == [live]


def test_missing_index_is_reported(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError):
        open_index(tmp_path / "nothing")


def test_damaged_pointer_is_reported(seeds: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    update_index(seeds, folder)
    (folder / CURRENT).write_text("gen-999999\n")
    with pytest.raises(IndexDamagedError):
        open_index(folder)
    report = update_index(seeds, folder)
    assert report.rebuilt
    assert ids(open_index(folder), "Lavrov")


def test_same_stem_in_two_folders_gets_distinct_ids(index_of) -> None:
    handle = index_of({"a/x.txt": "First\nalpha words\n", "b/x.txt": "Second\nbeta words\n"})
    found = {h.id for h in search(handle, "words").hits}
    assert found == {"a/x", "b/x"}
    assert resolve_id(handle, "b/x").title == "Second"


def test_unique_prefix_resolves(seed_index) -> None:
    assert resolve_id(seed_index, "003").id == "003_325ec279d4bf9786"


# -- the posting format and the parallel writer -------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=2**31), min_size=1, max_size=40, unique=True))
def test_compact_positions_round_trip(positions: list[int]) -> None:
    fmt = CompactPositions()
    encoded = fmt.encode(sorted(positions))
    assert fmt.decode_positions(encoded) == sorted(positions)
    assert fmt.decode_frequency(encoded) == len(positions)
    assert len(CompactPositions().encode([7])) == 2


def test_fast_tokenizing_matches_the_analyzer() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    text += " U.N. cease-fire Kerry’s al-Nusra ISIS’ 9/11 Jubéir – ‘quoted’"
    tokens = [(t.text, t.pos) for t in NewsAnalyzer()(text, positions=True)]
    expected: dict[str, list[int]] = {}
    for term, pos in tokens:
        expected.setdefault(term, []).append(pos)
    assert term_positions(text) == expected


def test_parallel_build_finds_what_a_single_process_finds(
    make_corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        f"d{i:03}/a{i:04}.txt": f"Article {i}\nThe ceasefire talk number {i} in Geneva. "
        + ("Lavrov met Kerry. " if i % 3 else "Assad’s forces held the cease-fire. ")
        for i in range(120)
    }
    root = make_corpus(files)
    single = update_index(root, tmp_path / "one")
    monkeypatch.setattr(indexer, "PARALLEL_MIN", 10)
    monkeypatch.setattr(indexer, "PARALLEL_BATCH", 20)
    parallel = update_index(root, tmp_path / "many")
    assert single.added == parallel.added == 120
    one, many = open_index(tmp_path / "one"), open_index(tmp_path / "many")
    assert many.segment_count() >= 2  # one segment per worker
    for query in ("ceasefire", '"Lavrov met Kerry"', "Assad", "number 77", "Article"):
        a = [(h.id, round(h.score, 6)) for h in search(one, query, limit=None).hits]
        b = [(h.id, round(h.score, 6)) for h in search(many, query, limit=None).hits]
        assert sorted(a) == sorted(b), query
    # Incremental runs on a multi-segment index keep working.
    (root / "d005" / "a0005.txt").unlink()
    report = update_index(root, tmp_path / "many")
    assert report.removed == 1
    assert search(open_index(tmp_path / "many"), "number 5").total == 0


def test_a_dead_worker_fails_the_run_and_keeps_the_old_index(make_corpus, tmp_path: Path) -> None:
    root = make_corpus({f"a{i:03}.txt": f"Article {i}\nThe talks, round {i}." for i in range(60)})
    update_index(root, tmp_path / "ix")
    script = f"""
import os, sys
from pathlib import Path
from syrsearch.engine import indexer
from syrsearch.errors import IndexWriteError
indexer.PARALLEL_MIN, indexer.PARALLEL_BATCH = 10, 5
import signal
start = indexer.Worker.start
def start_and_kill(self):  # every worker dies at once, whatever the start method
    start(self)
    os.kill(self.pid, signal.SIGKILL)
indexer.Worker.start = start_and_kill
try:
    indexer.update_index(Path({str(root)!r}), Path({str(tmp_path / "ix")!r}), rebuild=True)
except IndexWriteError as exc:
    print("failed:", exc.message)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.startswith("failed: "), done.stdout + done.stderr
    assert search(open_index(tmp_path / "ix"), "talks").total == 60
