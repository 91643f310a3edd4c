"""Aliases: groups of names that stand for one thing (``ISIS | ISIL | Daesh``).

An alias file is plain text, one group a line, members separated by ``|``;
``#`` starts a comment. A member is a word or a phrase, in any script. A
member written in capitals (``IS``, ``SDF``) stands only for a query word in
capitals, so that ``is`` stays the English word. The package ships
:data:`DEFAULT_FILE`; a user's file extends it.

Pure text: reading a file is the caller's business (``app``); this module
only parses and looks up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from .words import Word, is_caps, words

SEPARATOR = "|"


@dataclass(frozen=True, slots=True)
class Member:
    """One spelling of a group: as written, and its normalised words."""

    text: str
    words: tuple[str, ...]
    caps: bool


@dataclass(frozen=True, slots=True)
class Aliases:
    """Alias groups, looked up by a member's normalised words."""

    groups: tuple[tuple[Member, ...], ...] = ()
    _index: dict[tuple[str, ...], list[int]] = field(default_factory=dict, compare=False)
    longest: int = 0

    def __bool__(self) -> bool:
        return bool(self.groups)

    def group_of(self, ws: list[Word], raw: str) -> tuple[Member, ...] | None:
        """The group that the query words ``ws`` (written ``raw``) are a
        member of, or None."""
        key = tuple(w.text for w in ws)
        for g in self._index.get(key, ()):
            for m in self.groups[g]:
                if m.words == key and (not m.caps or is_caps(raw)):
                    return self.groups[g]
        return None


def parse_aliases(*texts: str) -> Aliases:
    """The alias groups of the files' ``texts``, in order."""
    groups: list[tuple[Member, ...]] = []
    index: dict[tuple[str, ...], list[int]] = {}
    for text in texts:
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            members: list[Member] = []
            for raw in line.split(SEPARATOR):
                raw = raw.strip()
                ws = tuple(w.text for w in words(raw))
                if ws and all(m.words != ws or m.caps != is_caps(raw) for m in members):
                    members.append(Member(raw, ws, is_caps(raw)))
            if len(members) < 2:
                continue
            for m in members:
                index.setdefault(m.words, []).append(len(groups))
            groups.append(tuple(members))
    longest = max((len(m.words) for g in groups for m in g), default=0)
    return Aliases(tuple(groups), index, longest)


DEFAULT_FILE = "aliases.txt"
"""The default groups, shipped in ``syrsearch/data``."""


def default_aliases_text() -> str:
    """The text of the shipped default alias file."""
    data = resources.files("syrsearch").joinpath("data").joinpath(DEFAULT_FILE)
    return data.read_text(encoding="utf-8")
