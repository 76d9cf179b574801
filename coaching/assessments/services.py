"""Booking the free movement assessment, the waitlist's holds, and what coaches do afterwards.

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
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from coaching.assessments import links
from coaching.assessments.models import (
    Assessment,
    ContactRequest,
    ScreenOut,
    WaitlistEntry,
)
from coaching.assessments.selectors import (
    available_slots,
    find_free_slot,
    intake_retention_days,
    rules_now,
)
from coaching.assessments.slots import Slot, matches_preferences
from coaching.assessments.tasks import (
    expire_outcome_links_task,
    offer_waitlist_task,
    purge_waitlist_task,
    release_lapsed_holds_task,
    send_assessment_emails,
    send_hold_offer,
    send_manage_link,
    send_reminder,
)

HOLD_MINUTES = 30
WAITLIST_DAYS = 30
# After a hold lapses unanswered, that person is not offered another time for a day.
OFFER_PAUSE = timedelta(hours=24)
# `manage.py tick` runs every 15 minutes: reminders due before the next run are queued now
# (to run at their time on the database backend).
TICK_INTERVAL = timedelta(minutes=15)
ONE_PER_EMAIL = "assessment_one_active_per_email"
INTAKE_FIELDS = ("phone", "where_it_hurts", "how_long", "worse_with", "goals")


class SlotTaken(Exception):
    """Someone else booked (or is holding) that time a moment ago."""


class AlreadyBooked(Exception):
    """This email already has an active free assessment."""

    def __init__(self, assessment: Assessment | None) -> None:
        super().__init__("A free assessment is already booked for this email address.")
        self.assessment = assessment


class BookingError(Exception):
    """The booking cannot go ahead; the message says why, in plain words."""


def manage_path(token: str) -> str:
    return reverse("coaching:manage_assessment", kwargs={"token": token})


def hold_path(token: str) -> str:
    return reverse("coaching:confirm_hold", kwargs={"token": token})


def outcome_path(token: str) -> str:
    return reverse("coaching:assessment_outcome_page", kwargs={"token": token})


@dataclass
class Booked:
    assessment: Assessment
    token: str


def _emails_after_commit(assessment: Assessment, token: str | None, kind: str) -> None:
    path = manage_path(token) if token else ""
    transaction.on_commit(lambda: send_assessment_emails.enqueue(assessment.pk, path, kind))


def offer_after_commit() -> None:
    """A time may have come free: the waitlist's first in line may get it."""
    transaction.on_commit(lambda: offer_waitlist_task.enqueue(timezone.now().isoformat()))


def _active_for_email(email: str) -> Assessment | None:
    return (
        Assessment.objects.active()
        .annotate(email_lower=Lower("email"))
        .filter(email_lower=email.strip().lower())
        .select_for_update()
        .order_by("starts_at")
        .first()
    )


def _save_slot(assessment: Assessment) -> None:
    """Insert or update under the database's rules; a savepoint keeps the outer transaction."""
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError as exc:
        if ONE_PER_EMAIL in str(exc):
            raise AlreadyBooked(None) from exc
        raise SlotTaken from exc


def _times(assessment: Assessment, start: datetime) -> None:
    rules = rules_now()
    assessment.starts_at = start
    assessment.ends_at = start + timedelta(minutes=rules.slot_minutes)
    assessment.blocked_until = assessment.ends_at + timedelta(minutes=rules.buffer_minutes)


def _leave_waitlist(email: str) -> None:
    """Someone who has booked is no longer waiting."""
    entries = WaitlistEntry.objects.annotate(email_lower=Lower("email")).filter(
        email_lower=email.strip().lower()
    )
    Assessment.objects.filter(waitlist_entry__in=entries).update(waitlist_entry=None)
    entries.delete()


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
    existing = _active_for_email(intake["email"])
    if existing is not None and existing.status == Assessment.Status.BOOKED:
        raise AlreadyBooked(existing)
    if find_free_slot(coach_id, start) is None:
        raise SlotTaken
    if existing is not None:
        # They chose a time themselves while a hold from the waitlist was open for them.
        _release(existing, now=now)
        offer_after_commit()
    assessment = Assessment(
        coach_id=coach_id,
        visitor_time_zone=visitor_time_zone,
        consented_at=now,
        room_token=secrets.token_hex(12),
        **intake,
    )
    _times(assessment, start)
    token = links.issue_links(assessment)
    try:
        _save_slot(assessment)
    except AlreadyBooked:
        raise AlreadyBooked(_active_for_email(intake["email"])) from None
    _leave_waitlist(assessment.email)
    _emails_after_commit(assessment, token, "booked")
    return Booked(assessment, token)


@transaction.atomic
def resend_manage_link(*, assessment: Assessment) -> None:
    """Email a booking's private link again (to the booking's own address, never the page)."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    token = links.link_token(locked, links.MANAGE)
    if token is None:
        # Booked before links were derived: a new link replaces the old one.
        token = links.issue_links(locked)
        locked.save(update_fields=["link_salt", "manage_token_hash"])
    path = hold_path(token) if locked.status == Assessment.Status.HELD else manage_path(token)
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
    locked.status = Assessment.Status.CANCELLED
    locked.cancelled_at = now
    locked.late_cancel = cancel_is_late(locked, now)
    locked.sequence += 1
    for name in INTAKE_FIELDS:
        setattr(locked, name, "")
    locked.save()
    _emails_after_commit(locked, None, "cancelled")
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
    _times(locked, start)
    locked.sequence += 1
    locked.day_reminder_at = locked.hour_reminder_at = None
    _save_slot(locked)
    _emails_after_commit(locked, token, "moved")
    offer_after_commit()
    return locked


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


# --- The waitlist and its holds -------------------------------------------------------------


@transaction.atomic
def join_waitlist(*, email: str, preferences: list[str], time_zone: str) -> WaitlistEntry:
    """Wait for a free time that suits; joining again keeps your place and new preferences."""
    email = email.strip().lower()
    existing = _active_for_email(email)
    if existing is not None and existing.status == Assessment.Status.BOOKED:
        raise AlreadyBooked(existing)
    found = (
        WaitlistEntry.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower=email)
        .select_for_update()
        .values_list("pk", flat=True)
        .first()
    )
    entry = WaitlistEntry(email=email) if found is None else WaitlistEntry.objects.get(pk=found)
    entry.preferences = sorted(set(preferences))
    entry.time_zone = time_zone
    entry.save()
    offer_after_commit()
    return entry


def _release(hold: Assessment, *, now: datetime) -> None:
    hold.status = Assessment.Status.RELEASED
    hold.held_until = min(hold.held_until or now, now)
    hold.sequence += 1
    hold.save(update_fields=["status", "held_until", "sequence"])


@transaction.atomic
def release_lapsed_holds(*, now: datetime | None = None) -> int:
    """Holds unanswered for 30 minutes end, and their times are free again."""
    now = now or timezone.now()
    lapsed = list(
        Assessment.objects.select_for_update().filter(
            status=Assessment.Status.HELD, held_until__lte=now
        )
    )
    for hold in lapsed:
        _release(hold, now=now)
    return len(lapsed)


@transaction.atomic
def decline_hold(*, assessment: Assessment, now: datetime | None = None) -> None:
    """The visitor lets the held time go: it goes to the next in line."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status == Assessment.Status.HELD:
        _release(locked, now=now or timezone.now())
        offer_after_commit()


def _offered_starts(entry: WaitlistEntry) -> set[datetime]:
    return {hold.starts_at for hold in entry.holds.all()}


def _paused(entry: WaitlistEntry, now: datetime) -> bool:
    lapsed = [
        h.held_until
        for h in entry.holds.all()
        if h.status == Assessment.Status.RELEASED and h.held_until is not None
    ]
    return bool(lapsed) and max(lapsed) > now - OFFER_PAUSE


def _hold(entry: WaitlistEntry, slot: Slot, now: datetime) -> Assessment | None:
    hold = Assessment(
        coach_id=slot.coach_id,
        status=Assessment.Status.HELD,
        held_until=now + timedelta(minutes=HOLD_MINUTES),
        email=entry.email,
        visitor_time_zone=entry.time_zone,
        waitlist_entry=entry,
        room_token=secrets.token_hex(12),
    )
    _times(hold, slot.start)
    token = links.issue_links(hold)
    try:
        _save_slot(hold)
    except (SlotTaken, AlreadyBooked):
        return None
    path = hold_path(token)
    transaction.on_commit(lambda: send_hold_offer.enqueue(hold.pk, path))
    return hold


@transaction.atomic
def offer_waitlist_slots(*, now: datetime | None = None) -> int:
    """Hold a matching free time for each person waiting, first in line first; email them.

    Someone already holding or booked is skipped, as is a time they were offered
    before; after a hold lapses unanswered they are not offered another for a day.
    """
    now = now or timezone.now()
    entries = list(
        WaitlistEntry.objects.select_for_update()
        .filter(created_at__gt=now - timedelta(days=WAITLIST_DAYS))
        .prefetch_related("holds")
        .order_by("created_at", "id")
    )
    if not entries:
        return 0
    active = set(
        Assessment.objects.active()
        .annotate(email_lower=Lower("email"))
        .values_list("email_lower", flat=True)
    )
    free = available_slots(now=now)
    held = 0
    for entry in entries:
        if entry.email.lower() in active or _paused(entry, now):
            continue
        offered = _offered_starts(entry)
        zone = ZoneInfo(entry.time_zone)
        for slot in free:
            if slot.start in offered or not matches_preferences(slot, zone, entry.preferences):
                continue
            if _hold(entry, slot, now) is not None:
                held += 1
                # The hold blocks its buffer too, and SQLite has no exclusion constraint
                # to refuse an overlap: read the free times again.
                free = available_slots(now=now)
                break
    return held


@transaction.atomic
def confirm_hold(
    *,
    assessment: Assessment,
    intake: dict[str, Any],
    visitor_time_zone: str,
    now: datetime | None = None,
) -> Assessment:
    """The waitlisted visitor takes the held time: it becomes their booking."""
    now = now or timezone.now()
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Assessment.Status.HELD or (locked.held_until or now) <= now:
        raise SlotTaken
    existing = _active_for_email(intake["email"])
    if existing is not None and existing.pk != locked.pk:
        raise AlreadyBooked(existing)
    for name, value in intake.items():
        setattr(locked, name, value)
    locked.status = Assessment.Status.BOOKED
    locked.held_until = None
    locked.consented_at = now
    locked.visitor_time_zone = visitor_time_zone
    locked.waitlist_entry = None
    _save_slot(locked)
    _leave_waitlist(locked.email)
    token = links.link_token(locked, links.MANAGE)
    _emails_after_commit(locked, token, "booked")
    return locked


@transaction.atomic
def purge_waitlist(*, now: datetime | None = None) -> int:
    """Waitlist entries are deleted 30 days after they were made, with their lapsed holds."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=WAITLIST_DAYS)
    old = WaitlistEntry.objects.filter(created_at__lte=cutoff)
    _lapsed_holds(cutoff).delete()
    Assessment.objects.filter(waitlist_entry__in=old, status=Assessment.Status.RELEASED).delete()
    count, _ = old.delete()
    return count


def _lapsed_holds(cutoff: datetime) -> QuerySet[Assessment]:
    """Holds that lapsed unanswered before the cutoff: an email address and a time, no more."""
    return Assessment.objects.filter(status=Assessment.Status.RELEASED, created_at__lte=cutoff)


@transaction.atomic
def expire_outcome_links(*, now: datetime | None = None) -> int:
    """Outcome links stop working when the intake retention period has passed."""
    now = now or timezone.now()
    return (
        Assessment.objects.exclude(outcome_token_hash="")
        .filter(starts_at__lte=now - timedelta(days=intake_retention_days()))
        .update(outcome_token_hash="")
    )


# --- The clock's work (manage.py tick) ------------------------------------------------------


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
        holds_to_release=Assessment.objects.filter(
            status=Assessment.Status.HELD, held_until__lte=now
        ).count(),
        waitlist_to_purge=WaitlistEntry.objects.filter(
            created_at__lte=now - timedelta(days=WAITLIST_DAYS)
        ).count()
        + _lapsed_holds(now - timedelta(days=WAITLIST_DAYS)).count(),
        outcome_links_to_expire=Assessment.objects.exclude(outcome_token_hash="")
        .filter(starts_at__lte=now - timedelta(days=intake_retention_days()))
        .count(),
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
