"""Ids, the corpus an index is bound to, and staleness: on BBC Sport and small
corpora laid out as real collections are (one folder per topic, every folder
numbering its files from 001)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from syrsearch.cli import app
from syrsearch.errors import ExitCode

from .conftest import SEEDS

BBC = Path("/work/shared/news/bbcsport")
needs_bbc = pytest.mark.skipif(not BBC.is_dir(), reason="BBC Sport collection not present")

TOPICS = {
    "business/001.txt": "Oil prices rise again\nCrude oil rose as the markets weighed supply.\n",
    "business/004.txt": "Bank profits climb\nThe bank said profits climbed in the quarter.\n",
    "sport/004.txt": "Cup holders knocked out\nThe holders were knocked out of the cup.\n",
    "entertainment/001.txt": "Film wins top award\nThe film won the festival's top award.\n",
}


def invoke(runner, *args: str):
    return runner.invoke(app, list(args))


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def ids(runner, *args: str) -> list[str]:
    result = invoke(runner, "query", *args, "--format", "jsonl", "--limit", "0")
    assert result.exit_code in (0, 1), result.stderr
    return sorted(json.loads(line)["id"] for line in result.stdout.splitlines())


# -- ids ----------------------------------------------------------------------------


def test_ids_are_paths_without_txt_and_survive_a_rebuild_without_a_folder(
    runner, in_tmp: Path
) -> None:
    write(in_tmp / "news", TOPICS)
    assert invoke(runner, "index", "--corpus", "news", "--no-messages").exit_code == 0
    assert ids(runner, "the") == ["business/001", "business/004", "entertainment/001", "sport/004"]
    shutil.rmtree(in_tmp / "news" / "business")
    assert invoke(runner, "index", "--no-messages").exit_code == 0
    assert ids(runner, "the") == ["entertainment/001", "sport/004"]
    assert invoke(runner, "index", "--rebuild", "--no-messages").exit_code == 0
    # entertainment/001 does not become "001" once business/001 is gone.
    assert ids(runner, "the") == ["entertainment/001", "sport/004"]


def test_show_takes_an_id_a_prefix_or_the_path_as_on_disk(runner, in_tmp: Path) -> None:
    write(in_tmp / "news", TOPICS)
    assert invoke(runner, "index", "--corpus", "news", "--no-messages").exit_code == 0
    for given in (
        "business/004",
        "business/004.txt",
        "news/business/004.txt",
        "./news/business/004.txt",
        str(in_tmp / "news" / "business" / "004.txt"),
    ):
        result = invoke(runner, "show", given, "-f", "text")
        assert result.exit_code == 0, (given, result.stderr)
        assert result.stdout.splitlines()[:2] == ["Bank profits climb", "id: business/004"]
    assert invoke(runner, "show", "sport/00", "-f", "text").stdout.startswith("Cup holders")
    ambiguous = invoke(runner, "show", "business/00")
    assert ambiguous.exit_code == ExitCode.ERROR
    assert "business/001, business/004" in ambiguous.stderr


def test_a_path_given_from_inside_the_corpus_resolves(runner, in_tmp: Path, monkeypatch) -> None:
    write(in_tmp / "news", TOPICS)
    assert invoke(runner, "index", "--corpus", "news", "--no-messages").exit_code == 0
    monkeypatch.chdir(in_tmp / "news" / "sport")
    result = invoke(runner, "show", "004.txt", "--index-dir", "../../index", "-f", "text")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == "id: sport/004"


def test_flat_corpus_ids_are_file_names(runner, indexed: Path) -> None:
    assert ids(runner, "Syria") == sorted(p.stem for p in SEEDS.glob("*.txt"))
    result = invoke(runner, "show", "seeds/003_325ec279d4bf9786.txt", "-f", "text")
    assert result.stdout.splitlines()[1] == "id: 003_325ec279d4bf9786"


@needs_bbc
def test_bbc_ids_tell_the_sports_apart(bbc_index: Path, runner) -> None:
    for sport in ("football", "tennis", "rugby", "cricket", "athletics"):
        result = invoke(runner, "show", f"{sport}/001", "--index-dir", str(bbc_index), "-f", "text")
        assert result.exit_code == 0, result.stderr
        title = (BBC / sport / "001.txt").read_text(encoding="utf-8").splitlines()[0]
        assert result.stdout.splitlines()[:3] == [
            title,
            f"id: {sport}/001",
            f"path: {BBC}/{sport}/001.txt",
        ]


# -- the index remembers its corpus ----------------------------------------------------


def test_index_without_corpus_refreshes_its_own_from_any_folder(
    runner, in_tmp: Path, monkeypatch
) -> None:
    corpus = write(in_tmp / "news", TOPICS)
    assert (
        invoke(runner, "index", "--corpus", "news", "--index-dir", "ix", "--no-messages").exit_code
        == 0
    )
    elsewhere = in_tmp / "elsewhere"
    shutil.copytree(SEEDS, elsewhere / "seeds")  # a seeds/ that must not be taken
    monkeypatch.chdir(elsewhere)
    write(corpus, {"sport/005.txt": "Late winner\nA late winner settled the derby.\n"})
    result = invoke(runner, "index", "--index-dir", "../ix", "--json", "--no-messages")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["added"], report["removed"], report["articles"]) == (1, 0, 5)


def test_another_corpus_is_an_error_naming_both_until_rebuild(runner, in_tmp: Path) -> None:
    write(in_tmp / "news", TOPICS)
    assert invoke(runner, "index", "--corpus", "news", "--no-messages").exit_code == 0
    result = invoke(runner, "index", "--corpus", "seeds")
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    line = result.stderr.strip()
    assert line.count("\n") == 0 and line.startswith("syrsearch: error: ")
    assert str(in_tmp / "news") in line and str(in_tmp / "seeds") in line and "--rebuild" in line
    assert len(ids(runner, "the")) == 4  # unchanged
    assert invoke(runner, "index", "--corpus", "seeds", "--rebuild", "--no-messages").exit_code == 0
    assert ids(runner, "Syria") == sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_a_missing_corpus_is_an_error_and_removes_nothing(runner, in_tmp: Path, run_cli) -> None:
    write(in_tmp / "news", TOPICS)
    assert invoke(runner, "index", "--corpus", "news", "--no-messages").exit_code == 0
    (in_tmp / "news").rename(in_tmp / "news-away")
    proc = run_cli("index")
    assert proc.returncode == ExitCode.ERROR
    assert proc.stderr.startswith("syrsearch: error: corpus folder ")
    assert "unchanged" in proc.stderr and "Traceback" not in proc.stderr
    query = run_cli("query", "the", "-f", "paths")
    assert query.returncode == 0 and len(query.stdout.splitlines()) == 4
    assert "corpus folder" in query.stderr and "is gone" in query.stderr


def test_an_index_moved_with_its_corpus_finds_it(runner, in_tmp: Path, monkeypatch) -> None:
    write(in_tmp / "a" / "news", TOPICS)
    monkeypatch.chdir(in_tmp / "a")
    assert invoke(runner, "index", "--corpus", "news", "--no-messages").exit_code == 0
    (in_tmp / "a").rename(in_tmp / "b")
    monkeypatch.chdir(in_tmp / "b")
    result = invoke(runner, "index", "--json", "--no-messages")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["unchanged"] == 4


# -- staleness --------------------------------------------------------------------


def test_a_stale_index_says_so_in_one_stderr_line(run_cli, in_tmp: Path) -> None:
    assert run_cli("index", "--no-messages").returncode == 0
    fresh = run_cli("query", "Lavrov", "-f", "paths")
    assert fresh.returncode == 0 and fresh.stderr == ""
    seeds = in_tmp / "seeds"
    (seeds / "new.txt").write_text("Fresh talks\nLavrov met Kerry again.\n", encoding="utf-8")
    (seeds / "001_fcd0c7a043fc03f3.txt").unlink()
    changed = seeds / "002_2e98f640cd47a897.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nLavrov added.\n", encoding="utf-8")
    stale = run_cli("query", "Lavrov", "-f", "paths")
    assert stale.returncode == 0
    assert stale.stderr == (
        "syrsearch: 3 files changed since the index was built; run 'syrsearch index'\n"
    )
    assert "new.txt" not in stale.stdout  # answered from the index as it is
    assert run_cli("query", "Lavrov", "--no-messages").stderr == ""
    gone = run_cli("show", "001_fcd0c7a043fc03f3", "-f", "text")
    assert gone.returncode == 0
    assert "001_fcd0c7a043fc03f3.txt' is gone since the index was built" in gone.stderr
    assert gone.stdout.startswith("UN resolution on Syria")
    assert run_cli("index", "--no-messages").returncode == 0
    assert run_cli("query", "Lavrov", "-f", "paths").stderr == ""


def test_a_skipped_file_does_not_make_the_index_stale(runner, in_tmp: Path) -> None:
    (in_tmp / "seeds" / "empty.txt").write_bytes(b"")
    assert invoke(runner, "index", "--no-messages").exit_code == 0
    result = invoke(runner, "query", "Lavrov", "-f", "paths")
    assert result.exit_code == 0 and result.stderr == ""
    os.utime(in_tmp / "seeds" / "empty.txt", ns=(1, 1))
    assert "1 file changed" in invoke(runner, "query", "Lavrov").stderr


def test_a_large_corpus_is_checked_by_its_folders_times(runner, in_tmp: Path, monkeypatch) -> None:
    """Past IN_PLACE_CHECKED files a query stats the folders, not every file:
    a file added, removed or renamed is still counted exactly, in any folder;
    a file rewritten in place is found by the next index run."""
    from syrsearch.engine import index as index_module

    monkeypatch.setattr(index_module, "IN_PLACE_CHECKED", 2)  # the 4 files are "many"
    news = write(in_tmp / "news", TOPICS)
    assert invoke(runner, "index", "--corpus", "news", "--no-messages").exit_code == 0
    meta = json.loads(next((in_tmp / "index").glob("gen-*/syrsearch.json")).read_text())
    assert sorted(meta["folders"]) == ["", "business/", "entertainment/", "sport/"]
    assert invoke(runner, "query", "the", "-f", "paths").stderr == ""
    edited = news / "sport" / "004.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "Cup final replayed.\n")
    assert invoke(runner, "query", "the", "-f", "paths").stderr == ""  # only its folder's time
    (news / "business" / "009.txt").write_text("Shares fall\nShares fell sharply.\n")
    stale = invoke(runner, "query", "the", "-f", "paths").stderr
    assert stale == "syrsearch: 2 files changed since the index was built; run 'syrsearch index'\n"
    result = invoke(runner, "index", "--json", "--no-messages")
    assert json.loads(result.stdout)["added"] == 1 and json.loads(result.stdout)["updated"] == 1
    assert invoke(runner, "query", "the", "-f", "paths").stderr == ""
    (news / "entertainment" / "001.txt").rename(news / "entertainment" / "002.txt")
    assert "2 files changed" in invoke(runner, "query", "the", "-f", "paths").stderr
    monkeypatch.setattr(index_module, "IN_PLACE_CHECKED", 10_000)
    assert invoke(runner, "index", "--no-messages").exit_code == 0
    edited.write_text(edited.read_text(encoding="utf-8") + "Again.\n")
    assert "1 file changed" in invoke(runner, "query", "the", "-f", "paths").stderr


@needs_bbc
def test_bbc_index_is_current_after_indexing(bbc_index: Path, runner) -> None:
    result = invoke(runner, "query", "Henman", "--index-dir", str(bbc_index), "-f", "paths")
    assert result.exit_code == 0 and result.stderr == ""
    assert "tennis/001.txt" in result.stdout


def test_an_index_of_an_older_format_is_rebuilt_from_its_own_corpus(
    runner, in_tmp: Path, monkeypatch
) -> None:
    write(in_tmp / "news", TOPICS)
    assert (
        invoke(runner, "index", "--corpus", "news", "--index-dir", "ix", "--no-messages").exit_code
        == 0
    )
    gen = in_tmp / "ix" / (in_tmp / "ix" / "CURRENT").read_text().strip()
    meta = json.loads((gen / "syrsearch.json").read_text())
    (gen / "syrsearch.json").write_text(json.dumps({**meta, "format": 4}))
    monkeypatch.chdir(in_tmp / "seeds" / "..")  # a folder that has a seeds/
    result = invoke(runner, "index", "--index-dir", "ix", "--json", "--no-messages")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["rebuilt"], report["added"]) == (True, 4)
    assert ids(runner, "the", "--index-dir", "ix") == sorted(k[:-4] for k in TOPICS)
