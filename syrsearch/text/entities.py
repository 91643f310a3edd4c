"""Names in an article: capitalised word sequences, kept whole.

A light named-entity pass, run at index time on the article's prose (never
its title, site chrome or headline-case lines): a run of capitalised words,
joined by the particles of names (``Staffan de Mistura``, ``Jabhat al-Nusra``,
``Secretary of State``), is one name. A role or honorific in front of a
person's name is left out (``Russian Foreign Minister Sergei Lavrov`` is
``Sergei Lavrov``, ``Mr Kerry`` is ``Kerry``), as is a possessive
(``Kerry's``). Capitals at the start of a sentence prove nothing: a name
starting there loses its first word if it is a function word (``The United
Nations``), and a one-word name found only there is dropped unless the
article also capitalises it elsewhere. Weekdays and months are not names.

:func:`name_key` is how names are compared: case, accents, curly apostrophes
and hyphen variants ignored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .metadata import content_spans
from .stopwords import FUNCTION_WORDS

MAX_WORDS = 6
"""A longer capitalised run is a headline or a list, not a name."""
HEADLINE_SHARE = 0.7
"""A line with at least this share of its words capitalised, and no sentence
end, is headline case."""

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_](?:[\w'\u2019\u2010\u2011-]*\w)?|\S", re.UNICODE)
_PARTICLE_PREFIX = re.compile(
    r"^(?:al|el|ad|ash|as|an|ar|at|az|bin|ibn|abu|abd|ben|d|l)[-\u2010\u2011'\u2019]\w", re.I
)
_SENTENCE_START = frozenset('.!?:;\u201c"\u00ab(')
_LOWER_SUFFIX = re.compile(r"[-\u2010\u2011][a-z][^\W\d_]*$")  # UN-led, Russia-based: adjectives
_CONTRACTION = re.compile(r"^I['\u2019]")
_POSSESSIVE = re.compile(r"['\u2019]s$")

CONNECTORS = frozenset(
    "de da di del della der den van von bin ibn al el le la du des dos do of y".split()  # noqa: SIM905
)
"""Lower-case words that may stand inside a name."""
ROLES = frozenset(
    """
    President Minister Secretary General Gen Mr Mrs Ms Dr Sir Sheikh King Queen Prince
    Princess Emir Envoy Chancellor Spokesman Spokeswoman Spokesperson Ambassador Senator
    Sen Rep Col Colonel Lt Maj Adm Admiral Commander Leader Premier Chairman Chairwoman
    Director Lord Lady Pope Patriarch Ayatollah Imam Coach Manager Captain Striker
    Midfielder Defender Goalkeeper Judge
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
"""Words of a title or role, left out before a person's name."""
CALENDAR = frozenset(
    """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
    April May June July August September October November December Jan Feb Mar Apr
    Jun Jul Aug Sep Sept Oct Nov Dec
    """.split()  # noqa: SIM905
)
_FUNCTION = frozenset(w.capitalize() for w in FUNCTION_WORDS) | {"I"}


def name_key(name: str) -> str:
    """How names are compared: ``Staffan De Mistura`` is ``staffan de
    mistura``, ``al-Assad`` is ``al assad``."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = (
        text.replace("\u2019", "'").replace("\u2010", " ").replace("\u2011", " ").replace("-", " ")
    )
    return " ".join(text.split())


def _capitalised(token: str) -> bool:
    return token[0].isupper() or bool(_PARTICLE_PREFIX.match(token) and len(token) > 3)


def _headline_case(tokens: list[str]) -> bool:
    """A line in title case, with no sentence end: a headline or subheading."""
    if tokens and tokens[-1] in ".!?":
        return False
    long_words = [t for t in tokens if t[0].isalpha() and len(t) > 3]
    if len(long_words) < 4:
        return False
    return sum(t[0].isupper() for t in long_words) >= HEADLINE_SHARE * len(long_words)


def _trim(run: list[str]) -> list[str]:
    """A run of words less the role in front, connectors at the ends, a possessive."""
    while run and run[-1] in CONNECTORS:
        run = run[:-1]
    if not run:
        return run
    last = run[-1]
    if _POSSESSIVE.search(last) and len(last) > 2:
        run = [*run[:-1], _POSSESSIVE.sub("", last)]
    roles = [
        i
        for i, w in enumerate(run)
        if w in ROLES or (w == "State" and run[i - 2 : i] == ["Secretary", "of"])
    ]
    if roles and roles[-1] < len(run) - 1:
        run = run[roles[-1] + 1 :]
    while run and (run[0] in CONNECTORS or run[0] in CALENDAR):
        run = run[1:]
    while run and (run[-1] in CONNECTORS or run[-1] in CALENDAR):
        run = run[:-1]
    return run


def _runs(line: str) -> Iterable[tuple[list[str], bool]]:
    """Capitalised runs of one line, each with whether it starts a sentence."""
    tokens = _TOKEN.findall(line)
    if _headline_case(tokens):
        return
    run: list[str] = []
    run_at_start = at_start = True
    previous = ""
    for token in tokens:
        word = token[0].isalpha()
        if word and _capitalised(token) and not _LOWER_SUFFIX.search(token):
            if _CONTRACTION.match(token):  # I've, I'm
                if run:
                    yield run, run_at_start
                run = []
            elif _POSSESSIVE.search(token) and len(token) > 3:
                # Britain's Greg Rusedski: two names.
                if not run:
                    run_at_start = at_start
                run.append(_POSSESSIVE.sub("", token))
                yield run, run_at_start
                run = []
                at_start = False
                previous = token
                continue
            else:
                if not run:
                    run_at_start = at_start
                run.append(token)
        elif word and run and token in CONNECTORS:
            run.append(token)
        elif token == "." and previous in ROLES:  # Mr. Kerry, Gen. Mattis
            previous = token
            continue
        else:
            if run:
                yield run, run_at_start
            run = []
        if word:
            at_start = False
        elif token in _SENTENCE_START:
            at_start = True
        previous = token
    if run:
        yield run, run_at_start


def find_names(body: str) -> list[str]:
    """The names the prose of ``body`` uses, as first written, each once."""
    spans = content_spans(body)
    runs = [run for a, b in spans for run in _runs(body[a:b])]
    lower = {t for a, b in spans for t in _TOKEN.findall(body[a:b]) if t[0].islower()}
    # Words the article capitalises inside a sentence: evidence they are names.
    inside = {w for run, at_start in runs for w in run[1 if at_start else 0 :]}
    found: dict[str, str] = {}
    for run, at_start in runs:
        if at_start and (run[0] in _FUNCTION or run[0].lower() in lower) and len(run) > 1:
            run, at_start = run[1:], False  # "Injured Chelsea", when "injured" is a word here
        if at_start and len(run) > 2 and run[1] == "of" and run[0] not in inside:
            run, at_start = run[2:], False  # "Fighters of Jabhat al-Nusra"
        run = _trim(run)
        if not run or len(run) > MAX_WORDS:
            continue
        if run[-1] in ROLES or (len(run) == 1 and (run[0] in _FUNCTION or len(run[0]) < 2)):
            continue  # a role alone ("Foreign Secretary") is not a name
        if at_start and len(run) == 1 and run[0] not in inside:
            continue
        name = " ".join(run)
        found.setdefault(name_key(name), name)
    return list(found.values())
