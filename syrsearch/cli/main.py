"""The Typer application and its one error handler.

Every error ends here as one line on stderr and an exit status
(:class:`~syrsearch.errors.ExitCode`): a :class:`~syrsearch.errors.SyrsearchError`
with its hint, a usage error with the command's ``--help``, an interrupt, a
closed pipe. Anything else is a bug, reported as one line that asks for a report.
"""

from __future__ import annotations

import copy
import os
import signal
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import ExitCode, SyrsearchError
from ..output.terminal import one_line, stderr_line
from .options import DEFAULT_CORPUS, DEFAULT_INDEX

PROG = "syrsearch"

USAGE = f"""\
usage: {PROG} COMMAND [OPTIONS] [ARGS]

Full-text search over a folder of news articles.

  {PROG} index --corpus seeds            index the .txt files under seeds/
  {PROG} query ceasefire                 search; exit 0 found, 1 none
  {PROG} query '"east aleppo"' --since 2016-03 --source Reuters
  {PROG} query lavrov kerry --any -f json
  {PROG} show 004 --highlight ceasefire  one article, the matches marked
  {PROG} similar 004                     the articles most like it
  {PROG} query Astana --by month         matching articles per month
  {PROG} related Lavrov                  who and what appears with Lavrov
  {PROG} tui                             search as you type
  {PROG} stats                           what the index holds

commands: index, query, show, similar, related, export, stats, tui
'{PROG} COMMAND --help' for a command's options, '{PROG} --help' for more.
"""

COMPLETE_VAR = "_SYRSEARCH_COMPLETE"
""" The variable Click's shell completion sets (``_{PROG}_COMPLETE``)."""


def error_line(message: str, hint: str | None = None) -> str:
    """``syrsearch: error: message (hint)``, on one line, control characters shown."""
    text = f"{PROG}: error: {one_line(message)}"
    return text + f" ({one_line(hint)})" if hint else text


class _Group(TyperGroup):
    """Runs a command and turns anything it raises into one line and an exit code."""

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:
        kwargs["standalone_mode"] = False
        argv = kwargs.get("args", args[0] if args else None)
        argv = sys.argv[1:] if argv is None else argv
        if not argv and COMPLETE_VAR not in os.environ:
            sys.stderr.write(USAGE)
            sys.exit(ExitCode.ERROR)
        try:
            result = super().main(*args, **kwargs)
            code = result if isinstance(result, int) else ExitCode.OK
            if code == ExitCode.INTERRUPTED:  # Typer answers Ctrl-C with Exit(130)
                stderr_line(f"{PROG}: interrupted")
        except SyrsearchError as exc:
            code = _report(exc.message, exc.hint, exc.exit_code)
        except typer.Exit as exc:
            code = exc.exit_code
        except (typer.Abort, KeyboardInterrupt):
            stderr_line(f"{PROG}: interrupted")
            code = ExitCode.INTERRUPTED
        except BrokenPipeError:
            _silence_stdout()
            code = ExitCode.BROKEN_PIPE
        except Exception as exc:
            if _is_usage_error(exc):
                ctx = getattr(exc, "ctx", None)
                where = ctx.command_path if ctx is not None else PROG
                code = _report(exc.format_message(), f"see '{where} --help'")  # type: ignore[attr-defined]
            elif (library := broken_library(exc)) is not None:
                code = _report(
                    f"the {library} library is missing or damaged", "reinstall syrsearch"
                )
            else:  # a bug: still one line, never a traceback
                code = _report(f"unexpected {type(exc).__name__}: {exc}", "please report this")
        sys.exit(int(code))


LIBRARIES = {
    "whoosh": "Whoosh",
    "rich": "Rich",
    "rapidfuzz": "RapidFuzz",
    "datasketch": "datasketch",
    "pycld2": "pycld2",
    "anyascii": "anyascii",
    "Stemmer": "PyStemmer",
    "textual": "Textual",
}
"""The libraries loaded only when a command needs them, by top-level package."""


def broken_library(exc: BaseException) -> str | None:
    """The library that ``exc`` shows missing or damaged: importing it, or
    running its module code, failed (say, one of two packages sharing the
    ``whoosh/`` folder was uninstalled)."""
    if isinstance(exc, ImportError) and exc.name:
        library = LIBRARIES.get(exc.name.split(".")[0])
        if library is not None:
            return library
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "<module>":
            library = LIBRARIES.get(str(frame.f_globals.get("__name__", "")).split(".")[0])
            if library is not None:
                return library
        tb = tb.tb_next
    return None


def _is_usage_error(exc: Exception) -> bool:
    """A bad option or argument. Typer's Click (vendored as ``typer._click``)
    raises these as ``ClickException``, known here by its interface."""
    return hasattr(exc, "format_message") and hasattr(exc, "exit_code")


def _report(message: str, hint: str | None, code: int = ExitCode.ERROR) -> int:
    stderr_line(error_line(message, hint))
    return code


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def default_sigpipe() -> None:
    """Die quietly of SIGPIPE like grep when a reader closes the pipe (read-only commands)."""
    if sys.stdout is sys.__stdout__ and hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)


app = typer.Typer(
    cls=_Group,
    name=PROG,
    help="Full-text search over a folder of news articles.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def command_app(argv: list[str]) -> typer.Typer:
    """The app with only the command that ``argv`` names, if it names one.

    Typer turns every registered command into a Click command (reading each
    function's signature and options) before it parses anything; a run
    needs only its own. ``--help``, the group's options, shell completion
    and an unknown name get the whole app.
    """
    if not argv or argv[0].startswith("-") or COMPLETE_VAR in os.environ:
        return app
    chosen = [info for info in app.registered_commands if info.name == argv[0]]
    if not chosen:
        return app
    lean = copy.copy(app)
    lean.registered_commands = chosen
    return lean


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit(ExitCode.OK)


def _interactive(value: bool) -> None:
    if value:
        from .commands import tui_command

        index_dir = Path(os.environ.get("SYRSEARCH_INDEX", DEFAULT_INDEX))
        corpus = Path(os.environ.get("SYRSEARCH_CORPUS", DEFAULT_CORPUS))
        raise typer.Exit(tui_command(query="", index_dir=index_dir, corpus=corpus))


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            "-i",
            callback=_interactive,
            is_eager=True,
            help="Search as you type (the same as 'syrsearch tui').",
        ),
    ] = False,
) -> None:
    """Full-text search over a folder of news articles."""
