"""Bounded input: hostile files are refused with a sentence within fixed limits."""
import io
import json
import zipfile

import pytest

from core.bounded import StreamedArray, load_json, open_member, parse_json_bytes
from core.errors import ImportFormatError
from core.intake.readers import read_import


def test_the_streaming_parser_gives_what_json_gives():
    doc = {"a": [1, 2.5, None, True, "x", {"b": []}], "ü": "é\u2603", "n": -3e-4}
    assert load_json(io.BytesIO(json.dumps(doc).encode()), "d") == doc
    items = load_json(io.BytesIO(json.dumps([doc, [1], "s"]).encode()), "d")
    assert isinstance(items, StreamedArray) and list(items) == [doc, [1], "s"]
    assert parse_json_bytes(b"\xef\xbb\xbf[1, 2]", "d") == [1, 2]  # a byte-order mark is skipped


@pytest.mark.parametrize("nesting", ["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000])
def test_deep_nesting_is_refused_with_a_sentence(nesting):
    with pytest.raises(ImportFormatError, match="nests more than 64 levels"):
        list(load_json(io.BytesIO(nesting.encode()), "deep.json"))


@pytest.mark.parametrize("text", ["[1, 2", "{\"a\": }", "[1] 2", "\xff\xfe"])
def test_broken_json_is_named_not_valid(text):
    with pytest.raises(ImportFormatError, match="not valid JSON"):
        value = load_json(io.BytesIO(text.encode("latin-1")), "bad.json")
        list(value) if isinstance(value, StreamedArray) else value


def _zip(name: str, payload: bytes) -> zipfile.ZipFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, payload)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def test_a_member_far_larger_than_its_compressed_size_is_refused_before_it_is_unpacked():
    bundle = _zip("conversations.json", b"[" + b" " * (40 << 20) + b"]")
    with pytest.raises(ImportFormatError, match="zip bomb"):
        open_member(bundle, "conversations.json")


def test_a_member_that_holds_more_than_its_header_says_is_refused():
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("conversations.json", b"[" + b'"abc",' * 200_000 + b'"x"]')
    bundle = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    bundle.getinfo("conversations.json").file_size = 1000  # as a lying central directory says
    with pytest.raises(ImportFormatError, match="more than the 1,000 bytes it declares|damaged"):
        with open_member(bundle, "conversations.json") as stream:
            stream.read()


def test_deep_nesting_is_refused_in_every_reader_and_the_archive(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    cases = {"deep.json": deep.encode(), "deep.jsonl": ('{"role": "user", "content": ' + deep + "}\n").encode()}
    for name, payload in cases.items():
        (tmp_path / name).write_bytes(payload)
        with pytest.raises(ImportFormatError, match="nests"):
            read_import(tmp_path / name)
    for fmt in ("chatgpt", "claude", "locomo", "memorybank"):
        with pytest.raises(ImportFormatError, match="nests"):
            read_import(tmp_path / "deep.json", format=fmt)
    with zipfile.ZipFile(tmp_path / "export.zip", "w") as z:
        z.writestr("conversations.json", deep)
    with pytest.raises(ImportFormatError, match="nests"):
        read_import(tmp_path / "export.zip")
    with zipfile.ZipFile(tmp_path / "archive.mnemo", "w") as z:
        z.writestr("manifest.json", deep)
    with pytest.raises(ImportFormatError, match="nests"):
        read_import(tmp_path / "archive.mnemo")


def test_a_single_json_object_past_its_limit_is_refused_while_it_is_read(monkeypatch):
    from core import bounded

    monkeypatch.setattr(bounded, "MAX_DOCUMENT_BYTES", 1 << 20)
    stream = io.BytesIO(json.dumps({"user": {"history": {"2024-01-01": ["x" * 100] * 100_000}}}).encode())
    with pytest.raises(ImportFormatError, match="single JSON object of more than 1,048,576 bytes"):
        load_json(stream, "bank.json")
    assert stream.tell() < 2 << 20  # refused as it grew: the 10 MB value was never built whole


def test_text_lines_come_one_at_a_time_with_over_long_lines_cut(tmp_path):
    from core.bounded import text_lines

    path = tmp_path / "t.txt"
    path.write_bytes(b"\xef\xbb\xbffirst\r\n" + b"y" * 5000 + b"\nlast\rafter a CR\n" + b"z" * 100)
    assert [(n, line[:5], cut) for n, line, cut in text_lines(path, "t.txt", max_line=1000)] == [
        (1, "first", False), (2, "yyyyy", True), (3, "last", False), (4, "after", False), (5, "zzzzz", False)]
    assert [len(line) for _, line, _ in text_lines(path, "t.txt", max_line=1000)][1] == 1000


@pytest.mark.parametrize("payload,phrase", [(b"ok\nUser: hi \x00 there\n", "binary data"),
                                            (b"ok\n" * 10_000 + b"\xff\xfe\n", "neither text")])
def test_text_lines_refuse_binary_and_non_utf8_with_a_sentence(tmp_path, payload, phrase):
    from core.bounded import text_lines

    path = tmp_path / "t.txt"
    path.write_bytes(payload)
    with pytest.raises(ImportFormatError, match=phrase):
        list(text_lines(path, "t.txt"))
