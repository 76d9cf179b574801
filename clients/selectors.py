"""Reads for a client's program: where they stand, what is due, their history.

Everything the gate decided is read as stored (clients.gate writes it); no page
runs the gate. Writes are in `clients.services`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from clients.models import (
    AssessmentSummary,
    Client,
    Prescription,
    StageAssignment,
    TechniqueSignoff,
    TrainingSession,
)
from clients.progression import Reason, Status, Suggestion, check_in_window
from clients.reasons import STATUS_LABELS, STATUS_WORDS, SUGGESTION_WORDS, words
from exercises.models import Stage, stage_neighbours


@dataclass
class Gate:
    """A client's stored gate state, in words true today."""

    status: Status
    reasons: list[str]
    green_days: int
    green_days_needed: int
    suggestion: str
    since: datetime | None
    codes: list[Reason]

    @property
    def words(self) -> str:
        return STATUS_WORDS[self.status]

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def first_reason(self) -> str:
        return self.reasons[0] if self.reasons else ""

    def has(self, code: str) -> bool:
        return any(r.code == code for r in self.codes)


def gate_of(client: Client, today: date | None = None) -> Gate:
    """The stored state of a client's gate, worded for today."""
    today = today or client.today()
    codes = [Reason.from_json(r) for r in client.gate_reasons]
    suggestion = client.gate_suggestion
    return Gate(
        status=Status(client.gate_status),
        reasons=[words(r, today) for r in codes],
        green_days=client.gate_green_days,
        green_days_needed=client.gate_green_days_needed,
        suggestion=SUGGESTION_WORDS[Suggestion(suggestion)] if suggestion else "",
        since=client.gate_since,
        codes=codes,
    )


@dataclass
class Program:
    """Where a client stands: the stage, its neighbours, the prescription and the gate."""

    client: Client
    stages: list[Stage]
    stage: Stage
    next_stage: Stage | None
    previous_stage: Stage | None
    prescription: Prescription | None
    signoff: TechniqueSignoff | None
    gate: Gate
    today: date

    @property
    def signed_off(self) -> bool:
        return self.signoff is not None

    @property
    def stage_count(self) -> int:
        return len(self.stages)

    @property
    def prescription_text(self) -> str:
        return self.prescription.text if self.prescription else self.stage.prescription

    @property
    def is_loaded(self) -> bool:
        return self.stage.exercise.is_loaded


def load_program(client: Client) -> Program:
    """Three queries, whatever the history length."""
    avoided = AssessmentSummary.avoid_stages.through.objects.filter(
        assessmentsummary__client_id=client.pk, stage_id=OuterRef("pk")
    )
    stages = list(
        Stage.objects.in_order()
        .filter(progression_id=client.progression_id)
        .annotate(avoided=Exists(avoided))
    )
    assert client.stage_id is not None
    stage, previous, following = stage_neighbours(stages, client.stage_id)
    prescription = Prescription.objects.current(client, stage)
    signoff = client.signoffs.filter(stage=stage, undone_at__isnull=True).first()
    return Program(
        client=client,
        stages=stages,
        stage=stage,
        next_stage=following,
        previous_stage=previous,
        prescription=prescription,
        signoff=signoff,
        gate=gate_of(client),
        today=client.today(),
    )


@dataclass(frozen=True)
class CheckInDue:
    """The check-in the client can answer now: the day it is for, and that day's exercise."""

    training_day: date
    exercise: str


def check_in_due(client: Client) -> CheckInDue | None:
    """Yesterday's sessions still waiting for this morning's one-tap answer.

    The window is 04:00 to midnight in the zone each session was logged in: the
    card shows only while it is open, as the service accepts an answer only then.
    """
    yesterday = client.today() - timedelta(days=1)
    session = (
        TrainingSession.objects.filter(
            client=client, performed_on=yesterday, next_day_pain__isnull=True
        )
        .select_related("stage__exercise")
        .only("performed_on", "time_zone", "stage__exercise__name")
        .first()
    )
    if session is None:
        return None
    opens, closes = check_in_window(yesterday, session.time_zone or client.zone)
    if not opens <= timezone.now() < closes:
        return None
    return CheckInDue(training_day=yesterday, exercise=session.stage.exercise.name)


NOTICE_DAYS = 14


def stage_notice(client: Client) -> StageAssignment | None:
    """The coach's latest stage change, with its reason, until the client has seen it."""
    latest: StageAssignment | None = (
        StageAssignment.objects.filter(client=client)
        .exclude(kind=StageAssignment.Kind.START)
        .select_related("stage__exercise", "from_stage__exercise", "assigned_by")
        .first()
    )
    if latest is None or latest.pk == client.seen_assignment_id:
        return None
    if latest.entered_on and latest.entered_on < client.today() - timedelta(days=NOTICE_DAYS):
        return None
    return latest


def session_history(client: Client) -> QuerySet[TrainingSession]:
    """Every session the client has logged, newest first, with its stage's exercise."""
    return TrainingSession.objects.filter(client=client).select_related("stage__exercise")


def stage_entries(client: Client) -> dict[int, datetime]:
    """When the client first entered each stage."""
    entered: dict[int, datetime] = {}
    for stage_id, at in (
        StageAssignment.objects.filter(client=client)
        .order_by("assigned_at", "id")
        .values_list("stage_id", "assigned_at")
    ):
        entered.setdefault(stage_id, at)
    return entered


def sheet_context(client: Client) -> dict[str, object]:
    """What the printable stage sheet shows: the exercise, its cues, the plan, the pain rule."""
    program = load_program(client)
    return {
        "client": client,
        "program": program,
        "stage": program.stage,
        "prescription": program.prescription,
        "log_rows": range(10),
    }


@dataclass(frozen=True)
class Findings:
    """What the free assessment found, as the client record keeps it."""

    summary: AssessmentSummary
    avoid: list[Stage]


def assessment_findings(client: Client, stages: list[Stage]) -> Findings | None:
    """The client's assessment summary and the stages on its avoid list: no query.

    The summary comes with the client (select_related "assessment_summary") and the
    stages from load_program, each marked `avoided`.
    """
    try:
        summary = client.assessment_summary
    except AssessmentSummary.DoesNotExist:
        return None
    return Findings(summary=summary, avoid=[s for s in stages if getattr(s, "avoided", False)])
