"""Client records: who the client is, their stage history, consent and the coach's records."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clients.progression import Light
from clients.progression import Status as GateStatus
from exercises.models import Progression, Stage

if TYPE_CHECKING:
    from coaching.accounts.models import User

CONSENT_VERSION = "2026-11"
CONSENT_TEXT = (
    "I agree that the studio may store the health information I give it (pain scores, "
    "where I feel the work, notes about my back) to guide my program. Only my coach and "
    "the studio's staff can see it, and I can ask for it to be deleted at any time."
)


def reps_or_seconds(name: str) -> models.CheckConstraint:
    """A volume is reps per set or seconds per set, never both, never neither."""
    return models.CheckConstraint(
        condition=(Q(reps__gte=1) & Q(seconds__isnull=True))
        | (Q(reps__isnull=True) & Q(seconds__gte=1)),
        name=name,
    )


PAIN_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]
GATE_STATUSES = [(s.value, s.value.capitalize()) for s in GateStatus]
DECIDED_LIGHTS = [
    (light.value, light.value.capitalize()) for light in Light if light != Light.PENDING
]


def sees_all_clients(user: User) -> bool:
    """Studio admins and head coaches see every coach's clients."""
    profile = getattr(user, "coach_profile", None)
    return bool(user.is_superuser or (profile is not None and profile.is_head_coach))


class ClientQuerySet(models.QuerySet["Client"]):
    def for_coach(self, user: User) -> ClientQuerySet:
        """The clients a coach may see: their own, or everyone's for a head coach."""
        return self if sees_all_clients(user) else self.filter(coach=user)


class Client(models.Model):
    """A person on a program: their coach, progression and consent."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        DISCHARGED = "discharged", "Discharged"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="client_profile"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coached_clients"
    )
    progression = models.ForeignKey(Progression, on_delete=models.PROTECT)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField(default=timezone.localdate)
    coach_notes = models.TextField(blank=True, help_text="Only coaches see these.")
    consented_at = models.DateTimeField(null=True, blank=True)
    consent_version = models.CharField(max_length=20, blank=True)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        help_text="The client's IANA time zone; blank until their browser first tells us.",
    )

    # Stored state, recomputed inside the transaction of every write that can change it
    # (clients.gate): pages read it and never run the gate themselves.
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stage_entered_on = models.DateField(null=True, blank=True)
    last_session_on = models.DateField(null=True, blank=True)
    gate_status = models.CharField(max_length=5, choices=GATE_STATUSES, default=GateStatus.HOLD)
    gate_reasons = models.JSONField(default=list, blank=True)
    gate_suggestion = models.CharField(max_length=10, blank=True)
    gate_green_days = models.PositiveSmallIntegerField(default=0)
    gate_green_days_needed = models.PositiveSmallIntegerField(default=3)
    gate_since = models.DateTimeField(null=True, blank=True)
    gate_computed_on = models.DateField(null=True, blank=True)
    flare_episode_since = models.DateTimeField(
        null=True, blank=True, help_text="When the current flare-up episode began (coach alerted)."
    )
    flare_left_on = models.DateField(
        null=True, blank=True, help_text="The client-day the status last left FLARE."
    )
    seen_assignment = models.ForeignKey(
        "StageAssignment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notified_assignment = models.ForeignKey(
        "StageAssignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The last stage change the client was emailed about (after the undo window).",
    )
    nudged_on = models.DateField(null=True, blank=True)

    # Adherence: days with a session against the days the prescription asks for, stored
    # by tick and on each log (clients.adherence), so the dashboard reads it for free.
    adherence_week = models.PositiveSmallIntegerField(null=True, blank=True)
    adherence_month = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days 8-30 before today."
    )
    needs_attention = models.BooleanField(default=False)
    adherence_basis = models.JSONField(default=dict, blank=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["user__first_name", "user__last_name"]
        indexes = [models.Index(fields=["coach", "status", "gate_status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(gate_status__in=[s.value for s in GateStatus]),
                name="client_gate_status",
            )
        ]

    def __str__(self) -> str:
        return self.user.display_name

    def get_additional_data(self) -> dict[str, int | None]:
        """The audit trail files this entry under its client."""
        return {"client_id": self.pk}

    @property
    def name(self) -> str:
        return self.user.display_name

    @property
    def zone(self) -> str:
        """The client's time zone, or the studio's until theirs is known."""
        return self.time_zone or settings.TIME_ZONE

    def today(self) -> date:
        """The client-day it is now, in their own time zone."""
        return timezone.localdate(timezone=ZoneInfo(self.zone))


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError(f"{self.model.__name__} rows are history: they are never updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(f"{self.model.__name__} rows are history: they are never deleted.")

    def erase(self) -> tuple[int, dict[str, int]]:
        """The one exception to "kept for ever": erasing a person (coaching.privacy)."""
        return super().delete()


class StageAssignment(models.Model):
    """One move of a client onto a stage. Append-only: the latest row is the current stage."""

    class Kind(models.TextChoices):
        START = "start", "Started"
        ADVANCE = "advance", "Advanced"
        REGRESS = "regress", "Regressed"
        OVERRIDE = "override", "Moved"
        UNDO = "undo", "Undone"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="assignments")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    from_stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    entered_on = models.DateField(
        null=True, blank=True, help_text="The client-day of the move, in the client's zone then."
    )
    reason = models.TextField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-assigned_at", "-id"]
        get_latest_by = ["assigned_at", "id"]
        indexes = [models.Index(fields=["client", "-assigned_at", "-id"])]

    def __str__(self) -> str:
        return f"Client #{self.client_id}: {self.get_kind_display()} to stage #{self.stage_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Stage assignments are history: they are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Stage assignments are history: they are never deleted.")

    def get_additional_data(self) -> dict[str, int | None]:
        """The audit trail files this entry under its client."""
        return {"client_id": self.client_id}


class EmergencyReport(models.Model):
    """A client tapped the emergency line: their coach is told at once."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="emergencies")
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"Client #{self.client_id}: emergency signs at {self.reported_at:%Y-%m-%d %H:%M}"

    def get_additional_data(self) -> dict[str, int | None]:
        """The audit trail files this entry under its client."""
        return {"client_id": self.client_id}


class ConsentRecord(models.Model):
    """A client's agreement to a wording of the consent text: which wording, and when."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="consents")
    version = models.CharField(max_length=20)
    text = models.TextField()
    given_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-id"]

    def __str__(self) -> str:
        return f"Client #{self.client_id}: consent {self.version} at {self.given_at:%Y-%m-%d %H:%M}"

    def get_additional_data(self) -> dict[str, int | None]:
        """The audit trail files this entry under its client."""
        return {"client_id": self.client_id}
