"""The slot engine: DST-correct, and the same instants for every visitor's zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from coaching.assessments.slots import (
    Busy,
    CoachCalendar,
    Rules,
    Slot,
    Window,
    free_slots,
    group_by_day,
    group_by_day_and_part,
    matches_preferences,
    merge_slots,
    nearest_slots,
    parse_slot,
    part_of_day,
)

LONDON = "Europe/London"
SUNDAY_MORNINGS = [Window(6, time(9), time(11))]
NO_NOTICE = Rules(min_notice_hours=0, horizon_days=3)


def starts(slots: list) -> list[str]:
    return [f"{s.start:%Y-%m-%d %H:%M}" for s in slots]


def test_spring_forward_keeps_the_local_wall_clock() -> None:
    """On 29 March 2026 London moves to BST: 09:00 local is 08:00 UTC, not 09:00."""
    calendar = CoachCalendar(1, LONDON, SUNDAY_MORNINGS)
    slots = free_slots(calendar, rules=NO_NOTICE, now=datetime(2026, 3, 27, tzinfo=UTC))
    assert starts(slots) == [
        "2026-03-29 08:00",
        "2026-03-29 08:30",
        "2026-03-29 09:00",
        "2026-03-29 09:30",
    ]
    assert slots[0].end - slots[0].start == timedelta(minutes=30)


def test_fall_back_keeps_the_local_wall_clock() -> None:
    """On 25 October 2026 London returns to GMT: 09:00 local is 09:00 UTC again."""
    calendar = CoachCalendar(1, LONDON, SUNDAY_MORNINGS)
    slots = free_slots(calendar, rules=NO_NOTICE, now=datetime(2026, 10, 23, tzinfo=UTC))
    assert starts(slots) == [
        "2026-10-25 09:00",
        "2026-10-25 09:30",
        "2026-10-25 10:00",
        "2026-10-25 10:30",
    ]


def test_a_window_across_the_skipped_hour_offers_no_impossible_times() -> None:
    """01:00-03:00 on the spring-forward night: 01:xx local does not exist."""
    calendar = CoachCalendar(1, LONDON, [Window(6, time(0), time(3))])
    slots = free_slots(calendar, rules=NO_NOTICE, now=datetime(2026, 3, 28, tzinfo=UTC))
    local = [s.start.astimezone(ZoneInfo(LONDON)).strftime("%H:%M") for s in slots]
    assert local == ["00:00", "00:30", "02:00", "02:30"]
    assert len({s.start for s in slots}) == len(slots)


def test_visitors_in_new_york_and_kolkata_see_the_same_instants() -> None:
    """Labels differ by zone (Kolkata is +05:30); the instants do not."""
    calendar = CoachCalendar(1, LONDON, SUNDAY_MORNINGS)
    slots = free_slots(calendar, rules=NO_NOTICE, now=datetime(2026, 3, 27, tzinfo=UTC))
    new_york = [s.start.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M") for s in slots]
    kolkata = [s.start.astimezone(ZoneInfo("Asia/Kolkata")).strftime("%H:%M") for s in slots]
    assert new_york == ["04:00", "04:30", "05:00", "05:30"]  # New York is already on EDT
    assert kolkata == ["13:30", "14:00", "14:30", "15:00"]


def test_a_late_window_falls_on_the_next_day_for_a_visitor_far_east() -> None:
    calendar = CoachCalendar(1, LONDON, [Window(0, time(20), time(21))])
    slots = free_slots(calendar, rules=NO_NOTICE, now=datetime(2026, 11, 22, tzinfo=UTC))
    (day, day_slots), *_ = group_by_day(slots, ZoneInfo("Asia/Kolkata"))
    assert f"{day:%a %d}" == "Tue 24" and len(day_slots) == 2


def test_bookings_block_their_time_and_the_buffer_after_and_before() -> None:
    """A 10:00 booking with a 15-minute buffer removes 09:30, 10:00 and 10:30."""
    booked = Busy(
        datetime(2026, 11, 29, 10, tzinfo=UTC), datetime(2026, 11, 29, 10, 30, tzinfo=UTC)
    )
    calendar = CoachCalendar(1, LONDON, [Window(6, time(9), time(12))], bookings=[booked])
    slots = free_slots(calendar, rules=NO_NOTICE, now=datetime(2026, 11, 27, tzinfo=UTC))
    assert starts(slots) == ["2026-11-29 09:00", "2026-11-29 11:00", "2026-11-29 11:30"]
    no_buffer = free_slots(
        calendar,
        rules=Rules(buffer_minutes=0, min_notice_hours=0),
        now=datetime(2026, 11, 27, tzinfo=UTC),
    )
    assert "2026-11-29 09:30" in starts(no_buffer) and "2026-11-29 10:30" in starts(no_buffer)


def test_time_off_removes_slots() -> None:
    off = Busy(datetime(2026, 11, 29, 9, 15, tzinfo=UTC), datetime(2026, 11, 29, 10, tzinfo=UTC))
    calendar = CoachCalendar(1, LONDON, SUNDAY_MORNINGS, time_off=[off])
    slots = free_slots(calendar, rules=NO_NOTICE, now=datetime(2026, 11, 27, tzinfo=UTC))
    assert starts(slots) == ["2026-11-29 10:00", "2026-11-29 10:30"]


def test_minimum_notice_and_horizon_are_respected() -> None:
    """Nothing sooner than 12 hours away, nothing beyond 21 days."""
    calendar = CoachCalendar(1, LONDON, [Window(d, time(9), time(10)) for d in range(7)])
    now = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)
    slots = free_slots(calendar, rules=Rules(), now=now)
    assert all(s.start >= now + timedelta(hours=12) for s in slots)
    assert all(s.start <= now + timedelta(days=21) for s in slots)
    assert starts(slots)[0] == "2026-11-26 09:00"  # 25 Nov 09:00 is under 12 hours away
    assert starts(slots)[-1] == "2026-12-15 09:30"


def test_any_coach_shows_each_time_once() -> None:
    a = CoachCalendar(1, LONDON, SUNDAY_MORNINGS)
    b = CoachCalendar(2, "America/New_York", [Window(6, time(4), time(6))])
    now = datetime(2026, 11, 27, tzinfo=UTC)
    merged = merge_slots(
        [free_slots(a, rules=NO_NOTICE, now=now), free_slots(b, rules=NO_NOTICE, now=now)]
    )
    assert len({s.start for s in merged}) == len(merged)
    assert {s.coach_id for s in merged if s.start.hour == 9} == {1}


def test_slot_values_round_trip_and_tampering_is_refused() -> None:
    calendar = CoachCalendar(7, LONDON, SUNDAY_MORNINGS)
    slot = free_slots(calendar, rules=NO_NOTICE, now=datetime(2026, 11, 27, tzinfo=UTC))[0]
    assert parse_slot(slot.value) == (7, slot.start)
    for bad in [
        "",
        "7",
        "x@2026-11-29T09:00Z",
        "7@2026-13-29T09:00Z",
        "7@2026-11-29 09:00",
        "7@yesterday",
    ]:
        assert parse_slot(bad) is None


# --- Grouping, nearest times and waitlist preferences ----------------------------------------


def slot_at(hour: int, minute: int = 0, day: int = 2) -> Slot:
    start = datetime(2026, 3, day, hour, minute, tzinfo=UTC)
    return Slot(start, 1, start + timedelta(minutes=30))


def test_parts_of_the_day_start_at_noon_and_five() -> None:
    assert [part_of_day(time(h, m)) for h, m in [(0, 0), (11, 59), (12, 0), (16, 59), (17, 0)]] == [
        "morning",
        "morning",
        "afternoon",
        "afternoon",
        "evening",
    ]


def test_slots_group_by_the_visitors_day_then_part_of_day() -> None:
    """23:30 UTC on the 2nd is the 3rd's morning in Tokyo."""
    slots = [slot_at(9), slot_at(13), slot_at(18), slot_at(23, 30)]
    london = group_by_day_and_part(slots, ZoneInfo(LONDON))
    assert [(g.day.day, [p for p, _ in g.parts], g.count) for g in london] == [
        (2, ["morning", "afternoon", "evening"], 4)
    ]
    tokyo = group_by_day_and_part(slots, ZoneInfo("Asia/Tokyo"))
    assert [(g.day.day, [p for p, _ in g.parts]) for g in tokyo] == [
        (2, ["evening"]),
        (3, ["morning"]),
    ]


def test_the_nearest_free_times_lie_either_side_of_the_wanted_one() -> None:
    slots = [slot_at(h) for h in range(8, 18)]
    wanted = datetime(2026, 3, 2, 12, 10, tzinfo=UTC)
    assert [s.start.hour for s in nearest_slots(slots, wanted, count=4)] == [11, 12, 13, 14]
    assert nearest_slots([], wanted) == []


def test_waitlist_preferences_match_in_the_visitors_own_zone() -> None:
    """Monday 2 March 2026, 18:00 UTC is Monday evening in London, Monday afternoon in New York."""
    monday_six = slot_at(18)
    assert matches_preferences(monday_six, ZoneInfo(LONDON), ["0-evening"])
    assert not matches_preferences(monday_six, ZoneInfo(LONDON), ["0-afternoon", "1-evening"])
    assert matches_preferences(monday_six, ZoneInfo("America/New_York"), ["0-afternoon"])
