"""The search engine: the only package that imports Whoosh.

:mod:`~syrsearch.engine.schema` says how articles are stored and analysed;
:mod:`~syrsearch.engine.index` owns an index folder (generations, the writer
lock, damage) and the one reader a request uses; :mod:`~syrsearch.engine.lexicon`
answers questions about index terms (``str`` in, ``str`` out);
:mod:`~syrsearch.engine.indexer` keeps the index in step with the corpus;
:mod:`~syrsearch.engine.query` turns what a user typed into a Whoosh query;
:mod:`~syrsearch.engine.ranking` scores; and :mod:`~syrsearch.engine.search`,
:mod:`~syrsearch.engine.suggest`, :mod:`~syrsearch.engine.similar` and
:mod:`~syrsearch.engine.stats` answer with the plain data of
:mod:`syrsearch.model`. No Whoosh object leaves this package.
"""

import warnings

# The original Whoosh 2.7.4 (a one-line switch from whoosh3) has literal
# comparisons that Python 3.12+ warns about while compiling it. Its modules are
# imported here once, with that warning silenced for these imports only, so
# stderr keeps syrsearch's own messages and the host's warning filters stay
# as they were.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    import whoosh.collectors
    import whoosh.fields
    import whoosh.filedb.filestore
    import whoosh.formats
    import whoosh.index
    import whoosh.lang.porter
    import whoosh.lang.stopwords
    import whoosh.qparser
    import whoosh.query
    import whoosh.scoring
    import whoosh.sorting
    import whoosh.support.levenshtein  # noqa: F401
