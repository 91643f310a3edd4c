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
from .writer import BatchWriter

Progress = Callable[[int, int], None]
Warn = Callable[[str, str], None]
Phase = Callable[[str], None]
"""Told the name of each phase of a run that has no count of its own."""


def update_index(
    corpus: str | os.PathLike[str],
    folder: str | os.PathLike[str],
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
    corpus, folder = Path(corpus), Path(folder)
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
    folders: dict[str, int] = {}
    stamps = scan(corpus, follow_links=follow_links, folders=folders)
    corpus = corpus.resolve()
    try:
        report = _update(
            corpus, folder, stamps, folders, rebuild, progress, warn, notice, lock_timeout, phase
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
    folders: dict[str, int],
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
            write_meta(gen, corpus, folder, report.skipped, stamps, folders)
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
    # Worker processes only for a new generation, which is checked before it
    # goes live (a worker that dies takes its articles with it).
    if report.rebuilt and len(to_read) >= PARALLEL_MIN and not removed:
        _build_parallel(ix, corpus, to_read, stamps, settings, report, progress, warn, phase)
        report.total = len(stamps) - len(report.skipped)
        return

    def open_writer() -> Any:
        return keep_merged_files(BatchWriter(ix))

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
"""Build a new index of at least this many articles with a process per CPU."""
PARALLEL_BATCH = 64
"""Articles handed to a worker at a time."""
SEGMENT_POSTINGS = 6_000_000
"""A worker starts a new segment after this many postings (memory: about
30 bytes each while held)."""


def _commit(writer: Any, phase: Phase) -> None:
    """Commit, telling ``phase`` what the wait is for: writing this process's
    segment, merging small segments."""
    phase("writing the index")

    def merge(w: Any, segments: Any) -> Any:
        if len(segments) < 2:
            return MERGE_SMALL(w, segments)
        phase("merging segments")
        kept = MERGE_SMALL(w, segments)
        phase("writing the index")
        return kept

    writer.commit(mergetype=merge)


def _cancel(writer: Any) -> None:
    """Give up a writer and its files."""
    with contextlib.suppress(Exception):  # a failed commit closed it: keep its error
        writer.cancel()


def _processes() -> int:
    return min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def _build_parallel(
    ix: Any,
    corpus: Path,
    to_read: list[str],
    stamps: dict[str, FileStamp],
    settings: dict[str, str | None],
    report: IndexReport,
    progress: Progress | None,
    warn: Warn | None,
    phase: Phase,
) -> None:
    """A new generation built by a :class:`Worker` per CPU: each reads,
    analyses and writes its share of the articles into segments of its own,
    which this process commits together (they are not merged: see
    BENCHMARKS.md). Any worker that dies fails the run."""
    method = start_method()
    context = multiprocessing.get_context(method)
    jobs: Any = context.Queue()
    results: Any = context.Queue()
    writer = BatchWriter(ix)  # holds Whoosh's lock and writes the table of contents
    workers: list[Worker] = []
    try:
        for _ in range(min(_processes(), -(-len(to_read) // PARALLEL_BATCH))):
            task = Worker(
                len(workers), ix.storage.folder, str(corpus), jobs, results, os.getpid(), method
            )
            with _sigint_ignored():  # a worker started now inherits it until it runs
                task.start()
            workers.append(task)
        for i in range(0, len(to_read), PARALLEL_BATCH):
            batch = [(rel, stamps[rel], settings[rel]) for rel in to_read[i : i + PARALLEL_BATCH]]
            _hand_out(jobs, batch)
        for _ in workers:
            _hand_out(jobs, None)
        segments: list[Any] = []
        done = 0
        finished: set[int] = set()
        while len(finished) < len(workers):
            try:
                kind, number, value = results.get(timeout=1.0)
            except queue.Empty:
                dead = [i for i, t in enumerate(workers) if i not in finished and not t.is_alive()]
                if not dead:
                    continue
                try:  # its last word may still be on the way
                    kind, number, value = results.get(timeout=2.0)
                except queue.Empty:
                    raise IndexWriteError(
                        "an indexing worker process died; the previous index is unchanged",
                        hint="run 'syrsearch index' again",
                    ) from None
            if kind == "done":
                finished.add(number)
            done += _take(kind, value, segments, report, warn)
            if progress and kind == "batch":
                progress(done, len(to_read))
            if kind == "batch" and done == len(to_read):  # the workers write their segments
                phase(f"writing the index ({len(workers)} workers)")
        for task in workers:
            task.join(10)
        writer._close_segment()
        writer._commit_toc(segments)
        writer._finish()
    except BaseException:
        for task in workers:
            with contextlib.suppress(Exception):
                task.terminate()
        for task in workers:
            with contextlib.suppress(Exception):
                task.join(5)
        _cancel(writer)
        raise


def _hand_out(jobs: Any, batch: list[tuple[str, FileStamp, str | None]] | None) -> None:
    jobs.put(batch)


def _take(
    kind: str, value: Any, segments: list[Any], report: IndexReport, warn: Warn | None
) -> int:
    """Record one message of a worker; the number of articles it tells of."""
    if kind == "error":
        raise IndexWriteError(
            f"an indexing worker failed: {value}; the previous index is unchanged",
            hint="run 'syrsearch index' again",
        )
    if kind == "done":
        segments.extend(value)
        return 0
    for rel, added, message in value:
        if not added:
            report.skipped.append((rel, message))
        else:
            report.added += 1
            if message:
                report.warnings.append((rel, message))
        if message and warn:
            warn(rel, message)
    return len(value)


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


class Worker(multiprocessing.Process):
    """An indexing process: takes batches of (path, stamp, language setting)
    off ``jobs``, reads and analyses each article (language, names, reprint
    keys, terms) into :class:`BatchWriter` segments of the generation folder
    ``gen``, and tells ``results`` of each batch and, at the end, of its
    segments. It leaves Ctrl-C to the indexing process and dies with it, for
    any start method."""

    def __init__(
        self, number: int, gen: str, corpus: str, jobs: Any, results: Any, parent: int, method: str
    ) -> None:
        super().__init__(daemon=True)
        self.number = number
        self.gen = gen
        self.corpus = corpus
        self.jobs = jobs
        self.results = results
        self.parent = parent
        self.method = method

    def _Popen(self, process: Any) -> Any:  # type: ignore[override]  # multiprocessing calls it so
        context: Any = multiprocessing.get_context(self.method)
        return context.Process._Popen(process)

    def run(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _arm_parent_death()
        _watch(self.parent)
        try:
            self.results.put(("done", self.number, self._work()))
        except Exception as exc:  # told to the indexing process, which fails the run
            self.results.put(("error", self.number, f"{type(exc).__name__}: {exc}"))

    def _work(self) -> list[Any]:
        corpus = Path(self.corpus)
        ix = whoosh_index.open_dir(self.gen)
        writer = BatchWriter(ix, _lk=False)
        segments = []
        while (batch := self.jobs.get()) is not None:
            told: list[tuple[str, bool, str | None]] = []
            for rel, stamp, setting in batch:
                try:
                    article, warning = read_article(corpus, rel, stamp)
                except Unreadable as exc:
                    told.append((rel, False, str(exc)))
                    continue
                lang = setting or detect_language(article.title + "\n" + article.body)
                text = stamp_text(article.stamp, article.digest, setting)
                writer.add_document(**document(article, article_id(rel), text, lang))
                told.append((rel, True, warning))
                if writer.postings >= SEGMENT_POSTINGS:
                    segments.append(writer._finalize_segment())
                    writer = BatchWriter(ix, _lk=False)
            self.results.put(("batch", self.number, told))
        # The writers' temporary folder is shared: the indexing process removes it.
        if writer._added:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        return segments


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
