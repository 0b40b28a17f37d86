"""Google AI Studio chats as saved on Drive (a JSON file, usually without an extension), read
from a sample written after the files' public shape: chunks, thoughts, a system instruction."""
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.intake.readers import ImportFormatError, read_import

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "import_samples" / "aistudio" / "Porto weekend plan"
REASONING, HIDDEN = "the assistant's reasoning (thinking)", "hidden context (system messages, instructions)"
MEDIA = "an image, audio or file without text"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def saved() -> dict:
    return json.loads(SAMPLE.read_text())


def write(tmp_path, data, name="Untitled prompt") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_the_chat_without_thoughts_or_the_system_instruction():
    parsed = read_import(SAMPLE)
    assert parsed.format == "aistudio"
    assert [(t.role, t.text) for t in parsed.turns] == [
        ("user", "I'm planning a weekend in Porto with my partner Rui in October."),
        ("assistant", "Porto in October is lovely: mild days, port cellars in Gaia and walks along the Douro."),
        ("user", "Rui is vegetarian, so please suggest restaurants that suit him."),
        ("assistant", "Da Terra and Essencia are both vegetarian and close to the Ribeira.")]
    assert [t.at for t in parsed.turns] == [utc(2025, 6, 1, 10), utc(2025, 6, 1, 10, 0, 9), utc(2025, 6, 1, 10, 2),
                                            None]  # (most saved chats give no times at all)
    assert len({t.conversation_id for t in parsed.turns}) == 1 and parsed.turns[0].conversation_id.startswith("aistudio-")
    assert dict(parsed.skipped.reasons) == {HIDDEN: 1, REASONING: 1, MEDIA: 1}
    assert parsed.skipped.examples == {HIDDEN: ["systemInstruction"], REASONING: ["chunk 2"], MEDIA: ["chunk 4"]}
    assert not parsed.rejected.total


def test_detected_by_content_and_the_same_chat_keeps_its_conversation(tmp_path):
    first = read_import(write(tmp_path, saved(), "notes.json"))
    assert first.format == "aistudio"
    grown = saved()
    grown["chunkedPrompt"]["chunks"].append({"text": "Book Da Terra for Saturday.", "role": "user"})
    grown["systemInstruction"] = {"parts": [{"text": "Be brief."}]}
    again = read_import(write(tmp_path, grown))
    assert again.turns[0].conversation_id == first.turns[0].conversation_id and len(again.turns) == 5
    other = saved()
    other["chunkedPrompt"]["chunks"][0]["text"] = "A weekend in Braga, please."
    assert read_import(write(tmp_path, other)).turns[0].conversation_id != first.turns[0].conversation_id


def test_thought_parts_function_calls_and_drafts_are_left_out_and_counted(tmp_path):
    data = saved()
    data["systemInstruction"] = {}
    data["chunkedPrompt"]["chunks"] = [
        {"role": "user", "text": "What is the weather in Porto?"},
        {"role": "model", "functionCall": {"name": "get_weather", "args": {"city": "Porto"}}},
        {"role": "model", "parts": [{"text": "Checking the forecast first.", "thought": True},
                                    {"text": "Sunny, 24 degrees."}]}]
    data["chunkedPrompt"]["pendingInputs"] = [{"text": "and tomorrow?", "role": "user"}]
    parsed = read_import(write(tmp_path, data))
    assert [t.text for t in parsed.turns] == ["What is the weather in Porto?", "Sunny, 24 degrees."]
    assert dict(parsed.skipped.reasons) == {"a tool call or its result": 1, REASONING: 1, "an unsent draft": 1}


def test_imported_through_mnemo(mnemo):
    report = mnemo.import_parsed(mnemo.read_import(SAMPLE), SAMPLE.name)
    assert (report.format, report.imported, report.conversations, report.rejected.total) == ("aistudio", 4, 1, 0)
    assert report.skipped.total == 3
    turns = sorted(mnemo.store.all(kinds=["turn"]), key=lambda m: m.event_at or float("inf"))
    assert [(m.role, m.speaker) for m in turns] == [("user", ""), ("assistant", ""), ("user", ""), ("assistant", "")]
    assert turns[0].event_at == utc(2025, 6, 1, 10).timestamp() and turns[-1].event_at is None
    assert not any("Planning the weekend" in m.text or "travel planner" in m.text for m in mnemo.store.all())


@pytest.mark.parametrize("change, reason, place", [
    (lambda c: c.__setitem__(4, None), "a message that is not an object", "chunk 5"),
    (lambda c: c[4].update(createTime="Sunday"), "a message whose time cannot be read", "chunk 5"),
    (lambda c: c[4].pop("role"), "a message without a role", "chunk 5"),
])
def test_a_bad_chunk_is_rejected_with_its_place_and_the_rest_imports(mnemo, tmp_path, change, reason, place):
    data = saved()
    change(data["chunkedPrompt"]["chunks"])
    path = write(tmp_path, data)
    report = mnemo.import_parsed(mnemo.read_import(path), path.name)
    assert report.imported == 3 and report.rejected.reasons == {reason: 1}
    assert f"{reason} (e.g. {place})" in "\n".join(report.lines())


@pytest.mark.parametrize("content, problem", [
    ({"chunkedPrompt": {"chunks": "none"}}, "'chunkedPrompt.chunks' should be a list, not text"),
    ({"runSettings": {}, "chunkedPrompt": None}, "'chunkedPrompt' should be an object, not null"),
    ([1, 2], "The AI Studio file should be an object with .chunkedPrompt., not a list"),
    ({"chunkedPrompt": {"chunks": [7, {"text": "hi"}]}}, "Chunk 1: it should be an object, not a number"),
])
def test_a_file_that_is_not_an_ai_studio_chat_is_refused_with_a_sentence(tmp_path, content, problem):
    with pytest.raises(ImportFormatError, match=problem):
        read_import(write(tmp_path, content), "aistudio")
