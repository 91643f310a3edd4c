"""Synthetic news corpora for the performance benchmark.

Writes ``N`` articles shaped like the ones in ``seeds/``: a title (sometimes
after a line of site chrome), a date line in one of several formats, bylines
and datelines, about 3 KB of paragraphs, and trailing chrome (``Print
version``, ``Views: 1440``, an agency credit). Words follow a Zipf law over a
vocabulary of about 40,000 entries: English function words, news and Syria
words (``ceasefire``, ``Lavrov``, ``Geneva``, ``U.N.`` ...) at fixed ranks,
and pseudo-words, some of them inflected forms of others and some capitalised
names. Text has hyphenated compounds, curly quotes and apostrophes, numbers,
dates and recurring phrases (``humanitarian aid``, ``Security Council``).

Files go in folders of 1,000: ``OUTDIR/000/000123.txt``. The same seed gives
byte-identical files on any machine and Python version, because every random
draw goes through ``Random.random()`` and each article has its own generator
(so any one article can be written again on its own). A hidden manifest,
``OUTDIR/.corpus.json`` (``rg`` skips hidden files, ``syrsearch`` reads only
``.txt``), records the parameters, the raw size, and, for a few query words,
how many articles contain them (case-insensitive substring, as ``rg -il``
counts).

    python bench/corpus_gen.py OUTDIR --articles N [--seed S]
    python bench/corpus_gen.py OUTDIR --touch 1 --variant 1   # rewrite 1% of the files
    python bench/corpus_gen.py OUTDIR --touch 1 --variant 0   # put them back
"""

from __future__ import annotations

import argparse
import array
import bisect
import contextlib
import itertools
import json
import math
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

GENERATOR_VERSION = 1
MANIFEST = ".corpus.json"
PER_FOLDER = 1000
DEFAULT_SEED = 2017
VOCABULARY_SIZE = 40_000
ZIPF_EXPONENT = 1.0
TARGET_BYTES = 3000


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Words the benchmark's queries use; their document frequency goes in the manifest.
TRACKED = (
    "ceasefire",
    "cease-fire",
    "lavrov",
    "geneva",
    "astana",
    "humanitarian",
    "humanitarian aid",
    "negotiations",
    "opposition",
)

# Most frequent first; these take ranks 1, 2, 3 ...
FUNCTION_WORDS = _split(
    """the of and to in a that is for on said with was by as at from it has he be
have will are his its an not which this were had also but after who been they their more or would
than all over we about one two other there into against up last new out since some can between
while during what when no if so only most them could our under first three those such any both
where should because before these her she you very just now then how many much well even"""
)

# Placed among the pseudo-words at ranks spread from 120 to about 6,000.
NEWS_WORDS = _split(
    """government forces country president minister people military security state
foreign talks war international region support political group city official statement meeting
agreement attack troops killed civilians rebels regime crisis conflict peace process efforts
situation including according reported told reporters week year month day countries fighting
leaders leader border control areas area town province army air strikes airstrikes weapons
chemical terrorist terrorism terrorists fighters militants jihadists refugees camps aid
humanitarian access convoy convoys besieged siege evacuation residents hospital children
women families sanctions envoy delegation delegations resolution council spokesman agency
sources activists observatory monitor monitoring violations truce ceasefire hostilities
cessation transition transitional constitution elections vote power future round sides parties
negotiations negotiators opposition coalition alliance allies ally partners cooperation
diplomatic diplomats ministry defence defense operation operations offensive campaign
government-held rebel-held opposition-held capital north south east west northern southern
eastern western stressed added noted warned urged called calls demanded announced confirmed
denied expected hopes issue issues steps plan proposal initiative framework settlement dialogue
solution pressure role position interests"""
)

PROPER_WORDS = _split(
    """Syria Syrian Russia Russian Turkey Turkish Iran Iranian Iraq Israel Jordan
Lebanon Saudi Arabia Qatar Egypt Europe European America American United States Nations
Moscow Washington Damascus Aleppo Idlib Homs Raqqa Palmyra Geneva Astana Vienna Ankara Tehran
Riyadh Beirut Kremlin Kerry Lavrov Putin Assad Obama Trump Erdogan Mistura Jubeir Zarif
Tillerson Staffan Sergey Sergei John Bashar Vladimir ISIS ISIL DAESH Nusra Qaeda Kurdish
Kurds PYD YPG SANA Reuters AFP ISSG GCC NATO Hezbollah Monday Tuesday Wednesday Thursday
Friday Saturday Sunday January February March April May June July August September October
November December"""
)

# Fixed ranks for the words the queries use, so their frequency is the same at every size.
PINNED_RANKS = {
    "aid": 190,
    "humanitarian": 260,
    "ceasefire": 330,
    "opposition": 150,
    "negotiations": 420,
    "Lavrov": 900,
    "Geneva": 760,
    "Astana": 1500,
    "cease-fire": 1100,
}

HYPHENATED = _split(
    """cease-fire war-torn al-Nusra al-Assad al-Qaeda al-Jubeir so-called long-term
four-hour UN-sponsored Russia-GCC pro-government anti-government Turkish-backed Iran-backed
U.S.-led Kurdish-led three-day two-day 48-hour death-toll rebel-held"""
)

ACRONYMS = ("U.N.", "U.S.", "E.U.", "U.K.")

PHRASES = (
    ("humanitarian aid", 2.0),
    ("Security Council", 6.0),
    ("Foreign Minister", 6.0),
    ("peace talks", 5.0),
    ("opposition groups", 4.0),
    ("United Nations", 4.0),
    ("Syrian government", 4.0),
    ("armed groups", 3.0),
    ("chemical weapons", 2.0),
    ("Secretary of State John Kerry", 2.0),
    ("Foreign Minister Sergey Lavrov", 2.0),
    ("President Bashar al-Assad", 2.0),
    ("the International Syria Support Group", 1.0),
    ("UN Special Envoy Staffan de Mistura", 1.0),
    ("the Syrian Observatory for Human Rights", 1.0),
)

ONSETS = _split("b c d f g h j k l m n p r s t v w z b d l m n r s t br ch dr gr kh pr sh st tr")
VOWELS = _split("a e i o u a e i o a e i ai ea ou")
CODAS = ["", "", "", "", "n", "r", "s", "l", "t", "m", "nd", "st"]
SUFFIXES = ("s", "ed", "ing", "ation", "er", "ly")

FIRST_NAMES = _split(
    """Nigar Hamda Ahmed Maria John Elena Sergei Leyla Omar Anna Tom Rami Sara Ivan
Fatima David Olga Karim Lucy Yusuf"""
)
LAST_NAMES = _split(
    """Eyvazova Mustafa Hassan Petrova Smith Aliyev Haddad Ivanov Khalil Brown Novak
Rahman Jones Suleiman Orlov Nasser Green Demir Karimi Walker"""
)
SITES = ("TODAY.AZ / World news", "Syria Times", "TRT World", "Azernews", "Middle East Eye")
DATELINES = (
    "MOSCOW, (ST)-",
    "DAMASCUS, (SANA)-",
    "GENEVA (Reuters) -",
    "BEIRUT, {mon} {day} (AFP) -",
    "ANKARA -",
    "ASTANA, Kazakhstan -",
)
CREDITS = ("TRTWorld and agencies", "Reuters", "AFP", "SANA", "Agencies", "Anadolu Agency")
SPEAKERS = ("he", "she", "the minister", "a spokesman", "the envoy", "officials", "Kerry")
MONTHS = _split(
    "January February March April May June July August September October November December"
)


def _below(rng: random.Random, n: int) -> int:
    """A uniform integer in ``[0, n)``, from ``rng.random()`` only (stable across Pythons).

    ``random() * n`` stays below ``n`` in floating point, so no clamp is needed.
    """
    return int(rng.random() * n)


def _pick(rng: random.Random, items: Sequence[str]) -> str:
    return items[int(rng.random() * len(items))]


class Vocabulary:
    """Ranked words, drawn with Zipf probabilities.

    Drawing word by word with ``bisect`` costs most of the generator's time, so
    draws go through a table of 2**18 slots in which each word has
    ``floor(p * 2**18)`` slots; the slots left over stand for the fractional
    remainders and send the draw to an exact ``bisect`` over those remainders.
    The result follows the Zipf probabilities exactly, at about a tenth of the cost.
    """

    TABLE_BITS = 18

    def __init__(
        self, words: Sequence[str], weights: Sequence[float], phrases: Sequence[tuple[str, float]]
    ) -> None:
        self.words = tuple(words)
        size = 1 << self.TABLE_BITS
        total = sum(weights)
        table: list[str | None] = []
        remainders: list[float] = []
        for word, weight in zip(words, weights, strict=True):
            share = weight / total * size
            slots = int(share)
            table += [word] * slots
            remainders.append(share - slots)
        table += [None] * (size - len(table))
        self.table = table
        self.remainder_cum = tuple(itertools.accumulate(remainders))
        self.phrases = tuple(p for p, _ in phrases)
        self.phrase_cum = tuple(itertools.accumulate(w for _, w in phrases))

    def draw(self, rng: random.Random, k: int) -> list[str]:
        bits = array.array("I", rng.randbytes(4 * k))
        if sys.byteorder == "big":
            bits.byteswap()
        shift = 32 - self.TABLE_BITS
        table = self.table
        picks = [table[b >> shift] for b in bits]
        cum, top = self.remainder_cum, self.remainder_cum[-1]
        i = 0
        while True:
            try:
                i = picks.index(None, i)
            except ValueError:
                return picks  # type: ignore[return-value]
            picks[i] = self.words[bisect.bisect(cum, rng.random() * top)]


def _pseudo_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """``count`` made-up words, shorter ones first (frequent words are short)."""
    bases: list[str] = []
    while len(bases) < count * 2 // 3:
        syllables = 1 + (rng.random() > 0.3) + (rng.random() > 0.8)
        word = "".join(
            _pick(rng, ONSETS) + _pick(rng, VOWELS) + _pick(rng, CODAS) for _ in range(syllables)
        )
        if len(word) > 2 and word not in taken:
            taken.add(word)
            bases.append(word)
    bases.sort(key=len)
    words = list(bases)
    # Inflected forms of earlier words, ranked after their base: stems to share.
    while len(words) < count:
        base = bases[_below(rng, len(bases))]
        word = base + _pick(rng, SUFFIXES)
        if word not in taken:
            taken.add(word)
            words.append(word)
    # Keep the inflections mixed in, not all at the rare end.
    for i in range(len(words) - 1, 0, -1):
        j = _below(rng, i + 1)
        if abs(i - j) < 2000:
            words[i], words[j] = words[j], words[i]
    # Some made-up words are names, always written with a capital.
    return [w.capitalize() if _below(rng, 10) == 0 else w for w in words]


def build_vocabulary(seed: int) -> Vocabulary:
    rng = random.Random(seed)
    fixed = FUNCTION_WORDS + NEWS_WORDS + PROPER_WORDS + HYPHENATED + ACRONYMS
    taken = {w.lower() for w in fixed}
    ranked: list[str | None] = [None] * VOCABULARY_SIZE
    for i, word in enumerate(FUNCTION_WORDS):
        ranked[i] = word
    for word, rank in PINNED_RANKS.items():
        ranked[rank - 1] = word
    pinned = set(PINNED_RANKS)
    others = [w for w in NEWS_WORDS + PROPER_WORDS + HYPHENATED + ACRONYMS if w not in pinned]
    others = list(dict.fromkeys(others))
    start = len(FUNCTION_WORDS)
    for word in others:
        # Log-uniform ranks between 120 and 6,000, nudged to the next free slot.
        rank = int(math.exp(math.log(start + 20) + rng.random() * math.log(6000 / (start + 20))))
        while ranked[rank] is not None:
            rank += 1
        ranked[rank] = word
    free = sum(1 for w in ranked if w is None)
    fill = iter(_pseudo_words(rng, free, taken))
    words = tuple(w if w is not None else next(fill) for w in ranked)
    weights = [1.0 / (r**ZIPF_EXPONENT) for r in range(1, len(words) + 1)]
    return Vocabulary(words, weights, PHRASES)


def _date(rng: random.Random) -> tuple[int, int, int]:
    return 2015 + _below(rng, 4), 1 + _below(rng, 12), 1 + _below(rng, 28)


def _date_line(rng: random.Random, site: str | None) -> str | None:
    year, month, day = _date(rng)
    name = MONTHS[month - 1]
    form = _below(rng, 6)
    if form == 0:
        return f"Updated {name[:3]} {day}, {year}"
    if form == 1:
        hh, mm = _below(rng, 24), _below(rng, 60)
        suffix = f" - {site.split(' /')[0]}" if site else ""
        return f"{day} {name} {year} [{hh:02d}:{mm:02d}]{suffix}"
    if form == 2:
        return f"{name} {day}, {year}"
    if form == 3:
        return f"{year}-{month:02d}-{day:02d}"
    return None


class ArticleWriter:
    """Turns a vocabulary and a per-article random generator into article text."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        # Focus words: the few an article keeps coming back to, drawn from mid ranks.
        self.focus_pool = vocab.words[60:5000]

    def sentence(self, rng: random.Random, focus: Sequence[str]) -> str:
        n = 6 + _below(rng, 22)
        words = self.vocab.draw(rng, n)
        for _ in range(_below(rng, 4)):
            words[_below(rng, n)] = _pick(rng, focus)
        r = rng.random()
        if r < 0.12:
            p = bisect.bisect(self.vocab.phrase_cum, rng.random() * self.vocab.phrase_cum[-1])
            words.insert(_below(rng, n), self.vocab.phrases[p])
        elif r < 0.27:
            i = _below(rng, n - 1)
            words[i : i + 2] = [f"{words[i]}-{words[i + 1]}"]
        r = rng.random()
        if r < 0.12:
            words.insert(_below(rng, len(words)), f"{1 + _below(rng, 400)},{_below(rng, 1000):03d}")
        elif r < 0.22:
            _, month, day = _date(rng)
            words.insert(_below(rng, len(words)), f"on {MONTHS[month - 1]} {day}")
        elif r < 0.27:
            words.insert(_below(rng, len(words)), f"in {2011 + _below(rng, 8)}")
        if rng.random() < 0.3:
            i = _below(rng, len(words) - 1)
            if words[i][0].isupper() and "-" not in words[i]:
                words[i] += "\u2019s"
        for _ in range(_below(rng, 3)):
            i = _below(rng, len(words) - 1)
            if not words[i].endswith(","):
                words[i] += ","
        if rng.random() < 0.05:
            i = _below(rng, len(words) - 2)
            words[i] = "\u2018" + words[i]
            words[i + 1] += "\u2019"
        first = words[0]
        words[0] = first[0].upper() + first[1:]
        text = " ".join(words)
        end = "." if rng.random() < 0.95 else ("?" if rng.random() < 0.5 else ":")
        if rng.random() < 0.1:
            speaker = _pick(rng, SPEAKERS)
            return f"\u201c{text},\u201d {speaker} said."
        return text + end

    def article(self, rng: random.Random) -> str:
        focus = [_pick(rng, self.focus_pool) for _ in range(3 + _below(rng, 6))]
        lines: list[str] = []
        site = _pick(rng, SITES) if rng.random() < 0.15 else None
        if site:
            lines += [site, ""]
        title = self.vocab.draw(rng, 5 + _below(rng, 8))
        title[_below(rng, len(title))] = _pick(rng, focus)
        if rng.random() < 0.5:
            title = [w[0].upper() + w[1:] if len(w) > 3 else w for w in title]
        title[0] = title[0][0].upper() + title[0][1:]
        lines.append(" ".join(title))
        spaced = rng.random() < 0.5
        if spaced:
            lines.append("")
        date = _date_line(rng, site)
        if date:
            lines += [date, ""] if spaced or site else [date]
        r = rng.random()
        if r < 0.2:
            lines.append("By Azernews" if site else f"By {_pick(rng, SITES)}")
            lines.append("")
        elif r < 0.35:
            lines += [f"By {_pick(rng, FIRST_NAMES)} {_pick(rng, LAST_NAMES)}", ""]
        elif r < 0.45:
            lines += [f"Photo by: {_pick(rng, CREDITS)}", ""]
        target = TARGET_BYTES + int((rng.random() - 0.5) * 2400)
        size = sum(len(line) for line in lines)
        first = True
        while size < target:
            sentences = [self.sentence(rng, focus) for _ in range(1 + _below(rng, 3))]
            paragraph = " ".join(sentences)
            if first and rng.random() < 0.25:
                _, month, day = _date(rng)
                dateline = _pick(rng, DATELINES).format(mon=MONTHS[month - 1][:3], day=day)
                paragraph = f"{dateline} {paragraph}"
            first = False
            lines.append(paragraph)
            if spaced:
                lines.append("")
            size += len(paragraph) + 1
        r = rng.random()
        if r < 0.15:
            lines += ["", _pick(rng, CREDITS)]
        elif r < 0.3:
            lines += [f"{_pick(rng, FIRST_NAMES)} {_pick(rng, LAST_NAMES)}"]
        elif r < 0.4:
            lines += ["", "Exit mobile version"]
        elif r < 0.5:
            url = f"http://www.today.az/news/regions/{100000 + _below(rng, 90000)}.html"
            lines += ["", f"URL: {url}"]
            lines += ["", "Print version", "", f"Views: {10 + _below(rng, 5000)}"]
            lines += ["", "  \u2022 Your name:", "  \u2022 Your e-mail:"]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) + "\n"


def article_rng(seed: int, index: int, variant: int = 0) -> random.Random:
    return random.Random((seed << 40) ^ (variant << 32) ^ index)


def article_path(outdir: Path, index: int) -> Path:
    return outdir / f"{index // PER_FOLDER:03d}" / f"{index:06d}.txt"


def read_manifest(outdir: Path) -> dict[str, object] | None:
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_manifest(outdir: Path, manifest: dict[str, object]) -> None:
    tmp = outdir / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, outdir / MANIFEST)


_WRITERS: dict[int, ArticleWriter] = {}


def _writer(seed: int) -> ArticleWriter:
    if seed not in _WRITERS:
        _WRITERS[seed] = ArticleWriter(build_vocabulary(seed))
    return _WRITERS[seed]


def _write_folder(outdir: Path, seed: int, start: int, stop: int) -> tuple[dict[str, int], int]:
    """Write articles ``start`` to ``stop - 1``; return the tracked words' counts and the bytes."""
    writer = _writer(seed)
    df = dict.fromkeys(TRACKED, 0)
    total = 0
    article_path(outdir, start).parent.mkdir(parents=True, exist_ok=True)
    for index in range(start, stop):
        text = writer.article(article_rng(seed, index))
        lower = text.lower()
        for term in TRACKED:
            if term in lower:
                df[term] += 1
        data = text.encode("utf-8")
        total += len(data)
        with open(article_path(outdir, index), "wb") as fh:
            fh.write(data)
    return df, total


def _write_folder_star(job: tuple[Path, int, int, int]) -> tuple[dict[str, int], int]:
    return _write_folder(*job)


def generate(
    outdir: Path, articles: int, seed: int = DEFAULT_SEED, quiet: bool = False, jobs: int = 1
) -> dict[str, object]:
    """Write the corpus and its manifest; return the manifest.

    With ``jobs`` > 1, folders are written by that many processes; the files
    are the same either way.
    """
    started = time.perf_counter()
    (outdir / MANIFEST).unlink(missing_ok=True)
    folders = [
        (outdir, seed, start, min(start + PER_FOLDER, articles))
        for start in range(0, articles, PER_FOLDER)
    ]
    df = dict.fromkeys(TRACKED, 0)
    total = 0
    show = not quiet and len(folders) > 1 and sys.stderr.isatty()
    _writer(seed)  # built once, before any fork
    with contextlib.ExitStack() as stack:
        if jobs > 1 and len(folders) > 1:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            pool = stack.enter_context(context.Pool(min(jobs, len(folders))))
            results = pool.imap_unordered(_write_folder_star, folders)
        else:
            results = map(_write_folder_star, folders)
        for done, (counts, size) in enumerate(results, 1):
            for term, n in counts.items():
                df[term] += n
            total += size
            if show:
                print(f"\r  {done * PER_FOLDER:,}/{articles:,} articles", end="", file=sys.stderr)
    if show:
        print(file=sys.stderr)
    manifest: dict[str, object] = {
        "generator": GENERATOR_VERSION,
        "seed": seed,
        "articles": articles,
        "per_folder": PER_FOLDER,
        "bytes": total,
        "df": df,
        "variant": 0,
        "seconds": round(time.perf_counter() - started, 2),
    }
    _write_manifest(outdir, manifest)
    return manifest


def touched_indexes(articles: int, seed: int, percent: float) -> list[int]:
    """Which articles a ``--touch`` rewrites: the same ones for every variant."""
    count = max(1, round(articles * percent / 100))
    rng = random.Random(seed ^ 0x70C4)
    chosen: set[int] = set()
    while len(chosen) < min(count, articles):
        chosen.add(_below(rng, articles))
    return sorted(chosen)


def touch(outdir: Path, percent: float, variant: int) -> list[Path]:
    """Rewrite ``percent``% of the articles with their text for ``variant`` (0: the original)."""
    manifest = read_manifest(outdir)
    if manifest is None:
        raise SystemExit(f"error: no {MANIFEST} in {outdir}: generate the corpus first")
    seed, articles = int(str(manifest["seed"])), int(str(manifest["articles"]))
    writer = _writer(seed)
    paths = []
    for index in touched_indexes(articles, seed, percent):
        path = article_path(outdir, index)
        path.write_bytes(writer.article(article_rng(seed, index, variant)).encode("utf-8"))
        paths.append(path)
    manifest["variant"] = variant
    _write_manifest(outdir, manifest)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write a synthetic news corpus.")
    ap.add_argument("outdir", type=Path, help="folder to write (created if missing)")
    ap.add_argument("--articles", type=int, default=1000, help="how many (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="default: %(default)s")
    ap.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="processes writing folders; the files do not depend on it (default: %(default)s)",
    )
    ap.add_argument(
        "--touch",
        type=float,
        metavar="PERCENT",
        help="rewrite this percentage of an existing corpus's files instead",
    )
    ap.add_argument(
        "--variant",
        type=int,
        default=1,
        help="with --touch: which text to write, 0 restores the original (default: %(default)s)",
    )
    args = ap.parse_args(argv)
    if args.touch is not None:
        if not 0 <= args.variant < 256:
            ap.error("--variant must be in 0..255")
        paths = touch(args.outdir, args.touch, args.variant)
        print(f"rewrote {len(paths):,} files (variant {args.variant})", file=sys.stderr)
        return 0
    if args.articles < 1:
        ap.error("--articles must be at least 1")
    if args.outdir.exists() and any(args.outdir.iterdir()):
        ap.error(f"{args.outdir} is not empty; give a new or empty folder")
    manifest = generate(args.outdir, args.articles, args.seed, jobs=max(1, args.jobs))
    mib = int(str(manifest["bytes"])) / 2**20
    print(
        f"{args.articles:,} articles, {mib:,.1f} MiB in {manifest['seconds']} s -> {args.outdir}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
