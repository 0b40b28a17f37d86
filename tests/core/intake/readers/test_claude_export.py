"""Claude's export, read from samples written after its public shape (data/import_samples/claude/):
conversations (a list, or one alone), thinking and tool blocks left out and counted, attachments'
extracted text kept, Claude's saved memory (memories.json) imported as notes about the user, also
from the export's zip; a bad record is left out and named, a broken file refused."""
import copy
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.intake.readers import ImportFormatError, read_import
from core.intake.readers.tolerant import NOTE_CHARS

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "import_samples" / "claude"
CONVERSATIONS, MEMORIES = SAMPLES / "conversations.json", SAMPLES / "memories.json"
RUN, BREAD = "5b1e0000-0000-4000-8000-000000000001", "5b1e0000-0000-4000-8000-000000000002"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data))
    return path


def test_the_sample_conversations():
    parsed = read_import(CONVERSATIONS)
    assert parsed.format == "claude"
    assert [(t.conversation_id, t.role) for t in parsed.turns] == [(RUN, "user"), (RUN, "assistant")] * 2 + [
        (BREAD, "user"), (BREAD, "assistant")]
    texts = [t.text for t in parsed.turns]
    assert texts[0] == ("I'm training for the Porto half marathon on 3 November. Here is my plan.\n\n"
                        "[attached: training-plan.txt]\nWeek 1: three easy 5 km runs\n"
                        "Week 2: three 6 km runs, one with strides\nWeek 8: taper, 10 km long run")
    assert texts[1] == "Eight weeks is enough if you add one long run a week."  # not the thinking
    # the text blocks around a web search, without the search or the export's placeholder for it
    assert texts[3] == "Let me look that up.\n\nEarly November in Porto is usually 12 to 18 °C, often rainy."
    assert texts[4] == "My sourdough starter is called Bubbles."  # "content": null: the message's text
    assert parsed.turns[0].at == utc(2024, 9, 10, 7, 0, 5, 123456)
    assert parsed.turns[5].at == utc(2024, 9, 12, 19, 30, 15)
    assert {t.speaker for t in parsed.turns} == {""} and parsed.rejected.total == 0
    assert dict(parsed.skipped.reasons) == {"the assistant's reasoning (thinking)": 1, "a tool call or its result": 2,
                                            "an image, audio or file without text": 1}  # the photo of new shoes


def test_a_single_conversation_saved_alone():
    parsed = read_import(SAMPLES / "single_conversation.json")
    assert parsed.format == "claude" and [t.text for t in parsed.turns] == [
        "My sourdough starter is called Bubbles.", "Bubbles is a fine name for a starter!"]


def test_claudes_saved_memory_becomes_notes_a_section_each():
    parsed = read_import(MEMORIES)
    assert parsed.format == "claude" and not parsed.turns
    assert [n.text for n in parsed.notes] == [
        "Claude's memory of me (Work context): Marta is a nurse who works night shifts at a hospital in Lisbon.",
        "Claude's memory of me (Personal context): She has a cat called Pimenta. She is training for the Porto half "
        "marathon on 3 November.",
        "Claude's memory of me (Top of mind): She is moving flats on 1 July.",
        "Claude's memory of a project of mine: Planning the move: the lease asks for 60 days' written notice."]
    assert parsed.notes[0].where == "saved memory 1, part 1"


def test_a_long_saved_memory_is_cut_into_notes_none_lost(tmp_path):
    paragraphs = [f"Fact number {n}: " + "the user likes long walks by the river " * 12 for n in range(80)]
    parsed = read_import(write(tmp_path / "memories.json", {"conversations_memory": "\n\n".join(paragraphs)}))
    assert parsed.rejected.total == 0 and len(parsed.notes) > 10
    assert all(len(n.text) <= NOTE_CHARS + 40 for n in parsed.notes)
    kept = "\n\n".join(n.text.split(": ", 1)[1] for n in parsed.notes)
    assert all(f"Fact number {n}:" in kept for n in range(80))


def test_the_export_zip_gives_conversations_and_memories(tmp_path):
    bundle = tmp_path / "data-2024-09-20-batch-0000.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.write(CONVERSATIONS, "conversations.json")
        z.write(MEMORIES, "memories.json")
        z.writestr("users.json", json.dumps([{"uuid": "acc-0001", "full_name": "Marta", "email_address": "m@x.org"}]))
        z.writestr("projects.json", "[]")
    for forced in (None, "claude"):
        parsed = read_import(bundle, forced)
        assert parsed.format == "claude" and (len(parsed.turns), len(parsed.notes)) == (6, 4)
        assert parsed.skipped.total == 4


def test_importing_the_export_through_mnemo(mnemo, tmp_path):
    bundle = tmp_path / "claude.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.write(CONVERSATIONS, "conversations.json")
        z.write(MEMORIES, "memories.json")
    report = mnemo.import_parsed(mnemo.read_import(bundle), bundle.name)
    assert (report.imported, report.notes, report.conversations, report.rejected.total) == (10, 4, 2, 0)
    assert any("Of these, notes about you" in line for line in report.lines())
    notes = sorted(m.text for m in mnemo.memories() if m.kind == "note")
    assert notes[0].startswith("Claude's memory of a project of mine") and len(notes) == 4
    turns = [m for m in mnemo.memories() if m.kind == "turn"]
    assert {m.role for m in turns} == {"user", "assistant"} and len(turns) == 6
    again = mnemo.import_parsed(mnemo.read_import(MEMORIES), "memories.json")
    assert (again.imported, again.duplicates) == (0, 4)  # a saved memory is remembered once


def _sample() -> list:
    return json.loads(CONVERSATIONS.read_text())


BAD_RECORDS = [
    ("a null message", lambda d: d[0]["chat_messages"].__setitem__(2, None),
     "a null message", "conversation 1 (5b1e0000-0000-4000-8000-000000000001), message 3", 5),
    ("an unreadable date", lambda d: d[0]["chat_messages"][2].update(created_at="the third of Smarch"),
     "a message whose time cannot be read", "conversation 1 (5b1e0000-0000-4000-8000-000000000001), message 3", 5),
    ("a message from nobody", lambda d: d[1]["chat_messages"][0].update(sender=None),
     "a message from 'None', not the human or the assistant",
     "conversation 2 (5b1e0000-0000-4000-8000-000000000002), message 1", 5),
    ("a block that is not an object", lambda d: d[0]["chat_messages"][1]["content"].insert(0, "??"),
     "a content block that cannot be read", "conversation 1 (5b1e0000-0000-4000-8000-000000000001), message 2, block 1",
     6),
    ("messages not a list", lambda d: d[1].update(chat_messages={"m": 1}),
     "a conversation without a list of messages", "conversation 2 (5b1e0000-0000-4000-8000-000000000002)", 4),
    ("a conversation that is not an object", lambda d: d.append("oops"),
     "a conversation that is not an object", "conversation 3", 6),
]


@pytest.mark.parametrize("name,change,reason,where,turns", BAD_RECORDS, ids=[b[0] for b in BAD_RECORDS])
def test_a_bad_record_is_left_out_named_and_the_rest_imports(mnemo, tmp_path, name, change, reason, where, turns):
    data = copy.deepcopy(_sample())
    change(data)
    path = write(tmp_path / "conversations.json", data)
    parsed = mnemo.read_import(path)
    assert len(parsed.turns) == turns
    assert dict(parsed.rejected.reasons) == {reason: 1} and parsed.rejected.examples[reason] == [where]
    report = mnemo.import_parsed(parsed, path.name)
    assert report.imported == turns and f"  1 × {reason} (e.g. {where})" in report.lines()


def test_content_null_and_blocks_without_text_fall_back_or_are_left_out(tmp_path):
    data = _sample()
    data[0]["chat_messages"][0]["content"] = None  # the message's text is read instead
    data[0]["chat_messages"][1]["content"] = [{"type": "thinking", "thinking": "hmm"}]  # nothing said: left out
    parsed = read_import(write(tmp_path / "conversations.json", data))
    assert parsed.turns[0].text.startswith("I'm training for the Porto half marathon")
    assert len(parsed.turns) == 5 and parsed.rejected.total == 0


def test_a_saved_memory_that_is_not_text_is_rejected_and_the_rest_kept(tmp_path):
    parsed = read_import(write(tmp_path / "memories.json", [
        {"conversations_memory": 42, "project_memories": {"p1": "Works on a garden plan."}}]))
    assert [n.text for n in parsed.notes] == ["Claude's memory of a project of mine: Works on a garden plan."]
    assert parsed.rejected.reasons == {"the note is not text": 1}
    assert parsed.rejected.examples["the note is not text"] == ["saved memory 1"]


@pytest.mark.parametrize("content,phrase", [
    (b'{"uuid": "u1", "chat_messages": 5}', r"^Conversation 1 \(u1\): its 'chat_messages' should be a list, not a "
                                            r"number\.$"),
    (b'[{"uuid": "u1", "chat_messages": "nope"}, 3]', "'chat_messages' should be a list"),
    (b'"just text"', "should be a list"),
])
def test_an_unreadable_file_is_refused_with_a_sentence(tmp_path, content, phrase):
    path = tmp_path / "conversations.json"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError, match=phrase) as refused:
        read_import(path, "claude")
    assert "\n" not in str(refused.value)
