"""Dates and sources, never wrong: the texts of ``fixtures/metadata_cases.py``
(each written to reproduce a form real news uses, or a trap) and BBC Sport,
which states neither, through the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from syrsearch.cli import app
from syrsearch.corpus import split_title
from syrsearch.text.metadata import find_date, find_sources

from .fixtures.metadata_cases import CASES


@pytest.mark.parametrize(("name", "text", "stated", "source"), CASES, ids=[c[0] for c in CASES])
def test_what_the_text_states(name: str, text: str, stated: str | None, source: str | None) -> None:
    title, body = split_title(text)
    whole = f"{title}\n{body}"
    found = find_date(whole)
    assert (found.isoformat() if found else None) == stated
    assert (find_sources(whole) or (None,))[0] == source


def test_the_year_window_is_configurable() -> None:
    text = "Archive note\n12 March 1945\n\nThe document describes the end of the war."
    assert find_date(text) is None
    assert find_date(text, years=(1900, 2000)) == date(1945, 3, 12)
    assert find_date("Note\n1 March 2031\n\nText.", years=(1990, 2040)) == date(2031, 3, 1)


def test_every_case_through_the_cli(runner, in_tmp: Path) -> None:
    corpus = in_tmp / "cases"
    corpus.mkdir()
    for name, text, _, _ in CASES:
        (corpus / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    assert (
        runner.invoke(app, ["index", "--corpus", "cases", "--rebuild", "--no-messages"]).exit_code
        == 0
    )
    result = runner.invoke(app, ["export"])
    assert result.exit_code == 0, result.stderr
    got = {a["id"]: (a["date"], a["source"]) for a in map(json.loads, result.stdout.splitlines())}
    assert got == {name: (stated, source) for name, _, stated, source in CASES}
    dated = runner.invoke(app, ["query", "--since", "2015", "-f", "tsv", "-n", "0"])
    assert sorted(line.split("\t")[2] for line in dated.stdout.splitlines()) == sorted(
        name for name, _, stated, _ in CASES if stated and stated >= "2015"
    )


def test_bbc_sport_gets_no_date_and_no_source(bbc_index: Path, runner) -> None:
    result = runner.invoke(app, ["export", "--index-dir", str(bbc_index)])
    assert result.exit_code == 0, result.stderr
    articles = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(articles) == 737
    assert [a["id"] for a in articles if a["date"] or a["sources"]] == []
    stats = json.loads(
        runner.invoke(app, ["stats", "--json", "--index-dir", str(bbc_index)]).stdout
    )
    assert stats["dates"]["dated"] == 0 and stats["sources"]["top"] == []
