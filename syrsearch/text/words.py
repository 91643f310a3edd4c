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
``jubeir``; Russian ``й`` is kept, ``ё`` becomes ``е``), curly apostrophes folded
and a possessive ``'s`` dropped (``Kerry\u2019s`` -> ``kerry``), a French or
Italian elision split off (``l'ONU`` -> ``onu``, ``qu'il`` -> ``il``), dots removed
from dotted acronyms (``U.N.`` -> ``un``), and Arabic spelling folded (hamza
forms of alef, ``ى`` -> ``ي``, ``ة`` -> ``ه``, tatweel and vowel marks dropped).
Nothing is a stop word and no token is too short to keep.

The stem depends on the word's script and the article's language (see
:mod:`syrsearch.text.lang`): a Latin-script word is stemmed by the Snowball
stemmer of the article's language (Porter for English, and for a language
without one), a Cyrillic word by the Russian one, an Arabic word by the ISRI
stemmer after its clitic prefixes (``و ف ب ك ل ال``) are split off (where a
single letter may or may not be a clitic, both readings are indexed), and a run
of Chinese or Japanese characters becomes its character bigrams.

Pure functions of strings. Whoosh's Porter stemmer and ISRI stemmer
(``whoosh.lang``) and PyStemmer's Snowball stemmers are ``str -> str``
functions, so the terms are those the index was built with.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from whoosh.lang.isri import ISRIStemmer
from whoosh.lang.porter import stem as _porter_stem

from .lang import DEFAULT_LANG, SNOWBALL

if TYPE_CHECKING:
    import Stemmer

EXACT = "="
CAPS = "^"

# Characters that may sit inside a word without breaking it: combining marks
# (decomposed accents, Arabic vowel marks), soft hyphen and zero-width joiners.
_INWORD = (
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u00ad\u200c\u200d"
    "\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"  # Hebrew and Arabic marks
)
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
_ELISION = re.compile(
    r"(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu|dell|dall|nell|sull|all|coll|un|quell|gl)"
    rf"[{_APOS}](?={_W})",
    re.IGNORECASE,
)
"""A French or Italian elided article or pronoun before a word (``l'``, ``qu'``, ``dell'``)."""
# Arabic orthographic folding, after the vowel marks and hamza are gone.
_NAME_SUFFIX = re.compile(rf"(?P<name>[^\W\d_]{{2,}})[{_APOS}](?P<suffix>[^\W\d_]+)")
"""A name with a suffix after an apostrophe, as Turkish writes case endings
(``Astana'da``, ``İdlib'deki``): the name is a part of its own."""
_CONTRACTIONS = frozenset({"s", "t", "ll", "re", "ve", "d", "m"})
_ARABIC_FOLD = str.maketrans(
    {
        "\u0649": "\u064a",
        "\u0629": "\u0647",
        "\u0640": None,
        "\u0671": "\u0627",
        "\u06cc": "\u064a",
        "\u06a9": "\u0643",
    }
)
_SHORT_I = "\ue000"  # й stands here while accents are removed


class Script:
    """The scripts whose words are analysed differently."""

    LATIN = "latin"
    CYRILLIC = "cyrillic"
    ARABIC = "arabic"
    CJK = "cjk"
    OTHER = "other"


def script(word: str) -> str:
    """The script of a normalised word, from its first letter."""
    for c in word:
        if c.isascii():
            if c.isalpha():
                return Script.LATIN
            continue
        n = ord(c)
        if n < 0x0250 or 0x1E00 <= n < 0x1F00:
            return Script.LATIN
        if 0x0400 <= n < 0x0530:
            return Script.CYRILLIC
        if 0x0600 <= n < 0x0700 or 0x0750 <= n < 0x0780 or 0x08A0 <= n < 0x0900:
            return Script.ARABIC
        if 0xFB50 <= n < 0xFE00 or 0xFE70 <= n < 0xFF00:
            return Script.ARABIC
        if 0x3040 <= n < 0x3100 or 0x3400 <= n < 0xA000 or 0xAC00 <= n < 0xD7B0:
            return Script.CJK
        if 0xF900 <= n < 0xFB00 or 0x20000 <= n < 0x2FA20:
            return Script.CJK
        if c.isalpha():
            return Script.OTHER
    return Script.LATIN


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a text: its normalised form and where it stands."""

    text: str
    start: int
    end: int
    parts: tuple[str, ...] = ()
    caps: bool = False
    form: str = ""  # the word lower-cased with its accents, where they differ
    title: bool = False  # written with a capital first letter (a name?)


@lru_cache(maxsize=50_000)
def normalize(raw: str) -> str:
    """Fold one raw word to its comparable form (no stemming)."""
    text = unicodedata.normalize("NFKC", raw).translate(_DROP).casefold()
    if not text.isascii():
        text = _unaccented(text).translate(_ARABIC_FOLD)
    text = text.translate(_FOLD_APOS)
    if "'" in text:
        if text.endswith("'s"):
            text = text[:-2]
        text = text.replace("'", "")
    return text


def _unaccented(text: str) -> str:
    text = text.replace("\u0439", _SHORT_I)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text).replace(_SHORT_I, "\u0439")


def accented(raw: str) -> str:
    """A raw word lower-cased with its accents kept, for a Snowball stemmer
    (``""`` if that is its normalised form)."""
    if raw.isascii():
        return ""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", raw).translate(_DROP))
    text = text.casefold().replace("\u0451", "\u0435").translate(_FOLD_APOS).replace("'", "")
    return text


@lru_cache(maxsize=64)
def _snowball(algorithm: str) -> Stemmer.Stemmer:
    import Stemmer  # only for a language with a Snowball stemmer: not English

    return Stemmer.Stemmer(algorithm)


class _NormalisedISRI(ISRIStemmer):  # type: ignore[misc]
    """Whoosh's ISRI stemmer, given text :func:`normalize` has folded already
    (vowel marks gone, hamza forms of alef plain), so its own normalisation is
    skipped: the same stems, and Whoosh 2.7.4's version of it, whose
    normalisation fails on Python 3.7 and later, works too."""

    def norm(self, num: int) -> str:
        return str(self.stm)


_ISRI = _NormalisedISRI()


_PORTER_ENDINGS = (
    "s", "ed", "eed", "ing", "y", "e", "ll",  # steps 1 and 5
    "ational", "tional", "enci", "anci", "izer", "bli", "alli", "entli", "eli", "ousli",
    "ization", "ation", "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti",
    "biliti", "logi",  # step 2
    "icate", "ative", "alize", "iciti", "ical", "ful", "ness",  # step 3
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ou",
    "ism", "ate", "iti", "ous", "ive", "ize", "sion", "tion",  # step 4
)  # fmt: skip
"""Every ending a step of Porter's algorithm acts on (``whoosh.lang.porter``):
a word with none of them is its own stem, and half the words of news are."""


def _porter(word: str) -> str:
    """Porter's stem of ``word``, as ``whoosh.lang.porter.stem`` gives it."""
    return _porter_stem(word) if word.endswith(_PORTER_ENDINGS) else word


@lru_cache(maxsize=50_000)
def _english_stem(word: str) -> str:
    """Porter's stem of a normalised ASCII word (the common case, cached on its own)."""
    return _porter(word) if word.isalpha() else word


@lru_cache(maxsize=50_000)
def stems(word: str, lang: str = DEFAULT_LANG, form: str = "") -> tuple[str, ...]:
    """The stems of a normalised ``word`` in an article of language ``lang``
    (``form``: the word with its accents, see :func:`accented`): one, or two
    for an Arabic word that may or may not start with a clitic."""
    if word.isascii():
        if not word.isalpha():
            return (word,)
        if lang == DEFAULT_LANG or lang not in SNOWBALL:
            return (_porter(word),)
        return (_snowball(SNOWBALL[lang]).stemWord(word),)
    kind = script(word)
    if kind == Script.LATIN:
        if lang == DEFAULT_LANG or lang not in SNOWBALL:
            return (_porter(word) if word.isalpha() else word,)
        return (normalize(_snowball(SNOWBALL[lang]).stemWord(form or word)),)
    if kind == Script.CYRILLIC:
        return (normalize(_snowball("russian").stemWord(form or word)),)
    if kind == Script.ARABIC:
        return tuple(dict.fromkeys(_ISRI.stem(f) for f in arabic_bases(word)))
    return (word,)


def stem(word: str, lang: str = DEFAULT_LANG, form: str = "") -> str:
    """The (first) stem of a normalised word, see :func:`stems`."""
    return stems(word, lang, form)[0]


def arabic_bases(word: str) -> tuple[str, ...]:
    """An Arabic word without its clitic prefixes: the conjunction ``و``/``ف``,
    the prepositions ``ب ك ل`` and the article ``ال`` (``وبالمفاوضات`` ->
    ``مفاوضات``). A single letter that may be a clitic or part of the word
    (``بشار``, ``فرنسا``) gives both readings."""
    forms = [word]
    if len(word) >= 4 and word[0] in "\u0648\u0641":  # و ف
        forms.append(word[1:])
    out: list[str] = []
    for f in forms:
        if len(f) >= 5 and f[0] in "\u0628\u0643\u0644" and f[1:3] == "\u0627\u0644":
            out.append(f[3:])  # بال كال لال
        elif len(f) >= 4 and f.startswith("\u0644\u0644"):
            out.append(f[2:])  # لل = ل + ال
        elif len(f) >= 4 and f.startswith("\u0627\u0644"):
            out.append(f[2:])  # ال
        elif len(f) >= 4 and f[0] in "\u0628\u0643\u0644":
            out += [f, f[1:]]
        else:
            out.append(f)
    return tuple(dict.fromkeys(out))


def bigrams(word: str) -> list[str]:
    """The character bigrams of a run of Chinese or Japanese text (the
    character itself if it stands alone)."""
    if len(word) < 2:
        return [word]
    return list(dict.fromkeys(word[i : i + 2] for i in range(len(word) - 1)))


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
    if raw.isalnum():  # most words: no apostrophe, hyphen or mark to look at
        norm = normalize(raw)
        if not norm:
            return None
        form = "" if raw.isascii() else accented(raw)
        form = "" if form == norm else form
        return Word(norm, start, end, (), is_caps(raw), form, raw[0].isupper())
    elided = _ELISION.match(raw)
    if elided is not None:
        raw, start = raw[elided.end() :], start + elided.end()
    parts: tuple[str, ...] = ()
    if HYPHENS.search(raw):
        pieces = tuple(p for p in (normalize(s) for s in HYPHENS.split(raw)) if p)
        if len(pieces) > 1:
            parts = pieces
        norm = "".join(pieces)
    else:
        norm = normalize(raw)
        suffixed = _NAME_SUFFIX.fullmatch(raw) if raw[0].isupper() else None
        if suffixed is not None and suffixed["suffix"].islower():
            suffix = normalize(suffixed["suffix"])
            if suffix not in _CONTRACTIONS:
                parts = (normalize(suffixed["name"]), suffix)
    if not norm:
        return None
    form = accented(raw)
    title = raw[0].isupper() or (bool(parts) and any(p[:1].isupper() for p in HYPHENS.split(raw)))
    return Word(norm, start, end, parts, is_caps(raw), "" if form == norm else form, title)


def raw_words(text: str) -> list[str]:
    """The words of ``text`` as written, in order (what :func:`words` reads)."""
    return _RAW_WORD_RE.findall(text)


@lru_cache(maxsize=50_000)
def word_of(raw: str) -> Word | None:
    """The :class:`Word` of one word as written (offsets into ``raw``; cached)."""
    return _word(raw, 0, len(raw), _ACRONYM_RE.fullmatch(raw) is not None)


@lru_cache(maxsize=100_000)
def raw_terms(raw: str, lang: str = DEFAULT_LANG) -> tuple[str, ...]:
    """The index terms of one word as written (cached: words repeat)."""
    word = word_of(raw)
    return tuple(word_terms(word, lang)) if word is not None else ()


def term_spans(
    text: str, prefixes: frozenset[str] | None = None, lang: str = DEFAULT_LANG
) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """``(start, end, terms)`` for each word of ``text`` that has terms: the
    same words as :func:`words`, with their index terms, quickly (cached).

    With ``prefixes`` (the first two letters of every term wanted), a plain
    word that cannot produce any of them gets no terms, unanalysed: stemming
    never changes a word's first two letters, so such a word cannot match
    (the test applies only to plain ASCII words, and only to English, whose
    stemmer never changes them).
    """
    if lang != DEFAULT_LANG:
        prefixes = None
    for match in _RAW_WORD_RE.finditer(text):
        raw = match.group()
        if prefixes is not None:
            head = raw[:2]
            if (
                head.isascii()
                and head.isalnum()
                and "." not in raw
                and "'" not in raw
                and not HYPHENS.search(raw)
                and head.lower() not in prefixes
            ):
                yield match.start(), match.end(), ()
                continue
        terms = raw_terms(raw, lang)
        if terms:
            start = match.start()
            if "'" in raw or not raw.isascii():
                elided = _ELISION.match(raw)  # the highlight starts after l'
                start += elided.end() if elided is not None else 0
            yield start, match.end(), terms


def term_prefixes(terms: Iterable[str]) -> frozenset[str] | None:
    """The prefixes :func:`term_spans` needs to find ``terms``; None if some
    term is too short to rule any word out."""
    heads = set()
    for term in terms:
        bare = term.lstrip(EXACT + CAPS)
        if len(bare) < 2 or not bare[:2].isascii():
            return None
        heads.add(bare[:2])
    return frozenset(heads)


def term_positions(text: str, lang: str = DEFAULT_LANG) -> dict[str, list[int]]:
    """Each index term of ``text`` and its positions: what the analyzer yields,
    gathered without a token object per term (the indexing fast path)."""
    found: dict[str, list[int]] = {}
    pos = 0
    for raw in _RAW_WORD_RE.findall(text):
        terms = raw_terms(raw, lang)
        if not terms:
            continue
        for term in terms:
            if term in found:
                found[term].append(pos)
            else:
                found[term] = [pos]
        pos += 1
    return found


def word_terms(word: Word, lang: str = DEFAULT_LANG) -> list[str]:
    """Every index term one word contributes, all at the same position."""
    if lang == DEFAULT_LANG and word.text.isascii():
        terms = [_english_stem(word.text)]
    elif not word.text.isascii() and script(word.text) == Script.CJK:
        return bigrams(word.text)
    else:
        terms = list(stems(word.text, lang, word.form))
    if word.text not in terms:
        terms.append(EXACT + word.text)
    if word.caps:
        terms.append(CAPS + word.text)
    for part in word.parts:
        part_stem = stem(part, lang)
        if part_stem not in terms:
            terms.append(part_stem)
    return terms


def index_terms(text: str, lang: str = DEFAULT_LANG) -> list[tuple[int, str]]:
    """``(position, term)`` for every term the index holds for ``text``."""
    return [(pos, term) for pos, word in enumerate(words(text)) for term in word_terms(word, lang)]
