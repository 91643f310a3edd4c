"""An index folder: its generations, its writer lock, and reading it safely.

Layout of an index folder::

    index/CURRENT        names the live generation, e.g. "gen-000001"
    index/gen-000001/    a Whoosh index, plus syrsearch.json (format, corpus)
    index/LOCK           held by the one process writing the index
    index/gen-000001/READERS   held (shared) by every process reading that generation

A fresh build is made in a new generation folder and becomes live only when
complete, by replacing ``CURRENT`` atomically (:func:`switch_to`); until then
readers keep the previous one. One writer at a time: a lock file in the index
folder, released by the operating system if the process dies.

Readers and the writer stay apart: a reader holds a shared lock on its
generation's ``READERS`` file from before it reads the table of contents
until it closes, and the writer deletes files (segments merged away, files
left by a killed run, old generations) only when it can take that lock
exclusively, at once (:func:`collect_garbage`); otherwise the next writer
does. Whoosh's own commit deletes merged segments at once, while a reader that
opened them may still open their column files; the writer here does not let it.

:class:`Index` is an open, readable index. Every read goes through
:meth:`Index.reading`, which opens one Whoosh searcher for a whole request
(nested calls share it) and turns Whoosh failing to read a damaged file into
:class:`~syrsearch.errors.IndexDamagedError`.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import random
import shutil
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import whoosh
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

try:
    import fcntl
except ImportError:  # not POSIX: readers are not protected, files go at once
    fcntl = None  # type: ignore[assignment]

from .. import __version__
from ..errors import IndexDamagedError, IndexLockedError, IndexMissingError, SyrsearchError
from ..model.indexing import FileStamp
from .lexicon import Lexicon
from .ranking import weighting
from .schema import FORMAT, leaf_column

CURRENT = "CURRENT"
META = "syrsearch.json"
CHECKS = "checksums.json"
CHECKSUMMED = 1 << 20
"""Segment files up to this size have a CRC-32 in ``checksums.json``; all have their size."""
LOCK = "LOCK"
READERS = "READERS"

REBUILD_HINT = "run 'syrsearch index --rebuild'"

# What Whoosh raises when a file it reads is truncated or overwritten.
_READ_ERRORS = (EOFError, struct.error, zlib.error, pickle.UnpicklingError, ValueError, KeyError)
_WHOOSH_DIR = os.path.dirname(whoosh.__file__) + os.sep
_CODEC_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "postings.py")
"""The index's posting format reads its blocks as Whoosh's own code does."""


def damaged(folder: Path) -> IndexDamagedError:
    return IndexDamagedError(
        f"index in '{folder}' is damaged or was built by another version", hint=REBUILD_HINT
    )


def _is_read_error(exc: BaseException) -> bool:
    """Whether ``exc`` is Whoosh failing to read index data: a read error
    raised inside Whoosh's own code or the posting format's (the same error
    from elsewhere in syrsearch is a bug)."""
    # Whoosh 2.7.4 raises a bare Exception for a garbled block ("Block tag error").
    known = isinstance(exc, _READ_ERRORS) or type(exc) is Exception
    if not known and "Corrupt" not in type(exc).__name__:
        return False
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = tb.tb_frame.f_code.co_filename if tb is not None else ""
    return where.startswith(_WHOOSH_DIR) or where == _CODEC_FILE


class Reading:
    """One open view of the index: a Whoosh searcher and its :class:`Lexicon`."""

    def __init__(self, index: Index, searcher: Any) -> None:
        self.index = index
        self.searcher = searcher
        self.reader = searcher.reader()
        self.lexicon = Lexicon(self.reader)


class Index:
    """An open, readable index and what it knows of its corpus."""

    def __init__(self, ix: Any, corpus: Path, folder: Path, hold: int = -1) -> None:
        self._ix = ix
        self.corpus = corpus
        self.folder = folder
        self._reading: Reading | None = None
        # Files the last index run skipped, with their stamps then.
        self.skipped: dict[str, FileStamp] = {}
        # The digest of the corpus listing when it was indexed (listing_digest).
        self.listing: str | None = None
        # Each corpus folder's modification time when it was listed (scan's folders).
        self.folders: dict[str, int] | None = None
        self._hold = hold  # the shared lock on the generation's READERS file

    @property
    def generation(self) -> Path:
        """The live generation folder this index was opened from."""
        return Path(self._ix.storage.folder)

    def article_path(self, relpath: str) -> str:
        """The article's file path, relative to the working directory if under it."""
        full = self.corpus / relpath
        try:
            return str(full.relative_to(Path.cwd()))
        except ValueError:
            return str(full)

    def version(self) -> tuple[str, int]:
        """Which state of the index a reader sees: its generation folder and
        Whoosh's commit number in it (both change when the index does)."""
        return str(self.generation), int(self._ix.latest_generation())

    def relpaths_of(self, written: str) -> list[str]:
        """The corpus paths a file path as a user writes it may mean: relative
        to the corpus (``football/004.txt``), or to the working folder or
        absolute (``./seeds/003_x.txt``), in that order."""
        found: list[str] = []
        plain = written.replace(os.sep, "/")
        while plain.startswith("./"):
            plain = plain[2:]
        if plain and not plain.startswith("/"):
            found.append(plain)
        given = Path(written)
        for full in (Path(os.path.abspath(given)), given.parent.resolve() / given.name):
            try:
                rel = full.relative_to(self.corpus).as_posix()
            except ValueError:
                continue
            if rel not in found:
                found.append(rel)
        return found

    @contextlib.contextmanager
    def reading(self) -> Iterator[Reading]:
        """The request's view of the index, opened once: a call inside another
        shares its searcher, so a request reads one consistent state."""
        if self._reading is not None:
            yield self._reading
            return
        try:
            searcher = self._ix.searcher(weighting=weighting())
        except _READ_ERRORS as exc:
            raise damaged(self.folder) from exc
        self._reading = Reading(self, searcher)
        try:
            yield self._reading
        except Exception as exc:
            if _is_read_error(exc):
                raise damaged(self.folder) from exc
            raise
        finally:
            self._reading = None
            searcher.close()

    def segment_count(self) -> int:
        with self.reading() as r:
            return len(r.reader.leaf_readers())

    def close(self) -> None:
        self._ix.close()
        if self._hold >= 0:
            os.close(self._hold)
            self._hold = -1

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def current_generation(folder: Path) -> Path | None:
    """The live generation named by ``CURRENT``; None if there is no index."""
    try:
        raw = (folder / CURRENT).read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise IndexDamagedError(
            f"index in '{folder}' is damaged ({CURRENT} cannot be read: {exc.strerror})",
            hint=REBUILD_HINT,
        ) from None
    name = raw.decode("utf-8", "replace").strip()
    if not name.startswith("gen-") or "/" in name or not (folder / name).is_dir():
        raise IndexDamagedError(
            f"index in '{folder}' is damaged ({CURRENT} names no generation)", hint=REBUILD_HINT
        )
    return folder / name


def _meta(folder: Path, gen: Path) -> dict[str, Any]:
    try:
        meta = json.loads((gen / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise damaged(folder) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise damaged(folder)
    return meta


def _corpus_of(folder: Path, meta: dict[str, Any]) -> Path:
    """The corpus an index records: where it was, or, if that is gone, the
    same place relative to the index folder, if that exists."""
    corpus = Path(meta.get("corpus", ""))
    relative = meta.get("corpus_from_index")
    if not corpus.is_dir() and isinstance(relative, str):
        moved = Path(os.path.normpath(folder.resolve() / relative))
        if moved.is_dir():
            return moved
    return corpus


def bound_corpus(folder: Path) -> Path | None:
    """The corpus the live index in ``folder`` was built from, even if it is
    of another format (it is rebuilt from the same corpus); None if there is
    no index there or it does not say."""
    try:
        gen = current_generation(folder)
        meta = json.loads((gen / META).read_text(encoding="utf-8")) if gen else None
    except (IndexDamagedError, OSError, ValueError):
        return None
    if not isinstance(meta, dict) or not isinstance(meta.get("corpus"), str):
        return None
    return _corpus_of(folder, meta)


def hold_readers(gen: Path) -> int:
    """A shared lock on ``gen``'s ``READERS`` file, as a file descriptor (-1
    where there is none to take: a read-only index of an older version)."""
    if fcntl is None:
        return -1
    try:
        fd = os.open(gen / READERS, os.O_RDONLY)
    except FileNotFoundError:
        try:
            fd = os.open(gen / READERS, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return -1
    except OSError:
        return -1
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    except OSError:
        os.close(fd)
        return -1
    return fd


def _unread(gen: Path) -> bool:
    """Whether no process reads generation ``gen`` (and none can start to
    while the writer lock is held and ``CURRENT`` names another)."""
    if fcntl is None:
        return True
    try:
        fd = os.open(gen / READERS, os.O_RDONLY)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)  # closing releases the lock
    return True


@contextlib.contextmanager
def no_readers(gen: Path) -> Iterator[bool]:
    """While held, whether no process reads ``gen``: an exclusive lock on its
    ``READERS`` file if it can be had at once (a reader opening waits)."""
    if fcntl is None:
        yield True
        return
    try:
        fd = os.open(gen / READERS, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def open_index(folder: str | os.PathLike[str], *, every_block: bool = False) -> Index:
    """Open the live index in ``folder`` for reading (holding its files: see
    :func:`collect_garbage`); ``every_block``: check every block of its
    larger files, not a sample (:func:`checksums_hold`)."""
    folder = Path(folder)
    for attempt in range(3):
        gen = current_generation(folder)
        if gen is None:
            raise IndexMissingError(
                f"no index in '{folder}'", hint="run 'syrsearch index' to build it"
            )
        hold = hold_readers(gen)
        if attempt == 2 or gen == current_generation(folder):
            break
        if hold >= 0:  # CURRENT changed before the lock was taken: read the new one
            os.close(hold)
    assert gen is not None
    try:
        return _open_generation(folder, gen, hold, every_block)
    except BaseException:
        if hold >= 0:
            os.close(hold)
        raise


def _open_generation(folder: Path, gen: Path, hold: int, every_block: bool = False) -> Index:
    meta = _meta(folder, gen)
    if not checksums_hold(gen, every_block=every_block):
        raise damaged(folder)
    try:
        ix = whoosh_index.open_dir(str(gen))
        # Touch every segment now, so damage shows here and not mid-search.
        with ix.reader() as reader:
            reader.doc_count_all()
    except Exception:  # only Whoosh runs here: whatever it raises, it cannot read the index
        raise damaged(folder) from None
    skipped = meta.get("skipped")
    index = Index(ix, _corpus_of(folder, meta), folder, hold)
    listing = meta.get("listing")
    index.listing = listing if isinstance(listing, str) else None
    folders = meta.get("folders")
    if isinstance(folders, dict) and all(isinstance(t, int) for t in folders.values()):
        index.folders = folders
    index.skipped = {
        rel: FileStamp(int(size), int(mtime))
        for rel, (size, mtime) in (skipped.items() if isinstance(skipped, dict) else ())
    }
    return index


def stamp_text(stamp: FileStamp, digest: str, setting: str | None = None) -> str:
    """How a file's stamp is stored (the ``stamp`` field): size, time, content
    hash, and the language a ``.syrsearch-lang`` setting gave it."""
    text = f"{stamp.size}:{stamp.mtime_ns}:{digest}"
    return f"{text}:{setting}" if setting else text


def parse_stamp(text: str) -> tuple[FileStamp, str, str | None]:
    size, mtime, digest, *setting = text.split(":")
    return FileStamp(int(size), int(mtime)), digest, setting[0] if setting else None


Entry = tuple[FileStamp, str, str, "str | None"]
"""What the index knows of a file: stamp, digest, id, language setting."""


def _deleted_docs(leaf: Any) -> set[int] | frozenset[int]:
    """One segment's deleted document numbers, as a set read once."""
    if not leaf.has_deletions():
        return frozenset()
    perdoc = getattr(leaf, "_perdoc", None)
    if perdoc is not None and hasattr(perdoc, "deleted_docs"):
        return set(perdoc.deleted_docs())
    return {d for d in range(leaf.doc_count_all()) if leaf.is_deleted(d)}


def read_manifest(ix: Any) -> dict[str, Entry]:
    """relpath -> (stamp, digest, id, setting) for every live document, read from columns."""
    manifest: dict[str, Entry] = {}
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            if not leaf.doc_count_all():  # an empty index has no columns
                continue
            # Whole columns at once: much quicker than a lookup per document.
            paths = leaf_column(leaf, "path")
            stamps = leaf_column(leaf, "stamp")
            ids = leaf_column(leaf, "id")
            deleted = _deleted_docs(leaf)
            for docnum, path in enumerate(paths):
                if docnum in deleted:
                    continue
                stamp, digest, setting = parse_stamp(stamps[docnum])
                manifest[path] = (stamp, digest, ids[docnum], setting)
    return manifest


def listing_digest(stamps: dict[str, FileStamp]) -> str:
    """A digest of a corpus listing: every file's path, size and mtime (two
    zlib checksums and the count: a query need not load hashlib)."""
    crc, adler = 0, 1
    for rel in sorted(stamps):
        stamp = stamps[rel]
        line = f"{rel}\0{stamp.size}\0{stamp.mtime_ns}\n".encode("utf-8", "surrogatepass")
        crc, adler = zlib.crc32(line, crc), zlib.adler32(line, adler)
    return f"{len(stamps)}:{crc:08x}:{adler:08x}"


IN_PLACE_CHECKED = 10_000
"""Up to this many files, :func:`changed_files` compares each file's size and
time with the index's even when no folder changed (a file rewritten in place);
above it, the folders' times alone answer, and ``syrsearch index`` finds the rest."""


def changed_files(index: Index) -> int | None:
    """How many corpus files were added, changed (size or modification time)
    or removed since the index was built, by listing the corpus folders and
    comparing each file's stamp with the index's (nothing is read or hashed);
    None if the corpus folder is gone.

    A corpus of more than :data:`IN_PLACE_CHECKED` files whose folders all
    have the times they had when listed for the index (so no file was added,
    removed or renamed in them) is taken as unchanged without listing it: at
    100,000 files the listing costs more than the query.
    """
    from ..corpus import scan  # not needed to open an index, only to check it

    if not index.corpus.is_dir():
        return None
    if (
        index.folders is not None
        and _files_listed(index) > IN_PLACE_CHECKED
        and _folders_unchanged(index.corpus, index.folders)
    ):
        return 0
    try:
        on_disk = scan(index.corpus)
    except SyrsearchError:
        return None
    if index.listing is not None and listing_digest(on_disk) == index.listing:
        return 0  # the corpus is listed as it was when indexed: no need to read the manifest
    known = {rel: entry[0] for rel, entry in read_manifest(index._ix).items()}
    known.update(index.skipped)
    changed = sum(1 for rel, stamp in on_disk.items() if known.get(rel) != stamp)
    return changed + sum(1 for rel in known if rel not in on_disk)


def _files_listed(index: Index) -> int:
    """How many files the corpus listing had when indexed (the digest's count)."""
    count = (index.listing or "").partition(":")[0]
    return int(count) if count.isdigit() else 0


def _folders_unchanged(corpus: Path, folders: dict[str, int]) -> bool:
    for rel, mtime in folders.items():
        try:
            if os.stat(os.path.join(corpus, rel)).st_mtime_ns != mtime:
                return False
        except OSError:
            return False
    return True


def keep_merged_files(writer: Any) -> Any:
    """``writer`` (a Whoosh segment writer) committing without deleting the
    files of the segments it merged away: a reader may still open them. The
    next :func:`collect_garbage` with no reader removes them."""
    if not hasattr(writer, "_commit_toc"):  # a Whoosh without this step: as it is
        return writer

    def commit_toc(segments: Any) -> None:
        toc = whoosh_index.TOC(writer.schema, segments, writer.generation)
        toc.write(writer.storage, writer.indexname)

    writer._commit_toc = commit_toc
    return writer


def _toc_generation(gen: Path) -> int | None:
    pattern = whoosh_index.TOC._pattern(whoosh_index._DEF_INDEX_NAME)
    numbers = [int(m.group(1)) for name in os.listdir(gen) if (m := pattern.match(name))]
    return max(numbers, default=None)


def _segment_files(gen: Path) -> list[str]:
    """The files of the segments in ``gen``'s table of contents, and the table itself."""
    storage = FileStorage(str(gen))
    toc = whoosh_index.TOC.read(storage, whoosh_index._DEF_INDEX_NAME)
    live = {s.segment_id() for s in toc.segments}
    pattern = whoosh_index.TOC._segment_pattern(whoosh_index._DEF_INDEX_NAME)
    names = [n for n in os.listdir(gen) if (m := pattern.match(n)) and m.group(1) in live]
    toc_file = whoosh_index.TOC._filename(whoosh_index._DEF_INDEX_NAME, toc.generation)
    return [*sorted(names), toc_file]


BLOCK = 1 << 16
"""A larger file has a CRC-32 for each block of this size."""
SAMPLED = 4
"""Blocks of a larger file checked on each open: the first, the middle one,
the last, and others chosen at random (each index run's writer checks them all).
At 100,000 articles (36 larger files) 8 blocks took 36-40 ms of each command, 4
take 22-24."""


def _block_crcs(path: Path) -> list[int]:
    crcs = []
    with path.open("rb") as f:
        while block := f.read(BLOCK):
            crcs.append(zlib.crc32(block))
    return crcs


def write_checksums(gen: Path) -> None:
    """Record, for every file of ``gen``'s committed segments whatever its
    kind, its size and a CRC-32: of the whole file up to
    :data:`CHECKSUMMED` bytes, else of each :data:`BLOCK` (Whoosh reads its
    columns of lengths, ids and dates, and parts of the postings, without
    any check: damage there would change answers silently). Segment files
    never change once written, so the blocks of a file the last record
    already has are not read again. Called by the writer after each commit."""
    try:
        earlier = json.loads((gen / CHECKS).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        earlier = {}
    files: dict[str, list[Any]] = {}
    for name in _segment_files(gen):
        path = gen / name
        size = path.stat().st_size
        if size <= CHECKSUMMED:
            files[name] = [size, zlib.crc32(path.read_bytes())]
            continue
        known = earlier.get(name) if isinstance(earlier, dict) else None
        if isinstance(known, list) and len(known) == 3 and known[0] == size:
            files[name] = known
        else:
            files[name] = [size, None, _block_crcs(path)]
    tmp = gen / (CHECKS + ".tmp")
    tmp.write_text(json.dumps({"toc": _toc_generation(gen), "files": files}), encoding="utf-8")
    os.replace(tmp, gen / CHECKS)


def _blocks_hold(path: Path, size: int, crcs: list[int], every: bool) -> bool:
    """Whether the blocks of ``path`` (``size`` bytes) have their CRC: every
    one, or a sample (:data:`SAMPLED`)."""
    n = len(crcs)
    if every or n <= SAMPLED:
        return _block_crcs(path) == crcs
    middle = size // 2 // BLOCK
    picked = {0, middle, n - 1, *random.sample(range(n), SAMPLED - 3)}
    fd = os.open(path, os.O_RDONLY)
    try:
        return all(zlib.crc32(os.pread(fd, BLOCK, i * BLOCK)) == crcs[i] for i in picked)
    finally:
        os.close(fd)


def checksums_hold(gen: Path, *, every_block: bool = False) -> bool:
    """Whether the files ``checksums.json`` names have their size and CRC
    (of a larger file, a sample of its blocks, or ``every_block``). True
    without one, or with one of an earlier commit (a run killed after
    committing): there is nothing to check against."""
    try:
        recorded = json.loads((gen / CHECKS).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    try:
        if recorded["toc"] != _toc_generation(gen):
            return True
        for name, (size, crc, *blocks) in recorded["files"].items():
            path = gen / name
            if path.stat().st_size != size:
                return False
            if crc is not None and zlib.crc32(path.read_bytes()) != crc:
                return False
            if blocks and not _blocks_hold(path, size, list(blocks[0]), every_block):
                return False
    except (OSError, KeyError, TypeError, ValueError):
        return False
    return True


def collect_garbage(folder: Path) -> None:
    """Under the writer lock: remove what no reader may need any more, if no
    reader is reading: in the live generation, the files no segment of its
    table of contents names (merged away, or left by a killed run); other
    generation folders (replaced, or half-built by a killed ``--rebuild``)."""
    try:
        live = current_generation(folder)
    except IndexDamagedError:
        live = None
    for gen in folder.glob("gen-*"):
        if gen != live and gen.is_dir() and _unread(gen):
            shutil.rmtree(gen, ignore_errors=True)
    if live is None:
        return
    with no_readers(live) as alone:
        if not alone:
            return
        try:
            storage = FileStorage(str(live))
            toc = whoosh_index.TOC.read(storage, whoosh_index._DEF_INDEX_NAME)
        except Exception:  # an unreadable index: the next full build replaces it
            return
        whoosh_index.clean_files(
            storage, whoosh_index._DEF_INDEX_NAME, toc.generation, toc.segments
        )
        for leftover in live.glob("*.tmp"):  # temporary files of a failed run (Whoosh's too)
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def usable_generation(folder: Path) -> Path | None:
    """The live generation if it can be opened, every block of its files
    checked, else None (to build anew)."""
    try:
        open_index(folder, every_block=True).close()
    except (IndexMissingError, IndexDamagedError):
        return None
    return current_generation(folder)


@contextlib.contextmanager
def writer_lock(folder: Path, timeout: float, notice: Callable[[str], None]) -> Iterator[None]:
    """Hold the index folder's writer lock, waiting up to ``timeout`` seconds."""
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


def new_generation(folder: Path) -> Path:
    existing = [int(p.name[4:]) for p in folder.glob("gen-*") if p.name[4:].isdigit()]
    gen = folder / f"gen-{max(existing, default=0) + 1:06d}"
    gen.mkdir(parents=True)
    (gen / READERS).touch()
    return gen


def write_meta(
    gen: Path,
    corpus: Path,
    folder: Path,
    skipped: list[tuple[str, str]],
    stamps: dict[str, FileStamp],
    folders: dict[str, int] | None = None,
) -> None:
    """Record the generation's format and corpus: its absolute path, its path
    relative to the index folder (an index moved together with its corpus
    still finds it), the stamps of the files skipped, so that staleness
    (:func:`changed_files`) does not count them as new, the listing's digest
    and each listed folder's modification time."""
    meta = {
        "format": FORMAT,
        "corpus": str(corpus),
        "corpus_from_index": os.path.relpath(corpus, folder.resolve()),
        "skipped": {rel: [stamps[rel].size, stamps[rel].mtime_ns] for rel, _ in skipped},
        "listing": listing_digest(stamps),
        "folders": folders,
        "syrsearch": __version__,
    }
    tmp = gen / (META + ".tmp")
    tmp.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    os.replace(tmp, gen / META)


def switch_to(folder: Path, gen: Path) -> None:
    """Make ``gen`` the live generation, atomically."""
    tmp = folder / (CURRENT + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(gen.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    if (folder / CURRENT).is_dir() and not (folder / CURRENT).is_symlink():
        shutil.rmtree(folder / CURRENT)  # damage: a folder where the file goes
    os.replace(tmp, folder / CURRENT)
    # Generations no reader holds go (the one just replaced stays while a
    # query that opened it before the switch is still reading).
    collect_garbage(folder)
