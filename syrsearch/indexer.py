"""The index: a Whoosh index of the corpus, kept in step with the files.

Layout of an index folder::

    index/CURRENT        names the live generation, e.g. "gen-000001"
    index/gen-000001/    a Whoosh index, plus syrsearch.json (format, corpus)

Each article is stored with its title, its body (zlib-compressed: it is only
read back for snippets, ``show`` and ``export``), and the facts read from its
text: ``date`` (ISO, sortable, absent when the text gives none), ``source``
(comparison keys of the sources it names, for filtering) and ``meta`` (the
sources as written, and its links).

A fresh build (first run, ``--rebuild``, or an index of another format) is made
in a new generation folder and becomes live only when complete, by replacing
``CURRENT`` atomically; until then readers keep the previous one. Incremental
runs change the live generation through Whoosh's own atomic commits. One
writer at a time: a lock file in the index folder, released by the operating
system if the process dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import queue
import shutil
import signal
import sys
import time
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Positions

from . import __version__
from .analysis import NewsAnalyzer, term_positions
from .corpus import Article, FileStamp, Unreadable, read_article, scan
from .errors import IndexDamagedError, IndexLockedError, IndexMissingError, IndexWriteError
from .metadata import source_key

FORMAT = 3
CURRENT = "CURRENT"
META = "syrsearch.json"
LOCK = "LOCK"
SEARCH_FIELDS = ("title", "body")


class CompactPositions(Positions):
    """Whoosh's ``Positions`` posting format, smaller and quicker to write.

    Positions are stored as one type byte and an array of deltas of the
    narrowest item size that fits, instead of a pickled list behind a 4-byte
    count (a word seen once in an article: 2 bytes instead of 13). Text from
    :class:`NewsAnalyzer` is tokenized by :func:`term_positions`, without a
    Whoosh token object per term.
    """

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Any:
        if not isinstance(analyzer, NewsAnalyzer) or not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for term, poslist in term_positions(value).items():
            yield term, len(poslist), len(poslist) * boost, self.encode(poslist)

    def encode(self, poslist: Any) -> bytes:
        if len(poslist) == 1 and poslist[0] < 256:  # most terms of an article
            return _ONE_BYTE[poslist[0]]
        deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
        top = max(deltas)
        code = "B" if top < 1 << 8 else "H" if top < 1 << 16 else "I"
        return code.encode("ascii") + array(code, deltas).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return list(accumulate(array(chr(valuestring[0]), valuestring[1:])))

    def decode_frequency(self, valuestring: bytes) -> int:
        return (len(valuestring) - 1) // array(chr(valuestring[0])).itemsize


_ONE_BYTE = [b"B" + bytes([n]) for n in range(256)]


def make_schema() -> Schema:
    analyzer = NewsAnalyzer()
    positions = CompactPositions()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        path=ID(stored=True, unique=True, sortable=True),
        stamp=ID(stored=True, sortable=True),
        title=_text_field(analyzer, positions, stored=True),
        body=_text_field(analyzer, positions, stored=False),
        body_z=STORED(),
        date=ID(stored=True, sortable=True),
        source=KEYWORD(scorable=False),
        meta=STORED(),
        encoding=STORED(),
    )


def _text_field(analyzer: NewsAnalyzer, positions: Positions, *, stored: bool) -> TEXT:
    field = TEXT(analyzer=analyzer, stored=stored, phrase=True)
    field.format = positions
    return field


def term_text(term: object) -> str:
    """A term as Whoosh hands it back (bytes or str), as text."""
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


def doc_frequency(reader: Any, fieldname: str, term: str) -> int:
    """How many articles have ``term`` in ``fieldname`` (0 if the field has no terms)."""
    try:
        return int(reader.doc_frequency(fieldname, term))
    except Exception:
        return 0


def pack_body(body: str) -> bytes:
    return zlib.compress(body.encode("utf-8", "surrogatepass"), 6)


def unpack_body(stored: dict[str, Any]) -> str:
    """The body text of a stored document."""
    data = stored.get("body_z")
    return zlib.decompress(data).decode("utf-8", "surrogatepass") if data else ""


@dataclass(slots=True)
class IndexReport:
    """What one index run did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    rebuilt: bool = False
    seconds: float = 0.0
    total: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)


Progress = Callable[[int, int], None]
Warn = Callable[[str, str], None]


@dataclass(frozen=True, slots=True)
class IndexHandle:
    """An open, readable index and what it knows of its corpus."""

    ix: Any
    corpus: Path
    folder: Path

    def article_path(self, relpath: str) -> str:
        """The article's file path, relative to the working directory if under it."""
        full = self.corpus / relpath
        try:
            return str(full.relative_to(Path.cwd()))
        except ValueError:
            return str(full)


def _stamp_text(stamp: FileStamp, digest: str) -> str:
    return f"{stamp.size}:{stamp.mtime_ns}:{digest}"


def _parse_stamp(text: str) -> tuple[FileStamp, str]:
    size, mtime, digest = text.split(":", 2)
    return FileStamp(int(size), int(mtime)), digest


def _current_generation(folder: Path) -> Path | None:
    try:
        name = (folder / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise IndexDamagedError(
            f"cannot read {folder / CURRENT}: {exc.strerror}",
            hint="run 'syrsearch index --rebuild'",
        ) from None
    if not name.startswith("gen-") or "/" in name or not (folder / name).is_dir():
        raise IndexDamagedError(
            f"index in '{folder}' is damaged ({CURRENT} names no generation)",
            hint="run 'syrsearch index --rebuild'",
        )
    return folder / name


def open_index(folder: Path) -> IndexHandle:
    """Open the live index in ``folder`` for reading."""
    gen = _current_generation(folder)
    if gen is None:
        raise IndexMissingError(f"no index in '{folder}'", hint="run 'syrsearch index' to build it")
    damaged = IndexDamagedError(
        f"index in '{folder}' is damaged or was built by another version",
        hint="run 'syrsearch index --rebuild'",
    )
    try:
        meta = json.loads((gen / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise damaged from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise damaged
    try:
        ix = whoosh_index.open_dir(str(gen))
        # Touch every segment now, so damage shows here and not mid-search.
        with ix.reader() as reader:
            reader.doc_count_all()
    except Exception:
        raise damaged from None
    return IndexHandle(ix, Path(meta.get("corpus", "")), folder)


@contextlib.contextmanager
def _writer_lock(folder: Path, timeout: float, notice: Callable[[str], None]) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileStorage(str(folder)).lock(LOCK)
    if not lock.acquire(blocking=False):
        notice(f"waiting for another 'syrsearch index' on '{folder}' ...")
        deadline = time.monotonic() + timeout
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise IndexLockedError(
                    f"index '{folder}' is being written by another process",
                    hint="wait for it to finish, or pass a longer --wait",
                )
            time.sleep(0.1)
    try:
        yield
    finally:
        lock.release()


def _manifest(ix: Any) -> dict[str, tuple[FileStamp, str, str]]:
    """relpath -> (stamp, digest, id) for every live document, read from columns."""
    manifest: dict[str, tuple[FileStamp, str, str]] = {}
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            # Whole columns at once: much quicker than a lookup per document.
            paths = list(leaf.column_reader("path"))
            stamps = list(leaf.column_reader("stamp"))
            ids = list(leaf.column_reader("id"))
            deleted = leaf.is_deleted if leaf.has_deletions() else None
            for docnum, path in enumerate(paths):
                if deleted is not None and deleted(docnum):
                    continue
                stamp, digest = _parse_stamp(stamps[docnum])
                manifest[path] = (stamp, digest, ids[docnum])
    return manifest


def _new_generation(folder: Path) -> Path:
    existing = [int(p.name[4:]) for p in folder.glob("gen-*") if p.name[4:].isdigit()]
    gen = folder / f"gen-{max(existing, default=0) + 1:06d}"
    gen.mkdir(parents=True)
    return gen


def _write_meta(gen: Path, corpus: Path) -> None:
    meta = {"format": FORMAT, "corpus": str(corpus), "syrsearch": __version__}
    tmp = gen / (META + ".tmp")
    tmp.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    os.replace(tmp, gen / META)


def _switch_to(folder: Path, gen: Path) -> None:
    tmp = folder / (CURRENT + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(gen.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    try:
        previous = _current_generation(folder)
    except IndexDamagedError:
        previous = None
    os.replace(tmp, folder / CURRENT)
    # Keep the generation just replaced, so a query that opened it before the
    # switch can finish; older ones go.
    for old in folder.glob("gen-*"):
        if old not in (gen, previous):
            shutil.rmtree(old, ignore_errors=True)


def _usable_generation(folder: Path) -> Path | None:
    try:
        open_index(folder)
    except (IndexMissingError, IndexDamagedError):
        return None
    return _current_generation(folder)


def update_index(
    corpus: Path,
    folder: Path,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    warn: Warn | None = None,
    notice: Callable[[str], None] | None = None,
    lock_timeout: float = 30.0,
) -> IndexReport:
    """Bring the index in ``folder`` in step with the files under ``corpus``."""
    started = time.perf_counter()
    notice = notice or (lambda _msg: None)
    stamps = scan(corpus)
    corpus = corpus.resolve()
    try:
        report = _update(corpus, folder, stamps, rebuild, progress, warn, notice, lock_timeout)
    except OSError as exc:
        raise IndexWriteError(
            f"cannot write the index in '{folder}': {exc.strerror or exc}",
            hint="check that it is a folder you can write to, with free space",
        ) from None
    report.seconds = time.perf_counter() - started
    return report


def _update(
    corpus: Path,
    folder: Path,
    stamps: dict[str, FileStamp],
    rebuild: bool,
    progress: Progress | None,
    warn: Warn | None,
    notice: Callable[[str], None],
    lock_timeout: float,
) -> IndexReport:
    with _writer_lock(folder, lock_timeout, notice):
        gen = None if rebuild else _usable_generation(folder)
        report = IndexReport(rebuilt=gen is None)
        if gen is None:
            gen = _new_generation(folder)
            ix = whoosh_index.create_in(str(gen), make_schema())
            manifest: dict[str, tuple[FileStamp, str, str]] = {}
        else:
            ix = whoosh_index.open_dir(str(gen))
            manifest = _manifest(ix)
        try:
            _apply(ix, corpus, stamps, manifest, report, progress, warn)
            if report.rebuilt and ix.doc_count() != report.added:
                raise IndexWriteError(
                    f"indexing in '{folder}' lost articles ({ix.doc_count():,} of "
                    f"{report.added:,} written); the previous index is unchanged",
                    hint="run 'syrsearch index' again",
                )
            _write_meta(gen, corpus)
            if report.rebuilt:
                _switch_to(folder, gen)
        except BaseException:
            if report.rebuilt:
                shutil.rmtree(gen, ignore_errors=True)
            raise
        finally:
            ix.close()
    return report


def _apply(
    ix: Any,
    corpus: Path,
    stamps: dict[str, FileStamp],
    manifest: dict[str, tuple[FileStamp, str, str]],
    report: IndexReport,
    progress: Progress | None,
    warn: Warn | None,
) -> None:
    removed = [rel for rel in manifest if rel not in stamps]
    to_read = [rel for rel, st in stamps.items() if rel not in manifest or manifest[rel][0] != st]
    report.unchanged = len(stamps) - len(to_read)
    ids_taken = {entry[2]: rel for rel, entry in manifest.items()}
    writer = None

    def open_writer() -> Any:
        # Worker processes only for a new generation, which is checked before
        # it goes live (a worker that dies takes its articles with it).
        return _writer(ix, len(to_read) if report.rebuilt else 0)

    try:
        for rel in removed:
            writer = writer or open_writer()
            writer.delete_by_term("path", rel)
            ids_taken.pop(manifest[rel][2], None)
            report.removed += 1
        for done, rel in enumerate(to_read, 1):
            if progress:
                progress(done, len(to_read))
            old = manifest.get(rel)
            try:
                article, warning = read_article(corpus, rel, stamps[rel])
            except Unreadable as exc:
                report.skipped.append((rel, str(exc)))
                if warn:
                    warn(rel, str(exc))
                if old is not None:
                    writer = writer or open_writer()
                    writer.delete_by_term("path", rel)
                    ids_taken.pop(old[2], None)
                    report.removed += 1
                continue
            if warning:
                report.warnings.append((rel, warning))
                if warn:
                    warn(rel, warning)
            if old is not None and old[1] == article.digest:
                report.unchanged += 1
                continue
            writer = writer or open_writer()
            if old is not None:
                writer.delete_by_term("path", rel)
                doc_id = old[2]
                report.updated += 1
            else:
                doc_id = _choose_id(article, ids_taken)
                report.added += 1
            ids_taken[doc_id] = rel
            writer.add_document(**_fields(article, doc_id))
        if writer is not None:
            writer.commit()
            writer = None
    finally:
        if writer is not None:
            writer.cancel()
    report.total = len(stamps) - len(report.skipped)


PARALLEL_MIN = 2000
"""Index at least this many articles in one run with a process per CPU."""
PARALLEL_BATCH = 256
"""Articles handed to a worker at a time."""


def _writer(ix: Any, count: int) -> Any:
    """A Whoosh writer: one process for small runs; for large ones a writer
    per CPU (at most 4), each making its own segment, which are not merged."""
    procs = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    if count < PARALLEL_MIN or procs < 2:
        return ix.writer(limitmb=256, compound=False)
    _die_with_parent()
    writer = ix.writer(
        procs=procs, multisegment=True, limitmb=128, batchsize=PARALLEL_BATCH, compound=False
    )
    _fail_if_a_worker_dies(writer)
    return writer


def _fail_if_a_worker_dies(writer: Any) -> None:
    """Whoosh's parallel writer waits forever to hand work to a worker that
    has died; raise instead."""
    put = writer.jobqueue.put

    def guarded_put(item: Any, block: bool = True, timeout: float | None = None) -> None:
        while True:
            try:
                return put(item, timeout=1.0)
            except queue.Full:
                if any(not task.is_alive() for task in writer.tasks):
                    raise IndexWriteError(
                        "an indexing worker process died; the previous index is unchanged",
                        hint="run 'syrsearch index' again",
                    ) from None

    writer.jobqueue.put = guarded_put


_REGISTERED = False


def _die_with_parent() -> None:
    """Have forked index workers killed if this process dies (Linux), so a
    killed ``index`` run leaves no worker waiting for work forever."""
    global _REGISTERED
    if _REGISTERED or not sys.platform.startswith("linux"):
        return
    _REGISTERED = True

    def arm() -> None:
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

    os.register_at_fork(after_in_child=arm)


def _choose_id(article: Article, taken: dict[str, str]) -> str:
    candidate = article.stem
    if candidate not in taken:
        return candidate
    candidate = (
        article.relpath[: -len(".txt")] if article.relpath.endswith(".txt") else article.relpath
    )
    base, n = candidate, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}~{n}"
    return candidate


def _fields(article: Article, doc_id: str) -> dict[str, Any]:
    meta = article.metadata
    fields: dict[str, Any] = {
        "id": doc_id,
        "path": article.relpath,
        "stamp": _stamp_text(article.stamp, article.digest),
        "title": article.title,
        "body": article.body,
        "body_z": pack_body(article.body),
        "meta": {"sources": list(meta.sources), "urls": list(meta.urls)},
        "encoding": article.encoding,
    }
    if meta.date is not None:
        fields["date"] = meta.date.isoformat()
    if meta.sources:
        fields["source"] = " ".join(source_key(s) for s in meta.sources)
    return fields
