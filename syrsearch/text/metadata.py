"""What an article's text says about itself: headline, date, source, links.

News pages saved as text carry their site's furniture: a breadcrumb before the
headline (``TODAY.AZ / World news``), a date line, bylines, and after the
article "Print version", "Views: 1440", share buttons. This module finds the
facts in it and tells the furniture ("chrome") from the article's prose, by
the shape of each line rather than by any list of sites or phrases:

* a **chrome line** is short and has no sentence structure (``Print version``),
  is a ``Label: value`` pair (``Views: 1440``), a bare link, a date line or a
  byline;
* the **article** runs from the first line that is not chrome to where the
  footer starts: the first chrome line after the last line of real prose
  (ten words or more). Everything after that is chrome too, whatever its
  shape (``Connect with us. Get latest news and updates.``).

Dates and sources are read only where the text states them; what is not
there stays ``None``. Pure functions over strings: no Whoosh, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from itertools import islice
from typing import Any

from ..model import Metadata, Span

__all__ = [
    "content_spans",
    "extract",
    "find_date",
    "find_sources",
    "find_urls",
    "is_chrome_line",
    "parse_date",
    "source_key",
    "split_headline",
]


class _Lazy:
    """A pattern compiled on first use: those that only reading an article
    at index time needs (datelines, credits, site names) cost a query nothing."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
# A four-digit number followed by a zone or "hrs" is a time (1945 GMT), not a year.
_NOT_A_TIME = r"(?!\d)(?!\s*(?:GMT|BST|UTC|CET|CEST|EST|EDT|PST|PDT|hrs|h\b|local\b))"
_DATE_PATTERNS = [
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}{_NOT_A_TIME}", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}{_NOT_A_TIME}", re.IGNORECASE),
    # Year first (2013-09-15, 2013/09/15, 2013.09.15, 2017-01-25T10:00:00Z).
    re.compile(
        r"(?<![\d.,/-])(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
        r"(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\d.,/-]?\d)"
    ),
    # Day and month in either order, the year last: read only when one
    # of them cannot be a month (15-09-2013, 21.08.2013; not 03/04/2016).
    re.compile(
        r"(?<![\d.,/-])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})"
        r"(?![\d.,/-]?\d)"
    ),
]
_YEAR_HINT = re.compile(r"\d\d\d\d")  # as \d{4}, and found faster
_MONTH_HINTS = tuple(sorted({name[:3] for name in _MONTHS}))
"""What the names of :data:`_MONTHS` start with."""
_NUMERIC_HINT = re.compile(r"\d[-/.]\d")
"""What the last two of :data:`_DATE_PATTERNS`, all digits, both have."""
FIRST_YEAR = 1990
"""The earliest year read as a publication year."""
# What may surround a date on a line that is only a date: "Updated", a weekday,
# a time, a zone, a short site label ("25 January 2017 [17:18] - TODAY.AZ").
_DATE_LINE_NOISE = re.compile(
    r"(?i)\b(?:last\s+)?(?:updated|published|posted|modified|created|date[d]?|on|at|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|gmt|bst|utc|cet|est|edt|[ap]\.?m\.?)\b"
    r"|\d{1,2}[:.h]\d\d(?::\d\d)?|\bat\s+\d{4}\b|\b\d{4}\s*(?=gmt|bst|utc|hrs)"
    r"|[\[\](),|:;/·•\-–—+]"
)
# A dateline: a place in capitals, a comma, the date, an agency in brackets
# perhaps, then a dash ("MOSCOW, December 15, 2015 -").
_DATELINE_PLACE = _Lazy(r"^[A-Z][A-Z .'’/-]{1,40}(?:,\s*[A-Z][A-Za-z .'’-]{1,30})?,\s*$")
_DATELINE_END = _Lazy(r"^\s*(?:\([^()]{1,40}\)\s*)?[-–—:]")
_WORD = re.compile(r"[^\W_]+(?:[.'’&-][^\W_]+)*\.?", re.UNICODE)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'“”‘’]+", re.IGNORECASE)
_URL_TRAIL = ".,;:!?)]}>'\"’”"
_LABEL = re.compile(r"^[^\W\d_][\w '’&./-]{0,30}:(?:\s+\S+){0,3}\s*$")
_BULLET = re.compile(r"^[\s•·*\-–—>|]+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_DOMAIN = _Lazy(r"\b[^\W_][\w-]*\.(?:[a-z]{2,6}|[A-Z]{2,6})\b")
_BREADCRUMB = _Lazy(r"\s(?:/|\||»|›|>|::|–|—)\s")
_BYLINE = re.compile(r"^(?:by|from|source|sources)\b\s*:?\s*(?P<name>[^\W\d_].{0,60}?)\s*$", re.I)
_DATELINE_AGENCY = _Lazy(
    r"^[A-Z][A-Z .'’-]{1,30},?[^()\n]{0,30}?\((?P<name>[^\W\d_][\w .&'’-]{0,30})\)\s*[-–—:]"
)
_ORG_WORDS = frozenset({
    "news", "agency", "agencies", "press", "times", "post", "journal", "tv", "radio",
    "network", "media", "daily", "herald", "tribune", "gazette", "online", "world",
    "telegraph", "service", "wire", "report", "monitor", "channel", "broadcasting",
    "today", "express", "observer", "chronicle",
})  # fmt: skip

PROSE_WORDS = 10
"""A line of at least this many words with a sentence end is prose."""
SHORT_WORDS = 8
"""A line with fewer words than this and no sentence end is chrome."""
TOP_LINES = 15
"""Dates, sources and the headline are looked for in this many first lines."""


def extract(title: str, body: str) -> Metadata:
    """The date, sources and URLs stated in an article's title and body."""
    text = f"{title}\n{body}"
    return Metadata(date=find_date(text), sources=find_sources(text), urls=find_urls(text))


# -- lines -------------------------------------------------------------------


_LINE = re.compile(r"[^\S\n\r]*(\S(?:[^\n\r]*\S)?)")
"""A non-blank line (lines end at CR or LF), its text stripped as
:meth:`str.strip` strips it in the group (the pattern's white space is
:meth:`str.isspace`'s)."""


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Non-blank lines as ``(start, end, stripped text)``."""
    for m in _LINE.finditer(text):
        yield m.start(1), m.end(1), m.group(1)


def _word_count(line: str) -> int:
    return len(_WORD.findall(line))


def _words_up_to(line: str, most: int) -> int:
    """:func:`_word_count`, or ``most`` if it is more: the rest is not read."""
    return len(list(islice(_WORD.finditer(line), most)))


def _is_prose(line: str) -> bool:
    n = _words_up_to(_BULLET.sub("", line), 2 * PROSE_WORDS)
    return n >= PROSE_WORDS and (bool(_SENTENCE_END.search(line)) or n >= 2 * PROSE_WORDS)


def is_chrome_line(line: str, years: tuple[int, int] | None = None) -> bool:
    """Whether one line is page furniture rather than article text (a date
    in it read between ``years``, by default from :data:`FIRST_YEAR` to next year)."""
    line = _BULLET.sub("", line.strip())
    if not line:
        return True
    bare = _URL.sub("", line) if "://" in line or "www." in line.lower() else line
    if bare.strip(" :-–—|") == "" or _LABEL.match(line):
        return True
    if _BYLINE.match(line) and _words_up_to(line, 6) <= 5:
        return True
    if _date_line(line, years) is not None:
        return True
    return _words_up_to(line, SHORT_WORDS) < SHORT_WORDS and not _SENTENCE_END.search(line)


def content_spans(text: str) -> list[Span]:
    """Ranges of ``text`` that are the article itself, not chrome.

    The article starts at the first line that is not chrome; it ends at the
    first chrome line after the last line of prose, where the page footer
    begins. If no line looks like prose at all (a list, a very short note),
    every non-blank line counts as content rather than leaving nothing.
    """
    lines = list(_lines(text))
    last = next((i for i in range(len(lines) - 1, -1, -1) if _is_prose(lines[i][2])), None)
    if last is None:
        return [(a, b) for a, b, _ in lines]
    spans, years = [], _years(None)
    for i, (a, b, line) in enumerate(lines):
        if not is_chrome_line(line, years):
            spans.append((a, b))
        elif i > last:  # the first chrome line after the prose: the footer
            break
    return spans


# -- headline ----------------------------------------------------------------


def _is_site_chrome(line: str) -> bool:
    """A first line that names the site or section rather than the story."""
    if _URL.search(line) or _date_line(line) is not None:
        return True
    if _DOMAIN.search(_URL.sub("", line)) and _word_count(line) <= 6:
        return True
    parts = _BREADCRUMB.split(line)
    return len(parts) > 1 and all(_word_count(p) <= 4 for p in parts)


def _is_headline(line: str) -> bool:
    n = _word_count(line)
    return (
        3 <= n <= 30
        and not line.endswith(".")
        and not _LABEL.match(line)
        and not _is_site_chrome(line)
        and not _BYLINE.match(line)
    )


def split_headline(text: str) -> tuple[str, str]:
    """``(title, body)``: the first line, or the headline after site chrome.

    Where the first non-blank line is site chrome (a breadcrumb, a site name,
    a date) and one of the next three lines reads as a headline, that line is
    the title and the chrome stays at the top of the body.
    """
    lines = list(_lines(text))
    if not lines:
        return "", ""
    pick = 0
    if _is_site_chrome(lines[0][2]):
        for i in range(1, min(len(lines), 4)):
            if _is_headline(lines[i][2]):
                pick = i
                break
    start, end, title = lines[pick]
    after = _line_end(text, end)
    if pick == 0:
        return title, text[after:]
    return title, text[: lines[0][0]].lstrip() + text[lines[0][0] : start] + text[after:]


def _line_end(text: str, pos: int) -> int:
    """Position after the line break that ends the line containing ``pos``."""
    m = re.compile(r"\r\n|\r|\n").search(text, pos)
    return m.end() if m else len(text)


# -- dates -------------------------------------------------------------------


def _years(years: tuple[int, int] | None) -> tuple[int, int]:
    return years if years is not None else (FIRST_YEAR, date.today().year + 1)


def _match_date(m: re.Match[str], years: tuple[int, int]) -> date | None:
    groups = m.groupdict()
    year = int(groups["year"])
    if not years[0] <= year <= years[1]:
        return None
    if groups.get("a") is not None:
        a, b = int(groups["a"]), int(groups["b"])
        if a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            month, day = a, b
        elif a == b:
            day = month = a  # 05.05.2016 reads the same either way
        else:
            return None  # 03/04/2016, 01.02.2015: ambiguous, so not read
    else:
        raw = groups["month"].casefold().rstrip(".")
        if raw in _MONTHS:
            month = _MONTHS[raw]
        elif raw.isdigit():
            month = int(raw)
        else:  # a name the pattern's case folding matched and casefold() does not: "aprİl"
            return None
        day = int(groups["day"])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _dates_in(line: str, years: tuple[int, int]) -> Iterator[tuple[re.Match[str], date]]:
    if not _YEAR_HINT.search(line):
        return
    found = []
    named = True
    if line.isascii():  # a month's name, in any case, is then one of these letters
        low = line.lower()
        named = any(m in low for m in _MONTH_HINTS)
    numeric = _NUMERIC_HINT.search(line) is not None
    patterns = (_DATE_PATTERNS[:2] if named else []) + (_DATE_PATTERNS[2:] if numeric else [])
    for pattern in patterns:
        for m in pattern.finditer(line):
            d = _match_date(m, years)
            if d is not None:
                found.append((m, d))
    found.sort(key=lambda item: item[0].start())
    yield from found


def _date_line(line: str, years: tuple[int, int] | None = None) -> date | None:
    """The date of a line that says little else (``Updated Dec 17, 2015``)."""
    for m, d in _dates_in(line, _years(years)):
        rest = _DATE_LINE_NOISE.sub(" ", line[: m.start()] + " " + line[m.end() :])
        if _word_count(rest) <= 3:
            return d
        return None
    return None


def _dateline(line: str, years: tuple[int, int]) -> date | None:
    """The date of a dateline (``BEIRUT, Feb. 27, 2016 -``, ``MOSCOW, Dec 17,
    2015 (Reuters) -``): a place in capitals, the date, a dash."""
    for m, d in _dates_in(line[:120], years):
        if _DATELINE_PLACE.match(line[: m.start()]) and _DATELINE_END.match(line[m.end() :]):
            return d
        return None
    return None


def find_date(text: str, *, years: tuple[int, int] | None = None) -> date | None:
    """The publication date near the top of an article, if it states one.

    Only a date the text presents as its own counts: a line of the first
    lines that is a date, perhaps with a label (``Published:``), a weekday, a
    time and a site name (``Updated Dec 17, 2015``); else a dateline
    (``MOSCOW, December 15, 2015 -``). A date inside a sentence ("born on 5
    April 1920") is never the article's. The year must be in ``years``
    (default :data:`FIRST_YEAR` to next year). Partial dates (``March 2011``,
    ``Dec. 18``) and ambiguous numeric ones (``03/04/2016``) are not read.
    """
    span = _years(years)
    top = [line for _, _, line in _lines(text)][:TOP_LINES]
    for line in top:
        d = _date_line(line, span)
        if d is not None:
            return d
    for line in top[:6]:
        d = _dateline(line, span)
        if d is not None:
            return d
    return None


def parse_date(text: str, *, end: bool = False) -> date | None:
    """A date typed by a user: ``2016``, ``2016-03``, ``2016-03-15`` or any
    form :func:`find_date` reads. ``end`` picks the last day of a year or month."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", text)
    if m:
        year = int(m.group(1))
        if year < 1:
            return None
        if m.group(2) is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return None
        if not end:
            return date(year, month, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    for _m, d in _dates_in(text, (1, 9999)):
        return d
    return None


# -- sources -----------------------------------------------------------------


def _looks_like_outlet(name: str) -> bool:
    """``Azernews``, ``TASS``, ``Syria Times`` yes; ``Nigar Eyvazova`` no."""
    words = name.split()
    if not words or len(words) > 5:
        return False
    if len(words) == 1 or _DOMAIN.search(name):
        return True
    return any(w.lower().strip(".,") in _ORG_WORDS for w in words) or name.isupper()


def _clean_name(name: str) -> str:
    return name.strip(" \t.,;:-–—()[]\"'“”‘’")


def find_sources(text: str) -> tuple[str, ...]:
    """Outlets the article names as its source, most specific first.

    In order: a byline naming an outlet (``By Azernews``; a person's byline is
    not a source), a dateline credit (``MOSCOW, (ST)-``), a closing credit
    (``TRTWorld and agencies``, ``...said.--AFP``), a site name as the
    masthead or beside the date (``TODAY.AZ``).
    """
    lines = [line for _, _, line in _lines(text)]
    top = lines[:TOP_LINES]
    found: list[str] = []

    def add(name: str) -> None:
        name = _clean_name(name)
        if name and source_key(name) not in {source_key(f) for f in found}:
            found.append(name)

    for line in top:
        m = _BYLINE.match(line)
        if m and _looks_like_outlet(_clean_name(m.group("name"))):
            add(m.group("name"))
    for line in top[:8]:
        m = _DATELINE_AGENCY.match(line)
        if m:
            add(m.group("name"))
    for name in _closing_credits(lines[-3:]):
        add(name)
    # A site's name is a source only as the masthead above the headline or
    # beside the date (``25 January 2017 [17:18] - TODAY.AZ``), never where
    # the text merely mentions a web site.
    header = [line for line in top[:2] if _is_masthead(line)][:1]
    header += [line for line in top[:6] if _date_line(line) is not None]
    for line in header:
        for name in _DOMAIN.findall(_URL.sub("", line)):
            if not re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", name):
                add(name)
    return tuple(found)


def _is_masthead(line: str) -> bool:
    """A site's name, alone or in a breadcrumb (``TODAY.AZ / World news``)."""
    rest = _DOMAIN.sub(" ", _URL.sub(" ", line))
    return _is_site_chrome(line) and _word_count(rest) <= 3


# Closing credits, on a line of their own or ending the last paragraph.
_CREDIT_AFTER = r"(?:^|(?<=[.!?\"'”’)\]])\s*)"
_CLOSING_CREDITS = [
    _Lazy(_CREDIT_AFTER + r"Sources?\s*:\s*(?P<name>[^\W\d_][^:]{0,60}?)\s*\.?$", re.I),
    _Lazy(
        _CREDIT_AFTER + r"(?P<name>[^\W\d_][\w .&'’-]{0,40}?)\s+(?:and|&)\s+agencies\.?$",
        re.I,
    ),
    _Lazy(
        _CREDIT_AFTER
        + r"(?:--|[-–—])\s*(?P<name>[A-Z][\w.&'’-]{1,20}(?: [A-Z][\w.&'’-]{1,20}){0,2})\.?$"
    ),
    _Lazy(_CREDIT_AFTER + r"\((?P<name>[A-Z][\w.&'’-]{1,20})\)\.?$"),
]
_REUTERS_CREDIT = _Lazy(
    r"\((?:Additional\s+)?Reporting by [^()]{2,200};\s*Editing by [^()]{2,100}\)\s*$", re.I
)


def _closing_credits(tail: list[str]) -> Iterator[str]:
    """Outlets credited at the end of an article (``TRTWorld and agencies``,
    ``...the monitor said.--AFP``, ``- REUTERS``, ``Source: SANA``); a
    Reuters credit line (``(Reporting by ...; Editing by ...)``) is Reuters."""
    for line in tail:
        if _REUTERS_CREDIT.search(line):
            yield "Reuters"
            continue
        for pattern in _CLOSING_CREDITS:
            m = pattern.search(line)
            if m is None:
                continue
            name = _clean_name(re.sub(r"(?i)\s+(?:and|&)\s+agencies\.?$", "", m.group("name")))
            # "Source: SANA" names its outlet; a dash or bracket credit must look like one.
            if pattern is _CLOSING_CREDITS[0] or _looks_like_outlet(name):
                yield name
                break


def source_key(name: str) -> str:
    """How sources are compared: case and punctuation ignored (``today.az``
    is ``TODAY.AZ`` is ``Today AZ``)."""
    return "".join(c for c in name.casefold() if c.isalnum())


def find_urls(text: str) -> tuple[str, ...]:
    """Every link in the text, in order, without trailing punctuation."""
    urls: list[str] = []
    for m in _URL.finditer(text):
        url = m.group().rstrip(_URL_TRAIL)
        if url not in urls:
            urls.append(url)
    return tuple(urls)
