"""Incremental indexing: add, change, delete, no-op, rebuild, ids."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from syrsearch.errors import IndexDamagedError, IndexMissingError
from syrsearch.indexer import CURRENT, open_index, update_index
from syrsearch.search import resolve_id, search


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
    # the generation just replaced stays for queries that still read it; older ones go
    update_index(seeds, folder, rebuild=True)
    live = (folder / CURRENT).read_text().strip()
    assert sorted(p.name for p in folder.glob("gen-*")) == ["gen-000002", live]


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


def test_same_stem_in_two_folders_gets_distinct_ids(make_corpus, tmp_path: Path) -> None:
    corpus = make_corpus({"a/x.txt": "First\nalpha words\n", "b/x.txt": "Second\nbeta words\n"})
    update_index(corpus, tmp_path / "ix")
    handle = open_index(tmp_path / "ix")
    found = {h.id for h in search(handle, "words").hits}
    assert found == {"x", "b/x"}
    assert resolve_id(handle, "b/x").title == "Second"


def test_unique_prefix_resolves(seed_index) -> None:
    assert resolve_id(seed_index, "003").id == "003_325ec279d4bf9786"
