"""JSON Lines and transcripts are read a line at a time, within fixed limits: an over-long
line or turn is left out with the reason, and what one import holds is capped."""
import json

import pytest

from core.intake.readers import ImportFormatError, read_import
from core.intake.readers import model


def test_a_json_lines_line_longer_than_any_message_is_rejected_unread(tmp_path):
    path = tmp_path / "chats.jsonl"
    huge = json.dumps({"role": "user", "content": "x" * (3 << 20)})
    path.write_text(json.dumps({"role": "user", "content": "My dog is called Biscuit"}) + "\n" + huge + "\n"
                    + json.dumps({"role": "assistant", "content": "What a good name"}) + "\n")
    parsed = read_import(path)
    assert [t.text for t in parsed.turns] == ["My dog is called Biscuit", "What a good name"]
    (reason, count), = parsed.rejected.reasons.items()
    assert count == 1 and "line is longer than 1,048,576 characters" in reason
    assert parsed.rejected.examples[reason] == ["line 2"]


def test_a_transcript_turn_too_long_to_import_is_rejected_without_being_kept(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("User: I moved to Porto.\nAssistant: Nice!\n" + ("and more words here\n" * 10_000)
                    + "User: thanks\n")
    parsed = read_import(path)
    assert [(t.role, t.text) for t in parsed.turns] == [("user", "I moved to Porto."), ("user", "thanks")]
    assert "longer than 20,000 characters" in next(iter(parsed.rejected.reasons))


def test_a_transcript_keeps_its_turns_continuations_and_dates(tmp_path):
    path = tmp_path / "chat.md"
    path.write_text("# 2024-05-01\nUser: I moved to Porto.\nit is sunny\n**Assistant:** Congratulations!\n"
                    "Rita: hello\nRita: bye\n")
    parsed = read_import(path)
    assert [(t.role, t.speaker, t.text) for t in parsed.turns] == [
        ("user", "", "I moved to Porto.\nit is sunny"), ("assistant", "", "Congratulations!"),
        ("user", "Rita", "hello"), ("user", "Rita", "bye")]
    assert all(t.at is not None and t.at.date().isoformat() == "2024-05-01" for t in parsed.turns)


@pytest.mark.parametrize("name,line", [
    ("chats.jsonl", lambda n: json.dumps({"role": "user", "content": f"message number {n} " + "word " * 20})),
    ("chats.txt", lambda n: f"User: message number {n} " + "word " * 20),
])
def test_more_message_text_than_one_import_holds_is_refused_with_a_sentence(tmp_path, monkeypatch, name, line):
    monkeypatch.setattr(model, "MAX_TEXT_BYTES", 50_000)
    path = tmp_path / name
    path.write_text("\n".join(line(n) for n in range(2000)) + "\n")
    with pytest.raises(ImportFormatError, match="more than 0 MB of message text.*Split it"):
        read_import(path)


def test_more_messages_than_one_import_holds_is_refused_with_a_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(model, "MAX_TURNS", 100)
    path = tmp_path / "chats.jsonl"
    path.write_text("".join(json.dumps({"role": "user", "content": f"hi {n}"}) + "\n" for n in range(101)))
    with pytest.raises(ImportFormatError, match="more than 100 messages.*Split it"):
        read_import(path)


def test_reasons_taken_from_the_file_are_cleaned_and_bounded():
    rejected = model.Rejected()
    for n in range(200):
        rejected.add(f"a \x1b[31mrole{n}\x1b[0m message", f"line {n}")
    assert len(rejected.reasons) == model.MAX_REASONS + 1 and rejected.total == 200
    assert rejected.reasons["other reasons"] == 200 - model.MAX_REASONS
    assert not any("\x1b" in r for r in rejected.reasons)


def test_a_wrong_value_is_named_in_a_short_sentence(tmp_path):
    path = tmp_path / "chats.jsonl"
    path.write_text(json.dumps({"role": "user", "content": "hi", "timestamp": list(range(100_000))}) + "\n")
    with pytest.raises(ImportFormatError, match="ISO-8601") as caught:
        read_import(path)
    assert len(str(caught.value)) < 200
