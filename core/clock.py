"""Injectable time. Everything in core asks a Clock for "now" so that decay, schedules and
tests can be replayed (`mnemo --now 2026-05-01T09:00`)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time as an aware UTC datetime."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FixedClock:
    """A clock that reads a given instant; `advance` moves it (for tests and replays)."""

    def __init__(self, at: datetime):
        self._at = to_utc(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = to_utc(at)

    def advance(self, **delta) -> None:
        from datetime import timedelta

        self._at = self._at + timedelta(**delta)


def to_utc(value: datetime) -> datetime:
    """Naive datetimes are taken as local time (what a person typing a time means)."""
    if value.tzinfo is None:
        value = value.astimezone()
    return value.astimezone(timezone.utc)


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 instant ("2026-05-01", "2026-05-01T09:00", "...Z", "...+02:00").

    Raises ValueError with a sentence a person understands."""
    raw = text.strip()
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00") if raw.endswith("Z") else raw)
    except ValueError:
        raise ValueError(
            f"'{text}' is not an ISO-8601 date or time; use e.g. 2026-05-01 or 2026-05-01T09:30"
        ) from None
    return to_utc(value)


def to_epoch(value: datetime) -> float:
    return to_utc(value).timestamp()


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)
