"""Shell completion of values read from the index: article ids, sources.

Click calls these while the shell completes a word (``syrsearch show 00<TAB>``);
the index is the one the command line names (``--index-dir``, else
``$SYRSEARCH_INDEX``, else ``index``). A completion never fails: with no
index, or a damaged one, it offers nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from ..errors import SyrsearchError

MOST = 200
"""Most values offered at once."""


def _index_dir(ctx: typer.Context) -> Path:
    given = ctx.params.get("index_dir")
    return Path(given) if given else Path(os.environ.get("SYRSEARCH_INDEX", "index"))


def complete_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """Ids that start with what is typed."""
    from ..app import ids_starting
    from ..engine.index import open_index

    try:
        return ids_starting(open_index(_index_dir(ctx)), incomplete, MOST)
    except (SyrsearchError, OSError):
        return []


def complete_source(ctx: typer.Context, incomplete: str) -> list[str]:
    """The index's sources whose name starts with what is typed."""
    from ..app import source_names
    from ..engine.index import open_index

    try:
        names = source_names(open_index(_index_dir(ctx)), MOST)
    except (SyrsearchError, OSError):
        return []
    return [n for n in names if n.startswith(incomplete)]
