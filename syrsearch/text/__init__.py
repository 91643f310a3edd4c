"""Text as data: pure functions from strings to words, terms, facts and snippets.

:mod:`~syrsearch.text.words` splits and normalises words and gives the index
terms of each; :mod:`~syrsearch.text.stopwords` is the one list of function
words; :mod:`~syrsearch.text.metadata` reads an article's date, sources, links
and site chrome; :mod:`~syrsearch.text.snippets` picks and cuts the sentences
to show. Nothing here reads files or an index.
"""
