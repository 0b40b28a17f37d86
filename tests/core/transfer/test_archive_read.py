"""Reading an archive without trusting it: texts cleaned of control characters, unreadable
records left out with the reason, lesson keys checked, parts streamed within fixed limits."""
import base64
import hashlib
import json
import zipfile
from datetime import datetime, timezone

import numpy as np
import pytest

from core.errors import ImportFormatError
from core.intake.readers import read_import
from core.memory.records import HistoryEntry, Memory, content_hash
from core.transfer import archive, archive_read

NOW = datetime(2026, 5, 1, tzinfo=timezone.utc)


def note(id_="m1", text="My sister Anna lives in Lisbon", **fields) -> Memory:
    return Memory(id=id_, text=text, kind=fields.pop("kind", "note"), source=fields.pop("source", "user"),
                  created_at=1.7e9, **fields)


def write(tmp_path, memories, history=(), vectors=None, name="x.mnemo"):
    path = tmp_path / name
    path.write_bytes(archive.build(list(memories), list(history), {}, vectors or {}, NOW))
    return path


def lesson_key(scale=1.0, dim=384) -> np.ndarray:
    vector = np.zeros(dim, dtype=np.float32)
    vector[:4] = 0.5  # unit length
    return vector * scale


def test_a_record_of_only_control_characters_is_left_out_with_the_reason(tmp_path):
    path = write(tmp_path, [note(), note("m2", "\x00\x01\x1b\x7f\x9b"), note("m3", " \x00 \x08 ")])
    parsed = read_import(path)
    assert [m.id for m in parsed.archive.memories] == ["m1"]
    assert parsed.rejected.total == 2
    (reason, count), = parsed.rejected.reasons.items()
    assert count == 2 and "empty once control characters are removed" in reason
    assert parsed.rejected.examples[reason] == ["memories.jsonl line 2", "memories.jsonl line 3"]


def test_every_text_an_archive_carries_is_cleaned_of_control_characters(tmp_path):
    dirty = note("m1", "Anna\x1b[2J lives in Lisbon\x00", kind="fact", fact_key="sister\x1b[31m|lives in",
                 fact_value="Lis\x00bon", speaker="An\x07na", importance_reason="people\x1b]0;pwned\x07",
                 guard_reason="ok\x9b", conversation_id="c\x1b1", role="user", source="user\x08")
    step = HistoryEntry("h1", "m1", 1.7e9, "user\x1b", "created", "", "active", "note\x00 captured\x1b[1m")
    memory = read_import(write(tmp_path, [dirty], [step])).archive.memories[0]
    assert memory.text == "Anna[2J lives in Lisbon"
    assert (memory.fact_key, memory.fact_value, memory.speaker) == ("sister[31m|lives in", "Lisbon", "Anna")
    assert (memory.importance_reason, memory.guard_reason, memory.conversation_id) == ("people]0;pwned", "ok", "c1")
    assert memory.source == "user" and memory.role == "user"
    assert memory.content_hash == dirty.content_hash  # (none given: left as it was)
    entry = read_import(write(tmp_path, [dirty], [step], name="y.mnemo")).archive.history[0]
    assert (entry.actor, entry.reason) == ("user", "note captured[1m")
    hashed = note("m2", "Lisbon\x00", content_hash=content_hash("Lisbon\x00"))
    assert read_import(write(tmp_path, [hashed], name="z.mnemo")).archive.memories[0].content_hash == \
        content_hash("Lisbon")  # the hash follows the text it now has


def test_an_id_with_control_characters_refuses_the_archive(tmp_path):
    with pytest.raises(ImportFormatError, match="printable characters"):
        read_import(write(tmp_path, [note("m\x1b1")]))
    with pytest.raises(ImportFormatError, match="printable characters"):
        read_import(write(tmp_path, [note(links=("ok", "bad\x00"))], name="y.mnemo"))


@pytest.mark.parametrize("key,phrase", [
    (lesson_key(2.0), "not a unit vector"),
    (lesson_key(0.0), "not a unit vector"),
    (np.full(384, np.nan, dtype=np.float32), "not a 384-number vector"),
    (np.full(384, np.inf, dtype=np.float32), "not a 384-number vector"),
])
def test_a_lesson_key_must_be_a_finite_unit_vector(tmp_path, key, phrase):
    lesson = note("l1", "A record from an import was quarantined on arrival.", kind="lesson", source="mnemo",
                  guard_verdict="attack")
    with pytest.raises(ImportFormatError, match=phrase):
        read_import(write(tmp_path, [lesson], vectors={"l1": key}))
    assert np.allclose(read_import(write(tmp_path, [lesson], vectors={"l1": lesson_key()}, name="ok.mnemo"))
                       .archive.lesson_vectors["l1"], lesson_key())


def _rezip(path, change) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    change(parts)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _reseal(parts, name, data) -> None:
    """Change a part and its checksum, as a crafted (not a damaged) archive would."""
    parts[name] = data
    manifest = json.loads(parts["manifest.json"])
    manifest["parts"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    parts["manifest.json"] = json.dumps(manifest).encode()


def test_a_record_line_longer_than_any_mnemo_writes_is_refused(tmp_path):
    path = write(tmp_path, [note()])
    _rezip(path, lambda p: _reseal(p, "memories.jsonl", p["memories.jsonl"].rstrip(b"\n") + b" " * (2 << 20) + b"\n"))
    with pytest.raises(ImportFormatError, match="longer than 1,048,576 bytes"):
        read_import(path)


def test_a_count_past_the_limit_is_refused_before_any_record_is_read(tmp_path, monkeypatch):
    path = write(tmp_path, [note(), note("m2", "I love hiking")])
    monkeypatch.setattr(archive_read, "MAX_RECORDS", 1)
    calls = []
    monkeypatch.setattr(archive_read, "_stream", lambda *a: calls.append(a))
    with pytest.raises(ImportFormatError, match="Mnemo imports at most 1 and"):
        read_import(path)
    assert calls == []


def test_parts_are_streamed_never_read_whole(tmp_path, monkeypatch):
    path = write(tmp_path, [note(), note("m2", "I love hiking")], [HistoryEntry("h", "m1", 1.7e9, "user", "created",
                                                                                   "", "active", "note captured")])
    read_whole = []
    real = archive_read.read_member
    monkeypatch.setattr(archive_read, "read_member", lambda z, name, limit: read_whole.append(name) or real(z, name,
                                                                                                           limit))
    content = read_import(path).archive
    assert len(content.memories) == 2 and len(content.history) == 1
    assert "memories.jsonl" not in read_whole and "history.jsonl" not in read_whole


def test_more_rows_than_the_manifest_counts_stop_the_reading_at_once(tmp_path, monkeypatch):
    path = write(tmp_path, [note()])
    extra = json.dumps(archive.memory_dict(note("m2", "I love hiking"))).encode() + b"\n"
    _rezip(path, lambda p: _reseal(p, "memories.jsonl", p["memories.jsonl"] + extra * 50))
    seen = []
    real = archive_read._memory
    monkeypatch.setattr(archive_read, "_memory", lambda row, n: seen.append(n) or real(row, n))
    with pytest.raises(ImportFormatError, match="counts do not match"):
        read_import(path)
    assert seen == [1]  # the second row is already one too many: not even parsed into a record


def test_a_changed_part_is_named_changed_even_when_a_row_breaks_first(tmp_path):
    path = write(tmp_path, [note(), note("m2", "I love hiking")])
    _rezip(path, lambda p: p.update({"memories.jsonl": p["memories.jsonl"].replace(b'"note"', b'"nope"', 1)}))
    with pytest.raises(ImportFormatError, match="does not match its checksum"):
        read_import(path)


def test_small_parts_have_their_own_limits(tmp_path):
    path = write(tmp_path, [note()])
    _rezip(path, lambda p: _reseal(p, "settings.json", b'{"a": "' + b"x" * (2 << 20) + b'"}'))
    with pytest.raises(ImportFormatError, match="settings.json is .* more than Mnemo imports"):
        read_import(path)


def test_a_lesson_vector_for_no_lesson_is_ignored(tmp_path):
    raw = base64.b64encode(np.ones(3, dtype="<f4").tobytes()).decode()
    path = write(tmp_path, [note()])
    _rezip(path, lambda p: _reseal(p, "lesson_vectors.json", json.dumps({"nobody": raw}).encode()))
    assert read_import(path).archive.lesson_vectors == {}
