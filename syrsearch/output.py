"""Output: results rendered for people (rich, text) and for programs.

Formats are chosen once, by :func:`resolve_format` and :func:`resolve_color`,
from the flags and whether stdout is a terminal. Article text is never
interpreted: Rich gets :class:`rich.text.Text` objects styled by span, never
markup strings, and control characters are made visible before anything
reaches a terminal or a pipe in a human format. Rich is imported only when
the ``rich`` format needs it, so machine output starts fast.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from enum import Enum
from typing import IO, TYPE_CHECKING, Any

from .search import Hit, SearchResult, StoredArticle
from .snippets import Snippet, Span

if TYPE_CHECKING:  # only annotations: `query` need not import them
    from .similar import SimilarResult
    from .stats import IndexStats


class OutputFormat(str, Enum):
    rich = "rich"
    text = "text"
    json = "json"
    jsonl = "jsonl"
    tsv = "tsv"
    paths = "paths"


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


HUMAN_FORMATS = frozenset({OutputFormat.rich, OutputFormat.text})
HIGHLIGHT_STYLE = "bold yellow"
ANSI_BOLD_YELLOW = "\x1b[1;33m"
ANSI_RESET = "\x1b[0m"


def resolve_format(requested: OutputFormat | None, stdout_isatty: bool) -> OutputFormat:
    """``rich`` on a terminal, ``text`` on a pipe, unless asked otherwise."""
    if requested is not None:
        return requested
    return OutputFormat.rich if stdout_isatty else OutputFormat.text


def resolve_color(
    mode: ColorMode, fmt: OutputFormat, stdout_isatty: bool, environ: Mapping[str, str]
) -> bool:
    """Whether to colour: never for machine formats; the flag, then NO_COLOR,
    then FORCE_COLOR, then whether stdout is a terminal."""
    if fmt not in HUMAN_FORMATS or mode is ColorMode.never:
        return False
    if mode is ColorMode.always:
        return True
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR") not in (None, "", "0"):
        return True
    return stdout_isatty


# -- making text safe ---------------------------------------------------------

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code in (0x0B, 0x0C, 0x0D):
        return " "
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def safe(text: str) -> str:
    """Control characters (ESC, BEL, bidi overrides, ...) made visible, one
    character for one so highlight offsets stay valid."""
    return _UNSAFE.sub(_visible, text)


def one_line(text: str) -> str:
    return safe(" ".join(text.split()))


# -- machine formats ----------------------------------------------------------


def snippet_dict(snippet: Snippet) -> dict[str, Any]:
    return {"text": snippet.text, "highlights": [list(span) for span in snippet.highlights]}


def hit_dict(hit: Hit) -> dict[str, Any]:
    """The stable JSON object of one hit (see README, "JSON output")."""
    return {
        "rank": hit.rank,
        "id": hit.id,
        "path": hit.path,
        "title": hit.title,
        "score": round(hit.score, 4),
        "snippets": [snippet_dict(s) for s in hit.snippets],
        "title_highlights": [list(span) for span in hit.title_highlights],
        "date": hit.date,
        "source": hit.source,
        "sources": list(hit.sources),
        "urls": list(hit.urls),
    }


def article_dict(article: StoredArticle) -> dict[str, Any]:
    """The stable JSON object of one stored article (``show``, ``export``)."""
    data = asdict(article)
    data["sources"] = list(article.sources)
    data["urls"] = list(article.urls)
    data["source"] = article.source
    return data


def result_dict(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "total": result.total,
        "hits": [hit_dict(h) for h in result.hits],
        "suggestion": result.suggestion,
    }


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def tsv_field(value: object) -> str:
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_result(
    result: SearchResult,
    fmt: OutputFormat,
    out: IO[str],
    *,
    null: bool = False,
    color: bool = False,
    width: int | None = None,
) -> None:
    """Write ``result`` to ``out`` in ``fmt``."""
    whole = result_dict(result) if fmt is OutputFormat.json else {}
    write_hits(result.hits, fmt, out, whole=whole, null=null, color=color, width=width)


def write_hits(
    hits: Sequence[Hit],
    fmt: OutputFormat,
    out: IO[str],
    *,
    whole: dict[str, Any],
    shared: Sequence[Sequence[str]] | None = None,
    null: bool = False,
    color: bool = False,
    width: int | None = None,
) -> None:
    """Hits in ``fmt``; ``whole`` is the JSON object of ``json``, and
    ``shared`` (for ``similar``) the key terms each hit shares."""
    if fmt is OutputFormat.json:
        out.write(dumps(whole) + "\n")
    elif fmt is OutputFormat.jsonl:
        for i, hit in enumerate(hits):
            out.write(dumps(_with_shared(hit_dict(hit), shared, i)) + "\n")
    elif fmt is OutputFormat.tsv:
        for i, hit in enumerate(hits):
            row: tuple[object, ...] = (
                hit.rank, f"{hit.score:.4f}", hit.id, hit.title, hit.path,
                hit.date or "", hit.source or "",
            )  # fmt: skip
            if shared is not None:
                row += (",".join(shared[i]),)
            out.write("\t".join(tsv_field(v) for v in row) + "\n")
    elif fmt is OutputFormat.paths:
        end = "\0" if null else "\n"
        for hit in hits:
            out.write(hit.path + end)
    elif fmt is OutputFormat.text:
        write_text(hits, out, color=color, shared=shared)
    else:
        render_rich(hits, out, color=color, width=width, shared=shared)


def _with_shared(
    data: dict[str, Any], shared: Sequence[Sequence[str]] | None, i: int
) -> dict[str, Any]:
    if shared is not None:
        data["shared_terms"] = list(shared[i])
    return data


# -- human formats --------------------------------------------------------------


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
    parts = [item.path, item.date or "", item.source or ""]
    return " \u00b7 ".join(safe(p) for p in parts if p)


def write_text(
    hits: Iterable[Hit],
    out: IO[str],
    *,
    color: bool = False,
    shared: Sequence[Sequence[str]] | None = None,
) -> None:
    """Plain text: a header line per hit, then its path (and shared terms)
    and snippets, indented."""
    for i, hit in enumerate(hits):
        title = _ansi(one_line(hit.title), hit.title_highlights, color) if hit.title else ""
        out.write(f"{hit.rank}. {title}  [{safe(hit.id)}]  score {hit.score:.2f}\n")
        out.write(f"   {about(hit)}\n")
        if shared is not None:
            words = ", ".join(_ansi(w, [(0, len(w))], color) for w in shared[i])
            out.write(f"   shared: {words}\n")
        for snippet in hit.snippets:
            out.write(f"   {_ansi(snippet.text, snippet.highlights, color)}\n")
        out.write("\n")


def _console(out: IO[str], color: bool, width: int | None) -> Any:
    from rich.console import Console

    return Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        # "standard", not "auto": Rich would drop colour for TERM=dumb even when forced.
        color_system="standard" if color else None,
        highlight=False,
        markup=False,
        emoji=False,
        width=width,
        soft_wrap=False,
    )


def _styled(text: str, spans: Iterable[Span], style: str = HIGHLIGHT_STYLE) -> Any:
    from rich.text import Text

    rich_text = Text(safe(text))
    for a, b in spans:
        rich_text.stylize(style, a, b)
    return rich_text


def render_rich(
    hits: Iterable[Hit],
    out: IO[str],
    *,
    color: bool,
    width: int | None,
    shared: Sequence[Sequence[str]] | None = None,
) -> None:
    """The ``text`` layout, styled by Rich and wrapped to the terminal."""
    from rich.text import Text

    console = _console(out, color, width)
    for i, hit in enumerate(hits):
        header = Text(f"{hit.rank}. ", style="bold")
        title = _styled(one_line(hit.title), hit.title_highlights)
        title.stylize("bold")
        header.append_text(title)
        header.append(f"  [{safe(hit.id)}]  score {hit.score:.2f}", style="dim")
        console.print(header)
        line = Text("   " + safe(hit.path), style="cyan")
        extra = about(hit)[len(safe(hit.path)) :]
        if extra:
            line.append(extra, style="green")
        console.print(line)
        if shared is not None:
            terms = Text("   ")
            terms.append("shared: ", style="dim")
            for n, word in enumerate(shared[i]):
                terms.append(", " if n else "")
                terms.append(safe(word), style=HIGHLIGHT_STYLE)
            console.print(terms)
        for snippet in hit.snippets:
            line = _styled(snippet.text, snippet.highlights)
            line.pad_left(3)
            console.print(line)
        console.print()


def write_article(
    article: StoredArticle,
    fmt: OutputFormat,
    out: IO[str],
    *,
    spans: Mapping[str, list[Span]],
    color: bool,
    width: int | None = None,
) -> None:
    """One article in full: title, id, path, then the body."""
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        data = article_dict(article)
        data["highlights"] = {k: [list(s) for s in v] for k, v in spans.items()}
        out.write(dumps(data) + "\n")
    elif fmt is OutputFormat.tsv:
        row = (article.id, article.title, article.path, article.date or "", article.source or "")
        out.write("\t".join(tsv_field(v) for v in row) + "\n")
    elif fmt is OutputFormat.paths:
        out.write(article.path + "\n")
    elif fmt is OutputFormat.rich:
        from rich.text import Text

        console = _console(out, color, width)
        console.print(Text.assemble(_styled(article.title, spans.get("title", [])), style="bold"))
        for line in _fact_lines(article):
            console.print(Text(line, style="dim"))
        console.print()
        console.print(_styled(article.body, spans.get("body", [])))
    else:
        out.write(_ansi(article.title, spans.get("title", []), color) + "\n")
        out.write("".join(line + "\n" for line in _fact_lines(article)) + "\n")
        body = _ansi(article.body, spans.get("body", []), color)
        out.write(body if body.endswith("\n") else body + "\n")


def _fact_lines(article: StoredArticle) -> list[str]:
    lines = [f"id: {safe(article.id)}", f"path: {safe(article.path)}"]
    if article.date:
        lines.append(f"date: {article.date}")
    if article.sources:
        lines.append("source: " + safe(", ".join(article.sources)))
    lines += [f"url: {safe(url)}" for url in article.urls]
    return lines


# -- similar articles ------------------------------------------------------------


def similar_dict(result: SimilarResult) -> dict[str, Any]:
    return {
        "id": result.article.id,
        "path": result.article.path,
        "title": result.article.title,
        "key_terms": [k.word for k in result.key_terms],
        "total": result.total,
        "hits": [{**hit_dict(h.hit), "shared_terms": list(h.shared)} for h in result.hits],
    }


def write_similar(
    result: SimilarResult,
    fmt: OutputFormat,
    out: IO[str],
    *,
    null: bool = False,
    color: bool = False,
    width: int | None = None,
) -> None:
    """Write the articles like one article in ``fmt``: the hits as ``query``
    writes them, each with the key terms it shares."""
    whole = similar_dict(result) if fmt is OutputFormat.json else {}
    write_hits(
        [item.hit for item in result.hits],
        fmt,
        out,
        whole=whole,
        shared=[item.shared for item in result.hits],
        null=null,
        color=color,
        width=width,
    )


def terminal_width() -> int | None:
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        return None


# -- stats ----------------------------------------------------------------------


def stats_dict(stats: IndexStats) -> dict[str, Any]:
    """The stable JSON object of ``syrsearch stats`` (see README)."""
    return {
        "index": stats.index_folder,
        "corpus": stats.corpus,
        "articles": stats.articles,
        "terms": stats.terms,
        "index_bytes": stats.index_bytes,
        "corpus_bytes": stats.corpus_bytes,
        "dates": {"dated": stats.dated, "first": stats.first_date, "last": stats.last_date},
        "sources": {
            "articles": stats.with_source,
            "top": [{"name": s.name, "articles": s.articles} for s in stats.sources],
        },
        "distinctive_terms": [
            {"word": t.word, "occurrences": t.occurrences, "articles": t.articles}
            for t in stats.distinctive
        ],
    }


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


def _stats_rows(stats: IndexStats) -> list[tuple[str, str]]:
    ratio = (
        f" ({stats.index_bytes / stats.corpus_bytes:.2f}x the text)" if stats.corpus_bytes else ""
    )
    if stats.first_date:
        dates = f"{stats.first_date} to {stats.last_date} ({stats.dated:,} dated)"
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
        ("distinctive terms", ", ".join(t.word for t in stats.distinctive) or "none"),
    ]


def write_stats(
    stats: IndexStats, fmt: OutputFormat, out: IO[str], *, color: bool, width: int | None = None
) -> None:
    """``stats`` as JSON, as ``name<TAB>value`` lines, or as a Rich table."""
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        out.write(dumps(stats_dict(stats)) + "\n")
        return
    rows = [(k, safe(v)) for k, v in _stats_rows(stats)]
    if fmt is not OutputFormat.rich:
        sep = "\t" if fmt is OutputFormat.tsv else ": "
        out.writelines(f"{k}{sep}{v}\n" for k, v in rows)
        return
    from rich.table import Table

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for k, v in rows:
        table.add_row(k, v)
    _console(out, color, width).print(table)
    if stats.distinctive:
        terms = Table(title="Most distinctive terms", title_justify="left")
        terms.add_column("word")
        terms.add_column("occurrences", justify="right")
        terms.add_column("articles", justify="right")
        for t in stats.distinctive:
            terms.add_row(safe(t.word), f"{t.occurrences:,}", f"{t.articles:,}")
        _console(out, color, width).print(terms)
