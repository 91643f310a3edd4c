"""The index's segment writer: postings held in memory, written a whole list
at a time.

:class:`BatchWriter` is a ``SegmentWriter`` that keeps a segment's postings in
memory in flat arrays (per field: a term number, a document number, a weight
and the end of the encoded value of each posting, the values in one
``bytearray``) instead of sending each posting through Whoosh's pool, its
pickled run files and their sort. At commit the postings are grouped by term
in sorted term order (a counting sort) and each term's whole list goes to the
field writer of :class:`~syrsearch.engine.postings.CompactCodec` at once.

Kept apart from the codec: a reader unpickles the codec with each segment, and
a query must not load Whoosh's writing code.
"""

from __future__ import annotations

from array import array
from itertools import accumulate
from typing import Any

from whoosh.writing import SegmentWriter

from .postings import CompactCodec, CompactFieldWriter


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
