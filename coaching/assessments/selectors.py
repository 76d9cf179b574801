"""Reads for the assessment: free slots, bookings by link, a coach's assessments."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from clients.models import sees_all_clients
from coaching.accounts.models import Coach, User
from coaching.accounts.tokens import hash_token
from coaching.assessments.models import Assessment, AvailabilityWindow, BookingRules, TimeOff
from coaching.assessments.slots import (
    Busy,
    CoachCalendar,
    Rules,
    Slot,
    Window,
    free_slots,
    merge_slots,
)


def rules_now() -> Rules:
    row = BookingRules.load()
    return Rules(row.slot_minutes, row.buffer_minutes, row.min_notice_hours, row.horizon_days)


def calendars(*, coach_id: int | None = None, exclude: int | None = None) -> list[CoachCalendar]:
    """Each coach's windows, time off and active bookings: three queries for all coaches."""
    now = timezone.now()
    bookings = Assessment.objects.active().filter(blocked_until__gt=now)
    if exclude is not None:
        bookings = bookings.exclude(pk=exclude)
    coaches = (
        Coach.objects.filter(windows__isnull=False)
        .distinct()
        .prefetch_related(
            Prefetch("windows", queryset=AvailabilityWindow.objects.all()),
            Prefetch("time_off", queryset=TimeOff.objects.filter(ends_at__gt=now)),
            Prefetch("assessments", queryset=bookings, to_attr="active_bookings"),
        )
    )
    if coach_id is not None:
        coaches = coaches.filter(pk=coach_id)
    return [
        CoachCalendar(
            coach_id=coach.pk,
            time_zone=coach.time_zone,
            windows=[Window(w.weekday, w.starts_at, w.ends_at) for w in coach.windows.all()],
            time_off=[Busy(t.starts_at, t.ends_at) for t in coach.time_off.all()],
            bookings=[Busy(b.starts_at, b.ends_at) for b in coach.active_bookings],
        )
        for coach in coaches
    ]


def available_slots(
    *, coach_id: int | None = None, exclude: int | None = None, now: datetime | None = None
) -> list[Slot]:
    now = now or timezone.now()
    rules = rules_now()
    return merge_slots(
        free_slots(calendar, rules=rules, now=now)
        for calendar in calendars(coach_id=coach_id, exclude=exclude)
    )


def find_free_slot(coach_id: int, start: datetime, *, exclude: int | None = None) -> Slot | None:
    """The coach's slot starting then, if it is still free."""
    return next(
        (s for s in available_slots(coach_id=coach_id, exclude=exclude) if s.start == start),
        None,
    )


def find_by_token(token: str) -> Assessment | None:
    return (
        Assessment.objects.select_related("coach__user")
        .filter(manage_token_hash=hash_token(token))
        .first()
    )


def coach_assessments(user: User) -> QuerySet[Assessment]:
    """The assessments a coach may see: their own, or everyone's for a head coach."""
    queryset = Assessment.objects.select_related(
        "coach__user", "recommended_stage__exercise", "client"
    )
    if sees_all_clients(user):
        return queryset
    return queryset.filter(coach__user=user)
