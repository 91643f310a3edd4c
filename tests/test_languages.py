"""Languages and names: the multilingual collection in tests/data/multilingual,
searched through the command line.

Each article is a short news text in one language (English, Russian, Arabic,
French, German, Spanish, Turkish, Chinese); each query below has the articles
it must find, and those it must not.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from syrsearch.cli import app
from syrsearch.text.aliases import parse_aliases
from syrsearch.text.lang import detect_language
from syrsearch.text.names import query_keys, word_keys
from syrsearch.text.words import term_positions, term_spans, word_terms, words

from .conftest import syrsearch_exe

COLLECTION = Path(__file__).parent / "data" / "multilingual"


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The collection copied to a temp folder and indexed: (corpus, index)."""
    root = tmp_path_factory.mktemp("multilingual")
    corpus = root / "corpus"
    shutil.copytree(COLLECTION, corpus)
    index = root / "index"
    result = CliRunner().invoke(
        app, ["index", "--no-messages", "--corpus", str(corpus), "--index-dir", str(index)]
    )
    assert result.exit_code == 0, result.output
    return corpus, index


def query(collection: tuple[Path, Path], *args: str) -> tuple[int, list[dict[str, object]]]:
    corpus, index = collection
    result = CliRunner().invoke(
        app,
        ["query", *args, "--format", "jsonl", "--corpus", str(corpus), "--index-dir", str(index)],
    )
    assert result.exit_code in (0, 1), result.output
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    return result.exit_code, hits


def ids(collection: tuple[Path, Path], *args: str) -> list[str]:
    return [name(h["id"]) for h in query(collection, *args)[1]]


def name(ident: object) -> str:
    """An id's last part (``ru/lavrov-astana``: ``lavrov-astana``): the file's name."""
    return str(ident).rsplit("/", 1)[-1]


# query -> (articles it must find, articles it must not find)
CASES: dict[str, tuple[set[str], set[str]]] = {
    # Russian inflections: the stemmer, and a name's case endings by its key.
    "переговоры": ({"lavrov-astana"}, {"palmyra"}),
    "переговорах": ({"lavrov-astana"}, set()),
    "Астана": ({"lavrov-astana"}, {"palmyra"}),
    "Пальмира": ({"palmyra"}, {"lavrov-astana"}),
    # Arabic: the article and prepositions as clitics, spelling folded.
    "مفاوضات": ({"geneva-talks"}, {"assad-decree"}),
    "أزمة": ({"geneva-talks", "assad-decree"}, set()),
    "الازمه": ({"geneva-talks", "assad-decree"}, set()),
    "جنيف": ({"geneva-talks"}, {"assad-decree"}),
    # French elisions: l'ONU, l'Élysée.
    "ONU": ({"onu-elysee"}, {"negociaciones"}),
    "Élysée": ({"onu-elysee"}, set()),
    "elysee": ({"onu-elysee"}, set()),
    "négociations": ({"onu-elysee"}, set()),
    # German, Spanish, Turkish stemming.
    "Verhandlung": ({"lawrow"}, set()),
    "Gespräch": ({"lawrow"}, set()),
    "negociación": ({"negociaciones"}, set()),
    "müzakereler": ({"muzakereler"}, set()),
    # Chinese by bigrams.
    "停火": ({"ceasefire"}, set()),
    "阿勒颇": ({"ceasefire"}, set()),
    # Names across scripts.
    "Lavrov": ({"lavrov-kerry-geneva", "lavrov-astana", "geneva-talks"}, {"palmyra"}),
    "Лавров": ({"lavrov-kerry-geneva", "lavrov-astana", "geneva-talks"}, set()),
    "لافروف": ({"lavrov-kerry-geneva", "lavrov-astana", "geneva-talks"}, set()),
    "Assad": ({"lavrov-kerry-geneva", "assad-decree"}, set()),
    "الأسد": ({"lavrov-kerry-geneva", "assad-decree"}, set()),
    "Idlib": ({"idlib-offensive", "lavrov-astana", "muzakereler"}, set()),
    # Aliases.
    "ISIS": ({"daesh-raqqa", "etat-islamique", "palmyra"}, {"lavrov-astana"}),
    "Islamic State": ({"daesh-raqqa", "etat-islamique", "palmyra"}, set()),
    "SDF": ({"daesh-raqqa", "etat-islamique"}, set()),
    "HTS": ({"idlib-offensive"}, set()),
}


@pytest.mark.parametrize("text", list(CASES))
def test_query_finds_the_articles_in_every_language(
    collection: tuple[Path, Path], text: str
) -> None:
    found = set(ids(collection, text))
    wanted, unwanted = CASES[text]
    assert wanted <= found, f"{text}: missing {wanted - found}"
    assert not (unwanted & found), f"{text}: should not find {unwanted & found}"


@pytest.mark.parametrize(
    ("exact", "inflected", "typed"),
    [
        ("Переговоры", "Переговорах", "переговоры"),
        ("négociations", "négociation", "négociations"),
        ("المفاوضات", "مفاوضات", "المفاوضات"),
    ],
)
def test_exact_spelling_ranks_above_the_stem(
    runner: CliRunner,
    make_corpus: Callable[..., Path],
    tmp_path: Path,
    exact: str,
    inflected: str,
    typed: str,
) -> None:
    corpus = make_corpus(
        {
            "a.txt": f"Сирия Syrie سوريا\n\n{inflected} Сирия Syrie سوريا.\n",
            "b.txt": f"Сирия Syrie سوريا\n\n{exact} Сирия Syrie سوريا.\n",
        }
    )
    where = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"), "--no-messages"]
    out = runner.invoke(app, ["query", typed, "--format", "tsv", *where]).stdout
    assert [row.split("\t")[2] for row in out.splitlines()] == ["b", "a"]


def test_highlights_land_on_the_articles_own_spelling(collection: tuple[Path, Path]) -> None:
    _, hits = query(collection, "Lavrov", "--lang", "ru")
    (hit,) = hits
    marked = {
        s["text"][a:b]  # type: ignore[index]
        for s in hit["snippets"]  # type: ignore[attr-defined]
        for a, b in s["highlights"]  # type: ignore[index]
    }
    assert marked and marked <= {"Лавров"}
    _, hits = query(collection, "ONU", "--lang", "fr")
    marked = {
        s["text"][a:b]  # type: ignore[index]
        for s in hits[0]["snippets"]  # type: ignore[attr-defined]
        for a, b in s["highlights"]  # type: ignore[index]
    }
    assert marked == {"ONU"}


def test_every_article_has_its_language(collection: tuple[Path, Path]) -> None:
    corpus, index = collection
    out = CliRunner().invoke(app, ["export", "--corpus", str(corpus), "--index-dir", str(index)])
    langs = {name(a["id"]): a["lang"] for a in map(json.loads, out.stdout.splitlines())}
    by_folder = {p.stem: p.parent.name for p in COLLECTION.rglob("*.txt")}
    assert langs == by_folder


def test_lang_filter_is_repeatable(collection: tuple[Path, Path]) -> None:
    assert set(ids(collection, "Lavrov", "--lang", "ru")) == {"lavrov-astana"}
    assert set(ids(collection, "Lavrov", "--lang", "ru", "--lang", "AR")) == {
        "lavrov-astana",
        "geneva-talks",
    }
    code, hits = query(collection, "Lavrov", "--lang", "zh")
    assert code == 1 and hits == []


def test_a_bad_language_code_is_a_usage_error(collection: tuple[Path, Path]) -> None:
    corpus, index = collection
    result = CliRunner().invoke(
        app, ["query", "x", "--lang", "russian", "--corpus", str(corpus), "--index-dir", str(index)]
    )
    assert result.exit_code == 2
    assert "--lang: 'russian' is not a language code" in result.stderr


def test_tsv_and_show_and_stats_give_the_language(collection: tuple[Path, Path]) -> None:
    corpus, index = collection
    where = ["--corpus", str(corpus), "--index-dir", str(index)]
    tsv = CliRunner().invoke(app, ["query", "переговоры", "--format", "tsv", *where])
    assert tsv.stdout.splitlines()[0].split("\t")[7] == "ru"
    shown = CliRunner().invoke(app, ["show", "ar/geneva-talks", "--format", "text", *where])
    assert "lang: ar" in shown.stdout.splitlines()
    stats = CliRunner().invoke(app, ["stats", "--format", "json", *where])
    counts = {row["lang"]: row["articles"] for row in json.loads(stats.stdout)["languages"]}
    assert counts == {"en": 3, "ru": 2, "ar": 2, "fr": 2, "de": 1, "es": 1, "tr": 1, "zh": 1}


def test_explain_shows_every_alias_expansion(collection: tuple[Path, Path]) -> None:
    corpus, index = collection
    where = ["--corpus", str(corpus), "--index-dir", str(index)]
    result = CliRunner().invoke(app, ["query", "Daesh", "--explain", "--format", "json", *where])
    words_ = json.loads(result.stdout)["words"]
    assert any("ISIL" in form and "داعش" in form for w in words_ for form in w["terms"])
    plain = CliRunner().invoke(app, ["query", "Daesh", "--explain", "--no-aliases", *where])
    assert "alias" not in plain.stdout


def test_no_aliases_and_a_users_alias_file(collection: tuple[Path, Path], tmp_path: Path) -> None:
    assert set(ids(collection, "ISIS", "--no-aliases")) == set()
    mine = tmp_path / "mine.txt"
    mine.write_text("# mine\nPalmyre | Tadmor | Пальмира\n", encoding="utf-8")
    assert ids(collection, "Tadmor") == []
    assert set(ids(collection, "Tadmor", "--aliases", str(mine))) == {"palmyra"}
    code = CliRunner().invoke(
        app,
        ["query", "x", "--aliases", str(tmp_path / "none.txt"), "--index-dir", str(collection[1])],
    )
    assert code.exit_code == 2 and "cannot read the alias file" in code.stderr


def test_aliases_next_to_the_index(collection: tuple[Path, Path]) -> None:
    _corpus, index = collection
    (index / "aliases.txt").write_text("Tadmor | Пальмира\n", encoding="utf-8")
    try:
        assert set(ids(collection, "Tadmor")) == {"palmyra"}
    finally:
        (index / "aliases.txt").unlink()


def test_lower_case_is_stays_a_word(collection: tuple[Path, Path]) -> None:
    # 'IS' in the ISIS group stands only for IS in capitals.
    corpus, index = collection
    result = CliRunner().invoke(
        app, ["query", "is", "--explain", "--corpus", str(corpus), "--index-dir", str(index)]
    )
    assert "alias" not in result.stdout


def test_subprocess_mixed_corpus(
    run_cli: Callable[..., subprocess.CompletedProcess[str]], in_tmp: Path
) -> None:
    shutil.copytree(COLLECTION, in_tmp / "ml")
    built = run_cli("index", "--no-messages", "--corpus", "ml", "--index-dir", "mlx")
    assert built.returncode == 0, built.stderr
    found = run_cli("query", "Лавров", "--corpus", "ml", "--index-dir", "mlx", "--format", "paths")
    assert found.returncode == 0 and found.stderr == ""
    assert {Path(p).name for p in found.stdout.splitlines()} == {
        "lavrov-kerry-geneva.txt",
        "lavrov-astana.txt",
        "geneva-talks.txt",
    }


# -- language settings -----------------------------------------------------------


def test_folder_setting_overrides_detection_and_reindexes(
    runner: CliRunner, make_corpus: Callable[..., Path], tmp_path: Path
) -> None:
    text = "Лавров заявил о переговорах в Астане.\n\nПереговоры продолжатся в следующем месяце.\n"
    corpus = make_corpus({"a/one.txt": text, "b/two.txt": text})
    where = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "ix")]

    def langs() -> dict[str, str | None]:
        out = runner.invoke(app, ["query", "переговоры", "--format", "jsonl", *where]).stdout
        return {name(json.loads(line)["id"]): json.loads(line)["lang"] for line in out.splitlines()}

    assert runner.invoke(app, ["index", "--no-messages", *where]).exit_code == 0
    assert langs() == {"one": "ru", "two": "ru"}
    (corpus / "a" / ".syrsearch-lang").write_text("# Ukrainian, really\nuk\n", encoding="utf-8")
    (corpus / ".syrsearch-lang").write_text("b/two.txt bg\n", encoding="utf-8")
    report = runner.invoke(app, ["index", "--json", *where])
    assert json.loads(report.stdout)["updated"] == 2
    assert langs() == {"one": "uk", "two": "bg"}
    (corpus / "a" / ".syrsearch-lang").unlink()
    report = runner.invoke(app, ["index", "--json", *where])
    assert json.loads(report.stdout)["updated"] == 1
    assert langs() == {"one": "ru", "two": "bg"}


def test_undetectable_text_has_no_language(index_of: Callable[..., object]) -> None:
    assert detect_language("1234 5678") is None
    assert detect_language("") is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Лавров заявил, что переговоры в Астане продолжатся на следующей неделе.", "ru"),
        ("استؤنفت اليوم المفاوضات بين وفد الحكومة السورية ووفد المعارضة بجنيف.", "ar"),
        ("L'Élysée a demandé une réunion d'urgence du Conseil de sécurité.", "fr"),
        ("Die Verhandlungen in Genf sind vertagt worden, sagte der Außenminister.", "de"),
        ("Las negociaciones de paz se reanudaron hoy en Ginebra.", "es"),
        ("Suriye müzakerelerinin yeni turu Astana'da sona erdi.", "tr"),
        ("Rebels agreed to a ceasefire in eastern Aleppo after talks in Astana.", "en"),
    ],
)
def test_detects_short_news_sentences(text: str, lang: str) -> None:
    assert detect_language(text) == lang


# -- analysis --------------------------------------------------------------------


def terms_of(text: str, lang: str) -> list[list[str]]:
    return [word_terms(w, lang) for w in words(text)]


def test_russian_stems_meet() -> None:
    (a,), (b,) = [terms_of(w, "ru") for w in ("переговорах", "переговоры")]
    assert a[0] == b[0] == "переговор"


def test_arabic_clitics_and_spelling() -> None:
    for plain, prefixed in [("مفاوضات", "المفاوضات"), ("أزمة", "الأزمة"), ("جنيف", "بجنيف")]:
        (a,), (b,) = terms_of(plain, "ar"), terms_of(prefixed, "ar")
        assert a[0] in b, (plain, prefixed)
    assert [w.text for w in words("الأُزْمَـــة")] == [w.text for w in words("الازمه")]


def test_elision_is_split_and_the_highlight_starts_after_it() -> None:
    text = "L'Élysée et l’ONU, qu'il dell'Unione"
    ws = list(words(text))
    assert [w.text for w in ws] == ["elysee", "et", "onu", "il", "unione"]
    assert [text[w.start : w.end] for w in ws][2] == "ONU"


def test_chinese_bigrams() -> None:
    assert terms_of("停火协议", "zh") == [["停火", "火协", "协议"]]


def test_name_keys_across_scripts() -> None:
    def key(text: str) -> set[str]:
        return {k[1:] for w in words(text) for k in word_keys(w)}

    def asked(text: str) -> set[str]:
        return {k[1:] for w in words(text) for k in query_keys(w)}

    assert asked("Lavrov") <= key("Лавров") & key("لافروف")
    assert asked("Лавров") <= key("Lavrov")
    assert asked("Assad") <= key("الأسد") and asked("الأسد") <= key("al-Assad")
    assert key("the lower case word") == set()


def test_alias_member_in_capitals_needs_capitals() -> None:
    aliases = parse_aliases("ISIS | IS | Daesh\n# comment\nlonely\n")
    assert len(aliases.groups) == 1
    assert aliases.group_of(list(words("IS")), "IS") is not None
    assert aliases.group_of(list(words("is")), "is") is None
    assert aliases.group_of(list(words("daesh")), "daesh") is not None


LANGS = ["en", "ru", "ar", "fr", "de", "es", "tr", "zh", "xx"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80), st.sampled_from(LANGS))
def test_analysis_never_fails_and_spans_are_in_the_text(text: str, lang: str) -> None:
    positions = term_positions(text, lang)
    spans = list(term_spans(text, None, lang))
    assert all(0 <= a < b <= len(text) for a, b, _ in spans)
    assert {t for _, _, ts in spans for t in ts} == set(positions)


def test_installed_script_reads_a_language_setting(in_tmp: Path) -> None:
    corpus = in_tmp / "c"
    corpus.mkdir()
    (corpus / "x.txt").write_text("Короткий текст\n\nОчень короткий.\n", encoding="utf-8")
    (corpus / ".syrsearch-lang").write_text("x.txt ru\n", encoding="utf-8")
    run = [
        *syrsearch_exe(),
        "query",
        "коротких",
        "--corpus",
        "c",
        "--index-dir",
        "ix",
        "--no-messages",
    ]
    done = subprocess.run([*run, "--format", "tsv"], cwd=in_tmp, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\t")[7].strip() == "ru"


# -- aliases as one concept ------------------------------------------------------

IDLIB = [
    "Government forces advance in Idlib",
    "Turkey sends more troops to Idlib",
    "Air strikes hit a market in Idlib city",
    "Aid convoy reaches Idlib after weeks of delay",
    "Rebels in Idlib reject the Sochi deal",
    "Thousands flee southern Idlib",
    "Russia and Turkey agree on an Idlib buffer zone",
    "Hospitals in Idlib overwhelmed",
    "UN warns of a catastrophe in Idlib",
    "Ceasefire in Idlib holds for a second day",
]
PASSING = [
    "Kurdish-led forces hold talks in Damascus",
    "Geneva talks stall over the constitution",
    "Opposition meets in Riyadh",
]


def _idlib_corpus() -> dict[str, str]:
    files = {}
    for n, title in enumerate(IDLIB):
        body = (
            f"{title}. Fighting in Idlib province went on this week, residents said. "
            "The province of Idlib is the last held by the opposition, and people in "
            "Idlib fear a new offensive."
        )
        files[f"idlib/{n:02d}.txt"] = f"{title}\n\n{body}\n"
    for n, title in enumerate(PASSING):
        body = (
            f"{title}. Delegates discussed the constitution, prisoners and the return of "
            "refugees, and one mentioned the situation in Idleb in passing. Talks go on "
            "next week, diplomats said, with no date set for a vote."
        )
        files[f"other/{n:02d}.txt"] = f"{title}\n\n{body}\n"
    return files


def test_an_alias_group_counts_as_one_concept(
    runner: CliRunner, make_corpus: Callable[..., Path], tmp_path: Path
) -> None:
    corpus = make_corpus(_idlib_corpus())
    where = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"), "--no-messages"]

    def top(*args: str) -> list[str]:
        out = runner.invoke(app, ["query", *args, "--format", "paths", *where]).stdout
        return [Path(p).parent.name for p in out.splitlines()]

    assert runner.invoke(app, ["index", *where]).exit_code == 0
    # Without the group, the rare spelling's IDF puts the passing mentions first.
    assert top("idlib OR idleb", "--no-aliases")[:3] == ["other"] * 3
    # As one concept, the ten articles about Idlib come first, whichever is typed.
    for text in ("idlib OR idleb", "Idleb", "idlib"):
        ranked = top(text, "--limit", "13")
        assert ranked[:10] == ["idlib"] * 10, text
        assert sorted(ranked[10:]) == ["other"] * 3, text
