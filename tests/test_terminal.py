"""The terminal experience: -q as grep, --no-messages, the pager, hyperlinks,
relative dates, the count line."""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syrsearch.cli import app
from syrsearch.errors import ExitCode
from syrsearch.output.links import HyperlinkMode, resolve_hyperlinks, safe_url
from syrsearch.output.pager import DEFAULT_PAGER, pager_command, pager_environment
from syrsearch.text.dates import relative_date

from .conftest import syrsearch_exe


def invoke(runner, *args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


# -- -q and --no-messages ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "tsv", "paths", "rich"])
def test_quiet_prints_nothing_and_answers_with_the_exit_status(runner, indexed, fmt) -> None:
    found = invoke(runner, "query", "ceasefire", "-q", "-f", fmt)
    assert (found.exit_code, found.stdout) == (ExitCode.OK, "")
    missing = invoke(runner, "query", "zeppelin", "--quiet", "-f", fmt)
    assert (missing.exit_code, missing.stdout) == (ExitCode.NO_MATCH, "")


def test_quiet_keeps_notices_on_stderr_and_no_messages_drops_them(runner, indexed) -> None:
    # As grep: -q is about stdout; messages have their own switch.
    quiet = invoke(runner, "query", "ceasfire", "-q")
    assert quiet.stdout == "" and "did you mean: ceasefire" in quiet.stderr
    silent = invoke(runner, "query", "ceasfire", "--no-messages")
    assert silent.stderr == "" and silent.exit_code == ExitCode.NO_MATCH
    both = invoke(runner, "query", "ceasfire", "-q", "--no-messages")
    assert (both.stdout, both.stderr, both.exit_code) == ("", "", ExitCode.NO_MATCH)


def test_quiet_on_the_other_commands(runner, indexed) -> None:
    assert invoke(runner, "show", "004", "-q").stdout == ""
    assert invoke(runner, "show", "nosuchid", "-q").exit_code == ExitCode.ERROR
    similar = invoke(runner, "similar", "003", "-q", "--no-messages")
    assert (similar.stdout, similar.stderr, similar.exit_code) == ("", "", ExitCode.OK)
    assert invoke(runner, "stats", "-q").stdout == ""
    assert invoke(runner, "export", "-q").stdout == ""
    index = invoke(runner, "index", "--json", "-q")
    assert index.stdout == "" and "up to date" in index.stderr
    assert invoke(runner, "index", "--no-messages").stderr == ""


def test_quiet_in_a_shell_condition(run_cli, in_tmp: Path) -> None:
    assert run_cli("index", "--no-messages").returncode == 0
    found = run_cli("query", "-q", "ceasefire")
    assert (found.returncode, found.stdout, found.stderr) == (0, "", "")
    batch = run_cli("query", "-q", "-", input="zeppelin\nceasefire\n")
    assert (batch.returncode, batch.stdout) == (0, "")


# -- the count line -------------------------------------------------------------------------


def test_count_line_above_human_output_only(runner, indexed) -> None:
    text = invoke(runner, "query", "Syria", "-n", "2", "-f", "text").stdout
    total = json.loads(invoke(runner, "query", "Syria", "-n", "0", "-f", "json").stdout)["total"]
    assert text.startswith(f"2 of {total} articles\n\n1. ")
    rich = invoke(runner, "query", "Syria", "-f", "rich", "--color", "never").stdout
    assert rich.startswith(f"{total} articles\n\n1. ")
    assert invoke(runner, "query", "zeppelin", "-f", "text").stdout == ""
    for fmt in ("tsv", "paths", "jsonl"):
        out = invoke(runner, "query", "Syria", "-n", "2", "-f", fmt).stdout
        assert "articles" not in out.splitlines()[0], fmt


# -- the pager ------------------------------------------------------------------------------


def test_pager_command_follows_git() -> None:
    assert pager_command({"PAGER": "most"}) == "most"
    assert pager_command({"SYRSEARCH_PAGER": "less -S", "PAGER": "most"}) == "less -S"
    assert pager_command({"PAGER": "cat"}) is None
    assert pager_command({"PAGER": ""}) is None
    assert pager_command({}) in (DEFAULT_PAGER, None)
    assert pager_environment({})["LESS"] == "FRX"
    assert pager_environment({"LESS": "-S"})["LESS"] == "-S"


def on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run syrsearch with stdout and stderr on a pseudo-terminal; its exit
    status and what the terminal showed."""
    primary, secondary = os.openpty()
    full_env = {**os.environ, "COLUMNS": "80", **env}
    for name in ("NO_COLOR", "FORCE_COLOR", "SYRSEARCH_INDEX", "SYRSEARCH_CORPUS"):
        full_env.pop(name, None)
    proc = subprocess.Popen(
        [*syrsearch_exe(), *args], cwd=cwd, stdout=secondary, stderr=secondary,
        stdin=subprocess.DEVNULL, env=full_env,
    )  # fmt: skip
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize(
    "args", [["query", "ceasefire"], ["show", "004"], ["similar", "003"], ["stats"]]
)
def test_a_terminal_gets_the_pager_and_a_pipe_never(run_cli, in_tmp: Path, args) -> None:
    assert run_cli("index", "--no-messages").returncode == 0
    paged = in_tmp / "paged.txt"
    env = {"PAGER": f"cat > '{paged}'"}
    code, screen = on_a_terminal([*args, "--no-messages"], in_tmp, env)
    assert code == 0
    text = paged.read_text(encoding="utf-8")
    assert "\x1b[" in text, "colour goes through the pager, as less -R shows it"
    assert text.strip() and screen.strip() == ""
    paged.unlink()
    code, screen = on_a_terminal([*args, "--no-pager", "--no-messages"], in_tmp, env)
    assert code == 0 and not paged.exists() and screen.strip()
    piped = run_cli(*args, "--no-messages", env=env)
    assert piped.returncode == 0 and piped.stdout.strip() and not paged.exists()


def test_a_reader_who_quits_early_is_not_an_error(run_cli, in_tmp: Path) -> None:
    assert run_cli("index", "--no-messages").returncode == 0
    code, screen = on_a_terminal(
        ["query", "Syria", "-n", "0"], in_tmp, {"PAGER": "head -c 10 >/dev/null"}
    )
    assert code == 0 and "Traceback" not in screen and "error" not in screen


# -- hyperlinks -----------------------------------------------------------------------------


HOSTILE = [
    "http://evil.example/\x1b]8;;http://elsewhere\x1b\\click",
    "https://example.org/a b\x07c",
    "http://example.org/\u202eexe.txt",
    "https://пример.рф/путь",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_a_link_target_cannot_carry_an_escape(url: str) -> None:
    link = safe_url(url)
    assert link is not None and all(0x21 <= ord(c) <= 0x7E for c in link), link


def test_only_web_and_file_links() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url("www.tass.com/world/1") == "https://www.tass.com/world/1"
    assert safe_url("https://sana.sy/en/?p=1&q=2#x") == "https://sana.sy/en/?p=1&q=2#x"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_text_after_a_scheme_is_made_printable_ascii(tail: str) -> None:
    link = safe_url("https://example.org/" + tail)
    assert link is None or all(0x21 <= ord(c) <= 0x7E for c in link)


def test_hyperlinks_resolution() -> None:
    on = {"human": True, "color": True, "stdout_isatty": True}
    assert resolve_hyperlinks(HyperlinkMode.auto, environ={}, **on)
    assert not resolve_hyperlinks(HyperlinkMode.auto, environ={"TERM": "dumb"}, **on)
    assert not resolve_hyperlinks(HyperlinkMode.auto, environ={"NO_HYPERLINKS": "1"}, **on)
    assert not resolve_hyperlinks(HyperlinkMode.never, environ={}, **on)
    piped = {"human": True, "color": False, "stdout_isatty": False}
    assert not resolve_hyperlinks(HyperlinkMode.auto, environ={}, **piped)
    assert resolve_hyperlinks(HyperlinkMode.always, environ={}, **piped)
    machine = {"human": False, "color": False, "stdout_isatty": True}
    assert not resolve_hyperlinks(HyperlinkMode.always, environ={}, **machine)


ARTICLE = (
    "Lavrov and Kerry meet in Geneva\n\n"
    "GENEVA, Sept 9 (Reuters) - The ministers agreed a ceasefire plan for Aleppo.\n"
    "Read more: https://example.org/geneva\x1b]8;;http://evil.example\x07/talks\n"
)


def test_links_in_text_output(runner, in_tmp: Path, make_corpus) -> None:
    corpus = make_corpus({"geneva.txt": ARTICLE})
    args = ["--corpus", str(corpus), "--index-dir", "ix", "--no-messages"]
    out = invoke(runner, "query", "ceasefire", "-f", "text", "--hyperlinks", "always", *args)
    path = os.path.abspath(corpus / "geneva.txt")
    assert f"\x1b]8;;file://{path}\x1b\\" in out.stdout
    assert "\x1b]8;;https://example.org/geneva%1B]8;;http://evil.example%07/talks\x1b\\" in (
        out.stdout
    )
    assert out.stdout.count("\x1b]8;;") == 4  # two links, each opened and closed
    shown = invoke(runner, "show", "geneva", "-f", "text", "--hyperlinks", "always", *args)
    assert f"path: \x1b]8;;file://{path}\x1b\\" in shown.stdout
    auto = invoke(runner, "query", "ceasefire", "-f", "text", "--color", "always", *args)
    assert "\x1b]8" not in auto.stdout, "auto: never in a pipe"
    json_out = invoke(runner, "query", "ceasefire", "-f", "json", "--hyperlinks", "always", *args)
    assert "\x1b" not in json_out.stdout


def test_links_in_rich_output(runner, in_tmp: Path, make_corpus) -> None:
    corpus = make_corpus({"geneva.txt": ARTICLE})
    args = ["--corpus", str(corpus), "--index-dir", "ix", "--no-messages"]
    out = invoke(
        runner, "query", "ceasefire", "-f", "rich", "--color", "always",
        "--hyperlinks", "always", *args,
    ).stdout  # fmt: skip
    assert f"file://{os.path.abspath(corpus / 'geneva.txt')}\x1b\\" in out
    assert "\x1b]8;id=" in out and "\x07" not in out


# -- relative dates -------------------------------------------------------------------------

TODAY = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30d", date(2026, 3, 1)),
        ("2w", date(2026, 3, 17)),
        ("1m", date(2026, 2, 28)),
        ("13m", date(2025, 2, 28)),
        ("1y", date(2025, 3, 31)),
        ("10y ago", date(2016, 3, 31)),
        ("today", TODAY),
        ("Yesterday", date(2026, 3, 30)),
        ("2016-03", None),
        ("2016", None),
        ("d", None),
    ],
)
def test_relative_dates(text: str, expected: date | None) -> None:
    assert relative_date(text, TODAY) == expected


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 20000), st.dates(date(1990, 1, 1), date(2040, 12, 31)))
def test_days_and_months_back(n: int, today: date) -> None:
    assert relative_date(f"{n}d", today) == today - timedelta(days=n)
    back = relative_date(f"{n % 400}m", today)
    assert back is not None and back <= today
    months = (today.year - back.year) * 12 + today.month - back.month
    assert months == n % 400


def test_since_takes_a_relative_date(runner, indexed) -> None:
    # The seeds are dated 2015 to 2017: counted back from today, a day before
    # 2016-06-01 keeps the articles dated since then and drops the others.
    days = (date.today() - date(2016, 6, 1)).days
    relative = invoke(runner, "query", "Syria", "--since", f"{days}d", "-f", "json", "-n", "0")
    absolute = invoke(runner, "query", "Syria", "--since", "2016-06-01", "-f", "json", "-n", "0")
    assert relative.exit_code == ExitCode.OK
    assert json.loads(relative.stdout)["hits"] == json.loads(absolute.stdout)["hits"]
    everything = invoke(runner, "query", "Syria", "-f", "json", "-n", "0")
    assert json.loads(relative.stdout)["total"] < json.loads(everything.stdout)["total"]
    bad = invoke(runner, "query", "Syria", "--since", "30x")
    assert bad.exit_code == ExitCode.ERROR and "30d" in bad.stderr


# -- usage, help, completion ----------------------------------------------------------------


def test_bare_syrsearch_prints_a_short_readable_usage(run_cli) -> None:
    done = run_cli()
    assert done.returncode == ExitCode.ERROR and done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0] == "usage: syrsearch COMMAND [OPTIONS] [ARGS]"
    assert len(lines) < 24 and max(map(len, lines)) <= 80, "one screen, 80 columns"
    assert "  syrsearch query ceasefire" in done.stderr and "error" not in done.stderr
    import typer.main

    listed = next(line for line in lines if line.startswith("commands: "))
    assert set(listed[len("commands: ") :].split(", ")) == set(
        typer.main.get_command(app).commands
    ), "every command is named"


def test_every_choice_lists_its_values_in_help(runner) -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        shown = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"}).stdout
        for param in command.params:
            choices = getattr(param.type, "choices", None)
            if choices:
                values = "|".join(str(getattr(c, "value", c)) for c in choices)
                assert f"<{values}>" in shown, (name, param.name)


def test_query_help_summarises_the_syntax(runner) -> None:
    shown = runner.invoke(app, ["query", "--help"], env={"COLUMNS": "80"}).stdout
    for example in ('"Secretary of State"', "negot*", "Lavrof~", "title:Moscow", "30d"):
        assert example in shown
    assert "  Astana OR Jubeir           either word\n" in shown, "the table is not re-wrapped"


def complete(run_cli, shell: str, words: str) -> list[str]:
    env = {"_SYRSEARCH_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": words}
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = run_cli(env=env)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout.split()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_offers_ids_and_sources(run_cli, in_tmp: Path, shell: str) -> None:
    assert run_cli("index", "--no-messages").returncode == 0
    ids = complete(run_cli, shell, "syrsearch show 00")
    assert "000_277429d245566ea2" in " ".join(ids) and "004_27f4b5ccaf5df4df" in " ".join(ids)
    only = complete(run_cli, shell, "syrsearch similar 003")
    assert re.findall(r"\d{3}_[0-9a-f]{16}", " ".join(only)) == ["003_325ec279d4bf9786"]
    sources = complete(run_cli, shell, "syrsearch query x --source Az")
    assert "Azernews" in " ".join(sources)
    assert "index" in " ".join(complete(run_cli, shell, "syrsearch in"))


def test_completion_without_an_index_offers_nothing(run_cli) -> None:
    assert complete(run_cli, "bash", "syrsearch show 00") == []


def test_completion_script_for_the_shell_it_runs_in(in_tmp: Path) -> None:
    # Typer finds the shell from the process tree (shellingham): run it under bash.
    exe = " ".join(syrsearch_exe())
    done = subprocess.run(
        ["bash", "-c", f"{exe} --show-completion"], capture_output=True, text=True, cwd=in_tmp
    )
    assert done.returncode == 0, done.stderr
    assert "_SYRSEARCH_COMPLETE=complete_bash" in done.stdout
    assert "complete -o default -F _syrsearch_completion syrsearch" in done.stdout
