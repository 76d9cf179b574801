"""Booking the free movement assessment, and what coaches do with it afterwards.

Each write is one transaction. On PostgreSQL an exclusion constraint makes an
overlapping booking impossible; on SQLite every write transaction takes the
database lock when it starts (IMMEDIATE), so the check-then-insert below runs
one booking at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from coaching.accounts.models import Coach, User
from coaching.accounts.services import invite_client
from coaching.accounts.tokens import hash_token, new_token
from coaching.assessments.models import Assessment, AvailabilityWindow, TimeOff
from coaching.assessments.selectors import find_free_slot, rules_now
from coaching.assessments.tasks import send_assessment_emails, send_assessment_reminder
from exercises.models import Stage


class SlotTaken(Exception):
    """Someone else booked that time a moment ago."""


class BookingError(Exception):
    """The booking cannot go ahead; the message says why, in plain words."""


def manage_path(token: str) -> str:
    return reverse("coaching:manage_assessment", kwargs={"token": token})


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
    if find_free_slot(coach_id, start) is None:
        raise SlotTaken
    rules = rules_now()
    token = new_token()
    end = start + timedelta(minutes=rules.slot_minutes)
    assessment = Assessment(
        coach_id=coach_id,
        starts_at=start,
        ends_at=end,
        blocked_until=end + timedelta(minutes=rules.buffer_minutes),
        manage_token_hash=hash_token(token),
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
    if find_free_slot(coach_id, start, exclude=locked.pk) is None:
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


@transaction.atomic
def save_availability(
    *,
    coach: Coach,
    time_zone: str,
    video_link: str,
    changed: Sequence[AvailabilityWindow | TimeOff],
    deleted: Sequence[AvailabilityWindow | TimeOff],
) -> None:
    """Save a coach's zone, video link, weekly windows and time off, all or nothing."""
    coach.time_zone = time_zone
    coach.video_link = video_link
    coach.save(update_fields=["time_zone", "video_link"])
    for row in changed:
        if row.coach_id != coach.pk and row.pk is not None:
            raise PermissionError("That row belongs to another coach.")
        row.coach = coach
        row.save()
    for row in deleted:
        if row.coach_id == coach.pk:
            row.delete()
