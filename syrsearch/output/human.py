"""The layouts people read: ranked hits, one article, the stats table.

``text`` is plain lines (ANSI colour only for highlights, when asked); ``rich``
is the same layout styled by Rich and wrapped to the terminal. Article text
becomes :class:`rich.text.Text` styled by span, never markup, and control
characters are made visible first (:func:`~syrsearch.output.terminal.safe`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any

from ..model import Hit, Span, StoredArticle
from .records import iso
from .terminal import ANSI_BOLD_YELLOW, ANSI_RESET, HIGHLIGHT_STYLE, console, one_line, safe

if TYPE_CHECKING:  # only annotations: a search need not define them
    from ..model.views import IndexStats


def _ansi(text: str, spans: Iterable[Span], color: bool) -> str:
    text = safe(text)
    if not color:
        return text
    pieces, pos = [], 0
    for a, b in spans:
        pieces += [text[pos:a], ANSI_BOLD_YELLOW, text[a:b], ANSI_RESET]
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


def about(item: Hit | StoredArticle) -> str:
    """``path · date · source``, the parts the article has."""
    parts = [item.path, iso(item.date) or "", item.source or ""]
    return " \u00b7 ".join(safe(p) for p in parts if p)


def write_text(hits: Iterable[Hit], out: IO[str], *, color: bool = False) -> None:
    """Plain text: a header line per hit, then its path (and shared terms)
    and snippets, indented."""
    for hit in hits:
        title = _ansi(one_line(hit.title), hit.title_highlights, color) if hit.title else ""
        out.write(f"{hit.rank}. {title}  [{safe(hit.id)}]  score {hit.score:.2f}\n")
        out.write(f"   {about(hit)}\n")
        if hit.shared is not None:
            words = ", ".join(_ansi(w, [(0, len(w))], color) for w in hit.shared)
            out.write(f"   shared: {words}\n")
        for snippet in hit.snippets:
            out.write(f"   {_ansi(snippet.text, snippet.highlights, color)}\n")
        out.write("\n")


def _styled(text: str, spans: Iterable[Span], style: str = HIGHLIGHT_STYLE) -> Any:
    from rich.text import Text

    rich_text = Text(safe(text))
    for a, b in spans:
        rich_text.stylize(style, a, b)
    return rich_text


def render_rich(hits: Iterable[Hit], out: IO[str], *, color: bool, width: int | None) -> None:
    """The ``text`` layout, styled by Rich and wrapped to the terminal."""
    from rich.text import Text

    screen = console(out, color, width)
    for hit in hits:
        header = Text(f"{hit.rank}. ", style="bold")
        title = _styled(one_line(hit.title), hit.title_highlights)
        title.stylize("bold")
        header.append_text(title)
        header.append(f"  [{safe(hit.id)}]  score {hit.score:.2f}", style="dim")
        screen.print(header)
        line = Text("   " + safe(hit.path), style="cyan")
        extra = about(hit)[len(safe(hit.path)) :]
        if extra:
            line.append(extra, style="green")
        screen.print(line)
        if hit.shared is not None:
            terms = Text("   ")
            terms.append("shared: ", style="dim")
            for n, word in enumerate(hit.shared):
                terms.append(", " if n else "")
                terms.append(safe(word), style=HIGHLIGHT_STYLE)
            screen.print(terms)
        for snippet in hit.snippets:
            line = _styled(snippet.text, snippet.highlights)
            line.pad_left(3)
            screen.print(line)
        screen.print()


def _fact_lines(article: StoredArticle) -> list[str]:
    lines = [f"id: {safe(article.id)}", f"path: {safe(article.path)}"]
    if article.date:
        lines.append(f"date: {iso(article.date)}")
    if article.sources:
        lines.append("source: " + safe(", ".join(article.sources)))
    if article.lang:
        lines.append(f"lang: {safe(article.lang)}")
    lines += [f"url: {safe(url)}" for url in article.urls]
    return lines


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


def stats_rows(stats: IndexStats) -> list[tuple[str, str]]:
    ratio = (
        f" ({stats.index_bytes / stats.corpus_bytes:.2f}x the text)" if stats.corpus_bytes else ""
    )
    if stats.first_date:
        dates = f"{iso(stats.first_date)} to {iso(stats.last_date)} ({stats.dated:,} dated)"
    else:
        dates = "none found"
    sources = (
        ", ".join(f"{s.name} ({s.articles:,})" for s in stats.sources)
        + f"; {stats.with_source:,} articles name one"
        if stats.sources
        else "none found"
    )
    return [
        ("index", stats.index_folder),
        ("corpus", stats.corpus),
        ("articles", f"{stats.articles:,}"),
        ("distinct terms", f"{stats.terms:,}"),
        ("index size", _size(stats.index_bytes) + ratio),
        ("text size", _size(stats.corpus_bytes)),
        ("dates", dates),
        ("sources", sources),
        ("languages", ", ".join(f"{s.name} ({s.articles:,})" for s in stats.languages) or "none"),
        ("distinctive terms", ", ".join(t.word for t in stats.distinctive) or "none"),
    ]


def render_article(
    article: StoredArticle, out: IO[str], spans: Mapping[str, list[Span]], *, color: bool,
    width: int | None,
) -> None:  # fmt: skip
    """One article in full, styled by Rich."""
    from rich.text import Text

    screen = console(out, color, width)
    screen.print(Text.assemble(_styled(article.title, spans.get("title", [])), style="bold"))
    for line in _fact_lines(article):
        screen.print(Text(line, style="dim"))
    screen.print()
    screen.print(_styled(article.body, spans.get("body", [])))


def write_article_text(
    article: StoredArticle, out: IO[str], spans: Mapping[str, list[Span]], *, color: bool
) -> None:
    """One article in full, as plain text."""
    out.write(_ansi(article.title, spans.get("title", []), color) + "\n")
    out.write("".join(line + "\n" for line in _fact_lines(article)) + "\n")
    body = _ansi(article.body, spans.get("body", []), color)
    out.write(body if body.endswith("\n") else body + "\n")


def render_stats(stats: IndexStats, out: IO[str], *, color: bool, width: int | None) -> None:
    """``stats`` as Rich tables."""
    from rich.table import Table

    rows = [(k, safe(v)) for k, v in stats_rows(stats)]
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for k, v in rows:
        table.add_row(k, v)
    console(out, color, width).print(table)
    if stats.distinctive:
        terms = Table(title="Most distinctive terms", title_justify="left")
        terms.add_column("word")
        terms.add_column("occurrences", justify="right")
        terms.add_column("articles", justify="right")
        for t in stats.distinctive:
            terms.add_row(safe(t.word), f"{t.occurrences:,}", f"{t.articles:,}")
        console(out, color, width).print(terms)
