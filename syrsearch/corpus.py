"""The corpus: a folder of ``.txt`` articles, read as text.

Owns finding the files (recursively, never following directory links, so a
link loop cannot trap it), decoding their bytes (UTF-8, else UTF-16/32 by BOM,
else a damaged UTF-8 or a cp1252 file, with a warning that says which), and
splitting the text into title and body (see :mod:`syrsearch.text.metadata` for the
headline and the facts read from the text). Nothing here knows about Whoosh.
"""

from __future__ import annotations

import codecs
import fnmatch
import hashlib
import os
import re
import stat
from pathlib import Path

from .errors import CorpusError
from .model.indexing import Article, FileStamp
from .text.lang import language_code
from .text.metadata import extract, split_headline

SUFFIX = ".txt"
# Longer texts are not articles; index (and store) only this much of them.
MAX_CHARS = 2_000_000
MAX_BYTES = 4 * MAX_CHARS + 4  # what is read of a file: MAX_CHARS in any encoding, and a BOM


class Unreadable(Exception):
    """A corpus file that cannot be taken in as an article; the text says why."""


def scan(
    root: Path, *, follow_links: bool = False, folders: dict[str, int] | None = None
) -> dict[str, FileStamp]:
    """Map each ``.txt`` file under ``root`` (a posix relative path) to its stamp.

    Files that cannot be read (a dangling or looping link, a FIFO, a link to a
    file outside ``root`` unless ``follow_links``, a second file whose escaped
    name is another's) and folders that cannot be listed (as ``folder/``) are
    listed too, with the reason in their stamp, so the index run reports them.
    ``folders``, if given, gets each folder listed (``""``, ``football/``) with
    its modification time, taken before its listing: a file added, removed or
    renamed in it later changes that time.
    """
    if not root.is_dir():
        raise CorpusError(
            f"corpus folder {str(root)!r} does not exist",
            hint="pass --corpus DIR or set SYRSEARCH_CORPUS",
        )
    found: dict[str, FileStamp] = {}
    inside = os.path.realpath(root)
    _scan_dir(str(root), "", found, None if follow_links else inside, folders)
    return found


def _problem(reason: str, source: str | None = None) -> FileStamp:
    """The stamp of a file or folder that is not read; never equal to a stored
    one, so an article indexed before is removed."""
    return FileStamp(-1, -1, source, reason)


def _scan_dir(
    path: str,
    rel: str,
    found: dict[str, FileStamp],
    inside: str | None,
    folders: dict[str, int] | None,
) -> None:
    """One folder of :func:`scan`, depth first in name order; directory links
    are not followed, so a link loop cannot trap it. ``inside``: the corpus
    folder a file link must point into to be followed (None: any)."""
    try:
        if folders is not None:
            folders[rel] = os.stat(path).st_mtime_ns
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        if folders is not None:
            folders[rel] = -1  # never a folder's time: a query lists the corpus again
        if rel:  # the corpus folder itself was checked by scan()
            reason = f"folder cannot be listed: {exc.strerror or exc}"
            found[display_key(rel)] = _problem(reason)
        return
    for entry in entries:
        name = entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            _scan_dir(entry.path, f"{rel}{name}/", found, inside, folders)
            continue
        if not name.endswith(SUFFIX):
            continue
        key, source = display_key(rel + name), None
        if key != rel + name:
            source = rel + name
            if key in found:  # a real file has the escaped name (a\xff.txt)
                taken = f"escapes to '{key}', the name of another file: not indexed"
                found[_another_key(key, found)] = _problem(taken, source)
                continue
        elif key in found and found[key].source is not None:  # the escaped one came first
            found[_another_key(key, found)] = _problem(
                f"escapes to '{key}', the name of another file: not indexed",
                found[key].source,
            )
        if inside is not None and entry.is_symlink():
            target = os.path.realpath(entry.path)
            if os.path.commonpath([inside, target]) != inside:
                found[key] = _problem(
                    f"link to '{target}', outside the corpus: not followed"
                    " (--follow-links to index it)",
                    source,
                )
                continue
        try:
            st = os.stat(entry.path)
        except OSError as exc:
            found[key] = _problem(exc.strerror or str(exc), source)
            continue
        problem = None if stat.S_ISREG(st.st_mode) else "not a regular file"
        found[key] = FileStamp(st.st_size, st.st_mtime_ns, source, problem)


def article_id(relpath: str) -> str:
    """An article's id: its path relative to the corpus root without ``.txt``
    (``football/004``; ``000_277429d245566ea2`` in a flat corpus), the same
    whatever else the corpus holds and in whatever order it is indexed."""
    return relpath[: -len(SUFFIX)] if relpath.endswith(SUFFIX) else relpath


def _another_key(key: str, found: dict[str, FileStamp]) -> str:
    """``key (2)``, or the first of ``key (3)``, ... not taken."""
    n = 2
    while f"{key} ({n})" in found:
        n += 1
    return f"{key} ({n})"


def display_key(rel: str) -> str:
    """``rel`` as valid Unicode: undecodable name bytes become ``\\xNN``."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return rel


def read_bytes(root: Path, relpath: str) -> bytes:
    """The raw bytes of one corpus file (at most :data:`MAX_BYTES`: enough for
    :data:`MAX_CHARS` characters in any encoding), or :class:`Unreadable`.

    The file is opened without blocking and checked after opening: a file
    replaced by a FIFO or a device since the scan is refused, never waited on.
    """
    path = root / relpath
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Unreadable("not a regular file")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            return _whole_characters(fh.read(MAX_BYTES + 1))
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    finally:
        if fd >= 0:
            os.close(fd)


def _whole_characters(data: bytes) -> bytes:
    """``data``, if longer than :data:`MAX_BYTES`, cut there, less a UTF-8
    sequence the cut splits (the text is cut at :data:`MAX_CHARS` later)."""
    if len(data) <= MAX_BYTES:
        return data
    data = data[:MAX_BYTES]  # a multiple of 4: UTF-16 and UTF-32 stay whole
    for back in range(1, 4):
        byte = data[-back]
        if byte < 0x80:
            break
        if byte >= 0xC0:  # the lead byte of a sequence of 2, 3 or 4
            if back < (2 if byte < 0xE0 else 3 if byte < 0xF0 else 4):
                data = data[:-back]
            break
    return data


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def decode(data: bytes) -> tuple[str, str, str | None]:
    """Decode article bytes: ``(text, encoding, warning or None)``.

    Raises :class:`Unreadable` for data that is not text.
    """
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, None
            except UnicodeDecodeError:
                text = data.decode(encoding, errors="replace")
                return text, encoding, f"invalid {encoding} bytes replaced"
    if b"\x00" in data:
        guess = _utf16_without_bom(data)
        if guess is None:
            raise Unreadable("binary file (contains NUL bytes)")
        return data.decode(guess, errors="replace"), guess, f"decoded as {guess} (no BOM)"
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    lossy = data.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd")
    good_multibyte = sum(1 for c in lossy if ord(c) > 0x7F) - bad
    if good_multibyte > bad:
        return lossy, "utf-8", f"{bad} invalid UTF-8 byte sequence(s) replaced"
    text = data.decode("cp1252", errors="latin1_fallback")
    return text, "cp1252", "not valid UTF-8, decoded as cp1252"


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("latin1_fallback", _latin1_fallback)


def _utf16_without_bom(data: bytes) -> str | None:
    even, odd = data[0::2], data[1::2]
    if len(data) < 4:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def split_title(text: str) -> tuple[str, str]:
    """Title = the headline: the first non-blank line (stripped), or the line
    after it when that is site chrome (``TODAY.AZ / World news``); body =
    everything else, the chrome line included."""
    return split_headline(text)


def read_article(root: Path, relpath: str, stamp: FileStamp) -> tuple[Article, str | None]:
    """Read one file into an :class:`Article`; the second item is a warning."""
    if stamp.problem:
        raise Unreadable(stamp.problem)
    data = read_bytes(root, stamp.source or relpath)
    text, encoding, warning = decode(data)
    if stamp.source is not None:
        note = f"file name is not valid UTF-8, indexed as '{relpath}'"
        warning = f"{warning}; {note}" if warning else note
    if not text.strip():
        raise Unreadable("empty" if not data else "no text (only white space)")
    if _mostly_control(text):
        raise Unreadable("binary file (mostly control characters)")
    if len(text) > MAX_CHARS:
        note = f"longer than {MAX_CHARS:,} characters; only the first {MAX_CHARS:,} indexed"
        warning = f"{warning}; {note}" if warning else note
        text = text[:MAX_CHARS]
    title, body = split_title(text)
    article = Article(relpath, title, body, stamp, digest(data), encoding, extract(title, body))
    return article, warning


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")


def _mostly_control(text: str) -> bool:
    sample = text[:4096]
    return len(_CONTROL.findall(sample)) > 0.1 * len(sample)


LANG_FILE = ".syrsearch-lang"
"""A folder's language settings, for articles whose language detection gets
wrong: one rule a line, ``CODE`` (every article under the folder) or
``PATTERN CODE`` (the articles whose path below the folder, or file name,
matches the glob ``PATTERN``); ``#`` starts a comment. The nearest folder
with a rule that matches decides, and in its file the last such rule.
``CODE`` is an ISO 639-1 code (``ru``); ``auto`` undoes a rule above."""
AUTO = "auto"


class LanguageRules:
    """The ``.syrsearch-lang`` files of a corpus, read once each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._rules: dict[str, list[tuple[str, str]]] = {}
        self._ruled: dict[str, bool] = {}  # folder -> whether it or a folder above has rules

    def _folder_rules(self, folder: str) -> list[tuple[str, str]]:
        if folder not in self._rules:
            rules: list[tuple[str, str]] = []
            try:
                text = (self.root / folder / LANG_FILE).read_text(encoding="utf-8")
            except (OSError, UnicodeError):
                text = ""
            for line in text.splitlines():
                fields = line.split("#", 1)[0].split()
                if not fields or len(fields) > 2:
                    continue
                pattern, code = ("*", fields[0]) if len(fields) == 1 else fields
                code = code.lower()
                if code == AUTO or language_code(code):
                    rules.append((pattern, code))
            self._rules[folder] = rules
        return self._rules[folder]

    def _any_rules(self, folder: str) -> bool:
        known = self._ruled.get(folder)
        if known is None:
            above = folder.rpartition("/")[0] if folder else None
            known = bool(self._folder_rules(folder)) or (
                above is not None and self._any_rules(above)
            )
            self._ruled[folder] = known
        return known

    def language(self, relpath: str) -> str | None:
        """The language the settings give the article at ``relpath``, or None
        (detect it)."""
        if not self._any_rules(relpath.rpartition("/")[0]):
            return None
        parts = relpath.split("/")
        for depth in range(len(parts) - 1, -1, -1):
            folder = "/".join(parts[:depth])
            below = "/".join(parts[depth:])
            for pattern, code in reversed(self._folder_rules(folder)):
                if fnmatch.fnmatchcase(below, pattern) or fnmatch.fnmatchcase(parts[-1], pattern):
                    return None if code == AUTO else code
        return None
