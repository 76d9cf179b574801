"""The pain gate: a pure function over plain data (no ORM, no request).

Pain is on the 0-10 numeric rating scale. Each session gets a traffic light,
following the pain-monitoring model used in rehab (Thomee 1997, Silbernagel
2007):

- green: pain during <= the stage's green maximum (2), next-morning pain back
  to (or below) the pre-session level, and the work not felt in the lower back;
- amber: pain during up to the amber maximum (5) and settled by the next
  morning (also: a low-pain session felt in the lower back);
- red: pain during above the amber maximum, or next-morning pain higher than
  before the session, or pain rising over the last sessions at this stage
  (strictly rising over RISING_WINDOW sessions, ending above the green maximum);
- pending: not red on the day, waiting for its next-morning check-in.

The client's status at a stage:

- FLARE: the latest decided session is red, or no green session has followed
  the last red one. The suggestion is to regress one stage.
- READY: the last N decided sessions, counted on separate days, are all green,
  nothing is waiting for a check-in, and (for a next stage that needs it) the
  coach has signed off technique at this stage.
- HOLD: anything else, with the reasons in plain words.

Only sessions logged at the current stage since the client entered it count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

RISING_WINDOW = 3


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    PENDING = "pending"


class Status(StrEnum):
    READY = "ready"
    HOLD = "hold"
    FLARE = "flare"


@dataclass(frozen=True)
class Thresholds:
    green_sessions_needed: int = 3
    green_max_pain: int = 2
    amber_max_pain: int = 5


@dataclass(frozen=True)
class SessionFacts:
    """What the gate needs to know about one logged session."""

    id: int
    stage_id: int
    performed_on: date
    logged_at: datetime
    pain_before: int
    pain_during: int
    pain_after: int
    felt_in_lower_back: bool
    next_day_pain: int | None = None


@dataclass(frozen=True)
class NextStage:
    """The stage after the current one, if any, and what entering it needs."""

    name: str
    needs_technique_signoff: bool


@dataclass(frozen=True)
class SessionLight:
    session_id: int
    light: Light
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    status: Status
    reasons: tuple[str, ...]
    lights: dict[int, SessionLight] = field(default_factory=dict)
    green_days: int = 0
    green_days_needed: int = 3

    @property
    def first_reason(self) -> str:
        return self.reasons[0] if self.reasons else ""


def _day(d: date) -> str:
    return f"{d.day} {d:%b}"


def _checkin_wait(performed_on: date, today: date) -> str:
    if performed_on >= today:
        return "waiting for tomorrow morning's check-in"
    if (today - performed_on).days == 1:
        return "waiting for this morning's check-in"
    return f"waiting for the check-in after the session on {_day(performed_on)}"


def session_light(
    session: SessionFacts,
    thresholds: Thresholds,
    earlier: Sequence[SessionFacts] = (),
) -> SessionLight:
    """The light of one session, given the sessions before it at the same stage."""
    reasons: list[str] = []
    if session.pain_during > thresholds.amber_max_pain:
        reasons.append(f"pain rose to {session.pain_during} during the session")
    if session.next_day_pain is not None and session.next_day_pain > session.pain_before:
        reasons.append(
            f"back pain was worse the next morning ({session.next_day_pain}, "
            f"up from {session.pain_before} before the session)"
        )
    window = [*earlier[-(RISING_WINDOW - 1) :], session] if RISING_WINDOW > 1 else [session]
    if (
        len(window) == RISING_WINDOW
        and session.pain_during > thresholds.green_max_pain
        and all(a.pain_during < b.pain_during for a, b in zip(window, window[1:], strict=False))
    ):
        trend = ", ".join(str(s.pain_during) for s in window)
        reasons.append(f"pain has risen over the last {RISING_WINDOW} sessions ({trend})")
    if reasons:
        return SessionLight(session.id, Light.RED, tuple(reasons))
    if session.next_day_pain is None:
        return SessionLight(session.id, Light.PENDING, ("waiting for the next-morning check-in",))
    amber: list[str] = []
    if session.pain_during > thresholds.green_max_pain:
        amber.append(f"pain reached {session.pain_during} during the session")
    if session.felt_in_lower_back:
        amber.append("felt in the lower back")
    if amber:
        return SessionLight(session.id, Light.AMBER, tuple(amber))
    return SessionLight(session.id, Light.GREEN)


def evaluate(
    *,
    stage_id: int,
    entered_at: datetime,
    sessions: Sequence[SessionFacts],
    thresholds: Thresholds,
    today: date,
    current_exercise: str,
    next_stage: NextStage | None,
    technique_signed_off: bool,
) -> Evaluation:
    """Every session's light and the client's READY / HOLD / FLARE status at a stage."""
    at_stage = sorted(
        (s for s in sessions if s.stage_id == stage_id and s.logged_at >= entered_at),
        key=lambda s: (s.performed_on, s.logged_at, s.id),
    )
    lights: dict[int, SessionLight] = {}
    for index, session in enumerate(at_stage):
        lights[session.id] = session_light(session, thresholds, at_stage[:index])

    needed = thresholds.green_sessions_needed
    decided = [s for s in at_stage if lights[s.id].light is not Light.PENDING]
    pending = [s for s in at_stage if lights[s.id].light is Light.PENDING]

    # Consecutive green sessions, newest first, counted once per day.
    green_days: set[date] = set()
    for session in reversed(decided):
        if lights[session.id].light is not Light.GREEN:
            break
        green_days.add(session.performed_on)
    streak = len(green_days)

    last_red = next((s for s in reversed(decided) if lights[s.id].light is Light.RED), None)
    red_unresolved = last_red is not None and not any(
        lights[s.id].light is Light.GREEN for s in decided if _after(s, last_red)
    )

    def done(status: Status, reasons: list[str]) -> Evaluation:
        return Evaluation(status, tuple(reasons), lights, streak, needed)

    if red_unresolved and last_red is not None:
        flare = list(lights[last_red.id].reasons)
        if decided[-1] is last_red:
            flare = [r.replace("during the session", "during the last session") for r in flare]
        else:
            flare = [f"{r} on {_day(last_red.performed_on)}" for r in flare]
        flare.append("suggested: regress one stage")
        return done(Status.FLARE, flare)

    reasons: list[str] = []
    if not at_stage:
        reasons.append("no sessions logged at this stage yet")
    reasons.append(f"{min(streak, needed)} of {needed} green sessions")
    if decided and lights[decided[-1].id].light is Light.AMBER:
        reasons.extend(f"last session: {r}" for r in lights[decided[-1].id].reasons)
    if pending:
        # The most actionable wait: the latest session whose check-in is already open.
        open_now = [s for s in pending if s.performed_on < today]
        reasons.append(_checkin_wait((open_now or pending)[-1].performed_on, today))
    signoff_missing = (
        next_stage is not None and next_stage.needs_technique_signoff and not technique_signed_off
    )
    if signoff_missing:
        reasons.append(f"technique not signed off for the {current_exercise.lower()}")

    if streak >= needed and not pending and not signoff_missing:
        if next_stage is None:
            return done(Status.HOLD, ["final stage of the progression reached", *reasons])
        return done(Status.READY, [f"ready for the {next_stage.name.lower()}", *reasons])
    return done(Status.HOLD, reasons)


def _after(a: SessionFacts, b: SessionFacts) -> bool:
    return (a.performed_on, a.logged_at, a.id) > (b.performed_on, b.logged_at, b.id)


def history_lights(
    sessions: Sequence[SessionFacts], thresholds: dict[int, Thresholds]
) -> dict[int, Light]:
    """The light of every session in a history, each judged at its own stage."""
    by_stage: dict[int, list[SessionFacts]] = {}
    for session in sorted(sessions, key=lambda s: (s.performed_on, s.logged_at, s.id)):
        by_stage.setdefault(session.stage_id, []).append(session)
    lights: dict[int, Light] = {}
    for stage_id, stage_sessions in by_stage.items():
        limits = thresholds.get(stage_id, Thresholds())
        for index, session in enumerate(stage_sessions):
            lights[session.id] = session_light(session, limits, stage_sessions[:index]).light
    return lights
