"""The interactive search (``syrsearch tui``): the only package that imports Textual."""

from __future__ import annotations

from pathlib import Path


def run(index_dir: Path, corpus: Path, *, query: str = "", any_word: bool = False) -> int:
    """Run the interactive search until the user quits (Textual loaded only now)."""
    from .app import run as run_app

    return run_app(index_dir, corpus, query=query, any_word=any_word)


__all__ = ["run"]
