"""The index's own postings: written from memory, stored as packed arrays.

Two extension points of Whoosh, used as Whoosh means them to be:

- :class:`BatchWriter`, a ``SegmentWriter`` that keeps a segment's postings
  in memory in flat arrays (per field: a term number, a document number, a
  weight and the end of the encoded value of each posting, the values in one
  ``bytearray``) instead of sending each posting through Whoosh's pool, its
  pickled run files and their sort. At commit the postings are grouped by
  term in sorted term order (a counting sort) and each term's whole list goes
  to the field writer at once.
- :class:`CompactCodec`, Whoosh's W3 codec with posting blocks made of packed
  integer arrays instead of zlib-compressed pickles: a fixed header (its
  length, the number of postings, first and last document, highest weight,
  shortest and longest field, and the item size of each array), then the
  document-number deltas, the weights (whole numbers as integers), and the
  values' lengths and bytes. A block is decoded with ``array`` in one step.
  Each term's statistics in the term table are varints (:class:`CompactTermInfo`);
  the table itself, the stored fields and the columns stay Whoosh's own.

An index written so reads through Whoosh's ordinary searcher, queries and
scorers: the segment records its codec, and the codec its matcher.
"""

from __future__ import annotations

import struct
from array import array
from itertools import accumulate, pairwise
from typing import Any

from whoosh.codec.whoosh3 import (
    W3Codec,
    W3FieldCursor,
    W3FieldWriter,
    W3LeafMatcher,
    W3TermInfo,
    W3TermsReader,
)
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

BLOCK = 128
"""Postings in a block."""
_FLOAT_BYTES = struct.Struct("<f")
_HEAD_MAX = 32
"""A block's header is a byte of flags (the item-size codes of the id, weight
and value-length arrays; whether this is the term's last block), the varints
of the data's length, the postings, the first id and the span to the last,
the shortest and longest field (Whoosh's length bytes), and the highest
weight (a varint, or a float for fractional weights): at most this long."""
_SIZES = "BHI"
_FLOAT, _ONES, _NONE = 3, 4, 3
"""Weight codes beyond the sizes: float weights, all weights 1; value code: no values."""


class DamagedPostings(ValueError):
    """A posting block that cannot be what the writer wrote."""


def _code(top: int) -> int:
    return 0 if top < 1 << 8 else 1 if top < 1 << 16 else 2


def encode_block(ids: Any, weights: Any, values: list[bytes], lengths: Any, last: bool) -> bytes:
    """One posting block: ``ids`` ascending, ``weights`` and ``values`` per
    posting, ``lengths`` the field length of each posting's document."""
    n = len(ids)
    first = ids[0]
    deltas = [b - a for a, b in pairwise(ids)]
    idc = _code(max(deltas)) if deltas else 0
    parts = [array(_SIZES[idc], deltas).tobytes()] if deltas else []
    top = max(weights)
    if top == 1.0 and min(weights) == 1.0:
        wc = _ONES
    else:
        whole = [int(w) for w in weights]
        if whole == list(weights) and min(whole) >= 0:
            wc = _code(max(whole))
            parts.append(array(_SIZES[wc], whole).tobytes())
        else:
            wc = _FLOAT
            parts.append(array("f", weights).tobytes())
    sizes = [len(v) for v in values]
    if not any(sizes):
        vc = _NONE
    else:
        vc = _code(max(sizes))
        parts.append(array(_SIZES[vc], sizes).tobytes())
        parts.append(b"".join(values))
    data = b"".join(parts)
    lmin, lmax = (min(lengths), max(lengths)) if len(lengths) else (0, 0)
    head = bytearray((idc | wc << 2 | vc << 5 | last << 7,))
    _put(head, len(data))
    _put(head, n)
    _put(head, first)
    _put(head, ids[-1] - first)
    head.append(length_to_byte(lmin))
    head.append(length_to_byte(lmax))
    if wc == _FLOAT:
        head += _FLOAT_BYTES.pack(top)
    else:
        _put(head, int(top))
    return bytes(head) + data


def _put(out: bytearray, value: int) -> None:
    """Append ``value`` (unsigned) as a varint: 7 bits a byte, low first."""
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


def _get(data: bytes, at: int) -> tuple[int, int]:
    """The varint at ``at`` in ``data`` and the offset after it."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7
        if shift > 63:
            raise DamagedPostings("a varint too long")


class CompactTermInfo(W3TermInfo):  # type: ignore[misc]
    """W3's term statistics and extent, stored in about 14 bytes instead of
    38: a byte of flags, then varints (document frequency, first id, span to
    the last, offset and length of the posting list), the field-length bytes,
    and the total and highest weights (varints when whole, else floats)."""

    def to_bytes(self) -> bytes:
        weight, top = self._weight, self._maxweight
        wfloat, tfloat = weight != int(weight), top != int(top)
        out = bytearray((wfloat | tfloat << 1 | (self._minlength is None) << 2,))
        minid = self._minid or 0
        for value in (self._df, minid, (self._maxid or 0) - minid, self._offset, self._length):
            _put(out, value)
        out.append(0 if self._minlength is None else length_to_byte(self._minlength))
        out.append(length_to_byte(self._maxlength))
        for value, isfloat in ((weight, wfloat), (top, tfloat)):
            if isfloat:
                out += _FLOAT_BYTES.pack(value)
            else:
                _put(out, int(value))
        return bytes(out)

    @classmethod
    def from_bytes(cls, s: bytes) -> CompactTermInfo:
        info = cls()
        try:
            flags = s[0]
            info._df, at = _get(s, 1)
            minid, at = _get(s, at)
            span, at = _get(s, at)
            info._offset, at = _get(s, at)
            info._length, at = _get(s, at)
            info._minlength = None if flags & 4 else byte_to_length(s[at])
            info._maxlength = byte_to_length(s[at + 1])
            at += 2
            values = []
            for bit in (1, 2):
                if flags & bit:
                    values.append(_FLOAT_BYTES.unpack_from(s, at)[0])
                    at += 4
                else:
                    whole, at = _get(s, at)
                    values.append(float(whole))
        except (IndexError, struct.error):
            raise DamagedPostings("damaged term statistics") from None
        info._weight, info._maxweight = values
        info._minid, info._maxid = minid, minid + span
        return info


class CompactCursor(W3FieldCursor):  # type: ignore[misc]
    def term_info(self) -> CompactTermInfo | None:
        if self._pos is None:
            return None
        return CompactTermInfo.from_bytes(self._tindex.dbfile.get(self._datapos, self._datalen))


class CompactTermsReader(W3TermsReader):  # type: ignore[misc]
    """W3's term table, its values :class:`CompactTermInfo`."""

    def cursor(self, fieldname: str, fieldobj: Any) -> CompactCursor:
        return CompactCursor(self._tindex, fieldname, self._keycoder, self._keydecoder, fieldobj)

    def items(self) -> Any:
        decode, info = self._keydecoder, CompactTermInfo.from_bytes
        return ((decode(k), info(v)) for k, v in self._tindex.items())

    def items_from(self, fieldname: str, prefix: bytes) -> Any:
        decode, info = self._keydecoder, CompactTermInfo.from_bytes
        start = self._keycoder(fieldname, prefix)
        return ((decode(k), info(v)) for k, v in self._tindex.items_from(start))

    def term_info(self, fieldname: str, tbytes: bytes) -> CompactTermInfo:
        try:
            return CompactTermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}") from None

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        key = self._keycoder(fieldname, tbytes)
        return float(CompactTermInfo.from_bytes(self._tindex[key]).weight())

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        key = self._keycoder(fieldname, tbytes)
        return int(CompactTermInfo.from_bytes(self._tindex[key]).doc_frequency())


class CompactFieldWriter(W3FieldWriter):  # type: ignore[misc]
    """W3's field writer writing :class:`CompactCodec` blocks, a whole
    posting list at a time (:meth:`add_list`); Whoosh's posting-at-a-time
    calls (merging segments) are gathered into lists."""

    def start_term(self, btext: bytes) -> None:
        self._btext = btext
        self._pending: tuple[list[int], list[float], list[bytes], list[int]] = ([], [], [], [])

    def add(self, docnum: int, weight: float, vbytes: bytes, length: int) -> None:
        ids, weights, values, lengths = self._pending
        ids.append(docnum)
        weights.append(weight)
        values.append(vbytes or b"")
        lengths.append(length or 0)

    def finish_term(self) -> None:
        self.add_list(self._btext, *self._pending)

    def add_list(
        self, btext: bytes, ids: Any, weights: Any, values: list[bytes], lengths: Any
    ) -> None:
        """Write the posting list of the term ``btext`` of the current field."""
        postfile = self._postfile
        start = postfile.tell()
        n = len(ids)
        for i in range(0, n, BLOCK):
            j = min(n, i + BLOCK)
            postfile.write(encode_block(ids[i:j], weights[i:j], values[i:j], lengths[i:j], j == n))
        info = CompactTermInfo()
        info._weight = float(sum(weights))
        info._df = n
        info._minlength = min(lengths) if n else None
        info._maxlength = max(lengths) if n else 0
        info._maxweight = float(max(weights)) if n else 0
        info._minid = ids[0] if n else None
        info._maxid = ids[-1] if n else 0
        info.set_extent(start, postfile.tell() - start)
        self._tindex.add(pack_ushort(self._fieldid) + btext, info.to_bytes())


class CompactLeafMatcher(W3LeafMatcher):  # type: ignore[misc]
    """W3's matcher over :class:`CompactCodec` blocks."""

    _data: Any
    _ids: Any
    _weights: Any
    _values: Any

    def _read_header(self) -> None:
        self._baseoffset = self._startoffset
        self._end = self._startoffset + self._length

    def _goto(self, position: int) -> None:
        self._data = None
        self._ids = None
        self._weights = None
        self._values = None
        self._i = 0
        end = self._end
        if position >= end:
            raise DamagedPostings(f"posting block past its list at {position}")
        head = self._postfile.get(position, min(_HEAD_MAX, end - position))
        try:
            codes = head[0]
            length, at = _get(head, 1)
            count, at = _get(head, at)
            first, at = _get(head, at)
            span, at = _get(head, at)
            mnl, mxl = head[at], head[at + 1]
            at += 2
            if codes >> 2 & 7 == _FLOAT:
                maxw = _FLOAT_BYTES.unpack_from(head, at)[0]
                at += 4
            else:
                maxw, at = _get(head, at)
        except (IndexError, struct.error):
            raise DamagedPostings(f"damaged posting block at {position}") from None
        self._lastblock = bool(codes & 0x80)
        self._dataoffset = position + at
        self._nextoffset = self._dataoffset + length
        if not count or self._nextoffset > end:
            raise DamagedPostings(f"damaged posting block at {position}")
        self._blocklength = count
        self._firstid = first
        self._maxid = first + span
        self._maxweight = float(maxw)
        self._compression = 0
        self._codes = codes
        self._minlength = byte_to_length(mnl)
        self._maxlength = byte_to_length(mxl)

    def block_min_id(self) -> int:
        return int(self._firstid)

    def _read_data(self) -> None:
        n = self._blocklength
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        codes = self._codes
        at = 0
        ids = array(_SIZES[codes & 3])
        size = ids.itemsize * (n - 1)
        ids.frombytes(data[:size])
        at = size
        self._ids = list(accumulate(ids, initial=self._firstid))
        wc = codes >> 2 & 7
        if wc == _ONES:
            self._weights = [1.0] * n
        else:
            weights = array("f" if wc == _FLOAT else _SIZES[wc])
            size = weights.itemsize * n
            weights.frombytes(data[at : at + size])
            at += size
            self._weights = [float(w) for w in weights] if wc != _FLOAT else weights
        vc = codes >> 5 & 3
        if vc == _NONE:
            self._values = (None if self._fixedsize == 0 else b"",) * n
        else:
            sizes = array(_SIZES[vc])
            size = sizes.itemsize * n
            sizes.frombytes(data[at : at + size])
            at += size
            ends = list(accumulate(sizes, initial=at))
            self._values = [data[a:b] for a, b in pairwise(ends)]
            at = ends[-1]
        if at != len(data) or self._ids[-1] != self._maxid:
            raise DamagedPostings(f"damaged posting block at {self._dataoffset}")
        self._data = True

    def _read_ids(self) -> None:
        self._read_data()

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()


class CompactCodec(W3Codec):  # type: ignore[misc]
    """Whoosh's W3 codec with :class:`CompactFieldWriter` and
    :class:`CompactLeafMatcher` posting blocks."""

    def field_writer(self, storage: Any, segment: Any) -> CompactFieldWriter:
        return CompactFieldWriter(self, storage, segment)

    def terms_reader(self, storage: Any, segment: Any) -> CompactTermsReader:
        name = segment.make_filename(self.TERMS_EXT)
        length = storage.file_length(name)
        terms = storage.open_file(name)
        postings = segment.open_file(storage, self.POSTS_EXT)
        return CompactTermsReader(self, terms, length, postings)

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return ListMatcher(
                ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo
            )
        offset, length = terminfo.extent()
        if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves it unpacked
            length = length[0]
        return CompactLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class _Field:
    """One field's postings in memory, in the order they were added."""

    __slots__ = ("doc", "terms", "tid", "values", "vend", "weight")

    def __init__(self) -> None:
        self.terms: dict[bytes, int] = {}
        self.tid = array("I")
        self.doc = array("I")
        self.weight = array("f")
        self.vend = array("I")
        self.values = bytearray()

    def add(self, term: bytes, docnum: int, weight: float, value: bytes | None) -> None:
        terms = self.terms
        number = terms.get(term)
        if number is None:
            number = terms[term] = len(terms)
        self.tid.append(number)
        self.doc.append(docnum)
        self.weight.append(weight)
        if value:
            self.values += value
        self.vend.append(len(self.values))

    def __len__(self) -> int:
        return len(self.doc)

    def write(self, writer: CompactFieldWriter, lengths: Any) -> None:
        """Every posting list, in sorted term order, through ``writer``."""
        terms = sorted(self.terms)
        number = self.terms
        rank = array("I", bytes(4 * len(terms)))
        for r, term in enumerate(terms):
            rank[number[term]] = r
        counts = array("I", bytes(4 * (len(terms) + 1)))
        tid = self.tid
        for t in tid:
            counts[rank[t] + 1] += 1
        starts = array("I", accumulate(counts))
        fill = array("I", starts)
        order = array("I", bytes(4 * len(tid)))
        for i, t in enumerate(tid):
            r = rank[t]
            order[fill[r]] = i
            fill[r] += 1
        doc, weight, vend, values = self.doc, self.weight, self.vend, bytes(self.values)
        for r, term in enumerate(terms):
            picked = order[starts[r] : starts[r + 1]]
            ids = [doc[i] for i in picked]
            vals = [values[(vend[i - 1] if i else 0) : vend[i]] for i in picked]
            writer.add_list(term, ids, [weight[i] for i in picked], vals, [lengths[d] for d in ids])


class BatchWriter(SegmentWriter):  # type: ignore[misc]
    """A segment writer with its postings in memory (see the module's text),
    writing :class:`CompactCodec` segments. ``postings`` is how many it
    holds, by which a caller decides when to start another segment."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compound", False)
        super().__init__(ix, codec=CompactCodec(), **kwargs)
        self._fields: dict[str, _Field] = {}
        self.postings = 0

    def _posting(self, fieldname: str) -> _Field:
        field = self._fields.get(fieldname)
        if field is None:
            field = self._fields[fieldname] = _Field()
        return field

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    postings = self._posting(name)
                    terms, tid, values = postings.terms, postings.tid, postings.values
                    count = len(tid)
                    for tbytes, freq, weight, vbytes in field.index(value):
                        length += freq
                        number = terms.get(tbytes)
                        if number is None:
                            number = terms[tbytes] = len(terms)
                        tid.append(number)
                        postings.weight.append(weight)
                        if vbytes:
                            values += vbytes
                        postings.vend.append(len(values))
                    added = len(tid) - count
                    postings.doc.extend([docnum] * added)
                    self.postings += added
                    if not field.scorable:
                        length = 0
                stored = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    perdoc.add_column_value(name, column, field.to_column_value(stored))
        except ValueError:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def add_postings_to_pool(self, reader: Any, startdoc: int, docmap: Any) -> None:
        # a merged segment's postings (Whoosh's MERGE_SMALL) join this one's
        for fieldname, text, docnum, weight, vbytes in self._process_posts(
            reader.iter_postings(), startdoc, docmap
        ):
            self._posting(fieldname).add(text, docnum, weight, vbytes)
            self.postings += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader()
        writer = self.fieldwriter
        try:
            for fieldname in sorted(self._fields):
                postings = self._fields[fieldname]
                if not len(postings):
                    continue
                fieldobj = self.schema[fieldname]
                lengths = array("I", bytes(4 * self.docnum))
                if fieldobj.scorable:
                    for d in range(self.docnum):
                        lengths[d] = pdr.doc_field_length(d, fieldname) or 0
                writer.start_field(fieldname, fieldobj)
                postings.write(writer, lengths)
                writer.finish_field()
                del self._fields[fieldname]
        finally:
            pdr.close()
        writer.close()
