"""Hostile queries and hostile article text, through the installed command.

No query may stall syrsearch or print more than one stderr line, and no
article text may reach a terminal through a machine format unescaped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from syrsearch.cli import app
from syrsearch.errors import ExitCode
from syrsearch.output.records import UNSEEN, dumps, tsv_field

from .conftest import syrsearch_exe

# Every kind of character that can drive a terminal or hide text: C0, DEL, C1
# (U+009B is a one-byte CSI), bidi overrides and isolates, marks, zero-width
# and other invisible formatting characters, line and paragraph separators.
HOSTILE = (
    "\x1b[2J\x1b]0;pwned\x07 \x08\x0b\x0c\x7f \x85 \x9b31m \u202a\u202b\u202c\u202d\u202e"
    " \u2066\u2067\u2068\u2069 \u200e\u200f\u061c \u200b\u200c\u200d\u2060\ufeff\xad"
    " \u2028\u2029 \U000e0041"
)
EVIL = f"Zebra {HOSTILE} headline\nThe zebra{HOSTILE}crossing said {HOSTILE} more.\n"


def _unseen(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def test_the_escaped_set_is_unicodes_controls_and_formatting_characters() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        if _unseen(char):
            assert UNSEEN.fullmatch(char), hex(code)
        elif UNSEEN.fullmatch(char):  # formatting in a later Unicode than this Python's
            assert unicodedata.category(char) == "Cn", hex(code)


def test_escapes_are_lossless() -> None:
    data = {"text": EVIL, "more": ["\\x1b", "tab\there"]}
    assert json.loads(dumps(data)) == data
    row = tsv_field(EVIL + "\\x41\\")
    assert not any(_unseen(c) for c in row)
    back = row.encode("ascii", "backslashreplace").decode("unicode_escape")
    assert back == EVIL + "\\x41\\"


@pytest.fixture(scope="module")
def evil_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("evil")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(EVIL, encoding="utf-8")
    (corpus / "plain.txt").write_text("Zebra plain\nThe zebra crossing.\n", encoding="utf-8")
    done = _run(root, "index", "-q")
    assert done.returncode == 0, done.stderr
    return root


def _run(cwd: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "SYRSEARCH_INDEX")}
    env["SYRSEARCH_CORPUS"] = "corpus"
    return subprocess.run(
        [*syrsearch_exe(), *args], cwd=cwd, input=stdin, capture_output=True, env=env, timeout=120
    )


MACHINE = [
    ("query", "zebra", "-f", "json"),
    ("query", "zebra", "-f", "jsonl"),
    ("query", "zebra", "-f", "tsv"),
    ("query", "zebra", "--count", "-f", "json"),
    ("query", "--explain", "-f", "json", "zebra \x9b \u202e"),
    ("query", "-"),
    ("query", "-", "-f", "tsv"),
    ("show", "evil", "-f", "json"),
    ("show", "evil", "-f", "tsv"),
    ("similar", "plain", "-f", "json"),
    ("similar", "plain", "-f", "jsonl"),
    ("similar", "plain", "-f", "tsv"),
    ("export",),
    ("export", "-f", "bulk"),
    ("stats", "--json"),
    ("stats", "-f", "tsv"),
    ("index", "--json"),
]


@pytest.mark.parametrize("args", MACHINE, ids=" ".join)
def test_every_machine_format_escapes_every_unseen_character(evil_folder, args) -> None:
    stdin = f"zebra\nzebra {HOSTILE}\n".encode() if "-" in args else None
    done = _run(evil_folder, *args, stdin=stdin)
    assert done.returncode in (0, 1), done.stderr
    text = done.stdout.decode("utf-8")
    allowed = "\n\t" if "tsv" in args else "\n"
    bad = sorted({f"U+{ord(c):04X}" for c in text if _unseen(c) and c not in allowed})
    assert not bad, (args, bad)
    if args[0] == "export":
        docs = [json.loads(x) for x in text.splitlines()]
        article = next(d for d in docs if d.get("id") == "evil")
        assert article["body"].startswith("The zebra\x1b[2J")  # escaped, not lost


@pytest.mark.parametrize("fmt", ["text", "rich"])
def test_human_formats_show_controls_and_bidi_as_symbols(evil_folder, fmt) -> None:
    for args in (("query", "zebra"), ("show", "evil")):
        done = _run(evil_folder, *args, "-f", fmt, "--color", "never")
        text = done.stdout.decode("utf-8")
        assert done.returncode == 0
        hostile = [c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Zl", "Zp")]
        bidi = [c for c in text if unicodedata.bidirectional(c) in ("LRE", "RLE", "LRO", "RLO",
                "PDF", "LRI", "RLI", "FSI", "PDI", "LRM", "RLM", "ALM")]  # fmt: skip
        assert not hostile and not bidi, (args, fmt)


# -- bounded queries -----------------------------------------------------------------------

HOSTILE_QUERIES = [
    "mk00263r0~99999 body_z:opposition",
    "595024177833~9",
    "*a*",
    "*",
    "mil*mil?",
    "?*?*?*?*e",
    "minister^1e9 ceasefire^99999999 Syria^-3",
    '"Lavrov Kerry"~99999',
    "x" * 3000,
    "foo:bar zzzqqq",
    " ".join(f"w{i}:text{i}" for i in range(45)),
    " ".join(["ceasefire OR", "NOT (", "Lavrov AND", '"', "title:"] * 400),
    "(a OR (b AND " * 40 + "c" + "))" * 40,
    "(a OR " * 2000 + "b" + ")" * 2000,
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: repr(q[:30]))
def test_a_hostile_query_ends_quickly_with_at_most_one_line(run_cli, indexed, query) -> None:
    for extra in ([], ["--any"], ["--explain"]):
        done = run_cli("query", "--count", *extra, "--", query, timeout=30)
        assert done.returncode in (0, 1, 2), done.stderr
        assert done.stderr.count("\n") <= 1, done.stderr
        assert "Traceback" not in done.stderr and "unexpected" not in done.stderr


def test_a_fuzzy_distance_is_at_most_2_with_a_notice(runner, indexed) -> None:
    far = runner.invoke(app, ["query", "--count", "Lavrof~9"])
    near = runner.invoke(app, ["query", "--count", "Lavrof~2", "--no-messages"])
    assert far.stdout == near.stdout == "5\n"
    assert far.stderr == "syrsearch: 'Lavrof~9' read as 'Lavrof~2' (at most 2 edits)\n"
    explained = runner.invoke(app, ["query", "--explain", "Lavrof~9"]).stdout
    assert "Lavrof -> lavrof~2" in explained and "note:   'Lavrof~9' read as" in explained
    # a distance of many digits is one number, read as 2: not ~9 and a word 9999
    many = runner.invoke(app, ["query", "--count", "Lavrof~99999"])
    assert many.stdout == "5\n"
    assert many.stderr == "syrsearch: 'Lavrof~99999' read as 'Lavrof~2' (at most 2 edits)\n"
    huge = runner.invoke(app, ["query", "--count", "--no-messages", "Lavrof~" + "9" * 5000 + "/1"])
    assert huge.stdout == "5\n"


def test_expansions_are_capped_with_a_notice_and_max_expansions_raises_the_cap(
    runner, indexed
) -> None:
    # The budget is the whole query's, in every field searched: 4 is 2 in title and 2 in body.
    capped = runner.invoke(app, ["query", "--count", "--max-expansions", "4", "s*"])
    assert capped.exit_code == 0
    (line,) = capped.stderr.splitlines()
    assert line.startswith("syrsearch: 's*' matches ") and "searched the first 2" in line
    matched = int(line.split(" matches ")[1].split()[0].replace(",", ""))
    enough = str(2 * matched)
    whole = runner.invoke(app, ["query", "--count", "--max-expansions", enough, "s*"])
    assert whole.stderr == ""
    explained = runner.invoke(app, ["query", "--explain", "--max-expansions", "4", "s*"]).stdout
    assert explained.count("Term('body'") == 2 and "searched the first 2" in explained
    assert explained.count("Term('title'") <= 2
    explained = runner.invoke(app, ["query", "--explain", "s*"]).stdout
    assert explained.count("Term('body'") == matched
    default = runner.invoke(app, ["query", "--count", "s*"])
    assert default.stdout == whole.stdout and default.stderr == ""


def test_patterns_of_a_query_share_one_budget_of_expansions(runner, indexed) -> None:
    # The first pattern takes its share of the 6 in each of the two fields,
    # the next what is left (a pattern always searches at least one term).
    one = runner.invoke(app, ["query", "--explain", "--max-expansions", "6", "s* OR *a*"]).stdout
    (first,) = [line for line in one.splitlines() if "'s*' matches" in line]
    (second,) = [line for line in one.splitlines() if "'*a*' matches" in line]
    assert "searched the first 3 " in first and "searched the first 1 " in second
    assert one.count("Term('body'") == 3 + 1


def test_short_words_get_fewer_fuzzy_edits_with_a_notice(runner, indexed) -> None:
    """Elasticsearch's AUTO: no edit under 3 letters, one under 6."""
    short = runner.invoke(app, ["query", "--count", "to~2 Syria"])
    plain = runner.invoke(app, ["query", "--count", "to Syria"])
    assert short.stdout == plain.stdout
    assert "'to~2' read as 'to' (a fuzzy word needs 3 letters, two edits 6)" in short.stderr
    explained = runner.invoke(app, ["query", "--explain", "Kery~2"]).stdout
    assert "Kery -> keri~1" in explained and "'Kery~2' read as 'Kery~1'" in explained
    kerry = runner.invoke(app, ["query", "--count", "Kerry"]).stdout
    assert runner.invoke(app, ["query", "--count", "Kery~2"]).stdout == kerry


def test_a_fuzzy_word_stands_for_its_closest_terms(seed_index, monkeypatch) -> None:
    from syrsearch.engine.query import bounds
    from syrsearch.engine.query.bounds import MAX_FUZZY_EXPANSIONS, fuzzy_terms

    with seed_index.reading() as r:
        within = r.lexicon.terms_within("body", "sai", 2, 1)
        # The same terms Whoosh's own (slower) search finds.
        assert within == {t.decode() if isinstance(t, bytes) else t
                          for t in r.reader.terms_within("body", "sai", 2, prefix=1)}  # fmt: skip
        found = fuzzy_terms(r.lexicon, "body", "said", 2, 1, 3)
        assert found.matched == len(r.lexicon.terms_within("body", "said", 2, 1)) > 3
        # the word itself, then one edit away ('sai' sorts before 'said'), then two
        assert found.terms[:2] == ("said", "sai")
        distances = [_osa(t, "said") for t in found.terms]
        assert distances == sorted(distances)
        assert MAX_FUZZY_EXPANSIONS == 50
        monkeypatch.setattr(bounds, "MAX_FUZZY_EXPANSIONS", 2)
        capped = fuzzy_terms(r.lexicon, "body", "said", 2, 1, 10_000)
        assert capped.terms == ("said", "sai") and capped.matched == found.matched


def _osa(a: str, b: str) -> int:
    from whoosh.support.levenshtein import damerau_levenshtein

    return int(damerau_levenshtein(a, b))


def test_a_query_has_a_budget_of_phrases_with_a_notice(runner, indexed) -> None:
    from syrsearch.engine.query.bounds import MAX_PHRASES

    places = ("Syria", "Geneva", "Moscow", "Astana", "Aleppo", "Vienna")
    phrases = " ".join(f'"ceasefire talks {w}"' for w in places)
    explained = runner.invoke(app, ["query", "--explain", phrases]).stdout
    assert explained.count("Phrase(") == MAX_PHRASES  # title and body counted apart
    assert f"phrases are searched in {MAX_PHRASES} spellings in all" in explained
    assert "And([Term('body', 'ceasefir'), Term('body', 'talk'), Term('body', 'vienna')])" in (
        explained
    )  # the last ones as their words
    few = runner.invoke(app, ["query", "--explain", '"ceasefire talks"']).stdout
    assert "spellings in all" not in few


HOSTILE_SHAPES = [
    "NOT (rebels OR Geneva) ceasefire",
    "(ceasefire ANDNOT (Geneva OR NOT Syria)) OR (talks ANDMAYBE Lavrov^3)",
    '(Syria AND (NOT ceasefire OR (Geneva AND talks))) OR "foreign minister"~3',
    "ceasefire^2 OR Lavrov^0.5 OR (NOT rebels AND (Kerry ANDNOT talks)) OR *stan* OR Kery~1",
]


@pytest.mark.parametrize("text", HOSTILE_SHAPES)
def test_a_query_matched_part_by_part_scores_as_whoosh_does(seed_index, text) -> None:
    """The same articles and scores from Whoosh's walk and from the table
    of each part (:class:`Scored`), and from the NOT parts as sets."""
    from syrsearch.engine.query import build_query
    from syrsearch.engine.query.bounds import Scored, unscored_as_sets
    from syrsearch.engine.ranking import top_docs
    from syrsearch.engine.schema import SEARCH_FIELDS

    with seed_index.reading() as r:
        q = build_query(text, r.lexicon, SEARCH_FIELDS).query
        q = q.child if isinstance(q, Scored) else q
        whoosh = [(h.docnum, round(h.score, 9)) for h in top_docs(r.searcher, q, None, {})]
        scored = top_docs(r.searcher, Scored(q), None, {})
        sets = top_docs(r.searcher, unscored_as_sets(q), None, {})
        assert whoosh
        assert [(h.docnum, round(h.score, 9)) for h in scored] == whoosh
        assert [(h.docnum, round(h.score, 9)) for h in sets] == whoosh


def test_a_leading_wildcard_matches_inside_words(runner, indexed) -> None:
    paths = runner.invoke(app, ["query", "*stana", "-f", "paths"]).stdout.split()
    assert paths == runner.invoke(app, ["query", "Astana", "-f", "paths"]).stdout.split()
    assert paths


def test_boosts_are_clamped_with_a_notice(runner, indexed) -> None:
    huge = runner.invoke(app, ["query", "Lavrov^1000 OR Astana", "-f", "json"])
    clamped = runner.invoke(app, ["query", "Lavrov^100 OR Astana", "-f", "json"])
    assert huge.stderr == "syrsearch: boosts read within 0 and 100 (^N)\n"
    assert json.loads(huge.stdout)["hits"] == json.loads(clamped.stdout)["hits"]


def test_many_clauses_are_searched_as_any_with_a_notice(runner, indexed) -> None:
    text = " ".join(["Astana"] + [f"zz{i}" for i in range(300)])
    result = runner.invoke(app, ["query", "--count", text])
    assert result.stdout == "1\n"  # all-words would find nothing
    assert "searched as --any on its first 256 words" in result.stderr


def test_a_deep_batch_line_is_one_error_and_the_batch_goes_on(run_cli, indexed) -> None:
    deep = "(a OR (b AND " * 300 + "c" + "))" * 300
    done = run_cli("query", "-", "--limit", "1", input=f"Astana\n{deep}\nJubeir\n")
    assert done.returncode == ExitCode.ERROR
    answered = [json.loads(line)["query"] for line in done.stdout.splitlines()]
    assert answered == ["Astana", "Jubeir"]
    assert done.stderr == (
        "syrsearch: error: line 2: query nested too deeply (use at most 32 levels of parentheses)\n"
    )


def test_timeout_prints_what_was_found_with_a_notice(runner, indexed) -> None:
    result = runner.invoke(app, ["query", "*a*", "--timeout", "0.000001", "-f", "json"])
    assert result.exit_code in (0, 1)
    assert result.stderr.startswith("syrsearch: search stopped after 1e-06 s (--timeout)")
    assert json.loads(result.stdout)["total"] == len(json.loads(result.stdout)["hits"])
    free = runner.invoke(app, ["query", "*a*", "--timeout", "0", "--count"])
    assert free.exit_code == 0 and free.stderr == "" and int(free.stdout) == 5


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1"])
@pytest.mark.parametrize("option", [("index", "--wait"), ("query", "x", "--timeout")])
def test_seconds_must_be_a_finite_number(run_cli, value, option) -> None:
    done = run_cli(*option, value, timeout=30)
    assert done.returncode == ExitCode.ERROR
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("syrsearch: error: ")


def test_long_words_get_no_suggestion_search(runner, indexed) -> None:
    result = runner.invoke(app, ["query", "Lavrovv" + "x" * 3000])
    assert result.exit_code == 1 and "did you mean" not in result.stderr


# -- the error path ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("package", "init", "library", "query"),
    [
        ("whoosh", "", "Whoosh", "ceasefire"),  # the folder left, its modules gone
        ("whoosh", "raise RuntimeError('half removed')\n", "Whoosh", "ceasefire"),
        ("rich", "", "Rich", "ceasefire"),
        ("rapidfuzz", "", "RapidFuzz", "Lavrof~1"),  # loaded for fuzzy words only
    ],
)
def test_a_missing_or_damaged_library_is_one_line(
    run_cli, indexed, tmp_path, package, init, library, query
) -> None:
    fake = tmp_path / "fake" / package
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(init)
    env = {"PYTHONPATH": str(fake.parent)}
    done = run_cli("query", query, "-f", "rich", env=env)
    assert done.returncode == ExitCode.ERROR
    assert done.stderr == (
        f"syrsearch: error: the {library} library is missing or damaged (reinstall syrsearch)\n"
    )
    usage = run_cli("query", "--limit", "x", "ceasefire", env=env)
    assert usage.returncode == ExitCode.ERROR and usage.stderr.count("\n") == 1


# -- reading the corpus --------------------------------------------------------------------


def test_every_file_is_indexed_or_named_in_a_warning(run_cli, in_tmp, tmp_path) -> None:
    corpus = in_tmp / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Good\nThe ceasefire held.\n")
    outside = tmp_path / "outside.txt"
    outside.write_text("Outside\nThe ceasefire outside.\n")
    (corpus / "out.txt").symlink_to(outside)
    (corpus / "in.txt").symlink_to(corpus / "good.txt")
    os.mkfifo(corpus / "fifo.txt")
    os.mkfifo(corpus / "dev.txt")
    (corpus / os.fsdecode(b"a\xff.txt")).write_text("Invalid\nThe ceasefire one.\n")
    (corpus / "a\\xff.txt").write_text("Literal\nThe ceasefire two.\n")
    word = "ceasefire "
    (corpus / "huge.txt").write_text("Huge\n" + word * 250_000 + "\u00e9" * 10)  # 2.5 M chars
    done = run_cli("index", "--corpus", "corpus", "--json", timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    warned = {line.split(": ")[2] for line in done.stderr.splitlines() if ": warning: " in line}
    assert warned == {"fifo.txt", "dev.txt", "out.txt", "huge.txt", "a\\xff.txt (2)"}
    assert "outside the corpus: not followed (--follow-links" in done.stderr
    assert "the name of another file: not indexed" in done.stderr
    assert "only the first 2,000,000 indexed" in done.stderr
    assert len(report["skipped"]) == 4
    paths = run_cli("query", "ceasefire", "-f", "paths", "--limit", "0").stdout.split()
    assert sorted(paths) == ["corpus/a\\xff.txt", "corpus/good.txt", "corpus/huge.txt",
                             "corpus/in.txt"]  # fmt: skip
    huge = json.loads(run_cli("show", "huge", "-f", "json").stdout)
    assert len(huge["title"]) + len(huge["body"]) == 2_000_000 - 1  # the newline between
    followed = run_cli("index", "--corpus", "corpus", "--follow-links", "-q")
    assert followed.returncode == 0
    paths = run_cli("query", "ceasefire", "-f", "paths", "--limit", "0").stdout.split()
    assert "corpus/out.txt" in paths


def test_a_file_replaced_by_a_fifo_after_the_scan_never_blocks(tmp_path) -> None:
    code = (
        "import os, sys; from pathlib import Path; from syrsearch.corpus import read_bytes, "
        "Unreadable\nroot = Path(sys.argv[1]); os.mkfifo(root / 'a.txt')\n"
        "try:\n    read_bytes(root, 'a.txt')\nexcept Unreadable as exc:\n    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=30
    )
    assert done.stdout == "not a regular file\n", done.stderr


def test_a_folder_that_cannot_be_listed_is_warned_and_counted(
    index_of, tmp_path, monkeypatch
) -> None:
    from syrsearch import corpus as corpus_module
    from syrsearch.engine.indexer import update_index

    root = tmp_path / "c"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "x.txt").write_text("X\nceasefire\n")
    (root / "a.txt").write_text("A\nceasefire\n")
    real = os.scandir

    def scandir(path: str):  # as for a folder without read permission (tests may run as root)
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(corpus_module.os, "scandir", scandir)
    warnings: list[tuple[str, str]] = []
    report = update_index(root, tmp_path / "index", warn=lambda p, w: warnings.append((p, w)))
    assert warnings == [("locked/", "folder cannot be listed: Permission denied")]
    assert report.skipped == warnings and report.added == 1


def test_the_term_table_read_in_one_piece_is_whooshs_term_list(tmp_path) -> None:
    from syrsearch.engine.index import open_index
    from syrsearch.engine.indexer import update_index
    from syrsearch.engine.lexicon import segment_terms, term_text

    from .conftest import SEEDS

    corpus = tmp_path / "c"
    corpus.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:3]:
        (corpus / path.name).write_bytes(path.read_bytes())
    update_index(corpus, tmp_path / "index")
    for path in sorted(SEEDS.glob("*.txt"))[3:]:  # a second segment
        (corpus / path.name).write_bytes(path.read_bytes())
    update_index(corpus, tmp_path / "index")
    with open_index(tmp_path / "index").reading() as r:
        segments = [sub for sub, _ in r.reader.leaf_readers()]
        assert len(segments) == 2
        for sub in segments:
            for field in ("id", "title", "body", "path", "nosuch"):
                whoosh_list = [] if field == "nosuch" else list(map(term_text, sub.lexicon(field)))
                assert segment_terms(sub, field) == whoosh_list


# -- readers and writers -------------------------------------------------------------------

WRITER = """
import sys, time
from pathlib import Path
from syrsearch.engine.indexer import update_index
corpus, index, stop = Path(sys.argv[1]), Path(sys.argv[2]), time.monotonic() + float(sys.argv[3])
n = 0
while time.monotonic() < stop:
    n += 1
    (corpus / f"new{n % 7}.txt").write_text(f"New {n}\\nThe ceasefire talks went on, round {n}.\\n")
    if n % 3 == 0:
        (corpus / f"new{(n + 3) % 7}.txt").unlink(missing_ok=True)
    update_index(corpus, index)
print(n)
"""


@pytest.mark.slow
def test_readers_never_fail_while_commits_follow_each_other(tmp_path) -> None:
    """Every command's reads against back-to-back incremental commits (which
    merge segments): thousands of reads, none failing."""
    from syrsearch import index_stats, open_index, search
    from syrsearch.app import articles, show
    from syrsearch.engine.similar import similar

    from .conftest import SEEDS

    corpus, index = tmp_path / "c", tmp_path / "index"
    corpus.mkdir()
    for path in SEEDS.glob("*.txt"):
        (corpus / path.name).write_bytes(path.read_bytes())
    for n in range(7):
        (corpus / f"new{n}.txt").write_text(f"New\nThe ceasefire talks, {n}.\n")
    from syrsearch.engine.indexer import update_index

    update_index(corpus, index)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(corpus), str(index), "40"], stdout=subprocess.PIPE
    )
    reads, failures = 0, []
    deadline = time.monotonic() + 45
    try:
        while writer.poll() is None and time.monotonic() < deadline:
            with open_index(index) as ix:
                try:
                    kind = reads % 5
                    if kind == 0:
                        assert search(ix, "ceasefire", limit=None).total >= 5
                    elif kind == 1:
                        assert len(list(articles(ix))) >= 9
                    elif kind == 2:
                        show(ix, "000", highlight="ceasefire")
                    elif kind == 3:
                        index_stats(ix)
                    else:
                        similar(ix, "003")
                except Exception as exc:  # every failure is counted
                    failures.append(f"{type(exc).__name__}: {exc}")
            reads += 1
        commits = int(writer.communicate(timeout=120)[0] or 0)
    finally:
        writer.kill()
    assert not failures, (reads, failures[:5])
    assert reads >= 100 and commits >= 20, (reads, commits)
    live = index / (index / "CURRENT").read_text().strip()
    update_index(corpus, index)  # no reader now: what the commits merged away goes
    toc_segments = {p.name.split(".")[0] for p in live.glob("MAIN_*.*")}
    assert len(toc_segments) <= 12, sorted(toc_segments)


# -- a full disk ---------------------------------------------------------------------------

FULL_DISK = """
import errno, sys
from whoosh.filedb import structfile
budget = [int(sys.argv[1])]
real = structfile.StructFile.write
def write(self, data):
    budget[0] -= len(data)
    if budget[0] < 0:
        raise OSError(errno.ENOSPC, "No space left on device")
    return real(self, data)
structfile.StructFile.write = write
sys.argv = ["syrsearch", *sys.argv[2:]]
from syrsearch.cli import main
main()
"""


def _full_disk(cwd: Path, budget: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(budget), *args],
        cwd=cwd, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("rebuild", [False, True], ids=["update", "rebuild"])
def test_a_full_disk_is_one_line_and_leaves_the_previous_index(run_cli, indexed, rebuild) -> None:
    before = run_cli("query", "--count", "ceasefire").stdout
    live = indexed / "index" / (indexed / "index" / "CURRENT").read_text().strip()
    files = sorted(p.name for p in live.iterdir())
    for n in range(20):
        (indexed / "seeds" / f"new{n}.txt").write_text(f"New {n}\n" + "ceasefire talks " * 500)
    done = _full_disk(indexed, 20_000, "index", *(["--rebuild"] if rebuild else []))
    assert done.returncode == ExitCode.ERROR
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("syrsearch: error: no space left for the index in 'index' (")
    assert "the previous index is unchanged" in done.stderr
    assert sorted(p.name for p in live.iterdir()) == files  # partial files removed
    assert sorted(p.name for p in (indexed / "index").iterdir()) == ["CURRENT", "LOCK", live.name]
    assert run_cli("query", "--count", "ceasefire").stdout == before
    again = run_cli("index", "-q")
    assert again.returncode == 0, again.stderr
    assert int(run_cli("query", "--count", "ceasefire").stdout) == int(before) + 20


# -- damage ----------------------------------------------------------------------------------

DAMAGE_COMMANDS = [
    ["query", "ceasefire", "-f", "json"],
    ["show", "003", "-f", "json"],
    ["similar", "003", "-f", "json"],
    ["stats", "--json"],
    ["export"],
]


def _damage(path: Path, mode: str, rng) -> None:
    data = path.read_bytes()
    if mode == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif mode == "zeroed":
        path.write_bytes(bytes(len(data)))
    elif mode == "emptied":
        path.write_bytes(b"")
    elif mode == "deleted":
        path.unlink()
    else:  # garbled: one byte in fifty flipped
        garbled = bytearray(data)
        for _ in range(max(1, len(garbled) // 50)):
            garbled[rng.randrange(len(garbled))] ^= 0xFF
        path.write_bytes(bytes(garbled))


@pytest.mark.slow
def test_every_kind_of_index_file_damaged_every_way_is_detected(runner, indexed) -> None:
    """Each segment file, the table of contents and CURRENT, truncated, zeroed,
    emptied, deleted or garbled: every command gives the damaged-index error or
    the same answer as before (the damage is in what it does not read, and
    stats' size aside), never "unexpected"; a plain ``index`` recovers."""
    import random
    import shutil

    rng = random.Random(16)
    index = indexed / "index"
    pristine = indexed / "pristine"
    shutil.copytree(index, pristine)
    good = [(r.exit_code, r.stdout) for r in (runner.invoke(app, c) for c in DAMAGE_COMMANDS)]
    live = (index / "CURRENT").read_text().strip()
    names = sorted(
        p.name for p in (index / live).iterdir() if p.name.startswith(("MAIN_", "_MAIN_"))
    )
    names.remove("MAIN_WRITELOCK")
    targets = [f"{live}/{n}" for n in names] + ["CURRENT"]
    seen = []
    for target in targets:
        for mode in ("truncated", "zeroed", "emptied", "deleted", "garbled"):
            shutil.rmtree(index)
            shutil.copytree(pristine, index)
            _damage(index / target, mode, rng)
            for command, before in zip(DAMAGE_COMMANDS, good, strict=True):
                result = runner.invoke(app, command)
                where = (target, mode, command[0])
                assert "unexpected" not in result.stderr, (where, result.stderr)
                if result.exit_code == ExitCode.ERROR:
                    assert result.stderr.count("\n") == 1, where
                    assert "is damaged" in result.stderr, (where, result.stderr)
                    seen.append(where)
                elif command[0] != "stats":
                    assert (result.exit_code, result.stdout) == before, where
            recovered = runner.invoke(app, ["index", "-q"])
            assert recovered.exit_code == 0, (target, mode, recovered.stderr)
            after = [
                (r.exit_code, r.stdout) for r in (runner.invoke(app, c) for c in DAMAGE_COMMANDS)
            ]
            assert after[:3] == good[:3] and after[4] == good[4], (target, mode)
    assert len({t for t, _, _ in seen}) == len(targets)  # every kind was found damaged


def _garble_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    for i in range(middle, min(len(data), middle + 8)):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checksums as for a large index, at the seeds' scale: every file over
    2 KiB is checked by blocks of 1 KiB."""
    from syrsearch.engine import index as engine_index

    monkeypatch.setattr(engine_index, "CHECKSUMMED", 2048)
    monkeypatch.setattr(engine_index, "BLOCK", 1024)
    monkeypatch.setattr(engine_index, "SAMPLED", 4)


def test_garbling_the_middle_of_the_largest_files_is_detected(small_blocks, runner, in_tmp) -> None:
    """The largest files (stored texts, postings, terms) garbled in the middle,
    where a size check sees nothing: every command gives the damaged-index
    error, and a plain ``index`` recovers."""
    import shutil

    assert runner.invoke(app, ["index", "-q"]).exit_code == 0
    index = in_tmp / "index"
    gen = index / (index / "CURRENT").read_text().strip()
    recorded = json.loads((gen / "checksums.json").read_text())["files"]
    blocked = [name for name, entry in recorded.items() if len(entry) == 3]
    assert len(blocked) >= 3  # the larger files have a CRC for each block
    good = [(r.exit_code, r.stdout) for r in (runner.invoke(app, c) for c in DAMAGE_COMMANDS)]
    pristine = in_tmp / "pristine"
    shutil.copytree(index, pristine)
    largest = sorted(blocked, key=lambda n: -(gen / n).stat().st_size)[:3]
    for name in largest:
        shutil.rmtree(index)
        shutil.copytree(pristine, index)
        _garble_middle(gen / name)
        for command in DAMAGE_COMMANDS:
            result = runner.invoke(app, command)
            assert result.exit_code == ExitCode.ERROR, (name, command, result.stdout)
            assert "is damaged" in result.stderr and result.stderr.count("\n") == 1
        assert runner.invoke(app, ["index", "-q"]).exit_code == 0
        after = [(r.exit_code, r.stdout) for r in (runner.invoke(app, c) for c in DAMAGE_COMMANDS)]
        assert after[:3] == good[:3] and after[4] == good[4], name


def test_checksums_cover_any_kind_of_segment_file(small_blocks, seed_index) -> None:
    """A file kind the codec may add later is recorded like the others; a
    block outside the sample checked on open is found by the writer's check
    of every block."""
    from syrsearch.engine import index as engine_index

    gen = seed_index.generation
    seed_index.close()
    segment = next(p.name for p in gen.iterdir() if p.name.endswith(".trm"))
    extra = gen / segment.replace(".trm", ".newkind")
    extra.write_bytes(bytes(range(256)) * 64)  # 16 blocks
    engine_index.write_checksums(gen)
    entry = json.loads((gen / "checksums.json").read_text())["files"][extra.name]
    assert entry[0] == 16384 and len(entry[2]) == 16
    assert engine_index.checksums_hold(gen, every_block=True)
    data = bytearray(extra.read_bytes())
    data[5 * 1024 + 3] ^= 1  # block 5: not the first, middle or last
    extra.write_bytes(bytes(data))
    assert not engine_index.checksums_hold(gen, every_block=True)
    _garble_middle(extra)
    assert not engine_index.checksums_hold(gen)


@pytest.mark.parametrize("kind", ["folder", "bytes"])
def test_a_current_that_is_a_folder_or_not_utf8_is_fixed_by_rebuild(run_cli, indexed, kind) -> None:
    import shutil

    current = indexed / "index" / "CURRENT"
    current.unlink()
    if kind == "folder":
        current.mkdir()
        (current / "x").write_text("x")
    else:
        current.write_bytes(b"\xff\xfe\x00gen-\x9b")
    broken = run_cli("query", "ceasefire")
    assert broken.returncode == ExitCode.ERROR and broken.stderr.count("\n") == 1
    assert "damaged" in broken.stderr and "unexpected" not in broken.stderr
    fixed = run_cli("index", "--rebuild", "-q")
    assert fixed.returncode == 0, fixed.stderr
    assert run_cli("query", "--count", "ceasefire").stdout == "4\n"
    shutil.rmtree(indexed / "index")
