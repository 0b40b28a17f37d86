"""Fetching a catalog model: the only network access Mnemo ever makes, and only when the user
asks. huggingface_hub does the transfer (resumable: an interrupted download goes on from the
bytes it has); Mnemo checks the free disk first, reports progress with speed and time left,
can be cancelled, verifies the sha256, and moves the file into the models folder only when it
is complete and verified."""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import MnemoError
from .catalog import Entry, size_label

STAGING = ".downloading"  # models_dir/.downloading/<name>/: unfinished downloads, kept to resume
MARGIN = 64 * 1024 ** 2  # free space left over once the file is in
_ONLINE = threading.Lock()


class DownloadError(MnemoError):
    """A download was refused or failed; nothing was installed."""


class DownloadCancelled(DownloadError):
    """The user cancelled; what was fetched is kept so the next try resumes."""


@dataclass(frozen=True)
class Progress:
    done: int  # bytes on disk, resumed ones included
    total: int
    speed: float  # bytes per second in this session
    seconds_left: float | None

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0

    def describe(self) -> str:
        left = f", about {_duration(self.seconds_left)} left" if self.seconds_left is not None else ""
        return (f"{size_label(self.done)} of {size_label(self.total)} ({self.fraction:.0%}), "
                f"{size_label(int(self.speed))}/s{left}")


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


def staged_bytes(models_dir: Path, entry: Entry) -> int:
    """How much of `entry` an earlier, unfinished download left (what a new one resumes from)."""
    folder = Path(models_dir) / STAGING / entry.name
    if not folder.is_dir():
        return 0
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def sha256_of(path: Path, chunk: int = 4 * 1024 ** 2) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def check_free_space(models_dir: Path, entry: Entry) -> None:
    """Refuse before anything is fetched when the disk cannot hold the file."""
    needed = entry.size_bytes - staged_bytes(models_dir, entry) + MARGIN
    free = shutil.disk_usage(models_dir).free
    if free < needed:
        raise DownloadError(
            f"There is not enough free disk space for {entry.title}: it needs {size_label(needed)} "
            f"and {models_dir} has {size_label(free)} free. Free some space and try again; nothing was downloaded.")


def download(entry: Entry, models_dir: Path, *, endpoint: str | None = None,
             on_progress: Callable[[Progress], None] | None = None,
             cancel: threading.Event | None = None) -> Path:
    """Fetch `entry` into `models_dir` and return its path (an installed, verified file)."""
    if entry.bundled:
        raise DownloadError(f"{entry.title} comes with Mnemo; there is nothing to download.")
    models_dir = Path(models_dir)
    models_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = models_dir / entry.file
    if target.is_file() and target.stat().st_size == entry.size_bytes and sha256_of(target) == entry.sha256:
        return target
    check_free_space(models_dir, entry)
    staging = models_dir / STAGING / entry.name
    staging.mkdir(mode=0o700, parents=True, exist_ok=True)
    fetched = _fetch(entry, staging, endpoint, on_progress, cancel)
    if fetched.stat().st_size != entry.size_bytes or sha256_of(fetched) != entry.sha256:
        shutil.rmtree(staging, ignore_errors=True)
        raise DownloadError(
            f"The downloaded {entry.file} is not the file the catalog names (its sha256 differs): it was "
            f"deleted and nothing was installed. The file at the source may have changed or been damaged on the way.")
    os.replace(fetched, target)
    target.chmod(0o600)
    shutil.rmtree(staging, ignore_errors=True)
    return target


def _fetch(entry, staging, endpoint, on_progress, cancel) -> Path:
    """huggingface_hub finds the file (its size, where it is served from) and streams it into
    `<file>.part`, appending to what an earlier try left (a Range request)."""
    from huggingface_hub import constants, get_hf_file_metadata, hf_hub_url
    from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError, RepositoryNotFoundError
    from huggingface_hub.file_download import http_get
    from huggingface_hub.utils import logging as hub_logging

    hub_logging.set_verbosity_error()  # its "Trying to resume download..." notes are not the user's

    part = staging / f"{entry.file}.part"
    if part.exists() and part.stat().st_size > entry.size_bytes:
        part.unlink()  # longer than the file can be: start again
    url = hf_hub_url(entry.repo, entry.file, revision=entry.revision, endpoint=endpoint)
    try:
        with _online(constants):
            meta = get_hf_file_metadata(url, endpoint=endpoint)
            if meta.size is not None and meta.size != entry.size_bytes:
                raise DownloadError(
                    f"{entry.file} at {entry.repo} is {size_label(meta.size)}, not the {entry.size_label} the "
                    f"catalog names: it has changed at the source, so Mnemo did not download it.")
            with part.open("ab") as handle:
                http_get(meta.location or url, handle, resume_size=handle.tell(), expected_size=entry.size_bytes,
                         displayed_filename=entry.file, tqdm_class=_progress_bar(on_progress, cancel))
        return part
    except DownloadError:
        raise
    except (RepositoryNotFoundError, EntryNotFoundError):
        raise DownloadError(f"{entry.file} is no longer at {entry.repo}; nothing was installed.") from None
    except HfHubHTTPError as exc:
        raise DownloadError(f"The download of {entry.title} failed ({_short(exc)}); try again later: "
                            f"it resumes where it stopped.") from None
    except OSError as exc:
        if getattr(exc, "errno", None) == 28:
            raise DownloadError(f"The disk filled up while downloading {entry.title}; free some space and try "
                                f"again: it resumes where it stopped.") from None
        raise DownloadError(f"The download of {entry.title} failed ({_short(exc)}); try again: it resumes "
                            f"where it stopped.") from None
    except Exception as exc:  # httpx's connection and timeout errors
        raise DownloadError(f"Mnemo could not reach the model's source ({_short(exc)}). Check the connection "
                            f"and try again: the download resumes where it stopped.") from None


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


@contextlib.contextmanager
def _online(constants):
    """Mnemo runs with the Hub offline (app/wiring.py); a requested download lifts that for its
    own call only."""
    with _ONLINE:
        before = constants.HF_HUB_OFFLINE
        constants.HF_HUB_OFFLINE = False
        try:
            yield
        finally:
            constants.HF_HUB_OFFLINE = before


def _progress_bar(on_progress, cancel):
    """A tqdm class for huggingface_hub that reports to `on_progress` and stops on `cancel`."""
    from tqdm.std import tqdm

    class Bar(tqdm):
        def __init__(self, *args, **kwargs):
            kwargs.pop("name", None)
            kwargs.update(disable=False, file=io.StringIO(), mininterval=0.25)
            super().__init__(*args, **kwargs)
            self._started, self._initial = time.monotonic(), self.n

        def update(self, n=1):
            shown = super().update(n)
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled("The download was cancelled; what was fetched is kept, and the next "
                                        "download of this model resumes from it.")
            if on_progress is not None and self.total:
                elapsed = max(time.monotonic() - self._started, 1e-6)
                speed = (self.n - self._initial) / elapsed
                left = (self.total - self.n) / speed if speed > 0 else None
                on_progress(Progress(int(self.n), int(self.total), speed, left))
            return shown

    return Bar
