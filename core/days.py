"""Calendar days of memories, in the computer's local time (what "today" means to the user),
with the offset of each date itself (summer time included)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta


def day_of(epoch: float) -> date:
    return datetime.fromtimestamp(epoch).date()  # local time, DST-aware


def day_bounds(day: date) -> tuple[float, float]:
    """[start, end) of the local day as epoch seconds (23 or 25 hours long on a DST change)."""
    return (datetime.combine(day, time(0)).timestamp(),
            datetime.combine(day + timedelta(days=1), time(0)).timestamp())


def long_day(day: date) -> str:
    """'Thursday 27 April 2023'."""
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def short_day(day: date) -> str:
    """'27 Apr 2023'."""
    return f"{day.day} {day.strftime('%b %Y')}"


def ago(seconds: float, now: float) -> str:
    """"today", "yesterday", "5 days ago", "3 weeks ago", "4 months ago", "2 years ago"."""
    days = (day_of(now) - day_of(seconds)).days
    if days < 0:
        return "ahead"
    if days <= 1:
        return ("today", "yesterday")[days]
    for size, unit in ((365, "year"), (30, "month"), (7, "week"), (1, "day")):
        if days >= size * (2 if unit != "day" else 1):
            n = days // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return f"{days} days ago"
