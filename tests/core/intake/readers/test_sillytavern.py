"""SillyTavern / TavernAI chats (.jsonl: a header line, then one message a line), read from a
sample written after SillyTavern's own code (script.js saveChat, RossAscends-mods.js)."""
import json
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.intake.readers import ImportFormatError, read_import
from core.intake.readers.sillytavern import send_date

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "import_samples" / "sillytavern"
SAMPLE = SAMPLES / "Seraphina - 2024-6-3 @16h 05m 12s 345ms.jsonl"
SYSTEM = "a system, narrator or comment message"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def lines(tmp_path, *rows, name="Seraphina - chat.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


HEADER = {"user_name": "Ana", "character_name": "Seraphina", "create_date": "2024-6-3 @16h 05m 12s 345ms",
          "chat_metadata": {}}


def message(text, user=False, **fields):
    return {"name": "Ana" if user else "Seraphina", "is_user": user, "is_system": False,
            "send_date": "June 3, 2024 4:05pm", "mes": text, **fields}


@pytest.fixture
def utc_clock(monkeypatch):
    """This computer's clock in UTC, so that local times read as written."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_chat_with_a_character(utc_clock):
    parsed = read_import(SAMPLE)
    assert parsed.format == "sillytavern" and parsed.me == "Ana"
    assert [(t.role, t.speaker, t.text[:40]) for t in parsed.turns] == [
        ("assistant", "Seraphina", "*Seraphina looks up from her book.* Welc"),
        ("user", "", "Long. I moved to Porto last week, so eve"),
        ("assistant", "Seraphina", "Porto! The river light there is lovely t"),  # the chosen swipe
        ("user", "", "My cat Miso hates the new balcony."),
        ("assistant", "Seraphina", "Cats need a week to forgive a move. Give")]
    assert [t.at for t in parsed.turns] == [
        utc(2024, 6, 3, 16, 5), utc(2024, 6, 3, 16, 6),  # "June 3, 2024 4:05pm" (local)
        utc(2024, 6, 3, 16, 7, 10, 512000),  # ISO with Z
        utc(2024, 6, 3, 16, 10),  # milliseconds since 1970
        utc(2024, 6, 3, 16, 11, 2, 7000)]  # "2024-6-3 @16h 11m 02s 007ms" (local)
    assert {t.conversation_id for t in parsed.turns} == {SAMPLE.stem}
    assert parsed.skipped.reasons == {SYSTEM: 1} and parsed.rejected.total == 0
    assert not parsed.speakers  # not a chat between people: nobody is asked who they are


@pytest.mark.parametrize("value,expected", [
    ("June 19, 2023 2:20pm", utc(2023, 6, 19, 14, 20)),
    ("June 19, 2023 12:05am", utc(2023, 6, 19, 0, 5)),
    ("Sep 1, 2023 9:00am", utc(2023, 9, 1, 9, 0)),
    ("2024-7-12@01h31m37s", utc(2024, 7, 12, 1, 31, 37)),
    ("2024-6-5 @14h 56m 50s 682ms", utc(2024, 6, 5, 14, 56, 50, 682000)),
    ("2024-06-05T14:56:50.682Z", utc(2024, 6, 5, 14, 56, 50, 682000)),
    ("2024-06-05T16:56:50+02:00", utc(2024, 6, 5, 14, 56, 50)),
    (1717599410682, utc(2024, 6, 5, 14, 56, 50, 682000)),
    (1717599410, utc(2024, 6, 5, 14, 56, 50)),
    ("1717599410682", utc(2024, 6, 5, 14, 56, 50, 682000)),
    ("Smarch 3, 2024 4:05pm", None), ("13:00 yesterday", None), (True, None), ([2024], None),
    ("June 3, 2024 13:05pm", None), ("1e400", None),
])
def test_send_date_in_its_shapes(utc_clock, value, expected):
    assert send_date(value) == expected


def test_group_chat_without_a_header_and_several_characters(tmp_path):
    parsed = read_import(lines(tmp_path, message("Who is at the gate?", name="Guard Captain"),
                               message("I am, and I brought bread.", user=True),
                               message("Let her in.", name="Seraphina", extra={"gen_id": 5}),
                               message("Welcome", name="Storyteller", extra={"type": "narrator"}),
                               name="Tavern group.jsonl"))
    assert [(t.role, t.speaker) for t in parsed.turns] == [("assistant", "Guard Captain"), ("user", ""),
                                                          ("assistant", "Seraphina")]
    assert parsed.me == "Ana" and parsed.skipped.reasons == {SYSTEM: 1}


def test_a_header_that_keeps_no_names(tmp_path):
    header = {"user_name": "unused", "character_name": "unused", "chat_metadata": {}}
    parsed = read_import(lines(tmp_path, header, message("Hello"), message("Hi!", user=True)))
    assert parsed.me == "Ana" and parsed.turns[0].speaker == "Seraphina"


@pytest.mark.parametrize("bad,reason", [
    ('{"name": "Ana", "is_user": true, "mes": "cut short', "the line is not a message (name, is_user, mes)"),
    ('["a", "list"]', "the line is not a message (name, is_user, mes)"),
    ('{"role": "user", "content": "a JSON Lines turn"}', "the line is not a message (name, is_user, mes)"),
    (message("When?", send_date="next Tuesday"), "the message's send_date cannot be read"),
    (message("Really?", is_user="yes"), "'is_user' is not true or false"),
    (message(["not", "text"]), "the message is not text"),
    (message("  "), "the message is empty"),
])
def test_a_bad_line_is_rejected_with_its_place_and_the_rest_imports(tmp_path, bad, reason):
    parsed = read_import(lines(tmp_path, HEADER, message("first"), bad, message("last", user=True)))
    assert [t.text for t in parsed.turns] == ["first", "last"]
    assert parsed.rejected.reasons == {reason: 1}
    assert parsed.rejected.examples[reason] == ["line 3"]


def test_a_file_that_is_not_a_sillytavern_chat_is_refused_when_chosen(tmp_path):
    with pytest.raises(ImportFormatError, match="first line is neither the chat's header"):
        read_import(lines(tmp_path, {"role": "user", "content": "hi"}), format="sillytavern")
    with pytest.raises(ImportFormatError, match="its first line is not JSON"):
        read_import(lines(tmp_path, "User: hello"), format="sillytavern")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    with pytest.raises(ImportFormatError):
        read_import(empty, format="sillytavern")


def test_told_apart_from_mnemo_json_lines_by_content(tmp_path):
    assert read_import(lines(tmp_path, {"role": "user", "content": "hi"}, name="turns.jsonl")).format == "jsonl"
    for name in ("chat.jsonl", "chat.txt", "chat"):
        odd = tmp_path / name
        shutil.copy(SAMPLE, odd)
        assert read_import(odd).format == "sillytavern"
    assert read_import(SAMPLE, format="sillytavern").format == "sillytavern"
