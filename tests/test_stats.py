"""``syrsearch stats``: what the index holds, from the library and the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from syrsearch import index_stats, open_index, update_index
from syrsearch.cli import app
from syrsearch.errors import ExitCode


def test_stats_of_the_seeds(seed_index) -> None:
    stats = index_stats(seed_index)
    assert stats.articles == 5
    assert stats.corpus_bytes == sum(p.stat().st_size for p in seed_index.corpus.glob("*.txt"))
    assert stats.index_bytes > 0
    assert (stats.dated, stats.first_date, stats.last_date) == (
        2,
        date(2015, 12, 17),
        date(2017, 1, 25),
    )
    assert stats.with_source == 3
    assert sorted((s.name, s.articles) for s in stats.sources) == [
        ("Azernews", 1), ("ST", 1), ("TODAY.AZ", 1), ("TRTWorld", 1),
    ]  # fmt: skip
    words = [t.word for t in stats.distinctive]
    assert len(words) == 20
    # Written forms, not stems; no function words; each in 2+ but not most articles.
    assert "turkey" in words and "turkei" not in words
    assert not {"the", "said", "after", "should"} & set(words)
    assert all(2 <= t.articles <= 2 for t in stats.distinctive)
    assert stats.terms > 500


def test_counts_follow_deletions(tmp_path: Path, make_corpus) -> None:
    root = make_corpus(
        {
            "a.txt": "One\nUpdated May 3, 2016\nThe talks in Geneva resumed, diplomats said.",
            "b.txt": "Two\nBy Azernews\nThe talks in Astana resumed on Monday, diplomats said.",
            "c.txt": "Three\n2017-02-01\nThe talks in Astana ended on Friday, the diplomats said.",
        }
    )
    folder = tmp_path / "index"
    update_index(root, folder)
    (root / "c.txt").unlink()
    update_index(root, folder)
    stats = index_stats(open_index(folder))
    assert stats.articles == 2
    assert (stats.dated, stats.first_date, stats.last_date) == (
        1,
        date(2016, 5, 3),
        date(2016, 5, 3),
    )
    assert [(s.name, s.articles) for s in stats.sources] == [("Azernews", 1)]


def test_stats_command_json_and_text(runner, in_tmp: Path) -> None:
    result = runner.invoke(app, ["stats", "--json", "--terms", "5"])
    assert result.exit_code == ExitCode.OK, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == [
        "index", "corpus", "articles", "terms", "index_bytes", "corpus_bytes",
        "dates", "sources", "distinctive_terms", "languages",
    ]  # fmt: skip
    assert data["languages"] == [{"lang": "en", "articles": 5}]
    assert data["articles"] == 5
    assert data["dates"] == {"dated": 2, "first": "2015-12-17", "last": "2017-01-25"}
    assert data["sources"]["articles"] == 3
    assert len(data["distinctive_terms"]) == 5
    assert set(data["distinctive_terms"][0]) == {"word", "occurrences", "articles"}
    whole = json.loads(runner.invoke(app, ["stats", "-f", "json"]).stdout)
    assert whole["distinctive_terms"][:5] == data["distinctive_terms"]
    text = runner.invoke(app, ["stats"]).stdout
    assert "articles: 5\n" in text
    assert "dates: 2015-12-17 to 2017-01-25 (2 dated)\n" in text
    assert "\x1b" not in text


def test_stats_rich_table_on_a_terminal(run_cli) -> None:
    done = run_cli("stats", "--format", "rich", "--color", "always", env={"COLUMNS": "100"})
    assert done.returncode == 0, done.stderr
    assert "\x1b[" in done.stdout
    assert "Most distinctive terms" in done.stdout
    assert "2015-12-17 to 2017-01-25" in done.stdout


def test_stats_without_an_index_or_corpus_is_one_line(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["stats", "--corpus", "nowhere"])
    assert result.exit_code == ExitCode.ERROR
    assert len(result.stderr.strip().splitlines()) == 1


def test_stats_refuses_formats_of_hits(runner, in_tmp: Path) -> None:
    for fmt in ("paths", "jsonl"):
        result = runner.invoke(app, ["stats", "-f", fmt])
        assert result.exit_code == ExitCode.ERROR and result.stdout == ""
        (line,) = result.stderr.strip().splitlines()
        assert "--format" in line
    rows = runner.invoke(app, ["stats", "-f", "tsv"]).stdout.splitlines()
    assert "articles\t5" in rows
