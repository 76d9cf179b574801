"""The free assessment: coaches' weekly availability and time off, the booking rules,
bookings with their intake and outcome, the waitlist, and what the red-flag screen counts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from coaching.accounts.models import Coach


class AvailabilityWindow(models.Model):
    """A weekly time a coach takes assessments, in the coach's own time zone."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField("from")
    ends_at = models.TimeField("until")

    class Meta:
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="window_ends_after_start",
            ),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="window_weekday_0_6"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class TimeOff(models.Model):
    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField("from")
    ends_at = models.DateTimeField("until")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="time_off_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.coach}: {self.starts_at:%Y-%m-%d} to {self.ends_at:%Y-%m-%d}"


class BookingRules(models.Model):
    """Studio-wide booking rules (one row, edited in the admin)."""

    slot_minutes = models.PositiveSmallIntegerField(default=30)
    buffer_minutes = models.PositiveSmallIntegerField(
        default=15, help_text="Free time kept after each assessment."
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        default=12, help_text="How long before a free time it can still be booked."
    )
    reschedule_cutoff_hours = models.PositiveSmallIntegerField(
        default=12,
        help_text=(
            "Closer than this to the start, a booking can no longer be moved; cancelling is "
            "still allowed and shows as late for the coach."
        ),
    )
    horizon_days = models.PositiveSmallIntegerField(
        default=21, help_text="How far ahead visitors can book."
    )

    class Meta:
        verbose_name_plural = "booking rules"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=5), name="rules_slot_5_min"
            ),
            models.CheckConstraint(condition=models.Q(horizon_days__gte=1), name="rules_horizon_1"),
        ]

    def __str__(self) -> str:
        return "Booking rules"

    @classmethod
    def load(cls) -> BookingRules:
        rules, _ = cls.objects.get_or_create(pk=1)
        return rules


ACTIVE_STATUSES = ("booked", "held")


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def active(self) -> AssessmentQuerySet:
        """Bookings that keep their time: booked, or held for someone on the waitlist."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def booked(self) -> AssessmentQuerySet:
        return self.filter(status=Assessment.Status.BOOKED)


class WaitlistEntry(models.Model):
    """A visitor waiting for a free time at the parts of the week they prefer.

    Preferences are "weekday-part" codes ("0-morning" is Monday morning) in the
    visitor's own zone. Entries are deleted 30 days after they were made.
    """

    email = models.EmailField()
    time_zone = models.CharField(max_length=64, default="Europe/London")
    preferences = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "waitlist entries"
        constraints = [models.UniqueConstraint(Lower("email"), name="waitlist_one_entry_per_email")]

    def __str__(self) -> str:
        return f"Waitlist: {self.email}"


class Assessment(models.Model):
    """A booked free 30-minute live online movement assessment, and its outcome."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        HELD = "held", "Held for the waitlist"
        CANCELLED = "cancelled", "Cancelled"
        RELEASED = "released", "Hold lapsed"
        COMPLETED = "completed", "Completed"
        NO_SHOW = "no_show", "No-show"

    coach = models.ForeignKey(Coach, on_delete=models.PROTECT, related_name="assessments")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The end of the time this booking keeps the coach busy (the session plus the buffer).
    blocked_until = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    manage_token_hash = models.CharField(max_length=64, unique=True)
    # With the server's secret key, this derives the booking's links (manage, outcome), so
    # reminders can carry them; the database alone holds only their hashes (links.py).
    link_salt = models.CharField(max_length=64, blank=True, editable=False)
    # The per-booking video room, when the studio sets ASSESSMENT_ROOM_URL_TEMPLATE.
    room_token = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    held_until = models.DateTimeField(null=True, blank=True)
    waitlist_entry = models.ForeignKey(
        WaitlistEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="holds"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    late_cancel = models.BooleanField(
        default=False, help_text="Cancelled inside the rescheduling cutoff."
    )
    # When `manage.py tick` queued each reminder (reset when the booking moves).
    day_reminder_at = models.DateTimeField(null=True, blank=True)
    hour_reminder_at = models.DateTimeField(null=True, blank=True)
    # Bookings made before one active booking per email was enforced keep their place.
    legacy_duplicate = models.BooleanField(default=False, editable=False)

    name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    visitor_time_zone = models.CharField(max_length=64, default="Europe/London")
    where_it_hurts = models.CharField(max_length=300, blank=True)
    how_long = models.CharField(max_length=100, blank=True)
    worse_with = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)

    why_in_pain = models.TextField(blank=True)
    restricted_movements = models.TextField(blank=True)
    movements_to_avoid = models.TextField(blank=True)
    avoid_stages = models.ManyToManyField("exercises.Stage", blank=True, related_name="+")
    movements_to_do = models.TextField(blank=True)
    recommended_stage = models.ForeignKey(
        "exercises.Stage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    outcome_sent_at = models.DateTimeField(null=True, blank=True)
    client = models.OneToOneField(
        "clients.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessment",
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["coach", "status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at"))
                & models.Q(blocked_until__gte=models.F("ends_at")),
                name="assessment_times_ordered",
            ),
            # One active free assessment per email, whatever its case: the database says no
            # to a second, even when two arrive at once (PostgreSQL and SQLite alike). An
            # email emptied by the retention purge belongs to no one, so it is left out.
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(status__in=ACTIVE_STATUSES, legacy_duplicate=False)
                & ~models.Q(email=""),
                name="assessment_one_active_per_email",
            ),
            models.UniqueConstraint(
                fields=["outcome_token_hash"],
                condition=~models.Q(outcome_token_hash=""),
                name="assessment_outcome_token_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="held") | models.Q(held_until__isnull=False),
                name="assessment_hold_has_an_end",
            ),
        ]

    def __str__(self) -> str:
        who = self.name or self.email
        return f"{who} with {self.coach} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def has_outcome(self) -> bool:
        return self.outcome_recorded_at is not None

    @property
    def first_name(self) -> str:
        return self.name.split(" ", 1)[0] if self.name else ""

    @property
    def call_link(self) -> str:
        """The video call: this booking's own room when the studio uses them, else the coach's."""
        template = settings.ASSESSMENT_ROOM_URL_TEMPLATE
        if template and self.room_token:
            return str(template).replace("{room}", self.room_token)
        return self.coach.video_link


class ScreenOut(models.Model):
    """One visitor the red-flag screen stopped: the tier and the week, nothing about them."""

    class Tier(models.IntegerChoices):
        EMERGENCY = 1, "Emergency signs"
        DOCTOR_FIRST = 2, "See a doctor first"

    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    week_of = models.DateField(help_text="The Monday of the week it happened.")

    class Meta:
        indexes = [models.Index(fields=["week_of", "tier"])]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} in the week of {self.week_of:%d %b %Y}"


class ContactRequest(models.Model):
    """A screened-out visitor who asked, with explicit consent, to hear from the studio later."""

    name = models.CharField(max_length=150)
    email = models.EmailField()
    consented_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Contact {self.name} <{self.email}>"


class CalendarFeed(models.Model):
    """A coach's private iCalendar feed: its link's token, stored only as a hash."""

    coach = models.OneToOneField(Coach, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.coach}"
