from datetime import datetime, timezone

import pytest

from core.clock import FixedClock, parse_instant


def test_parse_instant_accepts_dates_times_and_zones():
    assert parse_instant("2026-05-01T09:30Z") == datetime(2026, 5, 1, 9, 30, tzinfo=timezone.utc)
    assert parse_instant("2026-05-01T11:30+02:00") == datetime(2026, 5, 1, 9, 30, tzinfo=timezone.utc)
    assert parse_instant("2026-05-01").tzinfo is not None


def test_parse_instant_rejects_nonsense_with_a_readable_message():
    with pytest.raises(ValueError, match="not an ISO-8601"):
        parse_instant("next tuesday-ish")


def test_fixed_clock_reads_and_advances():
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=timezone.utc))
    clock.advance(days=2)
    assert clock.now() == datetime(2026, 1, 3, tzinfo=timezone.utc)
