"""The commands: options -> request -> :mod:`syrsearch.app` -> output -> exit status.

Each command only reads its options, asks the application layer, writes the
answer with :mod:`syrsearch.output`, and returns the exit status; results,
and only results, go to stdout. The engine is imported when a command runs,
so ``--help`` and usage errors do not load it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ExitCode, SyrsearchError
from ..model import (
    DEFAULT_KEY_TERMS,
    DEFAULT_LIMIT,
    DEFAULT_LOCK_WAIT,
    DEFAULT_SIMILAR_SNIPPETS,
    DEFAULT_SNIPPETS,
    DEFAULT_STATS_TERMS,
    Filters,
    SearchRequest,
    SortOrder,
)
from ..output.export import ExportFormat
from ..output.terminal import (
    ColorMode,
    OutputFormat,
    one_line,
    resolve_color,
    resolve_format,
    stderr_line,
    terminal_width,
)
from .main import app, default_sigpipe, error_line
from .options import (
    DEFAULT_CORPUS,
    DEFAULT_INDEX,
    AliasFile,
    AnyWord,
    Batch,
    Color,
    Corpus,
    Count,
    Expand,
    Explain,
    Fix,
    Format,
    IndexDir,
    Lang,
    Limit,
    NoAliases,
    Null,
    QueryText,
    Quiet,
    Since,
    Snippets,
    Sort,
    Source,
    StatsFormatOption,
    Until,
    limit_or_all,
)

if TYPE_CHECKING:
    from ..engine.index import Index
    from ..output.progress import Reporter


def _reporter(quiet: bool) -> Reporter:
    from ..output.progress import Reporter

    return Reporter(quiet)


def _open(index_dir: Path, corpus: Path, quiet: bool) -> Index:
    from ..app import open_or_build

    reporter = _reporter(quiet)
    try:
        return open_or_build(index_dir, corpus, reporter)
    finally:
        reporter.close()


def _notices(notices: Iterable[str], quiet: bool) -> None:
    if not quiet:
        for notice in notices:
            stderr_line(f"syrsearch: {one_line(notice)}")


def _output(requested: OutputFormat | None, color: ColorMode) -> tuple[OutputFormat, bool]:
    """The output format and whether to colour it, from the flags and stdout."""
    tty = sys.stdout.isatty()
    out_format = resolve_format(requested, tty)
    return out_format, resolve_color(color, out_format, tty, os.environ)


# -- index --------------------------------------------------------------------


@app.command("index")
def index_command(
    corpus: Corpus = DEFAULT_CORPUS,
    index_dir: IndexDir = DEFAULT_INDEX,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build from scratch.")] = False,
    wait: Annotated[
        float, typer.Option("--wait", min=0, help="Seconds to wait for another index run.")
    ] = DEFAULT_LOCK_WAIT,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the run's report as JSON.")
    ] = False,
    quiet: Quiet = False,
) -> None:
    """Index the articles under --corpus (only what changed, unless --rebuild)."""
    from ..app import build
    from ..output.writers import write_report

    reporter = _reporter(quiet)
    try:
        report = build(corpus, index_dir, reporter, rebuild=rebuild, wait=wait)
    finally:
        reporter.close()
    if json_out:
        write_report(report, sys.stdout)


# -- query --------------------------------------------------------------------


@app.command("query")
def query_command(
    query: QueryText = None,
    limit: Limit = DEFAULT_LIMIT,
    fmt: Format = None,
    any_word: AnyWord = False,
    expand: Expand = None,
    count: Count = False,
    color: Color = ColorMode.auto,
    null: Null = False,
    explain: Explain = False,
    snippets: Snippets = DEFAULT_SNIPPETS,
    batch: Batch = None,
    since: Since = None,
    until: Until = None,
    source: Source = None,
    lang: Lang = None,
    sort: Sort = SortOrder.score,
    index_dir: IndexDir = DEFAULT_INDEX,
    corpus: Corpus = DEFAULT_CORPUS,
    quiet: Quiet = False,
    fix: Fix = False,
    aliases: AliasFile = None,
    no_aliases: NoAliases = False,
) -> int:
    """Search the index; exit 0 if anything matched, 1 if nothing did, 2 on error."""
    default_sigpipe()
    if batch is None and query == "-":
        batch = Path("-")
    if batch is None and query is None:
        raise SyrsearchError(
            "missing QUERY", hint="give a query, or '-' to read queries from stdin"
        )
    request = SearchRequest(
        text=query or "",
        limit=limit_or_all(limit),
        snippets=snippets,
        any_word=any_word,
        expand=expand,
        filters=_filters(since, until, source or [], lang or []),
        sort=sort,
        fix=fix,
        count=count,
        aliases=not no_aliases,
        alias_file=str(aliases) if aliases is not None else None,
    )
    index = _open(index_dir, corpus, quiet)
    if batch is not None:
        return _batch(index, batch, request, fmt, null=null, quiet=quiet)
    out_format, use_color = _output(fmt, color)
    if explain:
        from ..app import explain as explain_query
        from ..output.writers import write_explanation

        explanation = explain_query(
            index,
            request.text,
            any_word=any_word,
            langs=request.filters.langs,
            aliases=request.aliases,
            alias_file=request.alias_file,
        )
        write_explanation(request.text, explanation, out_format, sys.stdout)
        return ExitCode.OK
    return _answer(index, request, out_format, use_color, null=null, quiet=quiet)


def _filters(
    since: str | None, until: str | None, sources: list[str], langs: list[str] | None = None
) -> Filters:
    from ..text.lang import language_code
    from ..text.metadata import parse_date, source_key

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
    codes = []
    for code in langs or []:
        iso = language_code(code)
        if iso is None:
            raise SyrsearchError(
                f"--lang: '{code}' is not a language code",
                hint="give an ISO 639-1 code: en, ru, ar, fr, de, es, tr, zh ...",
            )
        codes.append(iso)
    since_, until_ = bounds.get("--since"), bounds.get("--until")
    return Filters(since_, until_, tuple(sources), tuple(dict.fromkeys(codes)))


def _answer(
    index: Index,
    request: SearchRequest,
    out_format: OutputFormat,
    use_color: bool,
    *,
    null: bool,
    quiet: bool,
) -> int:
    from ..app import run_query
    from ..output.writers import write_count, write_result

    outcome = run_query(index, request)
    _notices(outcome.notices, quiet)
    if request.count:
        write_count(outcome.result, out_format, sys.stdout, fixed=request.fix)
    else:
        write_result(
            outcome.result,
            out_format,
            sys.stdout,
            null=null,
            color=use_color,
            width=terminal_width(),
        )
    sys.stdout.flush()
    return outcome.exit_code


def _batch(
    index: Index,
    source: Path,
    request: SearchRequest,
    requested: OutputFormat | None,
    *,
    null: bool,
    quiet: bool,
) -> int:
    """Answer one query per line; each line's error on stderr, the others still answered."""
    from ..app import BatchAnswer, batch_exit_code, run_batch
    from ..output.writers import batch_format, write_batch_answer

    fmt = batch_format(requested)
    answers: list[BatchAnswer] = []
    for answer in run_batch(index, _batch_lines(source), request):
        answers.append(answer)
        if answer.error is not None:
            error = answer.error
            stderr_line(error_line(f"line {answer.lineno}: {error.message}", error.hint))
            continue
        assert answer.outcome is not None
        _notices(answer.outcome.notices, quiet)
        write_batch_answer(
            answer.query, answer.outcome.result, fmt, sys.stdout,
            count=request.count, fixed=request.fix, null=null,
        )  # fmt: skip
        sys.stdout.flush()
    return batch_exit_code(answers)


def _batch_lines(source: Path) -> Iterable[str]:
    if str(source) == "-":
        return sys.stdin
    try:
        return source.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    except OSError as exc:
        raise SyrsearchError(
            f"cannot read --batch file '{source}': {exc.strerror}",
            hint="give a readable file, or '-' for stdin",
        ) from None


# -- show ---------------------------------------------------------------------


@app.command("show")
def show_command(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Article id or a unique prefix.")],
    highlight: Annotated[
        str | None, typer.Option("--highlight", help="Mark the words this query matches.")
    ] = None,
    fmt: Format = None,
    color: Color = ColorMode.auto,
    index_dir: IndexDir = DEFAULT_INDEX,
    corpus: Corpus = DEFAULT_CORPUS,
    quiet: Quiet = False,
) -> None:
    """Print one article in full: title, id, path and body."""
    from ..app import show
    from ..output.writers import write_article

    default_sigpipe()
    out_format, use_color = _output(fmt, color)
    shown = show(_open(index_dir, corpus, quiet), ident, highlight=highlight)
    write_article(
        shown.article,
        out_format,
        sys.stdout,
        spans=shown.spans,
        color=use_color,
        width=terminal_width(),
    )


# -- similar ------------------------------------------------------------------


@app.command("similar")
def similar_command(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Article id or a unique prefix.")],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, help="Most articles to show (0: all).")
    ] = DEFAULT_LIMIT,
    fmt: Format = None,
    terms: Annotated[
        int, typer.Option("--terms", min=1, help="How many key terms of the article to use.")
    ] = DEFAULT_KEY_TERMS,
    snippets: Snippets = DEFAULT_SIMILAR_SNIPPETS,
    color: Color = ColorMode.auto,
    null: Null = False,
    index_dir: IndexDir = DEFAULT_INDEX,
    corpus: Corpus = DEFAULT_CORPUS,
    quiet: Quiet = False,
) -> int:
    """The articles most like one article, with the key terms they share;
    exit 0 if there is any, 1 if none, 2 on error."""
    from ..app import similar
    from ..output.writers import write_similar

    default_sigpipe()
    out_format, use_color = _output(fmt, color)
    index = _open(index_dir, corpus, quiet)
    result = similar(index, ident, limit=limit_or_all(limit), terms=terms, snippets=snippets)
    words = ", ".join(k.word for k in result.key_terms) or "none another article shares"
    _notices([f"key terms of {result.article.id}: {words}"], quiet)
    write_similar(
        result, out_format, sys.stdout, null=null, color=use_color, width=terminal_width()
    )
    sys.stdout.flush()
    return ExitCode.OK if result.hits else ExitCode.NO_MATCH


# -- export -------------------------------------------------------------------


@app.command("export")
def export_command(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format", "-f", case_sensitive=False, help="JSON lines, or Elasticsearch _bulk."
        ),
    ] = ExportFormat.jsonl,
    es_index: Annotated[
        str, typer.Option("--es-index", help="Target index name in bulk actions.")
    ] = "syrsearch",
    mapping: Annotated[
        bool, typer.Option("--mapping", help="Print the matching index mapping and stop.")
    ] = False,
    index_dir: IndexDir = DEFAULT_INDEX,
    corpus: Corpus = DEFAULT_CORPUS,
    quiet: Quiet = False,
) -> None:
    """Write every indexed article as JSON lines (or _bulk NDJSON) to stdout."""
    from ..output.export import export_lines, index_mapping
    from ..output.records import dumps

    default_sigpipe()
    if mapping:
        sys.stdout.write(dumps(index_mapping()) + "\n")
        return
    from ..app import articles

    index = _open(index_dir, corpus, quiet)
    sys.stdout.writelines(export_lines(articles(index), fmt, es_index))


# -- stats --------------------------------------------------------------------


@app.command("stats")
def stats_command(
    fmt: StatsFormatOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    terms: Annotated[
        int, typer.Option("--terms", min=0, help="How many distinctive terms to list.")
    ] = DEFAULT_STATS_TERMS,
    color: Color = ColorMode.auto,
    index_dir: IndexDir = DEFAULT_INDEX,
    corpus: Corpus = DEFAULT_CORPUS,
    quiet: Quiet = False,
) -> None:
    """Summarise the index: articles, terms, size, dates, sources, distinctive terms."""
    from ..app import index_stats
    from ..output.writers import write_stats

    default_sigpipe()
    requested = OutputFormat.json if as_json else OutputFormat(fmt.value) if fmt else None
    out_format, use_color = _output(requested, color)
    stats = index_stats(_open(index_dir, corpus, quiet), top_terms=terms)
    write_stats(stats, out_format, sys.stdout, color=use_color, width=terminal_width())


def main() -> None:
    """Console-script entry point."""
    app(prog_name="syrsearch")
