"""What the index stores for each article, and how its text is analysed.

Each article is stored with its title, its body (zlib-compressed: it is only
read back for snippets, ``show`` and ``export``), and the facts read from its
text: ``date`` (ISO, sortable, absent when the text gives none), ``source``
(comparison keys of the sources it names, for filtering) and ``meta`` (the
sources as written, its links, the names its prose uses), and ``lang``, its
language (ISO 639-1, absent when it could not be told, see
:mod:`syrsearch.text.lang`). ``entities`` holds the comparison keys of the
names of its prose (:mod:`syrsearch.text.entities`), one term per name, and
``lsh`` the article's MinHash band keys, by which reprints are found
(:mod:`syrsearch.engine.reprints`). Title and body are analysed by
:class:`NewsAnalyzer` into the terms of :mod:`syrsearch.text.words` for the
article's language, with positions for phrases in :class:`CompactPositions`;
``names`` holds the keys of the names they write (:mod:`syrsearch.text.names`),
for matching across scripts.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterator
from datetime import date
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING, Any

from whoosh import columns
from whoosh.analysis import Analyzer, Token
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions

from ..text.entities import find_names, name_key
from ..text.lang import DEFAULT_LANG
from ..text.metadata import source_key
from ..text.names import name_keys
from ..text.words import Word, normalize, stem, term_positions, word_terms, words

if TYPE_CHECKING:  # only an annotation: a search need not define it
    from ..model.indexing import Article

FORMAT = 6
"""The index format; an index of another format is rebuilt."""
SEARCH_FIELDS = ("title", "body")
"""The fields a query searches."""
NAMES_FIELD = "names"
"""The field of name keys (title and body), searched beside a word's own terms."""
LANG_FIELD = "lang"
"""An article's language, an ISO 639-1 code."""
ENTITIES_FIELD = "entities"
"""The field of the names of an article's prose (:func:`~syrsearch.text.entities.name_key`)."""


class LangText(str):
    """A field's text with the language it is to be analysed in (``lang``)."""

    lang: str

    def __new__(cls, text: str, lang: str) -> LangText:
        obj = super().__new__(cls, text)
        obj.lang = lang
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # for the writer processes
        return (LangText, (str(self), self.lang))


def language_of(value: object) -> str:
    """The language a field's value is analysed in."""
    return getattr(value, "lang", DEFAULT_LANG)


class NewsAnalyzer(Analyzer):  # type: ignore[misc]
    """The Whoosh analyzer of every text field (see :mod:`syrsearch.text.words`).

    Its ``mode="query"`` output is the stems alone; syrsearch builds queries
    from :func:`~syrsearch.text.words.words` directly, so this only matters to
    generic Whoosh code.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        lang = language_of(value)
        source = words(value) if tokenize else [Word(normalize(value), 0, len(value))]
        for pos, word in enumerate(source, start_pos):
            terms = word_terms(word, lang) if mode != "query" else [stem(word.text, lang)]
            for term in terms:
                token.text = term
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = value[word.start : word.end]
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + word.start
                    token.endchar = start_char + word.end
                yield token


class CompactPositions(Positions):  # type: ignore[misc]
    """Whoosh's ``Positions`` posting format, smaller and quicker to write.

    Positions are stored as one type byte and an array of deltas of the
    narrowest item size that fits, instead of a pickled list behind a 4-byte
    count (a word seen once in an article: 2 bytes instead of 13). Text from
    :class:`NewsAnalyzer` is tokenized by :func:`term_positions`, without a
    Whoosh token object per term.
    """

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Any:
        if not isinstance(analyzer, NewsAnalyzer) or not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for term, poslist in term_positions(value, language_of(value)).items():
            yield term, len(poslist), len(poslist) * boost, self.encode(poslist)

    def encode(self, poslist: list[int]) -> bytes:
        if len(poslist) == 1 and poslist[0] < 256:  # most terms of an article
            return _ONE_BYTE[poslist[0]]
        deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
        top = max(deltas)
        code = "B" if top < 1 << 8 else "H" if top < 1 << 16 else "I"
        return code.encode("ascii") + array(code, deltas).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return list(accumulate(array(chr(valuestring[0]), valuestring[1:])))

    def decode_frequency(self, valuestring: bytes) -> int:
        return (len(valuestring) - 1) // array(chr(valuestring[0])).itemsize


_ONE_BYTE = [b"B" + bytes([n]) for n in range(256)]


def make_schema() -> Schema:
    analyzer = NewsAnalyzer()
    positions = CompactPositions()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        path=ID(stored=True, unique=True, sortable=True),
        stamp=ID(stored=True, sortable=True),
        title=_text_field(analyzer, positions, stored=True),
        body=_text_field(analyzer, positions, stored=False),
        body_z=STORED(),
        date=ID(stored=True, sortable=True),
        lang=ID(stored=True, sortable=True),
        names=KEYWORD(scorable=True),
        source=KEYWORD(scorable=False),
        meta=STORED(),
        encoding=STORED(),
        entities=KEYWORD(commas=True, scorable=False),
        lsh=KEYWORD(stored=True, scorable=False),
    )


def _text_field(analyzer: NewsAnalyzer, positions: Positions, *, stored: bool) -> TEXT:
    field = TEXT(analyzer=analyzer, stored=stored, phrase=True)
    field.format = positions
    return field


# -- stored documents ---------------------------------------------------------


def document(article: Article, doc_id: str, stamp: str, lang: str | None = None) -> dict[str, Any]:
    """The fields of ``article`` as the index stores them; ``lang`` is its
    language (None: unknown, analysed as :data:`DEFAULT_LANG`)."""
    from .reprints import band_keys  # only when indexing: it loads datasketch

    meta = article.metadata
    analysed = lang or DEFAULT_LANG
    names = find_names(article.body)
    fields: dict[str, Any] = {
        "id": doc_id,
        "path": article.relpath,
        "stamp": stamp,
        "title": LangText(article.title, analysed),
        "_stored_title": article.title,
        "body": LangText(article.body, analysed),
        "body_z": zlib.compress(article.body.encode("utf-8", "surrogatepass"), 6),
        "meta": {"sources": list(meta.sources), "urls": list(meta.urls), "names": names},
        "encoding": article.encoding,
        "lsh": " ".join(band_keys(article.body)),
    }
    if names:
        fields[ENTITIES_FIELD] = ",".join(name_key(n) for n in names)
    if meta.date is not None:
        fields["date"] = meta.date.isoformat()
    if lang:
        fields["lang"] = lang
    keys = name_keys(article.title + "\n" + article.body)
    if keys:
        fields["names"] = " ".join(keys)
    if meta.sources:
        fields["source"] = " ".join(source_key(s) for s in meta.sources)
    return fields


def stored_body(stored: dict[str, Any]) -> str:
    """The body text of a stored document."""
    data = stored.get("body_z")
    return zlib.decompress(data).decode("utf-8", "surrogatepass") if data else ""


def stored_facts(stored: dict[str, Any]) -> dict[str, Any]:
    """``date``, ``sources``, ``urls`` and ``lang`` of a stored document, as
    :class:`~syrsearch.model.Hit` and :class:`~syrsearch.model.StoredArticle`
    take them."""
    meta = stored.get("meta") or {}
    day = stored.get("date")
    return {
        "date": date.fromisoformat(day) if day else None,
        "sources": tuple(meta.get("sources", ())),
        "urls": tuple(meta.get("urls", ())),
        "lang": stored.get("lang") or None,
    }


def column(reader: Any, fieldname: str) -> list[Any]:
    """The sortable column ``fieldname`` of every document of ``reader``, by
    document number. Whoosh's column of several segments leaves out a segment
    where no document has a value (an index run that added only undated
    articles has no ``date`` column), which shifts every later document and
    ends past the last; here such a segment reads as the column's default."""
    default = reader.schema[fieldname].column_type.default_value()
    out: list[Any] = []
    for sub, _ in reader.leaf_readers():
        if sub.has_column(fieldname):
            out += leaf_column(sub, fieldname)
        else:
            out += [default] * sub.doc_count_all()
    return out


def leaf_column(sub: Any, fieldname: str) -> list[Any]:
    """The column ``fieldname`` of one segment's reader, every document's
    value as Whoosh's column reader gives it; a column of variable-length
    values (an ``ID`` field's) read in one piece and cut by its lengths
    array, not with a read per document."""
    raw = sub.column_reader(fieldname, translate=False)
    lengths = getattr(raw, "_lengths", None)
    if type(raw) is not columns.VarBytesColumn.Reader or lengths is None:
        return list(sub.column_reader(fieldname))
    data = raw._dbfile.get(raw._basepos, sum(lengths))
    ends = accumulate(lengths, initial=0)
    if type(sub.schema[fieldname]) is ID:  # its column values are UTF-8 text
        return [data[a:b].decode("utf-8") for a, b in pairwise(ends)]
    decode = sub.schema[fieldname].from_column_value
    return [decode(data[a:b]) for a, b in pairwise(ends)]
