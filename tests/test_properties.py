"""Property tests: analysis, snippets and the query path never go wrong.

Texts are drawn from all of Unicode except surrogates (which cannot be in a
``str`` that came from a file), control characters included.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from syrsearch import Index, SearchResult, search
from syrsearch.engine.lexicon import Lexicon
from syrsearch.engine.query import Translation, build_query
from syrsearch.engine.schema import SEARCH_FIELDS, NewsAnalyzer
from syrsearch.errors import QueryError
from syrsearch.model import Match
from syrsearch.text.snippets import make_snippets, matched_spans
from syrsearch.text.words import (
    CAPS,
    EXACT,
    Script,
    bigrams,
    index_terms,
    script,
    stem,
    term_prefixes,
    term_spans,
    word_terms,
    words,
)

from .conftest import BBC_SPORT, build_index

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

PROPERTY = settings(
    max_examples=200,
    deadline=None,
    database=None,  # keep the working tree clean: no .hypothesis folder
    suppress_health_check=[HealthCheck.too_slow],
)

any_char = st.characters(exclude_categories=("Cs",))
any_text = st.text(alphabet=any_char)
# Text with the characters the rules care about, so examples hit them often.
news_char = st.one_of(
    any_char,
    st.sampled_from(
        list("aAeEsSuUnN9 .-'\u2019\u2011\u00e9\u0301\u00ad\u200d\ufb01\uff35\n\t\"*?~:()")
    ),
)
news_text = st.one_of(
    any_text,
    st.text(alphabet=news_char),
    st.lists(
        st.sampled_from(
            [
                "U.N.",
                "U.S.",
                "US",
                "us",
                "Kerry\u2019s",
                "cease-fire",
                "ceasefire",
                "cease",
                "fire",
                "al-Jub\u00e9ir",
                "9/11",
                "negotiations",
                "of",
                "the",
                "AND",
                "NOT",
                "OR",
                '"',
                "*",
                "~2",
                "title:",
                "(",
                ")",
                "\u2026",
                ".",
                "\n",
            ]
        ),
        max_size=12,
    ).map(" ".join),
)


@pytest.fixture(scope="module")
def module_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    """One index of the seed articles for the whole module."""
    base = tmp_path_factory.mktemp("properties")
    corpus = base / "seeds"
    shutil.copytree(SEEDS, corpus)
    return build_index(corpus, base / "index")


# -- the analyzer ------------------------------------------------------------------


@PROPERTY
@given(any_text)
def test_analysis_never_raises(text: str) -> None:
    ws = list(words(text))
    terms = index_terms(text)
    tokens = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in NewsAnalyzer()(text, positions=True, chars=True)
    ]
    assert all(isinstance(w.text, str) and w.text for w in ws)
    assert [(p, t) for t, p, _, _ in tokens] == terms
    assert {p for p, _ in terms} == set(range(len(ws)))


@PROPERTY
@given(news_text)
def test_words_point_into_the_text(text: str) -> None:
    previous_end = 0
    for w in words(text):
        assert 0 <= w.start < w.end <= len(text)
        assert w.start >= previous_end  # in order, never overlapping
        previous_end = w.end


@PROPERTY
@given(news_text)
def test_analyzer_offsets_point_into_the_text(text: str) -> None:
    for token in NewsAnalyzer()(text, positions=True, chars=True):
        assert 0 <= token.startchar < token.endchar <= len(text)
        assert token.text


def query_side_terms(raw: str) -> set[str]:
    """The index terms the query translator asks for when ``raw`` is typed
    (see ``_Translator._word_terms``): stem, exact form, capitals form, and
    the stems of a compound's parts; a run of Chinese or Japanese characters,
    its bigrams."""
    terms: set[str] = set()
    for w in words(raw):
        if not w.text.isascii() and script(w.text) == Script.CJK:
            terms.update(bigrams(w.text))
            continue
        stemmed = stem(w.text)
        terms.add(stemmed)
        if stemmed != w.text:
            terms.add(EXACT + w.text)
        if w.caps and not w.parts:
            terms.add(CAPS + w.text)
        terms.update(stem(p) for p in w.parts)
    return terms


@PROPERTY
@given(news_text)
def test_query_side_terms_of_a_word_are_indexed(text: str) -> None:
    indexed = {term for _, term in index_terms(text)}
    for w in words(text):
        raw = text[w.start : w.end]
        assert query_side_terms(raw) <= indexed, raw
        # And the word read alone is the same word as read in context.
        assert set(word_terms(w)) <= indexed


class _TermsReader:
    """Just enough of a Whoosh reader for build_query: document frequencies
    of one text's index terms, in every field."""

    def __init__(self, text: str) -> None:
        self.terms = {term for _, term in index_terms(text)}

    def doc_frequency(self, fieldname: str, term: str) -> int:
        return 1 if term in self.terms else 0

    def lexicon(self, fieldname: str) -> Any:
        return iter(())  # no article has a language: English only

    def expand_prefix(self, fieldname: str, prefix: str) -> Any:
        return iter(sorted(t for t in self.terms if t.startswith(prefix)))


def _query_terms(q: Any) -> set[str]:
    found: set[str] = set()
    if hasattr(q, "subqueries"):
        for sub in q.subqueries:
            found |= _query_terms(sub)
    elif hasattr(q, "words"):  # Phrase
        found.update(q.words)
    elif hasattr(q, "text"):
        found.add(q.text)
    return found


@PROPERTY
@given(news_text)
def test_build_query_terms_of_a_word_are_indexed(text: str) -> None:
    reader = _TermsReader(text)
    for w in words(text):
        raw = text[w.start : w.end]
        tr = build_query(raw, Lexicon(reader), SEARCH_FIELDS)
        assert _query_terms(tr.query) <= reader.terms, (raw, tr.query)


# -- snippets ----------------------------------------------------------------------


@st.composite
def text_and_match(draw: st.DrawFn) -> tuple[str, Match]:
    text = draw(news_text)
    ws = list(words(text))
    terms = sorted({t for w in ws for t in word_terms(w)})
    chosen = draw(st.lists(st.sampled_from(terms), max_size=4)) if terms else []
    phrases = []
    if len(ws) >= 2:
        for _ in range(draw(st.integers(0, 2))):
            i = draw(st.integers(0, len(ws) - 2))
            n = draw(st.integers(2, min(4, len(ws) - i)))
            seq = tuple(stem(w.text) for w in ws[i : i + n])
            phrases.append((seq, draw(st.integers(0, 3))))
    extra = draw(st.lists(st.text(min_size=1, max_size=4), max_size=2))
    return text, Match(frozenset(chosen + extra), tuple(phrases))


@PROPERTY
@given(text_and_match(), st.integers(1, 5), st.one_of(st.just(240), st.integers(1, 400)))
def test_snippet_highlights_stay_inside_the_snippet(
    case: tuple[str, Match], count: int, width: int
) -> None:
    text, match = case
    spans = matched_spans(text, match)
    for s, e in spans:
        assert 0 <= s < e <= len(text)
    snippets = make_snippets(text, spans, count=count, width=width)
    assert len(snippets) <= count
    for snippet in snippets:
        previous_end = 0
        for s, e in snippet.highlights:
            assert 0 <= s < e <= len(snippet.text), (snippet, s, e)
            assert s >= previous_end  # sorted and merged
            previous_end = e


@PROPERTY
@given(text_and_match())
def test_every_chosen_term_is_highlighted_somewhere(case: tuple[str, Match]) -> None:
    text, match = case
    spans = set(matched_spans(text, match))
    for w in words(text):
        if set(word_terms(w)) & match.terms:
            assert (w.start, w.end) in spans


# -- the query path ------------------------------------------------------------------


@PROPERTY
@given(news_text)
def test_build_query_translates_or_raises_query_error(module_index: Index, text: str) -> None:
    with module_index.reading() as r:
        try:
            tr = build_query(text, r.lexicon, SEARCH_FIELDS)
        except QueryError:
            return
    assert isinstance(tr, Translation)
    assert tr.query is not None


@PROPERTY
@given(news_text)
def test_search_answers_or_raises_query_error(module_index: Index, text: str) -> None:
    try:
        result = search(module_index, text, limit=None)
    except QueryError:
        return
    assert isinstance(result, SearchResult)
    assert result.total == len(result.hits)
    for h in result.hits:
        for snippet in h.snippets:
            for s, e in snippet.highlights:
                assert 0 <= s < e <= len(snippet.text)
        for s, e in h.title_highlights:
            assert 0 <= s < e <= len(h.title)


@PROPERTY
@given(text_and_match())
def test_skipping_words_by_prefix_changes_no_highlight(case: tuple[str, Match]) -> None:
    text, match = case
    wanted = set(match.terms).union(*(seq for seq, _ in match.phrases))
    every = list(term_spans(text))
    some = list(term_spans(text, term_prefixes(wanted)))
    assert [(a, b) for a, b, _ in some] == [(a, b) for a, b, _ in every]
    for (_, _, full), (_, _, kept) in zip(every, some, strict=True):
        assert set(full) & wanted == set(kept) & wanted


def _parser_plugins() -> list[object]:
    """The plugins of the parser :func:`~syrsearch.engine.query.parse.parse` builds."""
    from whoosh.qparser import QueryParser

    from syrsearch.engine.query import parse as module

    seen: list[object] = []
    original = QueryParser.parse

    def spy(self: QueryParser, *args: Any, **kwargs: Any) -> Any:
        seen.extend(self.plugins)
        return original(self, *args, **kwargs)

    QueryParser.parse = spy  # type: ignore[method-assign]
    try:
        module.parse("a", any_word=False)
    finally:
        QueryParser.parse = original  # type: ignore[method-assign]
    return seen


query_syntax = st.lists(
    st.sampled_from([*"abxyzé日12_ :*?-'\"()~^[]{}/", "AND ", "OR ", "NOT ", "title:"]),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(query_syntax)
@example("x*:y")
@example("ab-cd:x *:* title:é")
@example("a" * 300 + ":b")
@example("a~1title:a")  # a field name after what another pattern took
def test_the_field_pattern_reads_every_query_as_whoosh_s_own(text: str) -> None:
    """The parser's ``field:`` pattern looks for a field name only where a
    word starts (so a long word is read in linear time): every query reads
    to the same tree as with Whoosh's own pattern."""
    from whoosh.qparser import AndGroup, OperatorsPlugin, QueryParser

    from syrsearch.engine.query.parse import FIELD_NAME, NOT_OPERATOR, _FuzzyTerms, parse

    assert any(getattr(p, "expr", None) == FIELD_NAME for p in _parser_plugins())

    stock = QueryParser("_all", schema=None, group=AndGroup)
    stock.add_plugin(_FuzzyTerms())
    stock.replace_plugin(OperatorsPlugin(Not=NOT_OPERATOR))  # the minus: tested below
    try:
        expected = repr(stock.parse(text))
    except Exception:  # Whoosh fails on these; our parse falls back (tested elsewhere)
        return
    assert repr(parse(text, any_word=False)) == expected


# Words built from the letters and endings Porter's steps look at, so that
# examples end in one (or in a near miss: "-tio", "-nes") as often as not.
porter_words = st.lists(
    st.sampled_from(
        [*"aeiouybcdlmnrstz", "ss", "ed", "eed", "ing", "ion", "ation", "ness", "ful", "ous",
         "ive", "ize", "al", "ic", "ent", "ment", "able", "er", "ll", "logi", "bli", "tio", "nes"]
    ),
    min_size=1,
    max_size=8,
).map("".join)  # fmt: skip


@PROPERTY
@given(porter_words)
@example("ies")
@example("yes")
@example("attacks")
def test_english_words_are_stemmed_as_whoosh_stems_them(word: str) -> None:
    """A word is checked for the endings Porter's steps act on before it is
    stemmed (one that has none is its own stem): the stems are Whoosh's."""
    from whoosh.lang.porter import stem as porter_stem

    assert stem(word) == porter_stem(word)


def test_every_word_of_real_news_is_stemmed_as_whoosh_stems_it() -> None:
    from whoosh.lang.porter import stem as porter_stem

    from syrsearch.text.words import raw_words

    files = sorted(BBC_SPORT.rglob("*.txt"))[:400] + sorted(SEEDS.glob("*.txt"))
    text = " ".join(f.read_text(encoding="utf-8", errors="replace") for f in files)
    vocabulary = sorted({w.lower() for w in raw_words(text) if w.isascii() and w.isalpha()})
    assert len(vocabulary) > (5_000 if BBC_SPORT.is_dir() else 500)
    assert [stem(w) for w in vocabulary] == [porter_stem(w) for w in vocabulary]


@pytest.mark.parametrize(
    ("minus", "not_"),
    [
        ("Kerry -Lavrov", "Kerry NOT Lavrov"),
        ("-Lavrov Kerry", "NOT Lavrov Kerry"),
        ("-(a OR b) c", "NOT (a OR b) c"),
        ("(x -y) z", "(x NOT y) z"),
        ("title:Geneva -Kerry", "title:Geneva NOT Kerry"),
        ('talks -"peace talks"', 'talks NOT "peace talks"'),
    ],
)
def test_a_minus_before_a_word_is_not(minus: str, not_: str) -> None:
    from syrsearch.engine.query.parse import parse

    for any_word in (False, True):
        assert repr(parse(minus, any_word=any_word)) == repr(parse(not_, any_word=any_word))


@pytest.mark.parametrize(
    "text", ["cease-fire", "al-Nusra talks", "U.S.-Russia", "a - b", "--x y", "x- y", "a -", "-"]
)
def test_a_minus_inside_or_alone_stays_a_word(text: str) -> None:
    """Only a minus that starts a word excludes: one inside a word, alone, or
    doubled is read as Whoosh reads it."""
    from whoosh.qparser import AndGroup, QueryParser

    from syrsearch.engine.query.parse import parse

    assert repr(parse(text, any_word=False)) == repr(
        QueryParser("_all", schema=None, group=AndGroup).parse(text)
    )
