"""Reading articles: formats, metadata, encodings and every kind of bad input."""
from __future__ import annotations

import json

import pytest

from geo import articles as articles_module
from geo.articles import articles_from_upload, load_articles, parse_file
from geo.errors import InputError


def test_seeds_with_metadata(seeds_dir):
    found, errors = load_articles([seeds_dir])
    assert errors == []
    by_id = {a.id: a for a in found}
    assert len(by_id) == 5
    assert by_id["000_7ff3ea9ac6ab06d7.txt"].outlet == "Tempo (TEMPO.CO)"
    assert by_id["002_875a52781534f216.txt"].published == "2023-12-08"
    assert by_id["001_4f2ad483f624a87d.txt"].published is None


def test_csv_and_jsonl_with_optional_columns(tmp_path):
    (tmp_path / "a.csv").write_text("id,text,outlet,published\nx1,Serangan di Baghdad.,Kompas,2024-01-02\n,Teks kedua.,,\n",
                                    encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": "Ledakan di Erbil.", "url": "https://e.x/1"}) + "\n", encoding="utf-8")
    found, errors = load_articles([tmp_path / "a.csv", tmp_path / "b.jsonl"])
    assert errors == []
    assert [(a.id, a.outlet, a.published) for a in found[:2]] == [("x1", "Kompas", "2024-01-02"), ("a.csv#2", None, None)]
    assert found[2].url == "https://e.x/1" and found[2].id == "b.jsonl#1"


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\t ", "empty"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("data.xlsx", b"PK\x03\x04", "unsupported"),
    ("nocol.csv", b"title,body\na,b\n", "no 'text' column"),
    ("bad.json", b"{not json", "malformed JSON"),
])
def test_unusable_files_get_a_clear_error_naming_them(name, data, message):
    with pytest.raises(InputError) as caught:
        articles_from_upload(name, data)
    assert name in str(caught.value) and message in str(caught.value)


def test_bad_rows_are_reported_and_good_rows_kept():
    data = b'{"text": "Bentrok di Sanaa."}\n{broken\n["not", "an", "object"]\n{"id": "z"}\n{"text": "Demo di Jakarta."}\n'
    found, errors = parse_file("feed.jsonl", data)
    assert [a.text for a in found] == ["Bentrok di Sanaa.", "Demo di Jakarta."]
    assert [e.split(":")[0] for e in errors] == ["feed.jsonl, line 2", "feed.jsonl, line 3", "feed.jsonl, line 4"]


def test_bad_published_value_is_a_row_error():
    found, errors = parse_file("m.csv", b"text,published\nA,kemarin sore\nB,2024-02-03\n")
    assert [a.text for a in found] == ["B"]
    assert "m.csv, line 2" in errors[0] and "published" in errors[0]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16"])
def test_legacy_encodings_are_decoded(encoding):
    text = "Serangan di Qā'im? Kedutaan – “Baghdad” café" if encoding == "utf-16" else "Kedutaan – “Baghdad” café"
    if encoding == "latin-1":
        text = "Kedutaan Baghdad café"
    [article] = articles_from_upload("x.txt", text.encode(encoding))
    assert article.text == text


def test_size_limit(monkeypatch, tmp_path):
    monkeypatch.setattr(articles_module, "MAX_FILE_BYTES", 100)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 200)
    small = tmp_path / "small.txt"
    small.write_text("Serangan roket di Erbil.", encoding="utf-8")
    found, errors = load_articles([tmp_path])
    assert [a.id for a in found] == ["small.txt"]
    assert "big.txt" in errors[0] and "limit" in errors[0]


def test_missing_file_is_an_error_not_a_crash(tmp_path):
    found, errors = load_articles([tmp_path / "nope.txt"])
    assert found == [] and "nope.txt" in errors[0]


def test_same_text_same_hash():
    [a] = articles_from_upload("a.txt", "Teks yang sama.".encode())
    [b] = articles_from_upload("b.txt", "Teks yang sama.".encode())
    assert a.content_hash == b.content_hash and a.id != b.id
