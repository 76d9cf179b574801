"""The benchmark's studio: any number of clients in one shape, built with the ORM.

`generate(n)` builds n clients over four coaches (a head coach who sees everyone, and
three ordinary coaches holding a quarter each, so one of them holds about 500 of 2,000),
spread over all the stages of the hip-hinge progression. Each client has about 100
sessions with next-morning check-ins in realistic patterns, a stage history with
advances and regressions, technique sign-offs where a loaded stage needs them, and some
have their own prescription. The coaches have weekly availability (booking looks three
weeks ahead) and there are n/4 assessments (booked, completed, cancelled, no-show), never
two active ones of a coach at overlapping times.

Everything goes through bulk_create in batches inside one transaction, so it runs on
PostgreSQL and SQLite alike, and a half-built studio is never left behind. Every user
gets the password PASSWORD (hashed once). Only the benchmark and its smoke test use this.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

import clients.models as client_models
from clients.models import Client, Prescription, StageAssignment, TechniqueSignoff, TrainingSession
from coaching.models import Assessment, AvailabilityWindow, BookingRules, Coach, User
from exercises.models import Stage

DOMAIN = "bench.example.com"
PASSWORD = "bench-scale-pass-123"  # a throwaway benchmark database's password, not a secret
HEAD_COACH_EMAIL = f"head.coach@{DOMAIN}"
BUSY_COACH_EMAIL = f"busy.coach@{DOMAIN}"
ME_EMAIL = f"me@{DOMAIN}"
POST_EMAILS = tuple(f"post{i}@{DOMAIN}" for i in range(1, 9))
PROGRESSION = "hip-hinge"

# (email, first name, last name, head coach); each coach holds a quarter of the clients.
COACHES = [
    (HEAD_COACH_EMAIL, "Hannah", "Whitfield", True),
    (BUSY_COACH_EMAIL, "Marcus", "Bellamy", False),
    (f"coach3@{DOMAIN}", "Ingrid", "Salvesen", False),
    (f"coach4@{DOMAIN}", "Tariq", "Osei", False),
]
BUSY, THIRD, FOURTH = 1, 2, 3

# Weekly windows per coach (weekday, from, until): booking offers the next 21 days of them.
WINDOWS = [
    [(d, time(9), time(12)) for d in range(5)],
    [(d, time(14), time(17, 30)) for d in range(5)],
    [(1, time(10), time(13)), (3, time(10), time(13)), (5, time(9), time(12))],
    [(0, time(16), time(19)), (2, time(16), time(19)), (4, time(8), time(11))],
]

FIRST_NAMES = [
    "Amara", "Bruno", "Carys", "Dmitri", "Esme", "Felix", "Greta", "Hamish", "Isla", "Jonah",
    "Keira", "Lionel", "Maya", "Nikhil", "Orla", "Pavel", "Quinn", "Rosa", "Silas", "Tamsin",
    "Umar", "Vera", "Wilf", "Xena", "Yusuf", "Zara", "Aled", "Bea", "Cormac", "Delphine",
    "Emeka", "Freya", "Gideon", "Hattie", "Idris", "Juno", "Kofi", "Lorna", "Magnus", "Nell",
]  # fmt: skip
LAST_NAMES = [
    "Abernethy", "Barraclough", "Castellano", "Drummond", "Eriksen", "Fairbairn", "Galloway",
    "Hargreaves", "Iwasaki", "Jankowski", "Kavanagh", "Lindqvist", "Montgomery", "Nakashima",
    "Oyelaran", "Pemberton", "Quartermain", "Rasmussen", "Sutherland", "Thorvaldsen",
    "Urquhart", "Villanueva", "Wainwright", "Yardley", "Zielinski", "Ashcombe", "Blackwood",
    "Crowther", "Delacroix", "Ellingham", "Fitzgerald", "Grimshaw", "Holloway", "Ingleby",
    "Kettering", "Llewellyn", "Mortimer", "Northcote", "Ormsby", "Prendergast",
]  # fmt: skip

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
BATCH = 2000
CLIENT_CHUNK = 250


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


def bench_clients() -> Any:
    return Client.objects.filter(user__email__endswith=f"@{DOMAIN}")


def generate(n_clients: int, *, seed: int = 1) -> bool:
    """Build the studio at n_clients; False (and nothing done) when it already exists."""
    existing = bench_clients().count()
    if existing >= n_clients:
        return False
    if existing:
        raise RuntimeError(
            f"This database holds {existing} bench clients, not {n_clients}: drop it and run "
            "again (make bench recreates it with BENCH_REGENERATE=1)."
        )
    rng = random.Random(seed)
    stages = list(
        Stage.objects.select_related("exercise")
        .filter(progression__slug=PROGRESSION)
        .order_by("position")
    )
    if not stages:
        raise RuntimeError("The hip-hinge progression is missing: run migrate first.")
    today = timezone.localdate()
    now = timezone.now()
    password = make_password(PASSWORD)
    with transaction.atomic():
        coaches = _coaches(password)
        plans = _plans(n_clients, len(stages), rng)
        for chunk in _chunks(plans, CLIENT_CHUNK):
            _save_clients(chunk, coaches, stages, password, rng, today, now)
        _availability(coaches)
        _assessments(max(5, n_clients // 4), coaches, stages, rng, now)
    return True


def _chunks(items: list[Plan], size: int) -> Iterator[list[Plan]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _coaches(password: str) -> list[User]:
    users = User.objects.bulk_create(
        [
            User(email=email, first_name=first, last_name=last, password=password)
            for email, first, last, _ in COACHES
        ]
    )
    Coach.objects.bulk_create(
        [
            Coach(
                user=user,
                is_head_coach=head,
                video_link=f"https://meet.example.com/{user.first_name.lower()}",
            )
            for user, (*_, head) in zip(users, COACHES, strict=True)
        ]
    )
    return users


def _balanced(counts: dict[Any, int], total: int, rng: random.Random) -> list[Any]:
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


def _plans(n: int, n_stages: int, rng: random.Random) -> list[Plan]:
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
    profiles = _balanced(PROFILES, rest, rng)
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


def _fields(model: Any) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def _save_clients(
    plans: list[Plan],
    coaches: list[User],
    stages: list[Stage],
    password: str,
    rng: random.Random,
    today: date,
    now: datetime,
) -> None:
    for plan in plans:
        _history(plan, stages, rng, today, now)
    by_position = {stage.position: stage for stage in stages}
    zone = settings.TIME_ZONE
    # Denormalised state the app keeps when its schema has it (stage, last session, the
    # zone a session was logged in, separate check-ins); set as the app's services would.
    client_fields = _fields(Client)
    session_fields = _fields(TrainingSession)
    check_in_model = getattr(client_models, "CheckIn", None)
    users = User.objects.bulk_create(
        [
            User(
                email=plan.email,
                first_name=plan.first_name,
                last_name=plan.last_name,
                password=password,
            )
            for plan in plans
        ],
        batch_size=BATCH,
    )
    rows = []
    for user, plan in zip(users, plans, strict=True):
        row = Client(
            user=user,
            coach=coaches[plan.coach],
            progression_id=stages[0].progression_id,
            started_on=plan.started_on or today,
            consented_at=plan.assignments[0][2] - timedelta(hours=1),
            consent_version=getattr(client_models, "CONSENT_VERSION", "2026-11"),
        )
        extra = {
            "stage": by_position[plan.position],
            "stage_entered_on": timezone.localdate(plan.assignments[-1][2]),
            "last_session_on": plan.sessions[-1]["performed_on"],
        }
        for name, value in extra.items():
            if name in client_fields:
                setattr(row, name, value)
        rows.append(row)
    clients = Client.objects.bulk_create(rows, batch_size=BATCH)
    assignments: list[StageAssignment] = []
    signoffs: list[TechniqueSignoff] = []
    sessions: list[TrainingSession] = []
    check_ins: list[Any] = []
    prescriptions: list[Prescription] = []
    with_entered_on = "entered_on" in _fields(StageAssignment)
    for client, plan in zip(clients, plans, strict=True):
        coach = coaches[plan.coach]
        previous: Stage | None = None
        for position, kind, at, reason in plan.assignments:
            stage = by_position[position]
            assignment = StageAssignment(
                client=client,
                stage=stage,
                from_stage=previous,
                kind=kind,
                assigned_by=coach,
                assigned_at=at,
                reason=reason,
            )
            if with_entered_on:
                assignment.entered_on = timezone.localdate(at)
            assignments.append(assignment)
            previous = stage
        signoffs += [
            TechniqueSignoff(
                client=client,
                stage=by_position[position],
                coach=coach,
                signed_at=at,
                note="Neutral spine throughout; the hips drive the movement.",
            )
            for position, at in plan.signoffs
        ]
        for values in plan.sessions:
            values = dict(values)
            stage = by_position[values.pop("position")]
            hurt = values.pop("hurt")
            if "lower_back_hurt" in session_fields:
                values["lower_back_hurt"] = hurt
            else:  # the old question, "felt in the lower back", counted as hurting
                values["felt_lower_back"] = hurt
            if "time_zone" in session_fields:
                values["time_zone"] = zone
            sessions.append(TrainingSession(client=client, stage=stage, **values))
            if check_in_model is not None and values["next_day_pain"] is not None:
                check_ins.append(
                    check_in_model(
                        client=client,
                        training_day=values["performed_on"],
                        pain=values["next_day_pain"],
                        answered_at=values["next_day_answered_at"],
                        answered_on=timezone.localdate(values["next_day_answered_at"]),
                    )
                )
        if plan.prescription:
            prescriptions.append(
                Prescription(client=client, stage=by_position[plan.position], **plan.prescription)
            )
    StageAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    TechniqueSignoff.objects.bulk_create(signoffs, batch_size=BATCH)
    TrainingSession.objects.bulk_create(sessions, batch_size=BATCH)
    if check_in_model is not None:
        check_in_model.objects.bulk_create(check_ins, batch_size=BATCH)
    Prescription.objects.bulk_create(prescriptions, batch_size=BATCH)


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


def _history(
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


def _availability(coaches: list[User]) -> None:
    BookingRules.load()
    AvailabilityWindow.objects.bulk_create(
        [
            AvailabilityWindow(coach=user.coach_profile, weekday=d, starts_at=a, ends_at=b)
            for user, windows in zip(coaches, WINDOWS, strict=True)
            for d, a, b in windows
        ]
    )


def _slot_starts(
    windows: list[tuple[int, time, time]], zone: str, days: list[date]
) -> list[datetime]:
    """Every 45-minute slot start (30 minutes plus a 15-minute buffer) in a coach's windows."""
    tz = ZoneInfo(zone)
    starts = []
    for day in days:
        for weekday, opens, closes in windows:
            if day.weekday() != weekday:
                continue
            start = datetime.combine(day, opens, tzinfo=tz)
            end = datetime.combine(day, closes, tzinfo=tz)
            while start + timedelta(minutes=30) <= end:
                starts.append(start)
                start += timedelta(minutes=45)
    return starts


def _assessments(
    total: int, coaches: list[User], stages: list[Stage], rng: random.Random, now: datetime
) -> None:
    """`total` assessments over the four coaches: each coach's never overlap."""
    today = timezone.localdate()
    past_days = [today - timedelta(days=d) for d in range(1, 281)]
    future_days = [today + timedelta(days=d) for d in range(1, 22)]
    statuses = _balanced(
        {"completed": 50, "cancelled": 15, "no_show": 10, "booked-past": 5, "booked": 20},
        total,
        rng,
    )
    clients_by_coach: dict[int, list[Client]] = {}
    for client in bench_clients().select_related("user").order_by("started_on", "pk"):
        clients_by_coach.setdefault(client.coach_id, []).append(client)
    rows = []
    for coach_index, user in enumerate(coaches):
        mine = statuses[coach_index::4]
        profile = user.coach_profile
        past = _slot_starts(WINDOWS[coach_index], profile.time_zone, past_days)
        future = [
            s
            for s in _slot_starts(WINDOWS[coach_index], profile.time_zone, future_days)
            if s >= now + timedelta(hours=12)
        ]
        n_future = sum(status == "booked" for status in mine)
        pasts = iter(sorted(rng.sample(past, len(mine) - n_future)))
        futures = iter(sorted(rng.sample(future, n_future)))
        linkable = list(clients_by_coach.get(user.pk, []))
        for status in mine:
            start = next(futures) if status == "booked" else next(pasts)
            rows.append(
                _assessment(rng, profile, start, status.removesuffix("-past"), stages, linkable)
            )
    for number, row in enumerate(rows):
        row.manage_token_hash = hashlib.sha256(f"bench-assessment-{number}".encode()).hexdigest()
    Assessment.objects.bulk_create(rows, batch_size=BATCH)


def _assessment(
    rng: random.Random,
    coach: Coach,
    start: datetime,
    status: str,
    stages: list[Stage],
    linkable: list[Client],
) -> Assessment:
    client = None
    if status == "completed" and linkable and rng.random() < 0.5:
        candidate = linkable[0]
        if candidate.started_on >= start.date():
            client = linkable.pop(0)
    first = client.user.first_name if client else rng.choice(FIRST_NAMES)
    last = client.user.last_name if client else rng.choice(LAST_NAMES)
    intake = status != "cancelled"  # a cancelled booking's intake is deleted
    row = Assessment(
        coach=coach,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        blocked_until=start + timedelta(minutes=45),
        status=status,
        name=f"{first} {last}",
        email=client.user.email if client else f"prospect.{rng.randrange(10**9)}@{DOMAIN}",
        where_it_hurts="Lower back, worse on the left" if intake else "",
        how_long=rng.choice(["A few weeks", "Months", "Over a year"]) if intake else "",
        worse_with="Sitting and bending to lift" if intake else "",
        goals="Lift my children without pain" if intake else "",
        consented_at=start - timedelta(days=rng.randint(1, 10)),
        client=client,
    )
    if status == "completed":
        row.why_in_pain = "Bends through the lower back instead of the hips when lifting."
        row.restricted_movements = "Hip flexion with a neutral spine."
        row.movements_to_avoid = "Loaded forward bending for now."
        row.movements_to_do = "Rock backs and kneeling hip thrusts daily."
        row.recommended_stage = stages[rng.randrange(min(3, len(stages)))]
        row.outcome_recorded_at = row.ends_at + timedelta(minutes=20)
    return row


def manifest() -> dict[str, Any]:
    """What the benchmark needs to know about the built studio: logins, ids, a surname."""
    busy = User.objects.get(email=BUSY_COACH_EMAIL)
    head = User.objects.get(email=HEAD_COACH_EMAIL)
    detail = (
        bench_clients()
        .filter(coach=busy)
        .exclude(user__email__in=[ME_EMAIL, *POST_EMAILS])
        .annotate(n_sessions=Count("sessions"))
        .select_related("user")
        .order_by("-n_sessions", "pk")
        .first()
    )
    if detail is None:
        raise RuntimeError("The busy coach has no clients: the bench data is incomplete.")
    per_coach = dict(bench_clients().values_list("coach__email").annotate(n=Count("pk")).order_by())
    return {
        "clients": bench_clients().count(),
        "head_coach": {"email": HEAD_COACH_EMAIL, "clients_seen": bench_clients().count()},
        "busy_coach": {"email": BUSY_COACH_EMAIL, "clients": per_coach.get(BUSY_COACH_EMAIL, 0)},
        "clients_per_coach": per_coach,
        "me": ME_EMAIL,
        "post_clients": list(POST_EMAILS),
        "password": PASSWORD,
        "detail": {
            "id": detail.pk,
            "name": detail.user.get_full_name(),
            "sessions": detail.n_sessions,
        },
        "surname": detail.user.last_name,
        "sessions": TrainingSession.objects.count(),
        "assignments": StageAssignment.objects.count(),
        "regressions": StageAssignment.objects.filter(kind=StageAssignment.Kind.REGRESS).count(),
        "signoffs": TechniqueSignoff.objects.count(),
        "assessments": Assessment.objects.count(),
        "generated_at": head.date_joined.isoformat(),
        "generated_on": timezone.localdate(head.date_joined).isoformat(),
    }


def _sessions_added_by_bench() -> Any:
    """The POST clients' sessions logged after the studio was built: the benchmark's own."""
    built_at = User.objects.get(email=HEAD_COACH_EMAIL).date_joined
    return TrainingSession._base_manager.filter(
        client__user__email__in=POST_EMAILS, logged_at__gt=built_at
    )


def remove_sessions_added_by_bench() -> int:
    """Delete the sessions the benchmark's POSTs logged, so every run measures the same data."""
    deleted, _ = _sessions_added_by_bench().delete()
    return int(deleted)


def snapshot_post_clients() -> str:
    """The POST clients' rows as they are before a run (with any state the app stores)."""
    rows = Client._base_manager.filter(user__email__in=POST_EMAILS)
    return str(serializers.serialize("json", rows))


def restore_post_clients(snapshot: str) -> None:
    """Put the POST clients' rows back as they were before the run.

    Only the columns the snapshot holds are written, so a column a migration added
    since keeps the value the migration gave it.
    """
    current = {f.name for f in Client._meta.concrete_fields}
    saved = {row["pk"]: [n for n in row["fields"] if n in current] for row in json.loads(snapshot)}
    with transaction.atomic():
        for row in serializers.deserialize("json", snapshot, ignorenonexistent=True):
            row.object.save(update_fields=saved[row.object.pk])
