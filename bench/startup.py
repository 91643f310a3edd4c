"""Start-up cost of a command: this tree against another git revision, in one run.

Runs ``python -m syrsearch query ceasefire --format json`` on the shipped seeds
(and a usage error, ``query x --limit -3``) from this checkout and from a
worktree of ``--base``, interleaved, next to the import floor
``python -c "import typer, whoosh.index, whoosh.qparser, whoosh.highlight"``,
and prints the median wall and CPU time of each, and its ratio to the floor.
Wall time on a shared machine is noisy; with ``--callgrind`` it also counts
the instructions each command executes once under valgrind, which does not
depend on what else the machine is doing.

    python bench/startup.py --base 621a906 --runs 15 --callgrind

Child processes run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` and
similar switches removed), as after an install, and each tree is warmed first.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "import typer, whoosh.index, whoosh.qparser, whoosh.highlight"
QUERY = ["query", "ceasefire", "--format", "json"]
USAGE = ["query", "x", "--limit", "-3"]
DROPPED = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONNOUSERSITE", "PYTHONPATH")


def environment(tree: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    return env


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def instructions(cmd: list[str], cwd: Path, env: dict[str, str]) -> int | None:
    """Instructions ``cmd`` executes, counted by callgrind; None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found.group(1)) if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="HEAD", help="git revision to compare with")
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    parser.add_argument("--callgrind", action="store_true", help="also count instructions")
    args = parser.parse_args()

    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="syrsearch-startup-") as tmp:
        work = Path(tmp)
        base = work / "base"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base), args.base],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            trees = {"base": base, "this": ROOT}
            cases: dict[str, tuple[list[str], Path, dict[str, str]]] = {}
            for name, tree in trees.items():
                folder = work / f"run-{name}"
                shutil.copytree(ROOT / "seeds", folder / "seeds")
                env = environment(tree)
                cmd = [py, "-m", "syrsearch"]
                subprocess.run([*cmd, "index", "-q"], cwd=folder, env=env, check=True)
                cases[f"query ({name})"] = ([*cmd, *QUERY], folder, env)
                cases[f"usage error ({name})"] = ([*cmd, *USAGE], folder, env)
            cases["import floor"] = ([py, "-c", FLOOR], work, environment(None))
            for cmd, cwd, env in cases.values():  # warm: bytecode written, files cached
                run(cmd, cwd, env)
            wall: dict[str, list[float]] = {k: [] for k in cases}
            cpu: dict[str, list[float]] = {k: [] for k in cases}
            for _ in range(args.runs):
                for key, (cmd, cwd, env) in cases.items():
                    w, c = run(cmd, cwd, env)
                    wall[key].append(w)
                    cpu[key].append(c)
            counts = (
                {k: instructions(cmd, cwd, env) for k, (cmd, cwd, env) in cases.items()}
                if args.callgrind
                else {}
            )
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip

    floor_wall = statistics.median(wall["import floor"])
    floor_cpu = statistics.median(cpu["import floor"])
    floor_count = counts.get("import floor")
    print(f"base {args.base}, {args.runs} runs each, interleaved; medians")
    print("| command | wall ms | x floor | CPU ms | x floor | instructions (M) | x floor |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key in cases:
        w, c = statistics.median(wall[key]), statistics.median(cpu[key])
        n = counts.get(key)
        ins = f"{n / 1e6:.1f} | {n / floor_count:.3f}" if n and floor_count else "- | -"
        print(
            f"| {key} | {w * 1000:.0f} | {w / floor_wall:.2f} | {c * 1000:.0f} "
            f"| {c / floor_cpu:.2f} | {ins} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
