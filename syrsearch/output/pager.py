"""Long human output on a terminal goes through a pager, as git does it.

The pager is ``$SYRSEARCH_PAGER``, else ``$PAGER``, else ``less -R``; ``LESS``
is set to ``FRX`` when unset (quit if one screen, pass colours, leave the text
on the screen), ``cat`` or an empty value means none. The caller decides
*whether* to page (a terminal, a human format, no ``--no-pager``); this module
runs the pager, writes to it, and waits for the reader to quit.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from typing import IO, cast

DEFAULT_PAGER = "less -R"


def pager_command(environ: Mapping[str, str]) -> str | None:
    """The shell command to page with, or None for none."""
    for name in ("SYRSEARCH_PAGER", "PAGER"):
        if name in environ:
            command = environ[name].strip()
            return None if command in ("", "cat") else command
    return DEFAULT_PAGER if shutil.which("less") else None


def pager_environment(environ: Mapping[str, str]) -> dict[str, str]:
    env = dict(environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    return env


class _Pipe(io.TextIOBase):
    """The pager's input; once the reader has quit, what is written is dropped
    (Rich would otherwise end the process on the closed pipe)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.reader_quit = False

    def write(self, text: str) -> int:
        if not self.reader_quit:
            try:
                self.stream.write(text)
            except (BrokenPipeError, OSError):
                self.reader_quit = True
        return len(text)

    def flush(self) -> None:
        if not self.reader_quit:
            try:
                self.stream.flush()
            except (BrokenPipeError, OSError):
                self.reader_quit = True

    def isatty(self) -> bool:
        return False


@contextlib.contextmanager
def paged(command: str, environ: Mapping[str, str]) -> Iterator[IO[str]]:
    """A stream into ``command``'s standard input; on leaving, wait until the
    reader quits. A reader that quits early is not an error: the rest of the
    output is dropped."""
    proc = subprocess.Popen(
        command,
        shell=True,
        stdin=subprocess.PIPE,
        env=pager_environment(environ),
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    assert proc.stdin is not None
    pipe = _Pipe(proc.stdin)
    try:
        yield cast(IO[str], pipe)
        pipe.flush()
    finally:
        with contextlib.suppress(BrokenPipeError, OSError):
            proc.stdin.close()
        while True:
            try:
                proc.wait()
                break
            except KeyboardInterrupt:  # the pager has the terminal: it decides when to end
                continue
