"""Indexing: keep an index folder in step with the files of a corpus.

A fresh build (first run, ``--rebuild``, or an index of another format) is made
in a new generation folder and becomes live only when complete (see
:mod:`syrsearch.engine.index`); incremental runs change the live generation
through Whoosh's own atomic commits. New files are added, changed files (size
or modification time, then content hash) re-indexed, deleted files removed.
Large builds run a Whoosh writer process per CPU.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import queue
import shutil
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from ..corpus import LanguageRules, Unreadable, read_article, scan
from ..errors import IndexWriteError
from ..model import DEFAULT_LOCK_WAIT
from ..model.indexing import Article, FileStamp, IndexReport
from ..text.lang import detect_language
from .index import new_generation, switch_to, usable_generation, write_meta, writer_lock
from .schema import document, make_schema

Progress = Callable[[int, int], None]
Warn = Callable[[str, str], None]


def _stamp_text(stamp: FileStamp, digest: str, setting: str | None) -> str:
    """What the index keeps to tell a changed file: size, time, content hash,
    and the language a ``.syrsearch-lang`` setting gave it."""
    text = f"{stamp.size}:{stamp.mtime_ns}:{digest}"
    return f"{text}:{setting}" if setting else text


def _parse_stamp(text: str) -> tuple[FileStamp, str, str | None]:
    size, mtime, digest, *setting = text.split(":")
    return FileStamp(int(size), int(mtime)), digest, setting[0] if setting else None


Entry = tuple[FileStamp, str, str, "str | None"]
"""What the index knows of a file: stamp, digest, id, language setting."""


def _manifest(ix: Any) -> dict[str, Entry]:
    """relpath -> (stamp, digest, id, setting) for every live document, read from columns."""
    manifest: dict[str, Entry] = {}
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
                stamp, digest, setting = _parse_stamp(stamps[docnum])
                manifest[path] = (stamp, digest, ids[docnum], setting)
    return manifest


def update_index(
    corpus: Path,
    folder: Path,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    warn: Warn | None = None,
    notice: Callable[[str], None] | None = None,
    lock_timeout: float = DEFAULT_LOCK_WAIT,
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
    with writer_lock(folder, lock_timeout, notice):
        gen = None if rebuild else usable_generation(folder)
        report = IndexReport(rebuilt=gen is None)
        if gen is None:
            gen = new_generation(folder)
            ix = whoosh_index.create_in(str(gen), make_schema())
            manifest: dict[str, Entry] = {}
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
            write_meta(gen, corpus)
            if report.rebuilt:
                switch_to(folder, gen)
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
    manifest: dict[str, Entry],
    report: IndexReport,
    progress: Progress | None,
    warn: Warn | None,
) -> None:
    removed = [rel for rel in manifest if rel not in stamps]
    rules = LanguageRules(corpus)
    settings = {rel: rules.language(rel) for rel in stamps}
    to_read = [
        rel
        for rel, st in stamps.items()
        if rel not in manifest or manifest[rel][0] != st or manifest[rel][3] != settings[rel]
    ]
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
            if old is not None and old[1] == article.digest and old[3] == settings[rel]:
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
            setting = settings[rel]
            stamp = _stamp_text(article.stamp, article.digest, setting)
            lang = setting or detect_language(article.title + "\n" + article.body)
            writer.add_document(**document(article, doc_id, stamp, lang))
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
                put(item, timeout=1.0)
                return
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
