"""The models on this computer: bundled, downloaded, added; removing a downloaded one deletes
its file, its unfinished download and its saved prompt state; an added file is only forgotten."""
import pytest

from core.errors import MnemoError
from core.models.catalog import Entry
from core.models.download import STAGING
from core.models.library import PREFIX_CACHE, Library


def entry(name, file, bundled=False):
    return Entry(name=name, title=name.title(), repo="someone/x", file=file, revision="main", size_bytes=4,
                 ram_bytes=8, parameters_b=1.0, quantisation="Q4", licence="MIT", sha256="0" * 64,
                 chat_template=True, bundled=bundled)


def test_downloaded_added_and_bundled_models_and_what_removing_each_does(tmp_path):
    models, bundled = tmp_path / "models", tmp_path / "bundled.gguf"
    models.mkdir()
    bundled.write_bytes(b"GGUF")
    (models / "big.gguf").write_bytes(b"GGUF")
    (models / PREFIX_CACHE).mkdir()
    state = models / PREFIX_CACHE / "big-0123456789ab.prefix"
    state.write_bytes(b"state")
    (models / STAGING / "big").mkdir(parents=True)
    mine = tmp_path / "elsewhere" / "mine.gguf"
    mine.parent.mkdir()
    mine.write_bytes(b"GGUF")
    lib = Library(models, [entry("small", "bundled.gguf", True), entry("big", "big.gguf")], bundled, [str(mine)])
    assert [(m.name, m.kind) for m in lib.installed()] == [("small", "bundled"), ("big", "downloaded"),
                                                          ("mine.gguf", "added")]
    with pytest.raises(MnemoError, match="comes with Mnemo"):
        lib.remove("small")
    lib.remove("big")
    assert not (models / "big.gguf").exists() and not state.exists() and not (models / STAGING / "big").exists()
    lib.remove("mine.gguf")
    assert mine.exists() and lib.added == []  # the user's file stays where it was
    with pytest.raises(MnemoError, match="not on this computer yet"):
        lib.find("big")
