"""Calendar days of memories, in the computer's local time zone (what "today" means to the user)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo


def local_zone() -> tzinfo:
    return datetime.now().astimezone().tzinfo


def day_of(epoch: float, tz: tzinfo | None = None) -> date:
    return datetime.fromtimestamp(epoch, tz or local_zone()).date()


def day_bounds(day: date, tz: tzinfo | None = None) -> tuple[float, float]:
    """[start, end) of the day as epoch seconds."""
    start = datetime.combine(day, time(0), tz or local_zone())
    return start.timestamp(), (start + timedelta(days=1)).timestamp()


def long_day(day: date) -> str:
    """'Thursday 27 April 2023'."""
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def short_day(day: date) -> str:
    """'27 Apr 2023'."""
    return f"{day.day} {day.strftime('%b %Y')}"
