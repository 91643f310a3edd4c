"""Searching: run a query against an open index and return plain data.

No Whoosh object leaves this module: hits are frozen dataclasses holding the
stored text they need, so callers may use them after the index is closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import sorting
from whoosh.query import And, AndMaybe, Every, Or, Query, Term, TermRange

from ..errors import QueryError, UnknownIdError
from ..model import (
    DEFAULT_MAX_EXPANSIONS,
    Explanation,
    Filters,
    Hit,
    Match,
    SearchRequest,
    SearchResult,
    SortOrder,
    StoredArticle,
)
from ..text.aliases import Aliases, default_aliases_text, parse_aliases
from ..text.lang import DEFAULT_LANG, language_code
from ..text.metadata import source_key
from ..text.snippets import body_snippets, matched_spans
from ..text.words import words
from .index import Index, Reading
from .query import ANY_TITLE_BOOST, TITLE_BOOST, Translation, build_query, highlight_match
from .query.bounds import Deadline, TimedOut
from .ranking import (
    FEEDBACK_DOCS,
    RESCORE_POOL,
    coordinated,
    expansion_query,
    expansion_terms,
    feedback_text,
    title_first,
    top_docs,
)
from .schema import LANG_FIELD, NAMES_FIELD, SEARCH_FIELDS, column, stored_body, stored_facts

ALIAS_FILE = "aliases.txt"
"""A user's alias file in the index folder, read beside the shipped one."""


def search(index: Index, query: str | SearchRequest, **options: Any) -> SearchResult:
    """Search the index: the top ``limit`` hits (all if None) with snippets.

    ``query`` is the text to search for, with the options of
    :class:`~syrsearch.model.SearchRequest` as keywords, or a whole request.
    ``any_word`` ranks articles matching any of the words (natural-language
    mode) instead of requiring all of them. ``filters`` keeps only articles
    whose date and source pass; ``sort`` by date puts the newest first, the
    undated last, and equal dates by score. ``expand`` also ranks by words
    common in the top articles (pseudo-relevance feedback, see
    :mod:`syrsearch.engine.ranking`); by default it is on in any-word mode. It
    never changes which articles match, only their order.
    """
    request = query if isinstance(query, SearchRequest) else SearchRequest(query, **options)
    with index.reading() as r:
        return _search(r, request)


LIST_ALL = "*"
"""The query that lists every article (with filters: every article that passes)."""


def is_listing(text: str) -> bool:
    """Whether ``text`` asks for every article rather than searching words."""
    return text.strip() == LIST_ALL


def load_aliases(folder: Path | None, enabled: bool = True, path: str | None = None) -> Aliases:
    """The alias groups a query uses: the shipped ones, the index folder's
    ``aliases.txt`` and the file ``path``, or none if not ``enabled``."""
    if not enabled:
        return Aliases()
    texts = [default_aliases_text()]
    files = [Path(path)] if path else []
    if folder is not None and (folder / ALIAS_FILE).is_file():
        files.insert(0, folder / ALIAS_FILE)
    for file in files:
        try:
            texts.append(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise QueryError(
                f"cannot read the alias file '{file}': {reason}",
                hint="give a UTF-8 text file, one group a line: NAME | NAME | ...",
            ) from None
    return parse_aliases(*texts)


def _search(r: Reading, request: SearchRequest) -> SearchResult:
    if is_listing(request.text):
        return _listing(r, request)
    searcher, limit, any_word = r.searcher, request.limit, request.any_word
    deadline = Deadline(request.timeout)
    aliases = load_aliases(r.index.folder, request.aliases, request.alias_file)
    langs = request.filters.langs or None
    try:
        tr = build_query(
            request.text,
            r.lexicon,
            SEARCH_FIELDS,
            any_word=any_word,
            max_expansions=request.max_expansions,
            deadline=deadline,
            langs=langs,
            aliases=aliases,
        )
    except TimedOut:
        return SearchResult(query=request.text, total=0, hits=(), timed_out=True)
    options: dict[str, Any] = {}
    if request.filters:
        options["filter"] = filter_query(request.filters)
    if request.sort is SortOrder.date:
        options["sortedby"] = [sorting.FieldFacet("date", reverse=True), sorting.ScoreFacet()]
    coordinate = any_word and request.sort is SortOrder.score and len(tr.groups) > 1
    wanted = limit
    if request.collapse:
        from .reprints import collapse_pool

        wanted = collapse_pool(limit)
    pool = max(wanted, RESCORE_POOL) if coordinate and wanted is not None else wanted
    ranked_query, expansion = tr.query, list[str]()
    if any_word if request.expand is None else request.expand:
        ranked_query, expansion = _expanded(r, tr, options.get("filter"), any_word, deadline)
    results = top_docs(searcher, ranked_query, pool, options, deadline)
    total = len(results)
    ranked = [(hit.docnum, _score(hit.score)) for hit in results]
    if coordinate:
        ranked = coordinated(searcher, tr.groups, ranked)[:wanted]
    if tr.title is not None and request.sort is SortOrder.score:
        found = titled(r, tr, request.text, options.get("filter"), deadline)
        ranked = title_first(ranked, found)
        ranked = ranked if wanted is None else ranked[:wanted]
    shown = request.snippets > 0 or request.highlights
    title_match, body_match = field_matches(tr.query, r.reader) if shown else (Match(), Match())
    if request.collapse:
        from .reprints import collapsed_hits

        hits = collapsed_hits(
            r, ranked, limit, title_match, body_match, request.snippets,
            highlights=request.highlights,
        )  # fmt: skip
    else:
        matches = (title_match, body_match)
        hits = tuple(
            make_hit(
                r, rank, docnum, score, *matches, request.snippets, highlights=request.highlights
            )
            for rank, (docnum, score) in enumerate(ranked, 1)
        )
    explanation = tr.explanation()
    return SearchResult(
        query=request.text,
        total=total,
        hits=hits,
        parsed=explanation.parsed,
        words=explanation.words,
        notices=explanation.notices,
        expansion=tuple(expansion),
        timed_out=deadline.passed,
    )


def _listing(r: Reading, request: SearchRequest) -> SearchResult:
    """Every article that passes the filters, newest first, the undated
    last, equal dates by id; no score (0), the opening sentence as snippet."""
    filters = filter_query(request.filters) if request.filters else None
    if not r.reader.doc_count_all():  # an empty index has no columns
        return SearchResult(query=request.text, total=0, hits=(), parsed="Every()")
    ids, dates = r.reader.column_reader("id"), column(r.reader, "date")
    matched = [hit.docnum for hit in r.searcher.search(Every(), limit=None, filter=filters)]
    undated = sorted((d for d in matched if not dates[d]), key=lambda d: ids[d])
    dated = sorted((d for d in matched if dates[d]), key=lambda d: ids[d])
    dated.sort(key=lambda d: dates[d], reverse=True)
    docnums = dated + undated
    shown = docnums if request.limit is None else docnums[: request.limit]
    none = Match()
    hits = tuple(
        make_hit(r, rank, docnum, 0.0, none, none, request.snippets, highlights=request.highlights)
        for rank, docnum in enumerate(shown, 1)
    )
    return SearchResult(query=request.text, total=len(docnums), hits=hits, parsed="Every()")


def make_hit(
    r: Reading,
    rank: int,
    docnum: int,
    score: float,
    title_match: Match,
    body_match: Match,
    snippets: int,
    shared: tuple[str, ...] | None = None,
    *,
    highlights: bool = True,
) -> Hit:
    """The :class:`~syrsearch.model.Hit` of one stored document: with
    ``snippets`` 0 and not ``highlights``, its body is not even decompressed."""
    stored = r.searcher.stored_fields(docnum)
    title = stored.get("title", "")
    lang = stored.get(LANG_FIELD) or DEFAULT_LANG
    body = stored_body(stored) if snippets > 0 else ""
    return Hit(
        rank=rank,
        id=stored["id"],
        path=r.index.article_path(stored["path"]),
        title=title,
        score=score,
        snippets=tuple(body_snippets(body, body_match, snippets, lang)) if snippets > 0 else (),
        title_highlights=tuple(matched_spans(title, title_match, lang)) if highlights else (),
        shared=shared,
        **stored_facts(stored),
    )


def field_matches(q: Any, reader: Any) -> tuple[Match, Match]:
    """What ``q`` highlights in a title and in a body: each field's terms,
    and the name keys it matched (which highlight in both)."""
    names = highlight_match(q, reader, NAMES_FIELD)
    title, body = (highlight_match(q, reader, f) for f in SEARCH_FIELDS)
    if not names.terms:
        return title, body
    return (
        Match(title.terms | names.terms, title.phrases),
        Match(body.terms | names.terms, body.phrases),
    )


def filter_query(filters: Filters) -> Query | None:
    """The Whoosh filter of ``filters``: dates in range, any of the sources,
    any of the languages."""
    parts: list[Query] = []
    if filters.since or filters.until:
        low = filters.since.isoformat() if filters.since else None
        high = filters.until.isoformat() if filters.until else None
        parts.append(TermRange("date", low, high))
    if filters.sources:
        keys = sorted({source_key(s) for s in filters.sources} - {""})
        parts.append(Or([Term("source", k) for k in keys]))
    if filters.langs:
        codes = sorted({c for c in map(language_code, filters.langs) if c})
        parts.append(Or([Term(LANG_FIELD, c) for c in codes]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def _expanded(
    r: Reading, tr: Translation, filter_query: Any, any_word: bool, deadline: Deadline
) -> tuple[Any, list[str]]:
    """``tr.query`` with words from its top articles as an optional part."""
    options = {} if filter_query is None else {"filter": filter_query}
    texts, seen = [], set()
    # Copies of one article (the same bytes) count once: feedback from three
    # articles, not from one article twice, which would outvote the query.
    for hit in top_docs(r.searcher, tr.query, FEEDBACK_DOCS * 4, options, deadline):
        stored = r.searcher.stored_fields(hit.docnum)
        digest = str(stored.get("stamp", "")).rsplit(":", 1)[-1]
        if digest in seen:
            continue
        seen.add(digest)
        texts.append(feedback_text(stored.get("title", ""), stored_body(stored)))
        if len(texts) == FEEDBACK_DOCS:
            break
    terms = expansion_terms(r.lexicon, texts, SEARCH_FIELDS)
    words = len(tr.groups) or sum(1 for _, forms in tr.words if forms)
    boosts = {"title": ANY_TITLE_BOOST if any_word else TITLE_BOOST, "body": 1.0}
    extra = expansion_query(terms, words, boosts)
    if extra is None:
        return tr.query, []
    return AndMaybe(tr.query, extra), [term for term, _ in terms]


TITLED_MOST = 10
"""At most this many articles whose title is the query rank first (copies of one)."""


def titled(
    r: Reading, tr: Translation, text: str, filter_query: Any, deadline: Deadline
) -> list[int]:
    """The articles the query matches whose title is the query's text, word
    for word (case, accents and punctuation aside), best first. The title
    phrase alone finds the candidates (few, and cheap to find); only if one
    has the very title is the whole query asked too (its NOT parts)."""
    options = {} if filter_query is None else {"filter": filter_query}
    want = tuple(w.text for w in words(text))

    def same(docnum: int) -> bool:
        title = r.searcher.stored_fields(docnum).get("title", "")
        return tuple(w.text for w in words(title)) == want

    found = [h.docnum for h in top_docs(r.searcher, tr.title, TITLED_MOST, options, deadline)]
    if not any(same(d) for d in found):
        return []
    matched = top_docs(r.searcher, And([tr.query, tr.title]), TITLED_MOST, options, deadline)
    return [h.docnum for h in matched if same(h.docnum)]


def _score(key: Any) -> float:
    """A hit's relevance score; sorted by date, Whoosh gives the sort key,
    whose last part is the negated score (:class:`whoosh.sorting.ScoreFacet`)."""
    if isinstance(key, tuple):
        return float(-key[-1])
    return float(key or 0.0)


def explain(
    index: Index,
    text: str,
    *,
    any_word: bool = False,
    max_expansions: int | None = None,
    langs: tuple[str, ...] = (),
    aliases: bool = True,
    alias_file: str | None = None,
) -> Explanation:
    """How ``text`` is read: the Whoosh query it becomes, each word's terms
    (every alias expansion among them), and the limits that applied."""
    cap = DEFAULT_MAX_EXPANSIONS if max_expansions is None else max_expansions
    if is_listing(text):
        return Explanation(parsed="Every()", notices=("lists every article, newest first",))
    with index.reading() as r:
        groups = load_aliases(index.folder, aliases, alias_file)
        tr = build_query(
            text, r.lexicon, SEARCH_FIELDS, any_word=any_word, max_expansions=cap,
            langs=langs or None, aliases=groups,
        )  # fmt: skip
        return tr.explanation()


def resolve_id(index: Index, ident: str) -> StoredArticle:
    """The article ``ident`` names: its id (its path in the corpus without
    ``.txt``), its file as written on disk (``seeds/003_x.txt``,
    ``./football/004.txt``, relative to the working folder or the corpus, or
    absolute), or a prefix of exactly one id."""
    with index.reading() as r:
        searcher = r.searcher
        stored = searcher.document(id=ident)
        for relpath in index.relpaths_of(ident) if stored is None else ():
            stored = searcher.document(path=relpath)
            if stored is not None:
                break
        if stored is None:
            matches = list(r.lexicon.expand_prefix("id", ident)) if ident else []
            if len(matches) == 1:
                stored = searcher.document(id=matches[0])
            elif len(matches) > 1:
                shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
                raise UnknownIdError(
                    f"id prefix '{ident}' matches {len(matches)} articles: {shown}",
                    hint="type more of the id",
                )
        if stored is None:
            raise UnknownIdError(
                f"no article with id '{ident}'",
                hint="an id is the file's path in the corpus without .txt; list them with "
                "'syrsearch query WORDS --format tsv'",
            )
        return _stored(index, stored)


def iter_articles(index: Index) -> Iterator[StoredArticle]:
    """Every indexed article, ordered by id."""
    with index.reading() as r:
        if not r.reader.doc_count_all():  # an empty index has no columns
            return
        ids = r.reader.column_reader("id")
        for docnum in sorted(r.reader.all_doc_ids(), key=lambda d: ids[d]):
            yield _stored(index, r.reader.stored_fields(docnum))


def _stored(index: Index, stored: dict[str, Any]) -> StoredArticle:
    return StoredArticle(
        id=stored["id"],
        path=index.article_path(stored["path"]),
        title=stored.get("title", ""),
        body=stored_body(stored),
        encoding=stored.get("encoding", ""),
        **stored_facts(stored),
    )


def highlight_matches(index: Index, text: str) -> dict[str, Match]:
    """Per field, what a query highlights (for ``show --highlight``)."""
    with index.reading() as r:
        tr = build_query(text, r.lexicon, SEARCH_FIELDS, aliases=load_aliases(index.folder))
        return dict(zip(SEARCH_FIELDS, field_matches(tr.query, r.reader), strict=True))
