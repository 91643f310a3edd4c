"""Hostile queries as whole processes: no query may cost much more than a plain one.

A seeded generator writes random queries that mix every part of the syntax
(AND/OR/NOT, parentheses, quotes and slops, ``field:`` with known and unknown
fields, prefixes, leading and inner wildcards, fuzzy terms with any distance,
boosts of any size), words of the corpus, unicode, control characters and
pasted paragraphs full of operators. Each query runs as its own
``syrsearch query --count`` process against one index, interleaved with a
plain one-word query (the anchor), so the machine's load affects both alike.
A query still running after ``--kill`` seconds is stopped and counted at that
time.

    python bench/corpus_gen.py /tmp/c10k --articles 10000
    syrsearch index --corpus /tmp/c10k --index-dir /tmp/idx10k
    python bench/fuzz.py --index-dir /tmp/idx10k --queries 200 [--syrsearch PATH] [--seed 16]

It prints the slowest queries, the 99th percentile and the maximum, each also
as a ratio to the anchor's median, as Markdown; ``--json FILE`` keeps every
timing. The target: no query over 3x the plain one, none over 2 s at 10,000
articles.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

WORDS = (
    "ceasefire",
    "cease-fire",
    "Syria",
    "Lavrov",
    "Kerry",
    "Geneva",
    "Astana",
    "U.N.",
    "Aleppo",
    "opposition",
    "minister",
    "humanitarian",
    "aid",
    "talks",
    "Security",
    "Council",
    "resolution",
    "Moscow",
    "Russia",
    "Turkey",
    "Iran",
    "regime",
    "rebels",
    "negotiations",
    "monitoring",
    "military",
    "foreign",
    "statement",
    "agreement",
    "the",
    "of",
    "and",
    "a",
    "to",
    "in",
    "us",
    "US",
)
UNICODE = (
    "Лавров",
    "حلب",
    "Genève",
    "ﬁre",
    "\u200b",
    "\u202e",
    "\u0085",
    "日本",
    "\U0001d538",
    "é",
)
CONTROLS = ("\x1b[31m", "\x07", "\x08", "\x9b", "\t", "\r")  # no NUL: argv cannot hold one
FIELDS = ("title", "body", "id", "date", "body_z", "foo", "source")
ANCHOR = "ceasefire"


def _word(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.7:
        return rng.choice(WORDS)
    if roll < 0.85:
        return rng.choice(UNICODE)
    if roll < 0.95:
        return "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(1, 14))
        )
    return "x" * rng.randint(50, 3000)


def _term(rng: random.Random) -> str:
    w = _word(rng)
    roll = rng.random()
    if roll < 0.12:
        w = w[: rng.randint(1, max(1, len(w)))] + "*"
    elif roll < 0.2:
        w = "*" + w[rng.randint(0, max(0, len(w) - 1)) :][:3] + "*"
    elif roll < 0.26:
        cut = rng.randint(0, len(w))
        w = w[:cut] + rng.choice("*?") + w[cut:] + rng.choice(("", "?", "*"))
    elif roll < 0.36:
        w = f"{w}~{rng.choice(('', '1', '2', '6', '9', '99999'))}"
    elif roll < 0.42:
        w = f"{w}^{rng.choice(('2', '0.5', '1e9', '99999999', '-3', '0'))}"
    if rng.random() < 0.15:
        w = f"{rng.choice(FIELDS)}:{w}"
    if rng.random() < 0.05:
        w += rng.choice(CONTROLS)
    return w


def _expr(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth > 6 or roll < 0.35:
        return _term(rng)
    if roll < 0.5:
        words = " ".join(_word(rng) for _ in range(rng.randint(2, 5)))
        slop = rng.choice(("", "", "~2", "~50", "~99999"))
        return f'"{words}"{slop}'
    if roll < 0.6:
        return f"NOT {_expr(rng, depth + 1)}"
    if roll < 0.85:
        op = rng.choice((" AND ", " OR ", " ", " ANDNOT ", " ANDMAYBE "))
        parts = [_expr(rng, depth + 1) for _ in range(rng.randint(2, 4))]
        return "(" + op.join(parts) + ")"
    return f"{_term(rng)} {_term(rng)}"


def _pasted(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(50, 600)):
        roll = rng.random()
        pieces.append(
            rng.choice(("AND", "OR", "NOT", "(", ")", '"', ":", "*", "~", "^", "-"))
            if roll < 0.2
            else _word(rng)
            if roll < 0.9
            else f"{_word(rng)}:"
        )
    return " ".join(pieces)


def queries(seed: int, n: int) -> list[str]:
    """``n`` random queries; the same seed gives the same list on any machine."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.1:
            out.append(_pasted(rng))
        elif roll < 0.15:
            depth = rng.randint(20, 400)
            out.append("(a OR (b AND " * depth + "c" + "))" * depth)
        else:
            out.append(_expr(rng))
    return out


def run(exe: str, index: Path, query: str, kill: float) -> tuple[float, int | None]:
    """Seconds and exit status of one query process (status None: killed)."""
    start = time.perf_counter()
    args = [exe, "query", "--count", "--index-dir", str(index), "--", query]
    try:
        done = subprocess.run(args, capture_output=True, timeout=kill, check=False)
    except subprocess.TimeoutExpired:
        return kill, None
    return time.perf_counter() - start, done.returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index-dir", type=Path, required=True)
    ap.add_argument("--syrsearch", default=shutil.which("syrsearch") or "syrsearch")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--kill", type=float, default=10.0, help="stop a query after this long")
    ap.add_argument("--anchor-every", type=int, default=10, help="an anchor run every N queries")
    ap.add_argument("--json", type=Path, help="write every timing here")
    args = ap.parse_args(argv)

    timed: list[tuple[float, int | None, str]] = []
    anchor: list[float] = []
    qs = queries(args.seed, args.queries)
    run(args.syrsearch, args.index_dir, ANCHOR, args.kill)  # warm-up, untimed
    for i, q in enumerate(qs):
        if i % args.anchor_every == 0:
            anchor.append(run(args.syrsearch, args.index_dir, ANCHOR, args.kill)[0])
        seconds, status = run(args.syrsearch, args.index_dir, q, args.kill)
        timed.append((seconds, status, q))
        print(f"{i + 1}/{len(qs)} {seconds:.2f}s exit {status}", file=sys.stderr)
    base = statistics.median(anchor)
    times = sorted(t for t, _, _ in timed)
    p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
    bad = [s for _, s, _ in timed if s not in (0, 1, 2)]
    print(
        f"syrsearch: `{args.syrsearch}`; index `{args.index_dir}`;"
        f" {len(qs)} queries, seed {args.seed}\n"
    )
    print("| measure | seconds | x plain query |\n|---|---|---|")
    print(f"| plain query `{ANCHOR}` (median of {len(anchor)}) | {base:.2f} | 1.0 |")
    print(f"| median | {statistics.median(times):.2f} | {statistics.median(times) / base:.1f} |")
    print(f"| 99th percentile | {p99:.2f} | {p99 / base:.1f} |")
    print(f"| slowest | {times[-1]:.2f} | {times[-1] / base:.1f} |")
    over = sum(1 for t in times if t > 3 * base)
    print(
        f"\n{over} over 3x the plain query, {sum(1 for t in times if t > 2)} over 2 s, "
        f"{sum(1 for s in bad if s is None)} killed at {args.kill:g} s, "
        f"{sum(1 for s in bad if s is not None)} with another exit status\n"
    )
    print("| slowest queries | seconds | exit |\n|---|---|---|")
    for seconds, status, q in sorted(timed, key=lambda t: -t[0])[:5]:
        shown = q if len(q) <= 60 else q[:57] + "..."
        shown = shown.encode("unicode_escape").decode("ascii").replace("|", "\\|").replace("`", "'")
        print(f"| `{shown}` | {seconds:.2f} | {'killed' if status is None else status} |")
    if args.json:
        args.json.write_text(json.dumps({"anchor": anchor, "runs": timed}, ensure_ascii=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
