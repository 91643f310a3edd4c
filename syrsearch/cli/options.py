"""The options the commands share, declared once, with the library's defaults.

Choices are Enums, so a bad ``--format``, ``--color`` or ``--sort`` is the same
one-line usage error as a bad ``--limit``, and ``--help`` lists the values.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..model import SortOrder
from ..output.terminal import ColorMode, OutputFormat

DEFAULT_CORPUS = Path("seeds")
DEFAULT_INDEX = Path("index")

IndexDir = Annotated[
    Path,
    typer.Option("--index-dir", envvar="SYRSEARCH_INDEX", help="Index folder.", show_default=True),
]
Corpus = Annotated[
    Path,
    typer.Option("--corpus", envvar="SYRSEARCH_CORPUS", help="Folder of .txt articles."),
]
_FORMAT_HELP = "Output format  [default: rich on a terminal, text otherwise]"
Format = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", case_sensitive=False, help=_FORMAT_HELP, show_default=False),
]
Color = Annotated[
    ColorMode, typer.Option("--color", case_sensitive=False, help="When to colour the output.")
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No notices on stderr.")]
Null = Annotated[bool, typer.Option("--null", "-0", help="With paths: end each with NUL.")]
Limit = Annotated[int, typer.Option("--limit", "-n", min=0, help="Most hits to show (0: all).")]
Snippets = Annotated[int, typer.Option("--snippets", min=0, help="Snippets per hit.")]
Sort = Annotated[
    SortOrder,
    typer.Option("--sort", case_sensitive=False, help="score, or date (newest first)."),
]


# -- query ----------------------------------------------------------------------

QueryText = Annotated[
    str | None,
    typer.Argument(help="What to search for (Whoosh query syntax); '-' reads one per line."),
]
AnyWord = Annotated[
    bool, typer.Option("--any", help="Match any of the words, ranked by how many match.")
]
Expand = Annotated[
    bool | None,
    typer.Option(
        "--expand/--no-expand",
        help="Also rank by words common in the top hits  [default: on with --any]",
        show_default=False,
    ),
]
Count = Annotated[bool, typer.Option("--count", "-c", help="Print only the number of hits.")]
Explain = Annotated[
    bool, typer.Option("--explain", help="Show how the query was read, do not search.")
]
Batch = Annotated[
    Path | None,
    typer.Option("--batch", help="Answer one query per line of this file ('-': stdin)."),
]
Since = Annotated[
    str | None,
    typer.Option(
        "--since", help="Only articles dated on or after DATE (2016, 2016-03, ...).", metavar="DATE"
    ),
]
Until = Annotated[
    str | None,
    typer.Option("--until", help="Only articles dated on or before DATE.", metavar="DATE"),
]
Source = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        help="Only articles from this source (repeat for any of several).",
        metavar="NAME",
    ),
]
Lang = Annotated[
    list[str] | None,
    typer.Option(
        "--lang",
        help="Only articles in this language, an ISO 639-1 code such as ru "
        "(repeat for any of several).",
        metavar="CODE",
    ),
]
AliasFile = Annotated[
    Path | None,
    typer.Option(
        "--aliases",
        help="Also read alias groups from FILE (one group a line: ISIS | ISIL | Daesh).",
        metavar="FILE",
    ),
]
NoAliases = Annotated[
    bool,
    typer.Option("--no-aliases", help="Do not expand names by alias groups."),
]
Fix = Annotated[
    bool,
    typer.Option("--fix", help="When the query finds little, search its suggested spelling."),
]


class StatsFormat(str, Enum):
    """The formats of ``stats``: one summary, not a list of hits."""

    rich = "rich"
    text = "text"
    tsv = "tsv"
    json = "json"


def limit_or_all(limit: int) -> int | None:
    """``--limit 0`` means every hit."""
    return limit or None


StatsFormatOption = Annotated[
    StatsFormat | None,
    typer.Option("--format", "-f", case_sensitive=False, help=_FORMAT_HELP, show_default=False),
]
