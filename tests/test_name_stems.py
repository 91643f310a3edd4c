"""A name that shares its stem with another word (``Hamas``, ``Hama``: both
``hama``) is searched as written when the query capitalises it, and the
corpus uses it as a name; other words, and lower-case queries, keep the stem.
Through the command line (CliRunner and the installed binary), on articles
written for the case (tests/fixtures/name_cases.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syrsearch import Index, search
from syrsearch.cli import app
from syrsearch.errors import ExitCode
from syrsearch.text.words import raw_words

from .conftest import build_index
from .fixtures.name_cases import corpus, hama_articles

HAMA = sorted(p.removesuffix(".txt") for p in hama_articles())


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


@pytest.fixture
def names_corpus(runner, in_tmp: Path) -> Path:
    write(in_tmp / "c", corpus())
    assert runner.invoke(app, ["index", "--corpus", "c", "--no-messages"]).exit_code == 0
    return in_tmp


def ids(runner, *args: str) -> list[str]:
    result = runner.invoke(app, ["query", *args, "-f", "tsv", "-n", "0", "--no-messages"])
    assert result.exit_code in (ExitCode.OK, ExitCode.NO_MATCH), result.output
    return [line.split("\t")[2] for line in result.stdout.splitlines()]


def test_hama_not_hamas_finds_the_city(runner, names_corpus: Path) -> None:
    assert sorted(ids(runner, "Hama NOT Hamas")) == HAMA
    assert sorted(ids(runner, "Hama NOT Hamas", "--any")) == HAMA


def test_hamas_finds_the_movement_not_the_city(runner, names_corpus: Path) -> None:
    for extra in ([], ["--any"]):
        found = ids(runner, "Hamas", *extra)
        # The truce article says Hamas twice (once as Hamas's); the twenty
        # Hama reports say Hama two or three times each, and are not Hamas.
        assert "hamas/truce" in found
        assert not set(found) & set(HAMA)
        assert set(found) == {"hamas/truce", "hamas/statement1", "hamas/statement2", "hamas/french"}


def test_hama_ranks_the_city_first_and_keeps_the_rest(runner, names_corpus: Path) -> None:
    found = ids(runner, "Hama")
    assert sorted(found[: len(HAMA)]) == HAMA
    assert "hamas/truce" in found[len(HAMA) :]  # still found, after the city


def test_lower_case_keeps_the_stem(runner, names_corpus: Path) -> None:
    every = {*HAMA, "hamas/truce", "hamas/statement1", "hamas/statement2", "hamas/french"}
    assert set(ids(runner, "hamas")) == every
    assert set(ids(runner, "hama")) == every


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Title-case words, a sentence-initial word: every form, as lower case finds.
        ("Talks", {"talks/peace", "talks/opening", "talks/late", "hamas/statement2"}),
        ("Peace Talks", {"talks/peace"}),
        ("Ceasefire", {"talks/truce", "talks/opening", "talks/truces"}),
        ("Negotiations", {"talks/opening"}),
        # A Russian name inflects: Лавров finds Лаврова.
        ("Лавров", {"talks/lavrov", "talks/lavrova"}),
    ],
)
def test_other_capitalised_words_keep_every_form(
    runner, names_corpus: Path, query: str, expected: set[str]
) -> None:
    assert set(ids(runner, query)) == expected
    assert set(ids(runner, query.lower())) == expected


def test_negotiated_is_found_by_a_capitalised_negotiate(runner, names_corpus: Path) -> None:
    assert "talks/truces" in ids(runner, "Negotiate")


def test_explain_shows_the_rule(runner, names_corpus: Path) -> None:
    hamas = runner.invoke(app, ["query", "--explain", "Hamas"]).stdout
    assert "Hamas -> =hamas (a name here: not the stem of other words)" in hamas
    assert "Term('body', 'hama')" not in hamas
    hama = runner.invoke(app, ["query", "--explain", "Hama", "--no-aliases"]).stdout
    assert "(first without =hamas)" in hama
    talks = runner.invoke(app, ["query", "--explain", "Talks"]).stdout
    assert "a name here" not in talks and "Talks -> talk" in talks
    lower = runner.invoke(app, ["query", "--explain", "hamas"]).stdout
    assert "a name here" not in lower


def test_hamas_highlights_only_hamas(runner, names_corpus: Path) -> None:
    result = runner.invoke(app, ["query", "Hamas", "-f", "jsonl", "--snippets", "3"])
    hit = next(h for h in map(json.loads, result.stdout.splitlines()) if h["id"] == "hamas/truce")
    marked = {s["text"][a:b] for s in hit["snippets"] for a, b in s["highlights"]}
    assert marked == {"Hamas", "Hamas's"}


def test_installed_binary(run_cli, in_tmp: Path) -> None:
    write(in_tmp / "c", corpus())
    assert run_cli("index", "--corpus", "c", "--no-messages").returncode == 0
    city = run_cli("query", "Hama NOT Hamas", "--format", "paths", "-n", "0")
    assert city.returncode == 0 and city.stderr == ""
    assert sorted(Path(p).parent.name + "/" + Path(p).stem for p in city.stdout.split()) == HAMA
    movement = run_cli("query", "Hamas", "--count")
    assert movement.stdout.strip() == "4"
    nothing = run_cli("query", "hama NOT hamas")  # lower case: the stem, so nothing
    assert nothing.returncode == ExitCode.NO_MATCH


def test_query_help_names_the_rule(runner) -> None:
    shown = " ".join(runner.invoke(app, ["query", "--help"]).stdout.split())
    assert "a name written with a capital is not another word of its stem" in shown


@pytest.fixture(scope="module")
def names_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    root = tmp_path_factory.mktemp("names") / "c"
    write(root, corpus())
    return build_index(root, root.parent / "index")


WORDS = sorted({w for text in corpus().values() for w in raw_words(text) if w.isalpha()})


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(word=st.sampled_from(WORDS), any_word=st.booleans())
def test_a_capital_only_narrows_a_word(names_index: Index, word: str, any_word: bool) -> None:
    # Written with a capital, a word finds some of what it finds in lower
    # case (a name: its exact form only), never an article more.
    def found(text: str) -> set[str]:
        return {h.id for h in search(names_index, text, any_word=any_word, limit=None).hits}

    assert found(word.capitalize()) <= found(word.lower())
