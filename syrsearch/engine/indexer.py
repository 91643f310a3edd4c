"""Indexing: keep an index folder in step with the files of a corpus.

A fresh build (first run, ``--rebuild``, or an index of another format) is made
in a new generation folder and becomes live only when complete (see
:mod:`syrsearch.engine.index`); incremental runs change the live generation
through Whoosh's own atomic commits. New files are added, changed files (size
or modification time, then content hash) re-indexed, deleted files removed.
Large builds run a Whoosh writer process per CPU, started with the
``forkserver`` method (else ``spawn``; ``$SYRSEARCH_START_METHOD`` chooses),
never with a bare ``fork`` of a process that may have threads. Each worker
ignores Ctrl-C (the indexing process handles it and ends them) and dies with
the indexing process, whichever way that ends.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import multiprocessing
import os
import queue
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.multiproc import SubWriterTask
from whoosh.writing import MERGE_SMALL

from ..corpus import LanguageRules, Unreadable, article_id, read_article, scan
from ..errors import CorpusError, IndexWriteError
from ..model import DEFAULT_LOCK_WAIT
from ..model.indexing import FileStamp, IndexReport
from ..text.lang import detect_language
from .index import (
    Entry,
    bound_corpus,
    collect_garbage,
    keep_merged_files,
    new_generation,
    read_manifest,
    stamp_text,
    switch_to,
    usable_generation,
    write_checksums,
    write_meta,
    writer_lock,
)
from .schema import document, make_schema

Progress = Callable[[int, int], None]
Warn = Callable[[str, str], None]
Phase = Callable[[str], None]
"""Told the name of each phase of a run that has no count of its own."""


def update_index(
    corpus: Path,
    folder: Path,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    warn: Warn | None = None,
    notice: Callable[[str], None] | None = None,
    lock_timeout: float = DEFAULT_LOCK_WAIT,
    follow_links: bool = False,
    phase: Phase | None = None,
) -> IndexReport:
    """Bring the index in ``folder`` in step with the files under ``corpus``
    (``follow_links``: links to files outside it too). ``progress`` hears
    (done, total) while articles are read and analysed, ``phase`` the name of
    each later phase (writing, merging).

    An index is bound to the corpus it was built from: another corpus is a
    :class:`~syrsearch.errors.CorpusError` unless ``rebuild`` starts over
    with it, and so is a corpus folder that has gone (nothing is removed).
    """
    started = time.perf_counter()
    notice = notice or (lambda _msg: None)
    phase = phase or (lambda _name: None)
    if not corpus.is_dir():
        raise CorpusError(
            f"corpus folder '{corpus}' does not exist; the index in '{folder}' is unchanged",
            hint="restore the folder, or pass --corpus DIR (with --rebuild for an existing index)",
        )
    bound = None if rebuild else bound_corpus(folder)
    if bound is not None and bound.resolve() != corpus.resolve():
        raise CorpusError(
            f"index '{folder}' was built from '{bound}', not '{corpus.resolve()}'",
            hint=f"pass --rebuild to start over with '{corpus}', or --index-dir for another index",
        )
    phase("scanning the corpus")
    stamps = scan(corpus, follow_links=follow_links)
    corpus = corpus.resolve()
    try:
        report = _update(
            corpus, folder, stamps, rebuild, progress, warn, notice, lock_timeout, phase
        )
    except OSError as exc:
        raise write_error(folder, exc, stamps) from None
    report.seconds = time.perf_counter() - started
    return report


def write_error(folder: Path, exc: OSError, stamps: dict[str, FileStamp]) -> IndexWriteError:
    """The one-line error of a failed write: a full disk names the space a
    build of the corpus needs (about its text's size)."""
    if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
        return IndexWriteError(
            f"cannot write the index in '{folder}': {exc.strerror or exc}",
            hint="check that it is a folder you can write to, with free space;"
            " the previous index is unchanged",
        )
    needed = sum(max(0, stamp.size) for stamp in stamps.values())
    return IndexWriteError(
        f"no space left for the index in '{folder}' (a build needs about {_size(needed)})",
        hint="free some space and run 'syrsearch index' again; the previous index is unchanged",
    )


def _size(n: int) -> str:
    if n < 1024:
        return f"{n:,} bytes"
    value = n / 1024
    for unit in ("KiB", "MiB"):
        if value < 1024:
            return f"{value:,.1f} {unit}"
        value /= 1024
    return f"{value:,.1f} GiB"


def _update(
    corpus: Path,
    folder: Path,
    stamps: dict[str, FileStamp],
    rebuild: bool,
    progress: Progress | None,
    warn: Warn | None,
    notice: Callable[[str], None],
    lock_timeout: float,
    phase: Phase,
) -> IndexReport:
    with writer_lock(folder, lock_timeout, notice):
        collect_garbage(folder)  # what killed runs and earlier readers left
        gen = None if rebuild else usable_generation(folder)
        report = IndexReport(rebuilt=gen is None)
        if gen is None:
            gen = new_generation(folder)
            ix = whoosh_index.create_in(str(gen), make_schema())
            manifest: dict[str, Entry] = {}
        else:
            ix = whoosh_index.open_dir(str(gen))
            phase("reading the index")
            manifest = read_manifest(ix)
        try:
            _apply(ix, corpus, stamps, manifest, report, progress, warn, phase)
            if report.rebuilt and ix.doc_count() != report.added:
                raise IndexWriteError(
                    f"indexing in '{folder}' lost articles ({ix.doc_count():,} of "
                    f"{report.added:,} written); the previous index is unchanged",
                    hint="run 'syrsearch index' again",
                )
            write_checksums(gen)
            write_meta(gen, corpus, folder, report.skipped, stamps)
            if report.rebuilt:
                switch_to(folder, gen)
            else:
                collect_garbage(folder)
        except BaseException:
            if report.rebuilt:
                shutil.rmtree(gen, ignore_errors=True)
            else:  # the partial segment a failed commit left, if no reader holds it
                with contextlib.suppress(OSError):
                    collect_garbage(folder)
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
    phase: Phase,
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
    writer = None

    def open_writer() -> Any:
        # Worker processes only for a new generation, which is checked before
        # it goes live (a worker that dies takes its articles with it).
        return _writer(ix, len(to_read) if report.rebuilt else 0)

    try:
        for rel in removed:
            writer = writer or open_writer()
            writer.delete_by_term("path", rel)
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
                report.updated += 1
            else:
                report.added += 1
            setting = settings[rel]
            stamp = stamp_text(article.stamp, article.digest, setting)
            lang = setting or detect_language(article.title + "\n" + article.body)
            writer.add_document(**document(article, article_id(rel), stamp, lang))
        if writer is not None:
            _commit(writer, phase)
            writer = None
    finally:
        if writer is not None:
            _cancel(writer)
    report.total = len(stamps) - len(report.skipped)


PARALLEL_MIN = 2000
"""Index at least this many articles in one run with a process per CPU."""
PARALLEL_BATCH = 256
"""Articles handed to a worker at a time."""


def _commit(writer: Any, phase: Phase) -> None:
    """Commit, telling ``phase`` what the wait is for: the workers finishing
    their segments, writing this process's segment, merging small segments."""
    tasks = getattr(writer, "tasks", None)
    if tasks:
        phase(f"analysing and writing ({len(tasks)} workers)")
    else:
        phase("writing the index")

    def merge(w: Any, segments: Any) -> Any:
        if len(segments) < 2:
            return MERGE_SMALL(w, segments)
        phase("merging segments")
        kept = MERGE_SMALL(w, segments)
        phase(f"analysing and writing ({len(tasks)} workers)" if tasks else "writing the index")
        return kept

    writer.commit(mergetype=merge)


def _cancel(writer: Any) -> None:
    """Give up a writer: its workers are ended (they ignore Ctrl-C), then its files."""
    for task in getattr(writer, "tasks", ()):
        with contextlib.suppress(Exception):
            task.terminate()
    for task in getattr(writer, "tasks", ()):
        with contextlib.suppress(Exception):
            task.join(5)
    with contextlib.suppress(Exception):  # a failed commit closed it: keep its error
        writer.cancel()


def start_method() -> str:
    """How index workers start: ``$SYRSEARCH_START_METHOD`` if it names one
    this platform has, else ``forkserver``, else ``spawn``. Never a bare
    ``fork`` by default: the process may have threads (a progress bar, a
    library user's), and a forked child of a threaded process can deadlock."""
    methods = multiprocessing.get_all_start_methods()
    asked = os.environ.get("SYRSEARCH_START_METHOD", "")
    if asked in methods:
        return asked
    return "forkserver" if "forkserver" in methods else "spawn"


def _writer(ix: Any, count: int) -> Any:
    """A Whoosh writer: one process for small runs; for large ones a writer
    per CPU (at most 4), each making its own segment, which are not merged."""
    procs = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    if count < PARALLEL_MIN or procs < 2:
        return keep_merged_files(ix.writer(limitmb=256, compound=False))
    writer = ix.writer(
        procs=procs, multisegment=True, limitmb=128, batchsize=PARALLEL_BATCH, compound=False
    )
    _start_workers_with(writer, start_method())
    _fail_if_a_worker_dies(writer)
    return writer


def _start_workers_with(writer: Any, method: str) -> None:
    """Have Whoosh's parallel writer start :class:`Worker` processes by
    ``method``, with queues of the same method (Whoosh 2.7 knows only the
    default). No worker has started yet: Whoosh starts them on the first batch."""
    context = multiprocessing.get_context(method)
    writer.jobqueue = context.Queue(writer.procs * 4)
    writer.resultqueue = context.Queue()
    parent = os.getpid()

    def new_task() -> Any:
        task = Worker(
            writer.storage, writer.indexname, writer.jobqueue, writer.resultqueue,
            writer.subargs, writer.multisegment, parent=parent, method=method,
        )  # fmt: skip
        writer.tasks.append(task)
        with _sigint_ignored():  # a worker started now inherits it until it runs
            task.start()
        return task

    writer._new_task = new_task


@contextlib.contextmanager
def _sigint_ignored() -> Any:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Worker(SubWriterTask):  # type: ignore[misc]
    """A Whoosh sub-writer that leaves Ctrl-C to the indexing process and
    dies with it, for any start method."""

    def __init__(self, *args: Any, parent: int, method: str) -> None:
        super().__init__(*args)
        self.parent = parent
        self.method = method

    def _Popen(self, process: Any) -> Any:  # multiprocessing calls it so
        context: Any = multiprocessing.get_context(self.method)
        return context.Process._Popen(process)

    def run(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _arm_parent_death()
        _watch(self.parent)
        super().run()


def _arm_parent_death() -> None:
    """Linux: be killed when the process that started this one ends (the
    indexing process, or the fork server, which ends with it)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _watch(parent: int) -> None:
    """End this worker as soon as the indexing process ``parent`` has gone
    (also where there is no PR_SET_PDEATHSIG, or its parent died first)."""
    started_under = os.getppid()

    def gone() -> bool:
        if os.getppid() != started_under:  # orphaned: the parent has ended
            return True
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False
        return _is_zombie(parent)

    def watch() -> None:
        while not gone():
            time.sleep(0.5)
        os._exit(1)

    if gone():
        os._exit(1)
    threading.Thread(target=watch, name="syrsearch-parent-watch", daemon=True).start()


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


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
