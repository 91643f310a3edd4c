"""``similar`` judged by sport on BBC Sport, against two baselines in the same run.

For every article of the collection (737; the sport is the parent folder),
each system lists the 10 articles most like it, the article itself left out,
and is scored by the share of its top 5 and top 10 in the same sport
(precision@5, @10), and by how often its first hit is in the same sport:

* ``syrsearch``: ``syrsearch.similar`` (what ``syrsearch similar ID`` prints);
* ``tf-idf cosine``: a plain TF-IDF cosine over the whole text (title and body,
  lower-cased words, raw term frequency times log(N/df), L2-normalised), every
  article against every other;
* ``whoosh more_like``: stock Whoosh 2.7 (``StemmingAnalyzer``, ``body`` stored,
  ``Searcher.more_like(docnum, "body", top=10)`` with its defaults: 5 key
  terms, the Bo1 model).

It also reports the median time per article of each (noisy on a shared
machine: compare the ratios, not the milliseconds). Byte-identical files (10
groups in BBC Sport) stay in, as they are in the index a user builds.

    python bench/similar.py                      # Markdown table on stdout
    python bench/similar.py --corpus DIR --sample 200
"""

from __future__ import annotations

import argparse
import math
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema

import syrsearch
from syrsearch.corpus import decode

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "news" / "bbcsport"
TOP = 10

Ranker = Callable[[str], list[str]]


def load(corpus: Path) -> dict[str, tuple[str, str]]:
    """id -> (category, text) for every article, ids as syrsearch makes them."""
    articles = {}
    for path in sorted(corpus.rglob("*.txt")):
        rel = path.relative_to(corpus).as_posix()
        articles[rel[: -len(".txt")]] = (rel.split("/", 1)[0], decode(path.read_bytes())[0])
    return articles


def syrsearch_ranker(corpus: Path, folder: Path) -> Ranker:
    syrsearch.update_index(corpus, folder)
    index = syrsearch.open_index(folder)

    def rank(ident: str) -> list[str]:
        result = syrsearch.similar(index, ident, limit=TOP, snippets=0)
        return [hit.id for hit in result.hits]

    return rank


def tfidf_ranker(articles: dict[str, tuple[str, str]]) -> Ranker:
    vectors: dict[str, dict[str, float]] = {}
    tfs = {i: Counter(re.findall(r"\w+", text.lower())) for i, (_, text) in articles.items()}
    df = Counter(term for tf in tfs.values() for term in tf)
    n = len(tfs)
    postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for ident, tf in tfs.items():
        weights = {t: f * math.log(n / df[t]) for t, f in tf.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[ident] = {t: w / norm for t, w in weights.items() if w}
        for term, w in vectors[ident].items():
            postings[term].append((ident, w))

    def rank(ident: str) -> list[str]:
        scores: dict[str, float] = defaultdict(float)
        for term, w in vectors[ident].items():
            for other, v in postings[term]:
                scores[other] += w * v
        scores.pop(ident, None)
        return sorted(scores, key=lambda o: (-scores[o], o))[:TOP]

    return rank


def whoosh_ranker(articles: dict[str, tuple[str, str]], folder: Path) -> Ranker:
    schema = Schema(
        id=ID(stored=True, unique=True), body=TEXT(analyzer=StemmingAnalyzer(), stored=True)
    )
    folder.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(folder), schema)
    with ix.writer() as writer:
        for ident, (_, text) in articles.items():
            writer.add_document(id=ident, body=text)
    searcher = ix.searcher()

    def rank(ident: str) -> list[str]:
        docnum = searcher.document_number(id=ident)
        return [hit["id"] for hit in searcher.more_like(docnum, "body", top=TOP)]

    return rank


def evaluate(rank: Ranker, ids: list[str], category: dict[str, str]) -> dict[str, float]:
    p5, p10, first, seconds = [], [], [], []
    for ident in ids:
        started = time.perf_counter()
        found = rank(ident)
        seconds.append(time.perf_counter() - started)
        same = [category[o] == category[ident] for o in found]
        p5.append(sum(same[:5]) / 5)
        p10.append(sum(same[:10]) / 10)
        first.append(float(bool(same and same[0])))
    return {
        "p@5": statistics.fmean(p5),
        "p@10": statistics.fmean(p10),
        "success@1": statistics.fmean(first),
        "ms": 1000 * statistics.median(seconds),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=BBC)
    parser.add_argument("--sample", type=int, default=0, help="articles to score (0: all)")
    parser.add_argument("--only", choices=["syrsearch", "tfidf", "whoosh"], action="append")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    articles = load(args.corpus)
    category = {i: c for i, (c, _) in articles.items()}
    ids = sorted(articles)
    if args.sample:
        ids = sorted(random.Random(0).sample(ids, args.sample))
    with tempfile.TemporaryDirectory() as tmp:
        systems: dict[str, Callable[[], Ranker]] = {
            "syrsearch": lambda: syrsearch_ranker(args.corpus, Path(tmp) / "syrsearch"),
            "tfidf": lambda: tfidf_ranker(articles),
            "whoosh": lambda: whoosh_ranker(articles, Path(tmp) / "whoosh"),
        }
        names = {"syrsearch": "syrsearch similar", "tfidf": "tf-idf cosine, whole text",
                 "whoosh": "whoosh more_like (stock)"}  # fmt: skip
        rows = []
        for key in args.only or list(systems):
            print(f"{key} ...", file=sys.stderr)
            scores = evaluate(systems[key](), ids, category)
            rows.append((names[key], scores))
    print(f"{len(ids)} articles of {args.corpus.name}, same-category precision")
    print()
    print("| system | P@5 | P@10 | success@1 | median ms per article |")
    print("|---|---:|---:|---:|---:|")
    for name, s in rows:
        print(
            f"| {name} | {s['p@5']:.3f} | {s['p@10']:.3f} | {s['success@1']:.3f} | {s['ms']:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
