"""Rich text for the interactive search: a hit as one list line, an article
with its matches highlighted and the current one marked.

Article text is made safe first and styled by span, never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import Hit, Span, StoredArticle
from .records import iso
from .terminal import HIGHLIGHT_STYLE, one_line, safe

CURRENT_MATCH_STYLE = "bold black on yellow"


def hit_line(hit: Hit, width: int) -> Any:
    """Two lines: the title (cut to ``width``), then ``date · source · score``."""
    from rich.text import Text

    title = one_line(hit.title) or safe(hit.id)
    if len(title) > width:
        title = title[: max(width - 1, 1)] + "\u2026"
    line = Text(title, style="bold")
    for a, b in hit.title_highlights:
        if b <= len(title):
            line.stylize(HIGHLIGHT_STYLE, a, b)
    facts = [iso(hit.date) or "", safe(hit.source or ""), f"score {hit.score:.2f}"]
    line.append("\n" + " \u00b7 ".join(f for f in facts if f)[:width], style="dim")
    return line


def _facts(article: StoredArticle) -> str:
    facts = [article.id, article.path, iso(article.date) or "", article.source or ""]
    return " \u00b7 ".join(safe(f) for f in facts if f) + "\n\n"


def article_text(article: StoredArticle, body_spans: Sequence[Span], current: int | None) -> Any:
    """The article for the preview: title, facts, body; the body's matches
    highlighted, match number ``current`` marked."""
    from rich.text import Text

    text = Text(safe(one_line(article.title)) + "\n", style="bold")
    facts = [
        safe(article.id),
        safe(article.path),
        iso(article.date) or "",
        safe(article.source or ""),
    ]
    text.append(" \u00b7 ".join(f for f in facts if f) + "\n\n", style="dim")
    start = len(text)
    text.append(safe(article.body))
    for n, (a, b) in enumerate(body_spans):
        style = CURRENT_MATCH_STYLE if n == current else HIGHLIGHT_STYLE
        text.stylize(style, start + a, start + b)
    return text


def body_start(article: StoredArticle) -> int:
    """Where the body begins in :func:`article_text`'s text."""
    head = safe(one_line(article.title)) + "\n"
    facts = [
        safe(article.id),
        safe(article.path),
        iso(article.date) or "",
        safe(article.source or ""),
    ]
    return len(head) + len(" \u00b7 ".join(f for f in facts if f) + "\n\n")


def line_of(text: Any, offset: int, width: int) -> int:
    """The screen line, once ``text`` is wrapped to ``width``, that shows the
    character at ``offset``."""
    from rich.console import Console

    console = Console(width=max(width, 1), color_system=None, file=None)
    line, pos = 0, 0
    for paragraph in text.split("\n", allow_blank=True):
        pieces = paragraph.wrap(console, max(width, 1)) if len(paragraph) else [paragraph]
        if offset <= pos + len(paragraph):
            for piece in pieces:
                if offset < pos + len(piece) or piece is pieces[-1]:
                    return line
                pos += len(piece)
                line += 1
        pos += len(paragraph) + 1
        line += max(len(pieces), 1)
    return line
