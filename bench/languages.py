"""How the language detector and the transliteration library were chosen.

Language detection: py3langid, lingua-language-detector and pycld2 on 32
short news sentences (one or two lines each, in 12 languages: the headlines
and ledes of Syrian-war coverage), then on whole English articles (BBC Sport
and Cranfield, where every text is English: how many does each call
something else?). Reports accuracy, time per text, and time to load.

Transliteration: anyascii, unidecode and ICU (PyICU's ``Any-Latin;
Latin-ASCII``) on Arabic and Russian names, with the name key syrsearch
builds from each (``syrsearch.text.names.skeleton``) beside the key of the
usual English spelling.

The candidates are not syrsearch dependencies (only pycld2 and anyascii are);
install them in a throwaway venv to run this:

    pip install py3langid lingua-language-detector pycld2 anyascii unidecode pyicu
    python bench/languages.py [--bbc DIR] [--cranfield DIR]
"""

# ruff: noqa: RUF001, E501  (the samples are the data, in their own scripts)
from __future__ import annotations

import argparse
import contextlib
import importlib
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SAMPLES = [
    (
        "en",
        "Russian Foreign Minister Sergei Lavrov met UN envoy Staffan de Mistura in Geneva on Tuesday.",
    ),
    ("en", "Rebels agreed to a ceasefire in eastern Aleppo after talks in Astana."),
    ("en", "The Syrian army recaptured Palmyra from Islamic State fighters."),
    ("en", "Kerry said the talks would resume next week."),
    (
        "ru",
        "Министр иностранных дел России Сергей Лавров провёл переговоры с Де Мистурой в Женеве.",
    ),
    ("ru", "Переговоры в Астане продолжатся на следующей неделе."),
    ("ru", "Сирийская армия освободила Пальмиру от боевиков ИГИЛ."),
    ("ru", "Лавров заявил о прекращении огня."),
    ("ar", "التقى وزير الخارجية الروسي سيرغي لافروف المبعوث الأممي دي ميستورا في جنيف."),
    ("ar", "استئناف المفاوضات في أستانا الأسبوع المقبل."),
    ("ar", "الجيش السوري يستعيد تدمر من تنظيم الدولة الإسلامية."),
    ("ar", "قال الأسد إن الأزمة ستنتهي."),
    ("fr", "Le ministre russe des Affaires étrangères a rencontré l'envoyé de l'ONU à Genève."),
    ("fr", "Les négociations d'Astana reprendront la semaine prochaine."),
    ("fr", "L'armée syrienne a repris Palmyre aux djihadistes de l'État islamique."),
    ("fr", "L'Élysée appelle à un cessez-le-feu."),
    ("de", "Der russische Außenminister Lawrow traf den UN-Sondergesandten in Genf."),
    ("de", "Die Gespräche in Astana werden nächste Woche fortgesetzt."),
    ("de", "Die syrische Armee hat Palmyra zurückerobert."),
    ("es", "El ministro ruso de Exteriores se reunió con el enviado de la ONU en Ginebra."),
    ("es", "Las negociaciones de Astaná se reanudarán la próxima semana."),
    ("es", "El ejército sirio recuperó Palmira."),
    ("tr", "Rusya Dışişleri Bakanı Lavrov, BM temsilcisiyle Cenevre'de görüştü."),
    ("tr", "Astana'daki müzakereler gelecek hafta devam edecek."),
    ("tr", "Suriye ordusu Palmira'yı geri aldı."),
    ("it", "Il ministro degli Esteri russo ha incontrato l'inviato dell'ONU a Ginevra."),
    ("it", "I negoziati di Astana riprenderanno la prossima settimana."),
    ("zh", "俄罗斯外长拉夫罗夫在日内瓦会见联合国特使。"),
    ("zh", "叙利亚各方同意停火。"),
    ("ja", "ロシアのラブロフ外相はジュネーブで国連特使と会談した。"),
    ("fa", "وزیر امور خارجه روسیه با فرستاده سازمان ملل در ژنو دیدار کرد."),
    ("uk", "Міністр закордонних справ Росії Сергій Лавров зустрівся з посланцем ООН у Женеві."),
]

NAMES = [
    ("Лавров", "Lavrov"), ("Шойгу", "Shoigu"), ("Путин", "Putin"), ("Чуркин", "Churkin"),
    ("Женева", "Geneva"), ("Идлиб", "Idlib"), ("Асад", "Assad"), ("Пальмира", "Palmyra"),
    ("الأسد", "Assad"), ("لافروف", "Lavrov"), ("بوتين", "Putin"), ("إدلب", "Idlib"),
    ("داعش", "Daesh"), ("أستانا", "Astana"), ("ميستورا", "Mistura"), ("كيري", "Kerry"),
    ("جنيف", "Geneva"), ("حماة", "Hama"),
]  # fmt: skip


def detectors() -> dict[str, tuple[Callable[[str], str | None], float]]:
    """name -> (detect, seconds to load), for each candidate installed."""
    found: dict[str, tuple[Callable[[str], str | None], float]] = {}
    try:
        started = time.perf_counter()
        from syrsearch.text.lang import detect_language

        detect_language("warm up")
        found["pycld2 (syrsearch)"] = (detect_language, time.perf_counter() - started)
    except ImportError:
        pass
    try:
        started = time.perf_counter()
        langid = importlib.import_module("py3langid.langid")
        ident = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
        ident.classify("warm up")
        found["py3langid"] = (lambda t: ident.classify(t)[0], time.perf_counter() - started)
    except ImportError:
        pass
    try:
        started = time.perf_counter()
        lingua = importlib.import_module("lingua")
        det = lingua.LanguageDetectorBuilder.from_all_languages().build()
        det.detect_language_of("warm up")

        def with_lingua(text: str) -> str | None:
            lang = det.detect_language_of(text)
            return lang.iso_code_639_1.name.lower() if lang else None

        found["lingua (high accuracy)"] = (with_lingua, time.perf_counter() - started)
    except ImportError:
        pass
    return found


def compare_detectors(bbc: Path | None, cranfield: Path | None) -> None:
    print(
        "| detector | short texts right | µs a text | load s | BBC Sport not en | Cranfield not en |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    corpora = {
        name: [p.read_text(encoding="utf-8", errors="replace") for p in sorted(root.rglob("*.txt"))]
        for name, root in (("bbc", bbc), ("cranfield", cranfield))
        if root is not None and root.is_dir()
    }
    for name, (detect, load) in detectors().items():
        right = sum(detect(text) == lang for lang, text in SAMPLES)
        rounds = 2 if "lingua" in name else 20
        started = time.perf_counter()
        for _ in range(rounds):
            for _, text in SAMPLES:
                detect(text)
        per_text = (time.perf_counter() - started) / (rounds * len(SAMPLES)) * 1e6
        wrong = {k: Counter(detect(t) for t in texts) for k, texts in corpora.items()}
        cells = [
            f"{sum(n for lang, n in wrong[k].items() if lang != 'en')} of {len(corpora[k])}"
            if k in corpora
            else "-"
            for k in ("bbc", "cranfield")
        ]
        print(
            f"| {name} | {right}/{len(SAMPLES)} | {per_text:,.0f} | {load:.1f} | {' | '.join(cells)} |"
        )


def compare_transliteration() -> None:
    from syrsearch.text.names import skeleton

    libs: dict[str, Callable[[str], str]] = {}
    with contextlib.suppress(ImportError):
        libs["anyascii"] = importlib.import_module("anyascii").anyascii
    with contextlib.suppress(ImportError):
        libs["unidecode"] = importlib.import_module("unidecode").unidecode
    try:
        icu = importlib.import_module("icu")
        trans = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
        libs["ICU"] = trans.transliterate
    except ImportError:
        pass
    print("| name | English key | " + " | ".join(libs) + " |")
    print("|---|---|" + "---|" * len(libs))
    meets = Counter[str]()
    for name, english in NAMES:
        base = name[2:] if name.startswith("ال") else name  # the Arabic article
        base = base[:-1] if base.endswith("ة") else base
        cells = []
        for lib, fn in libs.items():
            latin = fn(base)
            ok = skeleton(latin) == skeleton(english)
            meets[lib] += ok
            cells.append(f"{latin} `{skeleton(latin)}`{' ✓' if ok else ''}")
        print(f"| {name} | {english} `{skeleton(english)}` | " + " | ".join(cells) + " |")
    print(
        "keys that meet the English one: "
        + ", ".join(f"{k} {v}/{len(NAMES)}" for k, v in meets.items())
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bbc", type=Path, default=REPO.parent / "shared" / "news" / "bbcsport")
    ap.add_argument(
        "--cranfield", type=Path, default=REPO.parent / "shared" / "ir" / "cranfield" / "docs"
    )
    args = ap.parse_args(argv)
    compare_detectors(args.bbc, args.cranfield)
    print()
    compare_transliteration()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
