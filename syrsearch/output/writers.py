"""Writers: each answer in the format asked for, to a stream.

One :func:`write_hits` writes the hits of ``query``, ``similar`` and every
batch line, so a format looks the same wherever it appears; the records are
those of :mod:`~syrsearch.output.records`, the human layouts those of
:mod:`~syrsearch.output.human`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from ..model import Explanation, Hit, SearchResult, Span, StoredArticle
from .human import (
    count_line,
    render_article,
    render_rich,
    render_stats,
    stats_rows,
    write_article_text,
    write_count_line,
    write_markdown,
    write_reprint_group,
    write_text,
)
from .records import (
    REPRINT_HEADER,
    article_dict,
    article_row,
    count_dict,
    csv_rows,
    dumps,
    explanation_dict,
    hit_dict,
    hit_header,
    hit_row,
    report_dict,
    reprint_group_dict,
    reprint_row,
    result_dict,
    similar_dict,
    stats_dict,
    tsv_row,
)
from .terminal import HUMAN_FORMATS, OutputFormat, safe

if TYPE_CHECKING:  # only annotations: a search need not define them
    from ..model.indexing import IndexReport
    from ..model.views import IndexStats, ReprintGroup, SimilarResult


MACHINE_BATCH_FORMATS = (OutputFormat.jsonl, OutputFormat.tsv, OutputFormat.paths, OutputFormat.csv)


def write_hits(
    hits: Sequence[Hit],
    fmt: OutputFormat,
    out: IO[str],
    *,
    whole: Mapping[str, Any] | None = None,
    null: bool = False,
    color: bool = False,
    width: int | None = None,
    header: bool = False,
    shared: bool = False,
    links: bool = False,
) -> None:
    """Hits in ``fmt``; ``whole`` is the object ``json`` writes. ``header``
    starts TSV with the column names (CSV always has them); ``shared`` says
    the hits are ``similar``'s, with a column of shared terms; ``links``:
    OSC 8 hyperlinks in a human format."""
    if fmt is OutputFormat.json:
        out.write(dumps(whole or {}) + "\n")
    elif fmt is OutputFormat.jsonl:
        out.writelines(dumps(hit_dict(hit)) + "\n" for hit in hits)
    elif fmt is OutputFormat.tsv:
        if header:
            out.write(tsv_row(hit_header(shared)))
        out.writelines(tsv_row(hit_row(hit)) for hit in hits)
    elif fmt is OutputFormat.csv:
        csv_rows([hit_header(shared), *(hit_row(hit) for hit in hits)], out)
    elif fmt is OutputFormat.markdown:
        write_markdown(hits, out)
    elif fmt is OutputFormat.paths:
        end = "\0" if null else "\n"
        out.writelines(hit.path + end for hit in hits)
    elif fmt is OutputFormat.text:
        write_text(hits, out, color=color, links=links)
    else:
        render_rich(hits, out, color=color, width=width, links=links)


def write_result(
    result: SearchResult,
    fmt: OutputFormat,
    out: IO[str],
    *,
    null: bool = False,
    color: bool = False,
    width: int | None = None,
    header: bool = False,
    links: bool = False,
) -> None:
    """The answer to one query; in a human format under a count line
    (``10 of 191 articles``)."""
    whole = result_dict(result) if fmt is OutputFormat.json else None
    if fmt in HUMAN_FORMATS and result.hits:
        # A collapsed hit stands for its reprints too (named under it).
        shown = sum(1 + len(hit.reprints) for hit in result.hits)
        line = count_line(min(shown, result.total), result.total)
        write_count_line(line, out, color=color)
    write_hits(
        result.hits, fmt, out, whole=whole, null=null, color=color, width=width,
        header=header, links=links,
    )  # fmt: skip


def write_similar(
    result: SimilarResult,
    fmt: OutputFormat,
    out: IO[str],
    *,
    null: bool = False,
    color: bool = False,
    width: int | None = None,
    header: bool = False,
    links: bool = False,
) -> None:
    """The articles like one article: the hits as ``query`` writes them, each
    with the key terms it shares."""
    whole = similar_dict(result) if fmt is OutputFormat.json else None
    if fmt in HUMAN_FORMATS and result.hits:
        line = count_line(len(result.hits), result.total, "similar article")
        write_count_line(line, out, color=color)
    write_hits(
        result.hits, fmt, out, whole=whole, null=null, color=color, width=width,
        header=header, shared=True, links=links,
    )  # fmt: skip


def write_count(result: SearchResult, fmt: OutputFormat, out: IO[str], *, fixed: bool) -> None:
    """``--count``: the total, or with a JSON format ``{"query", "total"}``."""
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        out.write(dumps(count_dict(result, fixed=fixed)) + "\n")
    else:
        out.write(f"{result.total}\n")


def batch_format(requested: OutputFormat | None) -> OutputFormat:
    """Batch answers are JSON lines unless ``tsv``, ``csv`` or ``paths`` is asked for."""
    return requested if requested in MACHINE_BATCH_FORMATS else OutputFormat.jsonl


def write_batch_header(fmt: OutputFormat, out: IO[str], *, header: bool, count: bool) -> None:
    """The first row of a batch's rows: always for CSV, with ``header`` for TSV."""
    if count or fmt not in (OutputFormat.csv, OutputFormat.tsv):
        return
    if fmt is OutputFormat.csv:
        csv_rows([("query", *hit_header())], out)
    elif header:
        out.write(tsv_row(("query", *hit_header())))


def write_batch_answer(
    query: str, result: SearchResult, fmt: OutputFormat, out: IO[str], *, count: bool,
    fixed: bool, null: bool = False,
) -> None:  # fmt: skip
    """One batch line's answer: each hit with the ``query`` it answers (a TSV
    first column), or with ``count`` its total."""
    if count:
        out.write(dumps(count_dict(result, fixed=fixed)) + "\n")
    elif fmt is OutputFormat.tsv:
        out.writelines(tsv_row((query, *hit_row(hit))) for hit in result.hits)
    elif fmt is OutputFormat.csv:
        csv_rows([(query, *hit_row(hit)) for hit in result.hits], out)
    elif fmt is OutputFormat.paths:
        end = "\0" if null else "\n"
        out.writelines(hit.path + end for hit in result.hits)
    else:
        suggestion = {"suggestion": result.suggestion} if fixed else {}
        out.writelines(
            dumps({"query": query, **hit_dict(hit), **suggestion}) + "\n" for hit in result.hits
        )


def write_explanation(
    query: str, explanation: Explanation, fmt: OutputFormat, out: IO[str]
) -> None:
    """``--explain``: the parsed query and how each word was read."""
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        out.write(dumps(explanation_dict(query, explanation)) + "\n")
        return
    lines = [f"query:  {safe(query)}", f"parsed: {safe(explanation.parsed)}", "words:"]
    lines += [
        f"  {safe(w)} -> {' | '.join(forms) or '(common word, left out)'}"
        for w, forms in explanation.words
    ]
    lines += [f"note:   {safe(n)}" for n in explanation.notices]
    out.write("\n".join(lines) + "\n")


def write_article(
    article: StoredArticle,
    fmt: OutputFormat,
    out: IO[str],
    *,
    spans: Mapping[str, list[Span]],
    color: bool,
    width: int | None = None,
    links: bool = False,
) -> None:
    """One article in full: title, id, path and what it states, then the body."""
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        data = article_dict(article)
        data["highlights"] = {k: [list(s) for s in v] for k, v in spans.items()}
        out.write(dumps(data) + "\n")
    elif fmt is OutputFormat.tsv:
        out.write(tsv_row(article_row(article)))
    elif fmt is OutputFormat.csv:
        csv_rows([("id", "title", "path", "date", "source"), article_row(article)], out)
    elif fmt is OutputFormat.paths:
        out.write(article.path + "\n")
    elif fmt is OutputFormat.rich:
        render_article(article, out, spans, color=color, width=width, links=links)
    else:
        write_article_text(article, out, spans, color=color, links=links)


def write_stats(
    stats: IndexStats, fmt: OutputFormat, out: IO[str], *, color: bool, width: int | None = None
) -> None:
    """``stats`` as JSON, as ``name<TAB>value`` or ``name: value`` lines, or as a Rich table."""
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        out.write(dumps(stats_dict(stats)) + "\n")
    elif fmt is OutputFormat.rich:
        render_stats(stats, out, color=color, width=width)
    elif fmt is OutputFormat.csv:
        csv_rows([("name", "value"), *stats_rows(stats)], out)
    else:
        sep = "\t" if fmt is OutputFormat.tsv else ": "
        out.writelines(f"{k}{sep}{safe(v)}\n" for k, v in stats_rows(stats))


def write_report(report: IndexReport, out: IO[str]) -> None:
    """``index --json``: the run's report."""
    out.write(dumps(report_dict(report)) + "\n")


def write_reprints(group: ReprintGroup, fmt: OutputFormat, out: IO[str], *, header: bool) -> None:
    """``show ID --reprints``: the article's reprint group."""
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        out.write(dumps(reprint_group_dict(group)) + "\n")
    elif fmt is OutputFormat.tsv:
        if header:
            out.write(tsv_row(REPRINT_HEADER))
        out.writelines(tsv_row(reprint_row(p)) for p in group.members)
    elif fmt is OutputFormat.csv:
        csv_rows([REPRINT_HEADER, *(reprint_row(p) for p in group.members)], out)
    elif fmt is OutputFormat.paths:
        out.writelines(p.path + "\n" for p in group.members)
    else:
        write_reprint_group(group, out)
