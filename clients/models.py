from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clients.progression import SessionFacts
from exercises.models import Progression, Stage, volume_text

CONSENT_VERSION = "2026-11"
CONSENT_TEXT = (
    "I agree that the studio may store the health information I give it (pain scores, "
    "where I feel the work, notes about my back) to guide my program. Only my coach and "
    "the studio's staff can see it, and I can ask for it to be deleted at any time."
)

FACT_FIELDS = [
    "id",
    "stage_id",
    "performed_on",
    "logged_at",
    "pain_before",
    "pain_during",
    "pain_after",
    "felt_lower_back",
    "next_day_pain",
]


def reps_or_seconds(name: str) -> models.CheckConstraint:
    """A volume is reps per set or seconds per set, never both, never neither."""
    return models.CheckConstraint(
        condition=(Q(reps__gte=1) & Q(seconds__isnull=True))
        | (Q(reps__isnull=True) & Q(seconds__gte=1)),
        name=name,
    )


PAIN_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]


def sees_all_clients(user: Any) -> bool:
    """Studio admins and head coaches see every coach's clients."""
    profile = getattr(user, "coach_profile", None)
    return bool(user.is_superuser or (profile is not None and profile.is_head_coach))


class ClientQuerySet(models.QuerySet["Client"]):
    def for_coach(self, user: Any) -> ClientQuerySet:
        """The clients a coach may see: their own, or everyone's for a head coach."""
        return self if sees_all_clients(user) else self.filter(coach=user)

    def with_current_stage(self) -> ClientQuerySet:
        """Annotate the latest stage assignment: stage id, when, and the sign-off there."""
        latest = _latest_assignment("pk")
        return self.annotate(
            current_stage_id=models.Subquery(latest.values("stage_id")[:1]),
            current_since=models.Subquery(latest.values("assigned_at")[:1]),
        ).annotate(
            current_signed_off=models.Exists(
                TechniqueSignoff.objects.filter(
                    client=models.OuterRef("pk"), stage_id=models.OuterRef("current_stage_id")
                )
            )
        )

    def with_activity(self, *, since: Any) -> ClientQuerySet:
        """Last session date and the number of sessions since a date."""
        return self.annotate(
            last_session_on=models.Max("sessions__performed_on"),
            recent_sessions=models.Count("sessions", filter=Q(sessions__performed_on__gte=since)),
        )


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

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["user__first_name", "user__last_name"]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def name(self) -> str:
        return self.user.display_name


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError(f"{self.model.__name__} rows are history: they are never updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(f"{self.model.__name__} rows are history: they are never deleted.")


class StageAssignment(models.Model):
    """One move of a client onto a stage. Append-only: the latest row is the current stage."""

    class Kind(models.TextChoices):
        START = "start", "Started"
        ADVANCE = "advance", "Advanced"
        REGRESS = "regress", "Regressed"
        OVERRIDE = "override", "Moved"

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
    reason = models.TextField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-assigned_at", "-id"]
        get_latest_by = ["assigned_at", "id"]
        indexes = [models.Index(fields=["client", "-assigned_at", "-id"])]

    def __str__(self) -> str:
        return f"{self.client} → {self.stage} ({self.get_kind_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Stage assignments are history: they are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Stage assignments are history: they are never deleted.")


class FeltIn(models.TextChoices):
    HIPS = "hips", "Hips and glutes"
    HAMSTRINGS = "hamstrings", "Hamstrings"
    LOWER_BACK = "lower_back", "Lower back"
    ELSEWHERE = "elsewhere", "Somewhere else"


def _latest_assignment(client_ref: str) -> models.QuerySet[StageAssignment]:
    """The outer row's client's assignments, newest first: [:1] is the current stage."""
    return StageAssignment.objects.filter(client=models.OuterRef(client_ref)).order_by(
        "-assigned_at", "-id"
    )


class TrainingSessionQuerySet(models.QuerySet["TrainingSession"]):
    def at_stage_since(self, client: Client, stage_id: int, since: Any) -> TrainingSessionQuerySet:
        return self.filter(client=client, stage_id=stage_id, logged_at__gte=since)

    def at_current_stage(self, clients: Any) -> TrainingSessionQuerySet:
        """Sessions that count for each client's gate: at their current stage, since entering."""
        latest = _latest_assignment("client_id")
        return (
            self.filter(client__in=clients)
            .annotate(
                current_stage_id=models.Subquery(latest.values("stage_id")[:1]),
                current_since=models.Subquery(latest.values("assigned_at")[:1]),
            )
            .filter(stage_id=models.F("current_stage_id"), logged_at__gte=models.F("current_since"))
        )

    def latest_per_client(self, clients: Any, count: int) -> TrainingSessionQuerySet:
        """Each client's last `count` sessions, in one query (a window function)."""
        from django.db.models.functions import RowNumber

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
    felt_lower_back = models.BooleanField(default=False)
    felt_elsewhere = models.BooleanField(default=False)
    effort = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    notes = models.TextField(blank=True)
    next_day_pain = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=PAIN_VALIDATORS
    )
    next_day_answered_at = models.DateTimeField(null=True, blank=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-performed_on", "-logged_at", "-id"]
        indexes = [models.Index(fields=["client", "stage", "logged_at"])]
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
        return f"{self.client} on {self.performed_on}"

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

    def facts(self) -> SessionFacts:
        return SessionFacts(
            id=self.pk,
            stage_id=self.stage_id,
            performed_on=self.performed_on,
            logged_at=self.logged_at,
            pain_before=self.pain_before,
            pain_during=self.pain_during,
            pain_after=self.pain_after,
            felt_in_lower_back=self.felt_lower_back,
            next_day_pain=self.next_day_pain,
        )


class SessionRevision(models.Model):
    """The values a session had before a same-day correction: nothing is lost."""

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="revisions")
    revised_at = models.DateTimeField(default=timezone.now)
    previous_values = models.JSONField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-revised_at", "-id"]

    def __str__(self) -> str:
        return f"Correction of {self.session} at {self.revised_at:%Y-%m-%d %H:%M}"


class TechniqueSignoff(models.Model):
    """A coach's word that a client's technique at a stage is mastered."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="signoffs")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["client", "stage"], name="signoff_once_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.stage} signed off"


class Prescription(models.Model):
    """A client's own sets, reps or seconds and target load at a stage."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="prescriptions")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    sets = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    target_load_kg = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "stage"], name="prescription_once_per_stage"),
            models.CheckConstraint(condition=Q(sets__gte=1), name="prescription_sets_positive"),
            reps_or_seconds("prescription_reps_or_seconds"),
            models.CheckConstraint(
                condition=Q(target_load_kg__isnull=True) | Q(target_load_kg__gte=Decimal("0")),
                name="prescription_load_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.text}"

    @property
    def text(self) -> str:
        return volume_text(self.sets, self.reps, self.seconds, self.target_load_kg)


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
        return f"Note on {self.client} by {self.author}"
