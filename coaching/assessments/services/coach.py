"""What coaches write for the assessment: how a call went and its outcome, "Start program",
their weekly availability, their calendar feed link, and contact requests dealt with."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from clients.models import AssessmentSummary, Client
from coaching.accounts.models import Coach, User
from coaching.accounts.services import invite_client
from coaching.accounts.tokens import hash_token, new_token
from coaching.assessments import links
from coaching.assessments.models import (
    Assessment,
    AvailabilityWindow,
    CalendarFeed,
    ContactRequest,
    TimeOff,
)
from coaching.assessments.services import BookingError, offer_after_commit
from coaching.assessments.tasks import send_outcome_link
from exercises.models import Stage


@transaction.atomic
def set_assessment_status(*, assessment: Assessment, status: str) -> Assessment:
    if status not in {Assessment.Status.COMPLETED, Assessment.Status.NO_SHOW}:
        raise BookingError("Choose completed or no-show.")
    if assessment.status not in {
        Assessment.Status.BOOKED,
        Assessment.Status.COMPLETED,
        Assessment.Status.NO_SHOW,
    }:
        raise BookingError("Only a booked assessment can be marked as done.")
    if assessment.starts_at > timezone.now():
        raise BookingError("This assessment has not happened yet.")
    assessment.status = status
    assessment.save(update_fields=["status"])
    return assessment


@transaction.atomic
def record_outcome(
    *, assessment: Assessment, values: dict[str, Any], now: datetime | None = None
) -> Assessment:
    """Save what the coach found; the first time, email the visitor a link to read it."""
    now = now or timezone.now()
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status not in {Assessment.Status.BOOKED, Assessment.Status.COMPLETED}:
        raise BookingError("Only an assessment that took place has an outcome.")
    if locked.starts_at > now:
        raise BookingError("This assessment has not happened yet.")
    fields = dict(values)
    avoid = fields.pop("avoid_stages", None)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.status = Assessment.Status.COMPLETED
    locked.outcome_recorded_at = now
    first_time = locked.outcome_sent_at is None
    token = ""
    if first_time:
        token = links.issue_outcome_link(locked)
        locked.outcome_sent_at = now
    locked.save()
    if avoid is not None:
        locked.avoid_stages.set(avoid)
    if token:
        path = links.outcome_path(token)
        transaction.on_commit(lambda: send_outcome_link.enqueue(locked.pk, path))
    return locked


@transaction.atomic
def start_program(*, assessment: Assessment, by: User) -> Client:
    """Turn a completed assessment into a client on the recommended stage, and invite them.

    The outcome carries over in full to the client record (clients.AssessmentSummary).
    """
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.client_id is not None:
        raise BookingError("A program has already been started from this assessment.")
    if locked.status != Assessment.Status.COMPLETED or locked.recommended_stage_id is None:
        raise BookingError("Record the outcome, with a starting stage, before starting a program.")
    if User.objects.filter(email__iexact=locked.email).exists():
        raise BookingError(f"An account already uses {locked.email}.")
    first, _, last = locked.name.partition(" ")
    stage = Stage.objects.get(pk=locked.recommended_stage_id)
    assessed_on = timezone.localtime(locked.starts_at).date()
    client = invite_client(
        coach=by if by.is_coach else locked.coach.user,
        first_name=first,
        last_name=last,
        email=locked.email,
        stage=stage,
        notes=f"From the assessment on {assessed_on:%d %b %Y}.",
        reason="Starting stage recommended at the assessment",
    )
    client.consented_at = locked.consented_at
    client.consent_version = "assessment"
    client.save(update_fields=["consented_at", "consent_version"])
    summary = AssessmentSummary.objects.create(
        client=client,
        assessed_on=assessed_on,
        why_in_pain=locked.why_in_pain,
        restricted_movements=locked.restricted_movements,
        movements_to_avoid=locked.movements_to_avoid,
        movements_to_do=locked.movements_to_do,
    )
    summary.avoid_stages.set(locked.avoid_stages.all())
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
    offer_after_commit()


def forget_contact_request(*, request_id: int) -> None:
    ContactRequest.objects.filter(pk=request_id).delete()


@transaction.atomic
def issue_calendar_feed(*, coach: Coach) -> str:
    """A new private feed link for the coach; any earlier link stops working."""
    token = new_token()
    CalendarFeed.objects.update_or_create(
        coach=coach, defaults={"token_hash": hash_token(token), "created_at": timezone.now()}
    )
    return token
