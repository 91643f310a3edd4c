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
  The term table, the stored fields and the columns stay Whoosh's own.

An index written so reads through Whoosh's ordinary searcher, queries and
scorers: the segment records its codec, and the codec its matcher.
"""

from __future__ import annotations

import struct
from array import array
from itertools import accumulate
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3LeafMatcher, W3TermInfo
from whoosh.matching import ListMatcher
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

BLOCK = 128
"""Postings in a block."""
_HEAD = struct.Struct("<iHIIfBBB")
"""A block's header: data length, postings, first id, last id, highest
weight, shortest and longest field (Whoosh's length bytes), and a byte of
flags: the item-size codes of the id, weight and value-length arrays, and
whether this is the term's last block."""
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
    deltas = [b - a for a, b in zip(ids, ids[1:])]
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
    head = _HEAD.pack(
        len(data), n, first, ids[-1], float(top),
        length_to_byte(lmin), length_to_byte(lmax), idc | wc << 2 | vc << 5 | last << 7,
    )  # fmt: skip
    return head + data


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
            postfile.write(
                encode_block(ids[i:j], weights[i:j], values[i:j], lengths[i:j], j == n)
            )
        info = W3TermInfo()
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

    def _read_header(self) -> None:
        self._baseoffset = self._startoffset
        self._end = self._startoffset + self._length

    def _goto(self, position: int) -> None:
        self._data = None
        self._ids = None
        self._weights = None
        self._values = None
        self._i = 0
        if position + _HEAD.size > self._end:
            raise DamagedPostings(f"posting block past its list at {position}")
        length, count, first, last, maxw, mnl, mxl, codes = _HEAD.unpack(
            self._postfile.get(position, _HEAD.size)
        )
        self._lastblock = bool(codes & 0x80)
        self._dataoffset = position + _HEAD.size
        self._nextoffset = self._dataoffset + length
        if length < 0 or not count or last < first or self._nextoffset > self._end:
            raise DamagedPostings(f"damaged posting block at {position}")
        self._blocklength = count
        self._firstid = first
        self._maxid = last
        self._maxweight = maxw
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
            self._values = [data[a:b] for a, b in zip(ends, ends[1:])]
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

    __slots__ = ("terms", "tid", "doc", "weight", "vend", "values")

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
            writer.add_list(
                term, ids, [weight[i] for i in picked], vals, [lengths[d] for d in ids]
            )


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
                    add = self._posting(name).add
                    scorable = field.scorable
                    count = 0
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if scorable:
                            length += freq
                        add(tbytes, docnum, weight, vbytes)
                        count += 1
                    self.postings += count
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
                        lengths[d] = pdr.doc_field_length(d, fieldname)
                writer.start_field(fieldname, fieldobj)
                postings.write(writer, lengths)
                writer.finish_field()
                del self._fields[fieldname]
        finally:
            pdr.close()
        writer.close()
