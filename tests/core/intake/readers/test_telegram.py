"""Telegram Desktop's JSON exports: one chat, or the whole account (which says who the user is),
read from sample files written after tdesktop's JSON writer (export_output_json.cpp)."""
import json
import shutil
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.intake.readers import ImportFormatError, read_import

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "import_samples" / "telegram"
SERVICE = "a Telegram service message (joins, calls, pins, changes)"
MEDIA = "a photo, sticker, voice message or other media without text"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def export(tmp_path, messages, **chat) -> Path:
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "Ana", "type": "personal_chat", "id": 5, "messages": messages, **chat}))
    return path


def said(text="hello", **fields) -> dict:
    return {"id": 1, "type": "message", "date": "2024-03-01T08:00:00", "date_unixtime": "1709280000",
            "from": "Ana", "from_id": "user5", "text": text, **fields}


def test_one_chat_export():
    parsed = read_import(SAMPLES / "result.json")
    assert parsed.format == "telegram" and parsed.me is None  # one chat does not say who the user is
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Ana Souza", "We land in Porto at 9 on Friday."),
        # entities joined, a link's address kept, the message it answers named
        ("Tomás Reis", "(in reply to Ana Souza) Great! The flat is on Rua das Flores, see the map "
                       "(https://maps.example.org/flores)."),
        # a forwarded message is its author's words, passed on
        ("Porto Eats", "(forwarded by Tomás Reis) Francesinha night at Café Santiago every Thursday."),
        ("Ana Souza", "My sister Marta lives in Lisbon, this is her balcony.")]  # a photo's caption
    assert dict(parsed.speakers) == {"Ana Souza": 2, "Tomás Reis": 1}
    assert {t.conversation_id for t in parsed.turns} == {"Telegram: Ana Souza"}
    assert parsed.turns[0].at == utc(2024, 3, 1, 8, 1, 10)  # date_unixtime: exact
    assert parsed.skipped.reasons == {SERVICE: 1, MEDIA: 2} and parsed.rejected.total == 0


def test_whole_account_export_knows_the_user():
    parsed = read_import(SAMPLES / "full_export" / "result.json")
    assert parsed.me == "Ana Souza"  # personal_information: user_id 777000111, Ana Souza
    assert [(t.conversation_id, t.speaker, t.text) for t in parsed.turns] == [
        ("Telegram: Tomás Reis", "Ana Souza", "Dinner on Saturday?"),  # "from": "Ana S." is the user still
        ("Telegram: Tomás Reis", "Tomás Reis", "(in reply to Ana Souza) Yes! 8pm works."),
        ("Telegram: Climbing crew", "Joana", "Boulderhaus on Thursday, 7pm."),
        ("Telegram: Climbing crew", "Ana Souza", "Poll: Pizza after?\nYes / No"),
        ("Telegram: Climbing crew", "Deleted Account", "hi all"),
        ("Telegram: Saved Messages", "Ana Souza", "Passport renewal: appointment on 3 May."),
        ("Telegram: Old flat", "Ana Souza", "The boiler is fixed.")]  # a chat the user left
    assert parsed.skipped.reasons == {SERVICE: 1}


def test_zipped_export_folder(tmp_path):
    bundle = tmp_path / "Telegram Desktop.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.write(SAMPLES / "full_export" / "result.json", "DataExport_2024-04-12/result.json")
        z.writestr("DataExport_2024-04-12/export_results.html", "<html></html>")
    parsed = read_import(bundle)
    assert parsed.format == "telegram" and len(parsed.turns) == 7 and parsed.me == "Ana Souza"


def test_detected_by_content_whatever_the_file_is_called(tmp_path):
    odd = tmp_path / "chat-backup.json"
    shutil.copy(SAMPLES / "result.json", odd)
    assert read_import(odd).format == "telegram"
    assert read_import(odd, format="telegram").format == "telegram"


def test_a_date_without_a_zone_is_local_time(tmp_path, monkeypatch):
    if not Path("/usr/share/zoneinfo/Asia/Tokyo").exists():
        pytest.skip("no time zone database here")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        parsed = read_import(export(tmp_path, [{"id": 1, "type": "message", "date": "2024-03-01T09:00:00",
                                                "from": "Ana", "from_id": "user5", "text": "ohayo"}]))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert parsed.turns[0].at == utc(2024, 3, 1, 0, 0)  # 09:00 in Tokyo


@pytest.mark.parametrize("bad,reason", [
    ({"date_unixtime": "yesterday"}, "the message's date cannot be read"),
    ({"date_unixtime": None, "date": "31/12/2023"}, "the message's date cannot be read"),
    ({"text": [{"type": "bold", "text": 5}]}, "the message's text is not in Telegram's shape"),
    ({"text": 42}, "the message's text is not in Telegram's shape"),
    ({"type": "reaction"}, "a message of a kind Mnemo does not know"),
    ({"text": "   "}, "the message is empty"),
])
def test_a_bad_message_is_rejected_with_its_place_and_the_rest_imports(tmp_path, bad, reason):
    messages = [said("first"), {**said("broken"), "id": 2, **bad}, said("last", id=3)]
    parsed = read_import(export(tmp_path, messages))
    assert [t.text for t in parsed.turns] == ["first", "last"]
    assert parsed.rejected.reasons == {reason: 1}
    assert parsed.rejected.examples[reason] == ["Telegram: Ana, message 2"]


def test_a_message_that_is_not_an_object_is_rejected(tmp_path):
    parsed = read_import(export(tmp_path, [said("first"), "not a message", said("last", id=3)]))
    assert [t.text for t in parsed.turns] == ["first", "last"]
    assert parsed.rejected.reasons == {"the message is not an object": 1}


@pytest.mark.parametrize("document,complaint", [
    ({"name": "Ana", "type": "personal_chat", "messages": {"1": "hi"}}, "'messages' should be a list"),
    ({"personal_information": {"user_id": 1}, "chats": {"list": "none"}}, "'list' should be a list"),
    ({"personal_information": {"user_id": 1}, "chats": {"about": "x", "list": [["a"]]}}, "chat 1 should be an object"),
    ({"about": "x", "personal_information": {"user_id": 1}, "chats": {"list": []}}, "holds no chats"),
])
def test_a_file_whose_shape_is_wrong_is_refused_with_a_sentence(tmp_path, document, complaint):
    path = tmp_path / "result.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ImportFormatError, match=complaint):
        read_import(path, format="telegram")


def test_two_chats_with_one_name_stay_two_conversations(tmp_path):
    path = tmp_path / "result.json"
    chats = [{"name": "Mum", "type": "personal_chat", "id": i, "messages": [said(f"from chat {i}")]} for i in (1, 2)]
    path.write_text(json.dumps({"personal_information": {"user_id": 9, "first_name": "Ana"}, "chats": {"list": chats}}))
    parsed = read_import(path)
    assert [t.conversation_id for t in parsed.turns] == ["Telegram: Mum", "Telegram: Mum (2)"]
