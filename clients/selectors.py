"""Reads for a client's program: where they stand, what is due, every client's summary.

Views and the admin read through these; writes are in `clients.services`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from clients.charts import sparkline_points
from clients.models import (
    FACT_FIELDS,
    Client,
    Prescription,
    StageAssignment,
    TechniqueSignoff,
    TrainingSession,
)
from clients.progression import (
    Evaluation,
    Light,
    NextStage,
    SessionFacts,
    Status,
    Thresholds,
    evaluate,
    history_lights,
)
from exercises.models import Stage, stage_neighbours


@dataclass
class Program:
    """Where a client stands: the current stage, its sessions and the gate's verdict."""

    client: Client
    assignment: StageAssignment
    stages: list[Stage]
    stage: Stage
    next_stage: Stage | None
    previous_stage: Stage | None
    sessions: list[TrainingSession]
    signed_off: bool
    prescription: Prescription | None
    evaluation: Evaluation

    @property
    def stage_count(self) -> int:
        return len(self.stages)

    @property
    def prescription_text(self) -> str:
        return self.prescription.text if self.prescription else self.stage.prescription

    @property
    def is_loaded(self) -> bool:
        return self.stage.exercise.is_loaded


def thresholds_of(stage: Stage) -> Thresholds:
    return Thresholds(
        green_sessions_needed=stage.green_sessions_needed,
        green_max_pain=stage.green_max_pain,
        amber_max_pain=stage.amber_max_pain,
    )


def evaluate_sessions(
    *,
    stage: Stage,
    next_stage: Stage | None,
    entered_at: datetime,
    sessions: list[TrainingSession],
    signed_off: bool,
    today: date | None = None,
) -> Evaluation:
    return evaluate(
        stage_id=stage.pk,
        entered_at=entered_at,
        sessions=[s.facts() for s in sessions],
        thresholds=thresholds_of(stage),
        today=today or timezone.localdate(),
        current_exercise=stage.exercise.name,
        next_stage=(
            NextStage(next_stage.exercise.name, next_stage.technique_signoff_required)
            if next_stage
            else None
        ),
        technique_signed_off=signed_off,
    )


def load_program(client: Client, *, today: date | None = None) -> Program:
    """Four queries, whatever the history length."""
    assignment = (
        StageAssignment.objects.filter(client=client)
        .annotate(
            signed_off=Exists(
                TechniqueSignoff.objects.filter(client=client, stage_id=OuterRef("stage_id"))
            )
        )
        .latest()
    )
    stages = list(Stage.objects.in_order().filter(progression_id=client.progression_id))
    stage, previous, following = stage_neighbours(stages, assignment.stage_id)
    sessions = list(
        TrainingSession.objects.at_stage_since(client, stage.pk, assignment.assigned_at)
    )
    prescription = Prescription.objects.filter(client=client, stage=stage).first()
    evaluation = evaluate_sessions(
        stage=stage,
        next_stage=following,
        entered_at=assignment.assigned_at,
        sessions=sessions,
        signed_off=assignment.signed_off,
        today=today,
    )
    return Program(
        client=client,
        assignment=assignment,
        stages=stages,
        stage=stage,
        next_stage=following,
        previous_stage=previous,
        sessions=sessions,
        signed_off=assignment.signed_off,
        prescription=prescription,
        evaluation=evaluation,
    )


def check_in_due(client: Client, *, today: date | None = None) -> TrainingSession | None:
    """The most recent session before today still waiting for its next-morning answer."""
    today = today or timezone.localdate()
    return (
        TrainingSession.objects.filter(
            client=client, next_day_pain__isnull=True, performed_on__lt=today
        )
        .select_related("stage__exercise")
        .first()
    )


def session_history(client: Client) -> list[SessionFacts]:
    """Every session the client has logged, oldest first, as the gate sees them."""
    rows = (
        TrainingSession.objects.filter(client=client)
        .only(*FACT_FIELDS)
        .order_by("performed_on", "logged_at", "id")
    )
    return [s.facts() for s in rows]


def session_lights(history: list[SessionFacts], stages: list[Stage]) -> dict[int, Light]:
    """The light of every session in a history, each judged at its own stage's thresholds."""
    return history_lights(history, {s.pk: thresholds_of(s) for s in stages})


SPARKLINE_SESSIONS = 10
QUIET_DAYS = 7


@dataclass
class ClientSummary:
    """One dashboard row: where a client stands and how active they are."""

    client: Client
    stage: Stage
    stage_count: int
    evaluation: Evaluation
    last_session_on: date | None
    recent_sessions: int
    recent_pain: list[int]
    today: date

    @property
    def status(self) -> Status:
        return self.evaluation.status

    @property
    def days_quiet(self) -> int | None:
        if self.last_session_on is None:
            return None
        return (self.today - self.last_session_on).days

    @property
    def sparkline(self) -> str:
        return sparkline_points(self.recent_pain)

    @property
    def is_quiet(self) -> bool:
        quiet = self.days_quiet
        return quiet is None or quiet >= QUIET_DAYS


def summarize_clients(clients: Any, *, today: date | None = None) -> list[ClientSummary]:
    """Every client's gate status and activity in four queries, whatever their history."""
    today = today or timezone.localdate()
    rows = list(
        clients.select_related("user")
        .with_current_stage()
        .with_activity(since=today - timedelta(days=QUIET_DAYS - 1))
    )
    ids = [c.pk for c in rows]
    stages = list(Stage.objects.in_order())
    by_progression: dict[int, list[Stage]] = {}
    for stage in stages:
        by_progression.setdefault(stage.progression_id, []).append(stage)
    gate_sessions: dict[int, list[TrainingSession]] = {}
    for session in TrainingSession.objects.at_current_stage(ids).only(*FACT_FIELDS, "client_id"):
        gate_sessions.setdefault(session.client_id, []).append(session)
    pain: dict[int, list[tuple[date, datetime, int]]] = {}
    for client_id, performed_on, logged_at, during in TrainingSession.objects.latest_per_client(
        ids, SPARKLINE_SESSIONS
    ).values_list("client_id", "performed_on", "logged_at", "pain_during"):
        pain.setdefault(client_id, []).append((performed_on, logged_at, during))
    summaries = []
    for client in rows:
        progression = by_progression[client.progression_id]
        stage, _, following = stage_neighbours(progression, client.current_stage_id)
        evaluation = evaluate_sessions(
            stage=stage,
            next_stage=following,
            entered_at=client.current_since,
            sessions=gate_sessions.get(client.pk, []),
            signed_off=client.current_signed_off,
            today=today,
        )
        summaries.append(
            ClientSummary(
                client=client,
                stage=stage,
                stage_count=len(progression),
                evaluation=evaluation,
                last_session_on=client.last_session_on,
                recent_sessions=client.recent_sessions,
                recent_pain=[during for *_, during in sorted(pain.get(client.pk, []))],
                today=today,
            )
        )
    return summaries
