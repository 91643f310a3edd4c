"""The interactive search per keystroke: time searching, and time from the answer to the screen.

Types queries into ``syrsearch tui`` one character at a time (Textual's
headless pilot, 120x40), waits after each keystroke until the answer is on
screen, and reads the app's own two timings for it: the search (in the worker
thread) and the render (from the answer reaching the UI thread to the screen
drawn after it), with the CPU time the app's screen thread spent in that
render (which the load of other processes does not inflate). Anchors
measured in the same run: the same query
answered by ``syrsearch.run_query`` outside the app (what the app adds to a
search), a frame that changes one status line (what drawing anything costs
on this machine now), and a repaint of the whole screen (what drawing every
widget once costs now).

    python bench/corpus_gen.py /tmp/c10k --articles 10000
    syrsearch index --corpus /tmp/c10k --index-dir /tmp/ix10k
    python bench/tui.py /tmp/ix10k [--json out.json]

Target (issue 14): each keystroke's answer drawn within 150 ms of its search finishing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

from syrsearch import SearchRequest, index_stats, open_index, run_query
from syrsearch.tui.app import LIMIT, SearchApp

QUERIES = ["ceasefire aleppo", "lavrov geneva talks", "security council resolution", "U.N. envoy"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


async def typed(index_dir: Path) -> list[tuple[str, float, float]]:
    """(prefix typed, search s, render s) for each keystroke."""
    app = SearchApp(index_dir, Path("."))
    rows = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for query in QUERIES:
            await pilot.press(*["backspace"] * 40)
            await app.workers.wait_for_complete()
            await pilot.pause()
            for n, char in enumerate(query, 1):
                before = len(app.timings)
                await pilot.press(char)
                deadline = time.monotonic() + 60
                while len(app.timings) <= before or app.shown_generation != app.generation:
                    await app.workers.wait_for_complete()
                    await pilot.pause(0.005)
                    if time.monotonic() > deadline:
                        raise SystemExit(f"no answer for {query[:n]!r}")
                search_s, render_s = app.timings[-1]
                rows.append((query[:n], search_s, render_s))
                CPU.append(app.render_cpu[-1])
        for n in range(len(rows)):  # the anchor frame: one status line changed, drawn
            drawn: list[float] = []
            started = time.perf_counter()
            app.say(f"frame {n}")
            app.call_after_refresh(
                lambda d=drawn, t=started: d.append(time.perf_counter() - t)  # type: ignore[misc]
            )
            while not drawn:
                await pilot.pause(0.002)
            FRAMES.append(drawn[0])
        for _ in range(len(rows)):  # the anchor repaint: every widget drawn again
            painted: list[float] = []
            started = time.perf_counter()
            app.screen.refresh(repaint=True, layout=True)
            for widget in app.screen.walk_children():
                widget.refresh()
            app.call_after_refresh(
                lambda d=painted, t=started: d.append(time.perf_counter() - t)  # type: ignore[misc]
            )
            while not painted:
                await pilot.pause(0.002)
            REPAINTS.append(painted[0])
    return rows


FRAMES: list[float] = []
REPAINTS: list[float] = []
CPU: list[float] = []


def anchors(index_dir: Path, prefixes: list[str]) -> list[float]:
    index = open_index(index_dir)
    out = []
    for text in prefixes:
        request = SearchRequest(text, limit=LIMIT, snippets=0)
        started = time.perf_counter()
        if text.strip():
            run_query(index, request)
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("--json", type=Path, help="write the figures here too")
    args = ap.parse_args()
    rows = asyncio.run(typed(args.index_dir))
    searched = [r for r in rows if r[0].strip()]
    anchor = anchors(args.index_dir, [r[0] for r in searched])
    search = [r[1] for r in searched]
    render = [r[2] for r in rows]
    articles = index_stats(open_index(args.index_dir), top_terms=0).articles
    figures = {
        "index": str(args.index_dir),
        "articles": articles,
        "keystrokes": len(rows),
        "search_ms": {"median": 1000 * statistics.median(search), "p95": 1000 * pct(search, 0.95)},
        "render_ms": {"median": 1000 * statistics.median(render), "p95": 1000 * pct(render, 0.95),
                      "max": 1000 * max(render)},
        "render_cpu_ms": {"median": 1000 * statistics.median(CPU), "p95": 1000 * pct(CPU, 0.95),
                          "max": 1000 * max(CPU)},
        "anchor_run_query_ms": {"median": 1000 * statistics.median(anchor),
                                "p95": 1000 * pct(anchor, 0.95)},
        "anchor_frame_ms": {"median": 1000 * statistics.median(FRAMES),
                            "p95": 1000 * pct(FRAMES, 0.95)},
        "anchor_repaint_ms": {"median": 1000 * statistics.median(REPAINTS),
                              "p95": 1000 * pct(REPAINTS, 0.95)},
        "search_over_anchor": statistics.median(search) / statistics.median(anchor),
        "render_over_frame": statistics.median(render) / statistics.median(FRAMES),
        "render_over_repaint": statistics.median(render) / statistics.median(REPAINTS),
        "within_150ms_of_search": sum(r <= 0.150 for r in render) / len(render),
        "render_cpu_within_150ms": sum(c <= 0.150 for c in CPU) / len(CPU),
        "slowest_renders_ms": sorted(
            ((round(1000 * r[2], 1), r[0], round(1000 * r[1], 1)) for r in rows), reverse=True
        )[:6],  # (render, text typed, its search)
    }  # fmt: skip
    json.dump(figures, sys.stdout, indent=2)
    sys.stdout.write("\n")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
