"""What reading the corpus and an index run pass: files, articles, the run's report."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import Metadata


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What a corpus file looked like when it was read."""

    size: int
    mtime_ns: int
    # The file's real relative path, where its key had to differ from it (a
    # name that is not valid UTF-8); not part of the comparison.
    source: str | None = field(default=None, compare=False)
    # Why the file cannot be read, found without opening it (a FIFO, a loop).
    problem: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Article:
    """One article: its text exactly as decoded, split into title and body."""

    relpath: str
    title: str
    body: str
    stamp: FileStamp
    digest: str
    encoding: str
    metadata: Metadata = field(default_factory=Metadata)

    @property
    def stem(self) -> str:
        name = self.relpath.rsplit("/", 1)[-1]
        return name[: -len(".txt")] if name.endswith(".txt") else name


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
