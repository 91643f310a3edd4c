"""Query translation: from what the user typed to a Whoosh query.

:func:`~syrsearch.engine.query.parse.parse` reads the syntax; :func:`build_query`
walks the tree and turns each raw word into index terms with the same
:func:`~syrsearch.text.words.words` that built the index
(:class:`~syrsearch.engine.query.terms.WordTerms`), under the rules of the
query's mode (:mod:`~syrsearch.engine.query.strategy`):

* two adjacent words whose closed form is in the index (``cease fire``) also
  match that form (``ceasefire``);
* an unfielded word searches title and body, the title boosted;
* an unknown field name is searched as a word, with a notice;
* a word or phrase of an alias group (:mod:`syrsearch.text.aliases`) matches
  every member of the group, scored as one concept: each member weighs the
  inverse document frequency of the whole group, and an article counts its
  best member only (so a rare spelling does not outweigh the common one);
* anything the parser cannot place is searched as plain words, never an error.

It returns the query with its :class:`~syrsearch.model.Explanation`: each
word and the terms it became, and the notices.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from whoosh import query as wq
from whoosh.reading import TermNotFound

from ...errors import QueryError
from ...model import DEFAULT_MAX_EXPANSIONS, Explanation, Match
from ...text.aliases import Aliases, Member
from ...text.lang import DEFAULT_LANG
from ...text.stopwords import STOP_WORDS
from ...text.words import CAPS, EXACT, Word, normalize, stem, stems, words
from .. import ranking  # a module: ranking imports query.bounds, so not a name of it
from ..lexicon import Lexicon
from ..phrases import BulkPhrase
from ..schema import NAMES_FIELD, SEARCH_FIELDS
from .bounds import (
    MAX_BOOST,
    MAX_CLAUSES,
    MAX_DEPTH,
    MAX_FUZZY_DISTANCE,
    MAX_FUZZY_EXPANSIONS,
    MAX_PHRASES,
    MAX_SLOP,
    MIN_FUZZY_LENGTH,
    NO_DEADLINE,
    TWO_EDITS_LENGTH,
    BestOf,
    Deadline,
    Expanded,
    Expansion,
    Scored,
    clamped_boost,
    fuzzy_distance,
    fuzzy_terms,
    pattern_terms,
    walk,
)
from .parse import DEFAULT_FIELD, WordsOr, parse
from .strategy import AllWords, strategy
from .terms import WordTerms

MAX_PHRASE_VARIANTS = 16
"""A phrase is searched in at most this many spellings (closed and split compounds)."""
TITLE_WORDS = 2
"""A query of this many words or more may be a pasted title (see :attr:`Translation.title`)."""
TITLE_WORDS_MOST = 40
"""A query of more words is not a title (and a pasted page is not searched as a phrase)."""


@dataclass(slots=True)
class Translation:
    """A translated query, its any-word groups, and how it was read."""

    query: Any
    groups: list[Any] = field(default_factory=list)  # an any-word query's words
    title: Any = None  # the query's words as a phrase in the title (a pasted title)
    words: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def explanation(self) -> Explanation:
        return Explanation(repr(self.query), tuple(self.words), tuple(self.notices))


class _Translator:
    """Walks a parsed query, node by node, into index terms."""

    def __init__(
        self,
        lexicon: Lexicon,
        fields: Sequence[str],
        mode: AllWords,
        max_expansions: int = DEFAULT_MAX_EXPANSIONS,
        deadline: Deadline = NO_DEADLINE,
        langs: Sequence[str] = (DEFAULT_LANG,),
        aliases: Aliases | None = None,
    ) -> None:
        self.deadline = deadline
        self.lexicon = lexicon
        self.fields = tuple(fields)
        self.mode = mode
        self.terms = WordTerms(lexicon, mode, langs)
        self.langs = self.terms.langs
        self.aliases = aliases or Aliases()
        self.max_expansions = max(1, max_expansions)
        self.expanded = 0  # terms the query's patterns stand for so far, against max_expansions
        self.phrases = 0  # phrase clauses so far, against MAX_PHRASES
        self.out = Translation(wq.NullQuery)
        self.pasted = False  # an any-word query: pasted text, not query syntax
        self._unknown_fields: list[str] = []

    def notice_once(self, text: str) -> None:
        if text not in self.out.notices:
            self.out.notices.append(text)

    def _note_words(self, raw: str, ws: Iterable[Word], fields: Sequence[str] = ()) -> None:
        for w in ws:
            self.out.words.append((raw[w.start : w.end], self.terms.forms(w, fields)))

    # -- tree walk -----------------------------------------------------------
    def fields_for(self, fieldname: str | None) -> tuple[str, ...] | None:
        if fieldname in (None, DEFAULT_FIELD):
            return self.fields
        if fieldname in self.fields:
            return (fieldname,)
        return None

    def resolve(self, fieldname: str | None, text: str) -> tuple[tuple[str, ...], str]:
        """Fields to search and the text to search in them; an unknown field
        name is searched as a word of the text, with a notice."""
        fields = self.fields_for(fieldname)
        if fields is not None:
            return fields, text
        # Field names are lower case: "CD:UK" in a pasted title is a word, and
        # an any-word query (pasted text) is never told about fields.
        if not self.pasted and fieldname is not None and fieldname.islower():
            self._note_unknown_field(fieldname)
        return self.fields, f"{fieldname}:{text}"

    def _note_unknown_field(self, fieldname: str) -> None:
        """One notice for all the unknown field names of a query (pasted text
        may have dozens of ``word:``)."""
        old = self._notice_of_fields()
        if fieldname not in self._unknown_fields:
            self._unknown_fields.append(fieldname)
        new = self._notice_of_fields()
        if old in self.out.notices:
            self.out.notices[self.out.notices.index(old)] = new
        else:
            self.out.notices.append(new)

    def _notice_of_fields(self) -> str:
        names = self._unknown_fields
        fields = ", ".join(self.fields)
        if len(names) == 1:
            return f"unknown field '{names[0]}' searched as text (fields: {fields})"
        shown = ", ".join(f"'{n}'" for n in names[:3]) + (", ..." if len(names) > 3 else "")
        return f"{len(names)} unknown fields ({shown}) searched as text (fields: {fields})"

    def per_field(self, fields: Sequence[str], make: Any, boost: float = 1.0) -> Any:
        parts = []
        for f in fields:
            q = make(f)
            if q is None:
                continue
            if f == "title" and len(fields) > 1 and self.mode.title_boost != 1.0:
                q = _boosted(q, self.mode.title_boost)
            parts.append(q)
        if not parts:
            return None
        q = parts[0] if len(parts) == 1 else wq.Or(parts)
        return _boosted(q, boost) if boost != 1.0 else q

    def translate(self, node: Any) -> Any:
        if isinstance(node, wq.Phrase):
            slop = node.slop
            if slop > MAX_SLOP:
                self.notice_once(f"phrase slop ~{slop} read as ~{MAX_SLOP} (the most)")
                slop = MAX_SLOP
            return self.phrase(node.fieldname, node.words, slop, node.boost)
        if isinstance(node, wq.FuzzyTerm):
            return self.fuzzy(node)
        if isinstance(node, wq.Prefix | wq.Wildcard):
            return self.pattern(node)
        if isinstance(node, wq.Term):
            return self.term(node.fieldname, node.text, node.boost)
        if isinstance(node, wq.Not):
            inner = self.translate(node.query)
            return None if inner is None else wq.Not(inner)
        if isinstance(node, wq.And):
            return self.group(wq.And, self._joined(node.subqueries), node.boost)
        if isinstance(node, WordsOr):
            joined = self._joined(self._content_words(node.subqueries))
            return self.group(_any_of, joined, node.boost)
        if isinstance(node, wq.Or):
            return self.group(wq.Or, list(node.subqueries), node.boost)
        if isinstance(node, wq.TermRange):
            text = " ".join(t for t in (node.start, node.end) if t)
            return self.term(node.fieldname, text, node.boost)
        if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
            return None
        if hasattr(node, "subqueries"):
            return self.group(wq.Or, list(node.subqueries), getattr(node, "boost", 1.0))
        return None

    def group(self, cls: Any, children: list[Any], boost: float) -> Any:
        out = []
        for child in children:
            q = child.query if isinstance(child, _Done) else self.translate(child)
            if q is not None:
                out.append(q)
        if not out:
            return None
        q = out[0] if len(out) == 1 else cls(out)
        return _boosted(q, boost) if boost != 1.0 else q

    def _content_words(self, children: Sequence[Any]) -> list[Any]:
        """The words of an any-word group less its stop words, unless that
        would leave none (``the who``)."""
        children = [_question_marks_dropped(c) for c in children]
        kept = [c for c in children if not _is_stop_word(c)]
        if not kept:
            return list(children)
        for c in dict.fromkeys(c.text for c in children if _is_stop_word(c)):
            self.out.words.append((c, ()))
        return _counted(kept)

    def _joined(self, children: Sequence[Any]) -> list[Any]:
        """Pair adjacent plain words whose closed form is indexed (cease fire),
        as the mode pairs them."""
        out: list[Any] = []
        i = 0
        while i < len(children):
            run = self._alias_run(children, i)
            if run is not None:
                out.append(_Done(run[0]))
                i += run[1]
                continue
            a = children[i]
            b = children[i + 1] if i + 1 < len(children) else None
            joined = self._join_pair(a, b) if b is not None else None
            if joined is not None:
                out.append(_Done(joined))
                i += 2
            else:
                out.append(a)
                i += 1
        return out

    def _alias_run(self, children: Sequence[Any], i: int) -> tuple[Any, int] | None:
        """The longest run of plain words from ``children[i]`` (two or more)
        that is an alias member: its group's query, and how many words."""
        if not self.aliases or self.aliases.longest < 2:
            return None
        run: list[Any] = []
        for child in children[i : i + self.aliases.longest]:
            if type(child) is not wq.Term or child.fieldname != DEFAULT_FIELD:
                break
            run.append(child)
        for n in range(len(run), 1, -1):
            text = " ".join(c.text for c in run[:n])
            ws = list(words(text))
            group = self.aliases.group_of(ws, text)
            if group is not None:
                return self._alias_query(group, self.fields, text, 1.0), n
        return None

    def _alias_query(
        self, group: tuple[Member, ...], fields: Sequence[str], text: str, boost: float
    ) -> Any:
        """Every member of ``group`` as one concept (see the module's doc)."""
        n = max(self.lexicon.doc_count(), 1)
        members: list[tuple[Any, int]] = []
        # A member is a name (searched as written) only if the query wrote
        # one: "hama" is the stem of every member, as any lower-case word.
        named = any(w.title for w in words(text))
        for m in group:
            mws = [w if named else replace(w, title=False) for w in words(m.text)]
            df = self._member_frequency(m, mws, fields)
            if not df:
                continue
            if m.caps and len(mws) == 1:
                caps = CAPS + mws[0].text
                q = self.per_field(fields, lambda f, caps=caps: wq.Term(f, caps))
            elif len(mws) == 1:
                q = self.per_field(fields, lambda f, w=mws[0]: self.terms.query(w, f, fields))
            else:
                q = self._phrase_query(fields, mws, 1, 1.0, budget=False)
            if q is not None:
                members.append((q, df))
        if not members:  # no spelling of the group is in the index
            return self._phrase_words(fields, text, list(words(text)), 1, boost, aliases=False)
        shown = " | ".join(m.text for m in group)
        self.out.words.append((text, (f"alias group: {shown}",)))
        concept = ranking.idf(n, min(n, sum(df for _, df in members)))
        parts = [_boosted(q, concept / ranking.idf(n, df)) for q, df in members]
        q = parts[0] if len(parts) == 1 else BestOf(parts)
        return _boosted(q, boost) if boost != 1.0 else q

    def _member_frequency(self, m: Member, mws: list[Word], fields: Sequence[str]) -> int:
        """About how many articles have member ``m`` (its rarest word's count)."""
        counts = []
        for w in mws:
            if m.caps and len(mws) == 1:
                terms = [CAPS + w.text]
            else:
                terms = [*self.terms.stems(w), EXACT + w.text]
                terms += [t.text for t in self.terms.name_terms(w)] if len(mws) == 1 else []
            best = 0
            for term in terms:
                for f in (*fields, NAMES_FIELD):
                    best = max(best, self.lexicon.doc_frequency(f, term))
            counts.append(best)
        return min(counts, default=0)

    def _join_pair(self, a: Any, b: Any) -> Any:
        plain = (wq.Term,)
        if not (type(a) in plain and type(b) in plain and a.fieldname == b.fieldname):
            return None
        fields = self.fields_for(a.fieldname)
        if fields is None:
            return None
        wa, wb = list(words(a.text)), list(words(b.text))
        if len(wa) != 1 or len(wb) != 1 or wa[0].parts or wb[0].parts:
            return None
        closed = wa[0].text + wb[0].text
        if not self.lexicon.in_index(stem(closed), fields):
            return None
        qa = self.term(a.fieldname, a.text, a.boost)
        qb = self.term(b.fieldname, b.text, b.boost)
        whole = self.per_field(fields, lambda f: wq.Term(f, stem(closed)))
        self.out.words.append((f"{a.text} {b.text}", (stem(closed),)))
        return self.mode.pair(qa, qb, whole)

    def term(self, fieldname: str | None, text: str, boost: float) -> Any:
        """One raw word; several if it splits (``9/11``), searched as a phrase."""
        return self.phrase(fieldname, [text], 1, boost)

    def phrase(
        self, fieldname: str | None, raw_words: Sequence[str], slop: int, boost: float
    ) -> Any:
        fields, text = self.resolve(fieldname, " ".join(raw_words))
        ws = list(words(text))
        if not ws:
            return None
        return self._phrase_words(fields, text, ws, slop, boost)

    def _phrase_words(
        self,
        fields: Sequence[str],
        text: str,
        ws: list[Word],
        slop: int,
        boost: float,
        aliases: bool = True,
    ) -> Any:
        if aliases and self.aliases:
            group = self.aliases.group_of(ws, text)
            if group is not None:
                return self._alias_query(group, fields, text, boost)
        self._note_words(text, ws, fields if len(ws) == 1 else ())
        if len(ws) == 1:
            return self.per_field(fields, lambda f: self.terms.query(ws[0], f, fields), boost)
        return self._phrase_query(fields, ws, slop, boost)

    def _phrase_query(
        self, fields: Sequence[str], ws: list[Word], slop: int, boost: float, budget: bool = True
    ) -> Any:
        """``ws`` as a phrase in each field; ``budget``: counted against
        :data:`MAX_PHRASES` (an alias group's members are one word of the
        query, and their number is bounded by the alias file)."""
        variants = self._phrase_variants(ws, fields)
        phrases = sum(len(v) > 1 for v in variants) * len(fields) if budget else 0
        left = MAX_PHRASES - self.phrases
        positions = True
        if budget and phrases > left:  # the query's budget of phrases: fewer spellings, then words
            keep = left // len(fields)
            variants, positions = (variants[:keep], True) if keep else (variants[:1], False)
            self.notice_once(
                f"a query's phrases are searched in {MAX_PHRASES} spellings in all"
                " (title and body counted apart): the later ones as their words, in any order"
            )
        if budget and positions:
            self.phrases += sum(len(v) > 1 for v in variants) * len(fields)

        def make(f: str) -> Any:
            qs = [
                wq.Term(f, v[0])
                if len(v) == 1
                else BulkPhrase(f, list(v), slop=slop)
                if positions
                else wq.And([wq.Term(f, t) for t in dict.fromkeys(v)])
                for v in variants
            ]
            return qs[0] if len(qs) == 1 else wq.Or(qs)

        return self.per_field(fields, make, boost)

    def _phrase_variants(self, ws: list[Word], fields: Sequence[str]) -> list[tuple[str, ...]]:
        """Term sequences a phrase may take, in each language searched."""
        variants: dict[tuple[str, ...], None] = {}
        for lang in self.langs:
            for v in self._lang_variants(ws, fields, lang):
                variants[v] = None
        return list(variants)[:MAX_PHRASE_VARIANTS]

    def _lang_variants(
        self, ws: list[Word], fields: Sequence[str], lang: str
    ) -> list[tuple[str, ...]]:
        """Term sequences a phrase may take in ``lang``: each compound closed or
        split, and each adjacent pair of words closed where the index knows
        that form."""

        def stem(word: str, form: str = "") -> str:
            return stems(word, lang, form)[0]

        slots: list[list[tuple[str, ...]]] = []
        i = 0
        while i < len(ws):
            w = ws[i]
            options: list[tuple[str, ...]] = [(stem(w.text, w.form),)]
            if w.parts:
                options.append(tuple(stem(p) for p in w.parts))
            nxt = ws[i + 1] if i + 1 < len(ws) else None
            if nxt is not None and not w.parts and not nxt.parts:
                closed = stem(w.text + nxt.text)
                if self.lexicon.in_index(closed, fields):
                    slots.append([(stem(w.text), stem(nxt.text)), (closed,)])
                    i += 2
                    continue
            slots.append(options)
            i += 1
        variants = []
        for combo in itertools.islice(itertools.product(*slots), MAX_PHRASE_VARIANTS):
            variants.append(tuple(t for part in combo for t in part))
        return variants

    def pattern(self, node: Any) -> Any:
        fields = self.fields_for(node.fieldname)
        if fields is None:
            return self.term(node.fieldname, node.text, node.boost)
        text = normalize(node.text)
        if not text.strip("*?"):
            return None
        prefix = type(node) is wq.Prefix
        shown = text + ("*" if prefix else "")
        found = self._expand_fields(
            fields,
            lambda f, cap: pattern_terms(
                self.lexicon, f, text, prefix=prefix, cap=cap, deadline=self.deadline
            ),
        )
        self._note_expansion(node.text + ("*" if prefix else ""), found)
        self.out.words.append((node.text, (shown,)))
        return self.per_field(
            fields, lambda f: _any_term(f, found[f], text, constant=True), node.boost
        )

    def fuzzy(self, node: Any) -> Any:
        fields = self.fields_for(node.fieldname)
        ws = list(words(node.text))
        if fields is None or len(ws) != 1:
            return self.term(node.fieldname, node.text, node.boost)
        target = stem(ws[0].text)
        maxdist = node.maxdist
        if maxdist > MAX_FUZZY_DISTANCE:
            self.notice_once(
                f"'{node.text}~{maxdist}' read as '{node.text}~{MAX_FUZZY_DISTANCE}'"
                f" (at most {MAX_FUZZY_DISTANCE} edits)"
            )
            maxdist = MAX_FUZZY_DISTANCE
        allowed = fuzzy_distance(ws[0].text, maxdist)
        if allowed < maxdist:
            shown = f"'{node.text}~{allowed}'" if allowed else f"'{node.text}'"
            self.notice_once(
                f"'{node.text}~{maxdist}' read as {shown} (a fuzzy word needs"
                f" {MIN_FUZZY_LENGTH} letters, two edits {TWO_EDITS_LENGTH})"
            )
            maxdist = allowed
            if not maxdist:
                return self.term(node.fieldname, node.text, node.boost)
        found = self._expand_fields(
            fields, lambda f, cap: fuzzy_terms(self.lexicon, f, target, maxdist, 1, cap)
        )
        self._note_expansion(f"{node.text}~{maxdist}", found, fuzzy=True)
        self.out.words.append((node.text, (f"{target}~{maxdist}",)))
        return self.per_field(fields, lambda f: _any_term(f, found[f], target), node.boost)

    def _expand_fields(
        self, fields: Sequence[str], expand: Callable[[str, int], Expansion]
    ) -> dict[str, Expansion]:
        """``expand`` in each field, the fields sharing what the query's
        budget of expansions has left; each field's terms count against it."""
        share = max(1, (self.max_expansions - self.expanded) // len(fields))
        found = {}
        for f in fields:
            found[f] = expand(f, share)
            self.expanded += len(found[f].terms)
        return found

    def _note_expansion(self, shown: str, found: dict[str, Expansion], fuzzy: bool = False) -> None:
        matched = max(e.matched for e in found.values())
        kept = max(len(e.terms) for e in found.values())
        if fuzzy and matched > kept == MAX_FUZZY_EXPANSIONS:
            self.notice_once(
                f"'{shown}' is near {matched:,} index terms: searched the closest {kept:,}"
                f" (a fuzzy word stands for {MAX_FUZZY_EXPANSIONS} terms at most)"
            )
        elif matched > kept:
            self.notice_once(
                f"'{shown}' matches {matched:,} index terms: searched the first {kept:,}"
                f" (a query's patterns stand for {self.max_expansions:,} terms in all;"
                " --max-expansions N for more)"
            )


def _any_term(fieldname: str, found: Expansion, text: str, *, constant: bool = False) -> Any:
    """Any of the terms a pattern expanded to (``constant``: each match
    scoring the same); none matched: a term no article has (the pattern
    itself), so the word still counts in an AND."""
    if not found.terms:
        return wq.Term(fieldname, text)
    qs = [wq.Term(fieldname, t) for t in found.terms]
    q = qs[0] if len(qs) == 1 and not constant else wq.Or(qs)
    return Expanded(q) if constant else q


def _any_of(children: list[Any]) -> Any:
    """Any of ``children``; a NOT among them excludes (in an OR it would
    match every article without the word)."""
    nots = [c.query for c in children if isinstance(c, wq.Not)]
    rest = [c for c in children if not isinstance(c, wq.Not)]
    if not nots:
        return wq.Or(children)
    if not rest:
        return wq.And(children)  # none of them (see _with_positive)
    return wq.AndNot(rest[0] if len(rest) == 1 else wq.Or(rest), wq.Or(nots))


@dataclass(frozen=True, slots=True)
class _Done:
    """A child already translated (so the group walk does not translate it twice)."""

    query: Any


def _counted(children: list[Any]) -> list[Any]:
    """Each plain word once, weighted by how often the query has it."""
    counts: dict[Any, int] = {}
    for c in children:
        key = _word_key(c)
        counts[key] = counts.get(key, 0) + 1
    out = []
    for c in children:
        n = counts.pop(_word_key(c), 0)
        if n:
            out.append(c.with_boost(c.boost * n) if n > 1 else c)
    return out


def _word_key(node: Any) -> Any:
    if type(node) is wq.Term:
        return (node.fieldname, tuple(w.text for w in words(node.text)), node.boost)
    return node


def _question_marks_dropped(node: Any) -> Any:
    """In pasted text, ``?slip?`` is a word between question marks, not a wildcard."""
    if type(node) is wq.Wildcard and "*" not in node.text:
        text = node.text.strip("?")
        if text and "?" not in text:
            return wq.Term(node.fieldname, text, boost=node.boost)
    return node


def _is_stop_word(node: Any) -> bool:
    """A plain word of the query, not in capitals, that is a stop word."""
    if type(node) is not wq.Term or node.fieldname != DEFAULT_FIELD:
        return False
    ws = list(words(node.text))
    return bool(ws) and all(not w.caps and w.text in STOP_WORDS for w in ws)


def _with_positive(q: Any) -> Any:
    """A query of only NOT parts matches everything else: give it that base."""
    children = list(q.subqueries) if isinstance(q, wq.And) else [q]
    if all(isinstance(c, wq.Not) for c in children):
        return wq.And([wq.Every(), *children])
    return q


def _boosted(q: Any, boost: float) -> Any:
    q = q.copy() if hasattr(q, "copy") else q
    q.boost = getattr(q, "boost", 1.0) * boost
    return q


def build_query(
    text: str,
    lexicon: Lexicon,
    fields: Sequence[str] = SEARCH_FIELDS,
    *,
    any_word: bool = False,
    max_expansions: int = DEFAULT_MAX_EXPANSIONS,
    deadline: Deadline = NO_DEADLINE,
    langs: Sequence[str] | None = None,
    aliases: Aliases | None = None,
) -> Translation:
    """Translate a user query into a Whoosh query over ``fields``.

    With ``any_word``, words not joined by an operator are OR-ed instead of
    AND-ed, and an article scores more the more of them it matches. The
    limits of :mod:`~syrsearch.engine.query.bounds` apply, each with a notice.
    Words are analysed for each language of ``langs`` (None: every language
    of the index); ``aliases`` are the alias groups to expand.
    Raises :class:`QueryError` for a query with nothing to search for, or
    nested too deeply, and :class:`~syrsearch.engine.query.bounds.TimedOut`
    if ``deadline`` passes while a pattern is expanded.
    """
    if not text.strip():
        raise QueryError("empty query", hint="give at least one word to search for")
    try:
        return _build(text, lexicon, fields, any_word, max_expansions, deadline, langs, aliases)
    except RecursionError:
        raise _too_deep() from None


def _too_deep(depth: int | None = None) -> QueryError:
    levels = f" ({depth} levels)" if depth else ""
    return QueryError(
        f"query nested too deeply{levels}",
        hint=f"use at most {MAX_DEPTH} levels of parentheses",
    )


def _build(
    text: str,
    lexicon: Lexicon,
    fields: Sequence[str],
    any_word: bool,
    max_expansions: int,
    deadline: Deadline,
    langs: Sequence[str] | None,
    aliases: Aliases | None,
) -> Translation:
    notices: list[str] = []
    tree = parse(text, any_word=any_word)
    clauses, depth = _bounded(tree, notices)
    if depth > MAX_DEPTH:
        raise _too_deep(depth)
    if clauses > MAX_CLAUSES:
        any_word = True
        tree = WordsOr(_first_words(tree, MAX_CLAUSES))
        notices.append(
            f"a query of {clauses:,} words is searched as --any on its first"
            f" {MAX_CLAUSES:,} words, operators left out"
        )
    analysed = analysis_languages(lexicon.languages() if langs is None or not langs else langs)
    translator = _Translator(
        lexicon, fields, strategy(any_word), max_expansions, deadline, analysed, aliases
    )
    translator.pasted = any_word
    translator.out.notices.extend(notices)
    q = translator.translate(tree)
    if q is None:
        raise QueryError(
            f"nothing to search for in {text!r}",
            hint="a query needs at least one word (letters or digits)",
        )
    q = _with_positive(q)
    translator.out.query = Scored(q)
    whole = list(itertools.islice(words(text), TITLE_WORDS_MOST + 1))
    if TITLE_WORDS <= len(whole) <= TITLE_WORDS_MOST:
        translator.out.title = translator._phrase_query(("title",), whole, 1, 1.0, budget=False)
    words_of = q.a if isinstance(q, wq.AndNot) else q
    if any_word and type(words_of) is wq.Or:
        translator.out.groups = list(words_of.subqueries)
    return translator.out


def _bounded(tree: Any, notices: list[str]) -> tuple[int, int]:
    """Clamp the boosts of ``tree`` in place (with a notice); its words and depth."""
    clauses = depth = 0
    clamped = False
    for node, level in walk(tree):
        depth = max(depth, level)
        if not list(node.children()):
            clauses += 1
        boost = getattr(node, "boost", 1.0)
        if isinstance(boost, float | int) and clamped_boost(boost) != boost:
            node.boost = clamped_boost(boost)
            clamped = True
    if clamped:
        notices.append(f"boosts read within 0 and {MAX_BOOST:g} (^N)")
    return clauses, depth


def _first_words(tree: Any, most: int) -> list[Any]:
    """The first ``most`` distinct words of ``tree`` in query order, as
    written (patterns and phrases kept), without the operators and NOT parts."""
    out: dict[Any, None] = {}
    stack = [tree]
    while stack and len(out) < most:
        node = stack.pop()
        if isinstance(node, wq.Not):
            continue
        children = list(node.children())
        if children:
            stack.extend(reversed(children))
        elif isinstance(node, wq.Term | wq.Phrase | wq.MultiTerm):
            out.setdefault(node, None)
    return list(out)


def analysis_languages(langs: Iterable[str]) -> tuple[str, ...]:
    """The analyses a query's Latin-script words need for articles in
    ``langs``: English (Porter, also for a language without a Snowball
    stemmer) first, then each language with its own stemmer."""
    from ...text.lang import SNOWBALL

    return (DEFAULT_LANG, *sorted({lang for lang in langs if lang in SNOWBALL}))


def highlight_match(q: Any, reader: Any, fieldname: str) -> Match:
    """What a hit's ``fieldname`` text should highlight for query ``q``.

    NOT parts are skipped; wildcards and fuzzy terms are expanded against the
    index; phrases keep their word order.
    """
    terms: set[str] = set()
    phrases: list[tuple[tuple[str, ...], int]] = []

    def walk(node: Any) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if isinstance(node, wq.Phrase):
            if node.fieldname == fieldname:
                phrases.append((tuple(node.words), node.slop))
            return
        if hasattr(node, "subqueries"):
            for sub in node.subqueries:
                walk(sub)
            return
        if isinstance(node, wq.WrappingQuery):
            walk(node.child)
            return
        if getattr(node, "fieldname", None) != fieldname:
            return
        try:
            found = node.existing_terms(reader, expand=True)
        except TermNotFound:  # a field no document has
            return
        for _, btext in found:
            terms.add(btext.decode("utf-8") if isinstance(btext, bytes) else btext)

    walk(q)
    return Match(frozenset(terms), tuple(phrases))
