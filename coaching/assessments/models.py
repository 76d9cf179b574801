"""The free assessment: coaches' weekly availability and time off, the booking rules,
and bookings with their intake and outcome."""

from __future__ import annotations

import uuid

from django.db import models

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
    min_notice_hours = models.PositiveSmallIntegerField(default=12)
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


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def active(self) -> AssessmentQuerySet:
        return self.filter(status=Assessment.Status.BOOKED)


class Assessment(models.Model):
    """A booked free 30-minute live online movement assessment, and its outcome."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"
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
    created_at = models.DateTimeField(auto_now_add=True)

    name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    visitor_time_zone = models.CharField(max_length=64, default="Europe/London")
    where_it_hurts = models.CharField(max_length=300)
    how_long = models.CharField(max_length=100)
    worse_with = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    consented_at = models.DateTimeField()

    why_in_pain = models.TextField(blank=True)
    restricted_movements = models.TextField(blank=True)
    movements_to_avoid = models.TextField(blank=True)
    movements_to_do = models.TextField(blank=True)
    recommended_stage = models.ForeignKey(
        "exercises.Stage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
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
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} with {self.coach} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def has_outcome(self) -> bool:
        return self.outcome_recorded_at is not None
