import io
import json
import os
from pathlib import Path

import pytest

from detente.ingest import read_inputs
from detente.types import RawDoc, Rejection

ARTICLE = "Russian troops withdrew from the village on Tuesday, a monitoring group said.\n"


def _read(paths, **kw):
    return list(read_inputs([str(p) for p in paths], **kw))


def test_text_file_id_is_stem_and_input_is_path(tmp_path):
    f = tmp_path / "story-one.txt"
    f.write_text(ARTICLE)
    [doc] = _read([f])
    assert isinstance(doc, RawDoc) and doc.id == "story-one" and doc.input == str(f)


def test_directory_is_read_recursively_in_order_and_skips_unknown_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(ARTICLE)
    (tmp_path / "1.txt").write_text(ARTICLE)
    (tmp_path / "notes.md").write_text("# not an article")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert [d.id for d in _read([tmp_path])] == ["1", "2"]


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "PNG image"),
        ("binary.txt", bytes(range(256)) * 8, "not a text file"),
        ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    ],
)
def test_bad_files_become_one_clear_rejection(tmp_path, name, content, problem):
    f = tmp_path / name
    f.write_bytes(content)
    [rej] = _read([f])
    assert isinstance(rej, Rejection) and rej.input == str(f) and problem in rej.reason


def test_missing_path_is_rejected_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    items = _read([tmp_path / "missing.txt", good])
    assert isinstance(items[0], Rejection) and "no such file" in items[0].reason
    assert isinstance(items[1], RawDoc)


def test_latin1_text_is_decoded(tmp_path):
    f = tmp_path / "latin1.txt"
    f.write_bytes("Le ministre turc Mevlüt Çavuşoğlu a rencontré son homologue à Genève.".encode("cp1252", errors="replace"))
    [doc] = _read([f])
    assert isinstance(doc, RawDoc) and "Genève" in doc.text


def test_invalid_utf8_in_mostly_utf8_text_still_decodes(tmp_path):
    f = tmp_path / "mixed.txt"
    f.write_bytes(ARTICLE.encode() * 20 + b"caf\xe9 \xff\n")
    [doc] = _read([f])
    assert isinstance(doc, RawDoc) and "Russian troops" in doc.text


def test_oversized_single_line_file_is_refused_without_reading_it(tmp_path):
    f = tmp_path / "huge.txt"
    with f.open("wb") as fh:
        fh.write(b"word " * (4 * 1024 * 1024))  # 20 MB, one line
    [rej] = _read([f], max_bytes=5_000_000)
    assert isinstance(rej, Rejection) and "over the 5,000,000-byte limit" in rej.reason


def test_html_article_keeps_title_date_url(tmp_path):
    from conftest import EXAMPLES

    [doc] = _read([EXAMPLES / "07_clash_warning.html"])
    assert doc.format == "html"
    assert doc.title.startswith("Russia warns U.S.")
    assert doc.url.endswith("a1477") and str(doc.published) == "2023-09-28"
    assert "Leave a comment" not in doc.text and "Related articles" not in doc.text


def test_html_without_article_body_is_rejected(tmp_path):
    f = tmp_path / "empty.html"
    f.write_text("<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    [rej] = _read([f])
    assert isinstance(rej, Rejection) and "no article body" in rej.reason


def test_jsonl_bad_lines_are_rejected_individually(tmp_path):
    f = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a", "text": ARTICLE, "published": "2023-05-01", "url": "https://x.org/a"}),
        "{not json",
        json.dumps({"id": "b", "title": "no text here"}),
        json.dumps({"id": "c", "text": ARTICLE, "published": "May first"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": ARTICLE}),
    ]
    f.write_text("\n".join(lines) + "\n")
    items = _read([f])
    assert [type(i).__name__ for i in items] == ["RawDoc", "Rejection", "Rejection", "Rejection", "Rejection", "RawDoc"]
    assert items[0].id == "a" and str(items[0].published) == "2023-05-01" and items[0].url == "https://x.org/a"
    assert items[1].input == f"{f}:2" and "invalid JSON" in items[1].reason
    assert "no 'text'" in items[2].reason
    assert "not a YYYY-MM-DD date" in items[3].reason
    assert "not an object" in items[4].reason
    assert items[5].id == "feed:6"


def test_stdin_text_and_jsonl_are_sniffed():
    [doc] = list(read_inputs(["-"], stdin=io.BytesIO(ARTICLE.encode())))
    assert doc.id == "stdin" and doc.input == "<stdin>"
    records = io.BytesIO((json.dumps({"id": "x1", "text": ARTICLE}) + "\n").encode())
    [doc] = list(read_inputs(["-"], stdin=records))
    assert doc.id == "x1"


def test_published_option_applies_to_plain_text(tmp_path):
    from datetime import date

    f = tmp_path / "a.txt"
    f.write_text(ARTICLE)
    [doc] = _read([f], published=date(2020, 6, 5))
    assert doc.published == date(2020, 6, 5)


def test_list_file_names_saved_articles(tmp_path):
    (tmp_path / "saved.txt").write_text(ARTICLE)
    lst = tmp_path / "batch.list"
    lst.write_text("# saved pages\nsaved.txt\nfile://" + str(tmp_path / "saved.txt") + "\ngone.txt\n")
    items = _read([lst])
    assert [type(i).__name__ for i in items] == ["RawDoc", "RawDoc", "Rejection"]


ACCENTED = "Le ministre turc Mevlüt Çavuşoğlu a rencontré Sergueï Lavrov à Genève — « un dialogue utile ».\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-8-sig"])
def test_utf16_and_utf32_with_or_without_a_byte_order_mark_are_decoded(tmp_path, codec):
    f = tmp_path / "wide.txt"
    f.write_bytes((ARTICLE + ACCENTED).encode(codec))  # "utf-16"/"utf-32" write a BOM, -le/-be do not
    [doc] = _read([f])
    assert isinstance(doc, RawDoc) and doc.text == ARTICLE + ACCENTED


def test_a_few_bad_bytes_in_utf8_are_replaced_with_a_warning_naming_the_file(tmp_path, caplog):
    f = tmp_path / "stray.txt"
    f.write_bytes(ARTICLE.encode() * 5 + ACCENTED.encode() + b"Caf\xc3\xa9 \x96 and \xff.\n")
    with caplog.at_level("WARNING", logger="detente.ingest"):
        [doc] = _read([f])
    assert "Çavuşoğlu" in doc.text and "Café \ufffd and \ufffd." in doc.text
    assert [r.getMessage() for r in caplog.records] == [f"{f}: 2 bytes not valid UTF-8, replaced with U+FFFD"]


def test_an_unreadable_directory_is_an_error_not_silence(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text(ARTICLE)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_text(ARTICLE)
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads it anyway: refuse it the way the kernel refuses anyone else
        scandir = os.scandir
        monkeypatch.setattr(os, "scandir", lambda p=".": (_ for _ in ()).throw(PermissionError(13, "Permission denied", str(p)))
                            if Path(p) == locked else scandir(p))
    try:
        items = _read([tmp_path])
    finally:
        locked.chmod(0o755)
    assert [type(i).__name__ for i in items] == ["Rejection", "RawDoc"]
    assert items[0].input == str(locked) and "cannot read directory: Permission denied" in items[0].reason


PARAGRAPH = "<p>Russian jets bombed rebel positions near Idlib on Tuesday, the monitoring group said, and Turkey condemned the strikes.</p>"


@pytest.mark.parametrize("divs, outcome", [
    (253, "RawDoc"),
    (254, "levels deep; the HTML parser reads 255 levels"),
    (10_000, "nests elements 10,003 levels deep"),
])
def test_deeply_nested_html_is_read_or_refused_for_what_it_is(tmp_path, divs, outcome):
    f = tmp_path / "deep.html"
    f.write_text("<html><head><title>Strikes</title></head><body>" + "<div>" * divs + PARAGRAPH + "</div>" * divs + "</body></html>")
    [item] = _read([f])
    assert type(item).__name__ == outcome if outcome == "RawDoc" else outcome in item.reason


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01"])
def test_a_publication_date_outside_the_news_range_is_a_record_error(tmp_path, published):
    f = tmp_path / "feed.jsonl"
    f.write_text(json.dumps({"id": "a", "text": ARTICLE, "published": published}) + "\n")
    [rej] = _read([f])
    assert isinstance(rej, Rejection) and "outside 1800–2199" in rej.reason
