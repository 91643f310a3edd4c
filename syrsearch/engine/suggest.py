"""Spelling suggestions: "did you mean" for a query that finds little.

The dictionary is the index itself. The analyzer stores, for each word, its
stem and, when the word differs from its stem, the word itself as an ``=``
term (see :mod:`syrsearch.analysis`). A suggestion must be a word an article
actually uses, so candidates are

* ``=`` terms, which are always real words (``=ceasefire``);
* stems that are also words: a stem occurs more often than all the ``=``
  forms that reduce to it only when some article writes the stem itself
  (``lavrov``, ``talk``), whereas a clipped stem (``negoti``, ``ceasefir``)
  never does.

A query word is corrected only when the index does not know it: a rare real
word next to a common one (``ways``, ``was``) is left alone. The best
candidate is the nearest (Damerau-Levenshtein) and then the one in the most
articles; it takes the capitalisation of the word typed (``Lavrof`` ->
``Lavrov``). Only the misspelt words of the query text are replaced, so
fields, quotes, operators and the rest stay as typed, and the corrected query
is offered only if it finds more than the original did.

All of this runs only for a query with fewer than :data:`FEW_HITS` hits, so a
query that finds enough costs nothing extra.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from whoosh.support.levenshtein import distance

from ..model import FEW_HITS, Suggestion
from ..text.words import EXACT, HYPHENS, POSSESSIVE, is_caps, normalize, stem, words
from .index import Index
from .lexicon import Lexicon
from .query import build_query
from .ranking import top_docs
from .schema import SEARCH_FIELDS

MIN_LENGTH = 4  # shorter words are never corrected
MAX_LENGTH = 24  # nor longer ones: no word is that long, and the search cost grows with length
MAX_WORDS = 32  # a longer query (pasted text) gets no suggestion ...
MAX_UNKNOWN = 5  # ... nor one with more unknown words than this
PREFIX = 1  # candidates share the first letter: most typos keep it, and it is much faster

# Whoosh query syntax a word may be part of: operators, and characters that
# make the word before or after them something other than a plain word.
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
_NOT_BEFORE = frozenset(":*?~")  # field name, wildcard, fuzzy term
_NOT_AFTER = frozenset("*?")


def max_distance(word: str) -> int:
    """How many edits a correction of ``word`` may be: longer words, more."""
    if not MIN_LENGTH <= len(word) <= MAX_LENGTH:
        return 0
    return 1 if len(word) < 7 else 2


def suggest(index: Index, text: str, *, total: int, any_word: bool = False) -> Suggestion | None:
    """A corrected form of query ``text`` that finds more than its ``total``
    hits, or None. Returns None at once when ``total`` is :data:`FEW_HITS` or more.
    """
    if total >= FEW_HITS:
        return None
    with index.reading() as r:
        corrections = _corrections(r.lexicon, text)
        if not corrections:
            return None
        corrected = _rewrite(text, corrections)
        q = build_query(corrected, r.lexicon, SEARCH_FIELDS, any_word=any_word).query
        found = len(top_docs(r.searcher, q, 1, {}))  # every match counted as it is scored
    if found <= total:
        return None
    pairs = tuple((text[a:b], new) for a, b, new in corrections)
    return Suggestion(corrected, found, pairs)


# -- finding the words to correct ----------------------------------------------


def plain_words(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, normalised)`` for each plain word of query ``text``:
    not an operator, field name, wildcard or fuzzy term; a hyphenated word
    gives each of its parts."""
    for w in words(text):
        raw = text[w.start : w.end]
        before = text[w.start - 1] if w.start else ""
        after = text[w.end] if w.end < len(text) else ""
        if raw in _OPERATORS or after in _NOT_BEFORE or before in _NOT_AFTER:
            continue
        if not w.parts:
            yield w.start, w.end, w.text
            continue
        pos = w.start
        for piece in HYPHENS.split(raw):
            norm = normalize(piece)
            if norm:
                yield pos, pos + len(piece), norm
            pos += len(piece) + 1


def _corrections(lexicon: Lexicon, text: str) -> list[tuple[int, int, str]]:
    """Where to write what; nothing for a query of more than :data:`MAX_WORDS`
    words or :data:`MAX_UNKNOWN` unknown ones (pasted text, another language)."""
    unknown: dict[str, list[tuple[int, int]]] = {}
    for n, (start, end, norm) in enumerate(plain_words(text)):
        if n == MAX_WORDS:
            return []
        if not norm.isalpha() or max_distance(norm) == 0:
            continue
        if norm not in unknown and lexicon.in_index(stem(norm), SEARCH_FIELDS):
            continue
        unknown.setdefault(norm, []).append((start, end))
        if len(unknown) > MAX_UNKNOWN:
            return []
    out = []
    for norm, places in unknown.items():
        best = _best(lexicon, norm)
        if best is not None:
            out += [(start, end, _styled(text[start:end], best)) for start, end in places]
    return out


def _rewrite(text: str, corrections: Sequence[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(corrections, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _styled(raw: str, word: str) -> str:
    """``word`` written the way ``raw`` is: capitals, initial capital, possessive."""
    suffix = ""
    if POSSESSIVE.search(raw):
        raw, suffix = raw[:-2], raw[-2:]
    letters = [c for c in raw if c.isalpha()]
    if is_caps(raw):
        word = word.upper()
    elif letters and letters[0].isupper():
        word = word[:1].upper() + word[1:]
    return word + suffix


# -- the index as a dictionary -------------------------------------------------


def _best(lexicon: Lexicon, norm: str) -> str | None:
    """The word to write instead of unknown word ``norm``, or None."""
    maxdist = max_distance(norm)
    candidates = _candidates(lexicon, norm, maxdist)
    ranked = [(distance(norm, word), -df, word) for word, df in candidates.items()]
    return min(ranked)[2] if ranked else None


def _candidates(lexicon: Lexicon, norm: str, maxdist: int) -> dict[str, int]:
    """Real words within ``maxdist`` edits of ``norm``, with their document frequency."""
    found: dict[str, int] = {}
    # Whoosh's automaton counts a transposition as two edits; look one further.
    reach = maxdist + 1
    for fieldname in SEARCH_FIELDS:
        terms = lexicon.terms_within(fieldname, norm, reach, prefix=PREFIX)
        terms |= lexicon.terms_within(fieldname, EXACT + norm, reach, prefix=PREFIX + 1)
        for term in terms:
            if term.startswith(EXACT):
                word = term[len(EXACT) :]
                df = lexicon.doc_frequency(fieldname, term)
            elif term.isalpha() and _is_word(lexicon, fieldname, term):
                word, df = term, lexicon.doc_frequency(fieldname, term)
            else:
                continue
            if word.isalpha() and distance(norm, word) <= maxdist:
                found[word] = max(found.get(word, 0), df)
    return found


def _is_word(lexicon: Lexicon, fieldname: str, term: str) -> bool:
    """Whether some article writes stem ``term`` as a word, not only inflected."""
    if stem(term) != term:
        return False
    inflected = 0
    # Porter stems are prefixes of their words but for a final letter (happy -> happi).
    prefix = EXACT + term[:-1] if len(term) > 1 else EXACT + term
    for exact in lexicon.expand_prefix(fieldname, prefix):
        if stem(exact[len(EXACT) :]) == term:
            inflected += lexicon.frequency(fieldname, exact)
    return lexicon.frequency(fieldname, term) > inflected
