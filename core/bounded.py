"""Bounded input: what Mnemo reads from a file it did not write is read within fixed limits,
so a hostile or broken file gets a sentence instead of exhausting memory."""
from __future__ import annotations

import zipfile

from .errors import ImportFormatError

# Whole files larger than this are refused before they are read.
MAX_FILE_BYTES = 1 << 30


def read_member(archive: zipfile.ZipFile, name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ImportFormatError(f"The archive has no {name}.") from None
    if info.file_size > limit:
        raise ImportFormatError(f"{name} in the archive says it is {info.file_size:,} bytes, more than Mnemo imports "
                                f"({limit:,}).")
    try:
        with archive.open(info) as handle:
            raw = handle.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ImportFormatError(f"{name} in the archive is damaged ({exc}).") from None
    if len(raw) > limit:
        raise ImportFormatError(f"{name} in the archive is larger than Mnemo imports ({limit:,} bytes).")
    return raw
