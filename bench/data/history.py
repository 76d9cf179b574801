"""Each bench client made up before anything is saved: who they are (balanced over coaches,
stages and profiles), then their past at every stage: sessions with pain scores and
next-morning check-ins, advances and regressions, sign-offs, a prescription. Plain data
and a seeded random generator: the same seed gives the same studio."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bench.data.cast import (
    BUSY,
    DOMAIN,
    FIRST_NAMES,
    FOURTH,
    LAST_NAMES,
    ME_EMAIL,
    POST_EMAILS,
    THIRD,
)
from clients.models import StageAssignment
from exercises.models import Stage

# How a client's current stage is going; each shapes the last weeks of their history.
PROFILES = {
    "settled": 38,  # mostly green, the odd amber: holding or ready
    "ready": 14,  # the last green days in a row, every check-in answered
    "pending": 6,  # yesterday's session waits for this morning's check-in
    "amber": 10,  # training through some pain, or feeling it in the lower back
    "flare": 8,  # red sessions with high pain at the end
    "creeping": 4,  # resting pain rising week on week
    "quiet": 10,  # stopped logging weeks ago
    "missed": 10,  # training, but not answering the check-ins
}
LOADS = {5: 16, 6: 30, 7: 15, 8: 16}  # starting kilograms at the loaded stages
SESSION_GAPS = (1, 2, 2, 2, 3, 3, 4)


@dataclass
class Plan:
    """One client before it is saved: who they are and what their history will be."""

    index: int
    email: str
    first_name: str
    last_name: str
    coach: int
    position: int
    profile: str
    assignments: list[tuple[int, str, datetime, str]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    signoffs: list[tuple[int, datetime]] = field(default_factory=list)
    prescription: dict[str, Any] | None = None
    started_on: date | None = None


def balanced(counts: dict[Any, int], total: int, rng: random.Random) -> list[Any]:
    """`total` values in the given proportions (largest remainder), shuffled."""
    weight = sum(counts.values())
    exact = {key: total * share / weight for key, share in counts.items()}
    taken = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda key: exact[key] - taken[key], reverse=True)
    for key in by_remainder[: total - sum(taken.values())]:
        taken[key] += 1
    values = [key for key, count in taken.items() for _ in range(count)]
    rng.shuffle(values)
    return values


def plan_clients(n: int, n_stages: int, rng: random.Random) -> list[Plan]:
    """Who is who: the measured client, the POST clients, then everyone else, balanced."""
    special: list[tuple[str, int, int]] = [(ME_EMAIL, BUSY, min(5, n_stages))]
    special += [
        (email, (THIRD, FOURTH)[i % 2], i % n_stages + 1) for i, email in enumerate(POST_EMAILS)
    ]
    special = special[:n]
    rest = n - len(special)
    coach_room = {c: n // 4 + (1 if c < n % 4 else 0) for c in range(4)}
    stage_room = {
        p: n // n_stages + (1 if p <= n % n_stages else 0) for p in range(1, 1 + n_stages)
    }
    for _, coach, position in special:
        coach_room[coach] = max(0, coach_room[coach] - 1)
        stage_room[position] = max(0, stage_room[position] - 1)
    coaches = _fill(coach_room, rest, rng)
    positions = _fill(stage_room, rest, rng)
    profiles = balanced(PROFILES, rest, rng)
    plans = []
    for index in range(n):
        first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
        if index < len(special):
            email, coach, position = special[index]
            profile = "settled"
        else:
            k = index - len(special)
            email = f"client{index:05d}@{DOMAIN}"
            coach, position, profile = coaches[k], positions[k], profiles[k]
        plans.append(Plan(index, email, first, last, coach, position, profile))
    return plans


def _fill(room: dict[int, int], total: int, rng: random.Random) -> list[int]:
    values = [key for key, count in room.items() for _ in range(count)]
    while len(values) < total:
        values.append(rng.choice(list(room)))
    rng.shuffle(values)
    return values[:total]


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0))) + timedelta(minutes=minute)


def _stage_path(target: int, n_stages: int, rng: random.Random) -> list[int]:
    """The stages a client went through to reach `target`, with the odd regression."""
    regressions = rng.choice([0, 0, 1, 1, 1, 2])
    if target == 1:
        return [1, 2, 1] if regressions and n_stages > 1 else [1]
    path = [1]
    while True:
        current = path[-1]
        if regressions and current >= 2 and rng.random() < 0.35:
            path.append(current - 1)
            regressions -= 1
        elif current < target:
            path.append(current + 1)
        elif regressions:
            path.append(current - 1)
            regressions -= 1
        else:
            return path


def _split(total: int, parts: int, rng: random.Random, minimum: int = 4) -> list[int]:
    """Split `total` sessions over `parts` stages, each getting at least `minimum`."""
    if parts == 0:
        return []
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    spare = total - minimum * parts
    sizes = [minimum + int(spare * w / sum(weights)) for w in weights]
    sizes[-1] += total - sum(sizes)
    return sizes


def fill_history(
    plan: Plan, stages: list[Stage], rng: random.Random, today: date, now: datetime
) -> None:
    """Fill the plan's stage history, sessions, check-ins and sign-offs, all in the past."""
    n_stages = len(stages)
    profile = plan.profile
    total = rng.randint(100, 112)
    last_gap = {
        "quiet": rng.randint(15, 60),
        "ready": rng.randint(2, 5),
        "pending": 1,
        "missed": rng.choice([0, 1]),
    }.get(profile, rng.choice([0, 1, 1, 2, 3]))
    day = today - timedelta(days=last_gap)
    days = [day]
    for _ in range(total - 1):
        gap = rng.choice((1, 2)) if profile == "missed" and len(days) < 6 else None
        day -= timedelta(days=gap or rng.choice(SESSION_GAPS))
        days.append(day)
    days.reverse()
    plan.started_on = days[0]

    path = _stage_path(plan.position, n_stages, rng)
    current_size = total if len(path) == 1 else rng.randint(8, 22)
    sizes = [*_split(total - current_size, len(path) - 1, rng), current_size]
    base_pain = rng.randint(0, 3)
    cursor = 0
    signed: set[int] = set()
    for segment, (position, size) in enumerate(zip(path, sizes, strict=True)):
        seg_days = days[cursor : cursor + size]
        cursor += size
        stage = stages[position - 1]
        entered = _aware(seg_days[0], 9, rng.randint(0, 90))
        if segment == 0:
            kind, reason = StageAssignment.Kind.START, "Starting stage after the assessment"
        elif position > path[segment - 1]:
            kind, reason = StageAssignment.Kind.ADVANCE, "3 of 3 green sessions"
            if stage.technique_signoff_required and path[segment - 1] not in signed:
                signed.add(path[segment - 1])
                plan.signoffs.append((path[segment - 1], entered - timedelta(hours=20)))
        else:
            kind = StageAssignment.Kind.REGRESS
            reason = "Flare-up: pain rose above 5 in two sessions; back one stage for now"
        plan.assignments.append((position, kind, entered, reason))
        is_current = segment == len(path) - 1
        following = path[segment + 1] if not is_current else None
        load = Decimal(LOADS.get(position, 12) + 2 * rng.randint(0, 2))
        for k, performed_on in enumerate(seg_days):
            from_end = size - 1 - k
            light = _light(rng, profile if is_current else None, from_end, following, position)
            plan.sessions.append(
                _session(rng, stage, performed_on, light, base_pain, load, entered, today, now)
            )
            if is_current and profile == "creeping":
                _creep(plan.sessions[-1], performed_on, today)
            if rng.random() < 0.15:
                load += Decimal(2)
        base_pain = max(0, min(3, base_pain + rng.choice([-1, 0, 0, 1])))

    _finish_current(plan, plan.sessions[-current_size:], stages, rng, now, signed)


def _light(
    rng: random.Random, profile: str | None, from_end: int, following: int | None, position: int
) -> str:
    """The kind of session to make: green, amber or red, by where it falls in the history."""
    if profile is None:  # a stage already left
        if following is not None and following < position:
            return "red" if from_end < 2 else rng.choice(["green", "green", "amber"])
        if from_end < 3:
            return "green"
        return rng.choices(["green", "amber", "red"], [82, 15, 3])[0]
    if profile == "ready" and from_end < 4:
        return "green"
    if profile == "flare" and from_end < 2:
        return "red" if from_end == 0 or rng.random() < 0.5 else "amber"
    if profile == "amber" and from_end < 5:
        return rng.choice(["amber", "amber", "green"])
    if profile == "creeping" and from_end < 6:
        return "amber"
    return rng.choices(["green", "amber"], [85, 15])[0]


def _session(
    rng: random.Random,
    stage: Stage,
    performed_on: date,
    light: str,
    base_pain: int,
    load: Decimal,
    entered: datetime,
    today: date,
    now: datetime,
) -> dict[str, Any]:
    before = base_pain
    lower_back = False
    if light == "green":
        during = rng.randint(0, 2)
        after = rng.randint(0, during)
        next_day = rng.randint(max(0, before - 1), before)
    elif light == "amber":
        lower_back = rng.random() < 0.4
        during = rng.randint(1, 2) if lower_back else rng.randint(3, 5)
        after = rng.randint(max(0, during - 2), during)
        next_day = before
    else:
        before = min(5, before + rng.randint(0, 2))
        during = rng.randint(6, 8)
        after = rng.randint(5, during)
        next_day = min(10, before + rng.randint(2, 3))
        lower_back = rng.random() < 0.6
    logged_at = _aware(performed_on, 18, rng.randint(0, 210))
    if performed_on == today:
        logged_at = max(entered, min(logged_at, now - timedelta(minutes=rng.randint(1, 30))))
    answered_at = _aware(performed_on + timedelta(days=1), 7, rng.randint(0, 150))
    check_in: tuple[int, datetime] | None = (next_day, answered_at)
    if answered_at > now or rng.random() < 0.03:  # not yet open, or simply missed
        check_in = None
    loaded = stage.exercise.is_loaded
    return {
        "position": stage.position,
        "performed_on": performed_on,
        "logged_at": logged_at,
        "sets": stage.sets,
        "reps": stage.reps,
        "seconds": None if stage.reps else stage.seconds,
        "load_kg": load if loaded else None,
        "pain_before": before,
        "pain_during": during,
        "pain_after": after,
        "felt_hips": True,
        "felt_hamstrings": stage.position >= 4 and rng.random() < 0.5,
        # The back muscles working (expected in hinges), as opposed to the back hurting.
        "felt_lower_back": stage.position >= 4 and rng.random() < 0.3,
        "hurt": lower_back,
        "felt_elsewhere": rng.random() < 0.03,
        "effort": rng.randint(3, 8) if rng.random() < 0.8 else None,
        "notes": rng.choice(["", "", "", "", "", "", "Felt good.", "Stiff to start with."]),
        "next_day_pain": check_in[0] if check_in else None,
        "next_day_answered_at": check_in[1] if check_in else None,
    }


def _creep(values: dict[str, Any], performed_on: date, today: date) -> None:
    """Resting pain about 2 points higher this week than last week: pain creeping up."""
    age = (today - performed_on).days
    if age < 7:
        values["pain_before"] = 4 + (age % 2)
    elif age < 14:
        values["pain_before"] = 2
    else:
        return
    values["pain_during"] = max(values["pain_during"], values["pain_before"])
    values["pain_after"] = min(values["pain_during"], values["pain_before"])
    if values["next_day_pain"] is not None:
        values["next_day_pain"] = values["pain_before"]


def _finish_current(
    plan: Plan,
    current: list[dict[str, Any]],
    stages: list[Stage],
    rng: random.Random,
    now: datetime,
    signed: set[int],
) -> None:
    """The profile's last touches at the current stage: waits, misses, sign-off, plan."""
    position = plan.position
    today = timezone.localdate(now)
    if plan.profile == "pending":
        current[-1]["next_day_pain"] = current[-1]["next_day_answered_at"] = None
    if plan.profile == "missed":
        for values in current:
            if (today - values["performed_on"]).days <= 8:
                values["next_day_pain"] = values["next_day_answered_at"] = None
    if plan.profile == "ready":
        for values in current[-4:]:
            if values["next_day_pain"] is None:
                answered = _aware(values["performed_on"] + timedelta(days=1), 7)
                values["next_day_pain"] = values["pain_before"]
                values["next_day_answered_at"] = min(answered, now)
    following = stages[position] if position < len(stages) else None
    wants_signoff = plan.profile == "ready" or rng.random() < 0.4
    needs_signoff = following is not None and following.technique_signoff_required
    if needs_signoff and wants_signoff and position not in signed:
        plan.signoffs.append((position, max(plan.assignments[-1][2], now - timedelta(days=2))))
    if rng.random() < 0.15:
        stage = stages[position - 1]
        plan.prescription = {
            "sets": stage.sets,
            "reps": max(1, stage.reps + rng.choice([-2, 0, 2])) if stage.reps else None,
            "seconds": None if stage.reps else stage.seconds,
            "target_load_kg": Decimal(LOADS.get(position, 12) + 4)
            if stage.exercise.is_loaded
            else None,
        }
