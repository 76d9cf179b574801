"""Sessions with their pain scores, their corrections, and the next-morning check-ins."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import RowNumber
from django.utils import timezone

from clients.models.records import (
    DECIDED_LIGHTS,
    PAIN_VALIDATORS,
    AppendOnlyQuerySet,
    Client,
    reps_or_seconds,
)
from clients.progression import Light
from exercises.models import Stage, volume_text


class FeltIn(models.TextChoices):
    HIPS = "hips", "Hips and glutes"
    HAMSTRINGS = "hamstrings", "Hamstrings"
    LOWER_BACK = "lower_back", "Lower back muscles working"
    ELSEWHERE = "elsewhere", "Somewhere else"


class TrainingSessionQuerySet(models.QuerySet["TrainingSession"]):
    def latest_per_client(self, clients: Any, count: int) -> TrainingSessionQuerySet:
        """Each client's last `count` sessions, in one query (a window function)."""
        return (
            self.filter(client__in=clients)
            .annotate(
                row=models.Window(
                    RowNumber(),
                    partition_by=[models.F("client_id")],
                    order_by=[models.F("performed_on").desc(), models.F("logged_at").desc()],
                )
            )
            .filter(row__lte=count)
        )


class TrainingSession(models.Model):
    """One logged session with its pain scores and next-morning check-in."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="sessions")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    performed_on = models.DateField()
    logged_at = models.DateTimeField(default=timezone.now)
    sets = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    load_kg = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    pain_before = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    pain_during = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    pain_after = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    felt_hips = models.BooleanField(default=False)
    felt_hamstrings = models.BooleanField(default=False)
    felt_lower_back = models.BooleanField(
        "felt the lower back working",
        default=False,
        help_text="The back muscles working, which hinges and swings are meant to do.",
    )
    felt_elsewhere = models.BooleanField(default=False)
    lower_back_hurt = models.BooleanField(
        default=False,
        help_text="Pain in the lower back, not the muscles working. Never green.",
    )
    effort = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    notes = models.TextField(blank=True)
    next_day_pain = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=PAIN_VALIDATORS
    )
    next_day_answered_at = models.DateTimeField(null=True, blank=True)
    time_zone = models.CharField(
        max_length=64, help_text="The zone it was logged in: its day and check-in window keep it."
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    # The gate's decision, stored once made, with the thresholds in force then.
    light = models.CharField(max_length=7, choices=DECIDED_LIGHTS, blank=True)
    light_reasons = models.JSONField(default=list, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_with = models.JSONField(null=True, blank=True)
    red_known_on = models.DateField(null=True, blank=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-performed_on", "-logged_at", "-id"]
        indexes = [
            models.Index(fields=["client", "stage", "performed_on"]),
            models.Index(fields=["client", "performed_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_before__lte=10), name="session_pain_before_0_10"
            ),
            models.CheckConstraint(
                condition=Q(pain_during__lte=10), name="session_pain_during_0_10"
            ),
            models.CheckConstraint(condition=Q(pain_after__lte=10), name="session_pain_after_0_10"),
            models.CheckConstraint(
                condition=Q(next_day_pain__isnull=True) | Q(next_day_pain__lte=10),
                name="session_next_day_pain_0_10",
            ),
            models.CheckConstraint(
                condition=Q(next_day_pain__isnull=True, next_day_answered_at__isnull=True)
                | Q(next_day_pain__isnull=False, next_day_answered_at__isnull=False),
                name="session_check_in_answered_together",
            ),
            models.CheckConstraint(condition=Q(sets__gte=1), name="session_sets_positive"),
            reps_or_seconds("session_reps_or_seconds"),
            models.CheckConstraint(
                condition=Q(load_kg__isnull=True) | Q(load_kg__gte=Decimal("0")),
                name="session_load_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(effort__isnull=True) | Q(effort__gte=1, effort__lte=10),
                name="session_effort_1_10",
            ),
            models.CheckConstraint(
                condition=Q(felt_hips=True)
                | Q(felt_hamstrings=True)
                | Q(felt_lower_back=True)
                | Q(felt_elsewhere=True),
                name="session_felt_somewhere",
            ),
        ]

    def __str__(self) -> str:
        return f"Session #{self.pk} of client #{self.client_id} on {self.performed_on}"

    def get_additional_data(self) -> dict[str, int | None]:
        """The audit trail files this entry under its client."""
        return {"client_id": self.client_id}

    @property
    def felt_in(self) -> list[str]:
        return [
            value
            for value, flag in [
                (FeltIn.HIPS, self.felt_hips),
                (FeltIn.HAMSTRINGS, self.felt_hamstrings),
                (FeltIn.LOWER_BACK, self.felt_lower_back),
                (FeltIn.ELSEWHERE, self.felt_elsewhere),
            ]
            if flag
        ]

    @property
    def felt_in_labels(self) -> list[str]:
        return [FeltIn(value).label for value in self.felt_in]

    @property
    def volume(self) -> str:
        return volume_text(self.sets, self.reps, self.seconds, self.load_kg)

    @property
    def shown_light(self) -> str:
        """The stored light, or pending while it waits for its check-in."""
        return self.light or Light.PENDING


class SessionRevision(models.Model):
    """The values a session had before a same-day correction: nothing is lost."""

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="revisions")
    revised_at = models.DateTimeField(default=timezone.now)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who corrected it: the client, or the studio in the admin.",
    )
    previous_values = models.JSONField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-revised_at", "-id"]

    def __str__(self) -> str:
        return f"Correction of session #{self.session_id} at {self.revised_at:%Y-%m-%d %H:%M}"


class CheckIn(models.Model):
    """The morning after a training day, one tap: back pain now. It answers that day's sessions."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="check_ins")
    training_day = models.DateField(help_text="The client-day whose sessions it answers.")
    pain = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    answered_at = models.DateTimeField(default=timezone.now)
    answered_on = models.DateField(help_text="The client-day it was answered.")

    class Meta:
        ordering = ["-training_day"]
        constraints = [
            models.UniqueConstraint(fields=["client", "training_day"], name="check_in_once_a_day"),
            models.CheckConstraint(condition=Q(pain__lte=10), name="check_in_pain_0_10"),
        ]

    def __str__(self) -> str:
        return f"Check-in of client #{self.client_id} for {self.training_day}"

    def get_additional_data(self) -> dict[str, int | None]:
        """The audit trail files this entry under its client."""
        return {"client_id": self.client_id}
