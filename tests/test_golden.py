"""Golden files: what ``text`` (and ``rich`` without colour) output looks like at 80 columns.

Each case runs the command line through Typer's CliRunner, with COLUMNS=80, in
a temp folder holding a copy of the seed articles (indexed first, so nothing
but the command's own output is on stdout), and compares its stdout exactly
with ``tests/golden/<case>.txt``. Folder paths that change from run to run
are replaced by ``<tmp>``, and the index size (which depends on how long the
corpus path is) by ``<size>`` and ``<ratio>``.

After a change of layout that is meant, rewrite the files and read the diff
before committing it::

    SYRSEARCH_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

With SYRSEARCH_UPDATE_GOLDEN=1 each case writes its file instead of comparing,
and is reported as skipped so that a run that only rewrote files never passes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from syrsearch.cli import app

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("SYRSEARCH_UPDATE_GOLDEN") == "1"
ENV = {"COLUMNS": "80"}
RICH = ["--format", "rich", "--color", "never"]

CASES: dict[str, list[str]] = {
    "query_ceasefire": ["query", "ceasefire", "--format", "text"],
    "query_phrase": ["query", '"Secretary of State"', "--format", "text"],
    "query_by_date": ["query", "Lavrov", "--sort", "date", "--format", "text", "--limit", "3"],
    "similar_003": ["similar", "003", "--format", "text", "--limit", "2"],
    "show_004": ["show", "004", "--format", "text"],
    "stats": ["stats", "--format", "text"],
    "query_ceasefire_rich": ["query", "ceasefire", *RICH],
    "similar_003_rich": ["similar", "003", "--limit", "2", *RICH],
    "query_by_month_rich": ["query", "Syria", "--by", "month", "--since", "2016-10", *RICH],
    "query_by_source": ["query", "Lavrov", "--by", "source", "--format", "text"],
    "stats_by_year_rich": ["stats", "--by", "year", *RICH],
    "related_rich": ["related", "Astana OR Jubeir", "--limit", "8", *RICH],
    "related_by_year_rich": ["related", "Syria", "--by", "year", "--limit", "3", *RICH],
    "query_markdown": ["query", "ceasefire", "--format", "markdown", "--limit", "2"],
}

INDEX_SIZE = re.compile(r"^index size: \S+ \S+ \(\S+x the text\)$", re.MULTILINE)


def normalised(text: str, tmp: Path) -> str:
    for folder in sorted({str(tmp.resolve()), str(tmp)}, key=len, reverse=True):
        text = text.replace(folder, "<tmp>")
    return INDEX_SIZE.sub("index size: <size> (<ratio>x the text)", text)


def run(runner: CliRunner, args: list[str]):
    result = runner.invoke(app, args, env=ENV)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("case", list(CASES))
def test_output_matches_its_golden_file(runner: CliRunner, indexed: Path, case: str) -> None:
    actual = normalised(run(runner, CASES[case]).stdout, indexed)
    path = GOLDEN / f"{case}.txt"
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        pytest.skip(f"wrote {path.relative_to(GOLDEN.parent.parent)}")
    assert path.is_file(), f"no golden file {path.name}: run with SYRSEARCH_UPDATE_GOLDEN=1"
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"syrsearch {' '.join(CASES[case])} differs from {path.name}"


def test_golden_output_has_no_escape_codes(runner: CliRunner, indexed: Path) -> None:
    for args in CASES.values():
        assert "\x1b" not in run(runner, args).stdout, args


@pytest.mark.parametrize("case", ["query_ceasefire_rich", "similar_003_rich"])
def test_rich_keeps_wrapped_snippets_indented(runner: CliRunner, indexed: Path, case: str) -> None:
    # A hit: its header (its wrapped lines indented), then its path line, shared terms and
    # snippets, all indented by three spaces, then a blank line.
    count, *hits = run(runner, CASES[case]).stdout.split("\n\n")
    assert re.fullmatch(r"\d+ (of \d+ )?(similar )?articles?", count), count
    for block in filter(None, hits):
        lines = block.splitlines()
        (path_line,) = [n for n, line in enumerate(lines) if line.startswith("   seeds/")]
        assert path_line >= 1
        for line in lines[1:]:  # a wrapped header too
            assert line.startswith("   "), (case, line)
