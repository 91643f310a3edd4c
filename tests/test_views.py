"""The research views: ``--by`` timelines and facets, ``related``, and the
exports for people (CSV, Markdown, TSV headers), on corpora whose right answers
are known in advance."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syrsearch.cli import app
from syrsearch.engine.facets import facet, time_buckets
from syrsearch.engine.related import related
from syrsearch.errors import ExitCode
from syrsearch.model import Facet, Filters
from syrsearch.text.entities import find_names, name_key

from .conftest import build_index

# Six short articles: four dated (two in January 2016, two in March), two
# undated; two by TASS, two by Reuters, two naming no source; three folders.
# "Astana" is in a1 (January), r1 (March) and n1 (undated).
WIRE = {
    "tass/a1.txt": (
        "Astana talks open\n2016-01-05\nBy TASS\n\n"
        "Talks on Syria opened in Astana on Tuesday, with envoys from Russia, Turkey and Iran. "
        "The UN envoy Staffan de Mistura attended the opening session as an observer.\n"
    ),
    "tass/a2.txt": (
        "Ceasefire holds in Aleppo\n2016-01-20\nBy TASS\n\n"
        "The ceasefire in Aleppo held for a second day, the Russian Defence Ministry said on "
        "Wednesday, and aid convoys reached the eastern districts.\n"
    ),
    "reuters/r1.txt": (
        "Astana round ends\n2016-03-02\nBy Reuters\n\n"
        "The second round of talks in Astana ended without a joint statement, "
        "Staffan de Mistura told reporters on Thursday after the last meeting.\n"
    ),
    "reuters/r2.txt": (
        "Geneva talks delayed\n2016-03-15\nBy Reuters\n\n"
        "The Geneva talks were delayed again on Tuesday. Staffan de Mistura said the "
        "opposition delegation had not arrived and would not come before the weekend.\n"
    ),
    "notes/n1.txt": (
        "Astana process explained\n\n"
        "The Astana process brought Russia, Turkey and Iran together as guarantors of the "
        "ceasefire. Staffan de Mistura welcomed it as a step towards the Geneva track.\n"
    ),
    "notes/n2.txt": (
        "Kerry in Moscow\n\n"
        "John Kerry met Sergei Lavrov in Moscow on Tuesday to discuss a new resolution "
        "at the UN Security Council on the political process in Syria.\n"
    ),
}


def _indexed_here(
    texts: dict[str, str], tmp_path: Path, make_corpus, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """``texts`` as a corpus indexed into ``index`` beside it; the working folder."""
    root = make_corpus(texts, name="seeds")
    build_index(root, tmp_path / "index").close()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def wire(tmp_path: Path, make_corpus, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The WIRE corpus indexed into ``index`` beside it; the working folder."""
    return _indexed_here(WIRE, tmp_path, make_corpus, monkeypatch)


def invoke(runner, *args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, env={"COLUMNS": "80"})


def tsv(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines()]


# -- --by ---------------------------------------------------------------------------------


def test_by_month_counts_every_month_of_the_range_and_the_undated(runner, wire) -> None:
    result = invoke(runner, "query", "Astana", "--by", "month")
    assert result.exit_code == ExitCode.OK, result.output
    assert tsv(result.stdout) == [
        ["2016-01", "1", "2", "0.5000"],
        ["2016-02", "0", "0", ""],
        ["2016-03", "1", "2", "0.5000"],
        ["", "1", "2", "0.5000"],  # undated: n1 of n1, n2
    ]


@pytest.mark.parametrize(
    ("by", "rows"),
    [
        ("year", [["2016", "2", "4", "0.5000"], ["", "1", "2", "0.5000"]]),
        (
            "source",
            [
                ["Reuters", "1", "2", "0.5000"],
                ["TASS", "1", "2", "0.5000"],
                ["", "1", "2", "0.5000"],
            ],
        ),
        (
            "folder",
            [
                ["notes", "1", "2", "0.5000"],
                ["reuters", "1", "2", "0.5000"],
                ["tass", "1", "2", "0.5000"],
            ],
        ),
    ],
)
def test_by_year_source_and_folder(runner, wire, by: str, rows) -> None:
    result = invoke(runner, "query", "Astana", "--by", by, "--format", "tsv")
    assert tsv(result.stdout) == rows


def test_by_with_every_article_as_the_query(runner, wire) -> None:
    # '*' counts every article that passes the filters, as stats --by does.
    listed = invoke(runner, "query", "*", "--by", "source", "--format", "tsv")
    assert listed.exit_code == ExitCode.OK, listed.stderr
    assert tsv(listed.stdout) == tsv(invoke(runner, "stats", "--by", "source").stdout)
    only = invoke(runner, "query", "--by", "source", "--source", "TASS", "--format", "tsv")
    assert tsv(only.stdout)[0][:2] == ["TASS", "2"]


def test_by_week_uses_iso_weeks(runner, wire) -> None:
    result = invoke(runner, "query", "ceasefire", "--by", "week")
    rows = tsv(result.stdout)
    # a2 (2016-01-20) is in 2016-W03; the range has no other dated match.
    assert rows[0] == ["2016-W03", "1", "1", "1.0000"]
    assert rows[-1] == ["", "1", "2", "0.5000"]
    assert time_buckets(Facet.week, "2015-W52", "2016-W02") == [
        "2015-W52", "2015-W53", "2016-W01", "2016-W02",
    ]  # fmt: skip


def test_filters_narrow_both_the_matches_and_the_whole(runner, wire) -> None:
    result = invoke(runner, "query", "Astana", "--by", "month", "--since", "2016-02")
    # Undated articles never pass a date bound, so there is no undated row.
    assert tsv(result.stdout) == [["2016-03", "1", "2", "0.5000"]]
    result = invoke(runner, "query", "talks", "--by", "month", "--source", "reuters")
    assert tsv(result.stdout) == [["2016-03", "2", "2", "1.0000"]]


def test_batch_gives_one_series_per_line_over_one_range(runner, wire) -> None:
    result = invoke(runner, "query", "-", "--by", "month", "--header", input="Astana\nGeneva\n")
    assert result.exit_code == ExitCode.OK
    assert tsv(result.stdout) == [
        ["query", "bucket", "articles", "all", "share"],
        ["Astana", "2016-01", "1", "2", "0.5000"],
        ["Astana", "2016-02", "0", "0", ""],
        ["Astana", "2016-03", "1", "2", "0.5000"],
        ["Astana", "", "1", "2", "0.5000"],
        ["Geneva", "2016-01", "0", "2", "0.0000"],
        ["Geneva", "2016-02", "0", "0", ""],
        ["Geneva", "2016-03", "1", "2", "0.5000"],
        ["Geneva", "", "1", "2", "0.5000"],
    ]


def test_by_as_json_jsonl_and_csv(runner, wire) -> None:
    whole = json.loads(invoke(runner, "query", "Astana", "--by", "year", "-f", "json").stdout)
    assert whole == {
        "query": "Astana",
        "by": "year",
        "total": 3,
        "buckets": [{"bucket": "2016", "articles": 2, "all": 4, "share": 0.5}],
        "unknown": {"bucket": None, "articles": 1, "all": 2, "share": 0.5},
        "more": 0,
    }
    lines = invoke(runner, "query", "Astana", "--by", "year", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["bucket"] for line in lines] == ["2016", None]
    # CliRunner's .stdout turns CRLF into LF: read the bytes.
    out = invoke(runner, "query", "Astana", "--by", "year", "-f", "csv").stdout_bytes.decode()
    assert out == "bucket,articles,all,share\r\n2016,2,4,0.5000\r\n,1,2,0.5000\r\n"


def test_no_match_exits_1_with_zero_rows(runner, wire) -> None:
    result = invoke(runner, "query", "xylophone", "--by", "source")
    assert result.exit_code == ExitCode.NO_MATCH
    assert tsv(result.stdout) == [["", "0", "2", "0.0000"]]


def test_top_n_says_how_many_more(runner, wire) -> None:
    result = invoke(runner, "query", "Astana", "--by", "folder", "--limit", "1", "-f", "text")
    assert "2 more folders with matches (--limit 0 shows all)" in result.stdout
    data = json.loads(
        invoke(runner, "query", "Astana", "--by", "folder", "-n", "1", "-f", "json").stdout
    )
    assert (len(data["buckets"]), data["more"]) == (1, 2)


def test_by_lang_counts_the_language_of_each_article(runner, wire) -> None:
    result = invoke(runner, "query", "Astana", "--by", "lang", "-f", "tsv")
    assert result.exit_code == ExitCode.OK, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    every = invoke(runner, "query", "*", "-f", "jsonl", "-n", "0").stdout.splitlines()
    english = sum(json.loads(line)["lang"] == "en" for line in every)
    assert rows[0][:3] == ["en", rows[0][1], str(english)] and int(rows[0][1]) >= 1


@pytest.mark.parametrize(
    "args", [["--format", "paths"], ["--format", "markdown"], ["--count"]], ids=str
)
def test_by_refuses_what_does_not_apply(runner, wire, args) -> None:
    result = invoke(runner, "query", "Astana", "--by", "month", *args)
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.startswith("syrsearch: error: --by")


def test_the_chart_at_80_columns(runner, wire) -> None:
    out = invoke(runner, "query", "Astana", "--by", "month", "-f", "rich", "--color", "never")
    lines = out.stdout.splitlines()
    assert lines[0] == "'Astana': 3 articles, by month"
    assert all(len(line) <= 80 for line in lines)
    january = next(line for line in lines if line.startswith("2016-01"))
    undated = next(line for line in lines if line.startswith("undated"))
    assert january.endswith("1   50.0%") and "█" in january
    assert undated.count("█") == january.count("█")  # equal counts, equal bars
    february = next(line for line in lines if line.startswith("2016-02"))
    assert "█" not in february and february.rstrip().endswith("0")


def test_stats_by_source_and_month(runner, wire) -> None:
    rows = tsv(invoke(runner, "stats", "--by", "source").stdout)
    assert rows == [
        ["Reuters", "2", "2", "1.0000"],
        ["TASS", "2", "2", "1.0000"],
        ["", "2", "2", "1.0000"],
    ]
    text = invoke(runner, "stats", "--by", "month", "-f", "text").stdout
    assert text.splitlines()[0] == "all articles: 6 articles, by month"
    assert "share" not in text  # of every article, it is always 100%


def test_facet_library_call(wire) -> None:
    from syrsearch import open_index

    with open_index(wire / "index") as index:
        result = facet(index, "Astana", Facet.month, filters=Filters())
    assert result.total == 3
    assert [(b.key, b.articles, b.all) for b in result.buckets] == [
        ("2016-01", 1, 2), ("2016-02", 0, 0), ("2016-03", 1, 2),
    ]  # fmt: skip
    assert (result.unknown.articles, result.unknown.all) == (1, 2)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    word=st.sampled_from(["Astana", "talks", "ceasefire", "Staffan", "Tuesday", "Syria", "the"]),
    by=st.sampled_from([Facet.month, Facet.year, Facet.source, Facet.folder]),
)
def test_every_match_is_in_exactly_one_time_or_folder_bucket(wire, word: str, by: Facet) -> None:
    from syrsearch import open_index, search

    with open_index(wire / "index") as index:
        result = facet(index, word, by, limit=None)
        total = search(index, word, limit=1).total
    counted = sum(b.articles for b in result.buckets) + result.unknown.articles
    assert result.total == total
    if by is not Facet.source:  # an article may name several sources
        assert counted == total
    assert all(b.articles <= b.all for b in result.buckets)


def test_by_after_an_incremental_run_counts_live_articles_only(wire) -> None:
    """A removed article and a changed date leave deleted documents in the
    index; the whole-corpus counts are those of the live articles."""
    import os

    from syrsearch import open_index, update_index

    (wire / "seeds" / "tass" / "a2.txt").unlink()
    changed = wire / "seeds" / "reuters" / "r2.txt"
    changed.write_text(WIRE["reuters/r2.txt"].replace("2016-03-15", "2016-02-10"))
    os.utime(changed, (1_700_000_000, 1_700_000_000))
    update_index(wire / "seeds", wire / "index")
    with open_index(wire / "index") as index:
        with index.reading() as r:
            assert r.reader.has_deletions()
        result = facet(index, "talks", Facet.month)
        every = facet(index, None, Facet.folder, limit=None)
    assert [(b.key, b.articles, b.all) for b in result.buckets] == [
        ("2016-01", 1, 1), ("2016-02", 1, 1), ("2016-03", 1, 1),
    ]  # fmt: skip
    assert (result.unknown.articles, result.unknown.all) == (0, 2)
    assert sorted((b.key, b.all) for b in every.buckets) == [
        ("notes", 2), ("reuters", 2), ("tass", 1),
    ]  # fmt: skip


@pytest.mark.parametrize("by", [Facet.month, Facet.week, Facet.year, Facet.folder])
def test_whole_corpus_counts_read_in_one_pass_agree_with_each_article(wire, by: Facet) -> None:
    from syrsearch import open_index
    from syrsearch.engine import facets

    with open_index(wire / "index") as index, index.reading() as r:
        bucket_of = facets.bucketer(r, by)
        assert not r.reader.has_deletions()
        one_pass = facets._everything(r, by, bucket_of)
        assert one_pass == bucket_of(r.reader.all_doc_ids())
        assert sum(one_pass.values()) == 6


# -- related ------------------------------------------------------------------------------


def test_related_names_are_whole_with_counts_in_both(runner, wire) -> None:
    result = invoke(runner, "related", "Astana", "--format", "tsv", "--limit", "4")
    assert result.exit_code == ExitCode.OK
    assert tsv(result.stdout) == [
        # In 2 of the 3 matches, 2 of the 6 articles: (2/3 - 2/6) * (2/3) / (2/6)
        ["Iran", "name", "2", "2", "0.6667"],
        ["Russia", "name", "2", "2", "0.6667"],
        ["Turkey", "name", "2", "2", "0.6667"],
        # In all 3 matches, 4 of the 6: (1 - 4/6) * 1 / (4/6)
        ["Staffan de Mistura", "name", "3", "4", "0.5000"],
    ]
    every = invoke(runner, "related", "Astana", "-f", "jsonl", "-n", "0").stdout.splitlines()
    texts = [json.loads(line)["text"] for line in every]
    assert "Staffan" not in texts and "Mistura" not in texts and "mistura" not in texts
    assert "Astana" not in texts and "astana" not in texts  # the query's own word


def test_related_leaves_out_names_made_of_the_query_word(wire) -> None:
    from syrsearch import open_index

    with open_index(wire / "index") as index:
        result = related(index, "Mistura")
    assert all("Mistura" not in t.text for t in result.terms)
    assert "Geneva" in [t.text for t in result.terms]


def test_related_by_month_and_json(runner, wire) -> None:
    rows = tsv(invoke(runner, "related", "Astana", "--by", "month", "-n", "0").stdout)
    # One match a bucket: r1 alone in March, n1 alone undated.
    assert sorted({row[0] for row in rows}) == ["", "2016-01", "2016-03"]
    assert ["2016-03", "Staffan de Mistura", "name", "1", "4"] in [row[:5] for row in rows]
    assert ["", "guarantors", "term", "1", "1"] in [row[:5] for row in rows]
    assert not [row for row in rows if row[0] == "2016-01" and row[1] == "guarantors"]
    lines = invoke(runner, "related", "Astana", "--by", "month", "-n", "2").stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["2016-01"] * 2 + ["2016-03"] * 2 + [""] * 2
    data = json.loads(invoke(runner, "related", "Astana", "-f", "json", "-n", "1").stdout)
    assert data["query"] == "Astana" and (data["total"], data["articles"], data["sample"]) == (
        3,
        6,
        3,
    )
    assert data["related"] == [
        {"text": "Iran", "kind": "name", "matches": 2, "corpus": 2, "score": 0.6667}
    ]


def test_related_when_nothing_stands_out(runner, wire) -> None:
    result = invoke(runner, "related", "xylophone")
    assert result.exit_code == ExitCode.NO_MATCH
    assert result.stdout == ""
    assert result.stderr == "syrsearch: no article matches the query\n"


def test_related_table_at_80_columns(runner, wire) -> None:
    out = invoke(runner, "related", "Astana", "-f", "rich", "--color", "never", "-n", "4").stdout
    lines = out.splitlines()
    assert lines[0].startswith("'Astana': 3 of 6 articles match")
    assert all(len(line) <= 80 and line == line.rstrip() for line in lines)
    assert "Staffan de Mistura" in out and "3 (100%)" in out


# Forty dispatches from Geneva: every one names the talks, every other one
# Staffan de Mistura, every fourth a ceasefire, one in ten the guarantors.
GENEVA = {
    f"geneva/{n:02d}.txt": (
        f"Geneva talks, day {n + 1}\n2016-{1 + n % 12:02d}-{1 + n % 27:02d}\nBy Reuters\n\n"
        + f"Delegations met again in Geneva on the {n + 1}th day of the talks on Syria. "
        + ("Staffan de Mistura briefed the press afterwards. " if n % 2 == 0 else "")
        + ("Both sides said the ceasefire was fragile but holding. " if n % 4 == 0 else "")
        + ("Russia, Turkey and Iran spoke as guarantors of the process. " if n % 10 == 0 else "")
        + "The next session was set for the following morning.\n"
    )
    for n in range(40)
}


@pytest.fixture
def geneva(tmp_path: Path, make_corpus, monkeypatch: pytest.MonkeyPatch) -> Path:
    return _indexed_here(GENEVA, tmp_path, make_corpus, monkeypatch)


def test_related_counts_in_all_matches_within_the_postings_budget(geneva) -> None:
    from syrsearch import open_index

    with open_index(geneva / "index") as index:
        result = related(index, "briefed", sample=10, limit=None)
    assert (result.total, result.sample, result.counted) == (20, 10, None)
    by_text = {t.text: t for t in result.terms}
    # Articles 0, 10, 20 and 30 name the guarantors: all four are matches.
    assert (by_text["guarantors"].matches, by_text["guarantors"].corpus) == (4, 4)
    assert by_text["Staffan de Mistura"].matches == 20


def test_related_counts_long_lists_block_by_block_as_article_by_article(
    tmp_path: Path, make_corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lists of several posting blocks, two segments and deletions: the
    counts in every match and in the windows' sample of them are the
    article-by-article counts."""
    from whoosh.query import Term

    from syrsearch import open_index
    from syrsearch.engine import related as module
    from syrsearch.engine.indexer import update_index
    from syrsearch.engine.postings import BLOCK

    texts = {
        f"r{i:04}.txt": f"Round {i}\nThe envoy briefed reporters on round {i}."
        + (" The guarantors met." if i % 3 else "")
        + (" Aleppo was quiet." if i % 4 == 1 else "")
        + "\n"
        for i in range(3 * BLOCK)
    }
    root = make_corpus(texts)
    folder = tmp_path / "index"
    update_index(root, folder)
    for i in range(0, 3 * BLOCK, 7):  # deletions in the first segment, a second one
        (root / f"r{i:04}.txt").write_text(f"Round {i}\nThe envoy briefed them; guarantors.\n")
    update_index(root, folder)
    keys = [(module.TERM, "guarantor"), (module.TERM, "aleppo"), (module.TERM, "quiet")]
    with open_index(folder) as index, index.reading() as r:
        assert len(r.reader.leaf_readers()) >= 2 and r.reader.has_deletions()
        matched = set(r.searcher.docs_for_query(Term("body", "brief")))
        every = {k: len(matched & set(r.searcher.docs_for_query(Term("body", k[1])))) for k in keys}
        assert module._Counts(r).count(keys, matched, 1) == (every, len(matched))
        monkeypatch.setattr(module, "POSTINGS_BUDGET", 100)
        monkeypatch.setattr(module, "WINDOWS", 8)
        postings = sum(r.lexicon.doc_frequency("body", k[1]) for k in keys)
        windows = module.Windows(r.reader.doc_count_all(), 100 / postings)
        inside = {d for d in matched if windows.has(d)}
        truth = {k: len(inside & set(r.searcher.docs_for_query(Term("body", k[1])))) for k in keys}
        assert module._Counts(r).count(keys, matched, postings) == (truth, len(inside))
        assert 0 < len(inside) < len(matched) and truth[keys[0]] > 0


def test_related_beyond_the_budget_counts_in_an_even_sample_and_says_so(
    runner, geneva, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh.query import Term

    from syrsearch import open_index
    from syrsearch.engine import related as module

    monkeypatch.setattr(module, "POSTINGS_BUDGET", 1)  # every count is over it
    monkeypatch.setattr(module, "WINDOWS", 8)
    with open_index(geneva / "index") as index:
        result = related(index, "briefed", sample=10, limit=None)
        with index.reading() as r:
            # A share of 1 / postings: one article at the start of each eighth.
            windows = module.Windows(r.reader.doc_count_all(), 0.0)
            inside = {d for d in r.reader.all_doc_ids() if windows.has(d)}
            matched = set(r.searcher.docs_for_query(Term("body", "brief"))) & inside
            truth = {
                t.text: len(matched & set(r.searcher.docs_for_query(Term(field, term))))
                for t in result.terms
                for field, term in [
                    ("entities", name_key(t.text)) if t.kind == "name" else ("body", t.text[:-1])
                ]
                if t.text in ("guarantors", "Staffan de Mistura")
            }
    assert len(inside) == 8 and result.total == 20
    assert result.counted == len(matched) and 0 < len(matched) < 20
    assert {t.text: t.matches for t in result.terms if t.text in truth} == truth
    assert all(t.matches <= len(matched) for t in result.terms)
    data = json.loads(
        invoke(runner, "related", "briefed", "--sample", "10", "-f", "json", "-n", "0").stdout
    )
    assert (data["counted"], data["total"]) == (len(matched), 20)
    out = invoke(
        runner, "related", "briefed", "--sample", "10", "-f", "rich", "--color", "never"
    ).stdout
    said = f"of {len(matched)} of the 20 matching articles (an even sample of the index)"
    assert said in " ".join(out.split())


@settings(max_examples=30, deadline=None)
@given(size=st.integers(1, 5_000), share=st.floats(0.0, 1.0), windows=st.integers(1, 64))
def test_windows_take_the_share_of_each_part(size: int, share: float, windows: int) -> None:
    from syrsearch.engine import related as module

    old, module.WINDOWS = module.WINDOWS, windows
    try:
        w = module.Windows(size, share)
    finally:
        module.WINDOWS = old
    inside = [d for d in range(size) if w.has(d)]
    assert inside == [d for a, b in w.ranges for d in range(a, b)]
    assert len(w.ranges) == min(windows, size)
    assert all(b - a >= 1 for a, b in w.ranges)
    if share == 1.0:
        assert len(inside) == size


# -- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Russian Foreign Minister Sergei Lavrov met the UN envoy Staffan de Mistura in Geneva.",
            ["Sergei Lavrov", "UN", "Staffan de Mistura", "Geneva"],
        ),
        (
            "Fighters of Jabhat al-Nusra left the town, and Mr. Kerry’s plan was UN-backed.",
            ["Jabhat al-Nusra", "Kerry"],
        ),
        (
            "The United Nations said on Monday that the talks would resume in March next year.",
            ["United Nations"],
        ),
        # Capitals at a sentence start prove nothing; a name seen elsewhere too is kept.
        (
            "Meanwhile the talks went on. Lavrov spoke first, and the delegates waited for him.",
            [],
        ),
        (
            "Lavrov spoke first. The delegates waited for Lavrov and the others in the hall.",
            ["Lavrov"],
        ),
        (
            "Russia Renews Call for Political Settlement in Syria Based on Security Council "
            "Resolutions\n"
            "The statement was read out in Moscow by a spokesman on Friday morning.",
            ["Moscow"],
        ),
    ],
)
def test_names_of_prose(text: str, names: list[str]) -> None:
    assert find_names(text) == names


def test_name_key_ignores_case_accents_and_hyphens() -> None:
    assert name_key("Bashar al-Assad") == name_key("Bashar Al Assad") == "bashar al assad"
    assert name_key("Adel al-Jubéir") == "adel al jubeir"


# -- exports ------------------------------------------------------------------------------


def test_csv_of_hits_is_rfc_4180(runner, indexed) -> None:
    out = invoke(runner, "query", "Jubeir", "--format", "csv").stdout_bytes.decode()
    assert out.endswith("\r\n") and "\n" not in out.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == ["rank", "score", "id", "title", "path", "date", "source", "lang"]
    # A title with a comma is quoted, and reads back whole.
    assert rows[1][3] == (
        "Moscow Renews Call for Political Settlement in Syria Based on Security Council "
        "Resolutions, ISSG Decisions"
    )
    assert '"Moscow Renews' in out
    assert rows[1][2:] == [rows[1][2], rows[1][3], "seeds/004_27f4b5ccaf5df4df.txt", "", "ST", "en"]


def test_csv_of_similar_and_batch(runner, indexed) -> None:
    rows = list(
        csv.reader(
            io.StringIO(invoke(runner, "similar", "004", "--no-messages", "-f", "csv").stdout)
        )
    )
    assert rows[0][-2:] == ["shared_terms", "lang"] and rows[1][2] == "002_2e98f640cd47a897"
    assert rows[1][-2].startswith("decisions,political,conference,")  # one field, commas inside
    out = invoke(runner, "query", "-", "-f", "csv", "-n", "1", input="Astana\nJubeir\n").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert [r[0] for r in rows] == ["query", "Astana", "Jubeir"]
    assert rows[0][1:] == ["rank", "score", "id", "title", "path", "date", "source", "lang"]


def test_tsv_header_only_when_asked(runner, indexed) -> None:
    plain = invoke(runner, "query", "Astana", "-f", "tsv").stdout.splitlines()
    headed = invoke(runner, "query", "Astana", "-f", "tsv", "--header").stdout.splitlines()
    assert headed == ["rank\tscore\tid\ttitle\tpath\tdate\tsource\tlang", *plain]
    batch = invoke(runner, "query", "-", "-f", "tsv", "--header", input="Astana\n").stdout
    assert batch.splitlines()[0] == "query\trank\tscore\tid\ttitle\tpath\tdate\tsource\tlang"


def test_markdown_is_a_numbered_list_with_matches_in_bold(runner, indexed) -> None:
    out = invoke(runner, "query", "Astana", "-f", "markdown", "--snippets", "1").stdout
    assert out == (
        "1. **Moscow seeks to boost cooperation with allies to resolve Syria's issues** · "
        "2017-01-25 · Azernews · `003_325ec279d4bf9786`\n"
        "   - The first talks in a year between the two warring sides in the Syria conflict "
        "was held in the Kazakh capital of **Astana** on January 23 24.\n"
    )


def test_markdown_escapes_what_markdown_would_read(
    runner, make_corpus, tmp_path, monkeypatch
) -> None:
    root = make_corpus(
        {
            "m.txt": "Talks *resume* in [Geneva]\n\n"
            "The talks_2 resume in Geneva on Monday, said <b>UN</b> officials.\n"
        },
        name="seeds",
    )
    build_index(root, tmp_path / "index").close()
    monkeypatch.chdir(tmp_path)
    out = invoke(runner, "query", "Geneva", "-f", "markdown").stdout
    assert "**Talks \\*resume\\* in \\[Geneva\\]**" in out
    assert "talks\\_2 resume in **Geneva**" in out and "\\<b\\>UN\\</b\\>" in out


def test_the_installed_command_answers_by_and_related(run_cli) -> None:
    assert run_cli("index", "--no-messages").returncode == 0
    by = run_cli("query", "Lavrov", "--by", "year")
    assert by.returncode == 0, by.stderr
    assert by.stdout.splitlines() == [
        "2015\t1\t1\t1.0000",
        "2016\t0\t0\t",
        "2017\t1\t1\t1.0000",
        "\t3\t3\t1.0000",
    ]
    rel = run_cli("related", "Astana", "-f", "csv", "-n", "2")
    assert rel.returncode == 0, rel.stderr
    assert rel.stdout.splitlines()[0] == "text,kind,matches,corpus,score"
    assert "\x1b" not in by.stdout + rel.stdout


FRENCH = [
    "Les pourparlers reprennent à Genève\nLes délégations se sont retrouvées lundi à Genève "
    "pour une nouvelle série de pourparlers sur la Syrie, sous l'égide des Nations unies.\n",
    "Genève : les pourparlers piétinent\nÀ Genève, les pourparlers entre le gouvernement et "
    "l'opposition syrienne piétinent, selon plusieurs diplomates présents.\n",
    "L'émissaire espère des progrès à Genève\nL'émissaire de l'ONU a dit espérer des progrès "
    "lors des pourparlers de Genève, malgré les combats autour d'Alep.\n",
    "Fin de la session de Genève\nLa session de pourparlers s'est achevée vendredi à Genève sans "
    "accord, mais les parties doivent revenir le mois prochain.\n",
    "Les pourparlers d'Astana\nDes pourparlers se tiennent aussi à Astana, sous le parrainage "
    "de la Russie, de la Turquie et de l'Iran, rapportent les agences.\n",
    "La Russie et les pourparlers\nMoscou soutient les pourparlers d'Astana et appelle toutes "
    "les parties à respecter le cessez-le-feu dans le pays.\n",
]


def test_related_stems_an_article_s_words_in_its_language(
    tmp_path: Path, make_corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A French article's words are found in the index by their French stems
    (``pourparlers``: ``pourparler``, where Porter's is ``pourparl``), so their
    count in the whole index is right; the query's own words are left out in
    that language too."""
    texts: dict[str, str] = {f"fr/{i}.txt": text for i, text in enumerate(FRENCH)}
    texts["fr/.syrsearch-lang"] = "fr\n"
    for i in range(12):
        texts[f"en/{i}.txt"] = f"Market report {i}\nShares rose in London on day {i} of trading.\n"
    here = _indexed_here(texts, tmp_path, make_corpus, monkeypatch)
    from syrsearch import open_index

    with open_index(here / "index") as index:
        result = related(index, "Genève", limit=None)
        found = {t.text: (t.matches, t.corpus) for t in result.terms}
        assert result.total == 4
        assert found["pourparlers"] == (4, 6)  # in all 4 matches; in 6 articles of the index
        assert "pourparlers" not in {t.text for t in related(index, "pourparlers").terms}


TIES = {
    f"t{i:02}.txt": (
        "Talks in Geneva\nThe envoy met Lavrov in Geneva; a ceasefire was discussed.\n"
        if i % 3
        else f"Aleppo, day {i}\nShelling in Aleppo; Kerry spoke of a ceasefire.\n"
    )
    for i in range(14)
}


@pytest.mark.parametrize(
    "text", ["Geneva", "Lavrov talks", "ceasefire OR Aleppo", "Kerry NOT Lavrov"]
)
def test_related_ranks_its_sample_as_whoosh_s_collector_does(
    tmp_path: Path, make_corpus, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """``related`` takes its sample and its matches from the scores, without
    Whoosh's collector: the same articles in the same order (of equal scores,
    as copies of one text have, the first), for any sample size."""
    from syrsearch import open_index
    from syrsearch.engine import related as module
    from syrsearch.engine.query import build_query
    from syrsearch.engine.schema import SEARCH_FIELDS

    here = _indexed_here(TIES, tmp_path, make_corpus, monkeypatch)
    with open_index(here / "index") as index, index.reading() as r:
        for any_word in (False, True):
            q = build_query(text, r.lexicon, SEARCH_FIELDS, any_word=any_word).query
            assert isinstance(q, module.Scored)
            scores = [hit.score for hit in r.searcher.search(q, limit=None)]
            assert len(scores) > len(set(scores))  # equal scores are ranked too
            for limit in (1, 2, 3, 5, 50):
                collector = module._TopAndAll(limit, usequality=False, replace=0)
                r.searcher.search_with_collector(q, collector)
                expected = ([hit.docnum for hit in collector.results()], collector.docset)
                assert module._ranked(r, text, None, any_word, limit) == expected
