"""When a reminder falls due, from the client's choices and their own wall clock."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from clients.reminders.schedule import Plan, check_in_slot, training_slot

TOKYO = ZoneInfo("Asia/Tokyo")
MON_WED = frozenset({0, 2})


def at(day: int, hour: int, minute: int = 0, zone: ZoneInfo = TOKYO) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=zone)  # 23 Nov 2026 is a Monday


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (at(23, 17, 59), None),  # Monday, a minute early
        (at(23, 18, 0), date(2026, 11, 23)),
        (at(23, 19, 59), date(2026, 11, 23)),
        (at(23, 20, 0), None),  # two hours late: dropped, never sent at midnight
        (at(24, 18, 30), None),  # Tuesday is not a training day
        (at(25, 18, 5), date(2026, 11, 25)),  # Wednesday
    ],
)
def test_a_training_reminder_comes_on_training_days_at_the_chosen_time(
    now: datetime, due: date | None
) -> None:
    assert training_slot(Plan(MON_WED, time(18), None), now) == due


@pytest.mark.parametrize(
    ("chosen", "now", "due"),
    [
        (time(7, 30), at(24, 7, 29), None),
        (time(7, 30), at(24, 7, 30), date(2026, 11, 23)),  # for yesterday's session
        (time(7, 30), at(24, 23, 59), date(2026, 11, 23)),  # still open until midnight
        (time(2), at(24, 3, 59), None),  # never before 04:00, whatever was stored
        (time(2), at(24, 4, 0), date(2026, 11, 23)),
    ],
)
def test_a_check_in_reminder_comes_the_next_morning_never_before_4am(
    chosen: time, now: datetime, due: date | None
) -> None:
    assert check_in_slot(Plan(frozenset(), None, chosen), now) == due


def test_no_choice_means_no_reminder() -> None:
    assert training_slot(Plan(frozenset(), None, None), at(23, 18)) is None
    assert check_in_slot(Plan(MON_WED, time(18), None), at(23, 18)) is None


def test_on_the_spring_forward_night_a_time_the_clock_skips_still_reminds_once() -> None:
    """02:30 does not exist on 29 March 2026 in London: the 03:00 tick sends it."""
    london = ZoneInfo("Europe/London")
    plan = Plan(frozenset({6}), time(2, 30), None)
    assert training_slot(plan, datetime(2026, 3, 29, 3, 0, tzinfo=london)) == date(2026, 3, 29)
