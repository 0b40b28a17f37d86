"""The app's side of import/export: a restore chosen in the app happens at the next start;
an archive's settings are taken over only by a new memory."""
import json

from app import data_io
from app.settings import Settings
from core.mnemo import Mnemo
from tests.fakes import HashEmbedder, ScriptedModel


def open_mnemo(path, clock):
    return Mnemo(path, clock, HashEmbedder(), ScriptedModel())


def test_a_restore_chosen_in_the_app_happens_before_the_next_open(tmp_path, clock):
    d = tmp_path / "d"
    m = open_mnemo(d, clock)
    m.add_note("in the backup")
    backup = m.backup("manual")
    m.add_note("after the backup")
    data_io.request_restore(d, backup.name)
    m.close()
    assert data_io.apply_pending_restore(d, clock) == backup.name
    assert data_io.pending_restore(d) is None
    m = open_mnemo(d, clock)
    assert [x.text for x in m.store.all()] == ["in the backup"]
    m.close()


def test_a_restore_withdrawn_while_it_is_being_read_is_simply_not_pending(tmp_path, clock, monkeypatch):
    d = tmp_path / "d"
    m = open_mnemo(d, clock)
    backup = m.backup("manual")
    m.close()
    data_io.request_restore(d, backup.name)
    assert data_io.pending_restore(d) == backup.name
    assert [p.name for p in d.iterdir() if p.name.startswith(data_io.RESTORE_MARK)] == [data_io.RESTORE_MARK]
    real_read = type(d).read_text

    def withdrawn_first(path, *a, **k):  # Undo on another thread wins the race
        data_io.cancel_restore(d)
        return real_read(path, *a, **k)
    monkeypatch.setattr(type(d), "read_text", withdrawn_first)
    assert data_io.pending_restore(d) is None


def test_archive_settings_go_to_a_new_memory_only(tmp_path, clock):
    source = open_mnemo(tmp_path / "a", clock)
    source.add_note("a note")
    Settings.from_dict({"decay": {"max_strength_days": 30}}, "test").save(tmp_path / "a")
    out = tmp_path / "x.mnemo"
    data_io.export_to(source, out)
    source.close()
    fresh = open_mnemo(tmp_path / "b", clock)
    report = data_io.run_import(fresh, data_io.read_for_import(fresh, out, None, None), out.name)
    assert report.settings_applied and Settings.load(tmp_path / "b").decay.max_strength_days == 30
    fresh.close()
    used = open_mnemo(tmp_path / "c", clock)
    used.add_note("mine")
    report = data_io.run_import(used, data_io.read_for_import(used, out, None, None), out.name)
    assert not report.settings_applied and not (tmp_path / "c" / "settings.json").exists()
    used.close()


def test_bad_settings_in_an_archive_are_refused_before_anything_is_written(tmp_path, clock):
    import io
    import zipfile

    source = open_mnemo(tmp_path / "a", clock)
    source.add_note("a note")
    out = tmp_path / "x.mnemo"
    data_io.export_to(source, out)
    source.close()
    # rewrite settings.json with an impossible value and fix its checksum, as a careless edit would
    import hashlib
    with zipfile.ZipFile(out) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["settings.json"] = json.dumps({"decay": {"max_strength_days": "forever"}}).encode()
    manifest = json.loads(parts["manifest.json"])
    manifest["parts"]["settings.json"] = {"sha256": hashlib.sha256(parts["settings.json"]).hexdigest(),
                                          "bytes": len(parts["settings.json"])}
    parts["manifest.json"] = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    out.write_bytes(buffer.getvalue())
    fresh = open_mnemo(tmp_path / "b", clock)
    import pytest

    from core.errors import MnemoError
    with pytest.raises(MnemoError, match="max_strength_days must be a number"):
        data_io.read_for_import(fresh, out, None, None)
    assert len(fresh.store) == 0
    fresh.close()
