"""Query translation: unknown fields, natural-language (--any) mode, ranking weights."""

from __future__ import annotations

import json

from syrsearch import search
from syrsearch.cli import app
from syrsearch.engine.ranking import idf
from syrsearch.errors import ExitCode


def test_every_kind_of_unknown_field_is_searched_as_text_with_a_notice(runner, in_tmp) -> None:
    for query, word in [
        ("nosuch:Lavrov", "nosuch"),
        ('nosuch:"cease fire"', "nosuch"),
        ("nosuch:Lavr*", "nosuch"),
        ("nosuch:Lavrof~", "nosuch"),
    ]:
        result = runner.invoke(app, ["query", "--explain", "-f", "json", query])
        explained = json.loads(result.stdout)
        assert explained["notices"] == [
            "unknown field 'nosuch' searched as text (fields: title, body)"
        ], query
        assert explained["words"][0] == {"word": word, "terms": [word]}, query


def test_an_and_query_without_hits_suggests_any(runner, in_tmp) -> None:
    strict = runner.invoke(app, ["query", "Astana xylophone"])
    assert strict.exit_code == ExitCode.NO_MATCH and strict.stdout == ""
    assert "--any" in strict.stderr
    loose = runner.invoke(app, ["query", "--any", "Astana xylophone", "-f", "paths"])
    assert loose.exit_code == ExitCode.OK
    assert loose.stdout == "seeds/003_325ec279d4bf9786.txt\n"


def test_any_mode_pairs_still_match_either_word(index_of) -> None:
    handle = index_of(
        {
            "brigade.txt": "Brigade\nThe fire brigade came.\n",
            "truce.txt": "Truce\nThe ceasefire holds.\n",
            "other.txt": "Other\nNothing here.\n",
        }
    )
    assert {h.id for h in search(handle, "cease fire").hits} == {"truce"}
    assert {h.id for h in search(handle, "cease fire", any_word=True).hits} == {
        "brigade",
        "truce",
    }


def test_idf_weighs_a_word_in_every_article_next_to_nothing() -> None:
    assert 0 < idf(1000, 1000) < 0.001
    assert idf(1000, 1) > idf(1000, 100) > idf(1000, 900) > 0


def test_an_exact_form_outranks_a_stem_in_any_mode_too(index_of) -> None:
    handle = index_of(
        {
            "exact.txt": "One\nThe negotiations went on.\n",
            "stem.txt": "Two\nThey negotiate on.\n",
        }
    )
    hits = search(handle, "negotiations", any_word=True).hits
    assert [h.id for h in hits] == ["exact", "stem"]
    assert hits[0].score > hits[1].score


def test_a_query_the_parser_cannot_read_is_searched_as_its_words(seed_index, monkeypatch) -> None:
    # Whoosh 2.7.4's parser raises IndexError on some operator runs (NOT NOT x).
    from whoosh.qparser import QueryParser

    def broken(self, text, normalize=True, debug=False):
        raise IndexError("list index out of range")

    plain = {h.id for h in search(seed_index, "ceasefire Astana").hits}
    monkeypatch.setattr(QueryParser, "parse", broken)
    assert (
        {h.id for h in search(seed_index, "ceasefire Astana").hits}
        == plain
        == {"003_325ec279d4bf9786"}
    )


def test_a_minus_before_a_word_leaves_it_out(runner, in_tmp) -> None:
    """``Russia -Kerry`` finds what ``Russia NOT Kerry`` finds, not the
    articles with both words; ``cease-fire`` is still one word."""

    def ids(query: str) -> list[str]:
        result = runner.invoke(app, ["query", query, "-f", "json", "--no-messages"])
        return [h["id"] for h in json.loads(result.stdout)["hits"]]

    both, without = ids("Russia Kerry"), ids("Russia NOT Kerry")
    assert both and without and ids("Russia -Kerry") == without
    assert not set(both) & set(without)
    assert ids("cease-fire") and set(ids("cease-fire")) != set(ids("cease NOT fire"))
