"""The ranked list of the interactive search: two screen lines per hit.

Every hit takes exactly two lines (title; date, source, score), so the list
needs no measuring: a new answer replaces the hits in place and redraws, and
only the rows on screen are ever rendered (each hit's lines are made when
first shown, and kept until the hits or the width change). Moving the
selection redraws the two rows it leaves and the two it enters.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..model import Hit
from ..output.styled import hit_line

ROWS = 2
"""Screen lines per hit."""


class HitList(ScrollView, can_focus=True):
    """The hits of the current answer, one selected."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"hit-list--selected"}
    DEFAULT_CSS = """
    HitList { background: $surface; }
    HitList > .hit-list--selected { background: $block-cursor-blurred-background; }
    HitList:focus > .hit-list--selected { background: $block-cursor-background;
                                          color: $block-cursor-foreground; }
    """

    class Highlighted(Message):
        """The selection moved to hit number ``index``."""

        def __init__(self, hit_list: HitList, index: int) -> None:
            super().__init__()
            self.hit_list = hit_list
            self.index = index

        @property
        def control(self) -> HitList:
            return self.hit_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: tuple[Hit, ...] = ()
        self._highlighted: int | None = None
        self._lines: dict[tuple[int, bool], list[Strip]] = {}
        self._width = 0

    # -- the hits ------------------------------------------------------------------------------

    def show(self, hits: tuple[Hit, ...]) -> None:
        """Replace the hits, select the first, and redraw (no layout: the
        list's size does not depend on its hits)."""
        self.hits = hits
        self._lines.clear()
        self.virtual_size = Size(self._content_width(), ROWS * len(hits))
        self.scroll_to(y=0, animate=False, immediate=True)
        self._highlighted = None
        self.highlighted = 0 if hits else None
        self.refresh()

    @property
    def highlighted(self) -> int | None:
        """The selected hit's number, or None when there are no hits."""
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = min(max(index, 0), len(self.hits) - 1) if self.hits else None
        old, self._highlighted = self._highlighted, index
        if old == index:
            return
        for row in (old, index):
            if row is not None:
                self.refresh(Region(0, ROWS * row - int(self.scroll_y), self.size.width, ROWS))
        if index is not None:
            self._keep_in_view(index)
            self.post_message(self.Highlighted(self, index))

    def _keep_in_view(self, index: int) -> None:
        top, height = ROWS * index, max(self.scrollable_content_region.height, ROWS)
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif top + ROWS > self.scroll_y + height:
            self.scroll_to(y=top + ROWS - height, animate=False, immediate=True)

    # -- drawing -------------------------------------------------------------------------------

    def _content_width(self) -> int:
        return max(self.scrollable_content_region.width, 1)

    def on_resize(self, event: events.Resize) -> None:
        self._lines.clear()
        self.virtual_size = Size(self._content_width(), ROWS * len(self.hits))
        if self._highlighted is not None:
            self._keep_in_view(self._highlighted)

    def render_line(self, y: int) -> Strip:
        width = self._content_width()
        if width != self._width:
            self._lines.clear()
            self._width = width
        row = int(self.scroll_y) + y
        index, part = divmod(row, ROWS)
        base = self.rich_style
        if not 0 <= index < len(self.hits):
            return Strip.blank(width, base)
        key = (index, index == self._highlighted)
        lines = self._lines.get(key)
        if lines is None:
            style = base
            if key[1]:
                style = base + self.get_component_rich_style("hit-list--selected")
                self._lines.pop((index, False), None)
            else:
                self._lines.pop((index, True), None)
            lines = self._lines[key] = self._render_hit(self.hits[index], width, style)
        return lines[part]

    def _render_hit(self, hit: Hit, width: int, base: Any) -> list[Strip]:
        console = self.app.console
        options = console.options.update(width=width, no_wrap=True, overflow="crop")
        text = hit_line(hit, max(width - 1, 1))
        lines = console.render_lines(text, options, style=base, pad=True)[:ROWS]
        out = [Strip(line).crop_extend(0, width, base) for line in lines]
        return out + [Strip.blank(width, base)] * (ROWS - len(out))

    # -- the mouse -----------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        index = (event.y + int(self.scroll_y)) // ROWS
        if 0 <= index < len(self.hits):
            self.highlighted = index


__all__: list[str] = ["ROWS", "HitList"]
