"""Shared fixtures: the shipped seed articles, tiny corpora, built indexes."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from syrsearch import Index, index_stats, open_index, update_index
from syrsearch.cli import app

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour or index settings leak in from the developer's shell."""
    for name in ("NO_COLOR", "FORCE_COLOR", "SYRSEARCH_INDEX", "SYRSEARCH_CORPUS", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A private copy of the shipped seed articles."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def build_index(root: Path, index_dir: Path | None = None) -> Index:
    """Index the articles under ``root`` and open the index.

    The index goes in ``index_dir``, by default ``index`` beside ``root`` (where
    the command line would put it for a corpus ``seeds`` in the working folder).
    Tests of what an index run reports call ``update_index`` themselves.
    """
    folder = root.parent / "index" if index_dir is None else index_dir
    update_index(root, folder)
    return open_index(folder)


@pytest.fixture
def seed_index(seeds: Path, tmp_path: Path) -> Index:
    """A real Whoosh index of the seed articles, on disk in tmp_path."""
    return build_index(seeds, tmp_path / "index")


@pytest.fixture
def make_corpus(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write a corpus from {relative path: text or bytes}."""

    def make(files: dict[str, str | bytes], name: str = "corpus") -> Path:
        root = tmp_path / name
        root.mkdir(exist_ok=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


@pytest.fixture
def index_of(
    make_corpus: Callable[..., Path], tmp_path: Path
) -> Callable[[dict[str, str | bytes]], Index]:
    """Index a corpus of {relative path: text or bytes} and open it.

    Each call writes a corpus and an index of its own in tmp_path (``corpus1``
    and ``index1``, then ``corpus2`` and ``index2`` ...), and checks that every
    file given became an article.
    """
    counter = itertools.count(1)

    def index(files: dict[str, str | bytes]) -> Index:
        n = next(counter)
        handle = build_index(make_corpus(files, name=f"corpus{n}"), tmp_path / f"index{n}")
        assert index_stats(handle).articles == len(files), "a file given was not indexed"
        return handle

    return index


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeds: Path) -> Path:
    """Run in tmp_path, which holds a seeds/ copy and no index yet."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def indexed(runner: CliRunner, in_tmp: Path) -> Path:
    """``in_tmp`` with the seeds indexed by ``syrsearch index`` (into ``index``)."""
    result = runner.invoke(app, ["index", "--no-messages"])
    assert result.exit_code == 0, result.output
    return in_tmp


def syrsearch_exe() -> list[str]:
    """The installed console script, falling back to ``python -m syrsearch``."""
    exe = shutil.which("syrsearch", path=os.path.dirname(sys.executable)) or shutil.which(
        "syrsearch"
    )
    return [exe] if exe else [sys.executable, "-m", "syrsearch"]


@pytest.fixture
def run_cli(in_tmp: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed ``syrsearch`` as a subprocess in the temp folder."""

    def run(
        *args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        full_env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("NO_COLOR", "FORCE_COLOR", "SYRSEARCH_INDEX", "SYRSEARCH_CORPUS")
        }
        full_env.update(env or {})
        return subprocess.run(
            [*syrsearch_exe(), *args],
            cwd=in_tmp,
            input=input,
            capture_output=True,
            text=True,
            env=full_env,
            timeout=timeout,
        )

    return run


BBC_SPORT = Path("/work/shared/news/bbcsport")


@pytest.fixture(scope="session")
def bbc_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index folder of the BBC Sport collection (read-only; built once)."""
    if not BBC_SPORT.is_dir():
        pytest.skip("BBC Sport collection not present")
    folder = tmp_path_factory.mktemp("bbc") / "index"
    update_index(BBC_SPORT, folder)
    return folder
