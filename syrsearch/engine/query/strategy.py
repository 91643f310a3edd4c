"""How the words of a query combine: all of them (the default), or any of them.

The two modes differ in a handful of rules, gathered here as two strategies
so the query builder asks rather than tests a flag:

=====================  ===========================  ============================
rule                   :class:`AllWords`            :class:`AnyWords` (``--any``)
=====================  ===========================  ============================
words with no operator all must match (AND)         any may match (OR)
a title word           weighs :data:`TITLE_BOOST`   as a body word
the exact form         as much as the stem          :data:`EXACT_BOOST`
common words           searched                     left out (Snowball's list)
a repeated word        once                         weighs its count
a hyphenated word      closed form, or its parts    its parts of 3 letters or
                       in a row                     more, as words
two words whose        both, or the closed form     either, or the closed form
closed form exists
=====================  ===========================  ============================
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

TITLE_BOOST = 2.0
"""Weight of a title match against a body match, in AND mode."""
ANY_TITLE_BOOST = 1.0
"""In any-word mode a title word counts as much as a body word: scored as a
field of its own, a match in a short title already weighs about as much as
several in a body."""
EXACT_BOOST = 0.3
"""In any-word mode, the weight of the exact-form alternative (0 drops it)."""


class AllWords:
    """Every word must match."""

    any_word = False
    title_boost = TITLE_BOOST
    exact_boost = 1.0
    drops_stop_words = False
    splits_compounds = False

    def pair(self, a: Any, b: Any, closed: Any) -> Any:
        """Two adjacent words whose closed form the index has (``cease fire``)."""
        return wq.Or([wq.And([a, b]), closed])


class AnyWords(AllWords):
    """Any word may match; the more match, the better (natural-language mode)."""

    any_word = True
    title_boost = ANY_TITLE_BOOST
    exact_boost = EXACT_BOOST
    drops_stop_words = True
    splits_compounds = True

    def pair(self, a: Any, b: Any, closed: Any) -> Any:
        return wq.Or([a, b, unless_all(closed, [a, b])])


def strategy(any_word: bool) -> AllWords:
    return AnyWords() if any_word else AllWords()


def unless_all(q: Any, parts: list[Any]) -> Any:
    """``q`` only where ``parts`` do not all match."""
    return wq.AndNot(q, wq.And(parts))
