"""Times in chat apps' exports. A clock reading without a zone (a phone's "21:05", Telegram's
"2023-12-31T21:05:09", SillyTavern's "June 3, 2024 4:05pm") is LOCAL time: the time on the
device that wrote it, taken to be this computer's zone. Epoch numbers are exact."""
from __future__ import annotations

import math
from datetime import datetime, timezone

from .model import ImportFormatError
from .times import EARLIEST, LATEST


def local_time(moment: datetime, what: str) -> datetime:
    """`moment` in UTC: a naive one read as this computer's local time; refused (a sentence)
    when it is not a plausible date for a conversation."""
    if not EARLIEST.year <= moment.year < LATEST.year:
        raise ImportFormatError(f"{what} ({moment.date()}) is not a plausible date for a conversation.")
    try:
        aware = moment if moment.tzinfo is not None else moment.astimezone()  # (naive: local time)
        at = aware.astimezone(timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise ImportFormatError(f"{what} ({moment.date()}) is not a time Mnemo can read.") from None
    if not EARLIEST <= at < LATEST:
        raise ImportFormatError(f"{what} ({at.date()}) is not a plausible date for a conversation.")
    return at


def epoch_any(value, what: str) -> datetime:
    """Seconds or milliseconds since 1970 (a number, or digits as text), told apart by size."""
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 16:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
        raise ImportFormatError(f"{what} should be a time since 1970, not {value!r:.40}.")
    seconds = value / 1000 if abs(value) >= 1e11 else value  # (1e11 s is the year 5138)
    try:
        at = datetime.fromtimestamp(seconds, timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise ImportFormatError(f"{what} ({value}) is not a time Mnemo can read.") from None
    if not EARLIEST <= at < LATEST:
        raise ImportFormatError(f"{what} ({at.date()}) is not a plausible date for a conversation.")
    return at


def _finite(value) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer of hundreds of digits
        return False
