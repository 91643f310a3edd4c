"""Indexing speed of this checkout against another revision, in the same run.

Builds a fresh index of CORPUS with each revision in turn, ROUNDS times,
alternating (A B A B ...) so that the machine's load falls on both alike, each
build in its own process (``update_index`` with ``rebuild=True``, timed
inside the process, so start-up is not counted). Prints each build's seconds,
the median of each revision, and the ratio this / other.

    python bench/index_speed.py CORPUS --other /path/to/other/checkout [--rounds 5] [--callgrind]

Also the process's CPU time, less sensitive to load than wall time.
The other checkout is imported from its own folder (``PYTHONPATH``) with this
checkout's Python and packages. Wall time on a shared machine is noisy; with
``--callgrind`` each revision's build is also run once under valgrind, which
counts the instructions it executes (start-up and imports included), whatever
the load (about 50 times slower: use a corpus of a few hundred articles).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_CHILD = """
import json, sys, time
from pathlib import Path
from syrsearch.engine.indexer import update_index
import syrsearch
started, cpu = time.perf_counter(), time.process_time()
report = update_index(Path(sys.argv[1]), Path(sys.argv[2]), rebuild=True)
print(json.dumps({"seconds": time.perf_counter() - started, "added": report.added,
                  "cpu": time.process_time() - cpu,
                  "module": syrsearch.__file__}))
"""


def build_once(checkout: Path, corpus: Path) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    env["PYTHONPATH"] = str(checkout)
    with tempfile.TemporaryDirectory(prefix="syrsearch-speed-") as tmp:
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(corpus), str(Path(tmp) / "index")],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def instructions(checkout: Path, corpus: Path) -> int | None:
    """Instructions one build executes, counted by callgrind; None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    env["PYTHONPATH"] = str(checkout)
    with tempfile.TemporaryDirectory(prefix="syrsearch-speed-") as tmp:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
             "-c", _CHILD, str(corpus), str(Path(tmp) / "index")],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found.group(1)) if found else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--other", type=Path, required=True, help="the other checkout")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--callgrind", action="store_true", help="also count instructions")
    args = ap.parse_args(argv)
    if args.callgrind:
        counts = {
            name: instructions(checkout, args.corpus)
            for name, checkout in (("this", REPO), ("other", args.other.resolve()))
        }
        if counts["this"] and counts["other"]:
            print(
                f"instructions: this {counts['this'] / 1e9:.2f}G, other "
                f"{counts['other'] / 1e9:.2f}G, ratio {counts['this'] / counts['other']:.3f}"
            )
    times: dict[str, list[float]] = {"this": [], "other": []}
    cpu: dict[str, list[float]] = {"this": [], "other": []}
    for n in range(args.rounds):
        for name, checkout in (("this", REPO), ("other", args.other.resolve())):
            result = build_once(checkout, args.corpus)
            seconds = float(result["seconds"])  # type: ignore[arg-type]
            times[name].append(seconds)
            cpu[name].append(float(result["cpu"]))  # type: ignore[arg-type]
            print(
                f"round {n + 1} {name}: {seconds:.2f} s, CPU {cpu[name][-1]:.2f} s "
                f"({result['added']} articles)"
            )
    this, other = (statistics.median(times[k]) for k in ("this", "other"))
    print(f"median: this {this:.2f} s, other {other:.2f} s, ratio this/other {this / other:.3f}")
    this, other = (statistics.median(cpu[k]) for k in ("this", "other"))
    print(f"median CPU: this {this:.2f} s, other {other:.2f} s, ratio {this / other:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
