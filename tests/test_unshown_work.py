"""A format computes only what it shows: ``paths``, ``tsv``, ``csv``,
``--count`` and ``-q`` answer without snippets or highlights, with the same
output as when they are computed and thrown away."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import syrsearch.cli.commands as commands
import syrsearch.engine.search as engine_search
from syrsearch.cli import app

BROAD = "Russia OR Syria OR ceasefire OR Lavrov OR Kerry OR talks"
SHOWN_WORK = ("body_snippets", "matched_spans", "field_matches", "stored_body")

CASES = [
    ["query", BROAD, "--format", "paths", "--limit", "0"],
    ["query", BROAD, "--format", "paths", "--null"],
    ["query", "ceasefire", "--format", "tsv", "--header"],
    ["query", "ceasefire Moscow", "--format", "csv", "--sort", "date"],
    ["query", "*", "--format", "tsv", "--limit", "0"],
    ["query", '"ceasefire"', "--format", "paths", "--collapse"],
    ["query", "-", "--format", "tsv"],
    ["query", BROAD, "--count"],
    ["query", "ceasefire", "--count", "--format", "json"],
    ["query", "ceasefire", "-q"],
]


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = dict.fromkeys(SHOWN_WORK, 0)
    for name in SHOWN_WORK:
        real = getattr(engine_search, name)

        def counted(*args: Any, _name: str = name, _real: Callable[..., Any] = real) -> Any:
            calls[_name] += 1
            return _real(*args)

        monkeypatch.setattr(engine_search, name, counted)
    return calls


@pytest.mark.parametrize("args", CASES, ids=lambda a: " ".join(a[1:]))
def test_a_format_that_never_shows_snippets_computes_none_and_prints_the_same(
    runner: CliRunner, indexed: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    stdin = "ceasefire\nLavrov Kerry\n" if "-" in args else None
    # Reference: the same command with the snippets and highlights computed.
    with monkeypatch.context() as m:
        m.setattr(commands, "_shown", lambda request, _fmt: request)
        calls = _counting(m)
        before = runner.invoke(app, args, input=stdin)
    counted = args[-1] not in ("-q", "--count") and "--count" not in args
    assert calls["matched_spans"] > 0 or not counted  # the counting is not vacuous
    calls = _counting(monkeypatch)
    after = runner.invoke(app, args, input=stdin)
    assert after.exit_code == before.exit_code == 0, after.output
    assert after.stdout == before.stdout
    assert after.stdout or "-q" in args
    assert calls == dict.fromkeys(SHOWN_WORK, 0)


def test_formats_that_show_snippets_still_get_them(
    runner: CliRunner, indexed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting(monkeypatch)
    for fmt in ("json", "jsonl", "text", "markdown"):
        result = runner.invoke(app, ["query", "ceasefire", "--format", fmt, "--limit", "2"])
        assert result.exit_code == 0
    assert calls["body_snippets"] == 8 and calls["matched_spans"] >= 8
    hits = json.loads(runner.invoke(app, ["query", "ceasefire", "-f", "json"]).stdout)["hits"]
    assert all(h["snippets"] and h["snippets"][0]["highlights"] for h in hits)


def test_paths_as_a_process_are_the_paths_of_the_json_hits(
    run_cli: Callable[..., Any], indexed: Path
) -> None:
    paths = run_cli("query", BROAD, "--format", "paths", "--limit", "0")
    whole = run_cli("query", BROAD, "--format", "json", "--limit", "0")
    assert paths.returncode == whole.returncode == 0 and paths.stderr == ""
    hits = json.loads(whole.stdout)["hits"]
    assert len(hits) > 3
    assert paths.stdout.splitlines() == [h["path"] for h in hits]
