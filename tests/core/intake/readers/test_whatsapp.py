"""WhatsApp chat exports (Android and iPhone, as text or in WhatsApp's zip), read from sample
files written after the format's public descriptions (whatsapp-chat-parser's test cases)."""
import shutil
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.intake.readers import ImportFormatError, read_import, whatsapp

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "import_samples" / "whatsapp"
NOTICE = "a WhatsApp notice (encryption, joins, group changes, calls)"
MEDIA = "a photo, video or other attachment (media are not imported)"
DELETED = "a deleted message"
ZONE = "America/Sao_Paulo"  # UTC-3 all year: the phone's clock is local time


@pytest.fixture
def local_zone(monkeypatch):
    if not Path("/usr/share/zoneinfo", ZONE).exists():
        pytest.skip("no time zone database here")
    monkeypatch.setenv("TZ", ZONE)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def local(*args) -> datetime:
    """A wall-clock time in ZONE, as the UTC instant the reader gives."""
    return datetime(*args).astimezone().astimezone(timezone.utc)


def chat(tmp_path, text: str, name: str = "WhatsApp Chat with Ana.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_android_24_hour_export_with_notices_media_and_continued_lines(local_zone):
    parsed = read_import(SAMPLES / "WhatsApp Chat with Rui.txt")
    assert parsed.format == "whatsapp" and parsed.me is None  # (the user is asked)
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Ana Souza", "We land in Porto at 9 on Friday!"),
        ("Rui", "Great, I'll pick you up at the airport.\nBring a warm coat, it's cold here.\n\nAnd the umbrella."),
        ("Ana Souza", "My sister Marta lives in Lisbon now."),
        ("Rui", "Say hi to her from me"),  # "<This message was edited>" is not part of what was said
        ("Rui", "The vet set Pixel's insulin to 2 units.")]
    assert dict(parsed.speakers) == {"Ana Souza": 2, "Rui": 3}
    assert {t.conversation_id for t in parsed.turns} == {"WhatsApp Chat with Rui"}
    assert {t.role for t in parsed.turns} == {"user"}
    # every date is at most 12/12: day first is the reading that keeps the file in time order
    assert [t.at for t in parsed.turns] == [local(2024, 1, 2, 21, 5), local(2024, 1, 2, 21, 6),
                                            local(2024, 1, 10, 18, 30), local(2024, 1, 10, 18, 31),
                                            local(2024, 2, 3, 8, 2)]
    assert parsed.turns[0].at == datetime(2024, 1, 3, 0, 5, tzinfo=timezone.utc)  # 21:05 in São Paulo
    assert parsed.skipped.reasons == {NOTICE: 2, MEDIA: 1, DELETED: 1}
    assert parsed.skipped.examples[MEDIA] == ["line 7"] and parsed.rejected.total == 0


def test_android_12_hour_group_export_month_first(local_zone):
    parsed = read_import(SAMPLES / "WhatsApp Chat with Book Club.txt")
    assert [(t.speaker, t.text, t.at) for t in parsed.turns] == [
        ("Dana", "Welcome! First book: The Left Hand of Darkness.", local(2023, 12, 24, 20, 2)),
        ("Sam", "Sounds good. I already own it.", local(2023, 12, 24, 20, 5)),
        ("Dana", "My copy arrived!", local(2023, 12, 25, 9, 15)),  # the photo left out, its caption kept
        ("Sam", "Meeting at my place on January 14, 7pm.", local(2023, 12, 25, 12, 30)),
        ("Sam", "Happy new year everyone", local(2024, 1, 2, 0, 5)),  # 12:05 AM
        ("Dana", "See you tomorrow!", local(2024, 1, 13, 23, 59))]
    # created, added, the subject changed (to a name with a colon), joined, and the encryption notice
    assert parsed.skipped.reasons == {NOTICE: 5, DELETED: 1}
    assert parsed.me == "Sam"  # "You deleted this message" was written under the user's name


def test_iphone_export_in_the_zip_whatsapp_writes(local_zone, tmp_path):
    bundle = tmp_path / "WhatsApp Chat - Família.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.write(SAMPLES / "_chat.txt", "_chat.txt")
        z.writestr("00000012-PHOTO-2023-12-31-21-07-00.jpg", b"\xff\xd8\xff\xe0 not really a photo")
    parsed = read_import(bundle)
    assert parsed.format == "whatsapp"
    assert [(t.speaker, t.text, t.at) for t in parsed.turns] == [
        ("Mãe", "Olhem o fogo de artifício!", local(2023, 12, 31, 21, 6, 40)),
        ("Pai", "Feliz ano novo! O almoço é às 13h\nem casa da avó.", local(2024, 1, 1, 10, 1)),
        ("Tio Zé", "Levo o bolo de bolacha.", local(2024, 1, 1, 10, 3))]  # "~ Tio Zé": not a contact
    assert {t.conversation_id for t in parsed.turns} == {"WhatsApp Chat - Família"}  # the zip's chat
    # the chat's own name over the encryption notice and "created this group", a missed call
    assert parsed.skipped.reasons == {NOTICE: 3, MEDIA: 2, DELETED: 1}
    assert "Família" not in parsed.speakers


def test_android_zip_and_a_forced_day_order_inside_it(local_zone, tmp_path):
    bundle = tmp_path / "WhatsApp Chat with Kim.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.write(SAMPLES / "ambiguous.txt", "WhatsApp Chat with Kim.txt")
        z.writestr("IMG-20240201-WA0001.jpg", b"\xff\xd8")
    with pytest.raises(ImportFormatError, match="cannot tell the order of day and month"):
        read_import(bundle)
    parsed = read_import(bundle, format="whatsapp-mdy")
    assert [t.at.month for t in parsed.turns] == [1, 1, 2]
    assert {t.conversation_id for t in parsed.turns} == {"WhatsApp Chat with Kim"}
    with pytest.raises(ImportFormatError, match="holds no chat Mnemo reads as whatsapp"):
        empty = tmp_path / "photos.zip"
        with zipfile.ZipFile(empty, "w") as z:
            z.writestr("IMG-20240201-WA0001.jpg", b"\xff\xd8")
        read_import(empty, format="whatsapp")


def test_localized_am_pm_and_seconds(local_zone):
    parsed = read_import(SAMPLES / "WhatsApp Chat - Lucía.txt")  # starts with "[": not JSON
    assert [(t.speaker, t.at) for t in parsed.turns] == [
        ("Lucía", local(2023, 12, 24, 21, 6)), ("Marco", local(2023, 12, 24, 21, 10, 12)),
        ("Lucía", local(2023, 12, 25, 0, 0, 1))]  # "12:00:01 a. m."
    assert parsed.skipped.reasons == {NOTICE: 1}


@pytest.mark.parametrize("line", [
    "12/31/23, 9:05 PM - Ana: hi",
    "12/31/23, 9:05\u202fPM - Ana: hi",
    "31/12/2023, 21:05 - Ana: hi",
    "31.12.23, 21:05 - Ana: hi",
    "31-12-2023 21:05 - Ana: hi",
    "[31.12.23, 21:05:00] Ana: hi",
    "[12/31/23, 9:05:00\u202fPM] Ana: hi",
    "\u200e[31/12/2023, 21:05:00] Ana: hi",
    "[2023/12/31, 21:05:00] Ana: hi",
    "[31.12.2023 klo 21.05.00] Ana: hi",
    "31/12/23, 9:05 p.m. - Ana: hi",
    "31/12/23, 9:05 p. m. - Ana: hi",
    "31.12.23, 9:05 nachm. - Ana: hi",
    "2023/12/31 下午9:05 - Ana: hi",
])
def test_date_and_time_shapes(local_zone, tmp_path, line):
    parsed = read_import(chat(tmp_path, line + "\n"))
    assert parsed.format == "whatsapp"
    assert [(t.speaker, t.text, t.at) for t in parsed.turns] == [("Ana", "hi", local(2023, 12, 31, 21, 5))]


def test_a_truly_ambiguous_file_is_refused_with_how_to_choose(local_zone):
    with pytest.raises(ImportFormatError) as refused:
        read_import(SAMPLES / "ambiguous.txt")
    sentence = str(refused.value)
    assert "'01/02/2024' is 1 February 2024 or 2 January 2024" in sentence
    assert "--format whatsapp-dmy" in sentence and "--format whatsapp-mdy" in sentence
    day_first = read_import(SAMPLES / "ambiguous.txt", format="whatsapp-dmy")
    month_first = read_import(SAMPLES / "ambiguous.txt", format="whatsapp-mdy")
    assert [t.at.date().isoformat() for t in day_first.turns] == ["2024-02-01", "2024-02-01", "2024-03-02"]
    assert [t.at.date().isoformat() for t in month_first.turns] == ["2024-01-02", "2024-01-02", "2024-02-03"]
    assert day_first.format == month_first.format == "whatsapp"


def test_an_unreadable_date_is_rejected_with_its_place_and_the_rest_imports(tmp_path):
    parsed = read_import(chat(tmp_path, "30/12/2023, 21:05 - Ana: one\n"
                                        "31/13/2023, 21:06 - Ana: a month that is no month\nand its next line\n"
                                        "31/12/2023, 25:70 - Rui: an hour that is no hour\n"
                                        "31/12/2023, 21:08 - Rui: two\n"))
    assert [t.text for t in parsed.turns] == ["one", "two"]
    assert parsed.rejected.reasons == {"the date or time cannot be read": 2}
    assert parsed.rejected.examples["the date or time cannot be read"] == ["line 2", "line 4"]


def test_an_over_long_or_empty_message_is_rejected_and_the_rest_imports(tmp_path):
    parsed = read_import(chat(tmp_path, "31/12/2023, 21:05 - Ana: start\n" + "words and words\n" * 20_000
                              + "31/12/2023, 21:06 - Rui:\n31/12/2023, 21:07 - Rui: fine\n"))
    assert [t.text for t in parsed.turns] == ["fine"]
    assert parsed.rejected.reasons == {"the message is longer than 20,000 characters": 1, "the message is empty": 1}


def test_lines_before_the_first_message_are_rejected_when_the_format_is_chosen(tmp_path):
    parsed = read_import(chat(tmp_path, "Exported by hand\n31/12/2023, 21:05 - Ana: hi\n"), format="whatsapp")
    assert [t.text for t in parsed.turns] == ["hi"]
    assert parsed.rejected.examples == {"a line before the first message": ["line 1"]}


def test_a_file_that_is_not_a_whatsapp_chat_is_refused_when_chosen(tmp_path):
    with pytest.raises(ImportFormatError, match="holds no WhatsApp messages.*'31/12/2023, 21:05 - Ana: text'"):
        read_import(chat(tmp_path, "Just a shopping list\nmilk\n", "list.txt"), format="whatsapp")


def test_detected_by_content_whatever_the_file_is_called(tmp_path):
    for name in ("export", "chat.log", "chat.md"):
        odd = tmp_path / name
        shutil.copy(SAMPLES / "WhatsApp Chat with Rui.txt", odd)
        assert read_import(odd).format == "whatsapp"
    odd = tmp_path / "chat.json"  # an iPhone's text, starting with "[", under a JSON name
    shutil.copy(SAMPLES / "_chat.txt", odd)
    assert read_import(odd).format == "whatsapp"
    # a transcript with times in brackets is not taken for a WhatsApp chat
    lines = ["[2024-05-01 10:02] User: I moved to Porto.", "[2024-05-01 10:03] Assistant: Congratulations!"]
    assert not whatsapp.looks_like((n, line, False) for n, line in enumerate(lines, 1))
    assert whatsapp.looks_like([(1, "[2024-05-01 10:02:00] Ana: I moved to Porto.", False)])  # (Swedish phones)
    transcript = chat(tmp_path, "# 2024-05-01\n[2024-05-01 10:02] User: I moved to Porto.\n", "notes.txt")
    assert read_import(transcript).format == "transcript"
    assert read_import(chat(tmp_path, "User: hi\nAssistant: hello\n", "t.txt")).format == "transcript"
