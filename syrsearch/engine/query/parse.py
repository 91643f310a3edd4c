"""Reading the query syntax: AND/OR/NOT/``-``, quotes, ``~N``, ``wild*``, ``term~``, ``field:``.

Whoosh's parser reads the syntax with no schema, so every word arrives raw,
to be turned into index terms by :mod:`~syrsearch.engine.query.build`.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.qparser import (
    AndGroup,
    FieldsPlugin,
    FuzzyTermPlugin,
    OperatorsPlugin,
    OrGroup,
    QueryParser,
)
from whoosh.util.text import rcompile

DEFAULT_FIELD = "_all"
"""The field of a word the query gives no field: every searched field."""
FIELD_NAME = r"(?P<text>(?<!\w)\w+|\w{1,64}|[*]):"
r"""Whoosh's ``field:`` pattern, read whole only where a word starts. Whoosh's
parser tries its patterns at every character that no pattern has taken, and
its own (``\w+:``) runs on from each one to the end of the word: a word of
16,000 letters took 3 s to read, the time growing with the square of its
length. A word that ends in ``:`` is found from its first letter; inside a
word (after ``a~1``, which another pattern took) a field name is read up to
64 letters, so the answers are the same but for a longer name there."""


NOT_OPERATOR = r"(^|(?<=(\s|[()])))NOT(?=\s)|(?<![^\s(])-(?=[^\s+-])"
"""Whoosh's ``NOT``, and a minus before a word or group as most search
syntaxes read it (``Kerry -Lavrov`` is ``Kerry NOT Lavrov``): at the start of
the query, after a space or an opening bracket, and before a word, so that
``cease-fire``, ``al-Nusra``, ``U.S.-Russia``, ``a - b`` and ``--x`` are words
as before."""

FUZZY_DIGITS = 6
"""The digits of a ``~N`` read (a longer number is read as its first six):
the distance is bounded later, this only keeps the number a number."""


class _FuzzyTerms(FuzzyTermPlugin):  # type: ignore[misc]
    """Whoosh's ``word~N``, ``N`` of any number of digits: Whoosh reads one
    digit, so ``ceasefire~99999`` was ``ceasefire~9`` and a word ``9999``
    the query must also have."""

    expr = rcompile(r"(?<=\S)~(?P<maxdist>[0-9]+)?(/(?P<prefix>[1-9][0-9]*))?")

    def create(self, parser: Any, match: Any) -> Any:
        digits, prefix = match.group("maxdist"), match.group("prefix")
        return self.FuzzinessNode(
            int(digits[:FUZZY_DIGITS]) if digits else 1,
            int(prefix[:FUZZY_DIGITS]) if prefix else 0,
            match.group(0),
        )


class WordsOr(wq.Or):  # type: ignore[misc]
    """The implicit group of an any-word query: words with no operator between them."""


class _WordsGroup(OrGroup):  # type: ignore[misc]
    qclass = WordsOr


def parse(text: str, *, any_word: bool) -> Any:
    """The syntax tree of ``text``. Words with no operator between them are
    an AND group, or with ``any_word`` a :class:`WordsOr` that keeps a
    repeated word (it weighs more)."""
    parser = QueryParser(DEFAULT_FIELD, schema=None, group=_WordsGroup if any_word else AndGroup)
    parser.add_plugin(_FuzzyTerms())
    ours = {
        FieldsPlugin: FieldsPlugin(expr=FIELD_NAME),
        OperatorsPlugin: OperatorsPlugin(Not=NOT_OPERATOR),
    }
    # in their places: the patterns' order decides between them
    parser.plugins = [ours.get(type(p), p) for p in parser.plugins]
    try:
        return parser.parse(text, normalize=not any_word)
    except RecursionError:  # too deeply nested: the caller says so
        raise
    except Exception:  # only Whoosh's parser runs here (2.7.4 raises IndexError on `NOT NOT x`)
        return wq.And([wq.Term(DEFAULT_FIELD, w) for w in text.split()])
