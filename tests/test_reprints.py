"""Reprints: groups of near-duplicate articles, ``query --collapse`` and
``show --reprints``, kept right by incremental runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from syrsearch import open_index, update_index
from syrsearch.cli import app
from syrsearch.engine.reprints import Groups, jaccard, reprint_group, shingles
from syrsearch.errors import ExitCode

STORY = (
    "Russia, Turkey and Iran agreed on Tuesday to set up a joint mechanism to monitor the "
    "ceasefire in Syria, at the end of two days of talks in the Kazakh capital Astana. "
    "The three countries said in a final statement that they would act as guarantors of "
    "the truce, which came into effect on December 30 and has largely held despite "
    "violations on both sides. The Syrian government delegation, led by Bashar al-Jaafari, "
    "said the talks had succeeded in consolidating the ceasefire. The rebel delegation "
    "refused to sign the statement, saying Iran could not be a guarantor while its "
    "militias were fighting near Damascus. The UN envoy Staffan de Mistura said the "
    "next round of political talks would open in Geneva on February 8.\n"
)
ORIGINAL = "Russia, Turkey, Iran agree on Syria truce mechanism\n2017-01-24\nBy TASS\n\n" + STORY
# The same story, retitled, one sentence rewritten, another outlet's header and footer.
REWRITE = (
    "Astana talks end with ceasefire monitoring deal\n2017-01-25\nBy Sputnik\n\n"
    + STORY.replace(
        "The rebel delegation refused to sign the statement, saying Iran could not be a "
        "guarantor while its militias were fighting near Damascus.",
        "Opposition negotiators declined to endorse the text and accused Tehran of "
        "backing militias around the capital.",
    )
    + "\nShare this article\nFollow Sputnik on Twitter\n© 2017 Sputnik\n"
)
# Another article on the same talks, in other words.
OTHER = (
    "Syrian opposition walks out of Astana statement\n2017-01-24\nBy Reuters\n\n"
    "Syrian rebels said on Tuesday they would not sign the closing statement of the Astana "
    "talks, accusing Iran of sending militias to fight alongside government forces. "
    "Mohammed Alloush, who led the rebel delegation, told reporters that the opposition "
    "wanted Russia to pressure Damascus and Tehran into halting attacks near the capital. "
    "Western diplomats in Astana said the meeting had done little beyond restating the "
    "truce agreed in December, and that the real test would come in Geneva next month.\n"
)


@pytest.fixture
def wires(make_corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corpus with a story, a byte-identical copy, a light rewrite and an
    unrelated article on the same talks, indexed; the working folder."""
    root = make_corpus(
        {
            "tass/001.txt": ORIGINAL,
            "mirror/002.txt": ORIGINAL,
            "sputnik/003.txt": REWRITE,
            "reuters/004.txt": OTHER,
        },
        name="seeds",
    )
    update_index(root, tmp_path / "index")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(runner, *args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "80"})


def groups_of(folder: Path) -> set[frozenset[str]]:
    with open_index(folder / "index") as index, index.reading() as r:
        groups = Groups(r)
        return {frozenset(groups.ids(groups.group(d))) for d in r.reader.all_doc_ids()}


def test_shingles_leave_out_site_chrome() -> None:
    a, b = shingles(ORIGINAL.split("\n", 1)[1]), shingles(REWRITE.split("\n", 1)[1])
    assert not [s for s in b if "twitter" in s or "share this" in s]
    assert 0.5 <= jaccard(a, b) < 1.0
    assert jaccard(a, shingles(OTHER)) < 0.1


def test_groups_are_the_story_and_its_reprints(wires) -> None:
    assert groups_of(wires) == {
        frozenset({"tass/001", "mirror/002", "sputnik/003"}),
        frozenset({"reuters/004"}),
    }


def test_collapse_shows_one_hit_per_group_and_says_what_it_folded(runner, wires) -> None:
    result = invoke(runner, "query", "Astana", "--collapse", "-f", "text", "--snippets", "0")
    assert result.exit_code == ExitCode.OK
    count, *blocks = result.stdout.strip().split("\n\n")
    assert count == "4 articles" and len(blocks) == 2
    story = next(b for b in blocks if "reprints" in b)
    # The best scoring of the three is shown; the two others named, by source.
    assert story.splitlines()[-1] in (
        "   +2 reprints: TASS, Sputnik",  # a TASS copy shown: the other TASS and Sputnik
        "   +2 reprints: TASS \u00d72, first 2017-01-24",  # Sputnik's shown, a day after
    )
    assert "reprint" not in next(b for b in blocks if b is not story)
    plain = invoke(runner, "query", "Astana", "--no-collapse", "-f", "text").stdout
    assert plain.count("\n\n") == 5 and "reprint" not in plain


def test_collapse_is_the_default_on_a_terminal_only(runner, wires) -> None:
    rich = invoke(runner, "query", "Astana", "-f", "rich", "--color", "never").stdout
    assert "+2 reprints:" in rich
    piped = invoke(runner, "query", "Astana").stdout  # CliRunner is not a terminal
    assert "reprint" not in piped and piped.count("\n\n") == 5


def test_json_gives_the_group_and_its_members(runner, wires) -> None:
    data = json.loads(invoke(runner, "query", "Astana", "--collapse", "-f", "json").stdout)
    assert data["total"] == 4  # every match is still counted
    story = next(h for h in data["hits"] if h["reprints"])
    assert story["group"] == "mirror/002"  # a group is named by its smallest id
    members = {story["id"], *(p["id"] for p in story["reprints"])}
    assert members == {"tass/001", "mirror/002", "sputnik/003"}
    assert all(p["matched"] for p in story["reprints"])
    # Earliest first: 2017-01-24 before 2017-01-25.
    assert [p["date"] for p in story["reprints"]] == sorted(p["date"] for p in story["reprints"])
    alone = next(h for h in data["hits"] if h["id"] == "reuters/004")
    assert (alone["group"], alone["reprints"]) == ("reuters/004", [])
    uncollapsed = json.loads(invoke(runner, "query", "Astana", "-f", "json").stdout)
    assert "group" not in uncollapsed["hits"][0]


def test_show_reprints_lists_the_group(runner, wires) -> None:
    text = invoke(runner, "show", "sputnik/003", "--reprints").stdout.splitlines()
    assert text[0] == "reprint group mirror/002: 3 articles"
    assert [line[2:].split()[0] for line in text[1:]] == ["mirror/002", "tass/001", "sputnik/003"]
    assert text[3].startswith("* sputnik/003  2017-01-25 · Sputnik  Astana talks end")
    data = json.loads(invoke(runner, "show", "reuters/004", "--reprints", "-f", "json").stdout)
    assert data == {
        "id": "reuters/004",
        "group": "reuters/004",
        "members": [
            {
                "id": "reuters/004",
                "path": "seeds/reuters/004.txt",
                "title": "Syrian opposition walks out of Astana statement",
                "date": "2017-01-24",
                "source": "Reuters",
                "matched": False,
            }
        ],
    }


def test_incremental_runs_keep_groups_right(wires) -> None:
    root = wires / "seeds"
    (root / "mirror/002.txt").unlink()  # a member removed
    update_index(root, wires / "index")
    assert groups_of(wires) == {frozenset({"tass/001", "sputnik/003"}), frozenset({"reuters/004"})}
    (root / "sputnik/003.txt").write_text(OTHER.replace("Reuters", "AFP"), encoding="utf-8")
    update_index(root, wires / "index")  # a member changed into another story
    assert groups_of(wires) == {frozenset({"tass/001"}), frozenset({"sputnik/003", "reuters/004"})}
    shutil.copy(root / "tass/001.txt", root / "tass/005.txt")  # a member added
    update_index(root, wires / "index")
    assert groups_of(wires) == {
        frozenset({"tass/001", "tass/005"}),
        frozenset({"sputnik/003", "reuters/004"}),
    }
    with open_index(wires / "index") as index:
        assert [p.id for p in reprint_group(index, "tass/005").members] == ["tass/001", "tass/005"]


def test_collapse_in_the_installed_command(run_cli, wires) -> None:
    done = run_cli("query", "truce", "--collapse", "-f", "jsonl")
    assert done.returncode == 0, done.stderr
    hits = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted(len(h["reprints"]) for h in hits) == [0, 2]


def test_collapsed_hits_match_their_golden_file(runner, wires) -> None:
    from .test_golden import GOLDEN, UPDATE, normalised

    result = invoke(runner, "query", "Astana", "-f", "rich", "--color", "never", "--snippets", "1")
    actual = normalised(result.stdout, wires)
    path = GOLDEN / "query_collapse_rich.txt"
    if UPDATE:
        path.write_bytes(actual.encode("utf-8"))
        pytest.skip(f"wrote {path.name}")
    assert actual == path.read_bytes().decode("utf-8")


def test_every_hit_on_a_terminal_is_not_collapsed_unless_asked(runner, wires) -> None:
    rich = ["-f", "rich", "--color", "never", "--snippets", "0"]
    assert "reprint" not in invoke(runner, "query", "Astana", "--limit", "0", *rich).stdout
    assert "+2 reprints" in invoke(runner, "query", "Astana", "-n", "0", "--collapse", *rich).stdout
