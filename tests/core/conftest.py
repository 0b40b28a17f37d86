import pytest

from core.mnemo import Mnemo
from tests.fakes import HashEmbedder, ScriptedModel


@pytest.fixture
def mnemo(tmp_path, clock):
    m = Mnemo(tmp_path / "data", clock, HashEmbedder(), ScriptedModel())
    yield m
    m.close()
