"""Chat apps' exports (WhatsApp, Telegram, SillyTavern) imported into the memory: who is the user
is settled first (the file says, or the user names themselves), then the turns are stored with
their speakers, times and conversations, and what was left out is in the report."""
import time
import zipfile
from pathlib import Path

import pytest

from core.errors import WhoIsMe
from core.intake.readers import ImportFormatError, settle_me

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "import_samples"


def imported(mnemo, path: Path, me: str | None = None):
    parsed = settle_me(mnemo.read_import(path), path.name, me)
    report = mnemo.import_parsed(parsed, path.name)
    turns = sorted(mnemo.store.all(kinds=["turn"]), key=lambda m: (m.event_at or 0, m.text))
    return report, turns


def test_whatsapp_chat_asks_who_the_user_is_then_imports(mnemo):
    path = SAMPLES / "whatsapp" / "WhatsApp Chat with Rui.txt"
    with pytest.raises(WhoIsMe, match=r"Rui \(3 messages\), Ana Souza \(2 messages\)"):
        settle_me(mnemo.read_import(path), path.name, None)
    report, turns = imported(mnemo, path, me="ana souza")
    assert (report.format, report.imported, report.conversations) == ("whatsapp", 5, 1)
    assert [(m.speaker, m.role, m.text[:24]) for m in turns] == [
        ("", "user", "We land in Porto at 9 on"), ("Rui", "user", "Great, I'll pick you up "),
        ("", "user", "My sister Marta lives in"), ("Rui", "user", "Say hi to her from me"),
        ("Rui", "user", "The vet set Pixel's insu")]
    assert {m.conversation_id for m in turns} == {"WhatsApp Chat with Rui"}
    assert {m.source for m in turns} == {"import:WhatsApp Chat with Rui.txt"}
    assert all(m.event_at is not None for m in turns)
    text = "\n".join(report.lines())
    assert "Left out as not your conversation: 4" in text and "1 × a deleted message" in text
    again = mnemo.import_parsed(settle_me(mnemo.read_import(path), path.name, "Ana Souza"), path.name)
    assert (again.imported, again.duplicates) == (0, 5)


def test_whatsapp_group_where_the_file_shows_the_user(mnemo):
    report, turns = imported(mnemo, SAMPLES / "whatsapp" / "WhatsApp Chat with Book Club.txt")
    assert report.imported == 6
    assert [m.speaker for m in turns] == ["Dana", "", "Dana", "", "", "Dana"]  # Sam is the user


def test_whatsapp_zip_from_an_iphone(mnemo, tmp_path):
    bundle = tmp_path / "WhatsApp Chat - Família.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.write(SAMPLES / "whatsapp" / "_chat.txt", "_chat.txt")
    report, turns = imported(mnemo, bundle, me="none")  # nobody in the family chat is the user
    assert report.imported == 3 and {m.speaker for m in turns} == {"Mãe", "Pai", "Tio Zé"}
    assert {m.conversation_id for m in turns} == {"WhatsApp Chat - Família"}


def test_telegram_account_export_knows_the_user(mnemo):
    report, turns = imported(mnemo, SAMPLES / "telegram" / "full_export" / "result.json")
    assert (report.format, report.imported, report.conversations) == ("telegram", 7, 4)
    mine = [m.text for m in turns if m.speaker == ""]
    assert mine == ["The boiler is fixed.", "Dinner on Saturday?", "Poll: Pizza after?\nYes / No",
                    "Passport renewal: appointment on 3 May."]
    assert {m.speaker for m in turns} - {""} == {"Tomás Reis", "Joana", "Deleted Account"}


def test_telegram_one_chat_asks_and_keeps_forwarded_words_as_their_authors(mnemo):
    path = SAMPLES / "telegram" / "result.json"
    with pytest.raises(WhoIsMe):
        settle_me(mnemo.read_import(path), path.name, None)
    report, turns = imported(mnemo, path, me="Ana Souza")
    assert report.imported == 4 and report.skipped.total == 3
    assert [(m.speaker, m.text[:20]) for m in turns] == [
        ("", "We land in Porto at "), ("Tomás Reis", "(in reply to Ana Sou"),
        ("Porto Eats", "(forwarded by Tomás "), ("", "My sister Marta live")]


def test_sillytavern_character_turns_are_the_assistants(mnemo, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")  # (the sample mixes local clock times and UTC ones: read here as one)
    time.tzset()
    path = SAMPLES / "sillytavern" / "Seraphina - 2024-6-3 @16h 05m 12s 345ms.jsonl"
    try:
        report, turns = imported(mnemo, path)  # nobody is asked: the file says which turns are the user's
    finally:
        monkeypatch.undo()
        time.tzset()
    assert (report.format, report.imported, report.conversations) == ("sillytavern", 5, 1)
    assert [(m.role, m.speaker) for m in turns] == [("assistant", "Seraphina"), ("user", ""),
                                                   ("assistant", "Seraphina"), ("user", ""),
                                                   ("assistant", "Seraphina")]
    facts = {f.fact_key: f.fact_value for f in mnemo.facts.all()}
    assert facts.get("user|lives in") == "Porto"  # the user's own words
    with pytest.raises(ImportFormatError, match="not a chat between people"):
        settle_me(mnemo.read_import(path), path.name, "Ana")
