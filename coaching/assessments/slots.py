"""Free assessment slots: a pure function over plain data (no ORM).

Coaches give weekly windows in their own time zone ("Mondays 09:00-12:00,
Europe/London"). Slots are laid on that local wall clock, so a 09:00 window
stays at 09:00 across daylight-saving changes; the instants are then compared
in UTC against time off, existing bookings (with the buffer after each
session on both sides), the minimum notice and the booking horizon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Window:
    weekday: int  # Monday is 0
    start: time
    end: time


@dataclass(frozen=True)
class Busy:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Rules:
    slot_minutes: int = 30
    buffer_minutes: int = 15
    min_notice_hours: int = 12
    horizon_days: int = 21


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime
    coach_id: int
    end: datetime

    @property
    def value(self) -> str:
        """The slot as a form value: coach id and UTC start."""
        return f"{self.coach_id}@{self.start.astimezone(UTC):%Y-%m-%dT%H:%MZ}"

    @property
    def iso(self) -> str:
        """The start as an ISO 8601 UTC instant, for the browser to show in its own zone."""
        return f"{self.start.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


@dataclass(frozen=True)
class CoachCalendar:
    coach_id: int
    time_zone: str
    windows: Sequence[Window]
    time_off: Sequence[Busy] = ()
    bookings: Sequence[Busy] = ()


def _local(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The instant of a wall-clock time, or None if the clocks skip it that day."""
    candidate = datetime.combine(day, at, tzinfo=zone)
    round_trip = candidate.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != candidate.replace(tzinfo=None):
        return None
    return candidate


def _overlaps(start: datetime, end: datetime, busy: Iterable[Busy]) -> bool:
    return any(start < b.end and b.start < end for b in busy)


def free_slots(calendar: CoachCalendar, *, rules: Rules, now: datetime) -> list[Slot]:
    """Every bookable slot of one coach, earliest first."""
    zone = ZoneInfo(calendar.time_zone)
    length = timedelta(minutes=rules.slot_minutes)
    buffer = timedelta(minutes=rules.buffer_minutes)
    earliest = now + timedelta(hours=rules.min_notice_hours)
    latest = now + timedelta(days=rules.horizon_days)
    # A booking blocks its own time plus the buffer after it; a new slot needs the
    # buffer after itself too, so both sides are widened by the buffer.
    booked = [Busy(b.start, b.end + buffer) for b in calendar.bookings]
    first_day = now.astimezone(zone).date()
    slots: list[Slot] = []
    for offset in range(rules.horizon_days + 2):
        day = first_day + timedelta(days=offset)
        for window in calendar.windows:
            if window.weekday != day.weekday():
                continue
            cursor = datetime.combine(day, window.start)
            close = datetime.combine(day, window.end)
            while cursor + length <= close:
                start = _local(day, cursor.time(), zone)
                cursor += length
                if start is None:
                    continue
                end = start + length
                if start < earliest or start > latest:
                    continue
                if _overlaps(start, end, calendar.time_off):
                    continue
                if _overlaps(start, end + buffer, booked):
                    continue
                slots.append(Slot(start.astimezone(UTC), calendar.coach_id, end.astimezone(UTC)))
    return sorted(set(slots))


def merge_slots(per_coach: Iterable[list[Slot]]) -> list[Slot]:
    """One slot per start time across coaches ("any coach"), earliest coach id first."""
    chosen: dict[datetime, Slot] = {}
    for slots in per_coach:
        for slot in slots:
            if slot.start not in chosen or slot.coach_id < chosen[slot.start].coach_id:
                chosen[slot.start] = slot
    return sorted(chosen.values())


# ASCII digits only: str.isdigit() and strptime's \\d also take "²" or "٣", which
# either crash int() or quietly read as another number.
_SLOT_VALUE = re.compile(r"([0-9]{1,9})@([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2})Z", re.ASCII)


def parse_slot(value: str) -> tuple[int, datetime] | None:
    """Read a slot form value back; None for anything tampered or malformed.

    Only the exact form `Slot.value` writes is accepted: ASCII digits, a coach id
    of at most nine digits (so it always fits the database's integer), a UTC time.
    """
    match = _SLOT_VALUE.fullmatch(value)
    if match is None:
        return None
    coach, when = match.groups()
    try:
        start = datetime.strptime(when, "%Y-%m-%dT%H:%M").replace(tzinfo=UTC)
    except ValueError:
        return None
    return int(coach), start


def group_by_day(slots: Sequence[Slot], zone: ZoneInfo) -> list[tuple[date, list[Slot]]]:
    """Slots grouped by the visitor's local date."""
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(slot.start.astimezone(zone).date(), []).append(slot)
    return sorted(days.items())


# Parts of the day, by the local hour they start at. The booking page's script
# (static/js/booking.js) groups with the same hours in the visitor's own zone.
PARTS = (("morning", 0), ("afternoon", 12), ("evening", 17))
PART_NAMES = tuple(name for name, _ in PARTS)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def part_of_day(at: time) -> str:
    """Morning before 12:00, afternoon until 17:00, evening after."""
    return next(name for name, hour in reversed(PARTS) if at.hour >= hour)


@dataclass(frozen=True)
class DayGroup:
    day: date
    parts: list[tuple[str, list[Slot]]]

    @property
    def count(self) -> int:
        return sum(len(slots) for _, slots in self.parts)


def group_by_day_and_part(slots: Sequence[Slot], zone: ZoneInfo) -> list[DayGroup]:
    """Slots by the visitor's local date, then by morning, afternoon and evening."""
    groups = []
    for day, day_slots in group_by_day(slots, zone):
        parts: dict[str, list[Slot]] = {}
        for slot in day_slots:
            parts.setdefault(part_of_day(slot.start.astimezone(zone).time()), []).append(slot)
        groups.append(DayGroup(day, [(name, parts[name]) for name in PART_NAMES if name in parts]))
    return groups


def nearest_slots(slots: Sequence[Slot], target: datetime, *, count: int = 6) -> list[Slot]:
    """The free times closest to the one someone wanted (before or after it), in time order."""
    closest = sorted(slots, key=lambda s: (abs(s.start - target), s.start))[:count]
    return sorted(closest)


def preference_code(weekday: int, part: str) -> str:
    """A waitlist preference: "0-morning" is Monday morning."""
    return f"{weekday}-{part}"


def matches_preferences(slot: Slot, zone: ZoneInfo, preferences: Iterable[str]) -> bool:
    """Does the slot fall on a weekday and part of day the visitor said suits them?"""
    local = slot.start.astimezone(zone)
    return preference_code(local.weekday(), part_of_day(local.time())) in set(preferences)
