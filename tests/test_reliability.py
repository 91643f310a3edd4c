"""Reliability: crashes, concurrency, damaged indexes, bad files, hostile text."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from syrsearch.cli import app
from syrsearch.engine.index import CURRENT
from syrsearch.errors import ExitCode

from .conftest import syrsearch_exe

WORDS = [
    "treaty", "summit", "talks", "ceasefire", "minister", "geneva", "aleppo", "delegation",
    "envoy", "resolution", "council", "monitor", "truce", "corridor", "sanctions", "opposition",
]  # fmt: skip


def write_articles(root: Path, start: int, stop: int, version: str = "") -> None:
    rng = random.Random(start)
    root.mkdir(parents=True, exist_ok=True)
    for n in range(start, stop):
        body = " ".join(rng.choice(WORDS) for _ in range(80))
        (root / f"a{n:05d}.txt").write_text(f"Article {n} {version}\nmarker{n} {body}.\n")


def cli(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*syrsearch_exe(), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def exported(cwd: Path, index: str) -> list[dict]:
    done = cli("export", "--index-dir", index, "--corpus", "corpus", cwd=cwd)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def one_line_error(done: subprocess.CompletedProcess[str], needle: str) -> None:
    assert done.returncode == ExitCode.ERROR
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert needle in done.stderr


# -- crashes and concurrency ---------------------------------------------------------------


@pytest.mark.slow
def test_sigkill_at_random_points_never_breaks_the_index(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_articles(corpus, 0, 2000)
    assert cli("index", "--corpus", "corpus", "--no-messages", cwd=tmp_path).returncode == 0
    old_ids = {d["id"] for d in exported(tmp_path, "index")}
    write_articles(corpus, 2000, 3000)
    write_articles(corpus, 0, 100, version="v2")
    for n in range(100, 150):
        (corpus / f"a{n:05d}.txt").unlink()
    new_ids = (old_ids | {f"a{n:05d}" for n in range(2000, 3000)}) - {
        f"a{n:05d}" for n in range(100, 150)
    }

    rng = random.Random(7)
    for attempt in range(5):
        args = ["index", "--corpus", "corpus", "--no-messages"] + (
            ["--rebuild"] if attempt % 2 else []
        )
        proc = subprocess.Popen([*syrsearch_exe(), *args], cwd=tmp_path)
        time.sleep(rng.uniform(0.3, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # the index is whole: either the last complete state or the new one
        ids = {d["id"] for d in exported(tmp_path, "index")}
        assert ids in (old_ids, new_ids)
        query = cli("query", "ceasefire", "--corpus", "corpus", "--count", cwd=tmp_path)
        assert query.returncode == 0, query.stderr

    assert cli("index", "--corpus", "corpus", "--no-messages", cwd=tmp_path).returncode == 0
    assert (
        cli(
            "index", "--corpus", "corpus", "--index-dir", "fresh", "--no-messages", cwd=tmp_path
        ).returncode
        == 0
    )
    assert exported(tmp_path, "index") == exported(tmp_path, "fresh")
    assert {d["id"] for d in exported(tmp_path, "index")} == new_ids
    # nothing the killed runs wrote is left: the live generation and its committed files
    index = tmp_path / "index"
    live = (index / "CURRENT").read_text().strip()
    assert sorted(p.name for p in index.iterdir()) == ["CURRENT", "LOCK", live]
    committed = json.loads((index / live / "checksums.json").read_text())["files"]
    segment_files = {p.name for p in (index / live).glob("*MAIN_*") if p.name != "MAIN_WRITELOCK"}
    assert segment_files == set(committed)


@pytest.mark.slow
def test_queries_during_a_rebuild_see_the_last_committed_index(tmp_path: Path) -> None:
    write_articles(tmp_path / "corpus", 0, 3000)
    assert cli("index", "--corpus", "corpus", "--no-messages", cwd=tmp_path).returncode == 0
    before = cli("query", "marker7", "--corpus", "corpus", "-f", "paths", cwd=tmp_path).stdout
    proc = subprocess.Popen(
        [*syrsearch_exe(), "index", "--rebuild", "--corpus", "corpus", "--no-messages"],
        cwd=tmp_path,
    )
    answered = 0
    try:
        while proc.poll() is None and answered < 20:
            done = cli("query", "marker7", "--corpus", "corpus", "-f", "paths", cwd=tmp_path)
            assert done.returncode == 0, done.stderr
            assert done.stdout == before
            answered += 1
    finally:
        proc.wait(timeout=300)
    assert answered > 0 and proc.returncode == 0


def test_second_writer_waits_then_fails_with_one_line(seeds: Path, tmp_path: Path) -> None:
    from whoosh.filedb.filestore import FileStorage

    (tmp_path / "index").mkdir()
    lock = FileStorage(str(tmp_path / "index")).lock("LOCK")
    assert lock.acquire(blocking=False)
    try:
        started = time.monotonic()
        done = cli("index", "--wait", "1", cwd=tmp_path)
        assert time.monotonic() - started >= 1
        assert "waiting for another" in done.stderr
        assert done.returncode == ExitCode.ERROR
        assert done.stderr.strip().splitlines()[-1].startswith("syrsearch: error: ")
        assert "being written by another process" in done.stderr
    finally:
        lock.release()
    assert cli("index", "--no-messages", cwd=tmp_path).returncode == 0


def test_a_killed_writer_leaves_no_stale_lock(seeds: Path, tmp_path: Path) -> None:
    (tmp_path / "index").mkdir()
    script = (
        "import time; from whoosh.filedb.filestore import FileStorage; "
        f"lock = FileStorage({str(tmp_path / 'index')!r}).lock('LOCK'); lock.acquire(); "
        "print('held', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    done = cli("index", "--wait", "0", cwd=tmp_path)
    assert done.returncode == 0, done.stderr


# -- damaged indexes -----------------------------------------------------------------------


def _damage(index: Path, how: str) -> None:
    gen = index / (index / CURRENT).read_text().strip()
    seg = next(gen.glob("*.trm"))
    if how == "truncated segment":
        seg.write_bytes(seg.read_bytes()[: seg.stat().st_size // 2])
    elif how == "missing segment":
        seg.unlink()
    elif how == "garbage table of contents":
        next(gen.glob("*.toc")).write_bytes(b"\x00garbage" * 10)
    elif how == "incompatible format":
        meta = json.loads((gen / "syrsearch.json").read_text())
        meta["format"] = 999
        (gen / "syrsearch.json").write_text(json.dumps(meta))
    elif how == "dangling CURRENT":
        (index / CURRENT).write_text("gen-424242\n")
    elif how == "CURRENT of random bytes":
        (index / CURRENT).write_bytes(bytes(random.Random(5).randrange(256) for _ in range(64)))


@pytest.mark.parametrize(
    "how",
    [
        "truncated segment",
        "missing segment",
        "garbage table of contents",
        "incompatible format",
        "dangling CURRENT",
        "CURRENT of random bytes",
    ],
)
def test_damaged_index_is_detected_and_rebuild_recovers(
    seeds: Path, tmp_path: Path, how: str
) -> None:
    assert cli("index", "--no-messages", cwd=tmp_path).returncode == 0
    _damage(tmp_path / "index", how)
    for args in (["query", "ceasefire"], ["show", "000"], ["export"]):
        done = cli(*args, cwd=tmp_path)
        one_line_error(done, "syrsearch index --rebuild")
        assert done.stdout == ""
    assert cli("index", "--rebuild", "--no-messages", cwd=tmp_path).returncode == 0
    assert cli("query", "ceasefire", "--count", cwd=tmp_path).stdout == "4\n"


def test_damage_found_only_while_searching_is_one_line(seeds: Path, tmp_path: Path) -> None:
    assert cli("index", "--no-messages", cwd=tmp_path).returncode == 0
    gen = tmp_path / "index" / (tmp_path / "index" / CURRENT).read_text().strip()
    postings = next(gen.glob("*.pst"))
    postings.write_bytes(postings.read_bytes()[:1000])
    done = cli("query", "Lavrov", cwd=tmp_path)
    one_line_error(done, "index in 'index' is damaged")
    assert "syrsearch index --rebuild" in done.stderr
    assert done.stdout == ""
    assert cli("index", "--rebuild", "--no-messages", cwd=tmp_path).returncode == 0
    assert cli("query", "Lavrov", "--count", cwd=tmp_path).stdout == "5\n"


# -- bad files -----------------------------------------------------------------------------


def test_a_corpus_of_bad_files_indexes_everything_readable(tmp_path: Path) -> None:
    c = tmp_path / "corpus"
    c.mkdir()
    (c / "good.txt").write_text("Good\nThe okapi talks.\n")
    (c / "latin1.txt").write_bytes("Café\nLe café okapi d\u00e9j\u00e0.\n".encode("cp1252"))
    (c / "utf16.txt").write_bytes("Utf16\nokapi in sixteen bits\n".encode("utf-16"))
    (c / "broken utf8.txt").write_bytes(
        "Broken\nokapi caf\u00e9 \u2014 ".encode() + b"\xff\xfe end\n"
    )
    (c / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (c / "empty.txt").write_bytes(b"")
    (c / "blank.txt").write_text("  \n\t\n")
    (c / "dir.txt").mkdir()
    (c / "dir.txt" / "inner.txt").write_text("Inner\nokapi inside a folder named dir.txt\n")
    (c / "loop.txt").symlink_to("loop.txt")
    (c / "with\nnewline.txt").write_text("Newline\nokapi with a newline in its name\n")
    (c / os.fsdecode(b"caf\xe9-name.txt")).write_text("Bytes\nokapi with a latin-1 name\n")
    (c / "self").symlink_to(".")
    os.mkfifo(c / "fifo.txt")
    big = "Big\n" + "filler words here. " * 150_000 + "okapi at the very end.\n"
    (c / "big.txt").write_text(big)

    done = cli("index", "--corpus", "corpus", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if ": warning: " in line]
    for name in (
        "latin1.txt",
        "broken utf8.txt",
        "binary.txt",
        "empty.txt",
        "blank.txt",
        "loop.txt",
        "caf\\xe9-name.txt",
        "big.txt",
        "fifo.txt",
    ):
        assert sum(name in w for w in warnings) == 1, (name, warnings)
    assert "5 skipped" in done.stderr
    found = cli("query", "okapi", "--corpus", "corpus", "-f", "json", "--limit", "0", cwd=tmp_path)
    titles = {h["title"] for h in json.loads(found.stdout)["hits"]}
    assert titles == {"Good", "Café", "Utf16", "Broken", "Inner", "Newline", "Bytes"}
    # past the indexed part of an over-long file, nothing is found (and the run said so)
    assert "only the first 2,000,000 indexed" in done.stderr
    assert "utf16.txt" not in done.stderr  # a byte-order mark is a fine encoding


# -- bad queries and hostile text ----------------------------------------------------------


def test_a_huge_query_answers_in_bounded_time(runner, in_tmp: Path) -> None:
    started = time.monotonic()
    result = runner.invoke(app, ["query", "ceasefire " * 10_000 + '"(' * 5_000])
    assert result.exit_code in (0, 1, 2)
    assert time.monotonic() - started < 60
    assert "Traceback" not in result.stderr


def test_hostile_article_text_is_never_interpreted(runner, in_tmp: Path) -> None:
    (in_tmp / "seeds" / "evil.txt").write_text(
        "[bold red]Evil[/] \x1b]0;pwned\x07 title\n"
        "The zebra said \x1b[2J\x1b[31mred[/red] [link=http://x]click[/link] \u202eevil.\n"
    )
    for fmt in ("text", "rich"):
        result = runner.invoke(app, ["query", "zebra", "-f", fmt, "--color", "always"])
        assert result.exit_code == 0
        out = result.stdout
        assert "\x1b]0;" not in out and "\x1b[2J" not in out and "\x07" not in out
        assert "\u202e" not in out
        assert "[bold red]Evil[/]" in out and "[link=http://x]click[/link]" in out
    raw = runner.invoke(app, ["query", "zebra", "-f", "json"]).stdout
    assert "\x1b" not in raw and "\\u001b" in raw
    hit = json.loads(raw)["hits"][0]
    assert "\x1b[2J" in hit["snippets"][0]["text"]
    shown = runner.invoke(app, ["show", "evil"]).stdout
    assert "\x1b" not in shown and "[bold red]Evil[/]" in shown


def test_ids_never_reach_outside_the_index(runner, indexed: Path) -> None:
    for ident in ("../../etc/passwd", "/etc/passwd", "..", "seeds/../../x"):
        result = runner.invoke(app, ["show", ident])
        assert result.exit_code == ExitCode.ERROR
        assert "root:" not in result.stdout


QUERY_PIECES = st.sampled_from(
    ['"', "'", "(", ")", "AND", "OR", "NOT", "*", "?", "~", "^", ":", "title:", "nosuch:",
     "body:", "[", "]", "{", "}", "TO", "-", "+", "\\", "\x00", "\x1b[31m", "\u202e", "ceasefire",
     "Lavrov", "cease-fire", "U.N.", "~2", "/", "\n", "\t", " "]
)  # fmt: skip


@pytest.fixture(scope="module")
def shared_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from .conftest import SEEDS, build_index

    handle = build_index(SEEDS, tmp_path_factory.mktemp("hypothesis") / "index")
    return handle.folder, SEEDS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(), st.lists(QUERY_PIECES, max_size=12).map("".join)))
def test_any_query_ends_in_0_1_or_2_with_one_line(shared_index, text: str) -> None:
    folder, corpus = shared_index
    runner = CliRunner()
    for extra in ([], ["--any"], ["--explain"], ["-f", "json"]):
        result = runner.invoke(
            app, ["query", "--index-dir", str(folder), "--corpus", str(corpus), *extra, "--", text]
        )
        assert result.exit_code in (0, 1, 2), (text, extra, result.output)
        assert "Traceback" not in result.stderr
        if result.exit_code == 2:
            assert result.stdout == ""
            assert len(result.stderr.splitlines()) == 1
            assert result.stderr.startswith("syrsearch: error: ")
