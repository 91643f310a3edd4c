"""What a person sees on stderr while the index is built: progress, warnings, the summary.

:class:`Reporter` is what :func:`syrsearch.app.build` tells as it goes
(:class:`syrsearch.app.IndexEvents`). The progress bar shows only on a
terminal, for runs of :data:`PROGRESS_MIN` articles or more: first the
articles read and analysed (a count), then each later phase (the workers
finishing, writing, merging) by name with a spinner and the time it has
taken; warnings print above it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .terminal import one_line, stderr_line

if TYPE_CHECKING:  # only an annotation: a search need not define it
    from ..model.indexing import IndexReport

PROG = "syrsearch"
PROGRESS_MIN = 200
"""Runs with fewer articles to read show no progress bar."""


class Reporter:
    """Progress bar (on a terminal, for long runs), warnings and notices on stderr."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.task: Any = None
        self.phase_task: Any = None

    def notice(self, message: str) -> None:
        if not self.quiet:
            stderr_line(f"{PROG}: {one_line(message)}")

    def warn(self, relpath: str, reason: str) -> None:
        line = f"{PROG}: warning: {one_line(relpath)}: {one_line(reason)}"
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False)
        else:
            stderr_line(line)

    def progress(self, done: int, total: int) -> None:
        if self.quiet or total < PROGRESS_MIN or not sys.stderr.isatty():
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[count]}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("reading and analysing", total=total, count="")
        self.bar.update(self.task, completed=done, count=f"{done:,}/{total:,}")

    def phase(self, name: str) -> None:
        """A phase with no count of its own: shown once the bar is (a long run)."""
        if self.bar is None:
            return
        if self.task is not None:
            self.bar.update(self.task, visible=False)
        if self.phase_task is not None:
            self.bar.remove_task(self.phase_task)
        self.phase_task = self.bar.add_task(name, total=None, count="")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
            self.task = self.phase_task = None

    def finished(self, report: IndexReport, corpus: Path, index_dir: Path) -> None:
        self.close()
        if not self.quiet:
            stderr_line(summary(report, corpus, index_dir))


def summary(report: IndexReport, corpus: Path, index_dir: Path) -> str:
    """The one line an index run ends with."""
    if not report.changed and not report.skipped:
        return (
            f"{PROG}: index '{index_dir}' is up to date: {report.total} articles, "
            f"nothing to re-index ({report.seconds:.2f} s)"
        )
    what = "built" if report.rebuilt else "updated"
    return (
        f"{PROG}: {what} index '{index_dir}' from '{corpus}': {report.added} added, "
        f"{report.updated} updated, {report.removed} removed, {report.unchanged} unchanged, "
        f"{len(report.skipped)} skipped; {report.total} articles ({report.seconds:.2f} s)"
    )
