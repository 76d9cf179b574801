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
from datetime import date, datetime, timedelta
from itertools import combinations
from statistics import median

from clients.lights import (
    CHECK_IN_OPENS,
    CREEP_FLARE,
    FRESH_DAYS,
    HIGH_REST,
    MAX_AMBER_CEILING,
    MISSED_HOLD,
    REGRESS_SPAN_DAYS,
    SEVERITY,
    USUAL_LOOKBACK_DAYS,
    WEEK_DAYS,
    CheckIn,
    Decision,
    Light,
    Reason,
    Session,
    Status,
    Suggestion,
    Thresholds,
    check_in_window,
    day_lights,
    decide,
    decide_all,
    usual_level,
)

# The per-session rules live in clients.lights; this module is where the gate is read from.
__all__ = [
    "CHECK_IN_OPENS",
    "CREEP_FLARE",
    "FRESH_DAYS",
    "HIGH_REST",
    "MAX_AMBER_CEILING",
    "MISSED_HOLD",
    "REGRESS_SPAN_DAYS",
    "SEVERITY",
    "USUAL_LOOKBACK_DAYS",
    "WEEK_DAYS",
    "CheckIn",
    "Creep",
    "Decision",
    "Evaluation",
    "Light",
    "NextStage",
    "Reason",
    "Session",
    "Status",
    "Suggestion",
    "Thresholds",
    "check_in_window",
    "day_lights",
    "decide",
    "decide_all",
    "evaluate",
    "missed_check_ins",
    "usual_level",
    "week_on_week",
]


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
