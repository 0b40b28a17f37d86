"""Each import format, read from small files built from the formats' public descriptions."""
import json
import re
import shutil
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.intake.readers import ImportFormatError, read_import

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "import_samples"
from tests.shared_data import SHARED  # noqa: E402


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_chatgpt_export_follows_the_branch_the_user_saw():
    parsed = read_import(SAMPLES / "chatgpt_conversations.json")
    assert parsed.format == "chatgpt"
    assert [(t.role, t.text) for t in parsed.turns] == [
        ("user", "We land in Porto at 9 on Friday."),
        ("assistant", "Have a good flight! Try the francesinha."),  # not the regenerated answer
        ("user", "My dog is called Biscuit."),
        ("assistant", "Biscuit is a lovely name!")]
    assert [t.conversation_id for t in parsed.turns] == ["6f1c0a2e-porto"] * 2 + ["c2-dog"] * 2
    assert parsed.turns[0].at == utc(2024, 3, 1, 8, 0, 10, 500000)
    assert parsed.turns[2].at == utc(2024, 3, 2, 8, 0)  # no time of its own: the conversation's
    assert parsed.rejected.total == 0  # what is not the conversation is left out and counted:
    assert dict(parsed.skipped.reasons) == {"hidden context (system messages, instructions)": 1,
                                            "an image, audio or file without text": 1,
                                            "a tool call or its result": 1}


def test_chatgpt_zip_export_is_read_like_its_conversations_json(tmp_path):
    bundle = tmp_path / "chatgpt-export.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.write(SAMPLES / "chatgpt_conversations.json", "conversations.json")
        z.writestr("chat.html", "<html></html>")
        z.writestr("user.json", json.dumps({"id": "user-1"}))
    parsed = read_import(bundle)
    assert parsed.format == "chatgpt" and len(parsed.turns) == 4


def test_claude_export(tmp_path):
    parsed = read_import(SAMPLES / "claude_conversations.json")
    assert parsed.format == "claude"
    assert [(t.role, t.text) for t in parsed.turns] == [
        ("user", "I started Portuguese lessons on Tuesdays."),
        ("assistant", "Boa sorte! Tuesday lessons are a good rhythm.")]  # text from content blocks
    assert parsed.turns[0].at == utc(2024, 4, 2, 18, 30, 5, 120000)
    assert parsed.turns[0].conversation_id == "a1b2c3d4-0000-4000-8000-000000000001"
    assert parsed.rejected.total == 0 and dict(parsed.skipped.reasons) == {"an image, audio or file without text": 1}
    bundle = tmp_path / "claude.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.write(SAMPLES / "claude_conversations.json", "data-2024/conversations.json")
        z.writestr("data-2024/users.json", "[]")
        z.writestr("data-2024/projects.json", "[]")
    assert read_import(bundle).format == "claude"


def test_json_lines_with_and_without_conversation_and_time():
    parsed = read_import(SAMPLES / "turns.jsonl")
    assert parsed.format == "jsonl"
    assert [(t.conversation_id, t.role, t.at) for t in parsed.turns] == [
        ("garden", "user", utc(2024, 5, 3, 15, 0)),  # +02:00 kept as the instant it was
        ("garden", "assistant", utc(2024, 5, 3, 15, 0, 4)),
        ("turns", "user", None),  # no conversation: the file's name; no time: none invented
        ("42", "user", utc(2024, 5, 4))]


def test_markdown_transcript():
    parsed = read_import(SAMPLES / "transcript.md")
    assert parsed.format == "transcript"
    assert [(t.role, t.text, t.at) for t in parsed.turns] == [
        ("user", "I adopted a cat named Miso.\nShe is grey with white paws.", utc(2024, 6, 1)),
        ("assistant", "Congratulations on adopting Miso!", utc(2024, 6, 1)),
        ("user", "Miso knocked over the plant.", utc(2024, 6, 2, 9, 15)),
        ("assistant", "Cats love plants, sadly.", utc(2024, 6, 1))]


def test_plain_transcript_with_a_named_person():
    parsed = read_import(SAMPLES / "transcript.txt")
    assert [(t.role, t.speaker, t.text) for t in parsed.turns] == [
        ("user", "Dana", "Are we still on for the climbing gym on Thursday?"),
        ("user", "", "Yes, 7pm at Boulderhaus."),
        ("user", "Dana", "Great, I'll bring the chalk.\nand after that, pizza?")]
    assert all(t.at == utc(2024, 7, 10) for t in parsed.turns)


def test_text_without_speakers_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Just a shopping list\nmilk\neggs\n")
    with pytest.raises(ImportFormatError, match="needs lines that start with a speaker"):
        read_import(path)


def test_locomo_and_memorybank_samples():
    locomo = read_import(SAMPLES / "locomo_tiny.json")
    assert locomo.format == "locomo" and len(locomo.turns) == 7
    assert {t.speaker for t in locomo.turns} == {"Caroline", "Melanie"}
    assert locomo.turns[0].at == utc(2023, 5, 8, 13, 56) and locomo.turns[-1].at == utc(2023, 5, 25, 13, 14)
    bank = read_import(SAMPLES / "memorybank_tiny.json")
    assert bank.format == "memorybank" and len(bank.turns) == 16
    assert [t.role for t in bank.turns[:2]] == ["user", "assistant"] and bank.turns[0].speaker == "Emily"
    assert {t.conversation_id for t in bank.turns} == {"Emily:2023-04-27", "Emily:2023-04-28",
                                                       "Frank:2023-04-27", "Frank:2023-04-28"}


def test_the_shared_datasets_give_every_turn_in_them():
    data = json.loads((SHARED / "locomo" / "locomo10.json").read_text())
    turns = sum(len(v) for s in data for k, v in s["conversation"].items() if re.fullmatch(r"session_\d+", k))
    parsed = read_import(SHARED / "locomo" / "locomo10.json")
    assert len(parsed.turns) == turns == 5882 and parsed.rejected.total == 0
    bank = json.loads((SHARED / "memorybank" / "memory_bank_en.json").read_text())
    said = sum(("query" in e) + ("response" in e) for u in bank.values() for day in u["history"].values() for e in day)
    assert len(read_import(SHARED / "memorybank" / "memory_bank_en.json").turns) == said


@pytest.mark.parametrize("name,forced", [("turns.jsonl", "transcript"), ("transcript.md", "jsonl"),
                                         ("claude_conversations.json", "chatgpt")])
def test_a_forced_format_is_used_and_a_mismatch_explained(tmp_path, name, forced):
    with pytest.raises(ImportFormatError):
        read_import(SAMPLES / name, format=forced)


def test_format_override_reads_an_oddly_named_file(tmp_path):
    odd = tmp_path / "export.data"
    shutil.copy(SAMPLES / "turns.jsonl", odd)
    assert read_import(odd, format="jsonl").format == "jsonl"
    assert read_import(odd).format == "jsonl"  # detected from the content too
