"""The waitlist and its holds: a visitor waits for a time that suits; when one comes free,
the first in line gets it held for 30 minutes and a link to take it or let it go."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from coaching.assessments import links, selectors
from coaching.assessments.models import Assessment, WaitlistEntry
from coaching.assessments.selectors import WAITLIST_DAYS, available_slots
from coaching.assessments.services import (
    AlreadyBooked,
    SlotTaken,
    active_for_email,
    emails_after_commit,
    leave_waitlist,
    offer_after_commit,
    release_hold,
    save_slot,
    set_times,
)
from coaching.assessments.slots import Slot, matches_preferences
from coaching.assessments.tasks import send_hold_offer

HOLD_MINUTES = 30
# After a hold lapses unanswered, that person is not offered another time for a day.
OFFER_PAUSE = timedelta(hours=24)


@transaction.atomic
def join_waitlist(*, email: str, preferences: list[str], time_zone: str) -> WaitlistEntry:
    """Wait for a free time that suits; joining again keeps your place and new preferences."""
    email = email.strip().lower()
    existing = active_for_email(email)
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


@transaction.atomic
def release_lapsed_holds(*, now: datetime | None = None) -> int:
    """Holds unanswered for 30 minutes end, and their times are free again."""
    now = now or timezone.now()
    lapsed = list(selectors.holds_to_release(now).select_for_update())
    for hold in lapsed:
        release_hold(hold, now=now)
    return len(lapsed)


@transaction.atomic
def decline_hold(*, assessment: Assessment, now: datetime | None = None) -> None:
    """The visitor lets the held time go: it goes to the next in line."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status == Assessment.Status.HELD:
        release_hold(locked, now=now or timezone.now())
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
    set_times(hold, slot.start)
    token = links.issue_links(hold)
    try:
        save_slot(hold)
    except (SlotTaken, AlreadyBooked):
        return None
    path = links.hold_path(token)
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
    existing = active_for_email(intake["email"])
    if existing is not None and existing.pk != locked.pk:
        raise AlreadyBooked(existing)
    for name, value in intake.items():
        setattr(locked, name, value)
    locked.status = Assessment.Status.BOOKED
    locked.held_until = None
    locked.consented_at = now
    locked.visitor_time_zone = visitor_time_zone
    locked.waitlist_entry = None
    save_slot(locked)
    leave_waitlist(locked.email)
    token = links.link_token(locked, links.MANAGE)
    emails_after_commit(locked, token, "booked")
    return locked


@transaction.atomic
def purge_waitlist(*, now: datetime | None = None) -> int:
    """Waitlist entries are deleted 30 days after they were made, with their lapsed holds."""
    now = now or timezone.now()
    old = selectors.waitlist_to_purge(now)
    selectors.lapsed_holds_to_purge(now).delete()
    Assessment.objects.filter(waitlist_entry__in=old, status=Assessment.Status.RELEASED).delete()
    count, _ = old.delete()
    return count
