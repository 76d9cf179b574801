"""What the coach writes into a client's program: prescriptions, sign-offs, notes, pauses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clients.models.records import AppendOnlyQuerySet, Client, reps_or_seconds
from exercises.models import Stage, format_kg, volume_text

DEFAULT_SESSIONS_PER_WEEK = 3


class TechniqueSignoff(models.Model):
    """A coach's word that a client's technique at a stage is mastered (until undone)."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="signoffs")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "stage"],
                condition=Q(undone_at__isnull=True),
                name="signoff_once_per_stage",
            )
        ]

    def __str__(self) -> str:
        return f"Client #{self.client_id}: stage #{self.stage_id} signed off"

    def get_additional_data(self) -> dict[str, int | None]:
        """The audit trail files this entry under its client."""
        return {"client_id": self.client_id}


class PrescriptionQuerySet(models.QuerySet["Prescription"]):
    def current(self, client: Client, stage: Stage) -> Prescription | None:
        """The prescription in force now for a client at a stage (the latest version)."""
        return self.filter(client=client, stage=stage).order_by("-valid_from", "-id").first()


class Prescription(models.Model):
    """A version of a client's own plan at a stage: kept, so each day's plan stays known."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="prescriptions")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    sets = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    target_load_kg = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField(default=DEFAULT_SESSIONS_PER_WEEK)
    rest_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    tempo = models.CharField(
        max_length=20, blank=True, help_text="Down-pause-up seconds, for example 3-1-1."
    )
    notes = models.TextField(blank=True)
    valid_from = models.DateTimeField(default=timezone.now)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["client", "stage", "-valid_from"])]
        constraints = [
            models.CheckConstraint(condition=Q(sets__gte=1), name="prescription_sets_positive"),
            reps_or_seconds("prescription_reps_or_seconds"),
            models.CheckConstraint(
                condition=Q(target_load_kg__isnull=True) | Q(target_load_kg__gte=Decimal("0")),
                name="prescription_load_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_week__gte=1, sessions_per_week__lte=14),
                name="prescription_sessions_per_week_1_14",
            ),
        ]

    def __str__(self) -> str:
        return f"Client #{self.client_id}: {self.text}"

    def get_additional_data(self) -> dict[str, int | None]:
        """The audit trail files this entry under its client."""
        return {"client_id": self.client_id}

    @property
    def text(self) -> str:
        return volume_text(self.sets, self.reps, self.seconds, self.target_load_kg)

    @property
    def details(self) -> list[str]:
        """The plan beyond sets and reps, in words: how often, rest, tempo."""
        parts = [f"{self.sessions_per_week} sessions a week"]
        if self.rest_seconds:
            parts.append(f"{self.rest_seconds} s rest between sets")
        if self.tempo:
            parts.append(f"tempo {self.tempo}")
        return parts

    @property
    def load_text(self) -> str:
        return format_kg(self.target_load_kg) if self.target_load_kg is not None else ""


class CoachNote(models.Model):
    """A dated note a coach adds to a client's record; kept, never edited."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note #{self.pk} on client #{self.client_id}"

    def get_additional_data(self) -> dict[str, int | None]:
        """The audit trail files this entry under its client."""
        return {"client_id": self.client_id}


class StateChange(models.Model):
    """A client paused, discharged or made active again: paused days leave adherence alone."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="state_changes")
    state = models.CharField(max_length=12, choices=Client.Status.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_on = models.DateField(help_text="The client-day of the change.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"Client #{self.client_id}: {self.state} on {self.changed_on}"

    def get_additional_data(self) -> dict[str, Any]:
        """The audit trail files this entry under its client."""
        return {"client_id": self.client_id}
