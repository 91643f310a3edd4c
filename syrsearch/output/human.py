"""The layouts people read: ranked hits, one article, the stats table.

``text`` is plain lines (ANSI colour only for highlights, when asked); ``rich``
is the same layout styled by Rich and wrapped to the terminal. Article text
becomes :class:`rich.text.Text` styled by span, never markup, and control
characters are made visible first (:func:`~syrsearch.output.terminal.safe`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any

from ..model import Hit, Span, StoredArticle
from .links import file_url, osc8, safe_url
from .records import iso
from .terminal import (
    ANSI_BOLD_YELLOW,
    ANSI_RESET,
    HIGHLIGHT_STYLE,
    console,
    one_line,
    safe,
    safe_name,
)

if TYPE_CHECKING:  # only annotations: a search need not define them
    from ..model.views import IndexStats, ReprintGroup

INDENT = 3
"""Columns the lines under a hit's header are indented by."""


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


def about(item: Hit | StoredArticle, *, links: bool = False) -> str:
    """``path · date · source``, the parts the article has; with ``links`` the
    path is a hyperlink to the file."""
    parts = [item.path, iso(item.date) or "", item.source or ""]
    text = [safe_name(p) for p in parts if p]
    if links:
        text[0] = osc8(text[0], file_url(item.path))
    return " \u00b7 ".join(text)


def _scored(hit: Hit) -> str:
    """A search hit's BM25 score, or a similar article's cosine similarity (0 to 1)."""
    if hit.shared is not None:
        return f"similarity {hit.score:.2f}"
    return f"score {hit.score:.2f}"


REPRINTS_SHOWN = 5
"""Reprints named on a collapsed hit's line; the others are counted."""


def reprints_line(hit: Hit) -> str | None:
    """``+3 reprints: TASS \u00d72, Sputnik, first 2017-01-24``: who else ran the
    story, earliest first, by source (or id when it names none), and the
    earliest date when a reprint came out before the hit."""
    if not hit.reprints:
        return None
    names: dict[str, int] = {}
    for reprint in hit.reprints:
        name = one_line(reprint.source or reprint.id)
        names[name] = names.get(name, 0) + 1
    listed = [f"{name} \u00d7{n}" if n > 1 else name for name, n in names.items()]
    shown = ", ".join(listed[:REPRINTS_SHOWN])
    if len(listed) > REPRINTS_SHOWN:
        shown += f" and {len(listed) - REPRINTS_SHOWN} more"
    dates = [p.date for p in hit.reprints if p.date is not None]
    if dates and (hit.date is None or min(dates) < hit.date):
        shown += f", first {iso(min(dates))}"
    n = len(hit.reprints)
    return f"+{n} reprint{'s' if n != 1 else ''}: {shown}"


def article_url(item: Hit | StoredArticle) -> str | None:
    """The first of the article's URLs that is safe to link to."""
    for url in item.urls:
        link = safe_url(url)
        if link:
            return link
    return None


def count_line(shown: int, total: int, noun: str = "article") -> str:
    """``10 of 191 articles``, or ``3 articles`` when every one is shown."""
    plural = noun if total == 1 else noun + "s"
    return f"{total:,} {plural}" if shown >= total else f"{shown:,} of {total:,} {plural}"


def write_count_line(line: str, out: IO[str], *, color: bool) -> None:
    """The count line above the hits: dim in colour."""
    out.write(f"\x1b[2m{line}{ANSI_RESET}\n\n" if color else f"{line}\n\n")


def write_text(
    hits: Iterable[Hit], out: IO[str], *, color: bool = False, links: bool = False
) -> None:
    """Plain text: a header line per hit, then its path (and shared terms)
    and snippets, indented. With ``links`` the title opens the article's URL
    and the path the file."""
    for hit in hits:
        title = _ansi(one_line(hit.title), hit.title_highlights, color) if hit.title else ""
        if links and title:
            title = osc8(title, article_url(hit))
        out.write(f"{hit.rank}. {title}  [{safe_name(hit.id)}]  {_scored(hit)}\n")
        out.write(f"   {about(hit, links=links)}\n")
        if hit.shared is not None:
            words = ", ".join(_ansi(w, [(0, len(w))], color) for w in hit.shared)
            out.write(f"   shared: {words}\n")
        for snippet in hit.snippets:
            out.write(f"   {_ansi(snippet.text, snippet.highlights, color)}\n")
        more = reprints_line(hit)
        if more:
            out.write(f"   {more}\n")
        out.write("\n")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", safe(re.sub(r"\s+", " ", text)))


def _md_bold(text: str, spans: Iterable[Span]) -> str:
    pieces, pos = [], 0
    for a, b in spans:
        pieces += [_md(text[pos:a]), "**", _md(text[a:b]), "**"]
        pos = b
    pieces.append(_md(text[pos:]))
    return "".join(pieces)


def write_reprint_group(group: ReprintGroup, out: IO[str]) -> None:
    """``show ID --reprints``: the group's name, then one line per member."""
    n = len(group.members)
    out.write(f"reprint group {safe(group.group)}: {n} article{'s' if n != 1 else ''}\n")
    for p in group.members:
        mark = "*" if p.id == group.id else " "
        facts = " \u00b7 ".join(x for x in (iso(p.date) or "", safe(p.source or "")) if x)
        out.write(f"{mark} {safe_name(p.id)}  {facts + '  ' if facts else ''}{one_line(p.title)}\n")


def write_markdown(hits: Iterable[Hit], out: IO[str]) -> None:
    """A numbered Markdown list: the title in bold, date, source and id, then
    each snippet as a sub-item with the matched words in bold."""
    for hit in hits:
        facts = [iso(hit.date) or "", _md(hit.source or ""), f"`{safe_name(hit.id)}`"]
        title = _md(hit.title) or "(untitled)"
        out.write(f"{hit.rank}. **{title}** · " + " · ".join(f for f in facts if f) + "\n")
        if hit.shared is not None:
            out.write("   - shared: " + ", ".join(_md(w) for w in hit.shared) + "\n")
        for snippet in hit.snippets:
            out.write(f"   - {_md_bold(snippet.text, snippet.highlights)}\n")


def _styled(text: str, spans: Iterable[Span], style: str = HIGHLIGHT_STYLE) -> Any:
    from rich.text import Text

    rich_text = Text(safe(text))
    for a, b in spans:
        rich_text.stylize(style, a, b)
    return rich_text


def _print_indented(screen: Any, text: Any, *, hanging: bool = False) -> None:
    """``text`` wrapped to the screen three columns in, every line of it (with
    ``hanging``, every line but the first)."""
    for n, line in enumerate(text.wrap(screen, max(screen.width - INDENT, 20))):
        line.rstrip()
        if n or not hanging:
            line.pad_left(INDENT)
        screen.print(line)


def _link(text: Any, url: str | None) -> None:
    from rich.style import Style

    if url:
        text.stylize(Style(link=url))


def render_rich(
    hits: Iterable[Hit], out: IO[str], *, color: bool, width: int | None, links: bool = False
) -> None:
    """The ``text`` layout, styled by Rich and wrapped to the terminal; the
    lines under a hit's header stay indented when they wrap."""
    from rich.text import Text

    screen = console(out, color, width)
    for hit in hits:
        header = Text(f"{hit.rank}. ", style="bold")
        title = _styled(one_line(hit.title), hit.title_highlights)
        title.stylize("bold")
        if links:
            _link(title, article_url(hit))
        header.append_text(title)
        header.append(f"  [{safe_name(hit.id)}]  {_scored(hit)}", style="dim")
        _print_indented(screen, header, hanging=True)
        line = Text(safe_name(hit.path), style="cyan")
        if links:
            _link(line, file_url(hit.path))
        extra = about(hit)[len(safe_name(hit.path)) :]
        if extra:
            line.append(extra, style="green")
        _print_indented(screen, line)
        if hit.shared is not None:
            terms = Text()
            terms.append("shared: ", style="dim")
            for n, word in enumerate(hit.shared):
                terms.append(", " if n else "")
                terms.append(safe(word), style=HIGHLIGHT_STYLE)
            _print_indented(screen, terms)
        for snippet in hit.snippets:
            _print_indented(screen, _styled(snippet.text, snippet.highlights))
        more = reprints_line(hit)
        if more:
            _print_indented(screen, Text(more, style="magenta"))
        screen.print()


def _fact_lines(article: StoredArticle, links: bool = False) -> list[str]:
    path = safe_name(article.path)
    lines = [
        f"id: {safe_name(article.id)}",
        f"path: {osc8(path, file_url(article.path)) if links else path}",
    ]
    if article.date:
        lines.append(f"date: {iso(article.date)}")
    if article.sources:
        lines.append("source: " + safe(", ".join(article.sources)))
    if article.lang:
        lines.append(f"lang: {safe(article.lang)}")
    lines += [
        f"url: {osc8(safe(url), safe_url(url)) if links else safe(url)}" for url in article.urls
    ]
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
    width: int | None, links: bool = False,
) -> None:  # fmt: skip
    """One article in full, styled by Rich."""
    from rich.text import Text

    screen = console(out, color, width)
    title = Text.assemble(_styled(article.title, spans.get("title", [])), style="bold")
    if links:
        _link(title, article_url(article))
    screen.print(title)
    for line in _fact_lines(article):
        fact = Text(line, style="dim")
        if links and line.startswith("path: "):
            _link(fact, file_url(article.path))
        elif links and line.startswith("url: "):
            _link(fact, safe_url(line[len("url: ") :]))
        screen.print(fact)
    screen.print()
    screen.print(_styled(article.body, spans.get("body", [])))


def write_article_text(
    article: StoredArticle, out: IO[str], spans: Mapping[str, list[Span]], *, color: bool,
    links: bool = False,
) -> None:  # fmt: skip
    """One article in full, as plain text."""
    title = _ansi(article.title, spans.get("title", []), color)
    out.write((osc8(title, article_url(article)) if links else title) + "\n")
    out.write("".join(line + "\n" for line in _fact_lines(article, links)) + "\n")
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
