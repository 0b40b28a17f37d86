import os
from datetime import datetime, timezone

import pytest

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
