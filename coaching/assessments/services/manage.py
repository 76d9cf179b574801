"""The visitor's own booking, behind its private link: the link emailed again, a cancel
(always allowed; late inside the cutoff), a move to another free time."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from coaching.assessments import links
from coaching.assessments.models import Assessment
from coaching.assessments.selectors import find_free_slot, rules_now
from coaching.assessments.services import (
    BookingError,
    SlotTaken,
    emails_after_commit,
    offer_after_commit,
    save_slot,
    set_times,
)
from coaching.assessments.tasks import send_manage_link

# What a cancel deletes: the intake answers, keeping who and when.
INTAKE_FIELDS = ("phone", "where_it_hurts", "how_long", "worse_with", "goals")


@transaction.atomic
def resend_manage_link(*, assessment: Assessment) -> None:
    """Email a booking's private link again (to the booking's own address, never the page)."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    token = links.link_token(locked, links.MANAGE)
    if token is None:
        # Booked before links were derived: a new link replaces the old one.
        token = links.issue_links(locked)
        locked.save(update_fields=["link_salt", "manage_token_hash"])
    path = (
        links.hold_path(token)
        if locked.status == Assessment.Status.HELD
        else links.manage_path(token)
    )
    transaction.on_commit(lambda: send_manage_link.enqueue(locked.pk, path))


def cancel_is_late(assessment: Assessment, now: datetime) -> bool:
    cutoff = timedelta(hours=rules_now().reschedule_cutoff_hours)
    return now > assessment.starts_at - cutoff


@transaction.atomic
def cancel_assessment(*, assessment: Assessment, now: datetime | None = None) -> Assessment:
    """Cancel, always allowed; inside the rescheduling cutoff it is marked late for the coach.

    The intake answers go with it: a cancelled booking keeps only who and when.
    """
    now = now or timezone.now()
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Assessment.Status.BOOKED:
        raise BookingError("This assessment is no longer booked, so there is nothing to cancel.")
    if locked.ends_at <= now:
        raise BookingError("This assessment has already taken place.")
    locked.status = Assessment.Status.CANCELLED
    locked.cancelled_at = now
    locked.late_cancel = cancel_is_late(locked, now)
    locked.sequence += 1
    for name in INTAKE_FIELDS:
        setattr(locked, name, "")
    locked.save()
    emails_after_commit(locked, None, "cancelled")
    offer_after_commit()
    return locked


@transaction.atomic
def reschedule_assessment(
    *,
    assessment: Assessment,
    coach_id: int,
    start: datetime,
    token: str,
    now: datetime | None = None,
) -> Assessment:
    now = now or timezone.now()
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Assessment.Status.BOOKED:
        raise BookingError("This assessment is no longer booked, so it cannot be moved.")
    if locked.starts_at <= now:
        raise BookingError("This assessment has already started.")
    cutoff = rules_now().reschedule_cutoff_hours
    if cancel_is_late(locked, now):
        raise BookingError(
            f"Your assessment starts in less than {cutoff} hours, so it can no longer be "
            "moved. You can still cancel it."
        )
    if find_free_slot(coach_id, start, exclude=locked.pk) is None:
        raise SlotTaken
    locked.coach_id = coach_id
    set_times(locked, start)
    locked.sequence += 1
    # Moved to within a day: the "has moved" email stands in for the day-before reminder,
    # as the confirmation does for a booking made within a day.
    locked.day_reminder_at = now if start - now <= timedelta(hours=24) else None
    locked.hour_reminder_at = None
    save_slot(locked)
    emails_after_commit(locked, token, "moved")
    offer_after_commit()
    return locked
