"""Index workers: Ctrl-C is one line and exit 130, a killed run leaves no
worker behind, for the fork, spawn and forkserver start methods alike; no
fork-with-threads warning; each phase of a long run is shown."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from syrsearch import open_index, search, update_index
from syrsearch.engine import indexer

METHODS = [
    m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()
]

# Runs the command line on a corpus with the parallel writer made to start at
# 10 articles; each worker's pid goes to PIDS as it starts. With HOLD set, the
# run stops once every worker is up, so that the test can interrupt or kill it.
SCRIPT = """
import os, sys, time, warnings
warnings.simplefilter("always")
from syrsearch.engine import indexer
from syrsearch.cli import main
indexer.PARALLEL_MIN, indexer.PARALLEL_BATCH = 10, 5
start, hand_out = indexer.Worker.start, indexer._hand_out
def started(self):
    start(self)
    with open(os.environ["PIDS"], "a") as out:
        out.write(f"{self.pid}\\n")
def held(*args):
    if os.environ.get("HOLD") and os.path.exists(os.environ["PIDS"]):
        with open(os.environ["PIDS"]) as pids:
            if len(pids.read().split()) >= 2:
                time.sleep(600)
    return hand_out(*args)
indexer.Worker.start, indexer._hand_out = started, held
sys.argv = ["syrsearch", *sys.argv[1:]]
main()
"""


def articles(root: Path, n: int, word: str = "talks") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"a{i:03}.txt").write_text(
            f"Article {i}\\nGENEVA - The {word}, round {i}, on the ceasefire in Aleppo.\\n"
        )
    return root


def _ctrl_c_at_its_default() -> None:
    """A shell on a terminal starts a command with SIGINT at its default; this
    test may itself run where SIGINT is ignored (a background job, nohup),
    which a child would inherit and keep (so Ctrl-C would not reach Python)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_held(tmp_path: Path, method: str, *args: str) -> tuple[subprocess.Popen[str], list[int]]:
    """Start an index run that holds once its workers are up; it and their pids."""
    pids = tmp_path / "pids.txt"
    env = {**os.environ, "SYRSEARCH_START_METHOD": method, "PIDS": str(pids), "HOLD": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, "index", *args],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, preexec_fn=_ctrl_c_at_its_default,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = pids.read_text().split() if pids.exists() else []
        if len(found) >= 2:
            time.sleep(1.5)  # let the workers reach their own start-up
            return proc, [int(p) for p in found]
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("the workers never started: " + proc.communicate()[1])


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def all_gone(pids: list[int], within: float = 15) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.2)
    return False


needs_procs = pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="workers run on Linux with two CPUs or more",
)


@needs_procs
@pytest.mark.parametrize("method", METHODS)
def test_ctrl_c_is_one_line_and_exit_130_and_keeps_the_index(tmp_path: Path, method) -> None:
    corpus = articles(tmp_path / "corpus", 60)
    update_index(corpus, tmp_path / "index")
    proc, pids = run_held(tmp_path, method, "--corpus", "corpus", "--rebuild")
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    if method == "fork":  # asked for: Python 3.12+ may warn of forking with the queue's thread
        err = "".join(line for line in err.splitlines(True) if "fork()" not in line)
    assert err == "syrsearch: interrupted\n", err
    assert all_gone(pids), "a worker outlived the interrupted run"
    assert search(open_index(tmp_path / "index"), "talks").total == 60


@needs_procs
@pytest.mark.parametrize("method", METHODS)
def test_workers_die_with_a_killed_parent(tmp_path: Path, method) -> None:
    articles(tmp_path / "corpus", 60)
    proc, pids = run_held(tmp_path, method, "--corpus", "corpus")
    assert all(alive(p) for p in pids)
    proc.kill()  # SIGKILL: nothing of the parent's runs any more
    proc.communicate(timeout=30)
    assert all_gone(pids), "a worker outlived its killed parent"


@needs_procs
@pytest.mark.parametrize("method", METHODS)
def test_a_parallel_build_under_each_method(tmp_path: Path, method) -> None:
    corpus = articles(tmp_path / "corpus", 60, word="negotiations")
    pids = tmp_path / "pids.txt"
    env = {**os.environ, "SYRSEARCH_START_METHOD": method, "PIDS": str(pids)}
    done = subprocess.run(
        [sys.executable, "-W", "always::DeprecationWarning", "-c", SCRIPT, "index",
         "--corpus", "corpus"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(pids.read_text().split()) == 2, "the run was parallel"
    if method != "fork":  # fork, when asked for, forks beside the job queue's feeder thread
        assert "fork()" not in done.stderr and "Warning" not in done.stderr, done.stderr
    assert search(open_index(tmp_path / "index"), "negotiate").total == 60
    assert corpus.is_dir()


def test_the_default_start_method_never_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYRSEARCH_START_METHOD", raising=False)
    assert indexer.start_method() in ("forkserver", "spawn")
    monkeypatch.setenv("SYRSEARCH_START_METHOD", "spawn")
    assert indexer.start_method() == "spawn"
    monkeypatch.setenv("SYRSEARCH_START_METHOD", "teleport")
    assert indexer.start_method() != "teleport"


class Events:
    def __init__(self) -> None:
        self.heard: list[str] = []

    def progress(self, done: int, total: int) -> None:
        if not self.heard or self.heard[-1] != "progress":
            self.heard.append("progress")

    def phase(self, name: str) -> None:
        self.heard.append(name)


def test_each_phase_of_a_run_is_told(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = articles(tmp_path / "corpus", 30)
    events = Events()
    update_index(corpus, tmp_path / "ix", progress=events.progress, phase=events.phase)
    assert events.heard == ["scanning the corpus", "progress", "writing the index"]
    merged = False
    for word in ("truce", "envoy", "corridor"):  # each update adds a small segment
        articles(corpus, 40, word=word)
        events = Events()
        update_index(corpus, tmp_path / "ix", progress=events.progress, phase=events.phase)
        assert events.heard[:3] == ["scanning the corpus", "reading the index", "progress"]
        assert events.heard[-1] == "writing the index"
        merged = merged or "merging segments" in events.heard
    assert merged
    monkeypatch.setattr(indexer, "PARALLEL_MIN", 10)
    monkeypatch.setattr(indexer, "PARALLEL_BATCH", 5)
    events = Events()
    update_index(corpus, tmp_path / "ix", rebuild=True, progress=events.progress,
                 phase=events.phase)  # fmt: skip
    assert events.heard[-2] == "progress"
    assert events.heard[-1].startswith("writing the index (")
