"""From what the user typed to a Whoosh query, and back to what to highlight.

:mod:`.parse` reads the syntax, :mod:`.strategy` holds the rules of the
all-words and any-word modes, :mod:`.terms` gives the index terms of one
word, and :mod:`.build` walks the parsed query into index terms, with an
explanation of each word; :func:`highlight_match` says what a hit's text
should highlight for a query.
"""

from .build import Translation, build_query, highlight_match
from .strategy import ANY_TITLE_BOOST, TITLE_BOOST

__all__ = ["ANY_TITLE_BOOST", "TITLE_BOOST", "Translation", "build_query", "highlight_match"]
