"""Text analysis: how article text and query words become index terms.

One word splitter, :func:`words`, serves both sides: the analyzer that builds
the index (:class:`syrsearch.engine.schema.NewsAnalyzer`) and the query
translator (:mod:`syrsearch.engine.query`). Character offsets always point into the original text,
so highlights land on what the article says, however it spells it.

For each word the index holds, at the word's position:

* its stem (``negotiations`` -> ``negoti``), for recall;
* ``=`` + the unstemmed form, when it differs from the stem, so an exact match
  scores above an inflected one;
* ``^`` + the form, when the word is written in capitals (``US``, ``U.N.``),
  so a capitalised query can ask for the acronym and not the common word;
* for a hyphenated compound (``cease-fire``): the stem of the closed form
  (``ceasefir``) and of each part (``ceas``, ``fire``), all at the same
  position, so ``ceasefire``, ``cease-fire`` and ``cease fire`` meet and a
  phrase continues after the compound as after any word.

Normalisation per word: NFKC, case folding, accents removed (``Jubéir`` ->
``jubeir``), curly apostrophes folded and a possessive ``'s`` dropped
(``Kerry\u2019s`` -> ``kerry``), dots removed from dotted acronyms (``U.N.`` ->
``un``). Nothing is a stop word and no token is too short to keep.

Pure functions of strings. The one thing taken from Whoosh is its Porter
stemmer (``whoosh.lang.porter``, a ``str -> str`` function), so that the terms
are those the index was built with.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from whoosh.lang.porter import stem as _porter_stem

EXACT = "="
CAPS = "^"

# Characters that may sit inside a word without breaking it: combining marks
# (decomposed accents), soft hyphen and zero-width joiners.
_INWORD = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u00ad\u200c\u200d"
_W = rf"[\w{_INWORD}]"
_L = r"[^\W\d_]"  # a letter
_APOS = "'\u2019\u02bc\u2018`\u00b4"
_HYPHEN = "\\-\u2010\u2011"  # as a character class body
_WORD_RE = re.compile(
    rf"""
    (?P<acronym>(?:{_L}\.){{2,}}(?!{_W}))          # U.N.  U.S.A.
    | {_W}+(?:[{_APOS}]{_W}+)*                     # word, Kerry's, don't
      (?:[{_HYPHEN}]{_W}+(?:[{_APOS}]{_W}+)*)*     # cease-fire, al-Nusra
    """,
    re.VERBOSE,
)
# The same pattern without groups, for findall; and the acronym branch alone.
_RAW_WORD_RE = re.compile(_WORD_RE.pattern.replace("(?P<acronym>", "(?:"), re.VERBOSE)
_ACRONYM_RE = re.compile(rf"(?:{_L}\.){{2,}}")
HYPHENS = re.compile(f"[{_HYPHEN}]")
"""A hyphen that joins a compound (``cease-fire``)."""
POSSESSIVE = re.compile(f"[{_APOS}][sS]$")
"""A possessive ending (``Kerry's``)."""
_DROP = dict.fromkeys(map(ord, "\u00ad\u200c\u200d"))
_FOLD_APOS = str.maketrans(dict.fromkeys(_APOS, "'"))


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a text: its normalised form and where it stands."""

    text: str
    start: int
    end: int
    parts: tuple[str, ...] = ()
    caps: bool = False


@lru_cache(maxsize=200_000)
def normalize(raw: str) -> str:
    """Fold one raw word to its comparable form (no stemming)."""
    text = unicodedata.normalize("NFKC", raw).translate(_DROP).casefold()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
        text = unicodedata.normalize("NFC", text)
    text = text.translate(_FOLD_APOS)
    if "'" in text:
        if text.endswith("'s"):
            text = text[:-2]
        text = text.replace("'", "")
    return text


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The English stem of a normalised word."""
    return _porter_stem(word) if word.isalpha() else word


def is_caps(raw: str) -> bool:
    """Whether a word is in capitals (``US``, ``U.N.``): two letters or more, all upper case."""
    letters = [c for c in raw if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def words(text: str) -> Iterator[Word]:
    """Split ``text`` into :class:`Word` objects, offsets into ``text``."""
    for match in _WORD_RE.finditer(text):
        word = _word(match.group(), match.start(), match.end(), bool(match.group("acronym")))
        if word is not None:
            yield word


def _word(raw: str, start: int, end: int, acronym: bool) -> Word | None:
    if acronym:
        return Word(normalize(raw.replace(".", "")), start, end, caps=is_caps(raw))
    parts: tuple[str, ...] = ()
    if HYPHENS.search(raw):
        pieces = tuple(p for p in (normalize(s) for s in HYPHENS.split(raw)) if p)
        if len(pieces) > 1:
            parts = pieces
        norm = "".join(pieces)
    else:
        norm = normalize(raw)
    return Word(norm, start, end, parts, is_caps(raw)) if norm else None


@lru_cache(maxsize=500_000)
def raw_terms(raw: str) -> tuple[str, ...]:
    """The index terms of one word as written (cached: words repeat)."""
    word = _word(raw, 0, len(raw), _ACRONYM_RE.fullmatch(raw) is not None)
    return tuple(word_terms(word)) if word is not None else ()


def term_spans(
    text: str, prefixes: frozenset[str] | None = None
) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """``(start, end, terms)`` for each word of ``text`` that has terms: the
    same words as :func:`words`, with their index terms, quickly (cached).

    With ``prefixes`` (the first two letters of every term wanted), a plain
    word that cannot produce any of them gets no terms, unanalysed: stemming
    never changes a word's first two letters, so such a word cannot match.
    """
    for match in _RAW_WORD_RE.finditer(text):
        raw = match.group()
        if prefixes is not None:
            head = raw[:2]
            if (
                head.isascii()
                and head.isalnum()
                and "." not in raw
                and not HYPHENS.search(raw)
                and head.lower() not in prefixes
            ):
                yield match.start(), match.end(), ()
                continue
        terms = raw_terms(raw)
        if terms:
            yield match.start(), match.end(), terms


def term_prefixes(terms: Iterable[str]) -> frozenset[str] | None:
    """The prefixes :func:`term_spans` needs to find ``terms``; None if some
    term is too short to rule any word out."""
    heads = set()
    for term in terms:
        bare = term.lstrip(EXACT + CAPS)
        if len(bare) < 2:
            return None
        heads.add(bare[:2])
    return frozenset(heads)


def term_positions(text: str) -> dict[str, list[int]]:
    """Each index term of ``text`` and its positions: what the analyzer yields,
    gathered without a token object per term (the indexing fast path)."""
    found: dict[str, list[int]] = {}
    pos = 0
    for raw in _RAW_WORD_RE.findall(text):
        terms = raw_terms(raw)
        if not terms:
            continue
        for term in terms:
            if term in found:
                found[term].append(pos)
            else:
                found[term] = [pos]
        pos += 1
    return found


def word_terms(word: Word) -> list[str]:
    """Every index term one word contributes, all at the same position."""
    stemmed = stem(word.text)
    terms = [stemmed]
    if stemmed != word.text:
        terms.append(EXACT + word.text)
    if word.caps:
        terms.append(CAPS + word.text)
    for part in word.parts:
        part_stem = stem(part)
        if part_stem not in terms:
            terms.append(part_stem)
    return terms


def index_terms(text: str) -> list[tuple[int, str]]:
    """``(position, term)`` for every term the index holds for ``text``."""
    return [(pos, term) for pos, word in enumerate(words(text)) for term in word_terms(word)]
