"""Snippets: the sentences of an article that best show why it matched.

Pure text functions, no Whoosh: a snippet is text plus the ``(start, end)``
character ranges of the matched words in it, so every output format (Rich,
plain text, JSON) renders the same data its own way. Whoosh's highlighter is
not used because it returns formatted markup, stops at 32K characters, and
cannot tell which index terms a word produced (stem, exact form, capitals).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..model import Match, Snippet, Span
from .lang import DEFAULT_LANG
from .metadata import content_spans
from .names import FROM_LATIN, FROM_OTHER, raw_keys
from .words import term_prefixes, term_spans

SNIPPET_WIDTH = 240
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)")
_SPACE = re.compile(r"\s+")


def matched_spans(text: str, match: Match, lang: str = DEFAULT_LANG) -> list[Span]:
    """Ranges of the words of ``text`` (in language ``lang``) that ``match`` selects.

    A single term highlights every word that produces it, a name key every
    word that has it; a phrase highlights only the words of its occurrences
    (in order, at most ``slop`` apart).
    """
    if not match:
        return []
    wanted = set(match.terms)
    for seq, _ in match.phrases:
        wanted.update(seq)
    if any(t[:1] in (FROM_LATIN, FROM_OTHER) for t in wanted):
        ws = [(a, b, terms + raw_keys(text[a:b])) for a, b, terms in term_spans(text, None, lang)]
    else:
        ws = list(term_spans(text, term_prefixes(wanted), lang))
    hit = [not match.terms.isdisjoint(terms) for _, _, terms in ws]
    if match.phrases:
        per_word = [frozenset(terms) for _, _, terms in ws]
        for seq, slop in match.phrases:
            for i, ts in enumerate(per_word):
                if seq[0] not in ts:
                    continue
                chosen, pos = [i], i
                for term in seq[1:]:
                    nxt = next(
                        (
                            j
                            for j in range(pos + 1, min(len(ws), pos + 1 + max(slop, 1)))
                            if term in per_word[j]
                        ),
                        None,
                    )
                    if nxt is None:
                        break
                    chosen.append(nxt)
                    pos = nxt
                else:
                    for j in chosen:
                        hit[j] = True
    return [(a, b) for (a, b, _), h in zip(ws, hit, strict=True) if h]


def sentences(text: str) -> Iterator[Span]:
    """Sentence ranges: a line break or a sentence-ending mark ends one."""
    for line in re.finditer(r"[^\n\r]+", text):
        start, end = line.span()
        for mark in _SENTENCE_END.finditer(text, start, end):
            if _continues(text, mark.end(), end) or (
                mark.group().startswith(".") and _is_abbreviation(text, start, mark.start())
            ):
                continue
            yield from _trimmed(text, start, mark.end())
            start = mark.end()
        yield from _trimmed(text, start, end)


def _continues(text: str, pos: int, end: int) -> bool:
    """Whether the sentence goes on after a mark (``... the next steps``)."""
    while pos < end and text[pos].isspace():
        pos += 1
    return pos < end and text[pos].islower()


def _is_abbreviation(text: str, line_start: int, dot: int) -> bool:
    chunk_start = dot
    while chunk_start > line_start and not text[chunk_start - 1].isspace():
        chunk_start -= 1
    chunk = text[chunk_start:dot]
    if re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", chunk):
        return True
    return chunk in {
        "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Gen", "Col", "Lt", "Sgt", "Prof", "Rep",
        "Sen", "Gov", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
        "Nov", "Dec", "No", "Vol", "vs", "etc",
    }  # fmt: skip


def _trimmed(text: str, start: int, end: int) -> Iterator[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield (start, end)


def make_snippets(
    text: str,
    spans: Iterable[Span],
    count: int = 2,
    width: int = SNIPPET_WIDTH,
) -> list[Snippet]:
    """Up to ``count`` snippets around ``spans``, in document order.

    Sentences with more distinct matched words come first; a sentence longer
    than ``width`` is cut to a window around its first match.
    """
    spans = sorted(spans)
    if count <= 0 or not spans:
        return []
    scored = []
    for sent in sentences(text):
        inside = [s for s in spans if s[0] >= sent[0] and s[1] <= sent[1]]
        if inside:
            distinct = {text[a:b].casefold() for a, b in inside}
            scored.append((-len(distinct), -len(inside), sent, inside))
    scored.sort(key=lambda item: (item[0], item[1], item[2]))
    chosen = sorted(scored[:count], key=lambda item: item[2])
    return [_window(text, sent, inside, width) for _, _, sent, inside in chosen]


def lead_snippet(text: str, width: int = SNIPPET_WIDTH, start: int = 0) -> list[Snippet]:
    """The first sentence of ``text`` from ``start``, unhighlighted (for
    title-only matches)."""
    for sent in sentences(text):
        if sent[0] >= start:
            return [_window(text, sent, [], width)]
    return []


def _window(text: str, sent: Span, inside: list[Span], width: int) -> Snippet:
    start, end = sent
    prefix = suffix = ""
    if end - start > width:
        anchor = inside[0][0] if inside else start
        lo = max(start, anchor - width // 3)
        hi = min(end, lo + width)
        lo = max(start, hi - width)
        if lo > start:
            space = text.find(" ", lo, anchor if inside else hi)
            lo = space + 1 if space != -1 else lo
            prefix = "\u2026"
        if hi < end:
            space = text.rfind(" ", max(lo, inside[-1][1] if inside else lo), hi)
            hi = space if space != -1 and space > lo else hi
            suffix = "\u2026"
        start, end = lo, hi
    kept = [(a, b) for a, b in inside if a >= start and b <= end]
    return compact(text, start, end, kept, prefix, suffix)


def compact(
    text: str, start: int, end: int, spans: Iterable[Span], prefix: str = "", suffix: str = ""
) -> Snippet:
    """``text[start:end]`` with white space runs folded to one space, spans remapped."""
    pieces: list[str] = [prefix]
    mapping: dict[int, int] = {}
    out_len = len(prefix)
    pos = start
    for m in _SPACE.finditer(text, start, end):
        for i in range(pos, m.start()):
            mapping[i] = out_len + (i - pos)
        pieces.append(text[pos : m.start()])
        out_len += m.start() - pos
        mapping[m.start()] = out_len
        pieces.append(" ")
        out_len += 1
        pos = m.end()
    for i in range(pos, end + 1):
        mapping[i] = out_len + (i - pos)
    pieces.append(text[pos:end])
    pieces.append(suffix)
    highlights = tuple(_merge((mapping[a], mapping[b]) for a, b in spans))
    return Snippet("".join(pieces), highlights)


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def body_snippets(body: str, match: Match, count: int, lang: str = DEFAULT_LANG) -> list[Snippet]:
    """Up to ``count`` snippets of the article's own text (never its chrome)
    around what ``match`` selects; its first sentence if nothing matched there."""
    if count <= 0:
        return []
    content = content_spans(body)
    spans = _inside(matched_spans(body, match, lang), content)
    return make_snippets(body, spans, count=count) or _lead(body, content)


def _inside(spans: Iterable[Span], ranges: list[Span]) -> list[Span]:
    return [s for s in spans if any(a <= s[0] and s[1] <= b for a, b in ranges)]


def _lead(body: str, content: list[Span]) -> list[Snippet]:
    for a, b in content:
        found = lead_snippet(body[:b], start=a)
        if found:
            return found
    return []
