"""The research views: bar charts of ``--by``, ``related`` tables, and their rows.

On a terminal (``rich``, or ``text`` without colour) a facet is a bar chart,
one line per bucket, readable at 80 columns: the bucket, a bar scaled to the
largest count (with eighth blocks), the count, and the share of all articles
in the bucket. In a pipe, or with a machine format, each bucket is one row
(see :mod:`syrsearch.output.records`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from .records import (
    BUCKET_HEADER,
    RELATED_HEADER,
    bucket_dict,
    bucket_row,
    csv_rows,
    dumps,
    facet_buckets,
    facet_dict,
    related_dict,
    related_row,
    related_term_dict,
    tsv_row,
)
from .terminal import OutputFormat, console, one_line, safe

if TYPE_CHECKING:  # only annotations
    from ..model.views import Bucket, FacetResult, RelatedResult

BLOCKS = " ▏▎▍▌▋▊▉█"
"""A bar's last cell, in eighths."""
UNKNOWN_LABEL = {"month": "undated", "week": "undated", "year": "undated", "source": "no source"}
PLURAL = {"source": "sources", "lang": "languages", "folder": "folders"}
MIN_BAR = 10


def bar(value: int, top: int, cells: int) -> str:
    """``value`` of ``top`` as a bar ``cells`` wide at most, in eighths of a cell."""
    if top <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value * cells * 8 / top))
    full, part = divmod(eighths, 8)
    return "█" * full + (BLOCKS[part] if part else "")


def _percent(bucket: Bucket) -> str:
    share = bucket.share
    return "" if share is None else f"{share * 100:.1f}%"


def _label(result: FacetResult, bucket: Bucket) -> str:
    if bucket.key is None:
        return UNKNOWN_LABEL.get(result.by.value, "unknown")
    return one_line(bucket.key)


def _title(result: FacetResult) -> str:
    what = "all articles" if result.query is None else f"'{one_line(result.query)}'"
    n = result.total
    return f"{what}: {n:,} article{'s' if n != 1 else ''}, by {result.by.value}"


def chart_lines(result: FacetResult, width: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """The chart as lines of ``(text, style)`` pieces, ``width`` columns wide."""
    rows = facet_buckets(result)
    labels = [_label(result, b) for b in rows]
    label_w = max([len(result.by.value), *map(len, labels)])
    label_w = min(label_w, max(12, width // 3))
    counts = [f"{b.articles:,}" for b in rows]
    count_w = max([len("articles"), *map(len, counts)])
    with_share = result.query is not None  # of every article, the share is 100%
    share_w = len("100.0%") + 1 if with_share else 0
    bar_w = max(MIN_BAR, width - label_w - count_w - share_w - 4)
    top = max((b.articles for b in rows), default=0)
    lines: list[tuple[str, list[tuple[str, str]]]] = [("title", [(_title(result), "bold")])]
    share_head = f" {'share':>{share_w}}" if with_share else ""
    header = f"{result.by.value:<{label_w}}  {'':<{bar_w}} {'articles':>{count_w}}{share_head}"
    lines.append(("header", [(header, "dim")]))
    for bucket, label, count in zip(rows, labels, counts, strict=True):
        name = label if len(label) <= label_w else label[: label_w - 1] + "…"
        lines.append(
            (
                "row",
                [
                    (f"{name:<{label_w}}  ", "bold" if bucket.articles else ""),
                    (f"{bar(bucket.articles, top, bar_w):<{bar_w}}", "cyan"),
                    (f" {count:>{count_w}}", ""),
                    (f" {_percent(bucket):>{share_w}}" if with_share else "", "dim"),
                ],
            )
        )
    scale = f"0{top:>{bar_w - 1},}" if bar_w > len(f"{top:,}") else "0"
    lines.append(("axis", [(f"{'':<{label_w}}  {scale}", "dim")]))
    notes = (
        ["share: of all articles in the bucket that pass the same filters"] if with_share else []
    )
    if result.more:
        kind = PLURAL.get(result.by.value, "buckets")
        notes.insert(0, f"{result.more:,} more {kind} with matches (--limit 0 shows all)")
    lines += [("note", [(note, "dim")]) for note in notes]
    return lines


def render_facet(
    result: FacetResult, out: IO[str], *, color: bool, width: int | None, rich: bool
) -> None:
    """The bar chart: styled by Rich, or (``rich`` false) plain lines."""
    if not rich and not color:
        for _, pieces in chart_lines(result, width or 80):
            out.write("".join(text for text, _ in pieces).rstrip() + "\n")
        return
    from rich.text import Text

    screen = console(out, color, width)
    for _, pieces in chart_lines(result, screen.width):
        line = Text(no_wrap=True, overflow="crop")
        for text, style in pieces:
            line.append(safe(text), style=style or None)
        line.rstrip()
        screen.print(line)


def write_facets(
    results: Sequence[FacetResult],
    fmt: OutputFormat,
    out: IO[str],
    *,
    batch: bool = False,
    header: bool = False,
    color: bool = False,
    width: int | None = None,
) -> None:
    """One facet per query: charts for people; rows (with the query first in a
    batch) for programs."""
    lead = ("query",) if batch else ()
    if fmt in (OutputFormat.rich, OutputFormat.text):
        for n, result in enumerate(results):
            if n:
                out.write("\n")
            render_facet(result, out, color=color, width=width, rich=fmt is OutputFormat.rich)
    elif fmt is OutputFormat.json:
        out.writelines(dumps(facet_dict(r)) + "\n" for r in results)
    elif fmt is OutputFormat.jsonl:
        for r in results:
            base: dict[str, Any] = {"query": r.query, "by": r.by.value}
            out.writelines(dumps({**base, **bucket_dict(b)}) + "\n" for b in facet_buckets(r))
    elif fmt is OutputFormat.csv:
        rows = [
            (*((r.query,) if batch else ()), *bucket_row(b))
            for r in results
            for b in facet_buckets(r)
        ]
        csv_rows([(*lead, *BUCKET_HEADER), *rows], out)
    else:
        if header:
            out.write(tsv_row((*lead, *BUCKET_HEADER)))
        for r in results:
            out.writelines(
                tsv_row((*((r.query or "",) if batch else ()), *bucket_row(b)))
                for b in facet_buckets(r)
            )


# -- related -------------------------------------------------------------------------


def _related_title(result: RelatedResult) -> str:
    n = result.total
    return f"'{one_line(result.query)}': {n:,} of {result.articles:,} articles match"


def _related_caption(result: RelatedResult) -> str:
    if result.counted is None:
        of = "of the matching articles, those with it"
    else:
        of = (
            f"of {result.counted:,} of the {result.total:,} matching articles (an even sample "
            "of the index), those with it"
        )
    return (
        f"taken from the best {result.sample:,} matches; matches: {of}; "
        "corpus: articles with it; score: JLH"
    )


def render_related(result: RelatedResult, out: IO[str], *, color: bool, width: int | None) -> None:
    """``related`` as a table: each name or term, in how many matches and in
    how many articles of the index."""
    from rich.table import Table

    table = Table(
        title=_related_title(result),
        title_justify="left",
        box=None,
        pad_edge=False,
    )
    table.add_column("#", justify="right", style="dim")
    table.add_column("name or term", overflow="fold")
    table.add_column("kind", style="dim")
    table.add_column("matches", justify="right")
    table.add_column("corpus", justify="right")
    table.add_column("score", justify="right", style="dim")
    total = max(result.total if result.counted is None else result.counted, 1)
    for n, term in enumerate(result.terms, 1):
        table.add_row(
            str(n),
            safe(term.text),
            term.kind,
            f"{term.matches:,} ({term.matches * 100 / total:.0f}%)",
            f"{term.corpus:,}",
            f"{term.score:.2f}",
            style="bold" if term.kind == "name" else None,
        )
    _print(table, out, color=color, width=width)
    from rich.text import Text

    _print(Text(_related_caption(result), style="dim"), out, color=color, width=width)


def _print(renderable: Any, out: IO[str], *, color: bool, width: int | None) -> None:
    """Print with Rich; without colour, lines lose the padding Rich leaves at their end."""
    if color:
        console(out, color, width).print(renderable)
        return
    buffer = io.StringIO()
    console(buffer, False, width).print(renderable)
    out.writelines(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def render_related_by(
    results: Sequence[RelatedResult], out: IO[str], *, color: bool, width: int | None
) -> None:
    """``related --by``: per bucket, its matches and the names and terms that
    stand out in it, with how many of the bucket's matches have each."""
    from rich.table import Table

    if not results:
        return
    first = results[0]
    title = f"'{one_line(first.query)}': names and terms that stand out, by bucket"
    table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    table.add_column("bucket", style="bold", no_wrap=True)
    table.add_column("matches", justify="right")
    table.add_column("stands out (in how many of the matches)", overflow="fold")
    for result in results:
        company = ", ".join(f"{safe(t.text)} ({t.matches:,})" for t in result.terms)
        table.add_row(result.bucket or "undated", f"{result.total:,}", company or "-")
    _print(table, out, color=color, width=width)


def write_related(
    results: Sequence[RelatedResult],
    fmt: OutputFormat,
    out: IO[str],
    *,
    by: bool = False,
    header: bool = False,
    color: bool = False,
    width: int | None = None,
) -> None:
    """``related``: a table for people; one row per name or term (with the
    bucket first, by ``--by``) for programs."""
    lead = ("bucket",) if by else ()

    def rows() -> list[tuple[object, ...]]:
        return [
            (*((r.bucket or "",) if by else ()), *related_row(t)) for r in results for t in r.terms
        ]

    if fmt in (OutputFormat.rich, OutputFormat.text):
        if by:
            render_related_by(results, out, color=color, width=width)
        else:
            for result in results:
                render_related(result, out, color=color, width=width)
    elif fmt is OutputFormat.json:
        out.writelines(dumps(related_dict(r)) + "\n" for r in results)
    elif fmt is OutputFormat.jsonl:
        for r in results:
            base: dict[str, Any] = {"query": r.query}
            if by:
                base["bucket"] = r.bucket
            out.writelines(dumps({**base, **related_term_dict(t)}) + "\n" for t in r.terms)
    elif fmt is OutputFormat.csv:
        csv_rows([(*lead, *RELATED_HEADER), *rows()], out)
    else:
        if header:
            out.write(tsv_row((*lead, *RELATED_HEADER)))
        out.writelines(tsv_row(row) for row in rows())
