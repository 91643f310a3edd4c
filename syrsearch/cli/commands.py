"""The commands: options -> request -> :mod:`syrsearch.app` -> output -> exit status.

Each command only reads its options, asks the application layer, writes the
answer with :mod:`syrsearch.output`, and returns the exit status; results,
and only results, go to stdout. The engine is imported when a command runs,
so ``--help`` and usage errors do not load it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import io
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from ..errors import ExitCode, SyrsearchError
from ..model import (
    DEFAULT_KEY_TERMS,
    DEFAULT_LIMIT,
    DEFAULT_LOCK_WAIT,
    DEFAULT_MAX_EXPANSIONS,
    DEFAULT_SIMILAR_SNIPPETS,
    DEFAULT_SNIPPETS,
    DEFAULT_STATS_TERMS,
    Facet,
    Filters,
    SearchRequest,
    SortOrder,
)
from ..output.links import HyperlinkMode, resolve_hyperlinks
from ..output.terminal import (
    HUMAN_FORMATS,
    SNIPPET_FORMATS,
    ColorMode,
    ExportFormat,
    OutputFormat,
    one_line,
    resolve_color,
    resolve_format,
    stderr_line,
    terminal_width,
)
from .completion import complete_id
from .main import app, command_app, default_sigpipe, error_line
from .options import (
    DEFAULT_CORPUS,
    DEFAULT_INDEX,
    TERMINAL_TIMEOUT,
    AliasFile,
    AnyWord,
    Batch,
    By,
    Collapse,
    Color,
    Corpus,
    Count,
    Expand,
    Explain,
    Fix,
    Format,
    Header,
    Hyperlinks,
    IndexCorpus,
    IndexDir,
    Lang,
    Limit,
    MaxExpansions,
    NoAliases,
    NoMessages,
    NoPager,
    Null,
    QueryText,
    Quiet,
    RowsFormat,
    Since,
    Snippets,
    Sort,
    Source,
    StatsFormatOption,
    Timeout,
    Until,
    Wait,
    limit_or_all,
)

if TYPE_CHECKING:
    from ..app import QueryOutcome
    from ..engine.index import Index
    from ..output.progress import Reporter


def _reporter(silent: bool) -> Reporter:
    from ..output.progress import Reporter

    return Reporter(silent)


def _open(index_dir: Path, corpus: Path, silent: bool) -> Index:
    from ..app import open_or_build

    reporter = _reporter(silent)
    try:
        return open_or_build(index_dir, corpus, reporter)
    finally:
        reporter.close()


def _notices(notices: Iterable[str], silent: bool) -> None:
    """A command's notices, on one stderr line (a script reading stderr
    gets at most one line per query)."""
    shown = [one_line(n) for n in notices]
    if shown and not silent:
        stderr_line(f"syrsearch: {'; '.join(shown)}")


def _output(
    requested: OutputFormat | None, color: ColorMode, piped: OutputFormat = OutputFormat.text
) -> tuple[OutputFormat, bool]:
    """The output format and whether to colour it, from the flags and stdout
    (``piped``: the format for a pipe when none is asked for)."""
    tty = sys.stdout.isatty()
    out_format = resolve_format(requested, tty, piped)
    return out_format, resolve_color(color, out_format, tty, os.environ)


def _links(mode: HyperlinkMode, out_format: OutputFormat, use_color: bool) -> bool:
    human = out_format in HUMAN_FORMATS
    return resolve_hyperlinks(mode, human, use_color, sys.stdout.isatty(), os.environ)


class _Discard(io.StringIO):
    """``--quiet``: output that goes nowhere."""

    def write(self, text: str) -> int:
        return len(text)


@contextlib.contextmanager
def _screen(
    out_format: OutputFormat, *, quiet: bool = False, no_pager: bool = True
) -> Iterator[tuple[IO[str], int | None]]:
    """Where a command writes, and how wide: nowhere with ``--quiet``; a pager
    for a human format on a terminal (unless ``--no-pager``); else stdout."""
    if quiet:
        yield _Discard(), None
        return
    width = terminal_width()
    command = None
    if not no_pager and out_format in HUMAN_FORMATS and sys.stdout.isatty():
        from ..output.pager import pager_command

        command = pager_command(os.environ)
    if command is None:
        default_sigpipe()
        yield sys.stdout, width
        sys.stdout.flush()
        return
    from ..output.pager import paged

    sys.stdout.flush()
    with paged(command, os.environ) as stream:
        yield stream, width or shutil.get_terminal_size().columns


# -- index --------------------------------------------------------------------


@app.command("index")
def index_command(
    corpus: IndexCorpus = None,
    index_dir: IndexDir = DEFAULT_INDEX,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build from scratch.")] = False,
    wait: Wait = DEFAULT_LOCK_WAIT,
    follow_links: Annotated[
        bool,
        typer.Option("--follow-links", help="Also index links to files outside the corpus."),
    ] = False,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the run's report as JSON.")
    ] = False,
    quiet: Quiet = False,
    no_messages: NoMessages = False,
) -> None:
    """Index the articles under --corpus (only what changed, unless --rebuild)."""
    from ..app import build
    from ..output.writers import write_report

    reporter = _reporter(no_messages)
    try:
        report = build(
            corpus, index_dir, reporter, rebuild=rebuild, wait=wait, follow_links=follow_links
        )
    finally:
        reporter.close()
    if json_out and not quiet:
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
    no_messages: NoMessages = False,
    fix: Fix = False,
    timeout: Timeout = None,
    max_expansions: MaxExpansions = DEFAULT_MAX_EXPANSIONS,
    by: By = None,
    header: Header = False,
    collapse: Collapse = None,
    no_pager: NoPager = False,
    hyperlinks: Hyperlinks = HyperlinkMode.auto,
    aliases: AliasFile = None,
    no_aliases: NoAliases = False,
) -> int:
    """Search the index; exit 0 if anything matched, 1 if nothing did, 2 on error.

    \b
    Query syntax (words are ANDed unless --any):
      ceasefire Astana           both words
      Astana OR Jubeir           either word
      lavrov NOT kerry           the first without the second
      "Secretary of State"       the exact phrase
      "trilateral monitoring"~3  the words at most 3 positions apart
      negot*                     words starting with negot
      Lavrof~                    words one edit away (Lavrov)
      title:Moscow  body:Aleppo  in one field only
      (Kerry OR Lavrov) Geneva   grouping
    Case, accents and hyphens do not matter; words are stemmed, an exact
    form ranks higher; US in capitals is the acronym, and a name written
    with a capital is not another word of its stem (Hamas is not Hama).
    A pasted title ranks its article first. --explain shows how a query
    was read.

    \b
    Dates (--since, --until): 2016, 2016-03, 2016-03-15, or counted back
    from today: 30d, 2w, 6m, 1y, today, yesterday.
    """
    # Words given unquoted are one query, as notmuch and recollq take them.
    text = " ".join(query) if query else None
    if batch is None and text == "-":
        batch = Path("-")
    if batch is None and text is None and not (since or until or source or lang):
        raise SyrsearchError(
            "missing QUERY",
            hint="give a query ('*' lists every article), or '-' to read queries from stdin",
        )
    if by is not None and not explain:
        return _facets(
            text, batch, by, fmt, color, _filters(since, until, source or [], lang or []),
            any_word=any_word, limit=limit, header=header, count=count,
            index_dir=index_dir, corpus=corpus, quiet=quiet, silent=no_messages,
        )  # fmt: skip
    request = SearchRequest(
        text="*" if text is None and batch is None else text or "",
        limit=limit_or_all(limit),
        snippets=snippets,
        any_word=any_word,
        expand=expand,
        filters=_filters(since, until, source or [], lang or []),
        sort=sort,
        fix=fix,
        count=count,
        max_expansions=max_expansions,
        timeout=_timeout(timeout, batch=batch is not None),
        aliases=not no_aliases,
        alias_file=str(aliases) if aliases is not None else None,
    )
    if quiet:  # the exit status only: count, as grep -q stops at the first match
        request = dataclasses.replace(request, count=True)
    index = _open(index_dir, corpus, no_messages)
    if batch is not None:
        request = dataclasses.replace(request, collapse=bool(collapse))
        from ..output.writers import batch_format

        request = _shown(request, batch_format(fmt))
        return _batch(
            index, batch, request, fmt, null=null, quiet=quiet, silent=no_messages, header=header
        )
    out_format, use_color = _output(fmt, color)
    # Collapsed for a person reading a page of hits on a terminal; every hit
    # for a script, or for a person asking for all of them (--limit 0).
    wanted = out_format is OutputFormat.rich and limit > 0 if collapse is None else collapse
    request = _shown(dataclasses.replace(request, collapse=wanted and not count), out_format)
    if explain:
        from ..app import explain as explain_query
        from ..output.writers import write_explanation

        explanation = explain_query(
            index,
            request.text,
            any_word=any_word,
            max_expansions=max_expansions,
            langs=request.filters.langs,
            aliases=request.aliases,
            alias_file=request.alias_file,
        )
        with _screen(out_format, quiet=quiet) as (out, _width):
            write_explanation(request.text, explanation, out_format, out)
        return ExitCode.OK
    links = _links(hyperlinks, out_format, use_color)
    outcome = _run(index, request, silent=no_messages)
    with _screen(out_format, quiet=quiet, no_pager=no_pager) as (out, width):
        if request.count:
            from ..output.writers import write_count

            write_count(outcome.result, out_format, out, fixed=request.fix)
        else:
            from ..output.writers import write_result

            write_result(
                outcome.result, out_format, out, null=null, color=use_color, width=width,
                header=header, links=links,
            )  # fmt: skip
    return outcome.exit_code


def _facets(
    query: str | None,
    batch: Path | None,
    by: Facet,
    requested: OutputFormat | None,
    color: ColorMode,
    filters: Filters,
    *,
    any_word: bool,
    limit: int,
    header: bool,
    count: bool,
    index_dir: Path,
    corpus: Path,
    quiet: bool,
    silent: bool,
) -> int:
    """``--by``: a chart per query on a terminal, one row per bucket otherwise."""
    from ..app import query_lines, run_facets
    from ..output.charts import write_facets

    if count:
        raise SyrsearchError("--by counts per bucket: it cannot be combined with --count")
    if requested in (OutputFormat.paths, OutputFormat.markdown):
        raise SyrsearchError(
            f"--by writes counts, not hits: --format {requested.value} does not apply",
            hint="use rich, text, tsv, csv, json or jsonl",
        )
    out_format, use_color = _output(requested, color, OutputFormat.tsv)
    index = _open(index_dir, corpus, silent)
    lines = list(query_lines(_batch_lines(batch))) if batch is not None else [(0, query)]
    answers, code = run_facets(
        index, lines, by, filters=filters, any_word=any_word, limit=limit_or_all(limit)
    )
    for answer in answers:
        if answer.error is not None:
            where = f"line {answer.lineno}: " if answer.lineno else ""
            stderr_line(error_line(where + answer.error.message, answer.error.hint))
    results = [a.result for a in answers if a.result is not None]
    write_facets(
        results, out_format, _Discard() if quiet else sys.stdout, batch=batch is not None,
        header=header,
        color=use_color, width=terminal_width(),
    )  # fmt: skip
    sys.stdout.flush()
    return code


def _shown(request: SearchRequest, out_format: OutputFormat) -> SearchRequest:
    """``request`` without the snippets and highlights ``out_format`` never
    shows (``paths``, ``tsv``, ``csv``): work that would only be thrown away."""
    if out_format in SNIPPET_FORMATS:
        return request
    return dataclasses.replace(request, snippets=0, highlights=False)


def _timeout(given: float | None, *, batch: bool) -> float | None:
    """``--timeout``: as given (0: none), else a few seconds for one query
    shown on a terminal, and none in a pipe or a batch."""
    if given is not None:
        return given or None
    return TERMINAL_TIMEOUT if not batch and sys.stdout.isatty() else None


def _filters(
    since: str | None,
    until: str | None,
    sources: list[str],
    langs: list[str] | None = None,
    today: date | None = None,
) -> Filters:
    from ..text.dates import relative_date
    from ..text.lang import language_code
    from ..text.metadata import parse_date, source_key

    bounds = {}
    for flag, text, end in (("--since", since, False), ("--until", until, True)):
        if text is None:
            continue
        parsed = relative_date(text, today or date.today()) or parse_date(text, end=end)
        if parsed is None:
            raise SyrsearchError(
                f"{flag}: cannot read '{text}' as a date",
                hint="use YYYY, YYYY-MM, YYYY-MM-DD, or 30d, 2w, 6m, 1y ago, today, yesterday",
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


def _run(index: Index, request: SearchRequest, *, silent: bool) -> QueryOutcome:
    from ..app import run_query

    outcome = run_query(index, request)
    _notices(outcome.notices, silent)
    return outcome


def _batch(
    index: Index,
    source: Path,
    request: SearchRequest,
    requested: OutputFormat | None,
    *,
    null: bool,
    quiet: bool,
    silent: bool,
    header: bool = False,
) -> int:
    """Answer one query per line; each line's error on stderr, the others still answered."""
    from ..app import BatchAnswer, batch_exit_code, run_batch
    from ..output.writers import batch_format, write_batch_answer, write_batch_header

    default_sigpipe()
    out = _Discard() if quiet else sys.stdout
    fmt = batch_format(requested)
    write_batch_header(fmt, out, header=header, count=request.count)
    answers: list[BatchAnswer] = []
    for answer in run_batch(index, _batch_lines(source), request):
        answers.append(answer)
        if answer.error is not None:
            error = answer.error
            stderr_line(error_line(f"line {answer.lineno}: {error.message}", error.hint))
            continue
        assert answer.outcome is not None
        _notices(answer.outcome.notices, silent)
        write_batch_answer(
            answer.query, answer.outcome.result, fmt, out,
            count=request.count, fixed=request.fix, null=null,
        )  # fmt: skip
        out.flush()
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
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Article id or a unique prefix.", autocompletion=complete_id
        ),
    ],
    highlight: Annotated[
        str | None, typer.Option("--highlight", help="Mark the words this query matches.")
    ] = None,
    fmt: Format = None,
    color: Color = ColorMode.auto,
    reprints: Annotated[
        bool, typer.Option("--reprints", help="List the article's reprint group instead.")
    ] = False,
    header: Header = False,
    index_dir: IndexDir = DEFAULT_INDEX,
    corpus: Corpus = DEFAULT_CORPUS,
    quiet: Quiet = False,
    no_messages: NoMessages = False,
    no_pager: NoPager = False,
    hyperlinks: Hyperlinks = HyperlinkMode.auto,
) -> None:
    """Print one article in full: title, id, path and body."""
    from ..app import show
    from ..output.writers import write_article

    out_format, use_color = _output(fmt, color)
    if reprints:
        from ..app import reprints as reprint_group
        from ..output.writers import write_reprints

        group = reprint_group(_open(index_dir, corpus, no_messages), ident)
        with _screen(out_format, quiet=quiet, no_pager=no_pager) as (out, _width):
            write_reprints(group, out_format, out, header=header)
        return
    links = _links(hyperlinks, out_format, use_color)
    shown = show(_open(index_dir, corpus, no_messages), ident, highlight=highlight)
    _notices(shown.notices, no_messages)
    with _screen(out_format, quiet=quiet, no_pager=no_pager) as (out, width):
        write_article(
            shown.article, out_format, out, spans=shown.spans, color=use_color, width=width,
            links=links,
        )  # fmt: skip


# -- similar ------------------------------------------------------------------


@app.command("similar")
def similar_command(
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Article id or a unique prefix.", autocompletion=complete_id
        ),
    ],
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
    header: Header = False,
    index_dir: IndexDir = DEFAULT_INDEX,
    corpus: Corpus = DEFAULT_CORPUS,
    quiet: Quiet = False,
    no_messages: NoMessages = False,
    no_pager: NoPager = False,
    hyperlinks: Hyperlinks = HyperlinkMode.auto,
) -> int:
    """The articles most like one article, with the key terms they share;
    exit 0 if there is any, 1 if none, 2 on error."""
    from ..app import similar
    from ..output.writers import write_similar

    out_format, use_color = _output(fmt, color)
    links = _links(hyperlinks, out_format, use_color)
    index = _open(index_dir, corpus, no_messages)
    snippets = snippets if out_format in SNIPPET_FORMATS else 0  # shown in no row
    result = similar(index, ident, limit=limit_or_all(limit), terms=terms, snippets=snippets)
    words = ", ".join(k.word for k in result.key_terms) or "none another article shares"
    _notices([f"key terms of {result.article.id}: {words}"], no_messages)
    with _screen(out_format, quiet=quiet, no_pager=no_pager) as (out, width):
        write_similar(
            result, out_format, out, null=null, color=use_color, width=width,
            header=header, links=links,
        )  # fmt: skip
    return ExitCode.OK if result.hits else ExitCode.NO_MATCH


# -- related ------------------------------------------------------------------


@app.command("related")
def related_command(
    query: Annotated[str, typer.Argument(help="What to search for (Whoosh query syntax).")],
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=0,
            help="Names and terms to list (0: all)  [default: 20, or 5 per bucket with --by]",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        Facet | None,
        typer.Option(
            "--by",
            case_sensitive=False,
            help="Per month, week or year (only these): how the company changes.",
        ),
    ] = None,
    sample: Annotated[
        int, typer.Option("--sample", min=1, help="Best matches the candidates come from.")
    ] = 100,
    fmt: RowsFormat = None,
    header: Header = False,
    any_word: AnyWord = False,
    since: Since = None,
    until: Until = None,
    source: Source = None,
    color: Color = ColorMode.auto,
    index_dir: IndexDir = DEFAULT_INDEX,
    corpus: Corpus = DEFAULT_CORPUS,
    quiet: Quiet = False,
    no_messages: NoMessages = False,
) -> int:
    """The names and terms over-represented in the articles matching QUERY,
    with counts in the matches and in the whole index; exit 0 if any, 1 if none."""
    from ..app import related
    from ..output.charts import write_related

    default_sigpipe()
    if fmt in (OutputFormat.paths, OutputFormat.markdown):
        raise SyrsearchError(
            f"related lists names and terms: --format {fmt.value} does not apply",
            hint="use rich, text, tsv, csv, json or jsonl",
        )
    out_format, use_color = _output(fmt, color, OutputFormat.tsv)
    filters = _filters(since, until, source or [])
    index = _open(index_dir, corpus, no_messages)
    wanted = limit if limit is not None else 20 if by is None else 5
    options = {"filters": filters, "any_word": any_word, "limit": limit_or_all(wanted)}
    if by is None:
        options["sample"] = sample
    results, notices, code = related(index, query, by=by, **options)
    _notices(notices, no_messages)
    write_related(
        results, out_format, _Discard() if quiet else sys.stdout, by=by is not None, header=header,
        color=use_color, width=terminal_width(),
    )  # fmt: skip
    sys.stdout.flush()
    return code


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
    no_messages: NoMessages = False,
) -> None:
    """Write every indexed article as JSON lines (or _bulk NDJSON) to stdout."""
    from ..output.export import export_lines, index_mapping
    from ..output.records import dumps

    default_sigpipe()
    if mapping and not quiet:
        sys.stdout.write(dumps(index_mapping()) + "\n")
    if mapping:
        return
    from ..app import articles

    index = _open(index_dir, corpus, no_messages)
    out = _Discard() if quiet else sys.stdout
    out.writelines(export_lines(articles(index), fmt, es_index))


# -- stats --------------------------------------------------------------------


@app.command("stats")
def stats_command(
    fmt: StatsFormatOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    terms: Annotated[
        int, typer.Option("--terms", min=0, help="How many distinctive terms to list.")
    ] = DEFAULT_STATS_TERMS,
    color: Color = ColorMode.auto,
    by: Annotated[
        Facet | None,
        typer.Option(
            "--by",
            case_sensitive=False,
            help="Chart the articles per month, week, year, source, lang or folder instead "
            "(tsv rows when not on a terminal).",
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, help="With --by: most buckets (0: all).")
    ] = 10,
    header: Header = False,
    index_dir: IndexDir = DEFAULT_INDEX,
    corpus: Corpus = DEFAULT_CORPUS,
    quiet: Quiet = False,
    no_messages: NoMessages = False,
    no_pager: NoPager = False,
) -> None:
    """Summarise the index: articles, terms, size, dates, sources, distinctive terms."""
    from ..app import index_stats
    from ..output.writers import write_stats

    requested = OutputFormat.json if as_json else OutputFormat(fmt.value) if fmt else None
    if by is not None:
        from ..app import run_facets
        from ..output.charts import write_facets

        out_format, use_color = _output(requested, color, OutputFormat.tsv)
        index = _open(index_dir, corpus, no_messages)
        answers, _ = run_facets(index, [(0, None)], by, limit=limit_or_all(limit))
        for answer in answers:
            if answer.error is not None:
                raise answer.error
        results = [a.result for a in answers if a.result is not None]
        write_facets(
            results, out_format, _Discard() if quiet else sys.stdout, header=header,
            color=use_color,
            width=terminal_width(),
        )  # fmt: skip
        return
    out_format, use_color = _output(requested, color)
    stats = index_stats(_open(index_dir, corpus, no_messages), top_terms=terms)
    with _screen(out_format, quiet=quiet, no_pager=no_pager) as (out, width):
        write_stats(stats, out_format, out, color=use_color, width=width)


# -- tui --------------------------------------------------------------------------


@app.command("tui")
def tui_command(
    query: Annotated[str, typer.Argument(help="A query to start with.")] = "",
    any_word: AnyWord = False,
    index_dir: IndexDir = DEFAULT_INDEX,
    corpus: Corpus = DEFAULT_CORPUS,
    no_messages: NoMessages = False,
) -> int:
    """Search as you type: the ranked hits, a preview with the matches, keys
    for similar articles, filters, opening and copying.

    \b
    Keys: type to search; up/down (or j/k in the list) move; n/N go to the
    next/previous match in the preview; ctrl+t any/all words; ctrl+f the
    filters (since:2016-03 until:30d source:Reuters); s similar articles
    (esc: back); e/p open in $EDITOR/$PAGER; y/Y copy the id/path; ctrl+c quits.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise SyrsearchError(
            "the interactive search needs a terminal",
            hint="in a pipe use 'syrsearch query'",
        )
    _open(index_dir, corpus, no_messages).close()  # built first if there is none
    from ..tui import run

    return run(index_dir, corpus, query=query, any_word=any_word)


def main() -> None:
    """Console-script entry point."""
    # What the imports made lives as long as the process: the garbage
    # collector's full passes need not walk it again (35 ms of `related` at
    # 100,000 articles).
    gc.freeze()
    try:
        command_app(sys.argv[1:])(prog_name="syrsearch")
    finally:
        # The process ends here. Its objects (an index's term lists, the
        # word caches) are left out of the garbage collection the
        # interpreter runs as it exits: 80-110 ms at 100,000 articles.
        gc.freeze()
