"""The terminal: which format and whether to colour, decided once; text made safe.

:func:`resolve_format` and :func:`resolve_color` are pure functions of the
flags, whether stdout is a terminal, and the environment. :func:`safe` makes
control characters visible before article text reaches a terminal or a pipe
in a human format. Rich is imported only by the layouts that need it, so
machine output starts fast.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from enum import Enum
from typing import IO, Any


class OutputFormat(str, Enum):
    """What a command writes: ``rich`` and ``text`` for people, the rest for programs."""

    rich = "rich"
    text = "text"
    json = "json"
    jsonl = "jsonl"
    tsv = "tsv"
    paths = "paths"
    csv = "csv"
    markdown = "markdown"


class ExportFormat(str, Enum):
    """``export --format``: JSON lines, or Elasticsearch/OpenSearch ``_bulk`` NDJSON
    (here, beside :class:`OutputFormat`, so that declaring the option loads no writer)."""

    jsonl = "jsonl"
    bulk = "bulk"


class ColorMode(str, Enum):
    """``--color``: ``auto`` colours a terminal only."""

    auto = "auto"
    always = "always"
    never = "never"


HUMAN_FORMATS = frozenset({OutputFormat.rich, OutputFormat.text})
SNIPPET_FORMATS = HUMAN_FORMATS | {OutputFormat.json, OutputFormat.jsonl, OutputFormat.markdown}
"""The formats that show snippets and title highlights (``paths``, ``tsv`` and
``csv`` rows have neither, so a query for them computes neither)."""
HIGHLIGHT_STYLE = "bold yellow"
ANSI_BOLD_YELLOW = "\x1b[1;33m"
ANSI_RESET = "\x1b[0m"


def resolve_format(
    requested: OutputFormat | None,
    stdout_isatty: bool,
    piped: OutputFormat = OutputFormat.text,
) -> OutputFormat:
    """``rich`` on a terminal, ``piped`` (``text``; ``tsv`` for the research
    views' rows) on a pipe, unless asked otherwise."""
    if requested is not None:
        return requested
    return OutputFormat.rich if stdout_isatty else piped


def resolve_color(
    mode: ColorMode, fmt: OutputFormat, stdout_isatty: bool, environ: Mapping[str, str]
) -> bool:
    """Whether to colour: never for machine formats; the flag, then NO_COLOR,
    then FORCE_COLOR, then whether stdout is a terminal."""
    if fmt not in HUMAN_FORMATS or mode is ColorMode.never:
        return False
    if mode is ColorMode.always:
        return True
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR") not in (None, "", "0"):
        return True
    return stdout_isatty


# -- making text safe ---------------------------------------------------------

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code in (0x0B, 0x0C, 0x0D):
        return " "
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def safe(text: str) -> str:
    """Control characters (ESC, BEL, bidi overrides, ...) made visible, one
    character for one so highlight offsets stay valid."""
    return _UNSAFE.sub(_visible, text)


def safe_name(text: str) -> str:
    """An id or a path as :func:`safe`, newlines and tabs made visible too
    (``␊``, ``␉``): a file name may hold them, and must stay on its line."""
    return safe(text).replace("\n", "\u240a").replace("\t", "\u2409")


def one_line(text: str) -> str:
    return safe(" ".join(text.split()))


def stderr_line(line: str) -> None:
    """One line on stderr, written at once."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def terminal_width() -> int | None:
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        return None


def console(out: IO[str], color: bool, width: int | None) -> Any:
    """A Rich console writing to ``out`` that never reads markup or emoji codes."""
    from rich.console import Console

    return Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        # "standard", not "auto": Rich would drop colour for TERM=dumb even when forced.
        color_system="standard" if color else None,
        highlight=False,
        markup=False,
        emoji=False,
        width=width,
        soft_wrap=False,
    )
