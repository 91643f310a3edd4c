"""The interactive search, driven by Textual's pilot on a real index of the seeds."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path

import pytest

from syrsearch import SearchRequest, run_query
from syrsearch.cli import app as cli_app
from syrsearch.engine.index import CURRENT
from syrsearch.errors import ExitCode, SyrsearchError
from syrsearch.model import Filters
from syrsearch.output.styled import article_text, body_start, line_of
from syrsearch.tui.app import LIMIT, Answer, SearchApp, parse_filters

from .conftest import build_index

pytest.importorskip("textual")


@pytest.fixture
def index_dir(seeds: Path, tmp_path: Path) -> Path:
    build_index(seeds, tmp_path / "index")
    return tmp_path / "index"


def ids_for(index_dir: Path, text: str, **options) -> list[str]:
    from syrsearch import open_index

    request = SearchRequest(text, limit=LIMIT, snippets=0, **options)
    return [h.id for h in run_query(open_index(index_dir), request).result.hits]


async def settle(pilot) -> None:
    """Wait until every search and preview has answered and the screen is drawn."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def run(coroutine) -> None:
    asyncio.run(coroutine)


def status(app: SearchApp) -> str:
    return str(app.query_one("#status").render())


def test_typing_searches_on_each_keystroke(index_dir: Path, seeds: Path) -> None:
    async def scenario() -> None:
        app = SearchApp(index_dir, seeds)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press(*"Lavrov")
            await settle(pilot)
            assert [h.id for h in app.hits] == ids_for(index_dir, "Lavrov")
            assert status(app).startswith("5 of 5 articles · all words")
            await pilot.press("backspace", "backspace", "backspace", "backspace")
            await pilot.press(*"ceasefire"[2:])  # "La" + "asefire": nothing
            await settle(pilot)
            assert app.hits == () and status(app).startswith("0 of 0 articles")
            assert str(app.query_one("#article").render()).strip() == ""
            await pilot.press(*["backspace"] * 9, *"ceasefire")
            await settle(pilot)
            assert [h.id for h in app.hits] == ids_for(index_dir, "ceasefire")
            assert len(app.timings) >= 3 and all(s >= 0 and r >= 0 for s, r in app.timings)

    run(scenario())


def test_what_the_app_holds_once_the_index_is_open_is_frozen(index_dir: Path, seeds: Path) -> None:
    """The collector's full passes skip the app's screen and the index's
    readers (gc.freeze), so they cannot stall a keystroke's drawing."""
    import gc

    async def scenario() -> None:
        gc.unfreeze()
        app = SearchApp(index_dir, seeds)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert gc.get_freeze_count() > 0
        gc.unfreeze()

    run(scenario())


def test_a_stale_answer_is_dropped(index_dir: Path, seeds: Path) -> None:
    async def scenario() -> None:
        app = SearchApp(index_dir, seeds, query="ceasefire")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            shown = app.hits
            assert shown
            old = Answer((), 0, "an old answer", 0.0)
            app._show(app.generation - 1, old)  # a search the user has typed past
            assert app.hits == shown and "old answer" not in status(app)
            # Many keystrokes at once: only the last query's answer stays on screen.
            await pilot.press(*" OR Lavrov")
            await settle(pilot)
            assert [h.id for h in app.hits] == ids_for(index_dir, "ceasefire OR Lavrov")

    run(scenario())


def test_navigation_and_the_preview(index_dir: Path, seeds: Path) -> None:
    async def scenario() -> None:
        app = SearchApp(index_dir, seeds, query="ceasefire")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.article is not None and app.article.id == app.hits[0].id
            await pilot.press("down")  # from the query box
            await settle(pilot)
            assert app.article.id == app.hits[1].id
            await pilot.press("tab")  # the list: j and k move
            await pilot.press("j")
            await settle(pilot)
            assert app.article.id == app.hits[2].id
            await pilot.press("k", "k", "k")
            await settle(pilot)
            assert app.article.id == app.hits[0].id
            # The preview highlights every match, the current one marked.
            spans = app.spans
            assert len(spans) >= 2
            body = app.article.body
            assert all("cease" in body[a:b].lower() for a, b in spans)
            await pilot.press("n")
            await settle(pilot)
            assert app.match == 1 and status(app) == f"match 2 of {len(spans)}"
            await pilot.press("N", "N")
            await settle(pilot)
            assert app.match == len(spans) - 1
            preview = app.query_one("#preview")
            text = article_text(app.article, spans, app.match)
            offset = body_start(app.article) + spans[app.match][0]
            line = line_of(text, offset, preview.scrollable_content_region.width)
            assert preview.scroll_y == min(max(line - 2, 0), preview.max_scroll_y)
            assert preview.scroll_y > 0, "the last match is below the first screen"

    run(scenario())


def test_the_list_draws_two_lines_a_hit_and_a_click_selects(index_dir: Path, seeds: Path) -> None:
    async def scenario() -> None:
        app = SearchApp(index_dir, seeds, query="ceasefire")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            listing = app.query_one("#hits")
            rows = [listing.render_line(y).text for y in range(4)]
            first, second = app.hits[0], app.hits[1]
            assert rows[0].startswith(first.title[:20]) and rows[2].startswith(second.title[:20])
            assert f"score {first.score:.2f}" in rows[1]
            assert all(len(row) == listing.scrollable_content_region.width for row in rows)
            await pilot.click("#hits", offset=(3, 3))  # the second line of the second hit
            await settle(pilot)
            assert listing.highlighted == 1 and app.article.id == second.id
            await pilot.press("escape", *" zzzzqx")  # back to the query: no hits, all empty
            await settle(pilot)
            assert app.hits == () and listing.render_line(0).text.strip() == ""
            assert app.article is None

    run(scenario())


def test_any_filters_and_similar(index_dir: Path, seeds: Path) -> None:
    async def scenario() -> None:
        app = SearchApp(index_dir, seeds, query="ceasefire zeppelin")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.hits == ()
            await pilot.press("ctrl+t")
            await settle(pilot)
            assert [h.id for h in app.hits] == ids_for(
                index_dir, "ceasefire zeppelin", any_word=True
            )
            assert "any word" in status(app) and app.hits
            await pilot.press("ctrl+f", *"since:2016-06")
            await settle(pilot)
            assert app.filters == Filters(since=date(2016, 6, 1))
            assert app.hits and all(h.date and h.date >= date(2016, 6, 1) for h in app.hits)
            await pilot.press("ctrl+f")  # hides the filter bar, back to the query
            first = app.hits[0].id
            await pilot.press("tab", "s")
            await settle(pilot)
            assert f"articles like {first}" in status(app)
            assert app.hits and first not in {h.id for h in app.hits}
            await pilot.press("escape")
            await settle(pilot)
            assert "articles like" not in status(app)

    run(scenario())


def test_copy_and_open_never_fail(index_dir: Path, seeds: Path, monkeypatch) -> None:
    monkeypatch.setenv("EDITOR", "true")

    async def scenario() -> None:
        app = SearchApp(index_dir, seeds, query="Lavrov")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("tab", "y")
            assert app.clipboard == app.hits[0].id
            await pilot.press("Y")
            assert app.clipboard == app.hits[0].path
            await pilot.press("e")  # a headless test has no terminal to hand over
            await pilot.pause()
            assert app.is_running
            assert "cannot open" in status(app) or status(app).startswith("copied")

    run(scenario())


def test_a_resize_reflows_the_layout(index_dir: Path, seeds: Path) -> None:
    async def scenario() -> None:
        app = SearchApp(index_dir, seeds, query="ceasefire")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            hits, preview = app.query_one("#hits"), app.query_one("#preview")
            assert not app.screen.has_class("narrow")
            assert hits.region.y == preview.region.y  # side by side
            await pilot.resize_terminal(60, 30)
            await settle(pilot)
            assert app.screen.has_class("narrow")
            assert preview.region.y > hits.region.y  # the preview under the list
            assert preview.region.right <= 60 and app.hits
            await pilot.resize_terminal(120, 40)
            await settle(pilot)
            assert not app.screen.has_class("narrow")

    run(scenario())


@pytest.mark.parametrize("how", ["damaged", "missing"])
def test_a_damaged_or_missing_index_is_a_status_line(
    index_dir: Path, seeds: Path, tmp_path: Path, how: str
) -> None:
    if how == "damaged":
        (index_dir / CURRENT).write_bytes(b"\x00\xffnot a generation")
    folder = index_dir if how == "damaged" else tmp_path / "nowhere"

    async def scenario() -> None:
        app = SearchApp(folder, seeds)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert status(app).startswith("error: ")
            await pilot.press(*"ceasefire", "down", "n", "s", "y")
            await settle(pilot)
            assert app.is_running and app.hits == ()

    run(scenario())


def test_damage_found_while_searching_is_a_status_line(index_dir: Path, seeds: Path) -> None:
    gen = index_dir / (index_dir / CURRENT).read_text().strip()
    postings = next(gen.glob("*.pst"))

    async def scenario() -> None:
        app = SearchApp(index_dir, seeds)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            postings.write_bytes(postings.read_bytes()[:1000])
            await pilot.press(*"Lavrov")
            await settle(pilot)
            assert status(app).startswith("error: ") and "damaged" in status(app)
            assert app.is_running

    run(scenario())


def test_filter_syntax() -> None:
    today = date(2026, 3, 31)
    assert parse_filters("since:2016-03 until:30d source:'Syria Times'", today) == Filters(
        date(2016, 3, 1), date(2026, 3, 1), ("Syria Times",)
    )
    for bad in ("since:soon", "colour:red", "Reuters", "source:'unclosed"):
        with pytest.raises(SyrsearchError):
            parse_filters(bad, today)


@pytest.mark.parametrize("args", [["tui"], ["-i"], ["tui", "ceasefire", "--any"]])
def test_tui_in_a_pipe_is_a_one_line_error(runner, indexed: Path, args) -> None:
    result = runner.invoke(cli_app, args)
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.startswith("syrsearch: error: the interactive search needs a terminal")
    assert result.stderr.count("\n") == 1
    assert json.loads(runner.invoke(cli_app, ["query", "x", "-f", "json"]).stdout)["total"] == 0
