"""Ranking-quality benchmark on the Cranfield collection.

Indexes the collection's documents and runs every query through three systems:

* ``syrsearch``: the project's own indexer and natural-language search path
  (what ``syrsearch query --any`` does), query text passed as is;
* ``whoosh-plain``: a plain Whoosh index (StemmingAnalyzer, title + body),
  ``MultifieldParser`` with ``OrGroup`` and the default BM25F;
* ``sqlite-fts5``: an SQLite FTS5 table (porter tokenizer) ranked by ``bm25()``,
  the query's words double-quoted and OR-ed.

Each system's top 100 per query goes to a TREC run file, scored with the
collection's ``evaluate.py``; the result is printed as a Markdown table.

    python bench/relevance.py [--collection DIR] [--out DIR] [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_COLLECTION = REPO / ".." / "shared" / "ir"
DEFAULT_OUT = REPO / "bench" / "out" / "relevance"
TOP_K = 100
MEASURES = ("MAP", "nDCG@10", "P@10", "Recall@100")


@dataclass(frozen=True, slots=True)
class Doc:
    docid: str
    title: str
    body: str


@dataclass(slots=True)
class QueryError:
    qid: str
    text: str
    error: str


@dataclass(slots=True)
class RunResult:
    """One system's ranking of every query, with timings."""

    name: str
    ranking: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    errors: list[QueryError] = field(default_factory=list)
    index_seconds: float = 0.0
    query_seconds: float = 0.0
    slowest: tuple[float, str] = (0.0, "")

    def timed_query(self, qid: str, text: str, run: Callable[[], list[tuple[str, float]]]) -> None:
        """Run one query, keeping its hits, its time, or the exception it raised."""
        started = time.perf_counter()
        try:
            hits = run()
        except Exception as exc:  # recorded and reported, never hidden
            hits = []
            self.errors.append(QueryError(qid, text, f"{type(exc).__name__}: {exc}"))
        took = time.perf_counter() - started
        self.query_seconds += took
        self.slowest = max(self.slowest, (took, qid))
        self.ranking[qid] = hits


# -- collection ----------------------------------------------------------------


def doc_paths(docs_dir: Path) -> list[Path]:
    paths = list(docs_dir.glob("*.txt"))
    return sorted(paths, key=lambda p: (0, int(p.stem), "") if p.stem.isdigit() else (1, 0, p.stem))


def read_doc(path: Path) -> Doc:
    """Line 1 = title, blank line, body."""
    text = path.read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    return Doc(path.stem, title.strip(), body.strip("\n"))


def read_docs(docs_dir: Path) -> list[Doc]:
    return [read_doc(p) for p in doc_paths(docs_dir)]


def read_queries(path: Path) -> list[tuple[str, str]]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            qid, _, text = line.partition("\t")
            queries.append((qid.strip(), text))
    return queries


# -- systems -------------------------------------------------------------------


def run_syrsearch(docs_dir: Path, queries: list[tuple[str, str]], work: Path) -> RunResult:
    from syrsearch import open_index, search, update_index

    result = RunResult("syrsearch")
    index_dir = work / "syrsearch-index"
    started = time.perf_counter()
    report = update_index(docs_dir, index_dir, rebuild=True)
    result.index_seconds = time.perf_counter() - started
    if report.skipped:
        print(
            f"syrsearch: skipped {len(report.skipped)} file(s): {report.skipped}", file=sys.stderr
        )
    with open_index(index_dir) as handle:
        for qid, text in queries:
            result.timed_query(
                qid,
                text,
                lambda text=text: [
                    (hit.id, hit.score)
                    for hit in search(handle, text, limit=TOP_K, snippets=0, any_word=True).hits
                ],
            )
    return result


def run_whoosh_plain(docs_dir: Path, queries: list[tuple[str, str]], work: Path) -> RunResult:
    from whoosh import index as whoosh_index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import MultifieldParser, OrGroup

    result = RunResult("whoosh-plain")
    index_dir = work / "whoosh-plain-index"
    index_dir.mkdir()
    schema = Schema(
        docid=ID(stored=True, unique=True),
        title=TEXT(analyzer=StemmingAnalyzer()),
        body=TEXT(analyzer=StemmingAnalyzer()),
    )
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(index_dir), schema)
    writer = ix.writer()
    for doc in read_docs(docs_dir):
        writer.add_document(docid=doc.docid, title=doc.title, body=doc.body)
    writer.commit()
    result.index_seconds = time.perf_counter() - started

    parser = MultifieldParser(["title", "body"], schema=ix.schema, group=OrGroup)
    with ix.searcher() as searcher:  # default weighting: BM25F
        for qid, text in queries:
            result.timed_query(
                qid,
                text,
                lambda text=text: [
                    (hit["docid"], float(hit.score))
                    for hit in searcher.search(parser.parse(text), limit=TOP_K)
                ],
            )
    ix.close()
    return result


FTS_WORD = re.compile(r"[^\W_]+")


def fts5_query(text: str) -> str:
    """The query's alphanumeric words, each double-quoted, OR-ed."""
    return " OR ".join(f'"{w}"' for w in FTS_WORD.findall(text))


def run_sqlite_fts5(docs_dir: Path, queries: list[tuple[str, str]], work: Path) -> RunResult:
    result = RunResult("sqlite-fts5")
    db = sqlite3.connect(work / "fts5.sqlite")
    try:
        started = time.perf_counter()
        db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(docid UNINDEXED, title, body, tokenize='porter')"
        )
        with db:
            db.executemany(
                "INSERT INTO docs (docid, title, body) VALUES (?, ?, ?)",
                ((d.docid, d.title, d.body) for d in read_docs(docs_dir)),
            )
        result.index_seconds = time.perf_counter() - started

        sql = "SELECT docid, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?"

        def one(text: str) -> list[tuple[str, float]]:
            match = fts5_query(text)
            if not match:
                return []
            # bm25() is lower-is-better; negate it so the run's score is higher-is-better.
            return [(docid, -score) for docid, score in db.execute(sql, (match, TOP_K))]

        for qid, text in queries:
            result.timed_query(qid, text, lambda text=text: one(text))
    finally:
        db.close()
    return result


SYSTEMS: dict[str, Callable[[Path, list[tuple[str, str]], Path], RunResult]] = {
    "syrsearch": run_syrsearch,
    "whoosh-plain": run_whoosh_plain,
    "sqlite-fts5": run_sqlite_fts5,
}


# -- runs and scoring ----------------------------------------------------------


def write_run(result: RunResult, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for qid, hits in result.ranking.items():
            for rank, (docid, score) in enumerate(hits, 1):
                fh.write(f"{qid} Q0 {docid} {rank} {score!r} {result.name}\n")


def evaluate(evaluator: Path, qrels: Path, run: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, str(evaluator), str(qrels), str(run), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    summary: dict[str, float] = json.loads(proc.stdout)["summary"]
    return summary


def markdown_table(rows: list[tuple[RunResult, dict[str, float]]]) -> str:
    head = "| system | MAP | nDCG@10 | P@10 | R@100 | index s | query s | query errors |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for result, s in rows:
        cells = [f"{s[m]:.4f}" for m in MEASURES]
        cells += [f"{result.index_seconds:.1f}", f"{result.query_seconds:.1f}"]
        cells.append(str(len(result.errors)))
        lines.append(f"| {result.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description="Ranking quality on Cranfield: syrsearch vs baselines."
    )
    ap.add_argument(
        "--collection",
        type=Path,
        default=DEFAULT_COLLECTION,
        help="the IR collection folder, holding cranfield/ and evaluate.py (default: %(default)s)",
    )
    ap.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="where to keep the run files (default: %(default)s)",
    )
    ap.add_argument("--only", choices=sorted(SYSTEMS), help="run only this system")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    collection: Path = args.collection.resolve()
    docs_dir = collection / "cranfield" / "docs"
    qrels = collection / "cranfield" / "qrels.txt"
    evaluator = collection / "evaluate.py"
    for needed in (docs_dir, qrels, evaluator, collection / "cranfield" / "queries.tsv"):
        if not needed.exists():
            print(f"error: {needed} not found (see --collection)", file=sys.stderr)
            return 2
    queries = read_queries(collection / "cranfield" / "queries.tsv")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    names = [args.only] if args.only else list(SYSTEMS)
    print(
        f"Cranfield: {len(doc_paths(docs_dir))} docs, {len(queries)} queries, top {TOP_K}",
        file=sys.stderr,
    )

    started = time.perf_counter()
    rows: list[tuple[RunResult, dict[str, float]]] = []
    failed = False
    for name in names:
        print(f"{name}: indexing and querying ...", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix=f"relevance-{name}-") as tmp:
            result = SYSTEMS[name](docs_dir, queries, Path(tmp))
        run_path = out / f"{name}.run"
        write_run(result, run_path)
        summary = evaluate(evaluator, qrels, run_path)
        rows.append((result, summary))
        no_hits = [qid for qid, hits in result.ranking.items() if not hits]
        print(
            f"{name}: index {result.index_seconds:.1f}s, queries {result.query_seconds:.1f}s "
            f"(slowest q{result.slowest[1]} {result.slowest[0]:.2f}s), "
            f"{len(no_hits)} queries without hits, run file {run_path}",
            file=sys.stderr,
        )
        errors_path = out / f"{name}.errors.tsv"
        if result.errors:
            failed = True
            print(f"{name}: {len(result.errors)} queries raised an exception:", file=sys.stderr)
            with errors_path.open("w", encoding="utf-8") as fh:
                for e in result.errors:
                    print(f"  q{e.qid}: {e.error}  [{e.text}]", file=sys.stderr)
                    fh.write(f"{e.qid}\t{e.error}\t{e.text}\n")
        else:
            errors_path.unlink(missing_ok=True)

    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\nCranfield ({len(queries)} queries, top {TOP_K}), {stamp}\n")
    print(markdown_table(rows))
    print(f"\ntotal run time: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
