"""Exit codes, and the errors the CLI turns into a one-line message.

Every exit status the program uses is a member of :class:`ExitCode`; every
error a user can act on is a :class:`SyrsearchError` with a hint naming the fix.
"""

from __future__ import annotations

from enum import IntEnum, unique


@unique
class ExitCode(IntEnum):
    """Exit status as grep and ripgrep have it."""

    OK = 0
    NO_MATCH = 1
    ERROR = 2
    INTERRUPTED = 130  # 128 + SIGINT
    BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader of stdout went away, as for grep


class SyrsearchError(Exception):
    """An error the user can act on: a message and a hint naming the fix."""

    exit_code = ExitCode.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class CorpusError(SyrsearchError):
    """The corpus folder is missing or unreadable."""


class IndexMissingError(SyrsearchError):
    """There is no index where one was expected."""


class IndexDamagedError(SyrsearchError):
    """The index cannot be read: damaged, or built by an incompatible version."""


class IndexWriteError(SyrsearchError):
    """The index folder cannot be created or written."""


class IndexLockedError(SyrsearchError):
    """Another process is writing the index."""


class QueryError(SyrsearchError):
    """The query is empty or cannot be understood."""


class UnknownIdError(SyrsearchError):
    """No article, or more than one, has this id or id prefix."""
