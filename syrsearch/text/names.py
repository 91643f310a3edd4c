"""Names across scripts: ``Лавров`` and ``Lavrov``, ``الأسد`` and ``Assad``.

A name is compared by its *key*: the word transliterated to ASCII
(``anyascii``), then reduced to a consonant skeleton that the common
romanisations of Arabic and Russian names share: vowels (and ``w``, ``y``,
which stand for Arabic's long vowels) dropped, ``p``/``b``, ``v``/``f``,
``g``/``j``, ``c``/``q``/``k`` merged, doubled letters merged; an Arabic
word's final ``ة``/``ه`` is dropped first. ``Lavrov``, ``Лавров``, ``Лаврова`` and ``لافروف`` all
have the key ``lfrf``; ``Assad``, ``Asad`` and ``الأسد`` the key ``sd``.

The index keeps keys in a field of their own, with a mark telling where they
come from: :data:`FROM_LATIN` for a capitalised Latin-script word (a name, in
most languages that write them so), :data:`FROM_OTHER` for a capitalised
Cyrillic word and any Arabic word (Arabic has no capitals). A query word
looks for its key among the words of *other* scripts only (a Latin word among
the Cyrillic and Arabic names, and back), and a Cyrillic word among Cyrillic
names too, so that a name's case endings meet (``Астана``, ``Астане``) where
the Russian stemmer leaves them apart. Latin spellings of one name in Latin
script (``Assad``/``Asad``) are the alias file's business, not the key's: a
key is loose, and Latin text has too many names for it.

The Arabic article is not part of a key (``الأسد`` -> ``sd``), and in Latin
script ``al-``/``el-`` before a name is optional (``al-Assad`` -> ``sd``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .words import HYPHENS, Script, Word, arabic_bases, raw_words, script, stem, word_of

FROM_LATIN = "%"
"""Mark of the key of a Latin-script name."""
FROM_OTHER = "~"
"""Mark of the key of a Cyrillic or Arabic word."""

ARTICLES = frozenset({"al", "el"})
"""The Arabic article as Latin script writes it before a name (``al-Assad``)."""

_MERGE = str.maketrans("pvgcqwyx", "bfjkk  k", "aeiou'`")
_RUNS = re.compile(r"(.)\1+")
MIN_KEY = 2
"""A shorter skeleton says too little to compare names by."""


@lru_cache(maxsize=50_000)
def skeleton(latin: str) -> str:
    """The consonant skeleton of an ASCII transliteration (``Lavrov`` -> ``lfrf``)."""
    text = "".join(c for c in latin.lower() if c.isascii() and (c.isalpha() or c in "'`"))
    text = text.translate(_MERGE).replace(" ", "")
    text = _RUNS.sub(r"\1", text)
    return text if len(text) >= MIN_KEY else ""


def _key(text: str) -> str:
    from anyascii import anyascii  # only for a word in another script than Latin

    if len(text) > 2 and text.endswith("\u0647"):  # ة folded to ه: Hama, حماة
        text = text[:-1]
    return skeleton(anyascii(text))


def word_keys(word: Word) -> tuple[str, ...]:
    """The marked keys a word of an article gives the index (none for a
    Latin-script word that is not capitalised)."""
    kind = script(word.text) if not word.text.isascii() else Script.LATIN
    if kind == Script.LATIN:
        if not word.title or (not word.text.isalpha() and not word.parts):
            return ()
        if word.parts and word.parts[0] in ARTICLES:
            bases = [word.parts[-1]]
        else:  # a name with a suffix (Astana'da) or a compound: the first part too
            bases = [word.text, *word.parts[:1]]
        return tuple(dict.fromkeys(FROM_LATIN + k for k in map(skeleton, bases) if k))
    if kind == Script.CYRILLIC:
        if not word.title:
            return ()
        keys = {_key(word.text), _key(stem(word.text))}
    elif kind == Script.ARABIC:
        keys = {_key(b) for b in arabic_bases(word.text)}
    else:
        return ()
    return tuple(sorted(FROM_OTHER + k for k in keys if k))


def query_keys(word: Word) -> tuple[str, ...]:
    """The marked keys a query word looks for (see the module's doc)."""
    kind = script(word.text) if not word.text.isascii() else Script.LATIN
    if kind == Script.LATIN:
        if not word.text.isalpha() and not word.parts:
            return ()
        base = word.parts[-1] if word.parts and word.parts[0] in ARTICLES else word.text
        key = skeleton(base)
        return (FROM_OTHER + key,) if key else ()
    if kind == Script.CYRILLIC:
        key = _key(word.text)
        return (FROM_LATIN + key, FROM_OTHER + key) if key else ()
    if kind == Script.ARABIC:
        keys = dict.fromkeys(k for k in (_key(b) for b in arabic_bases(word.text)) if k)
        return tuple(FROM_LATIN + k for k in keys)
    return ()


@lru_cache(maxsize=50_000)
def raw_keys(raw: str) -> tuple[str, ...]:
    """:func:`word_keys` of one word as written (cached: words repeat)."""
    word = word_of(raw)
    return word_keys(word) if word is not None else ()


def name_keys(text: str) -> list[str]:
    """Every marked key of ``text``'s words, once each (an article's ``names``)."""
    found: dict[str, None] = {}
    for raw in raw_words(text):
        if (raw[0].islower() and not HYPHENS.search(raw)) or raw[0].isdigit():
            continue  # neither a name nor a word of a script without capitals
        for key in raw_keys(raw):
            found[key] = None
    return list(found)
