"""The phrase search step alone: the bulk phrase matcher against Whoosh's Phrase, in process.

Builds each query as a search does, then runs ``ranking.top_docs`` (top 10)
with the query as built (``BulkPhrase``) and with every phrase swapped for
Whoosh's own ``Phrase``, best of 3 each, on an existing index (read only),
and checks that the hits and scores are the same.

    python bench/phrase_step.py /tmp/ix10k-m '"humanitarian aid"' '"peace talks"~3'
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from whoosh import query as wq

from syrsearch import open_index
from syrsearch.engine.phrases import BulkPhrase
from syrsearch.engine.query import build_query
from syrsearch.engine.ranking import top_docs
from syrsearch.engine.schema import SEARCH_FIELDS


def stock(q: Any) -> Any:
    if isinstance(q, BulkPhrase):
        return wq.Phrase(q.fieldname, list(q.words), slop=q.slop, boost=q.boost)
    return q if q.is_leaf() else q.apply(stock)


def main() -> int:
    index = open_index(Path(sys.argv[1]))
    print("| query | matches | Whoosh Phrase ms | BulkPhrase ms | speed-up |")
    print("|---|---:|---:|---:|---:|")
    with index.reading() as r:
        for text in sys.argv[2:]:
            q = build_query(text, r.lexicon, SEARCH_FIELDS).query
            row = {}
            for name, qq in (("stock", stock(q)), ("bulk", q)):
                best, top, n = 1e9, [], 0
                for _ in range(3):
                    started = time.perf_counter()
                    res = top_docs(r.searcher, qq, 10, {})
                    n, top = len(res), [(h.docnum, h.score) for h in res]
                    best = min(best, time.perf_counter() - started)
                row[name] = (best, n, top)
            assert row["stock"][1:] == row["bulk"][1:], text
            s, b = row["stock"][0], row["bulk"][0]
            print(
                f"| `{text}` | {row['bulk'][1]:,} | {s * 1000:.0f} | {b * 1000:.0f} | {s / b:.2f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
