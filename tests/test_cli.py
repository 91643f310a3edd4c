"""The command line, through Typer's CliRunner and the installed entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from syrsearch.cli import app
from syrsearch.errors import ExitCode

from .conftest import syrsearch_exe

SEED_CEASEFIRE = {
    "000_277429d245566ea2",
    "001_fcd0c7a043fc03f3",
    "003_325ec279d4bf9786",
    "004_27f4b5ccaf5df4df",
}


def invoke(runner, *args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def hit_ids(runner, query: str, *extra: str) -> set[str]:
    result = invoke(runner, "query", query, "--format", "json", "--limit", "0", *extra)
    assert result.exit_code in (0, 1), result.stderr
    return {h["id"] for h in json.loads(result.stdout)["hits"]}


def assert_one_line_error(result, *needles: str) -> None:
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("syrsearch: error: ")
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]


# -- first contact -------------------------------------------------------------


def test_first_query_builds_the_index_and_finds_ceasefire(runner, in_tmp: Path) -> None:
    result = invoke(runner, "query", "ceasefire")
    assert result.exit_code == ExitCode.OK
    assert "building it from 'seeds'" in result.stderr
    assert "built index" in result.stderr
    assert (in_tmp / "index" / "CURRENT").is_file()
    assert result.stdout.startswith("4 articles\n\n1. ")
    assert "ceasefire" in result.stdout
    assert "\x1b[" not in result.stdout


def test_index_command_summary_goes_to_stderr(runner, in_tmp: Path) -> None:
    first = invoke(runner, "index")
    assert first.exit_code == 0 and first.stdout == ""
    assert "5 added" in first.stderr
    second = invoke(runner, "index")
    assert second.exit_code == 0
    assert "up to date" in second.stderr and "nothing to re-index" in second.stderr


def test_index_json_report(runner, in_tmp: Path) -> None:
    result = invoke(runner, "index", "--json", "--no-messages")
    assert result.exit_code == 0 and result.stderr == ""
    report = json.loads(result.stdout)
    assert report["added"] == 5 and report["articles"] == 5 and report["rebuilt"] is True


def test_corpus_and_index_from_environment(runner, in_tmp: Path, make_corpus, monkeypatch) -> None:
    corpus = make_corpus({"a.txt": "Alpha\nThe okapi spoke.\n"}, name="elsewhere")
    monkeypatch.setenv("SYRSEARCH_CORPUS", str(corpus))
    monkeypatch.setenv("SYRSEARCH_INDEX", str(in_tmp / "ix2"))
    assert invoke(runner, "index", "--no-messages").exit_code == 0
    assert (in_tmp / "ix2" / "CURRENT").exists()
    assert hit_ids(runner, "okapi") == {"a"}


# -- the query language -----------------------------------------------------------


def test_and_is_the_default(runner, indexed) -> None:
    both = hit_ids(runner, "ceasefire Astana")
    assert both == {"003_325ec279d4bf9786"}
    assert both < hit_ids(runner, "ceasefire")


def test_or_not_phrase_proximity(runner, indexed) -> None:
    assert hit_ids(runner, "Astana OR Jubeir") == {"003_325ec279d4bf9786", "004_27f4b5ccaf5df4df"}
    assert "001_fcd0c7a043fc03f3" not in hit_ids(runner, "ceasefire NOT Putin")
    assert hit_ids(runner, "ceasefire NOT Putin") < SEED_CEASEFIRE
    assert hit_ids(runner, '"trilateral group"') == {"003_325ec279d4bf9786"}
    assert hit_ids(runner, '"trilateral monitoring"') == set()
    assert hit_ids(runner, '"trilateral monitoring"~3') == {"003_325ec279d4bf9786"}


def test_prefix_fuzzy_and_field(runner, indexed) -> None:
    assert hit_ids(runner, "Lavr*") == hit_ids(runner, "Lavrov")
    assert hit_ids(runner, "Lavrof~") == hit_ids(runner, "Lavrov")
    assert hit_ids(runner, "Lavrof") == set()
    assert hit_ids(runner, "title:Moscow") == {
        "001_fcd0c7a043fc03f3",
        "003_325ec279d4bf9786",
        "004_27f4b5ccaf5df4df",
    }
    assert len(hit_ids(runner, "Moscow")) > 2


@pytest.mark.parametrize(
    "pasted",
    [
        '"ceasefire',
        "ceasefire AND",
        "(ceasefire",
        "ceasefire)",
        "ceasefire: !!",
        "OR ceasefire",
        "ceasefire ^ ~",
        "NOT NOT ceasefire",
        'cease-fire?"',
    ],
)
def test_lenient_parsing_never_aborts(runner, indexed, pasted: str) -> None:
    result = invoke(runner, "query", pasted)
    assert result.exit_code in (ExitCode.OK, ExitCode.NO_MATCH)
    assert "error" not in result.stderr


def test_explain_shows_parsed_query_and_normalised_words(runner, indexed) -> None:
    result = invoke(runner, "query", "--explain", "Kerry’s cease-fire")
    assert result.exit_code == 0
    assert "parsed:" in result.stdout and "Phrase" in result.stdout
    # Kerry is a name in the seeds: its exact form, not the stem kerri.
    assert "Kerry’s -> =kerry (a name here: not the stem of other words)" in result.stdout
    assert "kerry’s -> kerri" in invoke(runner, "query", "--explain", "kerry’s").stdout
    assert "cease-fire -> ceasefir | ceas fire" in result.stdout
    explained = json.loads(invoke(runner, "query", "--explain", "-f", "json", "U.N.").stdout)
    assert explained["words"] == [{"word": "U.N.", "terms": ["^un (acronym)"]}]
    lower = json.loads(invoke(runner, "query", "--explain", "-f", "json", "u.n.").stdout)
    assert lower["words"] == [{"word": "u.n.", "terms": ["un"]}]


# -- exit codes and errors -------------------------------------------------------------


def test_no_hit_exits_1_quietly(runner, indexed) -> None:
    result = invoke(runner, "query", "xylophone")
    assert result.exit_code == ExitCode.NO_MATCH
    assert result.stdout == "" and result.stderr == ""


def test_empty_query(runner, indexed) -> None:
    assert_one_line_error(invoke(runner, "query", ""), "empty query")
    assert_one_line_error(invoke(runner, "query", "  !!! "), "nothing to search for")


def test_unknown_and_ambiguous_id(runner, indexed) -> None:
    assert_one_line_error(invoke(runner, "show", "nope"), "no article with id 'nope'")
    assert_one_line_error(invoke(runner, "show", "00"), "matches 5 articles", "type more")


def test_no_corpus_and_no_index(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert_one_line_error(invoke(runner, "query", "x"), "no index in 'index'", "syrsearch index")
    assert_one_line_error(invoke(runner, "index"), "corpus folder 'seeds' does not exist")


def test_an_index_folder_that_cannot_be_written(runner, in_tmp: Path) -> None:
    (in_tmp / "afile").write_text("not a folder")
    assert_one_line_error(
        invoke(runner, "index", "--index-dir", "afile"), "cannot write the index in 'afile'"
    )
    result = invoke(runner, "query", "x", "--index-dir", "afile")
    assert result.exit_code == ExitCode.ERROR and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("syrsearch: error: cannot write")


def test_damaged_index_says_rebuild(runner, indexed) -> None:
    current = (indexed / "index" / "CURRENT").read_text().strip()
    for seg in (indexed / "index" / current).glob("MAIN_*.*"):  # every part of the segment
        seg.write_bytes(b"garbage")
    assert_one_line_error(invoke(runner, "query", "ceasefire"), "damaged", "--rebuild")
    assert invoke(runner, "index", "--rebuild", "--no-messages").exit_code == 0
    assert invoke(runner, "query", "ceasefire").exit_code == 0


def test_bad_options_are_one_line_errors(runner, indexed) -> None:
    assert_one_line_error(invoke(runner, "query", "x", "--bogus"), "--bogus")
    assert_one_line_error(invoke(runner, "query", "x", "--format", "xml"), "--format")
    assert_one_line_error(invoke(runner, "query", "x", "--limit", "-3"), "--limit")


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["query", "x", "--format", "xml"], "--format"),
        (["query", "x", "--color", "sometimes"], "--color"),
        (["query", "x", "--sort", "size"], "--sort"),
        (["query", "x", "--limit", "-3"], "--limit"),
        (["stats", "--format", "paths"], "--format"),
        (["export", "--format", "csv"], "--format"),
        (["similar", "003", "--terms", "0"], "--terms"),
    ],
)
def test_a_bad_value_of_any_option_is_the_same_kind_of_error(runner, indexed, args, option) -> None:
    result = invoke(runner, *args)
    assert_one_line_error(
        result, f"Invalid value for '{option}'", f"see 'syrsearch {args[0]} --help'"
    )


@pytest.mark.parametrize("command", ["query", "show", "similar"])
def test_help_lists_every_output_format(runner, command) -> None:
    text = " ".join(invoke(runner, command, "--help").stdout.split())
    assert "rich|text|json|jsonl|tsv|paths" in text
    assert "auto|always|never" in text


def test_choices_ignore_case(runner, indexed) -> None:
    result = invoke(runner, "query", "Astana", "--format", "TSV", "--sort", "Date")
    assert result.exit_code == 0
    assert result.stdout.split("\t")[2] == "003_325ec279d4bf9786"


# -- show ---------------------------------------------------------------------------------


def test_show_prints_the_article_in_full(runner, indexed) -> None:
    result = invoke(runner, "show", "003")
    assert result.exit_code == 0
    text = (indexed / "seeds" / "003_325ec279d4bf9786.txt").read_text(encoding="utf-8")
    assert "id: 003_325ec279d4bf9786" in result.stdout
    assert "path: seeds/003_325ec279d4bf9786.txt" in result.stdout
    last_line = text.strip().splitlines()[-1]
    assert last_line in result.stdout


def test_show_highlight_marks_terms_when_coloured(runner, indexed) -> None:
    result = invoke(runner, "show", "003", "--highlight", "ceasefire", "--color", "always")
    assert result.exit_code == 0
    assert "\x1b[1;33mceasefire\x1b[0m" in result.stdout
    plain = invoke(runner, "show", "003", "--highlight", "ceasefire")
    assert "\x1b[" not in plain.stdout


# -- snippets --------------------------------------------------------------------------------


def test_match_deep_in_a_long_article_is_highlighted(runner, in_tmp: Path) -> None:
    filler = "Nothing to see in this sentence at all. " * 2000
    (in_tmp / "seeds" / "long.txt").write_text(f"Long one\n{filler}\nThe zeppelin landed.\n")
    result = invoke(runner, "query", "zeppelin", "--format", "json", "--no-messages")
    hit = json.loads(result.stdout)["hits"][0]
    snippet = hit["snippets"][0]
    ((start, end),) = snippet["highlights"]
    assert snippet["text"][start:end] == "zeppelin"
    assert len(filler) > 32_768


def test_snippets_are_sentences_around_the_match(runner, indexed) -> None:
    hit = json.loads(invoke(runner, "query", "Astana", "-f", "json").stdout)["hits"][0]
    texts = [s["text"] for s in hit["snippets"]]
    assert any(
        t.startswith("The first talks in a year") and t.endswith("Astana on January 23 24.")
        for t in texts
    )


# -- the installed entry point ------------------------------------------------------------------


def test_installed_entry_point_end_to_end(run_cli) -> None:
    first = run_cli("query", "ceasefire")
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert "seeds/003_325ec279d4bf9786.txt" in first.stdout
    assert "\x1b[" not in first.stdout
    none = run_cli("query", "xylophone")
    assert (none.returncode, none.stdout) == (1, "")
    bad = run_cli("query", "")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert bad.stderr.startswith("syrsearch: error: empty query")


def test_python_dash_m(run_cli, in_tmp: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "syrsearch", "--version"], capture_output=True, text=True, cwd=in_tmp
    )
    assert result.returncode == 0 and result.stdout.startswith("syrsearch ")


def test_closed_pipe_ends_quietly(run_cli, in_tmp: Path) -> None:
    assert run_cli("index", "--no-messages").returncode == 0
    exe = " ".join(syrsearch_exe())
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {exe} query Syria --limit 0 | head -3; exit $?"],
        capture_output=True,
        text=True,
        cwd=in_tmp,
    )
    assert result.stdout.startswith("5 articles\n\n1. ")
    assert result.stderr == ""
    assert result.returncode in (0, 141)
