"""Ranking: exact top N, natural-language (--any) weighting, feedback."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from whoosh import query as wq

from syrsearch import Index, search
from syrsearch.cli import app
from syrsearch.engine.ranking import COORDINATION, coordinated, top_docs

IndexOf = Callable[[dict[str, str]], Index]  # the index_of fixture

WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
]


@pytest.fixture
def random_index(index_of: IndexOf) -> Index:
    """60 articles of random words (the same every run)."""
    rnd = random.Random(7)
    files = {}
    for i in range(60):
        title = f"{rnd.choice(WORDS)} {rnd.choice(WORDS)}"
        body = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 30)))
        files[f"d{i:02d}.txt"] = f"{title}\n{body}\n"
    return index_of(files)


def test_the_top_n_of_a_nested_or_query_is_the_top_of_every_match(
    random_index: Index,
) -> None:
    # Whoosh's own top-N collector ranks this shape wrongly (it swaps matchers
    # as its heap fills); every document must be scored as in a full ranking.
    groups = [wq.Or([wq.Term("title", w), wq.Term("body", w)]) for w in WORDS[:3]]
    q = wq.Or([wq.Or([wq.Or(groups)]), wq.Or([wq.Term("body", "delta")])])
    with random_index.reading() as r:
        searcher = r.searcher
        every = [(h.docnum, h.score) for h in searcher.search(q, limit=None)]
        top = top_docs(searcher, q, 5, {})
        assert [(h.docnum, h.score) for h in top] == every[:5]
        assert len(top) == len(every)


@pytest.mark.parametrize("any_word", [False, True])
@pytest.mark.parametrize(
    "text", ["alpha", "alpha bravo", "alpha bravo charlie delta", "alpha -bravo"]
)
def test_a_limited_search_shows_the_first_hits_of_the_full_ranking(
    random_index: Index, text: str, any_word: bool
) -> None:
    every = search(random_index, text, limit=None, snippets=0, any_word=any_word)
    top = search(random_index, text, limit=5, snippets=0, any_word=any_word)
    assert top.total == every.total
    assert [(h.id, h.score) for h in top.hits] == [(h.id, h.score) for h in every.hits[:5]]


@pytest.fixture
def talks_index(index_of: IndexOf) -> Index:
    return index_of(
        {
            "truce.txt": "Talks\nThe cessation of hostilities began on Monday.\n",
            "chatter.txt": "Chatter\nWhat is it that they are doing, and why is it so?\n",
            "other.txt": "Other\nNothing of note here.\n",
        }
    )


def test_any_mode_leaves_stop_words_out(talks_index: Index) -> None:
    result = search(talks_index, "what is the cessation of it", any_word=True)
    assert [h.id for h in result.hits] == ["truce"]
    assert ("what", ()) in result.words


def test_phrases_and_and_queries_keep_stop_words(talks_index: Index) -> None:
    phrase = '"cessation of hostilities"'
    assert [h.id for h in search(talks_index, phrase, any_word=True).hits] == ["truce"]
    assert [h.id for h in search(talks_index, "what cessation").hits] == []
    assert [h.id for h in search(talks_index, "what why").hits] == ["chatter"]


def test_a_query_of_stop_words_only_still_searches_them(talks_index: Index) -> None:
    assert [h.id for h in search(talks_index, "why is it", any_word=True).hits] == ["chatter"]


def test_any_mode_weighs_the_title_as_the_body(talks_index: Index) -> None:
    from syrsearch.engine.search import explain

    assert "boost=2.0" in explain(talks_index, "talks").parsed
    assert "boost=2.0" not in explain(talks_index, "talks", any_word=True).parsed


def test_title_boost_ranks_title_match_first(index_of: IndexOf) -> None:
    # "body" says Moscow twice, in a body as long as that of "title"; "title" says it
    # once, in its title. Weighed alike (a title boost of 1.0), "body" ranks
    # first; the title boost of AND queries must put "title" above it.
    handle = index_of(
        {
            "title.txt": "Moscow talks\nThe envoys met on Monday to talk about the war.\n",
            "body.txt": "Talks resume\nThe envoys met in Moscow; Moscow wants the war over.\n",
            "other.txt": "Weather report\nRain on Monday, sun later in the week.\n",
        }
    )
    hits = search(handle, "Moscow").hits
    assert [h.id for h in hits] == ["title", "body"]
    first = hits[0]
    assert "moscow" in first.title.lower()


@pytest.fixture
def tunnel_index(index_of: IndexOf) -> Index:
    return index_of(
        {
            "hyphen.txt": "One\nTests in a wind-tunnel at low speed.\n",
            "spaced.txt": "Two\nTests in a wind tunnel at low speed.\n",
            "closed.txt": "Three\nTests in a windtunnel at low speed.\n",
            "wind.txt": "Four\nThe wind at sea was strong that day.\n",
            "slip.txt": "Five\nThe slip effect at the wall.\n",
        }
    )


@pytest.mark.parametrize("text", ["wind-tunnel", "wind tunnel"])
def test_any_mode_finds_each_spelling_and_counts_a_compound_once(
    tunnel_index: Index, text: str
) -> None:
    hits = {h.id: h.score for h in search(tunnel_index, text, any_word=True).hits}
    assert set(hits) == {"hyphen", "spaced", "closed", "wind"}
    # The hyphenated form is indexed closed as well as in parts; it must not
    # score as if it had the word twice.
    assert hits["hyphen"] < 1.2 * hits["spaced"]
    assert min(hits["hyphen"], hits["spaced"], hits["closed"]) > hits["wind"]


def test_question_marks_around_a_word_are_punctuation(tunnel_index: Index) -> None:
    result = search(tunnel_index, "the ?slip? effect", any_word=True)
    assert [h.id for h in result.hits] == ["slip"]
    assert [h.id for h in search(tunnel_index, "sl?p").hits] == ["slip"]


def test_a_word_repeated_in_an_any_query_weighs_more(index_of: IndexOf) -> None:
    handle = index_of(
        {
            "storm.txt": "One\nA storm came.\n",
            "flood.txt": "Two\nA flood came.\n",
            "calm.txt": "Three\nAll was calm.\n",
        }
    )
    once = {h.id: h.score for h in search(handle, "storm flood", any_word=True, expand=False).hits}
    assert once["storm"] == pytest.approx(once["flood"])
    twice = search(handle, "storm flood storm", any_word=True, expand=False).hits
    assert [h.id for h in twice] == ["storm", "flood"]
    assert twice[0].score == pytest.approx(2 * twice[1].score)


def test_an_article_with_more_of_the_words_gets_a_bonus(index_of: IndexOf) -> None:
    files = {f"flood{i}.txt": f"Report {i}\nThe flood rose again.\n" for i in range(3)}
    files |= {f"calm{i}.txt": f"Calm {i}\nNothing happened.\n" for i in range(5)}
    files["both.txt"] = "News\nA storm and a flood came.\n"
    files["twice.txt"] = "Weather\nA storm, then a storm.\n"
    handle = index_of(files)
    hits = search(handle, "storm flood", any_word=True).hits
    assert [h.id for h in hits[:2]] == ["both", "twice"]
    with handle.reading() as r:
        searcher = r.searcher
        docnum = {searcher.stored_fields(d)["id"]: d for d in searcher.reader().all_doc_ids()}
        groups = [wq.Term("body", "storm"), wq.Term("body", "flood")]
        ranked = [(docnum["twice"], 2.0), (docnum["both"], 2.0)]
        rescored = coordinated(searcher, groups, ranked)
    assert rescored == [(docnum["both"], 2.0), (docnum["twice"], 2.0 * (1 - COORDINATION / 2))]


@pytest.fixture
def truce_index(index_of: IndexOf) -> Index:
    return index_of(
        {
            "held.txt": "Talks\nThe ceasefire held; the truce ended the hostilities.\n",
            "signed.txt": "Deal\nA ceasefire was signed, a truce after months of hostilities.\n",
            "football.txt": "Sport\nThe match was a ceasefire of sorts, a draw.\n",
            "truce.txt": "Other\nA truce, and an end to hostilities.\n",
            "weather.txt": "Weather\nRain again.\n",
        }
    )


def test_expand_ranks_by_words_of_the_top_hits_without_adding_hits(
    truce_index: Index,
) -> None:
    plain = search(truce_index, "ceasefire", any_word=True, expand=False)
    expanded = search(truce_index, "ceasefire", any_word=True, expand=True)
    assert plain.expansion == () and {"truce", "hostil"} <= set(expanded.expansion)
    assert plain.total == expanded.total == 3
    assert {h.id for h in plain.hits} == {h.id for h in expanded.hits}
    assert plain.hits[0].id == "football"  # the shortest
    assert expanded.hits[-1].id == "football"  # the one without truce or hostilities


def test_expand_is_on_by_default_with_any_only(truce_index: Index) -> None:
    assert search(truce_index, "ceasefire", any_word=True).expansion
    assert search(truce_index, "ceasefire").expansion == ()
    assert search(truce_index, "ceasefire", expand=True).expansion


def test_the_expand_options(runner: Any, truce_index: Index) -> None:
    folder = str(truce_index.folder)
    for flags in (["--any"], ["--any", "--no-expand"], ["--expand"], ["--any", "--count"]):
        result = runner.invoke(
            app, ["query", "ceasefire", "-f", "paths", "--index-dir", folder, *flags]
        )
        assert result.exit_code == 0, (flags, result.stderr)
        assert len(result.stdout.splitlines()) == (1 if "--count" in flags else 3)


def test_not_in_an_any_query_excludes(truce_index: Index) -> None:
    result = search(truce_index, "ceasefire truce NOT signed", any_word=True)
    assert {h.id for h in result.hits} == {"held", "football", "truce"}
    assert result.total == 3


def test_an_any_query_of_nots_only_matches_articles_with_none_of_them(
    truce_index: Index,
) -> None:
    result = search(truce_index, "NOT ceasefire NOT truce", any_word=True)
    assert {h.id for h in result.hits} == {"weather"}
