"""Query latency against an existing index: this tree, another tree, and ``rg -il``, in one run.

Runs the query kinds of ``perf.py`` (single term, two-term AND, phrase; top
10 with snippets, ``-f text`` and ``-f json``, stdout drained through a pipe)
as whole processes against ``--index-dir`` and ``--corpus`` (read only: the
index is never written), for this checkout and, with ``--base DIR``, another
checkout of syrsearch, next to ``rg -il`` over the same files, interleaved
round by round after one warm-up each, and prints the medians and the ratio
of each syrsearch column to ``rg -il`` measured in the same rounds.

    python bench/queries.py --index-dir /tmp/ix100k --corpus /tmp/c100k \\
        --base ../main --runs 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from perf import QUERIES, RG_AND

ROOT = Path(__file__).resolve().parent.parent
DROPPED = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONPATH")


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds of ``cmd`` and the lines it wrote."""
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started, done.stdout.count(b"\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index-dir", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--base", type=Path, help="another checkout of syrsearch to compare")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--kinds", default="single term,two-term AND,phrase")
    args = ap.parse_args()
    rg = shutil.which("rg")
    if rg is None:
        raise SystemExit("error: no rg on PATH")
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    trees = {"this": ROOT, **({"base": args.base.resolve()} if args.base else {})}
    kinds = args.kinds.split(",")
    print(f"index {args.index_dir}, corpus {args.corpus}, {args.runs} rounds, medians (s)")
    print("| query | column | hits (lines) | median s | x rg -il |")
    print("|---|---|---:|---:|---:|")
    for q in (q for q in QUERIES if q.kind in kinds and q.rg is not None):
        cases: dict[str, tuple[list[str], dict[str, str]]] = {}
        for name, tree in trees.items():
            tree_env = {**env, "PYTHONPATH": str(tree)}
            for fmt in ("text", "json"):
                cmd = [sys.executable, "-m", "syrsearch", "query", q.syrsearch, "-f", fmt]
                cmd += ["--index-dir", str(args.index_dir), "--corpus", str(args.corpus)]
                cases[f"syrsearch {fmt} ({name})"] = ([*cmd, "--no-messages"], tree_env)
        if len(q.rg) == 1:
            cases["rg -il"] = ([rg, "-il", "--", q.rg[0], str(args.corpus)], env)
        else:
            rg_env = {**env, "PATH": f"{Path(rg).parent}{os.pathsep}{env.get('PATH', '')}"}
            cmd = ["sh", "-c", RG_AND, "sh", q.rg[0], q.rg[1], str(args.corpus)]
            cases["rg -il"] = (cmd, rg_env)
        lines = {k: timed(cmd, e)[1] for k, (cmd, e) in cases.items()}  # warm-up
        walls: dict[str, list[float]] = {k: [] for k in cases}
        for _ in range(args.runs):
            for key, (cmd, e) in cases.items():
                walls[key].append(timed(cmd, e)[0])
        rg_med = statistics.median(walls["rg -il"])
        for key in cases:
            med = statistics.median(walls[key])
            print(f"| {q.kind} | {key} | {lines[key]:,} | {med:.3f} | {med / rg_med:.2f} |")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
