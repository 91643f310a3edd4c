"""The index's own postings, stored as packed arrays.

:class:`CompactCodec` is Whoosh's W3 codec (an extension point, used as Whoosh
means it to be) with posting blocks made of packed integer arrays instead of
zlib-compressed pickles: a fixed header (its length, the number of postings,
first and last document, highest weight, shortest and longest field, and the
item size of each array), then the document-number deltas, the weights (whole
numbers as integers), and the values' lengths and bytes. A block is decoded
with ``array`` in one step. Each term's statistics in the term table are
varints (:class:`CompactTermInfo`); the table itself, the stored fields and the
columns stay Whoosh's own. The writer that fills it is
:class:`syrsearch.engine.writer.BatchWriter`.

An index written so reads through Whoosh's ordinary searcher, queries and
scorers: the segment records its codec, and the codec its matcher.
"""

from __future__ import annotations

import mmap
import struct
from array import array
from collections.abc import Iterator, Sequence
from itertools import accumulate, pairwise
from typing import Any

from whoosh import matching
from whoosh.codec.whoosh3 import (
    W3Codec,
    W3FieldCursor,
    W3FieldWriter,
    W3LeafMatcher,
    W3TermInfo,
    W3TermsReader,
)
from whoosh.filedb.structfile import StructFile
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

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
_SLOT = struct.Struct("!Iq")
_ITEM = struct.Struct("!ii")
"""A hash slot (the key's hash, the item's position) and an item's head (the
key's and the value's lengths) in Whoosh's term table (``filetables``)."""
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

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        try:
            self._value(self._keycoder(*term))
        except KeyError:
            return False
        return True

    def term_info(self, fieldname: str, tbytes: bytes) -> CompactTermInfo:
        try:
            return CompactTermInfo.from_bytes(self._value(self._keycoder(fieldname, tbytes)))
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}") from None

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        key = self._keycoder(fieldname, tbytes)
        return float(CompactTermInfo.from_bytes(self._value(key)).weight())

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        value = self._value(self._keycoder(fieldname, tbytes))
        try:  # the first varint after the flags (CompactTermInfo.to_bytes)
            return _get(value, 1)[0]
        except IndexError:
            raise DamagedPostings("damaged term statistics") from None

    def doc_frequencies(
        self,
        fieldname: str,
        terms: Sequence[bytes],
        hashes: dict[tuple[int, bytes], list[int]],
    ) -> list[int]:
        """The document frequency of each of ``terms`` in ``fieldname`` (0
        where absent), in one loop; ``hashes`` keeps the keys' hashes (by
        hash function and field prefix) for the next segment's table."""
        number = self._fieldmap.get(fieldname)
        if number is None:  # no document of this segment has the field
            return [0] * len(terms)
        prefix, table = pack_ushort(number), self._tindex
        f = table.dbfile
        if not isinstance(f, _MappedFile):
            find = self._find
            try:
                return [0 if (v := find(prefix + t)) is None else _get(v, 1)[0] for t in terms]
            except IndexError:
                raise DamagedPostings("damaged term statistics") from None
        known = hashes.get((table.hashtype, prefix))
        if known is None:
            hashfn = table.hashfn
            known = hashes[table.hashtype, prefix] = [hashfn(prefix + t) for t in terms]
        return self._frequencies(f.file, table.tables, prefix, terms, known)

    @staticmethod
    def _frequencies(
        view: Any, tables: Any, prefix: bytes, terms: Sequence[bytes], hashes: list[int]
    ) -> list[int]:
        """The document frequency of each of ``terms``, with its hash given,
        read from the value :func:`_probe` finds."""
        out = []
        try:
            for term, h in zip(terms, hashes, strict=True):
                found = _probe(view, tables, prefix + term, h)
                if found is None:
                    out.append(0)
                    continue
                at, length = found
                if length < 2:
                    raise IndexError
                df = view[at + 1]  # the first varint after the flags
                out.append(df if df < 0x80 else _get(view[at : at + length], 1)[0])
        except IndexError:
            raise DamagedPostings("damaged term statistics") from None
        return out

    def _value(self, key: bytes) -> bytes:
        value = self._find(key)
        if value is None:
            raise KeyError(key)
        return value

    def _find(self, key: bytes) -> bytes | None:
        """The term table's value for ``key``, or None (:func:`_probe` where
        the table is mapped)."""
        table = self._tindex
        f = table.dbfile
        if not isinstance(f, _MappedFile):
            return table.get(key)  # type: ignore[no-any-return]
        view = f.file
        found = _probe(view, table.tables, key, table.hashfn(key))
        if found is None:
            return None
        at, length = found
        return bytes(view[at : at + length])


def _probe(view: Any, tables: Any, key: bytes, h: int) -> tuple[int, int] | None:
    """Where the value of ``key`` (of hash ``h``) starts in a mapped term
    table, and its length; None if the table has no such key: Whoosh's
    hash-table probe (:meth:`whoosh.filedb.filetables.HashReader.ranges_for_key`)
    in one loop."""
    start, slots = tables[h & 255]
    if not slots:
        return None
    size = _SLOT.size
    end = start + slots * size
    pos = start + ((h >> 8) % slots) * size
    try:
        for _ in range(slots):
            slot_hash, item = _SLOT.unpack_from(view, pos)
            if not item:
                return None
            if slot_hash == h:
                key_length, value_length = _ITEM.unpack_from(view, item)
                at = item + _ITEM.size
                if key_length == len(key) and view[at : at + key_length] == key:
                    return at + key_length, value_length
            pos += size
            if pos == end:
                pos = start
    except struct.error:
        raise DamagedPostings("damaged term table") from None
    return None


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
    _value_parts: tuple[bytes, int, Any]

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
        else:  # the values are cut out of the block only if asked for (a phrase)
            sizes = array(_SIZES[vc])
            size = sizes.itemsize * n
            sizes.frombytes(data[at : at + size])
            at += size
            self._value_parts = (data, at, sizes)
            at += sum(sizes)
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
        if self._values is None:
            data, at, sizes = self._value_parts
            ends = list(accumulate(sizes, initial=at))
            self._values = [data[a:b] for a, b in pairwise(ends)]

    def block_ids(self) -> list[int]:
        """The ids from the current posting to the end of its block."""
        if self._data is None:
            self._read_data()
        i = self._i
        return self._ids[i:] if i else self._ids  # type: ignore[no-any-return]

    def block_weights(self) -> Sequence[float]:
        """The weights from the current posting to the end of its block."""
        if self._data is None:
            self._read_data()
        i = self._i
        return self._weights[i:] if i else self._weights  # type: ignore[no-any-return]

    def block_values(self) -> list[bytes]:
        """The values (encoded positions) from the current posting to the
        end of its block."""
        self._read_values()
        i = self._i
        return self._values[i:] if i else self._values  # type: ignore[no-any-return]

    def next_block(self) -> None:
        """Moves to the first posting of the next block (or to the end)."""
        self._next_block()

    def ids_left(self) -> Iterator[list[int]]:
        """The ids from the current posting to the end, a block at a time
        (which uses the matcher up)."""
        while self.is_active():
            yield self.block_ids()
            self._next_block()

    def postings_left(self) -> Iterator[tuple[list[int], Sequence[float]]]:
        """The ids and weights from the current posting to the end, a block
        at a time (which uses the matcher up): for reading a whole list
        without a call per posting."""
        while self.is_active():
            if self._data is None:
                self._read_data()
            i = self._i
            yield (self._ids[i:], self._weights[i:]) if i else (self._ids, self._weights)
            self._next_block()


def unwrapped(m: Any) -> tuple[Any, list[float], frozenset[int] | set[int]]:
    """``m`` without Whoosh's wrappers of a boost and of a segment's
    deletions: the matcher inside, the wrappers' boosts (outermost first) and
    the deleted documents (which the matcher inside still gives)."""
    boosts: list[float] = []
    deleted: frozenset[int] | set[int] | None = None
    while True:
        if type(m) is matching.WrappingMatcher:
            boosts.append(m.boost)
        elif type(m) is matching.FilterMatcher and m._exclude and deleted is None:
            deleted = m._ids
            boosts.append(m.boost)
        else:
            return m, boosts, frozenset() if deleted is None else deleted
        m = m.child


class _MappedFile(StructFile):  # type: ignore[misc]
    """A file read through a memory map: a read at a position is a slice,
    not a seek and a read (a term look-up makes several)."""

    def get(self, position: int, length: int) -> bytes:
        return self.file[position : position + length]  # type: ignore[no-any-return]


def _mapped(f: Any) -> Any:
    """``f`` read through a memory map where it can be (a real, non-empty
    file), else ``f``. The map outlives the file's name: a segment a writer
    deletes stays readable to the reader that has it open."""
    if not getattr(f, "is_real", False):
        return f
    try:
        view = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # an empty file, or one that cannot be mapped
        return f
    f.close()
    return _MappedFile(view, name=getattr(f, "_name", None))


class CompactCodec(W3Codec):  # type: ignore[misc]
    """Whoosh's W3 codec with :class:`CompactFieldWriter` and
    :class:`CompactLeafMatcher` posting blocks."""

    def field_writer(self, storage: Any, segment: Any) -> CompactFieldWriter:
        return CompactFieldWriter(self, storage, segment)

    def terms_reader(self, storage: Any, segment: Any) -> CompactTermsReader:
        name = segment.make_filename(self.TERMS_EXT)
        length = storage.file_length(name)
        terms = _mapped(storage.open_file(name))
        postings = _mapped(segment.open_file(storage, self.POSTS_EXT))
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
