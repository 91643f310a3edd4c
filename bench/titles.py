"""A title pasted as a query finds its article first (BBC Sport).

Every article's title is searched as an ``--any`` query (what a user pasting
a headline runs), with feedback (``--expand``, the default of ``--any``) and
without (``--no-expand``), and as a plain (all-words) query; a query succeeds
at 1 when the first hit has that title (byte-identical copies share it, so
either copy counts). It prints the success@1 of each and the titles missed,
with what came first instead.

    python bench/titles.py [--corpus DIR] [--index-dir DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import syrsearch

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "news" / "bbcsport"


MODES = (("--any", True, True), ("--any --no-expand", True, False), ("all words", False, False))


def run(index: syrsearch.Index, any_word: bool, expand: bool) -> tuple[int, int, list[str]]:
    """(successes, queries, misses) over every title of the index."""
    titles = [(h.id, h.title) for h in syrsearch.search(index, "*", limit=None).hits]
    ok, misses = 0, []
    for article_id, title in titles:
        hits = syrsearch.search(index, title, any_word=any_word, expand=expand, limit=1).hits
        if hits and hits[0].title == title:
            ok += 1
        else:
            first = f"{hits[0].id} {hits[0].title!r}" if hits else "no hit"
            misses.append(f"{article_id} {title!r} -> {first}")
    return ok, len(titles), misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=BBC)
    parser.add_argument("--index-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        where = args.index_dir or Path(tmp) / "index"
        syrsearch.update_index(args.corpus, where)
        with syrsearch.open_index(where) as index:
            for name, any_word, expand in MODES:
                ok, n, misses = run(index, any_word, expand)
                print(f"{name}: success@1 {ok / n:.3f} ({ok} of {n})")
                for miss in misses:
                    print(f"  miss: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
