"""The ``syrsearch`` command line: parse arguments, call the library, print.

The only module that knows about Typer. Every error ends here as one line on
stderr and an exit status (:class:`~syrsearch.errors.ExitCode`); results, and
only results, go to stdout.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
import sys
import zlib
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import ExitCode, IndexMissingError, SyrsearchError

PROG = "syrsearch"


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def fail(message: str, hint: str | None = None, code: int = ExitCode.ERROR) -> NoReturn:
    """Print ``syrsearch: error: message (hint)`` on stderr and exit."""
    from .output import one_line

    text = f"{PROG}: error: {one_line(message)}"
    if hint:
        text += f" ({one_line(hint)})"
    _stderr(text)
    raise typer.Exit(code)


class _Group(TyperGroup):
    """Runs a command and turns anything it raises into one line and an exit code."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except SyrsearchError as exc:
            code = _report(exc.message, exc.hint)
        except typer.Abort:
            code = ExitCode.INTERRUPTED
        except KeyboardInterrupt:
            code = ExitCode.INTERRUPTED
        except BrokenPipeError:
            _silence_stdout()
            code = 128 + 13
        except Exception as exc:
            if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
                hint = f"see '{PROG} --help'"
                ctx = getattr(exc, "ctx", None)
                if ctx is not None:
                    hint = f"see '{ctx.command_path} --help'"
                code = _report(exc.format_message(), hint, int(exc.exit_code or 2))
            elif _index_damage(exc):
                code = _report(
                    f"the index is damaged ({type(exc).__name__} while reading it)",
                    "run 'syrsearch index --rebuild'",
                )
            else:
                code = _report(f"unexpected {type(exc).__name__}: {exc}", "please report this")
        sys.exit(code if isinstance(code, int) else 0)


_READ_ERRORS = (EOFError, struct.error, zlib.error, pickle.UnpicklingError, ValueError, KeyError)


def _index_damage(exc: BaseException) -> bool:
    """Whether ``exc`` is Whoosh failing to read index files (a truncated or
    overwritten segment part), found only once a search reads that part."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = tb.tb_frame.f_code.co_filename if tb is not None else ""
    in_whoosh = f"{os.sep}whoosh{os.sep}" in where
    return in_whoosh and (isinstance(exc, _READ_ERRORS) or "Corrupt" in type(exc).__name__)


def _report(message: str, hint: str | None, code: int = ExitCode.ERROR) -> int:
    with contextlib.suppress(typer.Exit):
        fail(message, hint, code)
    return code


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _default_sigpipe() -> None:
    """Die quietly of SIGPIPE like grep when a reader closes the pipe (read-only commands)."""
    if sys.stdout is sys.__stdout__ and hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)


app = typer.Typer(
    cls=_Group,
    name=PROG,
    help="Full-text search over a folder of news articles.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Full-text search over a folder of news articles."""


IndexDir = Annotated[
    Path,
    typer.Option("--index-dir", envvar="SYRSEARCH_INDEX", help="Index folder.", show_default=True),
]
Corpus = Annotated[
    Path,
    typer.Option("--corpus", envvar="SYRSEARCH_CORPUS", help="Folder of .txt articles."),
]
ResultFormat = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="rich|text|json|jsonl|tsv|paths [default: rich on a terminal, text otherwise]",
        show_default=False,
    ),
]
Color = Annotated[str, typer.Option("--color", help="auto|always|never")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No notices on stderr.")]


# -- index --------------------------------------------------------------------


class _Reporter:
    """Progress bar (on a terminal, for long runs), warnings and notices on stderr."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.task: Any = None

    def notice(self, message: str) -> None:
        if not self.quiet:
            _stderr(f"{PROG}: {message}")

    def warn(self, relpath: str, reason: str) -> None:
        from .output import one_line

        line = f"{PROG}: warning: {one_line(relpath)}: {one_line(reason)}"
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False)
        else:
            _stderr(line)

    def progress(self, done: int, total: int) -> None:
        if self.quiet or total < 200 or not sys.stderr.isatty():
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("indexing", total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def build(corpus: Path, index_dir: Path, *, rebuild: bool, quiet: bool, wait: float) -> Any:
    """Run the indexer with stderr reporting; return its report."""
    from .indexer import update_index

    reporter = _Reporter(quiet)
    try:
        report = update_index(
            corpus,
            index_dir,
            rebuild=rebuild,
            progress=reporter.progress,
            warn=reporter.warn,
            notice=reporter.notice,
            lock_timeout=wait,
        )
    finally:
        reporter.close()
    _summary(report, corpus, index_dir, quiet)
    return report


def _summary(report: Any, corpus: Path, index_dir: Path, quiet: bool) -> None:
    if quiet:
        return
    if not report.changed and not report.skipped:
        _stderr(
            f"{PROG}: index '{index_dir}' is up to date: {report.total} articles, "
            f"nothing to re-index ({report.seconds:.2f} s)"
        )
        return
    what = "built" if report.rebuilt else "updated"
    _stderr(
        f"{PROG}: {what} index '{index_dir}' from '{corpus}': {report.added} added, "
        f"{report.updated} updated, {report.removed} removed, {report.unchanged} unchanged, "
        f"{len(report.skipped)} skipped; {report.total} articles ({report.seconds:.2f} s)"
    )


@app.command("index")
def index_command(
    corpus: Corpus = Path("seeds"),
    index_dir: IndexDir = Path("index"),
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build from scratch.")] = False,
    wait: Annotated[
        float, typer.Option("--wait", min=0, help="Seconds to wait for another index run.")
    ] = 30.0,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the run's report as JSON.")
    ] = False,
    quiet: Quiet = False,
) -> None:
    """Index the articles under --corpus (only what changed, unless --rebuild)."""
    report = build(corpus, index_dir, rebuild=rebuild, quiet=quiet, wait=wait)
    if json_out:
        from .output import dumps

        data = {
            "added": report.added,
            "updated": report.updated,
            "removed": report.removed,
            "unchanged": report.unchanged,
            "skipped": [{"path": p, "reason": r} for p, r in report.skipped],
            "warnings": [{"path": p, "warning": w} for p, w in report.warnings],
            "rebuilt": report.rebuilt,
            "articles": report.total,
            "seconds": round(report.seconds, 3),
        }
        sys.stdout.write(dumps(data) + "\n")


def open_or_build(index_dir: Path, corpus: Path, quiet: bool) -> Any:
    """Open the index; if there is none yet but the corpus exists, build it first."""
    from .indexer import open_index

    try:
        return open_index(index_dir)
    except IndexMissingError as exc:
        if not corpus.is_dir():
            raise SyrsearchError(
                f"no index in '{index_dir}' and no corpus folder '{corpus}'",
                hint="run 'syrsearch index --corpus DIR' first",
            ) from exc
    if not quiet:
        _stderr(f"{PROG}: no index in '{index_dir}' yet: building it from '{corpus}'")
    build(corpus, index_dir, rebuild=False, quiet=quiet, wait=30.0)
    return open_index(index_dir)


# -- query --------------------------------------------------------------------


@app.command("query")
def query_command(
    query: Annotated[
        str | None,
        typer.Argument(help="What to search for (Whoosh query syntax); '-' reads one per line."),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, help="Most hits to show (0: all).")
    ] = 10,
    fmt: ResultFormat = None,
    any_word: Annotated[
        bool, typer.Option("--any", help="Match any of the words, ranked by how many match.")
    ] = False,
    expand: Annotated[
        bool | None,
        typer.Option(
            "--expand/--no-expand",
            help="Also rank by words common in the top hits  [default: on with --any]",
            show_default=False,
        ),
    ] = None,
    count: Annotated[
        bool, typer.Option("--count", "-c", help="Print only the number of hits.")
    ] = False,
    color: Color = "auto",
    null: Annotated[
        bool, typer.Option("--null", "-0", help="With paths: end each with NUL.")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show how the query was read, do not search.")
    ] = False,
    snippets: Annotated[int, typer.Option("--snippets", min=0, help="Snippets per hit.")] = 2,
    batch: Annotated[
        Path | None,
        typer.Option("--batch", help="Answer one query per line of this file ('-': stdin)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only articles dated on or after DATE (2016, 2016-03, ...).",
            metavar="DATE",
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Only articles dated on or before DATE.", metavar="DATE"),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            help="Only articles from this source (repeat for any of several).",
            metavar="NAME",
        ),
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort", help="score|date (newest first)  [default: score]", show_default=False
        ),
    ] = "score",
    index_dir: IndexDir = Path("index"),
    corpus: Corpus = Path("seeds"),
    quiet: Quiet = False,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="When the query finds little, search its suggested spelling."),
    ] = False,
) -> None:
    """Search the index; exit 0 if anything matched, 1 if nothing did, 2 on error."""
    from .output import ColorMode, OutputFormat, resolve_format
    from .search import SortOrder

    _default_sigpipe()
    requested = _choice(OutputFormat, fmt, "--format")
    color_mode = _choice(ColorMode, color, "--color")
    if batch is None and query == "-":
        batch = Path("-")
    if batch is None and query is None:
        raise SyrsearchError(
            "missing QUERY", hint="give a query, or '-' to read queries from stdin"
        )
    # --count needs only the total, which counts every match whatever the limit.
    options = {
        "limit": 1 if count else limit or None,
        "snippets": 0 if count else snippets,
        "any_word": any_word,
        "expand": False if count else expand,
        "filters": _filters(since, until, source or []),
        "sort": _choice(SortOrder, sort, "--sort"),
        "fix": fix,
    }
    handle = open_or_build(index_dir, corpus, quiet)
    if batch is not None:
        code = _run_batch(handle, batch, requested, options, count=count, null=null, quiet=quiet)
        raise typer.Exit(code)
    assert query is not None
    out_format = resolve_format(requested, sys.stdout.isatty())
    if explain:
        from .search import translate

        _explain(query, translate(handle, query, any_word=any_word), out_format)
        return
    total = _answer(
        handle, query, out_format, color_mode, options, count=count, null=null, quiet=quiet
    )
    raise typer.Exit(ExitCode.OK if total else ExitCode.NO_MATCH)


def _filters(since: str | None, until: str | None, sources: list[str]) -> Any:
    from .metadata import parse_date, source_key
    from .search import Filters

    bounds = {}
    for flag, text, end in (("--since", since, False), ("--until", until, True)):
        if text is None:
            continue
        parsed = parse_date(text, end=end)
        if parsed is None:
            raise SyrsearchError(
                f"{flag}: cannot read '{text}' as a date",
                hint="use YYYY, YYYY-MM or YYYY-MM-DD",
            )
        bounds[flag] = parsed
    if "--since" in bounds and "--until" in bounds and bounds["--since"] > bounds["--until"]:
        raise SyrsearchError(f"--since {since} is after --until {until}")
    for name in sources:
        if not source_key(name):
            raise SyrsearchError(f"--source: '{name}' has no letters or digits")
    return Filters(bounds.get("--since"), bounds.get("--until"), tuple(sources))


def _answer(
    handle: Any,
    query: str,
    out_format: Any,
    color_mode: Any,
    options: dict[str, Any],
    *,
    count: bool,
    null: bool,
    quiet: bool,
) -> int:
    from .output import dumps, resolve_color, terminal_width, write_result
    from .suggest import search_with_suggestion

    result = search_with_suggestion(handle, query, **options)
    _notices(result.notices, quiet)
    _suggestion_notice(result, quiet)
    if (
        not result.total
        and not result.suggestion
        and not options["any_word"]
        and len(query.split()) > 1
        and not quiet
    ):
        _stderr(f"{PROG}: no article has all of the words; --any ranks those with any of them")
    if count:
        total = str(result.total)
        if out_format.value in ("json", "jsonl"):
            fixed = {"suggestion": result.suggestion} if options["fix"] else {}
            total = dumps({"query": query, "total": result.total, **fixed})
        sys.stdout.write(total + "\n")
    else:
        use_color = resolve_color(color_mode, out_format, sys.stdout.isatty(), os.environ)
        write_result(
            result, out_format, sys.stdout, null=null, color=use_color, width=terminal_width()
        )
    sys.stdout.flush()
    return result.total


def _notices(notices: Any, quiet: bool) -> None:
    if not quiet:
        for notice in notices:
            _stderr(f"{PROG}: {notice}")


def _suggestion_notice(result: Any, quiet: bool, where: str = "") -> None:
    """``did you mean: ...``, or with --fix ``showing results for: ...``, on stderr."""
    from .output import one_line

    if quiet or not result.suggestion:
        return
    said = "showing results for" if result.corrected else "did you mean"
    _stderr(f"{PROG}: {where}{said}: {one_line(result.suggestion)}")


def _run_batch(
    handle: Any,
    source: Path,
    requested: Any,
    options: dict[str, Any],
    *,
    count: bool,
    null: bool,
    quiet: bool,
) -> int:
    """Answer one query per line; JSON lines out. Exit 0 if any query had a hit,
    2 if any line was an error (reported on stderr, the others still answered)."""
    from .output import OutputFormat, dumps, hit_dict, tsv_field
    from .suggest import search_with_suggestion

    fix = options["fix"]
    fmt = requested or OutputFormat.jsonl
    if fmt in (OutputFormat.rich, OutputFormat.text, OutputFormat.json):
        fmt = OutputFormat.jsonl
    lines = _batch_lines(source)
    any_hit = errors = False
    for lineno, raw in enumerate(lines, 1):
        query = raw[:-1] if raw.endswith("\n") else raw
        query = query[:-1] if query.endswith("\r") else query
        if not query.strip():
            continue
        try:
            result = search_with_suggestion(handle, query, **options)
        except SyrsearchError as exc:
            errors = True
            _report(f"line {lineno}: {exc.message}", exc.hint)
            continue
        _notices(result.notices, quiet)
        _suggestion_notice(result, quiet, f"line {lineno}: ")
        any_hit = any_hit or result.total > 0
        # With --fix each line says which query its hits answer.
        fixed = {"suggestion": result.suggestion} if fix else {}
        out = sys.stdout
        if count:
            out.write(dumps({"query": query, "total": result.total, **fixed}) + "\n")
            continue
        for hit in result.hits:
            if fmt is OutputFormat.tsv:
                row = (
                    query, hit.rank, f"{hit.score:.4f}", hit.id, hit.title, hit.path,
                    hit.date or "", hit.source or "",
                )  # fmt: skip
                out.write("\t".join(tsv_field(v) for v in row) + "\n")
            elif fmt is OutputFormat.paths:
                out.write(hit.path + ("\0" if null else "\n"))
            else:
                out.write(dumps({"query": query, **hit_dict(hit), **fixed}) + "\n")
        out.flush()
    if errors:
        return ExitCode.ERROR
    return ExitCode.OK if any_hit else ExitCode.NO_MATCH


def _batch_lines(source: Path) -> Any:
    if str(source) == "-":
        return sys.stdin
    try:
        return source.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    except OSError as exc:
        raise SyrsearchError(
            f"cannot read --batch file '{source}': {exc.strerror}",
            hint="give a readable file, or '-' for stdin",
        ) from None


def _output(requested: Any, color: str) -> tuple[Any, bool]:
    """The output format and whether to colour it, from the flags and stdout."""
    from .output import ColorMode, resolve_color, resolve_format

    tty = sys.stdout.isatty()
    out_format = resolve_format(requested, tty)
    return out_format, resolve_color(
        _choice(ColorMode, color, "--color"), out_format, tty, os.environ
    )


def _choice(enum: Any, value: Any, option: str) -> Any:
    if value is None:
        return None
    if isinstance(value, enum):
        return value
    try:
        return enum(str(value).lower())
    except ValueError:
        names = "|".join(e.value for e in enum)
        raise SyrsearchError(f"invalid value {value!r} for {option}", hint=f"use {names}") from None


def _explain(query: str, tr: Any, fmt: Any) -> None:
    from .output import OutputFormat, dumps, safe

    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        data = {
            "query": query,
            "parsed": repr(tr.query),
            "words": [{"word": w, "terms": forms} for w, forms in tr.words],
            "notices": tr.notices,
        }
        sys.stdout.write(dumps(data) + "\n")
        return
    lines = [f"query:  {safe(query)}", f"parsed: {safe(repr(tr.query))}", "words:"]
    lines += [
        f"  {safe(w)} -> {' | '.join(forms) or '(common word, left out)'}" for w, forms in tr.words
    ]
    lines += [f"note:   {safe(n)}" for n in tr.notices]
    sys.stdout.write("\n".join(lines) + "\n")


# -- show ---------------------------------------------------------------------


@app.command("show")
def show_command(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Article id or a unique prefix.")],
    highlight: Annotated[
        str | None, typer.Option("--highlight", help="Mark the words this query matches.")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="rich|text|json", show_default=False)
    ] = None,
    color: Color = "auto",
    index_dir: IndexDir = Path("index"),
    corpus: Corpus = Path("seeds"),
    quiet: Quiet = False,
) -> None:
    """Print one article in full: title, id, path and body."""
    from .output import (
        OutputFormat,
        terminal_width,
        write_article,
    )
    from .search import highlight_matches, resolve_id
    from .snippets import matched_spans

    _default_sigpipe()
    out_format, use_color = _output(_choice(OutputFormat, fmt, "--format"), color)
    handle = open_or_build(index_dir, corpus, quiet)
    article = resolve_id(handle, ident)
    spans: dict[str, list[tuple[int, int]]] = {}
    if highlight is not None:
        matches = highlight_matches(handle, highlight)
        spans = {
            "title": matched_spans(article.title, matches["title"]),
            "body": matched_spans(article.body, matches["body"]),
        }
    write_article(
        article, out_format, sys.stdout, spans=spans, color=use_color, width=terminal_width()
    )


# -- similar ------------------------------------------------------------------


@app.command("similar")
def similar_command(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Article id or a unique prefix.")],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, help="Most articles to show (0: all).")
    ] = 10,
    fmt: ResultFormat = None,
    terms: Annotated[
        int, typer.Option("--terms", min=1, help="How many key terms of the article to use.")
    ] = 10,
    snippets: Annotated[int, typer.Option("--snippets", min=0, help="Snippets per hit.")] = 1,
    color: Color = "auto",
    null: Annotated[
        bool, typer.Option("--null", "-0", help="With paths: end each with NUL.")
    ] = False,
    index_dir: IndexDir = Path("index"),
    corpus: Corpus = Path("seeds"),
    quiet: Quiet = False,
) -> None:
    """The articles most like one article, with the key terms they share;
    exit 0 if there is any, 1 if none, 2 on error."""
    from .output import (
        OutputFormat,
        one_line,
        terminal_width,
        write_similar,
    )
    from .similar import similar

    _default_sigpipe()
    out_format, use_color = _output(_choice(OutputFormat, fmt, "--format"), color)
    handle = open_or_build(index_dir, corpus, quiet)
    result = similar(handle, ident, limit=limit or None, terms=terms, snippets=snippets)
    if not quiet:
        words = ", ".join(k.word for k in result.key_terms) or "none another article shares"
        _stderr(f"{PROG}: key terms of {result.article.id}: {one_line(words)}")
    write_similar(
        result, out_format, sys.stdout, null=null, color=use_color, width=terminal_width()
    )
    sys.stdout.flush()
    raise typer.Exit(ExitCode.OK if result.hits else ExitCode.NO_MATCH)


# -- export -------------------------------------------------------------------


@app.command("export")
def export_command(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="jsonl|bulk (Elasticsearch/OpenSearch _bulk)")
    ] = "jsonl",
    es_index: Annotated[
        str, typer.Option("--es-index", help="Target index name in bulk actions.")
    ] = "syrsearch",
    mapping: Annotated[
        bool, typer.Option("--mapping", help="Print the matching index mapping and stop.")
    ] = False,
    index_dir: IndexDir = Path("index"),
    corpus: Corpus = Path("seeds"),
    quiet: Quiet = False,
) -> None:
    """Write every indexed article as JSON lines (or _bulk NDJSON) to stdout."""
    from .export import bulk_lines, index_mapping, jsonl_lines
    from .output import dumps

    _default_sigpipe()
    if mapping:
        sys.stdout.write(dumps(index_mapping()) + "\n")
        return
    flavour = str(fmt).lower()
    if flavour not in ("jsonl", "bulk"):
        raise SyrsearchError(f"invalid value {fmt!r} for --format", hint="use jsonl|bulk")
    handle = open_or_build(index_dir, corpus, quiet)
    lines = jsonl_lines(handle) if flavour == "jsonl" else bulk_lines(handle, es_index)
    sys.stdout.writelines(lines)


# -- stats --------------------------------------------------------------------


@app.command("stats")
def stats_command(
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="rich|text|tsv|json [default: rich on a terminal, text otherwise]",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    terms: Annotated[
        int, typer.Option("--terms", min=0, help="How many distinctive terms to list.")
    ] = 20,
    color: Color = "auto",
    index_dir: IndexDir = Path("index"),
    corpus: Corpus = Path("seeds"),
    quiet: Quiet = False,
) -> None:
    """Summarise the index: articles, terms, size, dates, sources, distinctive terms."""
    from .output import (
        OutputFormat,
        terminal_width,
        write_stats,
    )
    from .stats import index_stats

    _default_sigpipe()
    requested = OutputFormat.json if as_json else _choice(OutputFormat, fmt, "--format")
    if requested in (OutputFormat.jsonl, OutputFormat.paths):
        raise SyrsearchError(
            f"invalid value '{requested.value}' for --format", hint="use rich|text|tsv|json"
        )
    out_format, use_color = _output(requested, color)
    handle = open_or_build(index_dir, corpus, quiet)
    stats = index_stats(handle, top_terms=terms)
    write_stats(stats, out_format, sys.stdout, color=use_color, width=terminal_width())


def main() -> None:
    """Console-script entry point."""
    app(prog_name=PROG)
