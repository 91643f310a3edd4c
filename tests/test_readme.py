"""Every ``console`` example in the README runs and prints what the README shows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, syrsearch_exe

TIMING = re.compile(r"\(\d+\.\d+ s\)")


def console_examples(readme: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs from the README's ```console blocks."""
    examples: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", readme, flags=re.S):
        command, output = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    examples.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            examples.append((command, "\n".join(output)))
    return examples


EXAMPLES = console_examples((ROOT / "README.md").read_text(encoding="utf-8"))


def normalise(text: str) -> str:
    return TIMING.sub("(N s)", text).rstrip("\n")


def test_readme_has_pipeline_examples() -> None:
    pipelines = [c for c, _ in EXAMPLES if "|" in c]
    assert len(pipelines) >= 6
    for tool in ("jq", "xargs -0", "head"):
        assert any(tool in c for c in pipelines), tool


@pytest.mark.skipif(shutil.which("jq") is None, reason="the README's examples use jq")
def test_readme_examples_print_what_the_readme_shows(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    bindir = os.path.dirname(syrsearch_exe()[0]) if len(syrsearch_exe()) == 1 else None
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SYRSEARCH_", "NO_COLOR", "FORCE_COLOR"))
    }
    if bindir:
        env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    else:  # no console script: stand one in for the shell
        shim = tmp_path / "bin" / "syrsearch"
        shim.parent.mkdir()
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m syrsearch "$@"\n')
        shim.chmod(0o755)
        env["PATH"] = str(shim.parent) + os.pathsep + env.get("PATH", "")
    for command, expected in EXAMPLES:
        done = subprocess.run(
            ["bash", "-c", command + " 2>&1"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert normalise(done.stdout) == normalise(expected), command


def test_the_library_example_runs(tmp_path: Path) -> None:
    """The README's Python example, run as written in a folder with the seeds."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("1 003_325ec279d4bf9786 Moscow seeks to boost cooperation")
    assert "2017-01-25" in lines[0]
    assert len(lines) == 4


def test_the_library_takes_a_folder_as_a_string_too(tmp_path: Path) -> None:
    import syrsearch

    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    report = syrsearch.update_index(str(tmp_path / "seeds"), str(tmp_path / "index"))
    assert report.added == 5
    with syrsearch.open_index(str(tmp_path / "index")) as index:
        assert syrsearch.search(index, "ceasefire").total >= 1
