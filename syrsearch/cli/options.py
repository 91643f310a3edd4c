"""The options the commands share, declared once, with the library's defaults.

Choices are Enums, so a bad ``--format``, ``--color`` or ``--sort`` is the same
one-line usage error as a bad ``--limit``, and ``--help`` lists the values.
"""

from __future__ import annotations

import math
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..model import DEFAULT_CORPUS as DEFAULT_CORPUS
from ..model import Facet, SortOrder
from ..output.links import HyperlinkMode
from ..output.terminal import ColorMode, OutputFormat
from .completion import complete_source

DEFAULT_INDEX = Path("index")

IndexDir = Annotated[
    Path,
    typer.Option("--index-dir", envvar="SYRSEARCH_INDEX", help="Index folder.", show_default=True),
]
Corpus = Annotated[
    Path,
    typer.Option("--corpus", envvar="SYRSEARCH_CORPUS", help="Folder of .txt articles."),
]
IndexCorpus = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        envvar="SYRSEARCH_CORPUS",
        help="Folder of .txt articles  [default: the index's own, or seeds for a new index]",
        show_default=False,
    ),
]
_FORMAT_HELP = "Output format  [default: rich on a terminal, text otherwise]"
Format = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", case_sensitive=False, help=_FORMAT_HELP, show_default=False),
]
Color = Annotated[
    ColorMode, typer.Option("--color", case_sensitive=False, help="When to colour the output.")
]
Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", help="Nothing on stdout: only the exit status (as grep).")
]
NoMessages = Annotated[
    bool,
    typer.Option("--no-messages", help="No notices, progress or summary on stderr (errors still)."),
]
NoPager = Annotated[bool, typer.Option("--no-pager", help="Do not page long output on a terminal.")]
Hyperlinks = Annotated[
    HyperlinkMode,
    typer.Option(
        "--hyperlinks",
        case_sensitive=False,
        help="When to make paths and titles terminal hyperlinks (OSC 8).",
    ),
]
Null = Annotated[bool, typer.Option("--null", "-0", help="With paths: end each with NUL.")]
Limit = Annotated[int, typer.Option("--limit", "-n", min=0, help="Most hits to show (0: all).")]
Snippets = Annotated[int, typer.Option("--snippets", min=0, help="Snippets per hit.")]
Sort = Annotated[
    SortOrder,
    typer.Option("--sort", case_sensitive=False, help="score, or date (newest first)."),
]


def finite_seconds(value: float | None) -> float | None:
    """A number of seconds: ``nan`` and ``inf`` pass Click's range check, and
    would wait for ever."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number of seconds")
    return value


Wait = Annotated[
    float,
    typer.Option(
        "--wait", min=0, callback=finite_seconds, help="Seconds to wait for another index run."
    ),
]

# -- query ----------------------------------------------------------------------

TERMINAL_TIMEOUT = 5.0
"""``--timeout`` of a single query whose output is a terminal."""

Timeout = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        min=0,
        callback=finite_seconds,
        metavar="SECONDS",
        help="Stop searching after this long and show what was found (0: no limit)"
        f"  [default: {TERMINAL_TIMEOUT:g} on a terminal, else none]",
        show_default=False,
    ),
]
MaxExpansions = Annotated[
    int,
    typer.Option(
        "--max-expansions",
        min=1,
        metavar="N",
        help="Index terms a prefix, wildcard or fuzzy word may stand for.",
    ),
]

QueryText = Annotated[
    list[str] | None,
    typer.Argument(
        help="What to search for (Whoosh query syntax; several words are one query); "
        "'*' lists every article; '-' reads one query per line.",
        show_default=False,
    ),
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
        autocompletion=complete_source,
    ),
]
By = Annotated[
    Facet | None,
    typer.Option(
        "--by",
        case_sensitive=False,
        help="Count the matching articles per month, week, year, source, lang or folder "
        "instead of listing them: a chart on a terminal, tsv rows otherwise.",
    ),
]
RowsFormat = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format  [default: rich on a terminal, tsv otherwise]",
        show_default=False,
    ),
]
Header = Annotated[
    bool, typer.Option("--header", help="With --format tsv: a first row naming the columns.")
]
Collapse = Annotated[
    bool | None,
    typer.Option(
        "--collapse/--no-collapse",
        help="One hit per reprint group, the others listed under it  [default: on a terminal]",
        show_default=False,
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
    csv = "csv"


def limit_or_all(limit: int) -> int | None:
    """``--limit 0`` means every hit."""
    return limit or None


StatsFormatOption = Annotated[
    StatsFormat | None,
    typer.Option("--format", "-f", case_sensitive=False, help=_FORMAT_HELP, show_default=False),
]
