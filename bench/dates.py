"""Date and source extraction: precision and recall, against the rules of another revision.

Three collections, each with what its texts really state:

* ``written``: the short texts of ``tests/fixtures/metadata_cases.py``, written to
  reproduce each form real news uses (datelines, ``Published`` lines, ISO
  stamps, numeric dates, closing credits) and each trap (kick-off times,
  birth and event dates, ambiguous numbers, a domain in the text);
* ``seeds``: the five shipped articles, labelled by hand (two state a date,
  three a source);
* ``bbcsport``: BBC Sport (737 articles), which states no publication date and
  no source in any article (checked by hand: its only dates are of fixtures
  and events, its ``1945 GMT`` lines are kick-off times), so every date or
  source given there is wrong.

Precision is the share of the dates (sources) given that are right; recall
the share of those stated that were found. The same texts go through the
extractor of this working tree and that of ``--before`` (a git revision,
default ``main``), in the same run.

    python bench/dates.py                 # Markdown table on stdout
    python bench/dates.py --before HEAD~3
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from metadata_cases import CASES  # noqa: E402

from syrsearch.corpus import decode, split_title  # noqa: E402
from syrsearch.text import metadata as current  # noqa: E402

BBC = ROOT.parent / "shared" / "news" / "bbcsport"
SEED_TRUTH = {
    "000_277429d245566ea2": (None, None),
    "001_fcd0c7a043fc03f3": ("2015-12-17", "TRTWorld"),
    "002_2e98f640cd47a897": (None, None),
    "003_325ec279d4bf9786": ("2017-01-25", "Azernews"),
    "004_27f4b5ccaf5df4df": (None, "ST"),
}

Labelled = list[tuple[str, str, str | None, str | None]]  # name, text, date, source


def load_before(revision: str) -> ModuleType:
    """``syrsearch/text/metadata.py`` as it is at ``revision``."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:syrsearch/text/metadata.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    spec = importlib.util.spec_from_loader("syrsearch.text._metadata_before", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "syrsearch.text"
    exec(compile(source, f"{revision}:metadata.py", "exec"), module.__dict__)
    return module


def _text_of(path: Path) -> str:
    title, body = split_title(decode(path.read_bytes())[0])
    return f"{title}\n{body}"


def collections() -> dict[str, Labelled]:
    written = [(n, f"{t1}\n{b1}", d, s) for n, t, d, s in CASES for t1, b1 in [split_title(t)]]
    seeds = [
        (p.stem, _text_of(p), *SEED_TRUTH[p.stem]) for p in sorted((ROOT / "seeds").glob("*.txt"))
    ]
    found = {"written": written, "seeds": seeds}
    if BBC.is_dir():
        found["bbcsport"] = [
            (str(p.relative_to(BBC)), _text_of(p), None, None) for p in sorted(BBC.rglob("*.txt"))
        ]
    return found


@dataclass
class Score:
    given: int = 0
    right: int = 0
    stated: int = 0

    def add(self, got: str | None, truth: str | None, same: Callable[[str, str], bool]) -> None:
        self.stated += truth is not None
        if got is not None:
            self.given += 1
            self.right += truth is not None and same(got, truth)

    def cells(self) -> list[str]:
        precision = f"{self.right / self.given:.2f}" if self.given else "n/a"
        recall = f"{self.right / self.stated:.2f}" if self.stated else "n/a"
        return [f"{self.given}", f"{self.right}", precision, recall]


def score(module: ModuleType, labelled: Labelled) -> tuple[Score, Score, list[str]]:
    dates, sources, wrong = Score(), Score(), []
    for name, text, true_date, true_source in labelled:
        got_date = module.find_date(text)
        found = module.find_sources(text)
        got_source = found[0] if found else None
        dates.add(got_date and got_date.isoformat(), true_date, str.__eq__)
        sources.add(
            got_source, true_source, lambda a, b: current.source_key(a) == current.source_key(b)
        )
        if got_date is not None and (got_date.isoformat() != true_date):
            wrong.append(f"{name}: date {got_date} (states {true_date})")
        if got_source is not None and (
            true_source is None or current.source_key(got_source) != current.source_key(true_source)
        ):
            wrong.append(f"{name}: source {got_source!r} (states {true_source!r})")
    return dates, sources, wrong


def table(rows: Iterable[list[str]]) -> str:
    head = [
        "collection", "rules", "dates given", "right", "precision", "recall",
        "sources given", "right", "precision", "recall",
    ]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="git revision to compare with")
    parser.add_argument("--wrong", action="store_true", help="list every wrong answer on stderr")
    args = parser.parse_args()
    systems = {"this tree": current, args.before: load_before(args.before)}
    rows = []
    for cname, labelled in collections().items():
        for sname, module in systems.items():
            dates, sources, wrong = score(module, labelled)
            rows.append([f"{cname} ({len(labelled)})", sname, *dates.cells(), *sources.cells()])
            if args.wrong:
                for line in wrong:
                    print(f"{cname} / {sname}: {line}", file=sys.stderr)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
