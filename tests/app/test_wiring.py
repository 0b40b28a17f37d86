import pytest

from app.settings import Settings
from app.wiring import build_mnemo, switch_model
from core.errors import ModelError


def test_switching_to_a_broken_model_changes_nothing(tmp_path, clock):
    mnemo = build_mnemo(tmp_path, clock)
    before = mnemo.model
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"not a model")
    with pytest.raises(ModelError, match=str(bogus)):
        switch_model(mnemo, bogus)
    assert mnemo.model is before and mnemo.answers.model is before
    assert Settings.load(tmp_path).model_path is None
    mnemo.close()


@pytest.mark.real
def test_switching_model_is_used_for_answers_and_remembered(tmp_path, clock):
    from app.paths import default_model_path

    # A copy of the bundled model under another name stands for "any GGUF the user picks".
    chosen = tmp_path / "picked.gguf"
    chosen.symlink_to(default_model_path())
    mnemo = build_mnemo(tmp_path / "data", clock, tmp_path / "missing.gguf")
    with pytest.raises(ModelError):
        mnemo.model.load()
    switch_model(mnemo, chosen)
    mnemo.add_note("My sister Anna lives in Lisbon")
    assert "Lisbon" in mnemo.ask("Where does my sister live?", capture=False).text
    mnemo.close()
    assert Settings.load(tmp_path / "data").model_path == str(chosen.resolve())
    reopened = build_mnemo(tmp_path / "data", clock)
    assert reopened.model.path == chosen.resolve()
    reopened.close()
