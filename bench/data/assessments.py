"""The coaches' weekly availability, and the studio's assessments (booked, completed,
cancelled, no-show) in it: a coach's never overlap."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from bench.data.cast import DOMAIN, FIRST_NAMES, LAST_NAMES, WINDOWS, bench_clients
from bench.data.history import balanced
from clients.models import Client
from coaching.models import Assessment, AvailabilityWindow, BookingRules, Coach, User
from exercises.models import Stage


def add_availability(coaches: list[User]) -> None:
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


def assessment_rows(
    total: int, coaches: list[User], stages: list[Stage], rng: random.Random, now: datetime
) -> list[Assessment]:
    """`total` assessments over the four coaches, not yet saved: each coach's never overlap."""
    today = timezone.localdate()
    past_days = [today - timedelta(days=d) for d in range(1, 281)]
    future_days = [today + timedelta(days=d) for d in range(1, 22)]
    statuses = balanced(
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
    return rows


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
