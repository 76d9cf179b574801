"""Reads for the assessment: free slots, bookings by link, a coach's assessments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from clients.models import sees_all_clients
from coaching.accounts.models import Coach, User
from coaching.accounts.tokens import hash_token
from coaching.assessments.models import (
    Assessment,
    AvailabilityWindow,
    BookingRules,
    CalendarFeed,
    ContactRequest,
    ScreenOut,
    TimeOff,
    WaitlistEntry,
)
from coaching.assessments.slots import (
    Busy,
    CoachCalendar,
    Rules,
    Slot,
    Window,
    free_slots,
    merge_slots,
)


@dataclass(frozen=True)
class StudioRules(Rules):
    reschedule_cutoff_hours: int = 12


def rules_now() -> StudioRules:
    row = BookingRules.load()
    return StudioRules(
        row.slot_minutes,
        row.buffer_minutes,
        row.min_notice_hours,
        row.horizon_days,
        row.reschedule_cutoff_hours,
    )


# The privacy notice's figure (coaching/privacy); the lead's retention work owns the setting.
DEFAULT_INTAKE_RETENTION_DAYS = 90


def intake_retention_days() -> int:
    return int(getattr(settings, "INTAKE_RETENTION_DAYS", DEFAULT_INTAKE_RETENTION_DAYS))


# Waitlist entries are deleted this long after they were made, with their lapsed holds.
WAITLIST_DAYS = 30


# --- What the clock makes due: `due_work` counts the rows its tasks then change ------------


def holds_to_release(now: datetime) -> QuerySet[Assessment]:
    """Holds for the waitlist unanswered until their time ran out."""
    return Assessment.objects.filter(status=Assessment.Status.HELD, held_until__lte=now)


def waitlist_to_purge(now: datetime) -> QuerySet[WaitlistEntry]:
    return WaitlistEntry.objects.filter(created_at__lte=now - timedelta(days=WAITLIST_DAYS))


def lapsed_holds_to_purge(now: datetime) -> QuerySet[Assessment]:
    """Holds that lapsed unanswered before the waitlist's cutoff: an email and a time, no more."""
    return Assessment.objects.filter(
        status=Assessment.Status.RELEASED, created_at__lte=now - timedelta(days=WAITLIST_DAYS)
    )


def outcome_links_to_expire(now: datetime) -> QuerySet[Assessment]:
    """Outcome links whose assessment is older than the intake retention period."""
    return Assessment.objects.exclude(outcome_token_hash="").filter(
        starts_at__lte=now - timedelta(days=intake_retention_days())
    )


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


def outcome_expires_on(assessment: Assessment) -> datetime:
    return assessment.starts_at + timedelta(days=intake_retention_days())


def find_outcome(token: str, *, now: datetime | None = None) -> Assessment | None:
    """The outcome behind a private link, while it lasts: gone once deleted or expired."""
    found = (
        Assessment.objects.select_related("coach__user", "recommended_stage__exercise")
        .prefetch_related("avoid_stages__exercise")
        .filter(
            outcome_token_hash=hash_token(token),
            outcome_recorded_at__isnull=False,
            status=Assessment.Status.COMPLETED,
        )
        .first()
    )
    if found is None or outcome_expires_on(found) <= (now or timezone.now()):
        return None
    return found


def coach_assessments(user: User) -> QuerySet[Assessment]:
    """The assessments a coach may see: their own, or everyone's for a head coach.

    Holds for the waitlist and lapsed holds are not assessments yet, so they are left out.
    """
    queryset = (
        Assessment.objects.select_related("coach__user", "recommended_stage__exercise", "client")
        .prefetch_related("avoid_stages")
        .exclude(status__in=[Assessment.Status.HELD, Assessment.Status.RELEASED])
    )
    if sees_all_clients(user):
        return queryset
    return queryset.filter(coach__user=user)


def next_call(rows: list[Assessment], *, user: User, now: datetime) -> Assessment | None:
    """The coach's own next call (or the one on now), for the page's one-click "Join".

    The head coach sees every coach's bookings but joins only their own calls.
    """
    return next(
        (
            a
            for a in rows
            if a.status == Assessment.Status.BOOKED
            and a.ends_at > now
            and a.coach.user_id == user.pk
        ),
        None,
    )


@dataclass(frozen=True)
class WeekCount:
    week_of: date
    emergency: int
    doctor_first: int

    @property
    def total(self) -> int:
        return self.emergency + self.doctor_first


def weekly_screen_outs(*, weeks: int = 6, today: date | None = None) -> list[WeekCount]:
    """How many visitors the red-flag screen stopped, week by week (newest first)."""
    today = today or timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=n) for n in range(weeks)]
    counts = {
        (row["week_of"], row["tier"]): row["n"]
        for row in ScreenOut.objects.filter(week_of__gte=mondays[-1])
        .values("week_of", "tier")
        .annotate(n=Count("id"))
    }
    return [
        WeekCount(
            monday,
            counts.get((monday, ScreenOut.Tier.EMERGENCY), 0),
            counts.get((monday, ScreenOut.Tier.DOCTOR_FIRST), 0),
        )
        for monday in mondays
    ]


def contact_requests() -> QuerySet[ContactRequest]:
    return ContactRequest.objects.order_by("-created_at")[:50]


def feed_bookings(token: str) -> tuple[Coach, list[Assessment]] | None:
    """A coach's booked assessments, from now back a month, for their private feed."""
    feed = (
        CalendarFeed.objects.select_related("coach__user")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if feed is None:
        return None
    bookings = list(
        Assessment.objects.select_related("coach__user")
        .filter(
            coach=feed.coach,
            status__in=[Assessment.Status.BOOKED, Assessment.Status.COMPLETED],
            starts_at__gte=timezone.now() - timedelta(days=31),
        )
        .order_by("starts_at")
    )
    return feed.coach, bookings
