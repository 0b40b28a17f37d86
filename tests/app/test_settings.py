import json

import pytest

from app.settings import Settings
from app.wiring import model_path_for
from core.errors import MnemoError


def test_settings_round_trip_and_file_is_json(tmp_path):
    Settings(model_path="/models/other.gguf").save(tmp_path)
    assert Settings.load(tmp_path).model_path == "/models/other.gguf"
    assert json.loads((tmp_path / "settings.json").read_text()) == {"model_path": "/models/other.gguf"}


def test_missing_settings_mean_defaults(tmp_path):
    assert Settings.load(tmp_path) == Settings()


@pytest.mark.parametrize("content", ["{not json", "[1, 2]"])
def test_damaged_settings_give_a_clear_error(tmp_path, content):
    (tmp_path / "settings.json").write_text(content)
    with pytest.raises(MnemoError, match="settings file"):
        Settings.load(tmp_path)


def test_model_choice_order_is_flag_then_settings_then_bundled(tmp_path):
    from app.paths import default_model_path

    assert model_path_for(tmp_path) == default_model_path()
    Settings(model_path=str(tmp_path / "chosen.gguf")).save(tmp_path)
    assert model_path_for(tmp_path) == tmp_path / "chosen.gguf"
    assert model_path_for(tmp_path, tmp_path / "flag.gguf") == tmp_path / "flag.gguf"


def test_importance_defaults_are_saved_only_when_changed_and_refused_out_of_range(tmp_path):
    import dataclasses

    settings = Settings()
    settings.importance = dataclasses.replace(settings.importance, chat_at_least=0.6)
    settings.save(tmp_path)
    assert json.loads((tmp_path / "settings.json").read_text())["importance"] == {"chat_at_least": 0.6}
    assert Settings.load(tmp_path).importance.bounds("chat") == (0.6, 1.0)
    assert Settings.load(tmp_path).importance.bounds("notes") == (0.75, 1.0)  # the default, as before
    (tmp_path / "settings.json").write_text('{"importance": {"chat_at_least": 2}}')
    with pytest.raises(MnemoError, match="importance"):
        Settings.load(tmp_path)
