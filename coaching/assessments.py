"""Booking the free movement assessment, and what coaches do with it afterwards.

Each write is one transaction. On PostgreSQL an exclusion constraint makes an
overlapping booking impossible; on SQLite every write transaction takes the
database lock when it starts (IMMEDIATE), so the check-then-insert below runs
one booking at a time.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from coaching.booking import Busy, CoachCalendar, Rules, Slot, Window, free_slots, merge_slots
from coaching.invites import invite_client
from coaching.models import (
    Assessment,
    AvailabilityWindow,
    BookingAttempt,
    BookingRules,
    Coach,
    TimeOff,
    User,
)
from coaching.tasks import send_assessment_emails, send_assessment_reminder
from exercises.models import Stage

ATTEMPTS_PER_HOUR = 10


class SlotTaken(Exception):
    """Someone else booked that time a moment ago."""


class BookingError(Exception):
    """The booking cannot go ahead; the message says why, in plain words."""


def rules_now() -> Rules:
    row = BookingRules.load()
    return Rules(row.slot_minutes, row.buffer_minutes, row.min_notice_hours, row.horizon_days)


def calendars(*, coach_id: int | None = None, exclude: int | None = None) -> list[CoachCalendar]:
    """Each coach's windows, time off and active bookings: three queries for all coaches."""
    now = timezone.now()
    coaches = (
        Coach.objects.filter(windows__isnull=False)
        .distinct()
        .prefetch_related(
            Prefetch("windows", queryset=AvailabilityWindow.objects.all()),
            Prefetch("time_off", queryset=TimeOff.objects.filter(ends_at__gt=now)),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.active()
                .filter(blocked_until__gt=now)
                .exclude(pk=exclude),
                to_attr="active_bookings",
            ),
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


def is_free(coach_id: int, start: datetime, *, exclude: int | None = None) -> bool:
    return find_free_slot(coach_id, start, exclude=exclude) is not None


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def manage_path(token: str) -> str:
    return reverse("coaching:manage_assessment", kwargs={"token": token})


def find_by_token(token: str) -> Assessment | None:
    return (
        Assessment.objects.select_related("coach__user")
        .filter(manage_token_hash=_hash(token))
        .first()
    )


@transaction.atomic
def note_attempt(*, ip: str) -> bool:
    """Record a booking attempt; False when this address has made too many this hour."""
    ip_hash = _hash(f"{settings.SECRET_KEY}:{ip}")
    hour_ago = timezone.now() - timedelta(hours=1)
    BookingAttempt.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()
    recent = BookingAttempt.objects.filter(ip_hash=ip_hash, created_at__gte=hour_ago).count()
    BookingAttempt.objects.create(ip_hash=ip_hash)
    return recent < ATTEMPTS_PER_HOUR


@dataclass
class Booked:
    assessment: Assessment
    token: str


def _after_commit(assessment: Assessment, token: str | None, kind: str) -> None:
    path = manage_path(token) if token else ""
    transaction.on_commit(lambda: send_assessment_emails.enqueue(assessment.pk, path, kind))
    if kind in {"booked", "moved"}:
        transaction.on_commit(lambda: _schedule_reminder(assessment, path))


def _schedule_reminder(assessment: Assessment, path: str) -> None:
    """The reminder runs 24 hours before, on backends that can defer (the database one)."""
    when = assessment.starts_at - timedelta(hours=24)
    task = send_assessment_reminder
    if when > timezone.now() and task.get_backend().supports_defer:
        task.using(run_after=when).enqueue(assessment.pk, assessment.sequence, path)


def _save_slot(assessment: Assessment) -> None:
    # A savepoint, so a lost race leaves the outer transaction usable.
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError as exc:
        raise SlotTaken from exc


@transaction.atomic
def book_assessment(
    *, coach_id: int, start: datetime, intake: dict[str, Any], visitor_time_zone: str
) -> Booked:
    """Book a free slot for a visitor, or raise SlotTaken if it is no longer free."""
    if not is_free(coach_id, start):
        raise SlotTaken
    rules = rules_now()
    token = secrets.token_urlsafe(32)
    end = start + timedelta(minutes=rules.slot_minutes)
    assessment = Assessment(
        coach_id=coach_id,
        starts_at=start,
        ends_at=end,
        blocked_until=end + timedelta(minutes=rules.buffer_minutes),
        manage_token_hash=_hash(token),
        visitor_time_zone=visitor_time_zone,
        consented_at=timezone.now(),
        **intake,
    )
    _save_slot(assessment)
    _after_commit(assessment, token, "booked")
    return Booked(assessment, token)


@transaction.atomic
def cancel_assessment(*, assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Assessment.Status.BOOKED:
        raise BookingError("This assessment is no longer booked, so there is nothing to cancel.")
    locked.status = Assessment.Status.CANCELLED
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence"])
    _after_commit(locked, None, "cancelled")
    return locked


@transaction.atomic
def reschedule_assessment(
    *, assessment: Assessment, coach_id: int, start: datetime, token: str
) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Assessment.Status.BOOKED:
        raise BookingError("This assessment is no longer booked, so it cannot be moved.")
    if locked.starts_at <= timezone.now():
        raise BookingError("This assessment has already started.")
    if not is_free(coach_id, start, exclude=locked.pk):
        raise SlotTaken
    rules = rules_now()
    locked.coach_id = coach_id
    locked.starts_at = start
    locked.ends_at = start + timedelta(minutes=rules.slot_minutes)
    locked.blocked_until = locked.ends_at + timedelta(minutes=rules.buffer_minutes)
    locked.sequence += 1
    _save_slot(locked)
    _after_commit(locked, token, "moved")
    return locked


def coach_assessments(user: User) -> Any:
    from clients.models import sees_all_clients

    queryset = Assessment.objects.select_related(
        "coach__user", "recommended_stage__exercise", "client"
    )
    if sees_all_clients(user):
        return queryset
    return queryset.filter(coach__user=user)


@transaction.atomic
def set_assessment_status(*, assessment: Assessment, status: str) -> Assessment:
    if status not in {Assessment.Status.COMPLETED, Assessment.Status.NO_SHOW}:
        raise BookingError("Choose completed or no-show.")
    if assessment.status == Assessment.Status.CANCELLED:
        raise BookingError("A cancelled assessment cannot be marked as done.")
    if assessment.starts_at > timezone.now():
        raise BookingError("This assessment has not happened yet.")
    assessment.status = status
    assessment.save(update_fields=["status"])
    return assessment


@transaction.atomic
def record_outcome(*, assessment: Assessment, values: dict[str, Any]) -> Assessment:
    if assessment.status == Assessment.Status.CANCELLED:
        raise BookingError("A cancelled assessment has no outcome.")
    for name, value in values.items():
        setattr(assessment, name, value)
    if assessment.status == Assessment.Status.BOOKED and assessment.starts_at <= timezone.now():
        assessment.status = Assessment.Status.COMPLETED
    assessment.outcome_recorded_at = timezone.now()
    assessment.save()
    return assessment


@transaction.atomic
def start_program(*, assessment: Assessment, by: User) -> Client:
    """Turn a completed assessment into a client on the recommended stage, and invite them."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.client_id is not None:
        raise BookingError("A program has already been started from this assessment.")
    if locked.status != Assessment.Status.COMPLETED or locked.recommended_stage_id is None:
        raise BookingError("Record the outcome, with a starting stage, before starting a program.")
    if User.objects.filter(email__iexact=locked.email).exists():
        raise BookingError(f"An account already uses {locked.email}.")
    first, _, last = locked.name.partition(" ")
    stage = Stage.objects.get(pk=locked.recommended_stage_id)
    client = invite_client(
        coach=by if by.is_coach else locked.coach.user,
        first_name=first,
        last_name=last,
        email=locked.email,
        stage=stage,
        notes=f"From the assessment on {timezone.localtime(locked.starts_at):%d %b %Y}.",
        reason=f"Starting stage recommended at the assessment: {locked.why_in_pain[:200]}",
    )
    client.consented_at = locked.consented_at
    client.consent_version = "assessment"
    client.save(update_fields=["consented_at", "consent_version"])
    locked.client = client
    locked.save(update_fields=["client"])
    return client
