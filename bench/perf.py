"""Speed, memory and disk benchmark: syrsearch against stock Whoosh, SQLite FTS5 and ripgrep.

For each corpus size, on synthetic corpora from ``corpus_gen.py`` (cached in
``--work``), everything is measured as whole processes, the way a shell runs
them, with the installed ``syrsearch`` (or ``--syrsearch PATH``):

* build: ``syrsearch index`` into an empty folder, against stock Whoosh
  (``StemmingAnalyzer``, body indexed not stored, ``procs=2,
  multisegment=True``) and SQLite FTS5 (``porter``, text stored so that
  ``snippet()`` works), each a ``python -c`` script; wall time, articles/s,
  peak RSS, peak disk (index folder + a private ``TMPDIR``) and final size;
* re-index with ``syrsearch index``: nothing changed, then 1% of the files
  rewritten (``corpus_gen.touch``);
* queries, top 10 with snippets, stdout drained through a pipe: a single term,
  a two-term AND, a phrase and a fuzzy term, by ``syrsearch query -f text``
  and ``-f json``, stock Whoosh (``QueryParser``, highlights read from the
  files), FTS5 (``MATCH``, ``bm25``, ``snippet()``) and ``rg -il`` (AND: ``rg
  -il --null w1 | xargs -0 rg -il w2``; phrase: ``rg -il 'w1 w2'``; no fuzzy);
* start-up: ``python -c pass`` and the imports syrsearch needs as floors,
  ``syrsearch --version``, and ``syrsearch query ceasefire`` on ``seeds/``.

Runs of one kind are interleaved (round-robin over the systems) after one
untimed warm-up each, with the corpus in the page cache, so that load from
other work on the machine falls on all systems alike; ratios between systems
are the numbers to read. Medians and min-max go to stdout as Markdown, every
raw number to ``--out`` (JSON), and ``--plot`` draws build time and query
latency against corpus size (matplotlib).

Peak RSS is reported twice: ``ru_maxrss`` from ``wait4`` (the largest single
process of the tree, worker processes included once reaped) and the largest
sum of the tree's RSS seen by a sampler reading ``/proc`` every 50 ms. Disk is
sampled at the same rate, so a peak shorter than that can be missed.

    python bench/perf.py [--sizes 1000,10000,100000] [--runs 3] [--query-runs 10]
                         [--work DIR] [--out FILE.json] [--plot FILE.png] [--keep DIR]
                         [--reuse DIR]
    python bench/perf.py --plot-only FILE.json --plot FILE.png
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_gen

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "out" / "perf.json"
DEFAULT_WORK = Path(tempfile.gettempdir()) / "syrsearch-bench"
LARGE = 50_000
SAMPLE_SECONDS = 0.05
TOUCH_PERCENT = 1.0
STARTUP_FLOOR = "import typer, whoosh.index, whoosh.qparser, whoosh.highlight"
SYSTEMS = ("syrsearch", "whoosh-stock", "fts5")


@dataclass(frozen=True, slots=True)
class Query:
    """One query kind, as each system writes it (None: the system cannot ask it)."""

    kind: str
    syrsearch: str
    fts5: str | None
    rg: tuple[str, ...] | None
    df_key: str | None


QUERIES = (
    Query("single term", "ceasefire", "ceasefire", ("ceasefire",), "ceasefire"),
    Query("two-term AND", "lavrov geneva", "lavrov geneva", ("lavrov", "geneva"), None),
    Query(
        "phrase",
        '"humanitarian aid"',
        '"humanitarian aid"',
        ("humanitarian aid",),
        "humanitarian aid",
    ),
    Query("fuzzy", "lavrof~", None, None, None),
)

WHOOSH_BUILD = """
import os, sys
from whoosh import index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema

corpus, folder, procs = sys.argv[1], sys.argv[2], int(sys.argv[3])
analyzer = StemmingAnalyzer()
schema = Schema(
    path=ID(stored=True, unique=True),
    title=TEXT(analyzer=analyzer, stored=True),
    body=TEXT(analyzer=analyzer),
)
os.makedirs(folder, exist_ok=True)
ix = index.create_in(folder, schema)
options = {"procs": procs, "multisegment": True} if procs > 1 else {}
writer = ix.writer(**options)
for root, dirs, files in os.walk(corpus):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".txt"):
            full = os.path.join(root, name)
            with open(full, encoding="utf-8") as fh:
                title, _, body = fh.read().partition("\\n")
            writer.add_document(path=os.path.relpath(full, corpus), title=title.strip(), body=body)
writer.commit()
"""

WHOOSH_QUERY = """
import os, sys
from whoosh import index
from whoosh.highlight import UppercaseFormatter
from whoosh.qparser import FuzzyTermPlugin, QueryParser

folder, corpus, text = sys.argv[1], sys.argv[2], sys.argv[3]
ix = index.open_dir(folder)
parser = QueryParser("body", ix.schema)
parser.add_plugin(FuzzyTermPlugin())
with ix.searcher() as searcher:
    results = searcher.search(parser.parse(text), limit=10)
    results.formatter = UppercaseFormatter()
    out = []
    for hit in results:
        with open(os.path.join(corpus, hit["path"]), encoding="utf-8") as fh:
            body = fh.read().partition("\\n")[2]
        snippet = hit.highlights("body", text=body, top=2)
        out.append(f"{hit.rank + 1}. {hit['title']}\\n   {hit['path']}\\n   {snippet}\\n")
    sys.stdout.write("".join(out))
"""

FTS5_BUILD = """
import os, sqlite3, sys

corpus, db_path = sys.argv[1], sys.argv[2]
db = sqlite3.connect(db_path)
db.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, title, body, tokenize='porter')")

def rows():
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".txt"):
                full = os.path.join(root, name)
                with open(full, encoding="utf-8") as fh:
                    title, _, body = fh.read().partition("\\n")
                yield os.path.relpath(full, corpus), title.strip(), body

with db:
    db.executemany("INSERT INTO docs (path, title, body) VALUES (?, ?, ?)", rows())
db.close()
"""

FTS5_QUERY = """
import sqlite3, sys

db = sqlite3.connect(sys.argv[1])
rows = db.execute(
    "SELECT path, title, snippet(docs, -1, '[', ']', '...', 16) FROM docs"
    " WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10",
    (sys.argv[2],),
)
sys.stdout.write("".join(f"{n}. {t}\\n   {p}\\n   {s}\\n" for n, (p, t, s) in enumerate(rows, 1)))
"""

WHOOSH_VERSION = "import whoosh; print(whoosh.versionstring())"
DROPPED_PYTHON_SETTINGS = (
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED",
    "PYTHONDEVMODE",
    "PYTHONPROFILEIMPORTTIME",
    "PYTHONTRACEMALLOC",
    "PYTHONMALLOC",
)
RG_AND = 'rg -il --null -- "$1" "$3" | xargs -0 -r rg -il -- "$2"'


# -- measuring one process -------------------------------------------------------


@dataclass(slots=True)
class Measured:
    """One whole-process run."""

    seconds: float
    returncode: int
    maxrss_kib: int
    out_bytes: int
    out_lines: int
    tree_rss_peak: int = 0
    disk_peak: int = 0
    tmp_peak: int = 0
    stderr_tail: str = ""


def tree_rss(pid: int) -> int:
    """Summed RSS in bytes of ``pid`` and its descendants (0 if it is gone)."""
    page = os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * page
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", "rb") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def dir_bytes(folder: Path) -> int:
    """Apparent size of every file under ``folder``, tolerant of files vanishing mid-walk."""
    total = 0
    stack = [str(folder)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    total += entry.stat(follow_symlinks=False).st_size
            except OSError:
                continue
    return total


class Sampler(threading.Thread):
    """Polls a process tree's RSS and some folders' size until stopped."""

    def __init__(self, pid: int, disk: Sequence[Path], tmp: Path | None) -> None:
        super().__init__(daemon=True)
        self.pid, self.disk, self.tmp = pid, disk, tmp
        self.rss_peak = self.disk_peak = self.tmp_peak = 0
        self.done = threading.Event()

    def sample(self) -> None:
        self.rss_peak = max(self.rss_peak, tree_rss(self.pid))
        if self.disk:
            tmp = dir_bytes(self.tmp) if self.tmp else 0
            self.tmp_peak = max(self.tmp_peak, tmp)
            total = tmp + sum(dir_bytes(d) for d in self.disk if d != self.tmp)
            self.disk_peak = max(self.disk_peak, total)

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.sample()


def measure(
    cmd: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    disk: Sequence[Path] = (),
    tmp: Path | None = None,
    sample: bool = False,
    check: bool = True,
) -> Measured:
    """Run ``cmd`` to completion, stdout drained through a pipe, and measure it."""
    counts = [0, 0]

    def drain(stream: Any) -> None:
        while chunk := stream.read(1 << 16):
            counts[0] += len(chunk)
            counts[1] += chunk.count(b"\n")

    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env)
        reader = threading.Thread(target=drain, args=(proc.stdout,), daemon=True)
        reader.start()
        sampler = Sampler(proc.pid, disk, tmp) if sample else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.done.set()
            sampler.join()
            sampler.sample()
        reader.join()
        assert proc.stdout is not None
        proc.stdout.close()
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace").strip()
    result = Measured(seconds, proc.returncode, usage.ru_maxrss, counts[0], counts[1])
    result.stderr_tail = tail.splitlines()[-1] if tail else ""
    if sampler:
        result.tree_rss_peak = sampler.rss_peak
        result.disk_peak, result.tmp_peak = sampler.disk_peak, sampler.tmp_peak
    # syrsearch query exits 1 when nothing matched; anything else is a failure.
    if check and proc.returncode not in (0, 1):
        raise RuntimeError(f"{shlex.join(cmd)} exited {proc.returncode}:\n{tail}")
    return result


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- tools ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tools:
    syrsearch: str
    python: str
    rg: str
    env: dict[str, str]


def find_tools(args: argparse.Namespace) -> Tools:
    syrsearch = args.syrsearch or shutil.which("syrsearch")
    if not syrsearch:
        raise SystemExit("error: no syrsearch on PATH; install it or pass --syrsearch PATH")
    syrsearch = str(Path(syrsearch).absolute())
    python = args.python or script_python(Path(syrsearch)) or sys.executable
    here = Path(sys.executable).parent
    rg = args.rg or shutil.which("rg") or shutil.which("rg", path=str(here))
    if not rg:
        raise SystemExit("error: no rg on PATH; pip install ripgrep, or pass --rg PATH")
    rg = str(Path(rg).absolute())
    # Processes run as from a user's shell: no SYRSEARCH_* settings, and none of the
    # Python switches a development or CI environment may set. Without bytecode
    # caching, every syrsearch process would compile its own modules (~40 ms).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SYRSEARCH_") and k not in DROPPED_PYTHON_SETTINGS
    }
    # The AND pipeline's shell must find the same rg.
    env["PATH"] = os.pathsep.join([str(Path(rg).parent), env.get("PATH", "")])
    return Tools(syrsearch, python, rg, env)


def script_python(script: Path) -> str | None:
    """The interpreter named by a console script's ``#!`` line, if any."""
    try:
        with open(script, "rb") as fh:
            first = fh.readline().decode("utf-8", "replace")
    except OSError:
        return None
    if first.startswith("#!") and "python" in first:
        return first[2:].strip().split()[0]
    return None


def version_of(cmd: Sequence[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=60)
    except OSError as exc:
        return f"unavailable ({exc})"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else ""


# What is measured: the syrsearch source (its git commit, if it is a checkout) and the
# versions of what it imports. An editable install can change under a long run.
SOURCE_PROBE = """
import importlib.metadata as md, pathlib, subprocess, syrsearch
where = pathlib.Path(syrsearch.__file__).resolve().parent
def git(*args):
    try:
        out = subprocess.run(["git", "-C", str(where), *args], capture_output=True, text=True)
    except OSError:
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""
commit = git("rev-parse", "--short", "HEAD")
if commit and git("status", "--porcelain", "--untracked-files=no", "--", "."):
    commit += "+changes"
versions = ", ".join(f"{d} {md.version(d)}" for d in ("whoosh3", "typer", "rich"))
print(f"{where} @ {commit or 'no git'}; {versions}")
"""


def source_of(tools: Tools) -> str:
    return version_of([tools.python, "-c", SOURCE_PROBE])


def check_source(result: dict[str, Any], tools: Tools, when: str) -> None:
    """Note (and warn) if the measured syrsearch changed since the run began."""
    now = source_of(tools)
    if now != result["meta"]["source"]:
        note = f"syrsearch changed during the run ({when}): now {now}"
        result["meta"].setdefault("changed", []).append(note)
        progress(f"warning: {note}")


# -- corpora -------------------------------------------------------------------


def ensure_corpus(work: Path, articles: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """The corpus for ``articles`` in ``work``, generated unless a matching one is there."""
    folder = work / f"corpus-{articles}"
    manifest = corpus_gen.read_manifest(folder)
    wanted = {"generator": corpus_gen.GENERATOR_VERSION, "seed": seed, "articles": articles}
    if manifest and all(manifest.get(k) == v for k, v in wanted.items()):
        if manifest.get("variant") != 0:
            progress(f"  restoring the files a previous run rewrote in {folder}")
            corpus_gen.touch(folder, TOUCH_PERCENT, 0)
            manifest = corpus_gen.read_manifest(folder) or manifest
        return folder, manifest
    shutil.rmtree(folder, ignore_errors=True)
    progress(f"  generating {articles:,} articles in {folder} ...")
    return folder, corpus_gen.generate(folder, articles, seed, jobs=min(2, os.cpu_count() or 1))


# -- one size ------------------------------------------------------------------


def build_cmd(tools: Tools, system: str, corpus: Path, target: Path) -> list[str]:
    if system == "syrsearch":
        return [tools.syrsearch, "index", "--corpus", str(corpus), "--index-dir", str(target)]
    if system == "whoosh-stock":
        return [tools.python, "-c", WHOOSH_BUILD, str(corpus), str(target), "2"]
    return [tools.python, "-c", FTS5_BUILD, str(corpus), str(target / "fts5.sqlite")]


def query_cmds(tools: Tools, q: Query, corpus: Path, dirs: dict[str, Path]) -> dict[str, list[str]]:
    """Each system's command for ``q``, by column name."""
    index = str(dirs["syrsearch"])
    cmds = {
        f"syrsearch {fmt}": [
            tools.syrsearch,
            "query",
            q.syrsearch,
            "--index-dir",
            index,
            "--corpus",
            str(corpus),
            "-f",
            fmt,
        ]
        for fmt in ("text", "json")
    }
    cmds["whoosh-stock"] = [
        tools.python,
        "-c",
        WHOOSH_QUERY,
        str(dirs["whoosh-stock"]),
        str(corpus),
        q.syrsearch,
    ]
    if q.fts5 is not None:
        cmds["fts5"] = [tools.python, "-c", FTS5_QUERY, str(dirs["fts5"] / "fts5.sqlite"), q.fts5]
    if q.rg is not None:
        if len(q.rg) == 1:
            cmds["rg -il"] = [tools.rg, "-il", "--", q.rg[0], str(corpus)]
        else:
            cmds["rg -il"] = ["sh", "-c", RG_AND, "sh", q.rg[0], q.rg[1], str(corpus)]
    return cmds


def timed_rounds(
    cmds: dict[str, list[str]], runs: int, env: dict[str, str]
) -> dict[str, list[Measured]]:
    """One untimed warm-up each, then ``runs`` interleaved rounds."""
    for cmd in cmds.values():
        measure(cmd, env=env)
    results: dict[str, list[Measured]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            results[name].append(measure(cmd, env=env))
    return results


def bench_size(
    tools: Tools,
    work: Path,
    articles: int,
    seed: int,
    runs: int,
    query_runs: int,
    keep: Path | None = None,
    reuse: Path | None = None,
) -> dict[str, Any]:
    started = time.perf_counter()
    progress(f"{articles:,} articles:")
    corpus, manifest = ensure_corpus(work, articles, seed)
    raw = dir_bytes(corpus) - (corpus / corpus_gen.MANIFEST).stat().st_size
    here = work / f"run-{articles}"
    shutil.rmtree(here, ignore_errors=True)
    here.mkdir(parents=True)
    # Read every file once, so that no system pays for a cold page cache.
    measure([tools.rg, "-il", "--", "zzzzqqqq", str(corpus)], env=tools.env)

    dirs = {s: here / f"{s}-index" for s in SYSTEMS}
    if reuse is not None:  # queries only, on the indexes an earlier run kept
        dirs = {s: reuse / f"{s}-{articles}" for s in SYSTEMS}
        runs = 0
    builds: dict[str, list[dict[str, Any]]] = {s: [] for s in SYSTEMS}
    for r in range(runs):
        for system in SYSTEMS:
            progress(f"  build {r + 1}/{runs}: {system} ...")
            target, tmp = dirs[system], here / f"tmp-{system}"
            for d in (target, tmp):
                shutil.rmtree(d, ignore_errors=True)
            target.mkdir()
            tmp.mkdir()
            env = dict(tools.env, TMPDIR=str(tmp))
            m = measure(
                build_cmd(tools, system, corpus, target),
                env=env,
                disk=(target, tmp),
                tmp=tmp,
                sample=True,
            )
            row = asdict(m)
            row["index_bytes"] = dir_bytes(target)
            builds[system].append(row)
            shutil.rmtree(tmp, ignore_errors=True)
            progress(f"    {m.seconds:.1f} s, {articles / m.seconds:,.0f} articles/s")

    reindex: dict[str, list[dict[str, Any]]] = {"no-op": [], "1% changed": []}
    index_cmd = build_cmd(tools, "syrsearch", corpus, dirs["syrsearch"])
    for r in range(runs):
        progress(f"  re-index {r + 1}/{runs}: no-op, then {TOUCH_PERCENT:g}% changed ...")
        reindex["no-op"].append(asdict(measure(index_cmd, env=tools.env)))
        corpus_gen.touch(corpus, TOUCH_PERCENT, r + 1)
        reindex["1% changed"].append(asdict(measure(index_cmd, env=tools.env)))
    if runs:
        corpus_gen.touch(corpus, TOUCH_PERCENT, 0)
        measure(index_cmd, env=tools.env)  # back in step with the original files

    queries: dict[str, Any] = {}
    df = manifest.get("df", {})
    for q in QUERIES:
        progress(f"  query {q.kind}: {query_runs} rounds ...")
        cmds = query_cmds(tools, q, corpus, dirs)
        rounds = timed_rounds(cmds, query_runs, tools.env)
        hits: dict[str, int | None] = {
            "syrsearch": syrsearch_count(tools, q, corpus, dirs["syrsearch"]),
            "fts5": fts5_count(dirs["fts5"] / "fts5.sqlite", q.fts5) if q.fts5 else None,
            "rg -il": rounds["rg -il"][0].out_lines if "rg -il" in rounds else None,
        }
        queries[q.kind] = {
            "query": q.syrsearch,
            "commands": {name: shlex.join(cmd) for name, cmd in cmds.items()},
            "seconds": {name: [m.seconds for m in ms] for name, ms in rounds.items()},
            "out_bytes": {name: ms[0].out_bytes for name, ms in rounds.items()},
            "hits": hits,
            "df": df.get(q.df_key) if q.df_key else None,
        }
    sizes = {s: dir_bytes(d) for s, d in dirs.items()}
    if keep is not None and reuse is None:  # for benchmarks that read an index (views, tui)
        for system, d in dirs.items():
            kept = keep / f"{system}-{articles}"
            shutil.rmtree(kept, ignore_errors=True)
            keep.mkdir(parents=True, exist_ok=True)
            shutil.move(str(d), kept)
            progress(f"  kept {kept}")
    shutil.rmtree(here, ignore_errors=True)
    return {
        "articles": articles,
        "corpus": str(corpus),
        "raw_bytes": raw,
        "generator_seconds": manifest.get("seconds"),
        "build": builds,
        "reindex": reindex,
        "reindex_files": len(corpus_gen.touched_indexes(articles, seed, TOUCH_PERCENT)),
        "queries": queries,
        "final_index_bytes": sizes,
        "seconds": round(time.perf_counter() - started, 1),
    }


def syrsearch_count(tools: Tools, q: Query, corpus: Path, index: Path) -> int | None:
    out = subprocess.run(
        [
            tools.syrsearch,
            "query",
            q.syrsearch,
            "-c",
            "--index-dir",
            str(index),
            "--corpus",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        env=tools.env,
        check=False,
    )
    try:
        return int(out.stdout.strip())
    except ValueError:
        return None


def fts5_count(db_path: Path, match: str) -> int:
    db = sqlite3.connect(db_path)
    try:
        (n,) = db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()
    finally:
        db.close()
    return int(n)


def bench_startup(tools: Tools, work: Path, seeds: Path, runs: int) -> dict[str, Any]:
    progress(f"start-up: {runs} rounds ...")
    index = work / "seeds-index"
    shutil.rmtree(index, ignore_errors=True)
    measure(build_cmd(tools, "syrsearch", seeds, index), env=tools.env)
    py = tools.python
    cmds = {
        "python -c pass": [py, "-c", "pass"],
        "python -c 'import whoosh.index'": [py, "-c", "import whoosh.index"],
        "python -c 'import typer'": [py, "-c", "import typer"],
        f"python -c '{STARTUP_FLOOR}'": [py, "-c", STARTUP_FLOOR],
        "syrsearch --version": [tools.syrsearch, "--version"],
    }
    for fmt in ("text", "json"):
        cmds[f"syrsearch query ceasefire -f {fmt} (seeds)"] = [
            tools.syrsearch,
            "query",
            "ceasefire",
            "--index-dir",
            str(index),
            "--corpus",
            str(seeds),
            "-f",
            fmt,
        ]
    rounds = timed_rounds(cmds, runs, tools.env)
    shutil.rmtree(index, ignore_errors=True)
    return {name: [m.seconds for m in ms] for name, ms in rounds.items()}


# -- report ----------------------------------------------------------------------


def med(xs: Sequence[float]) -> float:
    return statistics.median(xs)


def ms(xs: Sequence[float]) -> str:
    if len(xs) == 1:
        return f"{xs[0] * 1000:.0f}"
    return f"{med(xs) * 1000:.0f} ({min(xs) * 1000:.0f}-{max(xs) * 1000:.0f})"


def secs(xs: Sequence[float]) -> str:
    if len(xs) == 1:
        return f"{xs[0]:.2f}"
    return f"{med(xs):.2f} ({min(xs):.2f}-{max(xs):.2f})"


def mib(n: float) -> str:
    return f"{n / 2**20:,.1f}"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "n/a"


def build_summary(size: dict[str, Any], system: str) -> dict[str, float]:
    rows = size["build"][system]
    seconds = [r["seconds"] for r in rows]
    return {
        "seconds": med(seconds),
        "rate": size["articles"] / med(seconds),
        "maxrss": max(r["maxrss_kib"] * 1024 for r in rows),
        "tree_rss": max(r["tree_rss_peak"] for r in rows),
        "disk_peak": max(r["disk_peak"] for r in rows),
        "tmp_peak": max(r["tmp_peak"] for r in rows),
        "index": rows[-1]["index_bytes"],
        "temp": max(r["disk_peak"] for r in rows) - rows[-1]["index_bytes"],
    }


def size_section(size: dict[str, Any]) -> list[str]:
    n, raw = size["articles"], size["raw_bytes"]
    runs = len(size["build"]["syrsearch"])
    out = [
        f"## {n:,} articles",
        "",
        f"{mib(raw)} MiB of text ({raw / n:,.0f} bytes per article); "
        f"builds: {runs} run(s), times in s as median (min-max).",
        "",
        "| build | s | articles/s | ÷ whoosh-stock | peak RSS MiB (process / tree) "
        "| peak disk MiB | TMPDIR peak MiB | index MiB | index ÷ raw | temp ÷ index |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    if not size["build"]["syrsearch"]:  # a queries-only run (--reuse)
        out = [*out[:2], f"{mib(raw)} MiB of text; queries only, on indexes built earlier.", ""]
        return out + query_rows(size)
    stock = build_summary(size, "whoosh-stock")["rate"]
    for system in SYSTEMS:
        b = build_summary(size, system)
        seconds = [r["seconds"] for r in size["build"][system]]
        out.append(
            f"| {system} | {secs(seconds)} | {b['rate']:,.0f} | {ratio(b['rate'], stock)} "
            f"| {mib(b['maxrss'])} / {mib(b['tree_rss'])} | {mib(b['disk_peak'])} "
            f"| {mib(b['tmp_peak'])} | {mib(b['index'])} | {ratio(b['index'], raw)} "
            f"| {ratio(b['temp'], b['index'])} |"
        )
    out += [
        "",
        "| syrsearch index, again | s |",
        "|---|---:|",
        f"| no-op | {secs([r['seconds'] for r in size['reindex']['no-op']])} |",
        f"| {TOUCH_PERCENT:g}% changed ({size['reindex_files']:,} files) "
        f"| {secs([r['seconds'] for r in size['reindex']['1% changed']])} |",
        "",
    ]
    return out + query_rows(size)


def query_rows(size: dict[str, Any]) -> list[str]:
    qruns = len(next(iter(size["queries"].values()))["seconds"]["syrsearch text"])
    cols = ["syrsearch text", "syrsearch json", "whoosh-stock", "fts5", "rg -il"]
    out = [
        f"Queries, whole processes, top 10 with snippets: ms as median (min-max) of {qruns}.",
        "",
        "| query | hits: syrsearch / fts5 / rg | "
        + " | ".join(cols)
        + " | text ÷ rg | text ÷ fts5 |",
        "|---|---:|" + "---:|" * (len(cols) + 2),
    ]
    for kind, q in size["queries"].items():
        t = q["seconds"]
        h = q["hits"]
        hits = " / ".join(
            "n/a" if h.get(k) is None else f"{h[k]:,}" for k in ("syrsearch", "fts5", "rg -il")
        )
        cells = [ms(t[c]) if c in t else "n/a" for c in cols]
        text = med(t["syrsearch text"])
        rg = med(t["rg -il"]) if "rg -il" in t else None
        fts = med(t["fts5"]) if "fts5" in t else None
        out.append(
            f"| {kind} `{q['query']}` | {hits} | "
            + " | ".join(cells)
            + f" | {ratio(text, rg)} | {ratio(text, fts)} |"
        )
    return out


def startup_section(startup: dict[str, list[float]]) -> list[str]:
    floor = med(startup[f"python -c '{STARTUP_FLOOR}'"])
    runs = len(next(iter(startup.values())))
    out = [
        "## Start-up",
        "",
        f"Whole processes, ms as median (min-max) of {runs}; "
        f"floor = `python -c '{STARTUP_FLOOR}'`.",
        "",
        "| command | ms | ÷ floor |",
        "|---|---:|---:|",
    ]
    for name, xs in startup.items():
        out.append(f"| `{name}` | {ms(xs)} | {med(xs) / floor:.2f}x |")
    return out


@dataclass(slots=True)
class Target:
    what: str
    size: int | None
    value: str
    ok: bool | None


def targets(result: dict[str, Any]) -> list[Target]:
    found: list[Target] = []
    startup = result.get("startup")
    if startup:
        floor = med(startup[f"python -c '{STARTUP_FLOOR}'"])
        worst = max(
            med(startup[f"syrsearch query ceasefire -f {f} (seeds)"]) for f in ("text", "json")
        )
        found.append(
            Target(
                "seeds query ≤ 1.25x import floor",
                None,
                f"{worst / floor:.2f}x",
                worst / floor <= 1.25,
            )
        )
    for key, size in result["sizes"].items():
        n = int(key)
        big = n >= 100_000
        if size["build"]["syrsearch"]:  # not a queries-only run (--reuse)
            found += build_targets(size, n)
        for kind, limit in (("single term", 0.3), ("two-term AND", 0.3), ("phrase", 0.5)):
            q = size["queries"][kind]["seconds"]
            worst = max(med(q["syrsearch text"]), med(q["syrsearch json"]))
            r = worst / med(q["rg -il"])
            found.append(
                Target(
                    f"{kind} ≤ {limit}x rg -il (at 100k)",
                    n,
                    f"{r:.2f}x",
                    r <= limit if big else None,
                )
            )
    return found


def build_targets(size: dict[str, Any], n: int) -> list[Target]:
    """The build's targets at ``n`` articles (the re-index ones judged at 100k only)."""
    found = []
    b = build_summary(size, "syrsearch")
    stock = build_summary(size, "whoosh-stock")
    fts5 = build_summary(size, "fts5")
    found.append(
        Target(
            "build ≥ 3x stock Whoosh (procs=2) articles/s",
            n,
            f"{b['rate'] / stock['rate']:.2f}x",
            b["rate"] / stock["rate"] >= 3,
        )
    )
    found.append(
        Target(
            "build within 3x of FTS5's articles/s",
            n,
            f"{fts5['rate'] / b['rate']:.1f}x slower",
            fts5["rate"] <= 3 * b["rate"],
        )
    )
    rss = max(b["maxrss"], b["tree_rss"])
    found.append(Target("build peak RSS < 1 GiB", n, f"{mib(rss)} MiB", rss < 2**30))
    found.append(
        Target(
            "build temp disk ≤ 1x final index",
            n,
            f"{b['temp'] / b['index']:.2f}x",
            b["temp"] <= b["index"],
        )
    )
    found.append(
        Target(
            "index ≤ 1.5x raw text (synthetic)",
            n,
            f"{b['index'] / size['raw_bytes']:.2f}x",
            b["index"] <= 1.5 * size["raw_bytes"],
        )
    )
    big = n >= 100_000
    noop = med([r["seconds"] for r in size["reindex"]["no-op"]])
    changed = med([r["seconds"] for r in size["reindex"]["1% changed"]])
    found.append(
        Target("no-op re-index < 2 s (at 100k)", n, f"{noop:.2f} s", noop < 2 if big else None)
    )
    found.append(
        Target(
            "1% changed re-index < 5 s (at 100k)",
            n,
            f"{changed:.2f} s",
            changed < 5 if big else None,
        )
    )
    return found


def targets_section(result: dict[str, Any]) -> list[str]:
    out = [
        "## Targets",
        "",
        "Queries count the slower of `-f text` and `-f json`; targets marked (at 100k) "
        "are judged only there.",
        "",
        "| target | articles | measured | |",
        "|---|---:|---:|---|",
    ]
    for t in targets(result):
        verdict = "info" if t.ok is None else ("pass" if t.ok else "MISS")
        size = f"{t.size:,}" if t.size else "seeds"
        out.append(f"| {t.what} | {size} | {t.value} | {verdict} |")
    return out


def report(result: dict[str, Any]) -> str:
    meta = result["meta"]
    lines = [
        f"# syrsearch performance, {meta['date']}",
        "",
        f"`{meta['command']}`",
        "",
        f"{meta['machine']}; {meta['syrsearch']}, whoosh {meta['whoosh']}, "
        f"SQLite {meta['sqlite']}, {meta['rg']}, {meta['python']}.",
        "",
        f"Measured: {meta.get('source', 'unknown')}.",
        "",
    ]
    lines += [f"**Warning: {note}.**\n" for note in meta.get("changed", [])]
    if result.get("startup"):
        lines += [*startup_section(result["startup"]), ""]
    for size in result["sizes"].values():
        lines += [*size_section(size), ""]
    lines += targets_section(result)
    return "\n".join(lines)


# -- plot ------------------------------------------------------------------------


def _tick_label(value: float, _pos: int) -> str:
    """Plain numbers on a log axis, at 1, 2, 3 and 5 times a power of ten only."""
    return f"{value:g}" if f"{value:.0e}"[0] in "1235" else ""


def plot(result: dict[str, Any], path: Path) -> None:
    """Build time and query latency against corpus size, log-log, one colour per system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, NullLocator

    sizes = sorted(result["sizes"].values(), key=lambda s: s["articles"])
    xs = [s["articles"] for s in sizes]
    colours = {"syrsearch": "C0", "whoosh-stock": "C1", "fts5": "C2", "rg -il": "C3"}
    kinds = {"single term": "o-", "two-term AND": "s--", "phrase": "^:"}
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8), layout="constrained")
    for system in SYSTEMS:
        ys = [build_summary(s, system)["seconds"] for s in sizes]
        left.plot(xs, ys, "o-", color=colours[system])
    left.set(title="Index build (median)", xlabel="articles", ylabel="seconds")
    columns = {"syrsearch": "syrsearch text", "whoosh-stock": "whoosh-stock"}
    columns |= {"fts5": "fts5", "rg -il": "rg -il"}
    for name, column in columns.items():
        for kind, style in kinds.items():
            ys = [med(s["queries"][kind]["seconds"][column]) * 1000 for s in sizes]
            right.plot(xs, ys, style, color=colours[name], markersize=4)
    handles = [Line2D([], [], color=c, marker="o", label=n) for n, c in colours.items()]
    handles += [
        Line2D([], [], color="k", linestyle=st[1:], marker=st[0], label=k)
        for k, st in kinds.items()
    ]
    startup = result.get("startup")
    if startup:
        floor = med(startup[f"python -c '{STARTUP_FLOOR}'"]) * 1000
        right.axhline(floor, color="grey", linestyle="-.", linewidth=1)
        handles.append(Line2D([], [], color="grey", linestyle="-.", label="import floor"))
    right.set(
        title="Query, whole process, top 10 with snippets (median)",
        xlabel="articles",
        ylabel="ms",
    )
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(xs, [f"{x:,}" for x in xs])
        ax.xaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_formatter(FuncFormatter(_tick_label))
        ax.yaxis.set_minor_formatter(FuncFormatter(_tick_label))
        ax.grid(True, alpha=0.3)
    fig.legend(handles=handles, loc="outside right center", fontsize=8)
    fig.suptitle(f"syrsearch and baselines, {result['meta']['date']}", fontsize=10)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)


# -- main ------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(s.replace("_", "")) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Speed, memory and disk: syrsearch vs baselines.")
    ap.add_argument(
        "--sizes",
        type=parse_sizes,
        default=[1000, 10_000, 100_000],
        help="corpus sizes, comma-separated (default: 1000,10000,100000)",
    )
    ap.add_argument(
        "--runs",
        type=int,
        default=3,
        help=f"build and re-index runs below {LARGE:,} articles (default: %(default)s)",
    )
    ap.add_argument(
        "--runs-large",
        type=int,
        default=1,
        help=f"the same from {LARGE:,} articles (default: %(default)s)",
    )
    ap.add_argument(
        "--query-runs",
        type=int,
        default=10,
        help=f"runs of each query below {LARGE:,} articles and of each start-up command "
        "(default: %(default)s)",
    )
    ap.add_argument(
        "--query-runs-large",
        type=int,
        default=5,
        help=f"the same from {LARGE:,} articles (default: %(default)s)",
    )
    ap.add_argument(
        "--seed",
        type=int,
        default=corpus_gen.DEFAULT_SEED,
        help="corpus seed (default: %(default)s)",
    )
    ap.add_argument(
        "--work",
        type=Path,
        default=DEFAULT_WORK,
        help="corpora (kept) and indexes (removed) (default: %(default)s)",
    )
    ap.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="raw numbers as JSON (default: %(default)s)"
    )
    ap.add_argument("--plot", type=Path, help="also draw this PNG (needs matplotlib)")
    ap.add_argument(
        "--plot-only",
        type=Path,
        metavar="FILE.json",
        help="redraw --plot and the tables from a saved run; measure nothing",
    )
    ap.add_argument(
        "--seeds",
        type=Path,
        default=REPO / "seeds",
        help="the shipped articles, for start-up (default: %(default)s)",
    )
    ap.add_argument("--no-startup", action="store_true", help="skip the start-up measurements")
    ap.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="move each size's indexes to DIR/SYSTEM-SIZE instead of removing them",
    )
    ap.add_argument(
        "--reuse",
        type=Path,
        metavar="DIR",
        help="no builds or re-index runs: time the queries on the indexes --keep left in DIR",
    )
    ap.add_argument("--syrsearch", help="the syrsearch to measure (default: the one on PATH)")
    ap.add_argument(
        "--python", help="interpreter for baselines and floors (default: syrsearch's own)"
    )
    ap.add_argument("--rg", help="ripgrep binary (default: rg on PATH or beside this Python)")
    args = ap.parse_args(argv)
    if min(args.runs, args.runs_large, args.query_runs, args.query_runs_large) < 1:
        ap.error("run counts must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.plot_only:
        result = json.loads(args.plot_only.read_text(encoding="utf-8"))
        print(report(result))
        if args.plot:
            plot(result, args.plot)
        return 0
    tools = find_tools(args)
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    out: Path = args.out.resolve()
    png: Path | None = args.plot.resolve() if args.plot else None
    seeds: Path = args.seeds.resolve()
    # Every process runs in the work folder: `python -c` puts the current folder first
    # on sys.path, and a syrsearch checkout there would shadow the installed one.
    os.chdir(work)
    started = time.perf_counter()
    result: dict[str, Any] = {
        "meta": {
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": shlex.join(
                ["python", "bench/perf.py", *(argv if argv is not None else sys.argv[1:])]
            ),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
            f"{platform.system()} {platform.release()}",
            "syrsearch": version_of([tools.syrsearch, "--version"]),
            "source": source_of(tools),
            "whoosh": version_of([tools.python, "-c", WHOOSH_VERSION]),
            "sqlite": sqlite3.sqlite_version,
            "rg": version_of([tools.rg, "--version"]),
            "python": version_of([tools.python, "-V"]),
            "tools": asdict(tools) | {"env": None},
            "dropped": sorted(k for k in os.environ if k in DROPPED_PYTHON_SETTINGS),
            "seed": args.seed,
        },
        "startup": None,
        "sizes": {},
    }
    if not args.no_startup:
        result["startup"] = bench_startup(tools, work, seeds, args.query_runs)
        check_source(result, tools, "by the end of start-up")
    for n in args.sizes:
        large = n >= LARGE
        runs = args.runs_large if large else args.runs
        query_runs = args.query_runs_large if large else args.query_runs
        result["sizes"][str(n)] = bench_size(
            tools,
            work,
            n,
            args.seed,
            runs,
            query_runs,
            args.keep.resolve() if args.keep else None,
            args.reuse.resolve() if args.reuse else None,
        )
        check_source(result, tools, f"by the end of {n:,} articles")
        save(result, out)  # keep what is done if a later size fails
    result["meta"]["seconds"] = round(time.perf_counter() - started, 1)
    save(result, out)
    print(report(result))
    if png:
        plot(result, png)
    progress(f"total {result['meta']['seconds']:.0f} s; raw numbers in {out}")
    return 0


def save(result: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
