"""Reading the times import files carry: ISO-8601 text, epoch seconds, LoCoMo's session
dates. Naive times are taken as UTC: an export's clock, not this computer's."""
from __future__ import annotations

import math
from datetime import datetime, timezone

from .model import ImportFormatError

EARLIEST = datetime(1970, 1, 2, tzinfo=timezone.utc)
LATEST = datetime(2200, 1, 1, tzinfo=timezone.utc)


def iso_time(value, what: str) -> datetime:
    if not isinstance(value, str):
        raise ImportFormatError(f"{what} should be an ISO-8601 time such as 2024-05-01T09:30:00Z, not "
                                f"{_shown(value)}.")
    raw = value.strip()
    try:
        parsed = datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw)
    except ValueError:
        raise ImportFormatError(
            f"{what} is '{value[:40]}', which is not an ISO-8601 time such as 2024-05-01T09:30:00Z.") from None
    return _checked(parsed, what)


def epoch_time(value, what: str) -> datetime:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
        raise ImportFormatError(f"{what} should be a time in seconds since 1970, not {_shown(value)}.")
    try:
        parsed = datetime.fromtimestamp(value, timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise ImportFormatError(f"{what} ({value}) is not a time Mnemo can read.") from None
    return _checked(parsed, what)


def pattern_time(value, fmt: str, what: str, example: str) -> datetime:
    if not isinstance(value, str):
        raise ImportFormatError(f"{what} should be a date like '{example}', not {_shown(value)}.")
    try:
        parsed = datetime.strptime(value.strip(), fmt)
    except ValueError:
        raise ImportFormatError(f"{what} is '{value[:40]}', not a date like '{example}'.") from None
    return _checked(parsed, what)


def _checked(parsed: datetime, what: str) -> datetime:
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    parsed = parsed.astimezone(timezone.utc)
    if not EARLIEST <= parsed < LATEST:
        raise ImportFormatError(f"{what} ({parsed.date()}) is not a plausible date for a conversation.")
    return parsed


def _finite(value) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer of hundreds of digits
        return False


def _shown(value) -> str:
    """A value from the file, for a sentence: its repr, not too long (it may be a whole list)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"
