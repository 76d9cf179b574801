"""Booking the free movement assessment, what the red-flag screen keeps, and the clock's
work; and the building blocks every write that takes a time shares (services/manage.py
moves and cancels a booking, services/waitlist.py holds times for the waitlist;
services/coach.py records how a call went and starts a program).

Each write is one transaction. On PostgreSQL an exclusion constraint makes an
overlapping booking or hold impossible, and a partial unique index allows one
active assessment per email; on SQLite the same unique index holds, and every
write transaction takes the database lock when it starts (IMMEDIATE), so the
check-then-insert below runs one booking at a time.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from coaching.assessments import links, selectors
from coaching.assessments.models import (
    Assessment,
    ContactRequest,
    ScreenOut,
    WaitlistEntry,
)
from coaching.assessments.selectors import find_free_slot, rules_now
from coaching.assessments.tasks import (
    expire_outcome_links_task,
    offer_waitlist_task,
    purge_waitlist_task,
    release_lapsed_holds_task,
    send_assessment_emails,
    send_reminder,
)

# `manage.py tick` runs every 15 minutes: reminders due before the next run are queued now
# (to run at their time on the database backend).
TICK_INTERVAL = timedelta(minutes=15)
ONE_PER_EMAIL = "assessment_one_active_per_email"


class SlotTaken(Exception):
    """Someone else booked (or is holding) that time a moment ago."""


class AlreadyBooked(Exception):
    """This email already has an active free assessment."""

    def __init__(self, assessment: Assessment | None) -> None:
        super().__init__("A free assessment is already booked for this email address.")
        self.assessment = assessment


class BookingError(Exception):
    """The booking cannot go ahead; the message says why, in plain words."""


@dataclass
class Booked:
    assessment: Assessment
    token: str


# --- What every write that takes a time shares ----------------------------------------------


def emails_after_commit(assessment: Assessment, token: str | None, kind: str) -> None:
    path = links.manage_path(token) if token else ""
    transaction.on_commit(lambda: send_assessment_emails.enqueue(assessment.pk, path, kind))


def offer_after_commit() -> None:
    """A time may have come free: the waitlist's first in line may get it."""
    transaction.on_commit(lambda: offer_waitlist_task.enqueue(timezone.now().isoformat()))


def active_for_email(email: str) -> Assessment | None:
    return (
        Assessment.objects.active()
        .annotate(email_lower=Lower("email"))
        .filter(email_lower=email.strip().lower())
        .select_for_update()
        .order_by("starts_at")
        .first()
    )


def save_slot(assessment: Assessment) -> None:
    """Insert or update under the database's rules; a savepoint keeps the outer transaction."""
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError as exc:
        if ONE_PER_EMAIL in str(exc):
            raise AlreadyBooked(None) from exc
        raise SlotTaken from exc


def set_times(assessment: Assessment, start: datetime) -> None:
    rules = rules_now()
    assessment.starts_at = start
    assessment.ends_at = start + timedelta(minutes=rules.slot_minutes)
    assessment.blocked_until = assessment.ends_at + timedelta(minutes=rules.buffer_minutes)


def leave_waitlist(email: str) -> None:
    """Someone who has booked is no longer waiting."""
    entries = WaitlistEntry.objects.annotate(email_lower=Lower("email")).filter(
        email_lower=email.strip().lower()
    )
    Assessment.objects.filter(waitlist_entry__in=entries).update(waitlist_entry=None)
    entries.delete()


def release_hold(hold: Assessment, *, now: datetime) -> None:
    """A hold ends (the caller has locked it): its time is free again."""
    hold.status = Assessment.Status.RELEASED
    hold.held_until = min(hold.held_until or now, now)
    hold.sequence += 1
    hold.save(update_fields=["status", "held_until", "sequence"])


# --- Booking ----------------------------------------------------------------------------


@transaction.atomic
def book_assessment(
    *,
    coach_id: int,
    start: datetime,
    intake: dict[str, Any],
    visitor_time_zone: str,
    now: datetime | None = None,
) -> Booked:
    """Book a free slot for a visitor who consented to their intake being kept.

    Raises AlreadyBooked when the email has an active booking (one free assessment
    each), SlotTaken when the time is no longer free.
    """
    now = now or timezone.now()
    existing = active_for_email(intake["email"])
    if existing is not None and existing.status == Assessment.Status.BOOKED:
        raise AlreadyBooked(existing)
    if find_free_slot(coach_id, start) is None:
        raise SlotTaken
    if existing is not None:
        # They chose a time themselves while a hold from the waitlist was open for them.
        release_hold(existing, now=now)
        offer_after_commit()
    assessment = Assessment(
        coach_id=coach_id,
        visitor_time_zone=visitor_time_zone,
        consented_at=now,
        room_token=secrets.token_hex(12),
        **intake,
    )
    set_times(assessment, start)
    token = links.issue_links(assessment)
    try:
        save_slot(assessment)
    except AlreadyBooked:
        raise AlreadyBooked(active_for_email(intake["email"])) from None
    leave_waitlist(assessment.email)
    emails_after_commit(assessment, token, "booked")
    return Booked(assessment, token)


# --- Red flags ------------------------------------------------------------------------------


def record_screen_out(*, tier: int, now: datetime | None = None) -> None:
    """Count one screened-out visitor for the coaches' weekly figure: the tier and week only."""
    today = timezone.localdate(now or timezone.now())
    ScreenOut.objects.create(tier=tier, week_of=today - timedelta(days=today.weekday()))


def save_contact_request(*, name: str, email: str, now: datetime | None = None) -> ContactRequest:
    """Keep a screened-out visitor's name and email, only because they ticked to ask for it."""
    now = now or timezone.now()
    return ContactRequest.objects.create(
        name=name.strip(), email=email.strip().lower(), consented_at=now, created_at=now
    )


# --- The clock's work (manage.py tick) ------------------------------------------------------


@transaction.atomic
def expire_outcome_links(*, now: datetime | None = None) -> int:
    """Outcome links stop working when the intake retention period has passed."""
    now = now or timezone.now()
    return selectors.outcome_links_to_expire(now).update(outcome_token_hash="")


@dataclass
class DueReport:
    reminders: int = 0
    holds_to_release: int = 0
    waitlist_to_purge: int = 0
    outcome_links_to_expire: int = 0

    def __str__(self) -> str:
        return (
            f"assessments: {self.reminders} reminders queued, {self.holds_to_release} holds "
            f"to release, {self.waitlist_to_purge} waitlist entries to delete, "
            f"{self.outcome_links_to_expire} outcome links to expire."
        )


def _queue_reminder(booking: Assessment, when: datetime, which: str) -> None:
    """On the database backend the reminder waits until its time; otherwise it goes now."""
    task = send_reminder
    if when > timezone.now() and task.get_backend().supports_defer:
        task = task.using(run_after=when)
    task.enqueue(booking.pk, booking.sequence, which)


def _claim_reminders(now: datetime, which: str) -> int:
    """Queue each due reminder once: a conditional UPDATE claims it, so runs never double up."""
    before = timedelta(hours=24 if which == "day" else 1)
    stamp = "day_reminder_at" if which == "day" else "hour_reminder_at"
    candidates = Assessment.objects.booked().filter(
        **{f"{stamp}__isnull": True},
        starts_at__gt=now + (timedelta(hours=1) if which == "day" else timedelta()),
        starts_at__lte=now + before + TICK_INTERVAL,
    )
    queued = 0
    for booking in candidates.only("pk", "starts_at", "created_at", "sequence"):
        claimed = Assessment.objects.filter(pk=booking.pk, **{f"{stamp}__isnull": True}).update(
            **{stamp: now}
        )
        # Booked after the reminder's time (say, 20 hours ahead): the confirmation is enough.
        if not claimed or booking.created_at > booking.starts_at - before:
            continue
        transaction.on_commit(partial(_queue_reminder, booking, booking.starts_at - before, which))
        queued += 1
    return queued


@transaction.atomic
def due_work(now: datetime | None = None) -> DueReport:
    """What the clock makes due for assessments; queues it. Run by `manage.py tick`.

    Idempotent: reminders are claimed once each, and the housekeeping tasks queued
    here do nothing when there is nothing left to do.
    """
    now = now or timezone.now()
    report = DueReport(
        reminders=_claim_reminders(now, "day") + _claim_reminders(now, "hour"),
        holds_to_release=selectors.holds_to_release(now).count(),
        waitlist_to_purge=selectors.waitlist_to_purge(now).count()
        + selectors.lapsed_holds_to_purge(now).count(),
        outcome_links_to_expire=selectors.outcome_links_to_expire(now).count(),
    )
    stamp = now.isoformat()
    if report.holds_to_release:
        # Releasing offers the freed times to the next in line.
        transaction.on_commit(lambda: release_lapsed_holds_task.enqueue(stamp))
    elif WaitlistEntry.objects.exists():
        transaction.on_commit(lambda: offer_waitlist_task.enqueue(stamp))
    if report.waitlist_to_purge:
        transaction.on_commit(lambda: purge_waitlist_task.enqueue(stamp))
    if report.outcome_links_to_expire:
        transaction.on_commit(lambda: expire_outcome_links_task.enqueue(stamp))
    return report
