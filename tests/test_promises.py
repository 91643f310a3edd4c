"""The README's promises tried as a user meets them: the installed
``syrsearch`` as a subprocess, on real folders.

A read-only index folder, 20,000 files in one folder, odd file names in every
output format, nothing written outside the index folder, and the default
``--timeout`` of a terminal.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from syrsearch.errors import ExitCode

from .conftest import syrsearch_exe


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "SYRSEARCH_INDEX", "SYRSEARCH_CORPUS")
    }
    env.update(extra)
    return env


def _run(
    cwd: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*syrsearch_exe(), *args],
        cwd=cwd, capture_output=True, env=env or _env(), timeout=timeout, check=False,
    )  # fmt: skip


# -- a read-only index folder ------------------------------------------------------------

READ_ONLY = """
set -u
mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" || exit 99
shift
out=$1; shift
n=0
for cmd in "index" "query --count ceasefire" "index --rebuild" "show 003 -f json"; do
    n=$((n + 1))
    $SYRSEARCH $cmd >"$out/$n.out" 2>"$out/$n.err"
    echo $? >"$out/$n.rc"
done
"""


def _read_only_runs(root: Path, folder: Path) -> list[tuple[int, str, str]]:
    """Four commands run with ``folder`` read-only: a read-only bind mount in a
    mount namespace of their own (root ignores permission bits), else the
    permission bits."""
    out = root.parent / (root.name + "-out")
    out.mkdir()
    exe = " ".join(syrsearch_exe())
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            pytest.skip("root without unshare: no way to make a folder read-only")
        done = subprocess.run(
            ["unshare", "--mount", "sh", "-c", READ_ONLY, "sh", str(folder), str(out)],
            cwd=root, env=_env(SYRSEARCH=exe), capture_output=True, timeout=300, check=False,
        )  # fmt: skip
        if done.returncode == 99 or b"unshare failed" in done.stderr:
            pytest.skip("no read-only bind mount here (needs CAP_SYS_ADMIN)")
    else:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for p in modes:
            p.chmod(modes[p] & ~0o222)
        try:
            script = READ_ONLY.split("shift\n", 1)[1].replace("$1; shift", f"'{out}'", 1)
            subprocess.run(
                ["sh", "-c", script], cwd=root, env=_env(SYRSEARCH=exe), timeout=300, check=False
            )
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
    return [
        (
            int((out / f"{n}.rc").read_text()),
            (out / f"{n}.out").read_text(),
            (out / f"{n}.err").read_text(),
        )
        for n in range(1, 5)
    ]


def test_a_read_only_index_folder_is_one_line_and_queries_still_answer(run_cli, indexed) -> None:
    (indexed / "seeds" / "new.txt").write_text("New\nA ceasefire in a new article.\n")
    runs = _read_only_runs(indexed, indexed / "index")
    (update, query, rebuild, show) = runs
    for rc, out, err in (update, rebuild):
        assert rc == ExitCode.ERROR and out == ""
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert err.startswith("syrsearch: error: cannot write the index in 'index': ")
        assert "the previous index is unchanged" in err
    assert query[0] == 0 and query[1] == "4\n"  # the index as it was: the new file is not in it
    assert query[2].count("\n") == 1 and "changed since the index was built" in query[2]
    assert show[0] == 0 and json.loads(show[1])["id"] == "003_325ec279d4bf9786"
    # Writable again, the next run completes.
    assert run_cli("index", "-q").returncode == 0
    assert run_cli("query", "--count", "ceasefire").stdout == "5\n"


# -- 20,000 files in one folder ------------------------------------------------------------

PLACES = ("Geneva", "Astana", "Vienna", "Sochi", "Riyadh", "Amman", "Ankara", "Doha")


@pytest.mark.slow
def test_twenty_thousand_files_in_one_folder_are_all_indexed(tmp_path: Path) -> None:
    """All indexed (workers at this size), in bounded time, and the workers
    leave nothing in TMPDIR."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(20_000):
        place = PLACES[n % len(PLACES)]
        (corpus / f"wire-{n:05d}.txt").write_text(
            f"Talks in {place}, round {n}\n{place.upper()}, March {n % 28 + 1} -- Envoys met"
            f" for the {n}th time on the ceasefire; delegation {n % 97} left early.\n"
        )
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = _env(TMPDIR=str(tmp))
    done = _run(tmp_path, "index", "--corpus", "corpus", "--json", env=env, timeout=1500)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["added"] == 20_000 and report["skipped"] == []
    count = _run(tmp_path, "query", "--corpus", "corpus", "--count", "ceasefire", env=env)
    assert count.stdout == b"20000\n"
    one = _run(tmp_path, "query", "--corpus", "corpus", "-f", "paths", "round 12345", env=env)
    assert one.stdout == b"corpus/wire-12345.txt\n"
    assert list(tmp.iterdir()) == []


# -- odd file names in every format ------------------------------------------------------

ODD_NAMES: dict[bytes, str] = {
    b"line\nbreak.txt": "Newline name\nThe okapi talks in Geneva resumed.\n",
    b"bad\xff.txt": "Bad bytes name\nThe okapi talks in Astana resumed.\n",
    b"esc\x1b[31m.txt": "Escape name\nThe okapi talks in Vienna resumed.\n",
    b"tab\there.txt": "Tab name\nThe okapi talks in Doha resumed.\n",
}
ODD_IDS = {"line\nbreak", "bad\\xff", "esc\x1b[31m", "tab\there"}


@pytest.fixture(scope="module")
def odd_names(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("names")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in ODD_NAMES.items():
        (corpus / os.fsdecode(name)).write_text(text)
    done = _run(root, "index", "--corpus", "corpus")
    assert done.returncode == 0, done.stderr
    return root, done.stderr.decode()


def test_odd_file_names_are_indexed_or_warned(odd_names) -> None:
    root, stderr = odd_names
    warnings = [line for line in stderr.splitlines() if ": warning: " in line]
    assert warnings == [
        "syrsearch: warning: bad\\xff.txt: file name is not valid UTF-8, indexed as 'bad\\xff.txt'"
    ]
    done = _run(root, "query", "--corpus", "corpus", "okapi", "-f", "json")
    assert {h["id"] for h in json.loads(done.stdout)["hits"]} == ODD_IDS


FORMATS = ["text", "rich", "markdown", "json", "jsonl", "tsv", "csv"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", ["query", "show"])
def test_odd_file_names_are_printed_safely_in_every_format(odd_names, fmt, command) -> None:
    """No control character reaches stdout but the format's own line ends
    (CSV quotes a newline), every id stays on its line, and machine formats
    give the id back exactly."""
    root, _ = odd_names
    target = {"query": ["okapi"], "show": ["line\nbreak"]}[command]
    if command == "show" and fmt in ("jsonl", "markdown"):
        pytest.skip(f"show has no {fmt}")
    done = _run(root, command, "--corpus", "corpus", *target, "-f", fmt, "--color", "never")
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")
    allowed = {"\n", "\r", "\t"} if fmt == "csv" else {"\n", "\t"} if fmt == "tsv" else {"\n"}
    controls = {c for c in text if (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0) and c not in allowed}
    assert not controls, (command, fmt, controls)
    if fmt == "json":
        data = json.loads(text)
        ids = {h["id"] for h in data["hits"]} if "hits" in data else {data["id"]}
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in text.splitlines()]
        ids = {r["id"] for r in rows if "id" in r}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        ids = {r["id"].replace("\\x1b", "\x1b") for r in rows}
    elif fmt == "tsv":
        lines = text.splitlines()
        assert len({line.count("\t") for line in lines}) == 1  # no field broke a row
        ids = {
            field.replace("\\n", "\n").replace("\\t", "\t").replace("\\x1b", "\x1b")
            .replace("\\\\", "\\")
            for line in lines for field in line.split("\t")
        } & ODD_IDS  # fmt: skip
    else:
        # A person's formats: each name whole on one line, its controls as symbols.
        assert "line\u240abreak" in text
        if command != "show":
            assert "esc\u241b[31m" in text and "tab\u2409here" in text
        return
    assert ids == (ODD_IDS if command == "query" else {"line\nbreak"})


def test_paths_keeps_odd_names_whole_with_null_ends(odd_names) -> None:
    root, _ = odd_names
    done = _run(root, "query", "--corpus", "corpus", "okapi", "-f", "paths", "-0")
    names = done.stdout.split(b"\0")
    assert names[-1] == b"" and set(names[:-1]) == {
        b"corpus/line\nbreak.txt", b"corpus/bad\\xff.txt", b"corpus/esc\x1b[31m.txt",
        b"corpus/tab\there.txt",
    }  # fmt: skip


# -- nothing written outside the index folder ------------------------------------------------


def _snapshot(folder: Path, leave_out: Path | None = None) -> dict[str, tuple[int, int, int]]:
    """Every file and folder under ``folder``: mode, size and modification time."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        if leave_out is not None:
            dirnames[:] = [d for d in dirnames if here / d != leave_out]
        for name in [*dirnames, *filenames]:
            st = (here / name).lstat()
            out[str((here / name).relative_to(folder))] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def test_nothing_is_written_outside_the_index_folder(tmp_path: Path, seeds: Path) -> None:
    """An index run, an update and every reading command: the corpus, the
    working folder (less the index), HOME and TMPDIR are as they were."""
    work = tmp_path / "work"
    work.mkdir()
    corpus = work / "seeds"
    shutil.copytree(seeds, corpus)
    (work / "notes.txt").write_text("the user's own file\n")
    home = tmp_path / "home"
    home.mkdir()
    (home / ".profile").write_text("# a user's file\n")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = _env(HOME=str(home), TMPDIR=str(tmp), XDG_CACHE_HOME=str(home / ".cache"))
    index = work / "index"
    snapshots = (_snapshot(work, index), _snapshot(home), _snapshot(tmp))
    commands = [
        ["index", "-q"],
        ["query", "ceasefire", "-f", "json"],
        ["query", "--count", "Lavrov~2 OR *stan*"],
        ["query", "-", "-f", "tsv"],
        ["show", "003"],
        ["similar", "003"],
        ["stats"],
        ["export"],
        ["query", "ceasefire", "--by", "month"],
        ["related", "ceasefire"],
    ]
    for args in commands:
        done = subprocess.run(
            [*syrsearch_exe(), *args], cwd=work, env=env, input=b"ceasefire\nLavrov\n",
            capture_output=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode in (0, 1), (args, done.stderr)
        assert (_snapshot(work, index), _snapshot(home), _snapshot(tmp)) == snapshots, args
    assert index.is_dir()
    (corpus / "new.txt").write_text("New\nA ceasefire again.\n")
    snapshots = (_snapshot(work, index), _snapshot(home), _snapshot(tmp))
    done = subprocess.run(
        [*syrsearch_exe(), "index", "-q"], cwd=work, env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert (_snapshot(work, index), _snapshot(home), _snapshot(tmp)) == snapshots


# -- the default --timeout ---------------------------------------------------------------


def test_the_default_timeout_is_five_seconds_on_a_terminal_and_none_in_batch(monkeypatch) -> None:
    """The function the query command asks: 5 s for one query on a
    terminal; none in a pipe, none for a batch (even on a terminal); a
    given value wins, 0 meaning none."""
    from syrsearch.cli import commands
    from syrsearch.cli.options import TERMINAL_TIMEOUT

    assert TERMINAL_TIMEOUT == 5.0
    for tty in (True, False):
        monkeypatch.setattr(sys.stdout, "isatty", lambda tty=tty: tty)
        assert commands._timeout(None, batch=False) == (5.0 if tty else None)
        assert commands._timeout(None, batch=True) is None
        assert commands._timeout(2.5, batch=True) == 2.5
        assert commands._timeout(0, batch=False) is None


PTY_QUERY = """
import os, sys
from syrsearch.cli import commands
seen = []
real = commands._timeout
def spy(given, *, batch):
    value = real(given, batch=batch)
    seen.append(value)
    return value
commands._timeout = spy
sys.argv = ["syrsearch", *sys.argv[1:]]
from syrsearch.cli import main
try:
    main()
except SystemExit:
    pass
os.write(int(os.environ["SPY_FD"]), repr(seen).encode())
"""


@pytest.mark.parametrize(
    ("args", "expected"),
    [(["query", "ceasefire"], "[5.0]"), (["query", "--batch", "queries.txt"], "[None]")],
    ids=["one query", "batch"],
)
def test_the_timeout_a_terminal_gets(indexed, args, expected) -> None:
    """The query command run with stdout on a pseudo-terminal: what it
    decided, read back on another descriptor."""
    import pty

    (indexed / "queries.txt").write_text("ceasefire\nLavrov\n")
    parent, child = pty.openpty()
    read_end, write_end = os.pipe()
    env = _env(SYRSEARCH_PAGER="cat", TERM="dumb", SPY_FD=str(write_end))
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", PTY_QUERY, *args, "-f", "text"],
            cwd=indexed, stdin=subprocess.DEVNULL, stdout=child, stderr=subprocess.PIPE,
            pass_fds=(write_end,), env=env,
        )  # fmt: skip
        os.close(child)
        os.close(write_end)
        output = b""
        while True:  # drain the terminal so the command never blocks on it
            try:
                chunk = os.read(parent, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        proc.wait(timeout=120)
        assert os.read(read_end, 1000).decode() == expected, (proc.stderr.read(), output[-500:])
    finally:
        os.close(parent)
        os.close(read_end)
