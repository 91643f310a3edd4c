"""Machine output: formats, the JSON schema, exit codes, colour, batch mode, export."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from syrsearch.cli import app
from syrsearch.errors import ExitCode
from syrsearch.output.records import tsv_field
from syrsearch.output.terminal import ColorMode, OutputFormat, resolve_color, resolve_format, safe

from .conftest import syrsearch_exe

HIT_KEYS = [
    "rank", "id", "path", "title", "score", "snippets", "title_highlights",
    "date", "source", "sources", "urls", "lang",
]  # fmt: skip
ALL_FORMATS = [f.value for f in OutputFormat]


def query(runner, *args: str, input: str | None = None, env: dict[str, str] | None = None):
    return runner.invoke(app, ["query", *args], input=input, env=env)


# -- formats -------------------------------------------------------------------------------


def test_json_schema_is_stable(runner, indexed) -> None:
    result = query(runner, "ceasefire", "--format", "json")
    data = json.loads(result.stdout)
    assert list(data) == ["query", "total", "hits", "suggestion"]
    assert data["query"] == "ceasefire" and data["total"] == 4
    assert data["suggestion"] is None
    for rank, hit in enumerate(data["hits"], 1):
        assert list(hit) == HIT_KEYS
        assert hit["rank"] == rank
        assert isinstance(hit["score"], float)
        assert Path(indexed / hit["path"]).is_file()
        for snippet in hit["snippets"]:
            assert list(snippet) == ["text", "highlights"]
            for start, end in snippet["highlights"]:
                assert 0 <= start < end <= len(snippet["text"])
                assert snippet["text"][start:end].lower().replace("-", "").startswith("ceasefire")
    scores = [h["score"] for h in data["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_jsonl_is_one_hit_per_line_same_as_json(runner, indexed) -> None:
    whole = json.loads(query(runner, "Lavrov", "-f", "json").stdout)["hits"]
    lines = query(runner, "Lavrov", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == whole


def test_total_counts_beyond_the_limit(runner, indexed) -> None:
    data = json.loads(query(runner, "Syria", "-f", "json", "--limit", "2").stdout)
    assert data["total"] == 5 and len(data["hits"]) == 2


def test_tsv_columns_and_escaping(runner, indexed) -> None:
    rows = [line.split("\t") for line in query(runner, "Lavrov", "-f", "tsv").stdout.splitlines()]
    assert len(rows) == 5
    for rank, row in enumerate(rows, 1):
        assert len(row) == 8
        assert row[7] == "en"
        assert row[0] == str(rank)
        float(row[1])
        assert row[4] == f"seeds/{row[2]}.txt"
    assert tsv_field("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"


def test_paths_and_null(runner, indexed) -> None:
    plain = query(runner, "Astana OR Jubeir", "-f", "paths").stdout
    ranked = [
        h["path"]
        for h in json.loads(query(runner, "Astana OR Jubeir", "-f", "json").stdout)["hits"]
    ]
    assert plain.splitlines() == ranked
    assert sorted(ranked) == ["seeds/003_325ec279d4bf9786.txt", "seeds/004_27f4b5ccaf5df4df.txt"]
    nul = query(runner, "Astana OR Jubeir", "-f", "paths", "-0").stdout
    assert nul.count("\0") == 2 and "\n" not in nul


def test_count(runner, indexed) -> None:
    assert query(runner, "--count", "ceasefire").stdout == "4\n"
    assert json.loads(query(runner, "-c", "-f", "json", "Astana").stdout) == {
        "query": "Astana",
        "total": 1,
    }
    none = query(runner, "--count", "xylophone")
    assert (none.stdout, none.exit_code) == ("0\n", ExitCode.NO_MATCH)


@pytest.mark.parametrize("fmt", ALL_FORMATS)
@pytest.mark.parametrize("count", [False, True])
def test_exit_codes_are_the_same_in_every_format(runner, indexed, fmt: str, count: bool) -> None:
    extra = ["--count"] if count else []
    assert query(runner, "ceasefire", "-f", fmt, *extra).exit_code == ExitCode.OK
    none = query(runner, "xylophone", "-f", fmt, *extra)
    assert none.exit_code == ExitCode.NO_MATCH and none.stderr == ""
    bad = query(runner, "", "-f", fmt, *extra)
    assert bad.exit_code == ExitCode.ERROR and bad.stdout == ""


def test_stdout_carries_results_only(runner, in_tmp) -> None:
    # the first query builds the index: all of that talk is on stderr
    result = query(runner, "ceasefire", "-f", "jsonl")
    assert "building" in result.stderr
    for line in result.stdout.splitlines():
        json.loads(line)
    quiet = runner.invoke(app, ["index", "--rebuild", "--no-messages"])
    assert quiet.stderr == "" and quiet.stdout == ""


# -- colour --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "fmt", "tty", "env", "expected"),
    [
        (ColorMode.auto, OutputFormat.rich, True, {}, True),
        (ColorMode.auto, OutputFormat.text, False, {}, False),
        (ColorMode.auto, OutputFormat.rich, True, {"NO_COLOR": "1"}, False),
        (ColorMode.auto, OutputFormat.text, False, {"FORCE_COLOR": "1"}, True),
        (ColorMode.always, OutputFormat.text, False, {"NO_COLOR": "1"}, True),
        (ColorMode.never, OutputFormat.rich, True, {"FORCE_COLOR": "1"}, False),
        (ColorMode.always, OutputFormat.json, True, {}, False),
        (ColorMode.always, OutputFormat.tsv, False, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_resolve_color(mode, fmt, tty, env, expected) -> None:
    assert resolve_color(mode, fmt, tty, env) is expected


def test_resolve_format() -> None:
    assert resolve_format(None, stdout_isatty=True) is OutputFormat.rich
    assert resolve_format(None, stdout_isatty=False) is OutputFormat.text
    assert resolve_format(OutputFormat.tsv, stdout_isatty=True) is OutputFormat.tsv


def test_no_ansi_in_a_pipe_unless_asked(runner, indexed) -> None:
    for fmt in ALL_FORMATS:
        assert "\x1b" not in query(runner, "ceasefire", "-f", fmt).stdout
    assert "\x1b" not in query(runner, "ceasefire", env={"NO_COLOR": "1"}).stdout
    forced = query(runner, "ceasefire", env={"FORCE_COLOR": "1", "TERM": "dumb"}).stdout
    assert "\x1b[1;33mceasefire\x1b[0m" in forced
    rich_always = query(
        runner, "ceasefire", "-f", "rich", "--color", "always", env={"TERM": "dumb"}
    ).stdout
    assert "\x1b[" in rich_always
    for fmt in ("json", "jsonl", "tsv", "paths"):
        coloured = query(
            runner, "ceasefire", "-f", fmt, "--color", "always", env={"FORCE_COLOR": "1"}
        )
        assert "\x1b" not in coloured.stdout


def test_control_characters_never_reach_the_output_raw() -> None:
    assert safe("a\x1b[31mred\x07") == "a\u241b[31mred\u2407"
    assert len(safe("x\x9by\u202e")) == len("x\x9by\u202e")


# -- batch -----------------------------------------------------------------------------------


def test_batch_from_stdin(runner, indexed) -> None:
    queries = 'Astana\n  "Secretary of State"  \nxylophone\n\nJubeir\n'
    result = query(runner, "-", "--limit", "1", input=queries)
    assert result.exit_code == ExitCode.OK
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [h["query"] for h in lines] == ["Astana", '  "Secretary of State"  ', "Jubeir"]
    assert list(lines[0]) == ["query", *HIT_KEYS]
    assert lines[0]["id"] == "003_325ec279d4bf9786"


def test_batch_options_apply_to_each_query(runner, indexed, in_tmp) -> None:
    (in_tmp / "q.txt").write_text("Syria\nceasefire xylophone\n")
    result = query(runner, "--batch", "q.txt", "--limit", "2", "--any")
    counts: dict[str, int] = {}
    for line in result.stdout.splitlines():
        hit = json.loads(line)
        counts[hit["query"]] = counts.get(hit["query"], 0) + 1
    assert counts == {"Syria": 2, "ceasefire xylophone": 2}
    totals = query(runner, "--batch", "q.txt", "--count")
    assert [json.loads(x) for x in totals.stdout.splitlines()] == [
        {"query": "Syria", "total": 5},
        {"query": "ceasefire xylophone", "total": 0},
    ]


def test_batch_exit_codes(runner, indexed) -> None:
    assert query(runner, "-", input="xylophone\nzebra\n").exit_code == ExitCode.NO_MATCH
    mixed = query(runner, "-", input="!!!\nAstana\n")
    assert mixed.exit_code == ExitCode.ERROR
    assert "line 1" in mixed.stderr
    assert json.loads(mixed.stdout)["query"] == "Astana"
    missing = query(runner, "--batch", "nope.txt")
    assert missing.exit_code == ExitCode.ERROR and "nope.txt" in missing.stderr


# -- export ---------------------------------------------------------------------------------------


def test_export_jsonl_has_every_article(runner, indexed) -> None:
    lines = runner.invoke(app, ["export"]).stdout.splitlines()
    docs = [json.loads(line) for line in lines]
    assert [d["id"] for d in docs] == sorted(p.stem for p in (indexed / "seeds").glob("*.txt"))
    source = (indexed / "seeds" / "002_2e98f640cd47a897.txt").read_text(encoding="utf-8")
    doc = next(d for d in docs if d["id"] == "002_2e98f640cd47a897")
    assert doc["title"] == source.splitlines()[0]
    assert doc["body"].strip() in source


def test_export_bulk_and_mapping(runner, indexed) -> None:
    lines = runner.invoke(app, ["export", "-f", "bulk", "--es-index", "syria"]).stdout.splitlines()
    assert len(lines) == 10
    for action, doc in zip(lines[::2], lines[1::2], strict=True):
        action, doc = json.loads(action), json.loads(doc)
        assert action == {"index": {"_index": "syria", "_id": doc["id"]}}
    mapping = json.loads(runner.invoke(app, ["export", "--mapping"]).stdout)
    assert set(mapping["mappings"]["properties"]) >= {"id", "path", "title", "body"}
    assert (
        mapping["mappings"]["properties"]["body"]["analyzer"]
        in (mapping["settings"]["analysis"]["analyzer"])
    )


# -- real pipelines, through the installed entry point ---------------------------------


def shell(cwd: Path, command: str) -> subprocess.CompletedProcess[str]:
    exe = " ".join(syrsearch_exe())
    return subprocess.run(
        ["bash", "-c", command.replace("syrsearch", exe)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_pipelines(run_cli, in_tmp: Path) -> None:
    assert run_cli("index", "--no-messages").returncode == 0
    head = shell(in_tmp, "set -o pipefail; syrsearch query Syria -f jsonl | head -1")
    assert head.stderr == "" and json.loads(head.stdout)["rank"] == 1
    parsed = shell(
        in_tmp,
        "syrsearch query ceasefire -f json | python3 -c "
        "'import json,sys; print(json.load(sys.stdin)[\"total\"])'",
    )
    assert parsed.stdout == "4\n"
    xargs = shell(in_tmp, "syrsearch query Astana -f paths -0 | xargs -0 wc -l")
    assert "seeds/003_325ec279d4bf9786.txt" in xargs.stdout and xargs.returncode == 0
    loop = shell(
        in_tmp,
        "printf 'Astana\\nxylophone\\n' | while read -r q; do "
        'syrsearch query "$q" -c; echo "status $?"; done',
    )
    assert loop.stdout == "1\nstatus 0\n0\nstatus 1\n"
