"""The analysis rules, as token lists and on the real seed articles.

Each rule is checked twice: at the token level (``words`` / ``index_terms``),
and end to end through :func:`syrsearch.search` on an index of the
seed articles (or of a tiny corpus written for the purpose).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from syrsearch import Hit, Index, SearchResult, search
from syrsearch.engine.schema import NewsAnalyzer
from syrsearch.text.words import index_terms, stem, words

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"

# Which seed articles use which spelling (checked against the files below).
CEASEFIRE_SEEDS = {"000", "001", "003", "004"}  # "ceasefire" (000 also "cease-fire")
KERRY_SEEDS = {"000", "001", "002"}


# -- helpers -------------------------------------------------------------------


def texts(text: str) -> list[str]:
    return [w.text for w in words(text)]


def found(result: SearchResult) -> set[str]:
    """The seed numbers (``000`` ...) of the hits."""
    return {hit.id[:3] for hit in result.hits}


def ranked(result: SearchResult) -> list[str]:
    return [hit.id for hit in result.hits]


def hit(result: SearchResult, prefix: str) -> Hit:
    (only,) = [h for h in result.hits if h.id.startswith(prefix)]
    return only


def highlighted(h: Hit) -> list[str]:
    """The highlighted text of every snippet of a hit, in order."""
    return [s.text[a:b] for s in h.snippets for a, b in s.highlights]


def title_highlighted(h: Hit) -> list[str]:
    return [h.title[a:b] for a, b in h.title_highlights]


def seed_text(prefix: str) -> str:
    (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def search_all(handle: Index, query: str, snippets: int = 2) -> SearchResult:
    return search(handle, query, limit=None, snippets=snippets)


def test_seed_spellings_are_what_the_tests_assume() -> None:
    """Guard: the seed articles say what the end-to-end tests rely on."""
    assert "cease-fire" in seed_text("000")
    assert "ceasefire" in seed_text("000")
    for prefix in ("001", "003", "004"):
        assert "ceasefire" in seed_text(prefix)
        assert "cease-fire" not in seed_text(prefix)
    assert "ceasefire" not in seed_text("002").lower()
    assert "cease-fire" not in seed_text("002").lower()
    assert "Kerry\u2019s" in seed_text("001")
    assert "al-Jubeir" in seed_text("004")
    assert "U.N." in seed_text("000")


# -- NFKC, quotes, accents -----------------------------------------------------


def test_nfkc_folds_compatibility_characters() -> None:
    assert texts("\ufb01re") == ["fire"]  # ligature fi
    assert texts("\uff2b\uff25\uff32\uff32\uff39") == ["kerry"]  # fullwidth KERRY
    assert index_terms("\uff35\uff2e") == index_terms("UN")


def test_curly_apostrophes_and_possessive_s_are_folded() -> None:
    expected = ["kerry", "visit"]
    assert texts("Kerry\u2019s visit") == expected
    assert texts("Kerry's visit") == expected
    assert texts("Kerry\u2018s visit") == expected
    assert texts("Kerry\u02bcs visit") == expected
    assert index_terms("Kerry\u2019s") == index_terms("Kerry's") == index_terms("Kerry")
    assert texts("don\u2019t") == texts("don't") == ["dont"]


def test_offsets_point_into_the_original_text() -> None:
    text = "Mr Kerry\u2019s visit"
    (_, kerry, _) = list(words(text))
    assert text[kerry.start : kerry.end] == "Kerry\u2019s"


@pytest.mark.parametrize("spelling", ["Jub\u00e9ir", "Jube\u0301ir", "JUB\u00c9IR"])
def test_accents_are_folded(spelling: str) -> None:
    (word,) = words(spelling)
    assert word.text == "jubeir"
    assert (word.start, word.end) == (0, len(spelling))
    assert index_terms(spelling)[0] == (0, "jubeir")
    assert index_terms(spelling.casefold()) == index_terms("jubeir")


@pytest.mark.parametrize(
    "query", ["Kerry\u2019s", "Kerry's", "Kerry", "\uff4b\uff45\uff52\uff52\uff59"]
)
def test_kerry_spellings_find_the_kerry_articles(seed_index: Index, query: str) -> None:
    result = search_all(seed_index, query)
    assert found(result) == KERRY_SEEDS
    for h in result.hits:
        assert highlighted(h), h.id
        assert {t.casefold() for t in highlighted(h)} <= {"kerry", "kerry\u2019s"}


def test_kerry_finds_the_title_written_kerrys(seed_index: Index) -> None:
    result = search_all(seed_index, "Kerry")
    assert title_highlighted(hit(result, "001")) == ["Kerry\u2019s"]


def test_kerry_finds_an_article_that_only_says_kerrys(
    index_of: Callable[[dict[str, str]], Index],
) -> None:
    handle = index_of(
        {
            "curly.txt": "News\nIt was Kerry\u2019s visit to Moscow.\n",
            "other.txt": "News\nIt was Lavrov's visit to Paris.\n",
        }
    )
    for query in ("Kerry", "Kerry's", "Kerry\u2019s"):
        result = search_all(handle, query)
        assert ranked(result) == ["curly"], query
        assert highlighted(result.hits[0]) == ["Kerry\u2019s"]


@pytest.mark.parametrize("query", ["Jub\u00e9ir", "Jube\u0301ir", "Jubeir"])
def test_accented_query_finds_al_jubeir(seed_index: Index, query: str) -> None:
    result = search_all(seed_index, query)
    assert found(result) == {"004"}
    assert highlighted(result.hits[0]) == ["al-Jubeir"]


# -- hyphenated compounds ------------------------------------------------------


def test_compound_gives_closed_form_and_parts_at_one_position() -> None:
    (word,) = words("cease-fire")
    assert word.text == "ceasefire"
    assert word.parts == ("cease", "fire")
    assert index_terms("cease-fire") == [
        (0, "ceasefir"),
        (0, "=ceasefire"),
        (0, "ceas"),
        (0, "fire"),
    ]
    # The closed spelling shares the stem and the exact form.
    assert set(index_terms("ceasefire")) < set(index_terms("cease-fire"))
    # Unicode hyphens split like ASCII ones.
    assert index_terms("cease\u2010fire") == index_terms("cease-fire")
    assert index_terms("cease\u2011fire") == index_terms("cease-fire")


def test_a_phrase_continues_after_a_compound() -> None:
    assert index_terms("the cease-fire holds") == [
        (0, "the"),
        (1, "ceasefir"),
        (1, "=ceasefire"),
        (1, "ceas"),
        (1, "fire"),
        (2, "hold"),
        (2, "=holds"),
    ]
    assert texts("al-Nusra Front") == ["alnusra", "front"]


@pytest.mark.parametrize("query", ["ceasefire", "cease-fire", "cease fire"])
def test_every_ceasefire_spelling_finds_both_spellings(seed_index: Index, query: str) -> None:
    result = search_all(seed_index, query)
    assert found(result) == CEASEFIRE_SEEDS
    # Seed 000 writes "cease-fire": the whole compound is highlighted, as written.
    assert "cease-fire" in highlighted(hit(result, "000"))
    for prefix in ("001", "003", "004"):
        marks = highlighted(hit(result, prefix))
        assert "ceasefire" in marks, prefix
        assert "cease-fire" not in marks


def test_phrase_with_compound_matches_both_spellings(seed_index: Index) -> None:
    result = search_all(seed_index, '"the cease-fire"')
    # 000: "the cease-fire"; 004: "the ceasefire"; 003: "the ceasefires" (stem).
    # 001 only says "a ceasefire", so the phrase must leave it out.
    assert found(result) == {"000", "003", "004"}
    assert _adjacent(highlighted(hit(result, "000")), "the", "cease-fire")
    assert _adjacent(highlighted(hit(result, "004")), "the", "ceasefire")


def _adjacent(marks: list[str], first: str, second: str) -> bool:
    folded = [m.casefold() for m in marks]
    return any(a == first and b == second for a, b in itertools.pairwise(folded))


def test_compound_spellings_meet_in_a_tiny_corpus(
    index_of: Callable[[dict[str, str]], Index],
) -> None:
    handle = index_of(
        {
            "closed.txt": "Talks\nThe ceasefire holds.\n",
            "hyphen.txt": "Talks\nThe cease-fire holds.\n",
            "fire.txt": "Talks\nThe fire spread.\n",
        }
    )
    for query in ("ceasefire", "cease-fire", "cease fire", '"the cease-fire"', '"the ceasefire"'):
        result = search_all(handle, query)
        assert set(ranked(result)) == {"closed", "hyphen"}, query
        marks = {h.id: highlighted(h) for h in result.hits}
        assert "cease-fire" in marks["hyphen"], query
        assert "ceasefire" in marks["closed"], query


# -- dotted acronyms -----------------------------------------------------------


def test_dotted_acronyms_equal_the_plain_ones() -> None:
    assert index_terms("U.N.") == index_terms("UN") == [(0, "un"), (0, "^un")]
    assert index_terms("U.S.") == index_terms("US") == [(0, "us"), (0, "^us")]
    assert texts("the U.N. and the U.S. agreed") == ["the", "un", "and", "the", "us", "agreed"]
    (un,) = words("U.N.")
    assert (un.start, un.end, un.caps) == (0, 4, True)


@pytest.mark.parametrize(
    ("dotted", "plain", "expected"),
    [
        ("U.N.", "UN", {"000", "001", "003"}),
        ("U.S.", "US", {"000", "001", "002", "004"}),
    ],
)
def test_dotted_acronym_queries_equal_plain_ones(
    seed_index: Index, dotted: str, plain: str, expected: set[str]
) -> None:
    a, b = search_all(seed_index, dotted), search_all(seed_index, plain)
    assert found(a) == found(b) == expected
    assert ranked(a) == ranked(b)


def test_acronym_highlights_the_form_the_article_uses(seed_index: Index) -> None:
    # 000 writes "U.N. Security Council", 003 "UN Security Council".
    assert "U.N." in highlighted(hit(search_all(seed_index, "UN"), "000"))
    # 002 writes only "U.S.".
    assert highlighted(hit(search_all(seed_index, "US"), "002")) == ["U.S."]
    for query in ('"U.N. Security Council"', '"UN Security Council"'):
        result = search_all(seed_index, query)
        assert found(result) == {"000", "003"}
        assert highlighted(hit(result, "000")) == ["U.N.", "Security", "Council"]
        assert highlighted(hit(result, "003")) == ["UN", "Security", "Council"]


# -- no stop words ---------------------------------------------------------------


def test_no_word_is_a_stop_word() -> None:
    assert texts("to be or not to be") == ["to", "be", "or", "not", "to", "be"]
    assert [t for _, t in index_terms("Secretary of State")] == [
        "secretari",
        "=secretary",
        "of",
        "state",
    ]
    assert texts("we will see US") == ["we", "will", "see", "us"]
    tokens = [t.text for t in NewsAnalyzer()("the US and us", positions=True)]
    assert tokens == ["the", "us", "^us", "and", "us"]


def test_us_is_searchable(seed_index: Index) -> None:
    assert found(search_all(seed_index, "US")) == {"000", "001", "002", "004"}
    # Lowercase "us" is the common word as well: it finds "us" in 003 too.
    assert found(search_all(seed_index, "us")) == {"000", "001", "002", "003", "004"}


@pytest.mark.parametrize("query", ["will", "the", "of", "a"])
def test_common_words_are_searchable(seed_index: Index, query: str) -> None:
    result = search_all(seed_index, query)
    assert result.total >= 4
    for h in result.hits:
        assert query in [m.casefold() for m in highlighted(h)]


def test_will_finds_exactly_the_articles_saying_it(seed_index: Index) -> None:
    expected = {
        p for p in ("000", "001", "002", "003", "004") if re.search(r"\bwill\b", seed_text(p), re.I)
    }
    assert found(search_all(seed_index, "will")) == expected == {"000", "001", "002", "003"}


@pytest.mark.parametrize(
    ("phrase", "expected", "marks"),
    [
        ('"Secretary of State"', {"000", "001", "002"}, ["secretary", "of", "state"]),
        ('"cessation of hostilities"', {"002", "003"}, ["cessation", "of", "hostilities"]),
    ],
)
def test_phrase_with_function_word_matches_in_order(
    seed_index: Index, phrase: str, expected: set[str], marks: list[str]
) -> None:
    result = search_all(seed_index, phrase)
    assert found(result) == expected
    for h in result.hits:
        assert [m.casefold() for m in highlighted(h)][:3] == marks


@pytest.mark.parametrize(
    "phrase",
    [
        '"State of Secretary"',
        '"Secretary State"',
        '"hostilities of cessation"',
        '"cessation hostilities"',
        '"cessation the hostilities"',
    ],
)
def test_phrase_in_another_order_or_without_the_function_word_does_not_match(
    seed_index: Index, phrase: str
) -> None:
    result = search_all(seed_index, phrase)
    assert result.total == 0
    assert result.hits == ()


# -- stemming --------------------------------------------------------------------


def test_inflections_share_a_stem() -> None:
    assert stem("negotiations") == stem("negotiation") == stem("negotiate") == "negoti"
    assert stem("ceasefires") == stem("ceasefire")
    assert index_terms("negotiations") == [(0, "negoti"), (0, "=negotiations")]
    assert index_terms("negotiate") == [(0, "negoti"), (0, "=negotiate")]


def test_negotiations_finds_negotiate(seed_index: Index) -> None:
    result = search_all(seed_index, "negotiations", snippets=50)
    assert found(result) == {"000", "001", "002"}
    assert "negotiate" in highlighted(hit(result, "001"))


def test_negotiate_finds_articles_that_only_say_negotiations(seed_index: Index) -> None:
    for prefix in ("000", "002"):
        assert not re.search(r"\bnegotiate\b", seed_text(prefix))
    result = search_all(seed_index, "negotiate")
    assert found(result) == {"000", "001", "002"}
    assert highlighted(hit(result, "000")) == ["negotiations"]


def test_singular_finds_plural(seed_index: Index) -> None:
    assert not re.search(r"\bnegotiation\b", "".join(map(seed_text, ["000", "001", "002"])))
    assert found(search_all(seed_index, "negotiation")) == {"000", "001", "002"}


def test_ceasefires_finds_ceasefire(seed_index: Index) -> None:
    assert "ceasefires" not in seed_text("001")
    result = search_all(seed_index, "ceasefires")
    assert found(result) == CEASEFIRE_SEEDS
    # 003 is the one article that writes "ceasefires": the exact form ranks first.
    assert ranked(result)[0].startswith("003")


def test_exact_form_ranks_above_stemmed_form(
    index_of: Callable[[dict[str, str]], Index],
) -> None:
    handle = index_of(
        {
            "a.txt": "Report\nThe talks: negotiations began in Geneva today.\n",
            "b.txt": "Report\nThe talks: negotiate began in Geneva today.\n",
        }
    )
    by_plural = search_all(handle, "negotiations")
    assert ranked(by_plural) == ["a", "b"]
    assert by_plural.hits[0].score > by_plural.hits[1].score
    by_verb = search_all(handle, "negotiate")
    assert ranked(by_verb) == ["b", "a"]
    assert by_verb.hits[0].score > by_verb.hits[1].score
    assert highlighted(by_verb.hits[1]) == ["negotiations"]


# -- no token too short ----------------------------------------------------------


def test_single_characters_are_kept() -> None:
    assert texts("9/11") == ["9", "11"]
    assert index_terms("9/11") == [(0, "9"), (1, "11")]
    assert texts("a b I x 7") == ["a", "b", "i", "x", "7"]


@pytest.mark.parametrize("query", ["9/11", '"9/11"', '"the 9/11 attacks"', "9"])
def test_9_11_finds_only_9_11(index_of: Callable[[dict[str, str]], Index], query: str) -> None:
    handle = index_of(
        {
            "attacks.txt": "Memorial\nRemembering the 9/11 attacks.\n",
            "ships.txt": "Memorial\nRemembering the 11 ships.\n",
        }
    )
    result = search_all(handle, query)
    assert ranked(result) == ["attacks"]
    assert "9" in highlighted(result.hits[0])


def test_11_alone_finds_both(index_of: Callable[[dict[str, str]], Index]) -> None:
    handle = index_of(
        {
            "attacks.txt": "Memorial\nRemembering the 9/11 attacks.\n",
            "ships.txt": "Memorial\nRemembering the 11 ships.\n",
        }
    )
    assert set(ranked(search_all(handle, "11"))) == {"attacks", "ships"}
