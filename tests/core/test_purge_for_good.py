"""Forgetting for good: after a purge, no file under the data folder (the store's tables and
their old versions, the history, the backups) holds the purged words."""
from pathlib import Path

from core.memory.records import Kind, State
from core.mnemo import Mnemo
from tests.fakes import HashEmbedder, ScriptedModel

SECRET = "My locker code at the gym is 7731 behind the sauna"
QUESTION = "What is my locker code at the gym behind the sauna?"


def _files_holding(folder: Path, words: str) -> list[str]:
    needle = words.encode()
    return [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_a_purged_note_its_question_and_answer_leave_every_file(tmp_path, clock):
    data = tmp_path / "data"
    mnemo = Mnemo(data, clock, HashEmbedder(), ScriptedModel(reply="The code is 7731."))
    try:
        note = mnemo.add_note(SECRET).memory
        mnemo.add_note("The gym opens at 6 on weekdays.")
        answer = mnemo.ask(QUESTION)  # the note is used: its history says what it answered
        assert note.id in [h.memory.id for h in answer.memories]
        mnemo.backup("manual")
        clock.advance(days=1)
        mnemo.summarize()  # yesterday's summary quotes the note
        assert _files_holding(data, SECRET) and _files_holding(data, QUESTION)
        for memory_id in [note.id, *answer.captured_ids]:
            mnemo.delete(memory_id)
            assert mnemo.purge(memory_id) == []  # every backup was rewritten
        kept = {m.text for m in mnemo.store.all()}
        assert "The gym opens at 6 on weekdays." in kept and SECRET not in kept
        assert _files_holding(data, SECRET) == [] and _files_holding(data, QUESTION) == []
        assert _files_holding(data, "7731") == []
        events = [h for h in mnemo.store.history(note.id)]
        assert [h.action for h in events][-1] == "purged" and "recalled" in [h.action for h in events]
        assert mnemo.store.check() == [] and mnemo.store.get(mnemo.day_summaries()[0].id).state == State.ACTIVE
    finally:
        mnemo.close()


def test_a_rewritten_backup_still_checks_sound_and_restores(tmp_path, clock):
    from core.memory.backup import list_backups
    from core.memory.check import inspect

    data = tmp_path / "data"
    mnemo = Mnemo(data, clock, HashEmbedder(), ScriptedModel())
    try:
        gone = mnemo.add_note(SECRET).memory
        mnemo.add_note("Keep this one.")
        mnemo.backup("manual")
        mnemo.delete(gone.id)
        mnemo.purge(gone.id)
    finally:
        mnemo.close()
    backup = list_backups(data)[0]
    assert inspect(backup.path / "store") == []
    copy = Mnemo(backup.path, clock, HashEmbedder(), ScriptedModel())
    try:
        assert [m.text for m in copy.store.all(kinds=[Kind.NOTE])] == ["Keep this one."]
    finally:
        copy.close()


def test_a_purge_reaches_encrypted_backups_too(tmp_path, clock):
    """Sealed backups are opened with the store's key: the purged record and its words go from them."""
    from core.memory.backup import list_backups
    from core.memory.keys import Passphrase

    data = tmp_path / "data"
    secret = Passphrase("correct horse battery")
    mnemo = Mnemo(data, clock, HashEmbedder(), ScriptedModel(), passphrase=lambda: secret)
    try:
        gone = mnemo.add_note(SECRET).memory
        mnemo.add_note("Keep this one.")
        mnemo.store.encrypt(secret)
        mnemo.backup("manual")
        mnemo.delete(gone.id)
        assert mnemo.purge(gone.id) == []
    finally:
        mnemo.close()
    for backup in list_backups(data):
        copy = Mnemo(backup.path, clock, HashEmbedder(), ScriptedModel(), passphrase=lambda: secret)
        try:
            assert gone.id not in {m.id for m in copy.store.all()}
            assert "Keep this one." in {m.text for m in copy.store.all()}
            assert not any(SECRET in (h.reason or "") for h in copy.store.history())
            assert copy.store.check() == []
        finally:
            copy.close()


def test_an_archive_imported_into_an_encrypted_memory_is_sealed(tmp_path, clock):
    from core.memory.keys import Passphrase

    source = Mnemo(tmp_path / "a", clock, HashEmbedder(), ScriptedModel())
    source.add_note(SECRET)
    archive = tmp_path / "memory.mnemo"
    source.export(archive, {})
    source.close()
    secret = Passphrase("correct horse battery")
    target = Mnemo(tmp_path / "b", clock, HashEmbedder(), ScriptedModel(), passphrase=lambda: secret)
    try:
        target.store.encrypt(secret)
        target.import_parsed(target.read_import(archive), archive.name)
        assert SECRET in {m.text for m in target.store.all()}
    finally:
        target.close()
    assert _files_holding(tmp_path / "b", SECRET) == [] and _files_holding(tmp_path / "b", "7731") == []
