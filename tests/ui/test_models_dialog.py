"""File ▸ Language Models…, as a person uses it: the catalog and what this computer runs well;
Download (only on the click) with progress and Cancel, resumed later, verified; Use; the model's
Settings; Remove; Work offline; and the first-run offer, which never downloads by itself. The
library is the real one (app/model_library.py) over a local server laid out like the Hugging
Face Hub, serving the bundled SmolLM2 file under another name."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app import model_library
from tests.hub_server import Hub, _sha256

from .helpers import click

pytestmark = pytest.mark.real
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hub(tmp_path, monkeypatch):
    from app.paths import default_model_path

    gguf = default_model_path()
    catalog = json.loads((ROOT / "resources" / "models.json").read_text())
    catalog["models"].append(dict(catalog["models"][1], name="copy", title="SmolLM2 copy", repo="someone/copy-GGUF",
                                  file="copy-q4.gguf", size_bytes=gguf.stat().st_size, sha256=_sha256(gguf),
                                  ram_bytes=2 * gguf.stat().st_size, parameters_b=0.135, notes="A test copy."))
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    monkeypatch.setenv("MNEMO_MODEL_CATALOG", str(tmp_path / "catalog.json"))
    with Hub() as server:
        server.add("someone/copy-GGUF", "copy-q4.gguf", gguf)
        monkeypatch.setenv("HF_ENDPOINT", server.endpoint)
        yield server


@pytest.fixture
def library_window(make_window, tmp_path, clock):
    """A window whose bridge has the real model library and the real model switcher."""
    from tests.fakes import HashEmbedder, ScriptedModel
    from ui.workers import MnemoBridge

    data = tmp_path / "memory"

    def factory():
        from core.mnemo import Mnemo

        return Mnemo(data, clock, HashEmbedder(), ScriptedModel())

    def switch(mnemo, path):
        from app.wiring import switch_model

        return switch_model(mnemo, path)

    bridge = MnemoBridge(factory, model_switcher=switch, data_dir=data, model_ops=model_library)
    return make_window(bridge=bridge), data


def row_index(dialog, name: str) -> int:
    return [r.name for r in dialog.rows].index(name)


def test_download_cancel_resume_use_and_remove_a_model(qtbot, library_window, hub, monkeypatch):
    window, data = library_window
    dialog = window.model_chooser.choose() or window.model_chooser.dialog
    assert window.model_chooser.action.text() == "Language Models…"
    qtbot.waitUntil(lambda: bool(dialog.rows), timeout=5000)
    assert "This computer has" in dialog.machine.text()
    bundled = dialog.rows[row_index(dialog, "smollm2-135m")]
    dialog.list.setCurrentRow(row_index(dialog, "smollm2-135m"))
    assert bundled.kind == "bundled" and bundled.installed and not dialog.remove_button.isEnabled()
    assert hub.requests == []  # opening the library fetches nothing

    dialog.list.setCurrentRow(row_index(dialog, "copy"))
    assert "A test copy." in dialog.details.text() and dialog.download_button.isVisible()
    hub.slow = 0.05
    click(qtbot, dialog.download_button)
    qtbot.waitUntil(lambda: dialog.progress.value() > 0 and "MB of" in dialog.progress_text.text(), timeout=10_000)
    assert dialog.cancel_button.isVisible()
    click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: dialog.download is None, timeout=10_000)
    assert "cancelled" in dialog.progress_text.text() and not (data / "models" / "copy-q4.gguf").exists()
    qtbot.waitUntil(lambda: dialog.download_button.text() == "Resume Download", timeout=5000)

    hub.slow = 0.0
    click(qtbot, dialog.download_button)
    qtbot.waitUntil(lambda: "checksum verified" in dialog.progress_text.text(), timeout=30_000)
    assert any(r.startswith("bytes=") and r != "bytes=0-" for r in hub.ranges())  # resumed, not restarted
    assert _sha256(data / "models" / "copy-q4.gguf") == _sha256(hub.files[("someone/copy-GGUF", "copy-q4.gguf")])
    qtbot.waitUntil(lambda: dialog.current() is not None and dialog.current().name == "copy"
                    and dialog.use_button.isEnabled(), timeout=5000)

    click(qtbot, dialog.use_button)
    qtbot.waitUntil(lambda: "answers from now on" in dialog.progress_text.text(), timeout=30_000)
    assert Path(window.bridge.mnemo.model.path).name == "copy-q4.gguf"
    assert model_library.current_path(data).name == "copy-q4.gguf"  # remembered for the next start

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    qtbot.waitUntil(lambda: dialog.current() is not None and dialog.current().in_use, timeout=5000)
    click(qtbot, dialog.remove_button)
    qtbot.waitUntil(lambda: "bundled model answers again" in dialog.progress_text.text(), timeout=10_000)
    assert not (data / "models" / "copy-q4.gguf").exists()
    qtbot.waitUntil(lambda: Path(window.bridge.mnemo.model.path).name != "copy-q4.gguf", timeout=30_000)


def test_a_corrupted_download_is_refused_and_offline_downloads_nothing(qtbot, library_window, hub):
    window, data = library_window
    dialog = window.model_chooser.choose() or window.model_chooser.dialog
    qtbot.waitUntil(lambda: bool(dialog.rows), timeout=5000)
    dialog.list.setCurrentRow(row_index(dialog, "copy"))
    hub.corrupt = True
    click(qtbot, dialog.download_button)
    qtbot.waitUntil(lambda: "sha256 differs" in dialog.progress_text.text(), timeout=30_000)
    assert list((data / "models").glob("*.gguf")) == []

    dialog.offline.setChecked(True)
    qtbot.waitUntil(lambda: bool(model_library.Settings.load(data).offline), timeout=5000)
    assert not dialog.download_button.isEnabled()
    before = len(hub.requests)
    model_library_error = None
    try:
        model_library.fetch(data, "copy")
    except Exception as exc:  # noqa: BLE001
        model_library_error = str(exc)
    assert "offline" in model_library_error and len(hub.requests) == before


def test_model_settings_default_from_the_file_and_changes_are_kept(qtbot, library_window, hub):
    window, data = library_window
    dialog = window.model_chooser.choose() or window.model_chooser.dialog
    qtbot.waitUntil(lambda: bool(dialog.rows), timeout=5000)
    dialog.list.setCurrentRow(row_index(dialog, "smollm2-135m"))
    settings = dialog.open_settings()
    qtbot.waitUntil(lambda: settings.buttons.isEnabled(), timeout=10_000)
    assert settings.context.value() == 4096 and "defaults" in settings.note.text()
    settings.answer_tokens.setValue(200)
    settings.save()
    qtbot.waitUntil(lambda: bool(model_library.Settings.load(data).models), timeout=10_000)
    assert model_library.Settings.load(data).models == {"SmolLM2-135M-Instruct.Q4_1.gguf": {"answer_tokens": 200}}


@pytest.fixture
def roomy_machine(monkeypatch):
    from core.models.catalog import Machine

    monkeypatch.setattr(Machine, "this_one", classmethod(lambda cls: Machine(32 * 1024 ** 3, 8)))


def test_the_first_run_offer_opens_the_library_and_never_downloads_by_itself(qtbot, roomy_machine, hub,
                                                                            library_window):
    window, data = library_window  # ready: the offer is made once the models are loaded
    qtbot.waitUntil(lambda: bool(window.chat.infos), timeout=5000)
    bubble = window.chat.infos[-1]
    assert "This computer can run" in bubble.text() and "Not Now" == bubble.later_button.text()
    click(qtbot, bubble.get_button)
    dialog = window.model_chooser.dialog
    qtbot.waitUntil(lambda: bool(dialog.rows), timeout=5000)
    assert dialog.current().recommended and hub.requests == []
    assert model_library.Settings.load(data).model_offer == "accepted"
    window.chat.infos.clear()
    window.model_chooser.offer()  # asked once only
    qtbot.wait(300)
    assert window.chat.infos == []


def test_not_now_declines_the_offer_for_good(qtbot, roomy_machine, hub, library_window):
    window, data = library_window
    qtbot.waitUntil(lambda: bool(window.chat.infos), timeout=5000)
    bubble = window.chat.infos[-1]
    click(qtbot, bubble.later_button)
    assert bubble.isHidden()
    qtbot.waitUntil(lambda: model_library.Settings.load(data).model_offer == "declined", timeout=5000)
    assert model_library.should_offer(data) is None and hub.requests == []


def test_preferences_name_the_model_and_switch_offline(qtbot, library_window):
    window, data = library_window
    dialog = window.open_preferences()
    assert "SmolLM2-135M" in dialog.model_label.text()
    qtbot.waitUntil(dialog.offline_box.isEnabled, timeout=5000)
    assert not dialog.offline_box.isChecked()
    dialog.offline_box.click()
    qtbot.waitUntil(lambda: bool(model_library.Settings.load(data).offline), timeout=5000)
    again = window.open_preferences()
    qtbot.waitUntil(again.offline_box.isEnabled, timeout=5000)
    assert again.offline_box.isChecked()
