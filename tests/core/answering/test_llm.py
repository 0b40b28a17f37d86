import threading

import pytest

from core.answering.llm import LlamaModel, check_model_file
from core.errors import ModelError


def test_missing_model_file_is_named_with_how_to_choose_another(tmp_path):
    missing = tmp_path / "nowhere.gguf"
    with pytest.raises(ModelError) as err:
        LlamaModel(missing).load()
    assert str(missing) in str(err.value) and "--model" in str(err.value)


def test_a_file_that_is_not_gguf_is_refused(tmp_path):
    bogus = tmp_path / "model.gguf"
    bogus.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(ModelError, match="not a GGUF"):
        check_model_file(bogus)


def test_a_truncated_gguf_fails_to_load_with_a_clear_error(tmp_path):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\x00" * 64)
    with pytest.raises(ModelError, match="could not be loaded"):
        LlamaModel(broken).load()


def test_a_folder_is_not_a_model(tmp_path):
    with pytest.raises(ModelError, match="folder"):
        check_model_file(tmp_path)


@pytest.mark.real
def test_real_model_streams_and_can_be_cancelled(smollm):
    cancel = threading.Event()
    pieces = []
    for piece in smollm.stream_chat([{"role": "user", "content": "Count from one to twenty."}], max_tokens=80,
                                    cancel=cancel):
        pieces.append(piece)
        if len(pieces) == 3:
            cancel.set()
    assert len(pieces) == 3
