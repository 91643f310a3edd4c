"""The index terms one query word may match, as a Whoosh query, and as text.

* a word matches its stem, or its exact form, which scores the exact match
  higher; a hyphenated word matches its closed form or its parts in a row
  (in any-word mode: its parts, as words);
* a word in capitals that the corpus uses as an acronym (``US``) matches only
  the capitalised form; lowercase (``us``) matches every form;
* a capitalised word that the corpus uses as a name, and whose stem it shares
  with other words (``Hamas``, stem ``hama``, as ``Hama``), matches only its
  exact form (and possessives: ``Hamas's``); a name that is its own stem
  (``Hama``) matches the stem, the articles without the other words
  (``=hamas``) first; lowercase (``hamas``) matches the stem as any word
  (see :meth:`~syrsearch.engine.lexicon.Lexicon.is_name`);
* a word is stemmed for each language of the index (or of ``--lang``), so
  ``negotiations`` meets the French ``négociations``;
* a run of Chinese or Japanese characters matches its character bigrams, all;
* ``al-``/``el-`` before a name is optional (``al-Assad`` also matches ``Assad``);
* a word also matches its name key among the names of other scripts
  (``Lavrov``: ``Лавров``, see :mod:`syrsearch.text.names`), weighing
  :data:`NAME_BOOST`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whoosh import query as wq

from ...text.lang import DEFAULT_LANG
from ...text.names import ARTICLES, query_keys
from ...text.stopwords import STOP_WORDS
from ...text.words import CAPS, EXACT, Script, Word, bigrams, script, stem, stems
from ..lexicon import Lexicon
from ..phrases import BulkPhrase
from ..schema import NAMES_FIELD
from .strategy import AllWords, unless_all

NAME_BOOST = 0.5
"""Weight of a match by name key (another script's spelling) against the word's own terms."""


class WordTerms:
    """Term alternatives of single words, under one strategy."""

    def __init__(
        self, lexicon: Lexicon, strategy: AllWords, langs: Sequence[str] = (DEFAULT_LANG,)
    ) -> None:
        self.lexicon = lexicon
        self.strategy = strategy
        self.langs = tuple(langs) or (DEFAULT_LANG,)

    def stems(self, word: Word) -> list[str]:
        """The stems of ``word`` in each language searched, once each."""
        found = dict.fromkeys(s for lang in self.langs for s in stems(word.text, lang, word.form))
        return list(found)

    def query(self, word: Word, fieldname: str, fields: Sequence[str]) -> Any:
        """The query for ``word`` in ``fieldname`` (positionless); ``fields``
        are those the word is searched in, for the acronym test."""
        q = self._own_terms(word, fieldname, fields)
        if not fields or fieldname != fields[-1]:
            return q
        keys = self.name_terms(word)  # once per word, beside its last field
        return wq.Or([q, *keys]) if keys else q

    def name_terms(self, word: Word) -> list[Any]:
        """The name-key terms of ``word`` that the index has."""
        if word.text in STOP_WORDS or (word.caps and len(word.text) < 3):
            return []
        keys = [k for k in query_keys(word) if self.lexicon.doc_frequency(NAMES_FIELD, k)]
        return [wq.Term(NAMES_FIELD, k, boost=NAME_BOOST) for k in keys]

    def _own_terms(self, word: Word, fieldname: str, fields: Sequence[str]) -> Any:
        if self.lexicon.is_acronym(word, fields):
            return wq.Term(fieldname, CAPS + word.text)
        if not word.text.isascii() and script(word.text) == Script.CJK:
            grams = [wq.Term(fieldname, g) for g in bigrams(word.text)]
            return grams[0] if len(grams) == 1 else wq.And(grams)
        if word.parts and self.strategy.splits_compounds and _long_parts(word):
            return self._parts(word, fieldname)
        stemmed = self.stems(word)
        if self.lexicon.is_name(word, stemmed):
            return self._name(word, stemmed, fieldname)
        alternatives: list[Any] = [wq.Term(fieldname, s) for s in stemmed]
        exact_boost = self.strategy.exact_boost
        if word.text not in stemmed and exact_boost > 0:
            alternatives.append(wq.Term(fieldname, EXACT + word.text, boost=exact_boost))
        if word.parts:
            parts = [stem(p, self.langs[0]) for p in word.parts]
            alternatives.append(BulkPhrase(fieldname, parts))
            if len(word.parts) == 2 and word.parts[0] in ARTICLES:
                alternatives.append(wq.Term(fieldname, stem(word.parts[1], self.langs[0])))
        return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)

    def _name(self, word: Word, stemmed: list[str], fieldname: str) -> Any:
        """A name's own terms: its exact form (``=hamas``), the word itself
        where a language's stemmer leaves it whole (``hama``), and there the
        articles without the other words of that stem (``=hamas`` for
        ``Hama``) once more, so that they come first; never a stem that is
        another word's (``hama`` for ``Hamas``)."""
        alternatives: list[Any] = []
        if any(s != word.text for s in stemmed):
            alternatives.append(wq.Term(fieldname, EXACT + word.text))
        if word.text in stemmed:
            own = wq.Term(fieldname, word.text)
            alternatives.append(own)
            others = self.lexicon.sharing_stem(fieldname, word.text)
            if others:
                alternatives.append(wq.AndNot(own, wq.Or([wq.Term(fieldname, t) for t in others])))
        return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)

    def _parts(self, word: Word, fieldname: str) -> Any:
        """A hyphenated word as its parts, as separate words, and its closed
        form where they are not both there (an article writing ``wind-tunnel``
        has the closed form too, and is not to count it twice)."""
        parts = [p for p in _long_parts(word) if p not in STOP_WORDS] or _long_parts(word)
        part_qs = [self.query(Word(p, word.start, word.end), fieldname, ()) for p in parts]
        return wq.Or([*part_qs, unless_all(wq.Term(fieldname, stem(word.text)), part_qs)])

    def forms(self, word: Word, fields: Sequence[str]) -> tuple[str, ...]:
        """How ``word`` is searched, as ``--explain`` shows it; ``fields``
        empty when the acronym test does not apply (a word of a phrase)."""
        if fields and self.lexicon.is_acronym(word, fields):
            return (f"{CAPS}{word.text} (acronym)",)
        if not word.text.isascii() and script(word.text) == Script.CJK:
            return (" ".join(bigrams(word.text)) + " (bigrams)",)
        forms = self.stems(word)
        if fields and self.lexicon.is_name(word, forms):
            shown = [EXACT + word.text] if any(f != word.text for f in forms) else []
            if word.text in forms:
                shown.append(word.text)
                others = self.lexicon.sharing_stem(fields[-1], word.text)
                if others:
                    shown.append(f"(first without {' '.join(others)})")
            keys = [f"{t.text} (name)" for t in self.name_terms(word)]
            return (" ".join(shown) + " (a name here: not the stem of other words)", *keys)
        if word.parts:
            forms.append(" ".join(stem(p, self.langs[0]) for p in word.parts))
            if len(word.parts) == 2 and word.parts[0] in ARTICLES:
                forms.append(stem(word.parts[1], self.langs[0]))
        if fields:
            forms += [f"{t.text} (name)" for t in self.name_terms(word)]
        return tuple(forms)


PART_LETTERS = 3
"""A part of a hyphenated word shorter than this (``J-Lo``, ``al-Nusra``) is
not searched as a word of its own in any-word mode: it would match words it
only shares a stem with (``lo``: ``Los``)."""


def _long_parts(word: Word) -> list[str]:
    return [p for p in word.parts if len(p) >= PART_LETTERS]
