"""``syrsearch tui``: search as you type, built with Textual.

A query box; the ranked hits (title, date, source, score); a preview of the
selected article with its matches highlighted, scrolled to the first. Each
keystroke starts a search in a worker thread; searches take turns on the
index (one reader at a time) and a search that a newer keystroke has made
stale is skipped, or its answer dropped. Nothing raises out of the app: an
error of the index or the query is a line in the status bar.
"""

from __future__ import annotations

import gc
import os
import shlex
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Input, Static

from ..errors import SyrsearchError
from ..model import Filters, Hit, SearchRequest, Span, StoredArticle
from ..output.styled import article_text, body_start, line_of
from ..text.dates import relative_date
from ..text.metadata import parse_date
from .hits import HitList

LIMIT = 50
"""Hits listed for a query."""
NARROW = 80
"""Below this many columns the preview goes under the list."""
PREVIEW_DELAY = 0.06
"""Seconds the selection rests before the preview loads."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What one search put on screen: the hits, the total, what to say."""

    hits: tuple[Hit, ...]
    total: int
    status: str
    seconds: float


def parse_filters(text: str, today: date | None = None) -> Filters:
    """``since:2016-03 until:30d source:Reuters source:"Syria Times"``."""
    since = until = None
    sources: list[str] = []
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise SyrsearchError(f"filters: {exc}") from None
    for word in words:
        key, _, value = word.partition(":")
        if not value:
            raise SyrsearchError(f"filters: '{word}' is not since:, until: or source:")
        if key in ("since", "until"):
            day = relative_date(value, today or date.today()) or parse_date(
                value, end=key == "until"
            )
            if day is None:
                raise SyrsearchError(f"filters: cannot read '{value}' as a date")
            since, until = (day, until) if key == "since" else (since, day)
        elif key == "source":
            sources.append(value)
        else:
            raise SyrsearchError(f"filters: unknown filter '{key}'")
    return Filters(since, until, tuple(sources))


class SearchApp(App[int]):
    """The interactive search."""

    TITLE = "syrsearch"
    CSS = """
    #query { height: 3; }
    #filters { height: 3; display: none; }
    #filters.shown { display: block; }
    #body { height: 1fr; }
    #hits { width: 2fr; height: 1fr; border: none; }
    #preview { width: 3fr; height: 1fr; border-left: solid $primary-darken-2; padding: 0 1; }
    .narrow #body { layout: vertical; }
    .narrow #hits { width: 1fr; height: 1fr; }
    .narrow #preview { width: 1fr; height: 2fr; border-left: none;
                       border-top: solid $primary-darken-2; }
    #status { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "next hit", show=False, priority=True),
        Binding("up", "move(-1)", "previous hit", show=False, priority=True),
        Binding("ctrl+n", "move(1)", show=False, priority=True),
        Binding("ctrl+p", "move(-1)", show=False, priority=True),
        Binding("j", "move(1)", "down", show=False),
        Binding("k", "move(-1)", "up", show=False),
        Binding("n", "match(1)", "next match"),
        Binding("N", "match(-1)", "prev match", key_display="N"),
        Binding("ctrl+t", "toggle_any", "any/all", priority=True),
        Binding("ctrl+f", "toggle_filters", "filters", priority=True),
        Binding("s", "similar", "similar"),
        Binding("e", "open('EDITOR')", "editor"),
        Binding("p", "open('PAGER')", "pager"),
        Binding("y", "copy('id')", "copy id"),
        Binding("Y", "copy('path')", "copy path", key_display="Y"),
        Binding("escape", "go_back", "back", priority=True),
        Binding("tab", "focus_next", show=False),
        Binding("ctrl+c", "quit", "quit", priority=True),
        Binding("q", "quit", show=False),
    ]

    def __init__(
        self, index_dir: Path, corpus: Path, *, query: str = "", any_word: bool = False
    ) -> None:
        super().__init__()
        self.index_dir, self.corpus = index_dir, corpus
        self.initial_query = query
        self.any_word = any_word
        self.filters = Filters()
        self.index: Any = None
        self.hits: tuple[Hit, ...] = ()
        self.similar_of: str | None = None
        self.article: StoredArticle | None = None
        self.spans: list[Span] = []
        self.article_rendered: Any = None
        self.match = 0
        self.lock = threading.Lock()
        self.generation = 0
        self.shown_generation = 0
        self.preview_generation = 0
        self.preview_timer: Any = None
        self.preview_wanted: tuple[int, str, str] | None = None
        self.drawing = False
        # Per answer: seconds searching, and seconds from the answer to the screen drawn;
        # and the CPU seconds the screen's thread spent in that time (what load does not inflate).
        self.timings: list[tuple[float, float]] = []
        self.render_cpu: list[float] = []

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Input(
            self.initial_query, placeholder="search (Whoosh syntax)", id="query",
            select_on_focus=False,
        )  # fmt: skip
        yield Input(placeholder="since:2016-03 until:30d source:Reuters", id="filters")
        with Horizontal(id="body"):
            yield HitList(id="hits")
            with VerticalScroll(id="preview"):
                yield Static("", id="article", markup=False)
        yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._layout_for(self.size.width)
        self.query_one("#query", Input).focus()
        self.open_index()

    def on_resize(self, event: Any) -> None:
        self._layout_for(event.size.width)
        if self.article is not None:
            self.call_after_refresh(self._scroll_to_match)

    def _layout_for(self, width: int) -> None:
        self.screen.set_class(width < NARROW, "narrow")

    def say(self, line: str) -> None:
        # One line of fixed size: redrawn without a layout of the screen.
        self.query_one("#status", Static).update(line, layout=False)

    # -- the index ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="open")
    def open_index(self) -> None:
        from ..engine.index import open_index

        try:
            with self.lock:
                self.index = open_index(self.index_dir)
        except Exception as exc:  # never a traceback
            self.call_from_thread(self.say, _error(exc))
            return
        self.call_from_thread(self._index_ready)

    def _index_ready(self) -> None:
        # What is here now (Textual's screen, the index's readers) lives as
        # long as the app: the collector's full passes need not walk it again,
        # each of which could stall a keystroke's drawing.
        gc.freeze()
        self.say(f"index '{self.index_dir}' open: type to search")
        if self.query_one("#query", Input).value.strip():
            self.search()

    # -- searching ----------------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def _typed(self) -> None:
        self.similar_of = None
        self.search()

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        self.query_one("#hits", HitList).focus()

    @on(Input.Changed, "#filters")
    def _filters_typed(self, event: Input.Changed) -> None:
        try:
            self.filters = parse_filters(event.value)
        except SyrsearchError as exc:
            self.say(_error(exc))
            return
        self.search()

    def search(self) -> None:
        self.generation += 1
        self._rest_preview()
        text = self.query_one("#query", Input).value
        request = SearchRequest(
            text=text, limit=LIMIT, snippets=0, any_word=self.any_word, filters=self.filters
        )
        self._search(self.generation, request)

    @work(thread=True, group="search")
    def _search(self, generation: int, request: SearchRequest) -> None:
        if not request.text.strip():
            answer = Answer((), 0, "type to search", 0.0)
            self.call_from_thread(self._show, generation, answer)
            return
        with self.lock:  # one reader of the index at a time
            if generation != self.generation or self.index is None:
                return  # stale before it started: a newer keystroke will answer
            answer = self._answer(request)
        self.call_from_thread(self._show, generation, answer)

    def _answer(self, request: SearchRequest) -> Answer:
        from ..app import run_query

        started = time.perf_counter()
        try:
            outcome = run_query(self.index, request)
        except Exception as exc:  # never a traceback
            return Answer((), 0, _error(exc), time.perf_counter() - started)
        seconds = time.perf_counter() - started
        result = outcome.result
        mode = "any word" if request.any_word else "all words"
        count = f"{len(result.hits):,} of {result.total:,} articles"
        notes = "; ".join(outcome.notices)
        status = f"{count} · {mode} · {seconds * 1000:.0f} ms" + (f" · {notes}" if notes else "")
        return Answer(result.hits, result.total, status, seconds)

    def _show(self, generation: int, answer: Answer) -> None:
        if generation < self.shown_generation or generation != self.generation:
            return  # an answer to a query the user has typed past
        started, cpu = time.perf_counter(), time.thread_time()
        self.drawing = True  # the preview waits until the answer is on screen
        self.shown_generation = generation
        self.hits = answer.hits
        self._list(answer.hits)
        self.say(answer.status)
        if not answer.hits:
            self.article = None
            self.query_one("#article", Static).update("")

        def drawn() -> None:
            self.timings.append((answer.seconds, time.perf_counter() - started))
            self.render_cpu.append(time.thread_time() - cpu)
            self.drawing = False
            self._start_preview()

        self.call_after_refresh(drawn)

    def _list(self, hits: tuple[Hit, ...]) -> None:
        self.query_one("#hits", HitList).show(hits)

    # -- the preview --------------------------------------------------------------------------

    def _rest_preview(self) -> None:
        """Forget the preview asked for: the list or the selection moved."""
        self.preview_generation += 1
        self.preview_wanted = None
        if self.preview_timer is not None:
            self.preview_timer.stop()
            self.preview_timer = None

    @on(HitList.Highlighted, "#hits")
    def _highlighted(self, event: HitList.Highlighted) -> None:
        # The preview follows once the selection rests for PREVIEW_DELAY, so
        # that typing or holding a key redraws the list, not every article;
        # it is read and laid out for the selected hit only.
        self._rest_preview()
        if 0 <= event.index < len(self.hits):
            ident = self.hits[event.index].id
            self.preview_wanted = (self.preview_generation, ident, self.query_value())
            if not self.drawing:
                self._start_preview()

    def query_value(self) -> str:
        return self.query_one("#query", Input).value

    def _start_preview(self) -> None:
        if self.preview_wanted is None:
            return
        generation, ident, query = self.preview_wanted
        self.preview_wanted = None
        if generation == self.preview_generation:
            self.preview_timer = self.set_timer(
                PREVIEW_DELAY, lambda: self._preview(generation, ident, query)
            )

    @work(thread=True, group="preview")
    def _preview(self, generation: int, ident: str, query: str) -> None:
        from ..app import show

        with self.lock:
            if generation != self.preview_generation or self.index is None:
                return
            try:
                shown = show(self.index, ident, highlight=query or None)
            except Exception as exc:  # never a traceback
                self.call_from_thread(self.say, _error(exc))
                return
        spans = list(shown.spans.get("body", []))
        self.call_from_thread(self._show_article, generation, shown.article, spans)

    def _show_article(self, generation: int, article: StoredArticle, spans: list[Span]) -> None:
        if generation != self.preview_generation:
            return
        self.article, self.spans, self.match = article, spans, 0
        self._render_article()
        self.call_after_refresh(self._scroll_to_match)

    def _render_article(self) -> None:
        if self.article is None:
            return
        current = self.match if self.spans else None
        self.article_rendered = article_text(self.article, self.spans, current)
        self.query_one("#article", Static).update(self.article_rendered)

    def _scroll_to_match(self) -> None:
        if self.article is None:
            return
        preview = self.query_one("#preview", VerticalScroll)
        if not self.spans:
            preview.scroll_home(animate=False)
            return
        text = self.article_rendered
        offset = body_start(self.article) + self.spans[self.match][0]
        line = line_of(text, offset, preview.scrollable_content_region.width)
        preview.scroll_to(y=max(line - 2, 0), animate=False)

    # -- actions ------------------------------------------------------------------------------

    def _selected(self) -> Hit | None:
        index = self.query_one("#hits", HitList).highlighted
        return self.hits[index] if index is not None and 0 <= index < len(self.hits) else None

    def action_move(self, step: int) -> None:
        listing = self.query_one("#hits", HitList)
        if not self.hits:
            return
        now = listing.highlighted if listing.highlighted is not None else -1
        listing.highlighted = min(max(now + step, 0), len(self.hits) - 1)

    def action_match(self, step: int) -> None:
        if not self.spans:
            self.say("no match in this article to move to")
            return
        self.match = (self.match + step) % len(self.spans)
        self._render_article()
        self._scroll_to_match()
        self.say(f"match {self.match + 1} of {len(self.spans)}")

    def action_toggle_any(self) -> None:
        self.any_word = not self.any_word
        self.search()

    def action_toggle_filters(self) -> None:
        bar = self.query_one("#filters", Input)
        bar.toggle_class("shown")
        if bar.has_class("shown"):
            bar.focus()
        else:
            self.query_one("#query", Input).focus()

    def action_go_back(self) -> None:
        if self.similar_of is not None:
            self.similar_of = None
            self.search()
        self.query_one("#query", Input).focus()

    def action_similar(self) -> None:
        hit = self._selected()
        if hit is not None:
            self.generation += 1
            self.similar_of = hit.id
            self._similar(self.generation, hit.id)

    @work(thread=True, group="search")
    def _similar(self, generation: int, ident: str) -> None:
        from ..app import similar

        with self.lock:
            if generation != self.generation or self.index is None:
                return
            started = time.perf_counter()
            try:
                result = similar(self.index, ident, limit=LIMIT, snippets=0)
            except Exception as exc:  # never a traceback
                answer = Answer((), 0, _error(exc), 0.0)
            else:
                seconds = time.perf_counter() - started
                words = ", ".join(k.word for k in result.key_terms[:6])
                status = (
                    f"{len(result.hits):,} of {result.total:,} articles like {ident}"
                    f" ({words}) · esc: back to the query"
                )
                answer = Answer(result.hits, result.total, status, seconds)
        self.call_from_thread(self._show, generation, answer)

    def action_open(self, variable: str) -> None:
        hit = self._selected()
        if hit is None:
            return
        fallback = "vi" if variable == "EDITOR" else "less -R"
        command = os.environ.get(variable) or (
            os.environ.get("VISUAL", fallback) if variable == "EDITOR" else fallback
        )
        try:
            with self.suspend():
                subprocess.run([*shlex.split(command), hit.path], check=False)
        except Exception as exc:  # no terminal to hand over (a test, a pipe), or no such program
            self.say(f"cannot open {hit.path} with {command}: {exc}")

    def action_copy(self, what: str) -> None:
        hit = self._selected()
        if hit is not None:
            value = hit.id if what == "id" else hit.path
            self.copy_to_clipboard(value)
            self.say(f"copied {what}: {value}")


def _error(exc: Exception) -> str:
    """The status line for a failure: the error and its hint, or, for what
    syrsearch does not expect, the exception's kind and text."""
    if not isinstance(exc, SyrsearchError):
        return f"error: unexpected {type(exc).__name__}: {exc}"
    return f"error: {exc.message}" + (f" ({exc.hint})" if exc.hint else "")


def run(index_dir: Path, corpus: Path, *, query: str = "", any_word: bool = False) -> int:
    """Run the interactive search until the user quits; its exit status."""
    app = SearchApp(index_dir, corpus, query=query, any_word=any_word)
    app.run()
    return 0


__all__ = ["Answer", "SearchApp", "parse_filters", "run"]
