"""Spelling suggestions on the seed articles: the library, the CLI, the installed command."""

from __future__ import annotations

import json

import pytest

from syrsearch import search, search_with_suggestion
from syrsearch.cli import app
from syrsearch.engine.search import iter_articles
from syrsearch.engine.suggest import FEW_HITS, MAX_WORDS, plain_words, suggest
from syrsearch.errors import ExitCode
from syrsearch.text.words import words

from .test_scripting import HIT_KEYS


def suggestion(handle, text: str) -> str | None:
    return search_with_suggestion(handle, text, limit=None).suggestion


def ids(result) -> list[str]:
    return [h.id for h in result.hits]


# -- the library ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("ceasfire", "ceasefire"),
        ("Lavrof", "Lavrov"),
        ("lavrof", "lavrov"),
        ("LAVROF", "LAVROV"),
        ("Lavrof's", "Lavrov's"),
        ("Kery", "Kerry"),
        ("Asatna", "Astana"),  # a transposition is one edit
        ("negotiatons", "negotiations"),
        ("cease-fyre", "cease-fire"),
        ("secuirty councl", "security council"),
    ],
)
def test_a_misspelt_word_gets_the_close_word_the_articles_use(seed_index, typed, meant) -> None:
    assert search(seed_index, typed).total == 0
    found = suggest(seed_index, typed, total=0)
    assert found is not None and found.text == meant
    assert found.total == search(seed_index, meant).total > 0


def test_no_word_of_the_articles_is_ever_corrected(seed_index) -> None:
    seen: set[str] = set()
    for article in iter_articles(seed_index):
        for text in (article.title, article.body):
            seen.update(text[w.start : w.end] for w in words(text))
    assert len(seen) > 500
    corrected = {w: s.text for w in seen if (s := suggest(seed_index, w, total=0)) is not None}
    assert corrected == {}


@pytest.mark.parametrize("query", ["ceasefire", "Lavrov", "Astana", "Jubeir", '"peace talks"'])
def test_a_correct_query_gets_no_suggestion(seed_index, query) -> None:
    result = search_with_suggestion(seed_index, query)
    assert result.total > 0
    assert result.suggestion is None and result.corrected is False


def test_only_the_misspelt_words_change_and_the_syntax_stays(seed_index) -> None:
    typed = '"Sergey Lavrof" AND (title:Moskow OR Jubier) NOT xylophone'
    meant = '"Sergey Lavrov" AND (title:Moscow OR Jubeir) NOT xylophone'
    assert suggestion(seed_index, typed) == meant
    assert [typed[a:b] for a, b, _ in plain_words(typed)] == [
        "Sergey",
        "Lavrof",
        "Moskow",
        "Jubier",
        "xylophone",
    ]
    # Fuzzy terms, wildcards and field names are the user's own spelling.
    other = "Lavrof~ negotiaton* ?avrov title:Moskow"
    assert [other[a:b] for a, b, _ in plain_words(other)] == ["Moskow"]


def test_a_suggestion_must_find_more_than_the_query(seed_index) -> None:
    assert suggest(seed_index, "xylophone", total=0) is None
    # "ceasefire xylophone" finds nothing either, so there is nothing to offer.
    assert suggest(seed_index, "ceasfire xylophone", total=0) is None


def test_a_query_that_finds_little_gets_a_suggestion_one_that_finds_enough_does_not(
    seed_index,
) -> None:
    little = search_with_suggestion(seed_index, "Lavrof OR Astana")
    assert 0 < little.total < FEW_HITS
    assert little.suggestion == "Lavrov OR Astana"
    enough = search_with_suggestion(seed_index, "Lavrof OR Syria")
    assert enough.total >= FEW_HITS and enough.suggestion is None
    # Enough hits: no look-up at all, whatever the words.
    assert suggest(seed_index, "ceasfire", total=FEW_HITS) is None


def test_pasted_text_gets_no_suggestion(seed_index) -> None:
    assert suggest(seed_index, "Syria " * 31 + "ceasfire", total=0) is not None
    assert suggest(seed_index, "Syria " * MAX_WORDS + "ceasfire", total=0) is None
    gibberish = "ceasfire qwzx vbnm plok trew yuio"
    assert suggest(seed_index, gibberish, total=0) is None


def test_fix_runs_the_corrected_query_and_keeps_the_typed_one(seed_index) -> None:
    fixed = search_with_suggestion(seed_index, "ceasfire", fix=True)
    meant = search(seed_index, "ceasefire")
    assert fixed.query == "ceasfire"
    assert fixed.suggestion == "ceasefire" and fixed.corrected is True
    assert fixed.total == meant.total == 4
    assert fixed.hits == meant.hits
    unfixed = search_with_suggestion(seed_index, "ceasfire")
    assert unfixed.total == 0 and unfixed.hits == () and unfixed.corrected is False


# -- the command line -----------------------------------------------------------


def query(runner, *args: str, input: str | None = None):
    return runner.invoke(app, ["query", *args], input=input)


def test_did_you_mean_goes_to_stderr(runner, indexed) -> None:
    result = query(runner, "ceasfire")
    assert result.exit_code == ExitCode.NO_MATCH
    assert result.stdout == ""
    assert result.stderr == "syrsearch: did you mean: ceasefire\n"
    lavrov = query(runner, "Lavrof")
    assert lavrov.stderr == "syrsearch: did you mean: Lavrov\n"


def test_quiet_says_nothing(runner, indexed) -> None:
    for args in (["ceasfire"], ["ceasfire", "--fix"], ["-", "--fix"]):
        result = query(runner, "--no-messages", *args, input="ceasfire\n")
        assert result.stderr == "", args


def test_a_correct_query_prints_no_suggestion(runner, indexed) -> None:
    assert query(runner, "--no-messages", "Astana").exit_code == ExitCode.OK
    result = query(runner, "Astana")
    assert result.exit_code == ExitCode.OK and result.stderr == ""


def test_fix_shows_the_hits_of_the_corrected_query(runner, indexed) -> None:
    expected = query(runner, "--no-messages", "ceasefire").stdout
    result = query(runner, "ceasfire", "--fix")
    assert result.exit_code == ExitCode.OK
    assert result.stderr == "syrsearch: showing results for: ceasefire\n"
    assert result.stdout == expected and expected.startswith("4 articles\n\n1. ")


def test_json_carries_the_suggestion(runner, indexed) -> None:
    data = json.loads(query(runner, "--no-messages", "Lavrof", "-f", "json").stdout)
    assert data == {"query": "Lavrof", "total": 0, "hits": [], "suggestion": "Lavrov"}
    fixed = query(runner, "Lavrof", "-f", "json", "--fix")
    assert fixed.exit_code == ExitCode.OK
    data = json.loads(fixed.stdout)
    assert list(data) == ["query", "total", "hits", "suggestion"]
    assert (data["query"], data["total"], data["suggestion"]) == ("Lavrof", 5, "Lavrov")
    assert [h["id"] for h in data["hits"]] == [
        h["id"] for h in json.loads(query(runner, "Lavrov", "-f", "json").stdout)["hits"]
    ]
    plain = json.loads(query(runner, "Lavrov", "-f", "json").stdout)
    assert plain["suggestion"] is None


@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "paths"])
def test_machine_formats_stay_pure_results(runner, indexed, fmt) -> None:
    expected = query(runner, "--no-messages", "ceasefire", "-f", fmt).stdout
    assert query(runner, "ceasfire", "-f", fmt).stdout == ""
    fixed = query(runner, "ceasfire", "-f", fmt, "--fix")
    assert fixed.stdout == expected
    if fmt == "jsonl":
        assert all(list(json.loads(line)) == HIT_KEYS for line in fixed.stdout.splitlines())


def test_count_with_a_suggestion(runner, indexed) -> None:
    plain = query(runner, "ceasfire", "--count")
    assert (plain.stdout, plain.exit_code) == ("0\n", ExitCode.NO_MATCH)
    assert "did you mean: ceasefire" in plain.stderr
    assert json.loads(query(runner, "ceasfire", "-c", "-f", "json").stdout) == {
        "query": "ceasfire",
        "total": 0,
    }
    fixed = query(runner, "ceasfire", "-c", "-f", "json", "--fix")
    assert fixed.exit_code == ExitCode.OK
    assert json.loads(fixed.stdout) == {"query": "ceasfire", "total": 4, "suggestion": "ceasefire"}


def test_the_any_hint_gives_way_to_a_suggestion(runner, indexed) -> None:
    result = query(runner, "ceasfire Lavrof")
    assert result.stderr == "syrsearch: did you mean: ceasefire Lavrov\n"
    no_suggestion = query(runner, "Astana xylophone")
    assert "--any" in no_suggestion.stderr and "did you mean" not in no_suggestion.stderr


def test_batch_reports_suggestions_per_line_and_fix_answers_them(runner, indexed) -> None:
    lines = "Lavrov\nceasfire\nxylophone\n"
    plain = query(runner, "-", "--limit", "1", input=lines)
    assert plain.exit_code == ExitCode.OK
    assert plain.stderr.endswith("syrsearch: line 2: did you mean: ceasefire\n")
    assert [json.loads(x)["query"] for x in plain.stdout.splitlines()] == ["Lavrov"]
    assert all("suggestion" not in json.loads(x) for x in plain.stdout.splitlines())

    fixed = query(runner, "-", "--limit", "1", "--fix", input=lines)
    assert fixed.exit_code == ExitCode.OK
    assert fixed.stderr.endswith("syrsearch: line 2: showing results for: ceasefire\n")
    rows = [json.loads(x) for x in fixed.stdout.splitlines()]
    assert [(r["query"], r["suggestion"]) for r in rows] == [
        ("Lavrov", None),
        ("ceasfire", "ceasefire"),
    ]
    counts = query(runner, "-", "--count", "--fix", "--no-messages", input=lines)
    assert [json.loads(x) for x in counts.stdout.splitlines()] == [
        {"query": "Lavrov", "total": 5, "suggestion": None},
        {"query": "ceasfire", "total": 4, "suggestion": "ceasefire"},
        {"query": "xylophone", "total": 0, "suggestion": None},
    ]


def test_only_a_fix_changes_the_exit_status(runner, indexed) -> None:
    assert query(runner, "-", "--no-messages", input="ceasfire\n").exit_code == ExitCode.NO_MATCH
    assert query(runner, "-", "--no-messages", "--fix", input="ceasfire\n").exit_code == ExitCode.OK
    assert query(runner, "xylophone", "--fix").exit_code == ExitCode.NO_MATCH


# -- the installed command ------------------------------------------------------


def test_installed_command_suggests_and_fixes(run_cli) -> None:
    assert run_cli("index", "--no-messages").returncode == 0
    asked = run_cli("query", "Lavrof")
    assert (asked.returncode, asked.stdout) == (ExitCode.NO_MATCH, "")
    assert asked.stderr == "syrsearch: did you mean: Lavrov\n"
    fixed = run_cli("query", "Lavrof", "--fix", "-f", "paths")
    assert fixed.returncode == ExitCode.OK
    assert fixed.stderr == "syrsearch: showing results for: Lavrov\n"
    assert fixed.stdout == run_cli("query", "Lavrov", "-f", "paths").stdout
    assert len(fixed.stdout.splitlines()) == 5
