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
