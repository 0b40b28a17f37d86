"""Open WebUI chat exports ("Export Chats": a list of chats with their message trees), read
from a sample written after the app's export (and its older format, the chats unwrapped)."""
import json
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.intake.readers import ImportFormatError, ParsedImport, read_import
from core.intake.readers.openwebui import _without_blocks

SAMPLE = (Path(__file__).resolve().parents[3] / "data" / "import_samples" / "openwebui"
          / "chat-export-1717000105000.json")
TOMATOES, MISO = "3f6b2c1e-7d44-4f0a-9c2e-5b8a1d000001", "9a1d7c55-2b3e-4c6f-8d90-000000000002"
REASONING, TOOLS = "the assistant's reasoning (thinking)", "a tool call or its result"
HIDDEN = "hidden context (system messages, instructions)"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def chats() -> list:
    return json.loads(SAMPLE.read_text())


def write(tmp_path, data, name="export.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_the_branch_the_user_ended_on_without_reasoning_tool_calls_or_system_messages():
    parsed = read_import(SAMPLE)
    assert parsed.format == "openwebui"
    assert [(t.role, t.text) for t in parsed.turns] == [
        ("user", "I planted three tomato plants on my balcony in Porto."),
        ("assistant", "Lovely! Tomatoes love sun: six to eight hours a day is ideal."),  # not the first answer
        ("user", "They get sun from noon until six."),
        ("assistant", "Six hours of sun and today's 24 degrees are perfect for them."),
        ("user", "My cat Miso turns four on June 2."),  # an older export: the chat itself, unwrapped
        ("assistant", "Happy early birthday to Miso! Four is a fine age for a cat.")]
    assert [t.conversation_id for t in parsed.turns] == [TOMATOES] * 4 + [MISO] * 2
    assert [t.at for t in parsed.turns] == [
        utc(2024, 5, 29, 16, 26, 40), utc(2024, 5, 29, 16, 27, 10), utc(2024, 5, 29, 16, 28, 20),
        utc(2024, 5, 29, 16, 28, 25),  # milliseconds
        utc(2023, 11, 14, 22, 13, 25), utc(2023, 11, 14, 22, 13, 25)]  # no time: the one before it
    assert dict(parsed.skipped.reasons) == {HIDDEN: 2, REASONING: 1, TOOLS: 1}
    assert parsed.skipped.examples[HIDDEN] == [f"chat 1 ({TOMATOES})", f"chat 2 ({MISO}), message 1"]
    assert not parsed.rejected.total


def test_detected_by_content_and_one_chat_alone(tmp_path):
    assert read_import(write(tmp_path, chats(), "backup.json")).format == "openwebui"
    one = read_import(write(tmp_path, chats()[0], "chat-Balcony.json"))  # one chat, as an object
    assert one.format == "openwebui" and len(one.turns) == 4


def test_without_current_id_the_shown_messages_or_else_every_message_by_time(tmp_path):
    data = chats()
    del data[0]["chat"]["history"]["currentId"]
    assert [t.text[:6] for t in read_import(write(tmp_path, data)).turns][:4] == ["I plan", "Lovely", "They g", "Six ho"]
    del data[0]["chat"]["messages"]
    texts = [t.text[:6] for t in read_import(write(tmp_path, data)).turns][:5]
    assert texts == ["I plan", "Tomato", "Lovely", "They g", "Six ho"]  # both answers, in time order


def test_imported_through_mnemo(mnemo):
    report = mnemo.import_parsed(mnemo.read_import(SAMPLE), SAMPLE.name)
    assert (report.format, report.imported, report.conversations, report.rejected.total) == ("openwebui", 6, 2, 0)
    assert report.as_json()["skipped_reasons"] == {HIDDEN: 2, REASONING: 1, TOOLS: 1}
    turns = mnemo.store.all(kinds=["turn"])
    miso = next(m for m in turns if "Miso turns four" in m.text)
    assert (miso.role, miso.speaker, miso.conversation_id) == ("user", "", MISO)
    assert miso.event_at == utc(2023, 11, 14, 22, 13, 25).timestamp()
    assert not any("Thought for" in m.text or "get_weather" in m.text for m in turns)


def change_message(key, **fields):
    def change(data):
        message = data[0]["chat"]["history"]["messages"][key]
        for name, value in fields.items():
            if value is ...:
                message.pop(name)
            else:
                message[name] = value
    return change


@pytest.mark.parametrize("change, reason, place, imported", [
    (lambda d: d[0]["chat"]["history"]["messages"]["m3"].update(timestamp="half past four"),
     "a message whose time cannot be read", "message 2", 5),
    (change_message("m4", role=...), "a message without a role", "message 3", 5),
    (lambda d: d[0]["chat"]["history"]["messages"].update(m4=None), "a message that is not an object",
     "message 3", 5),  # (its parent unknown: the branch the app showed)
    (lambda d: d.insert(1, None), "a conversation that is not an object", "chat 2", 6),
    (lambda d: d[1]["history"].update(messages=None), "a conversation without its messages ('history')",
     f"chat 2 ({MISO})", 4),
])
def test_a_bad_record_is_rejected_with_its_place_and_the_rest_imports(mnemo, tmp_path, change, reason, place,
                                                                       imported):
    data = chats()
    change(data)
    path = write(tmp_path, data)
    report = mnemo.import_parsed(mnemo.read_import(path), path.name)
    assert report.rejected.reasons == {reason: 1} and report.imported == imported
    shown = "\n".join(report.lines())
    assert f"{reason} (e.g. {place})" in shown or f"{reason} (e.g. chat 1 ({TOMATOES}), {place})" in shown


def test_a_damaged_message_tree_leaves_its_chat_out(tmp_path):
    data = chats()
    data[0]["chat"]["history"]["messages"]["m1"]["parentId"] = "m5"  # a loop
    parsed = read_import(write(tmp_path, data))
    assert parsed.rejected.examples == {"a conversation whose message tree is damaged": [f"chat 1 ({TOMATOES})"]}
    assert [t.conversation_id for t in parsed.turns] == [MISO] * 2
    data = chats()
    data[0]["chat"]["history"]["messages"]["m4"] = None  # and no branch shown to fall back on
    del data[0]["chat"]["messages"]
    assert read_import(write(tmp_path, data)).rejected.reasons == {"a conversation whose message tree is damaged": 1}


@pytest.mark.parametrize("content, problem", [
    ([{"chat": None}], "Chat 1: its 'chat' should be an object, not null"),
    ({"history": "none"}, "its 'history.messages' should be an object"),
    (42, "should be a list, not a number"),
])
def test_a_file_that_is_not_an_open_webui_export_is_refused_with_a_sentence(tmp_path, content, problem):
    with pytest.raises(ImportFormatError, match=problem):
        read_import(write(tmp_path, content), "openwebui")


def test_blocks_left_open_or_not_open_webuis_are_kept_as_text_in_one_pass(tmp_path):
    data = chats()
    data[0]["chat"]["history"]["messages"]["m5"]["content"] = ("<details>my own markup</details> fine <think>open"
                                                                + "<details type=a" * 1000)
    parsed = read_import(write(tmp_path, data))
    assert parsed.turns[3].text.startswith("<details>my own markup</details> fine <think>open<details type=a")
    assert parsed.skipped.reasons[REASONING] == 1  # (only the one in the sample's other answer)
    for text in ("<details type=a" * 100_000, "<details" * 100_000 + ">", "<think>" * 100_000):
        started = time.monotonic()
        _without_blocks(ParsedImport("openwebui"), text, "chat 1")
        assert time.monotonic() - started < 5
