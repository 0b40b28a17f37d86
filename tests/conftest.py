import os
from datetime import datetime, timezone

import pytest
from keyring.backend import KeyringBackend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

from core.clock import FixedClock  # noqa: E402


@pytest.fixture
def clock():
    return FixedClock(datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc))


@pytest.fixture(scope="session")
def minilm():
    """The real all-MiniLM-L6-v2 embedder, loaded once per test session."""
    from core.recall.embedder import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    embedder.load()
    return embedder


@pytest.fixture(scope="session")
def smollm():
    """The real SmolLM2-135M GGUF model through llama-cpp-python, loaded once."""
    from app.paths import default_model_path
    from core.answering.llm import LlamaModel

    model = LlamaModel(default_model_path())
    model.load()
    return model


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps secrets in this process (stands in for the OS one)."""
    priority = 5

    def __init__(self):
        super().__init__()
        self.secrets = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture
def os_keyring():
    import keyring

    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)
