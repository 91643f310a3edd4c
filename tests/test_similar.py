"""``similar ID`` on the seed articles: the library, the CLI, the installed command."""

from __future__ import annotations

import csv
import io
import json

import pytest

from syrsearch import similar
from syrsearch.cli import app
from syrsearch.engine.search import resolve_id
from syrsearch.errors import ExitCode, UnknownIdError
from syrsearch.output.terminal import OutputFormat
from syrsearch.text.stopwords import FUNCTION_WORDS
from syrsearch.text.words import POSSESSIVE, normalize, stem, word_terms, words

from .test_scripting import HIT_KEYS

SEED_IDS = [
    "000_277429d245566ea2",
    "001_fcd0c7a043fc03f3",
    "002_2e98f640cd47a897",
    "003_325ec279d4bf9786",
    "004_27f4b5ccaf5df4df",
]


def index_terms_of(text: str) -> set[str]:
    return {t for w in words(text) for t in word_terms(w)}


def term_of(word: str) -> str:
    (only,) = words(word)
    return stem(only.text)


# -- the library ----------------------------------------------------------------


@pytest.mark.parametrize("ident", SEED_IDS)
def test_similar_ranks_the_other_articles_and_leaves_itself_out(seed_index, ident) -> None:
    result = similar(seed_index, ident[:3])
    assert result.article.id == ident
    found = [item.id for item in result.hits]
    assert ident not in found
    assert len(found) == len(set(found)) == result.total >= 3
    assert [item.rank for item in result.hits] == list(range(1, len(found) + 1))
    scores = [item.score for item in result.hits]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0


@pytest.mark.parametrize("ident", SEED_IDS)
def test_shared_terms_are_real_words_in_both_articles(seed_index, ident) -> None:
    result = similar(seed_index, ident)
    source = result.article.title + "\n" + result.article.body
    # As the article writes them, without a possessive ("Arabia" of "Arabia's").
    source_words = {POSSESSIVE.sub("", source[w.start : w.end]) for w in words(source)}
    for item in result.hits:
        assert item.shared, item.id
        other = resolve_id(seed_index, item.id)
        other_terms = index_terms_of(other.title + "\n" + other.body)
        for word in item.shared:
            assert word in source_words  # as the article writes it
            assert term_of(word) in other_terms, (item.id, word)
        assert len(item.shared) <= len(result.key_terms)


def test_key_terms_are_readable_content_words(seed_index) -> None:
    result = similar(seed_index, "004")
    keys = [k.word for k in result.key_terms]
    assert len(keys) == 10
    assert "terrorism" in keys  # not the stem "terror"
    for key in result.key_terms:
        assert key.word.lower() not in FUNCTION_WORDS
        assert not key.word.isdigit()
        assert term_of(key.word) == key.term
    weights = [k.weight for k in result.key_terms]
    assert weights == sorted(weights, reverse=True)
    assert len(similar(seed_index, "004", terms=3).key_terms) == 3


def test_the_closest_article_comes_first(seed_index) -> None:
    # 003 and 000 both report Russian-Iranian-Turkish cooperation on Syria.
    result = similar(seed_index, "003")
    assert result.hits[0].id == "000_277429d245566ea2"
    assert {"cooperation", "Turkey", "Iran"} <= set(result.hits[0].shared)


def test_limit_and_snippets(seed_index) -> None:
    result = similar(seed_index, "004", limit=2, snippets=0)
    assert len(result.hits) == 2 and result.total == 4
    assert all(item.snippets == () for item in result.hits)
    one = similar(seed_index, "004", limit=1).hits[0]
    (snippet,) = one.snippets
    assert snippet.highlights
    marked = {normalize(snippet.text[a:b]) for a, b in snippet.highlights}
    assert marked & {normalize(w) for w in similar(seed_index, "004").hits[0].shared}


def test_unknown_and_ambiguous_ids(seed_index) -> None:
    with pytest.raises(UnknownIdError):
        similar(seed_index, "nosuch")
    with pytest.raises(UnknownIdError, match="matches 5 articles"):
        similar(seed_index, "00")


def test_an_article_that_shares_nothing_has_no_similar_ones(index_of) -> None:
    handle = index_of(
        {
            "okapi.txt": "Okapi\nThe okapi lives in the rainforest of the Congo.\n",
            "glacier.txt": "Glacier\nA glacier is a persistent body of dense ice.\n",
            "okapi2.txt": "Okapis\nAn okapi eats leaves in the Congo rainforest.\n",
        }
    )
    alone = similar(handle, "glacier")
    assert (alone.key_terms, alone.hits, alone.total) == ((), (), 0)
    pair = similar(handle, "okapi")
    assert [item.id for item in pair.hits] == ["okapi2"]
    assert set(pair.hits[0].shared) == {"okapi", "rainforest", "Congo"}


# -- the command line -----------------------------------------------------------


def run(runner, *args: str):
    return runner.invoke(app, ["similar", *args])


def test_text_output_shows_shared_terms(runner, indexed) -> None:
    result = run(runner, "003", "-n", "1")
    assert result.exit_code == ExitCode.OK
    count, _, *lines = result.stdout.splitlines()
    assert count == "1 of 4 similar articles"
    assert lines[0].startswith("1. Russian Federation and Iran intensify cooperation on Syria")
    assert "[000_277429d245566ea2]" in lines[0]
    assert lines[1] == "   seeds/000_277429d245566ea2.txt"
    assert lines[2].startswith("   shared: Turkey, Iran, cooperation, ")
    assert result.stderr.startswith("syrsearch: key terms of 003_325ec279d4bf9786: regional, ")
    assert run(runner, "003", "--no-messages").stderr == ""


@pytest.mark.parametrize("fmt", [f.value for f in OutputFormat])
def test_every_format(runner, indexed, fmt) -> None:
    result = run(runner, "004", "-f", fmt, "--no-messages")
    assert result.exit_code == ExitCode.OK and result.stderr == ""
    out = result.stdout
    assert "\x1b[" not in out
    if fmt == "json":
        data = json.loads(out)
        assert list(data) == ["id", "path", "title", "key_terms", "total", "hits"]
        assert data["id"] == "004_27f4b5ccaf5df4df" and data["total"] == 4
        assert [list(h) for h in data["hits"]] == [[*HIT_KEYS, "shared_terms"]] * 4
    elif fmt == "jsonl":
        whole = json.loads(run(runner, "004", "-f", "json").stdout)["hits"]
        assert [json.loads(line) for line in out.splitlines()] == whole
    elif fmt == "tsv":
        rows = [line.split("\t") for line in out.splitlines()]
        assert [len(r) for r in rows] == [9] * 4  # shared terms, then lang
        assert [r[0] for r in rows] == ["1", "2", "3", "4"]
        assert "004_27f4b5ccaf5df4df" not in {r[2] for r in rows}
        assert all(r[7] and " " not in r[7] for r in rows)
    elif fmt == "paths":
        assert len(out.splitlines()) == 4 and "seeds/004_27f4b5ccaf5df4df.txt" not in out
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0][-2:] == ["shared_terms", "lang"] and len(rows) == 5
        assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4"]
        assert "004_27f4b5ccaf5df4df" not in {r[2] for r in rows}
    elif fmt == "markdown":
        assert out.startswith("1. **") and "   - shared: " in out
        assert "004_27f4b5ccaf5df4df" not in out
    else:
        assert out.startswith("4 similar articles\n\n1. ") and "   shared: " in out


def test_colour_highlights_shared_terms(runner, indexed) -> None:
    result = run(runner, "004", "-n", "1", "-f", "text", "--color", "always", "--no-messages")
    assert "   shared: \x1b[1;33mdecisions\x1b[0m, \x1b[1;33mpolitical\x1b[0m, " in result.stdout


def test_ids_resolve_like_show(runner, indexed) -> None:
    by_prefix = run(runner, "004", "-f", "paths", "--no-messages").stdout
    assert run(runner, "004_27f4b5ccaf5df4df", "-f", "paths", "--no-messages").stdout == by_prefix
    assert (
        run(runner, "seeds/004_27f4b5ccaf5df4df.txt", "-f", "paths", "--no-messages").stdout
        == by_prefix
    )


@pytest.mark.parametrize(("ident", "needle"), [("nosuch", "no article"), ("00", "matches 5")])
def test_a_bad_id_is_one_line_and_exit_2(runner, indexed, ident, needle) -> None:
    result = run(runner, ident)
    assert result.exit_code == ExitCode.ERROR and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("syrsearch: error: ") and needle in line


def test_no_similar_article_exits_1(runner, in_tmp, make_corpus) -> None:
    corpus = make_corpus({"a.txt": "Okapi\nThe okapi.\n", "b.txt": "Glacier\nIce.\n"})
    result = run(runner, "a", "--corpus", str(corpus), "--index-dir", "ix", "--no-messages")
    assert (result.exit_code, result.stdout, result.stderr) == (ExitCode.NO_MATCH, "", "")


def test_limit_and_terms_options(runner, indexed) -> None:
    data = json.loads(run(runner, "004", "-f", "json", "-n", "2", "--terms", "3").stdout)
    assert len(data["hits"]) == 2 and len(data["key_terms"]) == 3
    every = json.loads(run(runner, "004", "-f", "json", "-n", "0").stdout)
    assert len(every["hits"]) == every["total"] == 4


# -- the installed command ------------------------------------------------------


def test_installed_command(run_cli) -> None:
    assert run_cli("index", "--no-messages").returncode == 0
    done = run_cli("similar", "003", "-f", "tsv", "--no-messages")
    assert done.returncode == ExitCode.OK and done.stderr == ""
    first = done.stdout.splitlines()[0].split("\t")
    assert first[2] == "000_277429d245566ea2"
    assert "cooperation" in first[7].split(",")
    bad = run_cli("similar", "nosuch")
    assert bad.returncode == ExitCode.ERROR and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
