"""Ranking details real collections exposed, each through the command line:
duplicates in feedback, CD:UK, J-Lo, stats' function words and an empty
index, listing by date, unquoted words."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from syrsearch.cli import app
from syrsearch.errors import ExitCode

from .conftest import BBC_SPORT


def invoke(runner, *args: str):
    return runner.invoke(app, list(args))


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def test_copies_of_one_article_do_not_outvote_a_title(bbc_index: Path, runner) -> None:
    # football/163 and 164 are byte-identical: feedback from both used to put
    # them above the article whose title was pasted.
    title = (BBC_SPORT / "rugby" / "060.txt").read_text(encoding="utf-8").splitlines()[0]
    for extra in ([], ["--no-expand"]):
        result = invoke(runner, "query", title, "--any", *extra, "--index-dir", str(bbc_index),
                        "-f", "tsv", "-n", "3")  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[0].split("\t")[2] == "rugby/060"


# Titles that feedback from a near neighbour (or a neighbour with the same
# words) used to push off rank 1, with the article each must find.
PASTED = {
    "Henman hopes ended in Dubai": "tennis/014",  # beside "... in Dubai rain"
    "Jones files lawsuit against Conte": "athletics/088",  # beside "Jones files Conte lawsuit"
    "Moya emotional at Davis Cup win": "tennis/050",  # beside "... after Davis Cup win"
    "The gloves are off": "football/215",
    "What now for British tennis?": "tennis/029",
}


def test_a_pasted_title_finds_its_article_first(bbc_index: Path, runner) -> None:
    for title, expected in PASTED.items():
        # All words too, but a ? there is a wildcard (query syntax, not pasted text).
        for extra in (["--any"], ["--any", "--no-expand"], *([[]] if "?" not in title else [])):
            result = invoke(runner, "query", title, *extra, "--index-dir", str(bbc_index),
                            "-f", "tsv", "-n", "2", "--no-messages")  # fmt: skip
            assert result.exit_code == 0, result.stderr
            rows = [line.split("\t") for line in result.stdout.splitlines()]
            assert rows[0][2] == expected, (title, extra, rows)
            assert all(float(a[1]) >= float(b[1]) for a, b in itertools.pairwise(rows))


def test_a_pasted_title_in_the_installed_binary(run_cli, in_tmp: Path) -> None:
    write(in_tmp / "c", {
        "a.txt": "Henman hopes ended in Dubai\nTim Henman lost in the quarter-finals in Dubai.\n",
        "b.txt": "Henman hopes ended in Dubai rain\nRain in Dubai ended the hopes of Henman: "
        "Henman, Henman fans and Dubai hopes were washed out. Dubai rain, Henman said.\n",
        "c.txt": "Dubai hopes\nHenman hopes to return to Dubai next year.\n",
    })  # fmt: skip
    assert run_cli("index", "--corpus", "c", "--no-messages").returncode == 0
    for extra in (["--any"], []):
        out = run_cli("query", "henman hopes ended in dubai", *extra, "-f", "tsv")
        assert out.returncode == 0 and out.stderr == ""
        assert out.stdout.splitlines()[0].split("\t")[2] == "a"


def test_a_title_with_cd_uk_is_searched_as_written(runner, in_tmp: Path) -> None:
    write(in_tmp / "c", {
        "a.txt": "CD:UK hosts return to the studio\nThe presenters of CD:UK returned today.\n",
        "b.txt": "Chart show axed\nThe UK chart show was axed after ten years on air.\n",
    })  # fmt: skip
    assert invoke(runner, "index", "--corpus", "c", "--no-messages").exit_code == 0
    for extra in ([], ["--any"]):
        result = invoke(runner, "query", "CD:UK hosts return to the studio", *extra, "-f", "tsv")
        assert result.exit_code == 0
        assert result.stderr == ""
        assert result.stdout.splitlines()[0].split("\t")[2] == "a"
    assert "unknown field 'cd'" in invoke(runner, "query", "cd:uk").stderr


def test_j_lo_does_not_match_or_highlight_los(runner, in_tmp: Path) -> None:
    write(in_tmp / "c", {
        "a.txt": "J-Lo wins award\nThe singer J-Lo won in Los Angeles on Sunday.\n",
        "b.txt": "Lakers win\nLos Angeles Lakers won again on Sunday night.\n",
    })  # fmt: skip
    assert invoke(runner, "index", "--corpus", "c", "--no-messages").exit_code == 0
    for extra in ([], ["--any"]):
        result = invoke(runner, "query", "J-Lo", *extra, "-f", "jsonl")
        hits = [json.loads(line) for line in result.stdout.splitlines()]
        assert [h["id"] for h in hits] == ["a"]
        snippet = hits[0]["snippets"][0]
        marked = [snippet["text"][a:b] for a, b in snippet["highlights"]]
        assert marked == ["J-Lo"]


def test_stats_leaves_out_mr(runner, in_tmp: Path) -> None:
    files = {
        f"{n}.txt": f"Story {n}\nMr Smith said Mr Jones and Mr Brown met Mr Green {word}.\n"
        for n, word in enumerate(["quietly", "twice", "briefly"])
    }
    files |= {
        f"x{n}.txt": f"Other {n}\nThe ministers met again {w} in Geneva.\n"
        for n, w in enumerate(["quietly", "twice", "today", "briefly"])
    }
    write(in_tmp / "c", files)
    assert invoke(runner, "index", "--corpus", "c", "--no-messages").exit_code == 0
    stats = json.loads(invoke(runner, "stats", "--json", "--terms", "50").stdout)
    words = [t["word"].lower() for t in stats["distinctive_terms"]]
    assert "mr" not in words and "smith" in words


def test_stats_and_queries_on_an_empty_index(run_cli, in_tmp: Path) -> None:
    (in_tmp / "empty").mkdir()
    (in_tmp / "empty" / "blank.txt").write_bytes(b"")
    assert (
        run_cli("index", "--corpus", "empty", "--index-dir", "ix", "--no-messages").returncode == 0
    )
    stats = run_cli("stats", "--index-dir", "ix", "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["articles"] == 0
    for args in (["query", "x"], ["query", "*"], ["query", "--since", "2015"]):
        proc = run_cli(*args, "--index-dir", "ix")
        assert (proc.returncode, proc.stdout, proc.stderr) == (ExitCode.NO_MATCH, "", "")
    assert run_cli("export", "--index-dir", "ix").returncode == 0
    assert run_cli("index", "--index-dir", "ix", "--no-messages").returncode == 0


def test_star_or_filters_alone_list_articles_newest_first(runner, indexed: Path) -> None:
    result = invoke(runner, "query", "*", "-f", "tsv", "-n", "0")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[2][:3], r[5]) for r in rows] == [
        ("003", "2017-01-25"), ("001", "2015-12-17"), ("000", ""), ("002", ""), ("004", ""),
    ]  # fmt: skip
    since = invoke(runner, "query", "--since", "2016", "-f", "tsv")
    assert [r.split("\t")[2][:3] for r in since.stdout.splitlines()] == ["003"]
    source = invoke(runner, "query", "--source", "ST", "-f", "paths")
    assert source.stdout == "seeds/004_27f4b5ccaf5df4df.txt\n"
    assert invoke(runner, "query", "*", "--count").stdout == "5\n"
    assert invoke(runner, "query", "*", "--explain").stdout.splitlines()[1] == "parsed: Every()"
    missing = invoke(runner, "query")
    assert missing.exit_code == ExitCode.ERROR and "'*' lists every article" in missing.stderr


def test_listing_after_an_index_run_that_added_only_undated_articles(
    runner, indexed: Path, run_cli
) -> None:
    # The run's new segment has no date column: Whoosh's column of the whole
    # index then ended past its last article (an IndexError for '*' and --by).
    write(indexed / "seeds", {"999_undated.txt": "Envoy arrives\nThe envoy arrived in Geneva.\n"})
    assert invoke(runner, "index", "--no-messages").exit_code == 0
    result = invoke(runner, "query", "*", "-f", "tsv", "-n", "0")
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[2][:3], r[5]) for r in rows] == [
        ("003", "2017-01-25"), ("001", "2015-12-17"), ("000", ""), ("002", ""), ("004", ""),
        ("999", ""),
    ]  # fmt: skip
    by_year = run_cli("query", "*", "--by", "year", "-f", "tsv")
    assert by_year.returncode == 0 and by_year.stderr == ""
    counts = {row.split("\t")[0]: row.split("\t")[1] for row in by_year.stdout.splitlines()}
    assert counts["2017"] == "1" and counts["2015"] == "1"
    since = run_cli("query", "--since", "2016", "-f", "tsv")
    assert [r.split("\t")[2][:3] for r in since.stdout.splitlines()] == ["003"]


def test_bbc_listing_is_every_article(bbc_index: Path, runner) -> None:
    result = invoke(runner, "query", "*", "--index-dir", str(bbc_index), "-f", "paths", "-n", "0")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 737


def test_unquoted_words_are_one_query(runner, indexed: Path, run_cli) -> None:
    quoted = invoke(runner, "query", "ceasefire Astana", "-f", "paths").stdout
    assert quoted
    assert invoke(runner, "query", "ceasefire", "Astana", "-f", "paths").stdout == quoted
    proc = run_cli("query", "ceasefire", "Astana", "-f", "paths")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, quoted, "")
    assert invoke(runner, "query", "Lavrov", "-n", "1", "Kerry", "-f", "paths").exit_code == 0
