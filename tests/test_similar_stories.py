"""``similar`` on real text: BBC Sport (same sport), and reports of one event
written the way different outlets write them."""

from __future__ import annotations

import json
from pathlib import Path

from syrsearch import open_index, similar
from syrsearch.cli import app

# Three reports of the same event, in other words, and three other Syria
# stories that share the general vocabulary (Russia, talks, ceasefire).
STORIES = {
    "astana/tass.txt": "Astana talks end with a trilateral ceasefire mechanism\n"
    "ASTANA, January 24 (TASS) - Russia, Turkey and Iran agreed in Astana on Tuesday to set "
    "up a trilateral mechanism to monitor the ceasefire in Syria, the final statement of the "
    "talks said. "
    "The Syrian government delegation and armed opposition groups attended the two-day meeting in "
    "the Kazakh capital.\n",
    "astana/afp.txt": "Russia, Iran, Turkey to police Syria truce after Astana meeting\n"
    "Russia, Iran and Turkey will jointly monitor the fragile Syria truce, they said in Astana "
    "after two days of talks between the Damascus government and rebel groups in the Kazakh "
    "capital. "
    "The three sponsors said a trilateral mechanism would police the ceasefire.--AFP\n",
    "astana/azernews.txt": "Kazakh capital hosts Syria meeting: truce monitoring agreed\n"
    "The meeting in Astana, the Kazakh capital, closed with Russia, Iran and Turkey agreeing on a "
    "trilateral mechanism to observe the ceasefire between the Syrian government and the armed "
    "opposition. Delegations spent two days in talks.\n",
    "other/aleppo.txt": "Evacuation of east Aleppo resumes\n"
    "Buses carrying civilians and rebels left east Aleppo on Thursday as the evacuation resumed "
    "under a deal brokered by Russia and Turkey. The ceasefire in the city had collapsed twice.\n",
    "other/geneva.txt": "UN envoy sets date for Geneva talks\n"
    "The UN envoy for Syria said the next round of Geneva talks would open in February. Russia "
    "and the United States have backed the political process, and the government said it would "
    "attend.\n",
    "other/palmyra.txt": "Islamic State retakes Palmyra\n"
    "Islamic State fighters retook the ancient city of Palmyra on Sunday despite Russian air "
    "strikes, the monitor said. The Syrian army withdrew to the south of the city.\n",
}


def test_the_other_reports_of_the_same_event_come_first(runner, in_tmp: Path) -> None:
    corpus = in_tmp / "stories"
    for rel, text in STORIES.items():
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (corpus / rel).write_text(text, encoding="utf-8")
    assert (
        runner.invoke(app, ["index", "--corpus", "stories", "--rebuild", "--no-messages"]).exit_code
        == 0
    )
    for ident in ("astana/tass", "astana/afp", "astana/azernews"):
        result = runner.invoke(app, ["similar", ident, "-f", "jsonl", "--no-messages", "-n", "0"])
        assert result.exit_code == 0, result.stderr
        hits = [json.loads(line) for line in result.stdout.splitlines()]
        ranked = [h["id"] for h in hits]
        assert set(ranked[:2]) == {"astana/tass", "astana/afp", "astana/azernews"} - {ident}
        assert all(0 < h["score"] <= 1 for h in hits)
        assert {"trilateral", "mechanism"} & set(hits[0]["shared_terms"])


def test_bbc_neighbours_are_of_the_same_sport_and_scored_as_cosines(
    bbc_index: Path, runner
) -> None:
    result = runner.invoke(
        app, ["similar", "football/001", "--index-dir", str(bbc_index), "-f", "json", "-n", "5"]
    )
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert [h["id"].split("/")[0] for h in answer["hits"]] == ["football"] * 5
    scores = [h["score"] for h in answer["hits"]]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert (
        "similarity"
        in runner.invoke(
            app, ["similar", "tennis/001", "--index-dir", str(bbc_index), "-n", "1", "-f", "text"]
        ).stdout
    )


def test_bbc_key_terms_have_no_numbers_or_function_words(bbc_index: Path) -> None:
    index = open_index(bbc_index)
    for ident in ("football/010", "cricket/020", "rugby/030", "tennis/040", "athletics/050"):
        keys = similar(index, ident, limit=1, terms=20).key_terms
        assert len(keys) == 20
        assert not [k.word for k in keys if any(c.isdigit() for c in k.word)]
        assert not {k.word.lower() for k in keys} & {"the", "said", "which", "mr", "and"}
