"""The pain gate: pure functions over plain data (no ORM, no request).

Pain is on the 0-10 numeric rating scale. The model is the pain-monitoring
model (Thomee 1997; Silbernagel et al. 2007): pain during and after exercise
may reach the amber ceiling (5), must have settled by the next morning, and
must not creep up week on week. Moving on asks more: N green days.

A session's light:

- red: pain during or after above the amber ceiling (decided when logged), or
  the next morning 2 or more above the usual level; red wins over every rule;
- green: pain during and after no higher than min(ceiling, max(floor, pain
  before)), pain before at most 5, the next morning back to (or below) the
  usual level, and the lower back did not hurt;
- amber: anything else within the ceiling (a 1-point rise the next morning is
  within the scale's noise: amber, never red on its own);
- pending: waiting for its check-in; missed: its check-in window closed
  unanswered, or the session was logged after its window had closed.

The usual level for a session is the higher of its pain before and the most
recent check-in answered in the 3 client-days before the session's day.

A client's status at their stage counts the sessions at that stage performed
on or after the client-day they entered it, plus every red that became known
on or after that day (a red found after a regress still counts):

- FLARE: a red not followed by a green day dated after the day it became
  known, or pain creeping up week on week by 2 or more (medians of resting
  values, this week against last);
- READY: the last N decided days are all green, the latest within 14 days, no
  session waits for its check-in, no week-on-week rise, fewer than 3 missed
  check-ins this week, and technique signed off when the next stage is loaded;
- HOLD: anything else, with its reasons.

Reasons are codes with dates and numbers (`Reason`): pages put them into
words at the time they are shown, so "tomorrow morning" stays true.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import combinations
from statistics import median
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


@dataclass(frozen=True)
class Creep:
    """Week-on-week change in the median resting pain; None when either week is too thin."""

    last_week: float
    week_before: float

    @property
    def rise(self) -> float:
        return self.last_week - self.week_before


def week_on_week(
    sessions: Iterable[Session], check_ins: Iterable[CheckIn], *, today: date
) -> Creep | None:
    """Median resting pain over today and the 6 days before, against the 7 before those."""
    values = [(s.day, s.pain_before) for s in sessions]
    values += [(c.answered_on, c.pain) for c in check_ins]
    start = today - timedelta(days=WEEK_DAYS - 1)
    previous_start = start - timedelta(days=WEEK_DAYS)
    last = [v for d, v in values if start <= d <= today]
    before = [v for d, v in values if previous_start <= d < start]
    if len(last) < 2 or len(before) < 2:
        return None
    return Creep(float(median(last)), float(median(before)))


def missed_check_ins(sessions: Iterable[Session], *, today: date, now: datetime) -> int:
    """Training days whose check-in closed unanswered within the last 7 client-days."""
    first = today - timedelta(days=WEEK_DAYS - 1)
    by_day: dict[date, list[Session]] = {}
    for session in sessions:
        if first <= session.day + timedelta(days=1) <= today:
            by_day.setdefault(session.day, []).append(session)
    return sum(
        all(s.next_morning is None and now >= s.window_closes for s in day)
        for day in by_day.values()
    )


@dataclass(frozen=True)
class NextStage:
    """The stage after the current one, if any, and what entering it needs."""

    name: str
    needs_technique_signoff: bool


@dataclass(frozen=True)
class Evaluation:
    status: Status
    reasons: tuple[Reason, ...]
    green_days: int = 0
    green_days_needed: int = 3
    suggestion: Suggestion | None = None
    decisions: dict[int, Decision] = field(default_factory=dict)


def _regress_suggested(reds: Sequence[Session], decisions: dict[int, Decision]) -> bool:
    """Two red days whose reds became known at most 6 days apart; one day counts once."""
    known: dict[date, date] = {}
    for red in reds:
        on = decisions[red.id].red_known_on or red.day
        known[red.day] = min(on, known.get(red.day, on))
    return any(abs((a - b).days) <= REGRESS_SPAN_DAYS for a, b in combinations(known.values(), 2))


def evaluate(
    *,
    stage_id: int,
    entered_on: date,
    sessions: Sequence[Session],
    check_ins: Sequence[CheckIn],
    thresholds: dict[int, Thresholds],
    today: date,
    now: datetime,
    current_exercise: str,
    next_stage: NextStage | None,
    technique_signed_off: bool,
) -> Evaluation:
    """Every session's light and the client's READY / HOLD / FLARE status at a stage.

    `sessions` are the client's sessions the gate may need: those at this stage
    since entering it, any red known since then, and every session of the last
    two weeks (their pain before is a resting value).
    """
    limits = thresholds.get(stage_id, Thresholds())
    needed = limits.green_days_needed
    decisions = decide_all(sessions, check_ins, thresholds=thresholds, now=now)
    counted = [s for s in sessions if s.stage_id == stage_id and s.day >= entered_on]
    days = day_lights(counted, decisions)
    decided_days = sorted(
        (d for d, light in days.items() if light is not Light.PENDING), reverse=True
    )
    streak = 0
    for day in decided_days:
        if days[day] is not Light.GREEN:
            break
        streak += 1
    green_days = sorted(d for d, light in days.items() if light is Light.GREEN)

    reds = [
        s
        for s in sessions
        if decisions[s.id].light is Light.RED
        and (decisions[s.id].red_known_on or s.day) >= entered_on
    ]
    unresolved = [
        r for r in reds if not any(g > (decisions[r.id].red_known_on or r.day) for g in green_days)
    ]
    creep = week_on_week(
        [s for s in sessions if s.day > today - timedelta(days=2 * WEEK_DAYS)],
        check_ins,
        today=today,
    )

    def done(
        status: Status, reasons: list[Reason], suggestion: Suggestion | None = None
    ) -> Evaluation:
        return Evaluation(
            status, tuple(reasons), min(streak, needed), needed, suggestion, decisions
        )

    if unresolved or (creep is not None and creep.rise >= CREEP_FLARE):
        flare: list[Reason] = []
        if unresolved:
            latest = max(unresolved, key=lambda r: (decisions[r.id].red_known_on or r.day, r.day))
            causes = decisions[latest.id].reasons
            flare.append(
                Reason(
                    "red",
                    on=decisions[latest.id].red_known_on or latest.day,
                    name=causes[0].code if causes else "",
                )
            )
        if creep is not None and creep.rise >= CREEP_FLARE:
            flare.append(
                Reason("creep_flare", count=round(creep.last_week), of=round(creep.week_before))
            )
        at_stage = [r for r in reds if r.stage_id == stage_id]
        suggestion = (
            Suggestion.REGRESS if _regress_suggested(at_stage, decisions) else Suggestion.CUT
        )
        return done(Status.FLARE, flare, suggestion)

    reasons: list[Reason] = []
    if not counted:
        reasons.append(Reason("no_sessions"))
    reasons.append(Reason("green_days", count=min(streak, needed), of=needed))
    latest_light = days[decided_days[0]] if decided_days else None
    if latest_light is Light.AMBER:
        last_day = decided_days[0]
        for s in counted:
            if s.day == last_day:
                reasons.extend(r for r in decisions[s.id].reasons if r.code != "check_in_wait")
    pending = sorted({s.day for s in counted if decisions[s.id].light is Light.PENDING})
    stale = (
        bool(decided_days)
        and streak > 0
        and decided_days[0] < today - timedelta(days=FRESH_DAYS - 1)
    )
    if stale:
        reasons.append(Reason("stale", on=decided_days[0]))
    if creep is not None and creep.rise > 0:
        reasons.append(
            Reason("creep_small", count=round(creep.last_week), of=round(creep.week_before))
        )
    missed = missed_check_ins(sessions, today=today, now=now)
    if missed >= MISSED_HOLD:
        reasons.append(Reason("missed_check_ins", count=missed))
    signoff_missing = (
        next_stage is not None and next_stage.needs_technique_signoff and not technique_signed_off
    )
    if signoff_missing:
        reasons.append(Reason("signoff_missing", name=current_exercise))
    others_clear = (
        streak >= needed
        and not stale
        and not (creep is not None and creep.rise > 0)
        and missed < MISSED_HOLD
        and not signoff_missing
    )
    if pending:
        if others_clear and pending == [today]:
            reasons.insert(0, Reason("ready_after_check_in", on=today))
        else:
            reasons.append(Reason("check_in_wait", on=pending[-1]))
        return done(Status.HOLD, reasons)
    if others_clear:
        if next_stage is None:
            return done(Status.READY, [Reason("complete"), *reasons], Suggestion.COMPLETE)
        return done(Status.READY, [Reason("ready", name=next_stage.name), *reasons])
    return done(Status.HOLD, reasons)
