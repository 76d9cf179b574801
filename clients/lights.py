"""The gate's vocabulary and a session's light: pure functions over plain data.

A session is green, amber, red, missed or pending (the rules are in DESIGN.md,
"Pain gates progression", and in clients.progression's docstring); a day's
light is its worst session's. Reasons are codes with their facts, worded when
a page is shown (clients.reasons).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

MAX_AMBER_CEILING = 5
HIGH_REST = 5  # pain before above this is never green
USUAL_LOOKBACK_DAYS = 3
FRESH_DAYS = 14
WEEK_DAYS = 7
CREEP_FLARE = 2
MISSED_HOLD = 3
REGRESS_SPAN_DAYS = 6
CHECK_IN_OPENS = time(4)


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    MISSED = "missed"
    PENDING = "pending"


# A day's light is its worst session's.
SEVERITY = {Light.GREEN: 0, Light.AMBER: 1, Light.MISSED: 2, Light.RED: 3}


class Status(StrEnum):
    READY = "ready"
    HOLD = "hold"
    FLARE = "flare"


class Suggestion(StrEnum):
    CUT = "cut"  # cut volume or load at this stage
    REGRESS = "regress"  # go back one stage
    COMPLETE = "complete"  # programme complete: maintenance or discharge


@dataclass(frozen=True)
class Thresholds:
    green_days_needed: int = 3
    green_floor: int = 2
    amber_ceiling: int = 5

    def as_json(self) -> dict[str, int]:
        return {
            "green_days_needed": self.green_days_needed,
            "green_floor": self.green_floor,
            "amber_ceiling": self.amber_ceiling,
        }


@dataclass(frozen=True)
class Reason:
    """Why a session has its light or a client their status, as a code with its facts."""

    code: str
    on: date | None = None
    count: int | None = None
    of: int | None = None
    name: str = ""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code}
        if self.on is not None:
            data["on"] = self.on.isoformat()
        if self.count is not None:
            data["count"] = self.count
        if self.of is not None:
            data["of"] = self.of
        if self.name:
            data["name"] = self.name
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reason:
        on = data.get("on")
        return cls(
            code=str(data["code"]),
            on=date.fromisoformat(on) if on else None,
            count=data.get("count"),
            of=data.get("of"),
            name=str(data.get("name", "")),
        )


def check_in_window(day: date, zone: str) -> tuple[datetime, datetime]:
    """When the check-in for a training day opens and closes: 04:00 to midnight the next day.

    The close is the instant midnight starts, in the zone the session was logged
    in, so an answer at 00:01 is refused.
    """
    tz = ZoneInfo(zone)
    after = day + timedelta(days=1)
    opens = datetime.combine(after, CHECK_IN_OPENS, tzinfo=tz)
    closes = datetime.combine(after + timedelta(days=1), time(0), tzinfo=tz)
    return opens, closes


@dataclass(frozen=True)
class CheckIn:
    """The one-tap "pain now" answered the morning after a training day."""

    training_day: date
    pain: int
    answered_on: date


@dataclass(frozen=True)
class Session:
    """What the gate needs to know about one logged session."""

    id: int
    stage_id: int
    day: date
    logged_at: datetime
    logged_on: date
    window_closes: datetime
    pain_before: int
    pain_during: int
    pain_after: int
    lower_back_hurt: bool
    next_morning: int | None = None
    answered_on: date | None = None
    # The stored decision, taken as given: history is never re-coloured.
    light: Light | None = None
    reasons: tuple[Reason, ...] = ()
    red_known_on: date | None = None
    # A red cannot become known before this day (set while a correction is decided).
    known_floor: date | None = None
    window_opens: datetime | None = None


@dataclass(frozen=True)
class Decision:
    light: Light
    reasons: tuple[Reason, ...] = ()
    red_known_on: date | None = None

    @property
    def decided(self) -> bool:
        return self.light is not Light.PENDING


def usual_level(session: Session, check_ins: Iterable[CheckIn]) -> int:
    """The higher of pain before and the latest check-in in the 3 client-days before."""
    first = session.day - timedelta(days=USUAL_LOOKBACK_DAYS)
    recent = [c for c in check_ins if first <= c.answered_on < session.day]
    if not recent:
        return session.pain_before
    latest = max(recent, key=lambda c: (c.answered_on, c.training_day))
    return max(session.pain_before, latest.pain)


def _known(session: Session, on: date | None) -> date | None:
    """The client-day a red became known: its deciding value's, or a correction's."""
    if on is None or session.known_floor is None:
        return on or session.known_floor
    return max(on, session.known_floor)


def decide(session: Session, *, usual: int, thresholds: Thresholds, now: datetime) -> Decision:
    """A session's light now, given its usual level; a stored light is returned as it is."""
    if session.light is not None:
        return Decision(session.light, session.reasons, session.red_known_on)
    ceiling = thresholds.amber_ceiling
    too_much = []
    if session.pain_during > ceiling:
        too_much.append(Reason("during_too_much", count=session.pain_during))
    if session.pain_after > ceiling:
        too_much.append(Reason("after_too_much", count=session.pain_after))
    if too_much:
        return Decision(Light.RED, tuple(too_much), red_known_on=_known(session, session.logged_on))
    if session.logged_at >= session.window_closes:
        return Decision(Light.MISSED, (Reason("logged_late", on=session.day),))
    if session.next_morning is None:
        if now >= session.window_closes:
            return Decision(Light.MISSED, (Reason("check_in_missed", on=session.day),))
        return Decision(Light.PENDING, (Reason("check_in_wait", on=session.day),))
    rise = session.next_morning - usual
    if rise >= 2:
        worse = Reason("morning_worse", count=session.next_morning, of=usual)
        return Decision(Light.RED, (worse,), red_known_on=_known(session, session.answered_on))
    cap = min(ceiling, max(thresholds.green_floor, session.pain_before))
    amber = []
    if session.pain_during > cap:
        amber.append(Reason("during_amber", count=session.pain_during))
    if session.pain_after > cap:
        amber.append(Reason("after_amber", count=session.pain_after))
    if rise == 1:
        amber.append(Reason("morning_up_one", count=session.next_morning, of=usual))
    if session.lower_back_hurt:
        amber.append(Reason("back_hurt"))
    if session.pain_before > HIGH_REST:
        amber.append(Reason("rest_high", count=session.pain_before))
    return Decision(Light.AMBER, tuple(amber)) if amber else Decision(Light.GREEN)


def decide_all(
    sessions: Sequence[Session],
    check_ins: Sequence[CheckIn],
    *,
    thresholds: dict[int, Thresholds],
    now: datetime,
) -> dict[int, Decision]:
    """Every session's decision, each at its own stage's thresholds."""
    return {
        s.id: decide(
            s,
            usual=usual_level(s, check_ins),
            thresholds=thresholds.get(s.stage_id, Thresholds()),
            now=now,
        )
        for s in sessions
    }


def day_lights(sessions: Iterable[Session], decisions: dict[int, Decision]) -> dict[date, Light]:
    """Each training day's light: pending while any session waits, else its worst session's."""
    days: dict[date, Light] = {}
    for session in sessions:
        light = decisions[session.id].light
        current = days.get(session.day)
        if current is Light.PENDING or light is Light.PENDING:
            days[session.day] = Light.PENDING
        elif current is None or SEVERITY[light] > SEVERITY[current]:
            days[session.day] = light
    return days
