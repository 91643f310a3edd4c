"""OSC 8 hyperlinks: a path that opens the file, a title that opens the article's URL.

A link target is made safe before it reaches the terminal: only ``http``,
``https`` and ``file`` URLs, and every character outside printable ASCII
(ESC, BEL, spaces, bidi controls, any non-ASCII letter) percent-encoded, so
no escape sequence can be smuggled through an article's URL.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import Enum
from urllib.parse import quote, urlsplit

SCHEMES = frozenset({"http", "https", "file"})
_KEEP = "!#$%&'()*+,-./:;=?@[]_~"


class HyperlinkMode(str, Enum):
    """``--hyperlinks``: ``auto`` links on a terminal that shows colour."""

    auto = "auto"
    always = "always"
    never = "never"


def resolve_hyperlinks(
    mode: HyperlinkMode, human: bool, color: bool, stdout_isatty: bool, environ: Mapping[str, str]
) -> bool:
    """Whether to write hyperlinks: never in a machine format; the flag; then
    on a terminal with colour on, unless ``TERM`` is ``dumb`` or
    ``NO_HYPERLINKS`` is set."""
    if not human or mode is HyperlinkMode.never:
        return False
    if mode is HyperlinkMode.always:
        return True
    if environ.get("NO_HYPERLINKS") or environ.get("TERM") == "dumb":
        return False
    return color and stdout_isatty


def safe_url(url: str) -> str | None:
    """``url`` fit to put in an escape sequence (``www.x`` read as
    ``https://www.x``), or None if it is not a web or file URL."""
    url = url.strip()
    if url[:4].lower() == "www.":
        url = "https://" + url
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in SCHEMES:
        return None
    return quote(url, safe=_KEEP)


def file_url(path: str) -> str:
    """``file://`` URL of a path (relative to the working folder)."""
    return "file://" + quote(os.path.abspath(path), safe="/")


def osc8(text: str, url: str | None) -> str:
    """``text`` as a hyperlink to ``url`` (already safe), or as it is."""
    if not url:
        return text
    return f"\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\"
