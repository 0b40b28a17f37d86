"""The real download path: huggingface_hub against a local server laid out like the Hub,
serving a real GGUF (the bundled SmolLM2 file under another repository and name)."""
import threading
from dataclasses import replace

import pytest

from core.models import download
from core.models.catalog import Entry
from core.models.download import DownloadCancelled, DownloadError
from tests.hub_server import Hub, _sha256

pytestmark = pytest.mark.real


@pytest.fixture
def gguf():
    from app.paths import default_model_path

    return default_model_path()


@pytest.fixture
def entry(gguf):
    return Entry(name="copy", title="Copy of SmolLM2", repo="someone/copy-GGUF", file="copy-q4.gguf",
                 revision="main", size_bytes=gguf.stat().st_size, ram_bytes=2 * gguf.stat().st_size,
                 parameters_b=0.135, quantisation="Q4_1", licence="Apache-2.0", sha256=_sha256(gguf),
                 chat_template=True)


@pytest.fixture
def hub(gguf):
    with Hub() as server:
        server.add("someone/copy-GGUF", "copy-q4.gguf", gguf)
        yield server


def test_a_download_arrives_verified_in_the_models_folder_with_progress(tmp_path, hub, entry, gguf):
    seen = []
    path = download.download(entry, tmp_path / "models", endpoint=hub.endpoint, on_progress=seen.append)
    assert path == tmp_path / "models" / "copy-q4.gguf" and _sha256(path) == entry.sha256
    assert seen[-1].done == entry.size_bytes and seen[-1].speed > 0 and "of" in seen[-1].describe()
    assert not (tmp_path / "models" / download.STAGING / "copy").exists()
    assert download.download(entry, tmp_path / "models", endpoint=hub.endpoint) == path  # already there
    assert len(hub.ranges()) == 1


def test_a_cancelled_download_keeps_its_bytes_and_the_next_one_resumes(tmp_path, hub, entry):
    cancel = threading.Event()
    hub.slow = 0.02

    def stop_half_way(progress):
        if progress.done > entry.size_bytes // 3:
            cancel.set()

    with pytest.raises(DownloadCancelled, match="resumes"):
        download.download(entry, tmp_path / "models", endpoint=hub.endpoint, on_progress=stop_half_way, cancel=cancel)
    kept = download.staged_bytes(tmp_path / "models", entry)
    assert kept > 0 and not (tmp_path / "models" / entry.file).exists()
    hub.slow = 0.0
    path = download.download(entry, tmp_path / "models", endpoint=hub.endpoint)
    assert _sha256(path) == entry.sha256
    start = int(hub.ranges()[-1].removeprefix("bytes=").rstrip("-"))
    assert start > 0  # the second download asked only for the rest


def test_a_dropped_connection_is_resumed(tmp_path, hub, entry):
    hub.drop_after = 30 * 1024 ** 2
    path = download.download(entry, tmp_path / "models", endpoint=hub.endpoint)
    assert _sha256(path) == entry.sha256 and any(r.startswith("bytes=") for r in hub.ranges())


def test_a_file_whose_checksum_differs_is_refused_and_nothing_is_installed(tmp_path, hub, entry):
    hub.corrupt = True
    with pytest.raises(DownloadError, match="sha256 differs"):
        download.download(entry, tmp_path / "models", endpoint=hub.endpoint)
    assert list((tmp_path / "models").glob("*.gguf")) == []
    assert download.staged_bytes(tmp_path / "models", entry) == 0


def test_not_enough_disk_is_refused_before_anything_is_fetched(tmp_path, hub, entry):
    huge = replace(entry, size_bytes=1 << 50)
    with pytest.raises(DownloadError, match="not enough free disk space .* nothing was downloaded"):
        download.download(huge, tmp_path / "models", endpoint=hub.endpoint)
    assert hub.requests == []


def test_a_missing_file_at_the_source_is_a_sentence(tmp_path, hub, entry):
    with pytest.raises(DownloadError, match="no longer at"):
        download.download(replace(entry, file="gone.gguf"), tmp_path / "models", endpoint=hub.endpoint)


def test_an_unreachable_source_is_a_sentence(tmp_path, entry):
    with pytest.raises(DownloadError, match="could not reach|failed"):
        download.download(entry, tmp_path / "models", endpoint="http://127.0.0.1:9")
