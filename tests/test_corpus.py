"""Reading the corpus: decoding bytes, splitting titles, finding files."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from syrsearch import open_index, search, update_index
from syrsearch.corpus import (
    FileStamp,
    Unreadable,
    decode,
    read_article,
    scan,
    split_title,
)
from syrsearch.engine.search import resolve_id
from syrsearch.errors import CorpusError

MakeCorpus = Callable[..., Path]

TEXT = "Caf\u00e9 talks\nKerry\u2019s \u201cceasefire\u201d plan, na\u00efve r\u00e9sum\u00e9.\n"
CP1252 = b"Caf\xe9 \x93quoted\x94"
# Mostly good UTF-8 (several multi-byte characters) and one stray byte.
DAMAGED_UTF8 = "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u201cok\u201d".encode() + b" bad\xff here\n"
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4


def read(root: Path, rel: str) -> tuple[object, str | None]:
    return read_article(root, rel, FileStamp(0, 0))


# -- decode ------------------------------------------------------------------------


def test_utf8_is_decoded_without_warning() -> None:
    assert decode(TEXT.encode("utf-8")) == (TEXT, "utf-8", None)


def test_utf8_bom_is_dropped() -> None:
    text, encoding, warning = decode(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert text == TEXT
    assert not text.startswith("\ufeff")
    assert encoding == "utf-8-sig"
    assert warning is None


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded_without_warning(codec: str) -> None:
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    data = bom + TEXT.encode(codec)
    assert data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    text, encoding, warning = decode(data)
    assert text == TEXT
    assert encoding == "utf-16"
    assert warning is None


def test_cp1252_is_decoded_with_a_warning() -> None:
    text, encoding, warning = decode(CP1252)
    assert text == "Caf\u00e9 \u201cquoted\u201d"
    assert encoding == "cp1252"
    assert warning is not None
    assert "cp1252" in warning


def test_cp1252_bytes_undefined_in_cp1252_still_decode() -> None:
    # 0x81 0x8d 0x8f 0x90 0x9d have no cp1252 character: Latin-1 fallback.
    text, encoding, warning = decode(b"Caf\xe9 \x81\x8d\x8f\x90\x9d")
    assert text == "Caf\u00e9 \x81\x8d\x8f\x90\x9d"
    assert encoding == "cp1252"
    assert warning


def test_mostly_utf8_with_one_bad_byte_is_decoded_with_replacement() -> None:
    text, encoding, warning = decode(DAMAGED_UTF8)
    assert text == "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u201cok\u201d bad\ufffd here\n"
    assert text.count("\ufffd") == 1
    assert encoding == "utf-8"
    assert warning is not None
    assert "1 invalid UTF-8" in warning


def test_binary_with_nul_bytes_is_unreadable() -> None:
    with pytest.raises(Unreadable, match="binary"):
        decode(BINARY)


# -- read_article ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t\r\n  \n", "white space"),
        (codecs.BOM_UTF8, "white space"),
        ("  \n\u3000\n".encode(), "white space"),
        (BINARY, "binary"),
        (b"\x01\x02\x03\x04\x05\x06 abc", "binary"),
    ],
)
def test_unreadable_files(make_corpus: MakeCorpus, data: bytes, reason: str) -> None:
    root = make_corpus({"bad.txt": data})
    with pytest.raises(Unreadable, match=reason):
        read(root, "bad.txt")


def test_read_article_splits_and_keeps_encoding(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"sub/a.txt": CP1252 + b"\r\nbody \x96 text\r\n"})
    article, warning = read(root, "sub/a.txt")
    assert article.title == "Caf\u00e9 \u201cquoted\u201d"
    assert article.body == "body \u2013 text\r\n"
    assert article.encoding == "cp1252"
    assert article.relpath == "sub/a.txt"
    assert article.stem == "a"
    assert warning and "cp1252" in warning


def test_read_article_of_good_utf8_has_no_warning(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"a.txt": TEXT})
    article, warning = read(root, "a.txt")
    assert warning is None
    assert (article.title, article.body) == ("Caf\u00e9 talks", TEXT.split("\n", 1)[1])


def test_missing_file_is_unreadable(make_corpus: MakeCorpus) -> None:
    root = make_corpus({})
    with pytest.raises(Unreadable):
        read(root, "gone.txt")


# -- split_title ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        ("Title\nBody line\n", "Title", "Body line\n"),
        (
            "\n  \n\t  Padded title  \nbody 1\n\n  body 2  \n",
            "Padded title",
            "body 1\n\n  body 2  \n",
        ),
        ("Only a title", "Only a title", ""),
        ("Only a title\n", "Only a title", ""),
        ("Title\r\n\r\nbody\r\n", "Title", "\r\nbody\r\n"),
        ("Title\n\n\n  indented body\n", "Title", "\n\n  indented body\n"),
        ("\u00a0\nTitle\nbody", "Title", "body"),
        ("", "", ""),
        (" \n\t\n", "", ""),
    ],
)
def test_split_title(text: str, title: str, body: str) -> None:
    assert split_title(text) == (title, body)


def test_split_title_body_is_the_exact_rest() -> None:
    text = "\n\n  Head line \n  Line one\u2019s\ttab\n\nLine \u201cthree\u201d  \n\n"
    title, body = split_title(text)
    assert title == "Head line"
    assert text.endswith("Head line \n" + body)
    assert body == "  Line one\u2019s\ttab\n\nLine \u201cthree\u201d  \n\n"


# -- scan ------------------------------------------------------------------------------


def test_scan_is_recursive_and_only_takes_txt(make_corpus: MakeCorpus) -> None:
    root = make_corpus(
        {
            "top.txt": "a\n",
            "notes.md": "no\n",
            "data.txt.bak": "no\n",
            "README": "no\n",
            "a/b/deep.txt": "a\n",
            "a/mid.txt": "a\n",
            "a/b/skip.json": "{}\n",
        }
    )
    (root / "folder.txt").mkdir()
    (root / "folder.txt" / "inside.txt").write_text("a\n", encoding="utf-8")
    found = scan(root)
    assert sorted(found) == ["a/b/deep.txt", "a/mid.txt", "folder.txt/inside.txt", "top.txt"]
    assert "folder.txt" not in found
    for rel, stamp in found.items():
        assert "\\" not in rel
        assert not rel.startswith(("/", "./"))
        assert stamp.size == (root / rel).stat().st_size
        assert stamp.mtime_ns == (root / rel).stat().st_mtime_ns


def test_scan_of_a_missing_folder_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError):
        scan(tmp_path / "nowhere")


def test_scan_of_an_empty_folder(make_corpus: MakeCorpus) -> None:
    assert scan(make_corpus({})) == {}


# -- through update_index ----------------------------------------------------------------


def test_update_index_takes_good_files_and_reports_each_bad_one(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    root = make_corpus(
        {
            "good/plain.txt": "Plain title\nThe ceasefire holds in Aleppo.\n",
            "good/bom.txt": codecs.BOM_UTF8 + "Bom title\nKerry\u2019s visit.\n".encode(),
            "good/utf16.txt": "Wide title\nLavrov spoke in Moscow.\n".encode("utf-16"),
            "warn/cp1252.txt": CP1252 + b"\nDamascus caf\xe9 news.\n",
            "warn/damaged.txt": DAMAGED_UTF8 + b"Geneva talks.\n",
            "bad/binary.txt": BINARY,
            "bad/empty.txt": b"",
            "bad/blank.txt": b" \n\n\t \n",
            "ignored.md": "Not an article\n",
        }
    )
    folder = tmp_path / "index"
    report = update_index(root, folder)

    skipped = dict(report.skipped)
    warned = dict(report.warnings)
    bad = ["bad/binary.txt", "bad/blank.txt", "bad/empty.txt"]
    assert sorted(skipped) == bad
    assert len(report.skipped) == len(bad)
    assert "binary" in skipped["bad/binary.txt"]
    assert "empty" in skipped["bad/empty.txt"]
    assert "white space" in skipped["bad/blank.txt"]
    assert sorted(warned) == ["warn/cp1252.txt", "warn/damaged.txt"]
    assert len(report.warnings) == 2
    assert "cp1252" in warned["warn/cp1252.txt"]
    assert "invalid UTF-8" in warned["warn/damaged.txt"]
    # Every file shows up once at most, in one list.
    assert not set(skipped) & set(warned)

    assert report.added == 5
    assert report.total == 5

    handle = open_index(folder)
    with handle.reading() as r:
        assert r.reader.doc_count() == 5
        paths = {stored["path"] for stored in r.reader.all_stored_fields()}
    assert paths == {
        "good/plain.txt",
        "good/bom.txt",
        "good/utf16.txt",
        "warn/cp1252.txt",
        "warn/damaged.txt",
    }

    assert resolve_id(handle, "good/bom").title == "Bom title"
    assert resolve_id(handle, "good/utf16").title == "Wide title"
    cp = resolve_id(handle, "warn/cp1252")
    assert cp.title == "Caf\u00e9 \u201cquoted\u201d"
    assert cp.encoding == "cp1252"
    assert "\ufffd" in resolve_id(handle, "warn/damaged").title
    for query, doc in [
        ("ceasefire", "good/plain"),
        ("Kerry", "good/bom"),
        ("Lavrov", "good/utf16"),
        ("Damascus", "warn/cp1252"),
        ("Geneva", "warn/damaged"),
    ]:
        assert [h.id for h in search(handle, query).hits] == [doc], query
    # "Caf\xe9" in cp1252 and "Caf\xc3\xa9" in UTF-8 are the same word once decoded.
    assert {h.id for h in search(handle, "caf\u00e9").hits} == {"warn/cp1252", "warn/damaged"}


def test_a_file_that_turns_bad_is_reported_and_dropped(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    root = make_corpus({"a.txt": "Title A\nalpha\n", "b.txt": "Title B\nbravo\n"})
    folder = tmp_path / "index"
    update_index(root, folder)
    (root / "b.txt").write_bytes(BINARY)
    report = update_index(root, folder)
    assert [rel for rel, _ in report.skipped] == ["b.txt"]
    assert report.warnings == []
    assert report.removed == 1
    handle = open_index(folder)
    assert search(handle, "bravo").total == 0
    assert [h.id for h in search(handle, "alpha").hits] == ["a"]
