"""The research views: reprint grouping quality, and what the views cost.

    python bench/views.py reprints [--bbc DIR] [--rewrites 100]
        Precision and recall of the reprint groups (pairs of articles put in
        one group) on BBC Sport, whose byte-identical files are the known
        duplicates, and on BBC Sport plus light rewrites of some of its
        articles (retitled, one sentence changed, another outlet's header and
        footer), whose groups are known by construction. Pairs found beyond
        the truth are printed, with their Jaccard similarity, to be read.

    python bench/views.py names
        Precision of the names of text/entities.py on a sample labelled by hand
        (bench/names_labelled.tsv).

    python bench/views.py speed CORPUS [--articles 10000] [--index-dir DIR --skip-build]
        On a synthetic corpus (bench/corpus_gen.py, written if missing): the
        index build as shipped, without the reprint keys, and without reprint
        keys and names, in one run; then `--by month` and `related` against
        `query --count` for the same queries on the built index (or on
        DIR, read only, with --skip-build), in process (warm, best of 5) and
        as whole `syrsearch` commands (median and p95 of --runs, default 5,
        the three commands of a query taking turns).

Timings are noisy on a shared machine: compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "news" / "bbcsport"
QUERIES = ("ceasefire", "Lavrov", "Geneva talks")

HEADERS = [
    "SPORTSWIRE | Latest | Football | Cricket | Tennis",
    "Home > Sport > News\nThe Daily Courier",
    "NEWSDESK ONLINE\nSport",
]
FOOTERS = [
    "Share this article\nFollow us on Twitter\n© 2026 Sportswire. All rights reserved.",
    "Related stories\nMost read\nThe Daily Courier 2026",
    "Print version\nViews: 1440\nNewsdesk and agencies",
]


# -- reprint quality ---------------------------------------------------------------------


def _sentences(body: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) >= 6]


def rewrite(text: str, other: str, rng: random.Random, change: bool) -> str:
    """A light rewrite: a new title, another outlet's chrome and, with
    ``change``, one sentence replaced by one of ``other``."""
    title, _, body = text.partition("\n")
    if change:
        mine, theirs = _sentences(body), _sentences(other.partition("\n")[2])
        if len(mine) > 2 and theirs:
            body = body.replace(rng.choice(mine[1:-1]), rng.choice(theirs), 1)
    words = title.split()
    new_title = " ".join(words[len(words) // 2 :] + words[: len(words) // 2]) or "Report"
    header, footer = rng.choice(HEADERS), rng.choice(FOOTERS)
    return f"{new_title}\n{header}\n\n{body.strip()}\n\n{footer}\n"


def _read(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _pairs(groups: list[set[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for g in groups for p in itertools.combinations(sorted(g), 2)}


def _predicted(index_dir: Path) -> tuple[list[set[str]], Any]:
    from syrsearch import open_index
    from syrsearch.engine.reprints import Groups

    index = open_index(index_dir)
    groups: list[set[str]] = []
    seen: set[int] = set()
    with index.reading() as r:
        g = Groups(r)
        paths = r.reader.column_reader("path")
        for d in r.reader.all_doc_ids():
            if d in seen:
                continue
            members = g.group(d)
            seen.update(members)
            if len(members) > 1:
                groups.append({str(paths[m]) for m in members})
    return groups, index


def _score(name: str, truth: list[set[str]], found: list[set[str]], corpus: Path) -> None:
    from syrsearch.engine.reprints import jaccard, shingles

    want, got = _pairs(truth), _pairs(found)
    tp = len(want & got)
    precision = tp / len(got) if got else 1.0
    recall = tp / len(want) if want else 1.0
    print(
        f"{name}: {len(truth)} true groups ({len(want)} pairs), {len(found)} found "
        f"({len(got)} pairs): precision {precision:.3f}, recall {recall:.3f}"
    )
    for pair in sorted(got - want, key=sorted)[:20]:
        a, b = sorted(pair)
        j = jaccard(shingles(_read(corpus / a)), shingles(_read(corpus / b)))
        print(f"  extra pair: {a} {b} (Jaccard {j:.2f})")
    for pair in sorted(want - got, key=sorted)[:20]:
        a, b = sorted(pair)
        j = jaccard(shingles(_read(corpus / a)), shingles(_read(corpus / b)))
        print(f"  missed pair: {a} {b} (Jaccard {j:.2f})")


def _identical(corpus: Path) -> dict[str, set[str]]:
    by_hash: dict[str, set[str]] = {}
    for path in sorted(corpus.rglob("*.txt")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        by_hash.setdefault(digest, set()).add(str(path.relative_to(corpus)))
    return by_hash


LABELLED = ROOT / "bench" / "bbc_sport_reprints.tsv"


def _labelled() -> list[tuple[str, str]]:
    """The BBC Sport pairs labelled by hand as the same story."""
    rows = [line.split("\t") for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    return [(r[0], r[1]) for r in rows if len(r) == 4 and not r[0].startswith("#") and r[0] != "a"]


def _components(pairs: list[tuple[str, str]]) -> dict[str, set[str]]:
    """Each member's group, the connected components of ``pairs``."""
    group_of: dict[str, set[str]] = {}
    for a, b in pairs:
        merged = group_of.get(a, {a}) | group_of.get(b, {b})
        for m in merged:
            group_of[m] = merged
    return group_of


def reprints(bbc: Path, rewrites: int, seed: int) -> None:
    from syrsearch import update_index

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # BBC Sport as it is: byte-identical files, and the pairs labelled by hand.
        started = time.perf_counter()
        update_index(bbc, work / "bbc-index")
        print(f"BBC Sport indexed in {time.perf_counter() - started:.1f} s")
        identical = [g for g in _identical(bbc).values() if len(g) > 1]
        found, index = _predicted(work / "bbc-index")
        index.close()
        _score("BBC Sport, byte-identical files as the truth", identical, found, bbc)
        labelled = list({id(g): g for g in _components(_labelled()).values()}.values())
        _score("BBC Sport, hand-labelled pairs as the truth", labelled, found, bbc)

        # BBC Sport plus light rewrites of some of its articles: the truth is the
        # labelled pairs and each article with its rewrites.
        corpus = work / "rewritten"
        shutil.copytree(bbc, corpus)
        rng = random.Random(seed)
        files = sorted(p.relative_to(corpus) for p in corpus.rglob("*.txt"))
        truth_of = {rel: {str(rel)} for rel in map(str, files)}
        for a, b in _labelled():
            merged = truth_of[a] | truth_of[b]
            for m in merged:
                truth_of[m] = merged
        for n, rel in enumerate(rng.sample(files, rewrites)):
            text = _read(corpus / rel)
            other = _read(corpus / rng.choice(files))
            for variant, change in enumerate((False, True)):
                new = Path("rewrites") / f"{n:03d}_{variant}.txt"
                (corpus / new).parent.mkdir(exist_ok=True)
                (corpus / new).write_text(rewrite(text, other, rng, change), encoding="utf-8")
                group = truth_of[str(rel)]
                group.add(str(new))
                for m in group:
                    truth_of[m] = group
        unique = {id(g): g for g in truth_of.values()}
        truth = [g for g in unique.values() if len(g) > 1]
        started = time.perf_counter()
        update_index(corpus, work / "rw-index")
        print(f"BBC Sport + rewrites indexed in {time.perf_counter() - started:.1f} s")
        found, index = _predicted(work / "rw-index")
        index.close()
        _score(f"BBC Sport + {rewrites * 2} rewrites", truth, found, corpus)


# -- names -------------------------------------------------------------------------------

NAMES = ROOT / "bench" / "names_labelled.tsv"


def names() -> None:
    """Precision of the names found now, on the hand-labelled sample."""
    from syrsearch.text.entities import find_names

    rows = [line.split("\t") for line in NAMES.read_text(encoding="utf-8").splitlines()]
    labels = {
        (r[0], r[1]): r[2]
        for r in rows
        if len(r) == 4 and not r[0].startswith("#") and r[0] != "article"
    }
    ok = wrong = unlabelled = 0
    for article in sorted({a for a, _ in labels}):
        path = ROOT / article if article.startswith("seeds/") else BBC / article
        body = _read(path).partition("\n")[2]
        for name in find_names(body):
            label = labels.get((article, name))
            if label is None:
                unlabelled += 1
                print(f"  not labelled: {article} {name!r}")
            elif label == "ok":
                ok += 1
            else:
                wrong += 1
                print(f"  wrong: {article} {name!r}")
    labelled = len(labels)
    print(
        f"names: {ok + wrong + unlabelled} found in {len({a for a, _ in labels})} articles "
        f"({labelled} labelled by hand): {ok} right, {wrong} wrong, {unlabelled} not labelled; "
        f"precision {ok / max(ok + wrong, 1):.3f}"
    )


# -- speed --------------------------------------------------------------------------------


def _best(fn: Callable[[], Any], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def _commands(commands: list[list[str]], runs: int) -> tuple[list[list[float]], list[list[float]]]:
    """Seconds of each whole command, ``runs`` times, the commands taking
    turns (so that a change of load falls on all of them), and the CPU
    seconds (user + system) of each run, which other processes' load does
    not inflate."""
    import resource

    times: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for args, seconds, cpu in zip(commands, times, cpus, strict=True):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(args, check=False, capture_output=True)
            seconds.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times, cpus


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(int(0.95 * len(ordered)), len(ordered) - 1)]


def _build(corpus: Path, index_dir: Path, mode: str) -> float:
    from syrsearch import update_index
    from syrsearch.engine import schema

    real_names = schema.find_names
    import syrsearch.engine.reprints as reprints_module

    real_keys = reprints_module.band_keys
    try:
        if mode in ("no-reprints", "neither"):
            reprints_module.band_keys = lambda body: []
        if mode == "neither":
            schema.find_names = lambda body: []
        shutil.rmtree(index_dir, ignore_errors=True)
        started = time.perf_counter()
        update_index(corpus, index_dir, rebuild=True)
        return time.perf_counter() - started
    finally:
        schema.find_names = real_names
        reprints_module.band_keys = real_keys


def article_cost(corpus: Path, count: int = 1000) -> None:
    """CPU time per article of the two index-time passes, in this process
    (less sensitive to other load than wall-clock builds)."""
    from syrsearch.corpus import read_article, scan
    from syrsearch.engine.reprints import band_keys
    from syrsearch.text.entities import find_names

    stamps = scan(corpus)
    rels = sorted(stamps)[:count]
    texts = [read_article(corpus.resolve(), rel, stamps[rel])[0].body for rel in rels]
    band_keys(texts[0])  # datasketch's import and permutations, once
    for name, fn in (("names", find_names), ("reprint keys", band_keys)):
        started = time.process_time()
        for body in texts:
            fn(body)
        per = (time.process_time() - started) / len(texts)
        print(f"CPU per article, {name:12s}: {per * 1000:.2f} ms ({len(texts)} articles)")


def speed(
    corpus: Path,
    articles: int,
    skip_build: bool,
    index_dir: Path | None,
    runs: int,
    commands_only: bool = False,
) -> None:
    if not corpus.is_dir():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "corpus_gen.py"),
                str(corpus),
                "--articles",
                str(articles),
            ],
            check=True,
        )
    index_dir = index_dir or corpus.parent / (corpus.name + "-index")
    if not skip_build:
        article_cost(corpus)
        times = {
            mode: _build(corpus, index_dir, mode) for mode in ("neither", "no-reprints", "shipped")
        }
        base = times["neither"]
        for mode, seconds in times.items():
            print(
                f"build {mode:12s} {seconds:7.1f} s  {articles / seconds:6.0f} articles/s  "
                f"{seconds / base:.2f}x"
            )
    from syrsearch import open_index
    from syrsearch.app import run_facets, run_query
    from syrsearch.engine.related import related
    from syrsearch.model import Facet, SearchRequest

    exe = shutil.which("syrsearch", path=os.path.dirname(sys.executable)) or "syrsearch"
    with open_index(index_dir) as index:
        queries = () if commands_only else QUERIES
        for q in queries:
            count = _best(lambda q=q: run_query(index, SearchRequest(q, count=True)))
            total = run_query(index, SearchRequest(q, count=True)).result.total
            by = _best(lambda q=q: run_facets(index, [(0, q)], Facet.month))
            rel = _best(lambda q=q: related(index, q))
            print(
                f"in process  {q!r:16} {total:6,} matches: --count {count * 1000:6.0f} ms, "
                f"--by month {by * 1000:6.0f} ms ({by / count:.2f}x), "
                f"related {rel * 1000:6.0f} ms ({rel / count:.2f}x)"
            )
    env_args = ["--index-dir", str(index_dir), "--no-messages"]
    for q in QUERIES:
        (count_s, by_s, rel_s), cpus = _commands(
            [
                [exe, "query", q, "--count", *env_args],
                [exe, "query", q, "--by", "month", *env_args],
                [exe, "related", q, *env_args],
            ],
            runs,
        )
        count, by, rel = (statistics.median(t) for t in (count_s, by_s, rel_s))
        print(
            f"command     {q!r:16} median (p95) of {runs}: --count {count * 1000:5.0f} "
            f"({_p95(count_s) * 1000:5.0f}) ms, --by month {by * 1000:5.0f} "
            f"({_p95(by_s) * 1000:5.0f}) ms {by / count:.2f}x, related {rel * 1000:5.0f} "
            f"({_p95(rel_s) * 1000:5.0f}) ms {rel / count:.2f}x"
        )
        count_c, by_c, rel_c = (statistics.median(c) for c in cpus)
        print(
            f"command CPU {q!r:16} median of {runs}: --count {count_c * 1000:5.0f} ms, "
            f"--by month {by_c * 1000:5.0f} ms {by_c / count_c:.2f}x, related "
            f"{rel_c * 1000:5.0f} ms {rel_c / count_c:.2f}x"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="what", required=True)
    rp = sub.add_parser("reprints")
    rp.add_argument("--bbc", type=Path, default=BBC)
    rp.add_argument("--rewrites", type=int, default=100)
    rp.add_argument("--seed", type=int, default=13)
    sub.add_parser("names")
    sp = sub.add_parser("speed")
    sp.add_argument("corpus", type=Path)
    sp.add_argument("--articles", type=int, default=10_000)
    sp.add_argument("--skip-build", action="store_true")
    sp.add_argument("--index-dir", type=Path, help="the index to measure (read only)")
    sp.add_argument("--runs", type=int, default=5, help="runs of each whole command")
    sp.add_argument("--commands-only", action="store_true", help="no in-process timings")
    args = ap.parse_args(argv)
    if args.what == "reprints":
        reprints(args.bbc, args.rewrites, args.seed)
    elif args.what == "names":
        names()
    else:
        speed(
            args.corpus,
            args.articles,
            args.skip_build,
            args.index_dir,
            args.runs,
            args.commands_only,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
