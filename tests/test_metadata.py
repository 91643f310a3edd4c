"""Headlines, dates, sources, links and site chrome, read from the article text."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syrsearch import Filters, SortOrder, search
from syrsearch.cli import app
from syrsearch.corpus import split_title
from syrsearch.engine.search import iter_articles
from syrsearch.errors import ExitCode
from syrsearch.text.metadata import (
    content_spans,
    extract,
    find_date,
    find_sources,
    find_urls,
    is_chrome_line,
    parse_date,
    source_key,
)

from .conftest import SEEDS

# What the five seed articles state, and what they do not (None / ()).
SEED_FACTS = {
    "000_277429d245566ea2": (
        "Russian Federation and Iran intensify cooperation on Syria",
        None,
        (),
        (),
    ),
    "001_fcd0c7a043fc03f3": (
        "UN resolution on Syria possible after Kerry’s Moscow visit",
        "2015-12-17",
        ("TRTWorld",),
        (),
    ),
    "002_2e98f640cd47a897": (
        "The united states and Russia agree to speed up peace process for Syria",
        None,
        (),
        (),
    ),
    "003_325ec279d4bf9786": (
        "Moscow seeks to boost cooperation with allies to resolve Syria's issues",
        "2017-01-25",
        ("Azernews", "TODAY.AZ"),
        ("http://www.today.az/news/regions/158043.html",),
    ),
    "004_27f4b5ccaf5df4df": (
        "Moscow Renews Call for Political Settlement in Syria Based on Security Council "
        "Resolutions, ISSG Decisions",
        None,
        ("ST",),
        (),
    ),
}

# Chrome lines of the seeds, none of which may appear in a snippet.
SEED_CHROME = [
    "TODAY.AZ / World news",
    "Print version",
    "Views: 1440",
    "Your e-mail:",
    "Exit mobile version",
    "Photo by: Reuters",
    "Connect with us",
    "Recommend news to friend",
    "TRTWorld and agencies",
    "Updated Dec 17, 2015",
    "By Nigar Eyvazova",
]


def seed_text(ident: str) -> str:
    return (SEEDS / f"{ident}.txt").read_text(encoding="utf-8")


# -- the seeds, through the index ------------------------------------------------------


def test_each_seed_title_date_source_and_links(seed_index) -> None:
    articles = {a.id: a for a in iter_articles(seed_index)}
    assert set(articles) == set(SEED_FACTS)
    for ident, (title, when, sources, urls) in SEED_FACTS.items():
        article = articles[ident]
        day = article.date.isoformat() if article.date else None
        assert (article.title, day, article.sources, article.urls) == (
            title,
            when,
            sources,
            urls,
        ), ident
        assert article.source == (sources[0] if sources else None)


def test_chrome_first_line_stays_in_the_body_and_is_searchable(seed_index) -> None:
    article = next(a for a in iter_articles(seed_index) if a.id.startswith("003"))
    assert article.body.startswith("TODAY.AZ / World news\n")
    assert "Moscow seeks to boost cooperation" not in article.body
    result = search(seed_index, '"World news"')
    assert [h.id for h in result.hits] == ["003_325ec279d4bf9786"]


@pytest.mark.parametrize(
    "query",
    ["version", "views", "e-mail", "Reuters", "agencies", "friend", "updates", "Eyvazova", "1440"],
)
def test_chrome_never_makes_up_a_snippet(seed_index, query: str) -> None:
    result = search(seed_index, query, limit=None, snippets=5)
    assert result.hits, query
    for hit in result.hits:
        assert hit.snippets, hit.id
        for snippet in hit.snippets:
            for chrome in SEED_CHROME:
                assert chrome.casefold() not in snippet.text.casefold(), (query, hit.id)


def test_match_only_in_chrome_shows_the_articles_first_sentence(seed_index) -> None:
    (hit,) = search(seed_index, "Views").hits
    assert hit.snippets[0].text.startswith("Russia is stepping up its cooperation")
    assert hit.snippets[0].highlights == ()


def test_every_snippet_of_every_seed_is_article_text(seed_index) -> None:
    for word in ("Syria", "Russia", "Lavrov", "ceasefire", "talks", "said"):
        for hit in search(seed_index, word, limit=None, snippets=10).hits:
            body = next(a.body for a in iter_articles(seed_index) if a.id == hit.id)
            content = " ".join(" ".join(body[a:b].split()) for a, b in content_spans(body))
            for snippet in hit.snippets:
                assert snippet.text.strip("\u2026") in content


# -- filters and sort -------------------------------------------------------------------


def ids(result) -> list[str]:
    return [h.id[:3] for h in result.hits]


def test_since_and_until(seed_index) -> None:
    def dated(**kw: date | None) -> list[str]:
        return sorted(ids(search(seed_index, "Syria", limit=None, filters=Filters(**kw))))

    assert dated(since=date(2016, 1, 1)) == ["003"]
    assert dated(until=date(2016, 12, 31)) == ["001"]
    assert dated(since=date(2015, 12, 17), until=date(2017, 1, 25)) == ["001", "003"]
    assert dated(since=date(2015, 12, 18), until=date(2017, 1, 24)) == []
    assert dated(since=date(2000, 1, 1)) == ["001", "003"]  # the undated never pass


def test_source_filter_matches_any_named_source_ignoring_case(seed_index) -> None:
    def by(*names: str) -> list[str]:
        return sorted(ids(search(seed_index, "Syria", limit=None, filters=Filters(sources=names))))

    assert by("azernews") == ["003"]
    assert by("Today.az") == by("TODAY AZ") == ["003"]
    assert by("TRTWorld", "st") == ["001", "004"]
    assert by("Reuters") == []  # a photo credit is not a source


def test_sort_by_date_newest_first_undated_last_by_score(seed_index) -> None:
    by_score = search(seed_index, "Lavrov", limit=None)
    by_date = search(seed_index, "Lavrov", limit=None, sort=SortOrder.date)
    assert ids(by_date)[:2] == ["003", "001"]
    undated = [h for h in by_date.hits if h.date is None]
    assert [h.id for h in undated] == [h.id for h in by_score.hits if h.date is None]
    scores = {h.id: h.score for h in by_score.hits}
    assert all(h.score == pytest.approx(scores[h.id]) for h in by_date.hits)
    assert by_date.total == by_score.total


def test_cli_filters_sort_and_machine_fields(runner, in_tmp: Path) -> None:
    result = runner.invoke(
        app, ["query", "Lavrov", "--sort", "date", "-f", "json", "--since", "2015"]
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    hits = json.loads(result.stdout)["hits"]
    assert [(h["id"][:3], h["date"], h["source"]) for h in hits] == [
        ("003", "2017-01-25", "Azernews"),
        ("001", "2015-12-17", "TRTWorld"),
    ]
    assert hits[0]["sources"] == ["Azernews", "TODAY.AZ"]
    assert hits[0]["urls"] == ["http://www.today.az/news/regions/158043.html"]
    none = runner.invoke(app, ["query", "Syria", "--source", "nobody", "-f", "json"])
    assert none.exit_code == ExitCode.NO_MATCH
    assert json.loads(none.stdout)["total"] == 0
    rows = runner.invoke(app, ["query", "Kerry", "-f", "tsv", "--until", "2015-12"]).stdout
    assert [r.split("\t")[5:] for r in rows.splitlines()] == [["2015-12-17", "TRTWorld", "en"]]
    text = runner.invoke(app, ["query", "Astana"]).stdout
    assert "seeds/003_325ec279d4bf9786.txt · 2017-01-25 · Azernews" in text


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--since", "soon"], "--since"),  # "yesterday" is a date now
        (["--until", "2016-13"], "--until"),
        (["--since", "2017", "--until", "2016"], "after"),
        (["--source", "--"], "--source"),
        (["--sort", "relevance"], "--sort"),
    ],
)
def test_bad_filter_values_are_one_line_errors(runner, in_tmp: Path, args, needle) -> None:
    result = runner.invoke(app, ["query", "Syria", *args])
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("syrsearch: error: ") and needle in line


def test_filters_through_the_installed_entry_point(run_cli) -> None:
    done = run_cli("query", "Syria", "--source", "today.az", "--since", "2017-01", "-f", "paths")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "seeds/003_325ec279d4bf9786.txt\n"
    shown = run_cli("show", "001", "-f", "json")
    data = json.loads(shown.stdout)
    assert (data["date"], data["source"], data["sources"]) == (
        "2015-12-17",
        "TRTWorld",
        ["TRTWorld"],
    )


# -- the rules, one by one ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\n\nUpdated Dec 17, 2015\n\nBody text here.", date(2015, 12, 17)),
        ("Title\n25 January 2017 [17:18] - TODAY.AZ\nBody.", date(2017, 1, 25)),
        ("Title\nDecember 15, 2015\nBody.", date(2015, 12, 15)),
        ("Title\nPublished: Monday, 3rd March 2014, 10:15 GMT\nBody.", date(2014, 3, 3)),
        ("Title\n2016-02-27\nBody.", date(2016, 2, 27)),
        ("Title\n27.02.2016 | 14:05\nBody.", date(2016, 2, 27)),
        ("Title\nBEIRUT, Feb. 27, 2016 - Rebels and the army held fire.", date(2016, 2, 27)),
        ("Title\nThe war in Syria began in March 2011, killing many.", None),
        ("Title\nWe will meet this Friday, Dec. 18, in New York.", None),
        ("Title\n03/04/2016\nBody.", None),
        ("Title\n13/04/2016\nBody.", date(2016, 4, 13)),
        ("Title\nFebruary 30, 2016\nBody.", None),
        ("Title\n" + "A long paragraph of prose goes on here.\n" * 20 + "May 5, 2016", None),
        ("Title\nUPDATED DEC 17, 2015\nBody.", date(2015, 12, 17)),
        ("Title\nÉdition du Dec 17, 2015\nBody.", date(2015, 12, 17)),
        # The pattern's case folding matches "ſ" (long s) and "İ" as "s" and "i".
        ("Title\nUpdated \u017fep 17, 2015\nBody.", date(2015, 9, 17)),
        ("Title\nUpdated apr\u0130l 3, 2016\nBody.", None),
    ],
)
def test_find_date(text: str, expected: date | None) -> None:
    assert find_date(text) == expected


def test_an_odd_spelling_of_a_month_never_stops_an_index_run(runner, in_tmp: Path) -> None:
    corpus = in_tmp / "odd"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Talks resume\nPublished apr\u0130l 3, 2016\n"
        "The talks resumed in Geneva, officials said.\n",
        encoding="utf-8",
    )
    (corpus / "b.txt").write_text(
        "Talks end\nUpdated \u017fep 17, 2015\nThe talks ended in Geneva, officials said.\n",
        encoding="utf-8",
    )
    built = runner.invoke(app, ["index", "--corpus", str(corpus), "--no-messages"])
    assert built.exit_code == ExitCode.OK, built.stderr
    result = runner.invoke(app, ["query", "Geneva talks", "-f", "json", "--sort", "date"])
    assert [(h["title"], h["date"]) for h in json.loads(result.stdout)["hits"]] == [
        ("Talks end", "2015-09-17"),
        ("Talks resume", None),
    ]


def test_a_date_line_beats_a_date_in_a_caption() -> None:
    assert find_date(seed_text("001_fcd0c7a043fc03f3")) == date(2015, 12, 17)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\nBy Azernews\nBy Nigar Eyvazova\nBody.", ("Azernews",)),
        ("Title\nBy John Smith\nBody.", ()),
        ("Title\nBy Al Jazeera News\nBody.", ("Al Jazeera News",)),
        ("Title\nDAMASCUS, Jan 5 (Reuters) - The army said.", ("Reuters",)),
        ("Title\nMOSCOW, (ST)- Lavrov said.", ("ST",)),
        ("Title\nBody text.\nAFP and agencies", ("AFP",)),
        ("Title\nBody text.\nSource: SANA", ("SANA",)),
        ("Title\nPhoto by: Reuters\nBody.", ()),
        ("Title\nThe U.N. said so.", ()),
    ],
)
def test_find_sources(text: str, expected: tuple[str, ...]) -> None:
    assert find_sources(text) == expected


def test_urls_lose_trailing_punctuation_and_repeats() -> None:
    text = "See https://example.org/a?b=1. And (www.sana.sy/en), https://example.org/a?b=1"
    assert find_urls(text) == ("https://example.org/a?b=1", "www.sana.sy/en")


@pytest.mark.parametrize(
    ("text", "title", "body_start"),
    [
        ("TODAY.AZ / World news\n\nHeadline of the story here\n\nBody.",
         "Headline of the story here",
         "TODAY.AZ / World news\n\n\nBody."),
        ("Home | World | Middle East\nSyria talks resume in Geneva\nBody.",
         "Syria talks resume in Geneva", "Home | World | Middle East\nBody."),
        ("www.sana.sy\nAssad meets envoy\nBody.", "Assad meets envoy", "www.sana.sy\nBody."),
        ("Syria talks resume in Geneva\nBody text.", "Syria talks resume in Geneva", "Body text."),
        # A first line that is chrome but no headline follows: keep it.
        ("World news / Syria\nThe talks resumed today in Geneva.", "World news / Syria",
         "The talks resumed today in Geneva."),
    ],
)  # fmt: skip
def test_title_is_the_headline_after_site_chrome(text: str, title: str, body_start: str) -> None:
    got_title, body = split_title(text)
    assert got_title == title
    assert body.startswith(body_start)


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("Print version", True),
        ("Views: 1440", True),
        ("Your e-mail:", True),
        ("• Friend's name:", True),
        ("Exit mobile version", True),
        ("Photo by: Reuters", True),
        ("Share this article", True),
        ("https://example.org/story", True),
        ("Updated Dec 17, 2015", True),
        ("By Nigar Eyvazova", True),
        ("“We are ready,” he said.", False),
        ("The talks resumed in Geneva on Monday after a long pause.", False),
    ],
)
def test_chrome_lines_by_shape(line: str, chrome: bool) -> None:
    assert is_chrome_line(line) is chrome


def test_short_last_paragraph_is_article_not_footer() -> None:
    body = "The talks resumed in Geneva on Monday after a long pause, officials said.\n"
    body += "“We will see.”\nPrint version\nConnect with us. Get latest news and updates.\n"
    kept = [body[a:b] for a, b in content_spans(body)]
    assert kept == [body.splitlines()[0], "“We will see.”"]


def test_parse_date_for_filters() -> None:
    assert parse_date("2016") == date(2016, 1, 1)
    assert parse_date("2016", end=True) == date(2016, 12, 31)
    assert parse_date("2016-02", end=True) == date(2016, 2, 29)
    assert parse_date("2016-12", end=True) == date(2016, 12, 31)
    assert parse_date("2016-02-03") == date(2016, 2, 3)
    assert parse_date("3 March 2016") == date(2016, 3, 3)
    assert parse_date("2016-13") is None
    assert parse_date("soon") is None


def test_source_key() -> None:
    assert source_key("TODAY.AZ") == source_key("today az") == "todayaz"


@given(st.text(max_size=400))
def test_extraction_never_fails_and_spans_are_lines(text: str) -> None:
    title, body = split_title(text)
    meta = extract(title, body)
    assert meta.source is None or meta.source in meta.sources
    for a, b in content_spans(body):
        assert 0 <= a < b <= len(body)
        assert body[a:b].strip() == body[a:b]
