"""Notes folders: an Obsidian vault (Markdown) and a folder of plain-text notes, read into notes
with their times and tags; what is not a note left out and counted; a bad file left out with
its place while the rest imports; the folder's limits."""
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.intake.readers import ImportFormatError, notes_folder, read_import
from core.intake.readers.text_notes import leading_date

NOTES = Path(__file__).resolve().parents[3] / "data" / "import_samples" / "notes"
NEW_YORK = "America/New_York"


@pytest.fixture
def new_york(monkeypatch):
    """Times without a zone are this computer's: make it one that is not UTC."""
    monkeypatch.setenv("TZ", NEW_YORK)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def local(*args) -> datetime:
    return datetime(*args).astimezone().astimezone(timezone.utc)


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(NOTES / name, target, symlinks=True)
    return target


def by_where(parsed) -> dict:
    return {n.where: n for n in parsed.notes}


def test_an_obsidian_vault(new_york, tmp_path):
    vault = copy("vault", tmp_path)
    parsed = read_import(vault)
    assert parsed.format == "markdown"
    notes = by_where(parsed)
    assert sorted(notes) == ["Daily/2024-01-05.md", "People/Anna.md", "Projects/Garden.md"]
    anna = notes["People/Anna.md"]
    assert anna.text.startswith("# Anna\n\nMy sister Anna lives in Lisbon and teaches #climbing at the gym near "
                                "Places > Alfama.\n\nHer birthday is on 12 June")  # links in words, embed gone
    assert "See Gift ideas." in anna.text and "![[" not in anna.text and ".png" not in anna.text
    assert anna.at == datetime(2024, 3, 5, 13, 30, tzinfo=timezone.utc)  # its zone, +01:00
    assert anna.tags == ("family", "people/sister", "climbing")  # not #notatag (code), not #anchor (a link)
    garden = notes["Projects/Garden.md"]
    assert garden.text.startswith("The garden plan\n\nPlant the tomatoes")  # led by its title
    assert garden.at == local(2023, 6, 1) and garden.tags == ("garden", "plants")
    daily = notes["Daily/2024-01-05.md"]
    assert daily.text == "2024-01-05\n\nThe plumber said the boiler needs a new valve. He comes back on Tuesday. #house"
    assert daily.at == local(2024, 1, 5) and daily.tags == ("house",)  # a daily note's name: that day
    assert parsed.rejected.total == 0 and not parsed.turns
    assert dict(parsed.skipped.reasons) == {
        "Obsidian's settings folder (.obsidian)": 1, "a hidden file": 1, "a template": 1, "an empty note": 1,
        "an attachment or other file that is not a note": 1, "an embedded attachment (the note keeps its text)": 1}
    assert parsed.skipped.examples["a template"] == ["Meta/Templates/Weekly review.md"]  # named in .obsidian


def test_a_folder_of_text_notes(new_york, tmp_path):
    folder = copy("text", tmp_path)
    stamp = datetime(2024, 4, 2, 18, 0, tzinfo=timezone.utc).timestamp()
    os.utime(folder / "shopping.txt", (stamp, stamp))
    parsed = read_import(folder)
    assert parsed.format == "text"
    notes = by_where(parsed)
    assert sorted(notes) == ["journal/2024-02-10.txt", "shopping.txt", "trip.txt"]
    assert notes["shopping.txt"].text == "Shopping: oat milk, lentils, and coffee filters."  # the BOM is gone
    assert notes["shopping.txt"].at == datetime(2024, 4, 2, 18, 0, tzinfo=timezone.utc)  # modification time
    assert notes["trip.txt"].at == local(2024, 3, 12)  # the date on its first line
    assert notes["trip.txt"].text.startswith("12 March 2024\nFlight to Porto")
    assert notes["journal/2024-02-10.txt"].at == local(2024, 2, 10)
    assert dict(parsed.skipped.reasons) == {"not a plain-text note (.txt)": 1}


def test_a_note_without_a_date_takes_its_modification_time(tmp_path):
    (tmp_path / "Ideas.md").write_text("Ask Tom about the climbing rope.\n")
    stamp = 1_700_000_000
    os.utime(tmp_path / "Ideas.md", (stamp, stamp))
    (note,) = read_import(tmp_path).notes
    assert note.at == datetime.fromtimestamp(stamp, timezone.utc)
    assert note.text == "Ideas\n\nAsk Tom about the climbing rope."


def test_a_daily_note_takes_its_modification_time_on_its_own_day(new_york, tmp_path):
    path = tmp_path / "2024-01-05.md"
    path.write_text("Dentist moved to Thursday.\n")
    stamp = local(2024, 1, 5, 21, 15).timestamp()
    os.utime(path, (stamp, stamp))
    assert read_import(tmp_path).notes[0].at == local(2024, 1, 5, 21, 15)


@pytest.mark.parametrize("line, expected", [
    ("2024-05-01", (2024, 5, 1)), ("Tuesday, 5 March 2024 14:30", (2024, 3, 5, 14, 30)),
    ("Date: 12.01.2023", (2023, 1, 12)), ("## 3 June 2022 ##", (2022, 6, 3)),
    ("Meeting with Bob on 5 March 2024 about the roof", None), ("Shopping list", None), ("2024", None),
    ("Room 12", None), ("1999 was a good year for the garden", None)])
def test_a_date_line_at_the_start_of_a_text_note(new_york, line, expected):
    assert leading_date(f"{line}\nThe rest of the note.") == (local(*expected) if expected else None)


def test_a_long_note_is_cut_at_its_headings_into_notes_of_at_most_20000_characters(tmp_path):
    sections = [f"## Part {n}\n\n" + " ".join(f"Sentence {n}.{i} of the travel diary." for i in range(260))
                for n in range(1, 6)]
    (tmp_path / "Diary.md").write_text("\n\n".join(sections) + "\n")
    notes = read_import(tmp_path).notes
    assert [n.where for n in notes] == [f"Diary.md (part {i} of 3)" for i in range(1, 4)]  # two sections each
    for note in notes:
        assert len(note.text) <= 20_000 and note.text.startswith("Diary\n\n## Part ")  # each part at a heading
    body = " ".join(n.text.removeprefix("Diary\n\n") for n in notes)
    assert body.split() == "\n\n".join(sections).split()  # nothing lost, nothing doubled


def test_a_long_paragraph_is_cut_after_a_sentence(tmp_path):
    text = " ".join(f"Day {i}: we walked along the river and talked about the house." for i in range(800))
    (tmp_path / "walks.txt").write_text(text)
    notes = read_import(tmp_path).notes
    assert len(notes) == 3
    assert all(len(n.text) <= 20_000 and n.text.endswith("house.") for n in notes)
    assert " ".join(n.text for n in notes) == text


# ------------------------------------------------------------------ one bad file; the rest imports

def vault_with(tmp_path: Path, name: str, data: bytes) -> Path:
    (tmp_path / "Good.md").write_text("Anna's birthday is on 12 June.\n")
    (tmp_path / name).write_bytes(data)
    return tmp_path


@pytest.mark.parametrize("name, data, reason, where", [
    ("bad yaml.md", b"---\ntitle: Plan: B\n---\nThe rest of it.\n",
     "the front matter (between the --- lines) is not valid YAML", "bad yaml.md: mapping values are not allowed"),
    ("bad date.md", b"---\ncreated: someday soon\n---\nText.\n",
     "a date in the front matter is not a date such as 2024-05-01", "bad date.md: 'created' is 'someday soon'"),
    ("odd date.md", b"---\nmodified: 1066-10-14\n---\nText.\n",
     "a date in the front matter is not a date such as 2024-05-01", "odd date.md: 'modified' is 1066-10-14"),
    ("latin1.txt", "Caf\xe9 with L\xe9a on Friday.\n".encode("latin-1"),
     "not UTF-8 text (save it as UTF-8 to import it)", "latin1.txt: byte 3 is not"),
    ("utf16.md", "A note in UTF-16.\n".encode("utf-16"), "not UTF-8 text (save it as UTF-8 to import it)",
     "utf16.md: byte 0 is not"),
    ("binary.md", b"PK\x03\x04\x00\x00 not text", "binary data, not text", "binary.md"),
], ids=["invalid-yaml", "not-a-date", "implausible-date", "latin-1", "utf-16", "binary"])
def test_a_bad_file_is_left_out_with_its_place(tmp_path, name, data, reason, where):
    parsed = read_import(vault_with(tmp_path, name, data))
    assert [n.text for n in parsed.notes] == ["Good\n\nAnna's birthday is on 12 June."]
    assert dict(parsed.rejected.reasons) == {reason: 1}
    assert parsed.rejected.examples[reason][0].startswith(where)


def test_a_note_file_too_large_is_left_out(tmp_path, monkeypatch):
    monkeypatch.setattr(notes_folder, "MAX_FILE_BYTES", 1000)
    parsed = read_import(vault_with(tmp_path, "huge.md", b"word " * 400))
    assert len(parsed.notes) == 1 and parsed.rejected.examples == {"a note file larger than 0 MB": ["huge.md"]}


def test_a_pipe_is_never_opened(tmp_path):
    os.mkfifo(vault_with(tmp_path, "x.txt", b"x") / "pipe.md")
    parsed = read_import(tmp_path)  # (opening it would wait for a writer forever)
    assert len(parsed.notes) == 2 and parsed.skipped.reasons["not a file (a pipe, socket or device)"] == 1


def test_links_are_never_followed_out_of_the_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("The safe's code is 4417.\n")
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "Good.md").write_text("Anna's birthday is on 12 June.\n")
    (vault / "Sub").mkdir()
    (vault / "Sub" / "Inner.md").write_text("Tom likes ramen.\n")
    (vault / "secret.md").symlink_to(outside / "secret.md")
    (vault / "elsewhere").symlink_to(outside, target_is_directory=True)
    (vault / "loop").symlink_to(vault, target_is_directory=True)
    (vault / "Inner link.md").symlink_to(vault / "Sub" / "Inner.md")
    (vault / "dangling.md").symlink_to(vault / "gone.md")
    parsed = read_import(vault)
    assert sorted(n.where for n in parsed.notes) == ["Good.md", "Inner link.md", "Sub/Inner.md"]
    assert all("4417" not in n.text for n in parsed.notes)
    assert dict(parsed.skipped.reasons) == {"a link to outside the folder (not followed)": 2,
                                            "a link to a folder (not followed)": 1,
                                            "a broken link or a link to something that is not a file": 1}


def test_a_folder_linked_from_elsewhere_is_read_through_its_link(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "Note.md").write_text("The boiler valve was replaced.\n")
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    assert [n.where for n in read_import(tmp_path / "link").notes] == ["Note.md"]


# ------------------------------------------------------------------ limits and detection

def test_a_folder_past_the_import_limits_is_refused_with_a_sentence(tmp_path, monkeypatch):
    for i in range(5):
        (tmp_path / f"n{i}.md").write_text(f"Note number {i} about the garden.\n")
    monkeypatch.setattr(notes_folder, "MAX_TURNS", 3)
    with pytest.raises(ImportFormatError, match=rf"^{tmp_path.name} holds more than 3 notes; .* Nothing was imported"):
        read_import(tmp_path)
    monkeypatch.setattr(notes_folder, "MAX_TURNS", 100)
    monkeypatch.setattr(notes_folder, "MAX_TEXT_BYTES", 100)
    with pytest.raises(ImportFormatError, match="holds more than 0 MB of note text"):
        read_import(tmp_path)
    monkeypatch.setattr(notes_folder, "MAX_TEXT_BYTES", 1 << 20)
    monkeypatch.setattr(notes_folder, "MAX_ENTRIES", 4)
    with pytest.raises(ImportFormatError, match="holds more than 4 files and folders"):
        read_import(tmp_path)


def test_folders_nested_too_deep_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(notes_folder, "MAX_DEPTH", 3)
    deep = tmp_path / "a" / "b" / "c" / "d"
    deep.mkdir(parents=True)
    (deep / "n.md").write_text("Deep note.\n")
    with pytest.raises(ImportFormatError, match="nested more than 3 deep"):
        read_import(tmp_path)


def test_what_a_folder_holds_decides_its_reader(tmp_path):
    (tmp_path / "a.txt").write_text("Plain note.\n")
    assert read_import(tmp_path).format == "text"
    (tmp_path / "b.md").write_text("Markdown note.\n")
    parsed = read_import(tmp_path)
    assert parsed.format == "markdown" and len(parsed.notes) == 2  # (.txt beside .md: plain notes)
    parsed = read_import(tmp_path, "text")
    assert [n.where for n in parsed.notes] == ["a.txt"] and parsed.skipped.total == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    with pytest.raises(ImportFormatError, match="is a folder, and Mnemo found no notes in it"):
        read_import(empty)
    with pytest.raises(ImportFormatError, match="holds no Markdown notes"):
        read_import(empty, "markdown")


def test_a_vault_imports_as_notes_once(mnemo, tmp_path):
    vault = copy("vault", tmp_path)
    report = mnemo.import_parsed(mnemo.read_import(vault), vault.name)
    assert (report.imported, report.notes, report.format) == (3, 3, "markdown")
    assert report.skipped.total == 6 and report.rejected.total == 0
    notes = mnemo.store.all(kinds=["note"])
    assert {m.source for m in notes} == {"import:vault"} and len(notes) == 3
    garden = next(m for m in notes if "tomatoes" in m.text)
    assert garden.event_at == datetime(2023, 6, 1).astimezone().timestamp()
    assert garden.text.endswith("Tags: #garden #plants")  # the front matter's tags, found with the note
    assert mnemo.search("plants", k=3)[0].memory.id == garden.id
    again = mnemo.import_parsed(mnemo.read_import(vault), vault.name)
    assert (again.imported, again.duplicates) == (0, 3)
