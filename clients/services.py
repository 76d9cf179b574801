"""Writes for a client's program. Each write is one transaction.

Views and the admin call these; they never write models directly. Reads are in
`clients.selectors`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from clients.models import (
    CONSENT_VERSION,
    Client,
    CoachNote,
    Prescription,
    SessionRevision,
    StageAssignment,
    TechniqueSignoff,
    TrainingSession,
)
from clients.progression import Evaluation, Status
from clients.selectors import Program, evaluate_sessions, load_program
from clients.tasks import alert_coach_of_flare
from exercises.models import Stage

CORRECTABLE_FIELDS = [
    "performed_on",
    "sets",
    "reps",
    "seconds",
    "load_kg",
    "pain_before",
    "pain_during",
    "pain_after",
    "felt_hips",
    "felt_hamstrings",
    "felt_lower_back",
    "felt_elsewhere",
    "effort",
    "notes",
]


class ProgramError(Exception):
    """A rule of the program refused the action; the message is for people."""


@transaction.atomic
def create_client(
    *,
    user: Any,
    coach: Any,
    stage: Stage,
    by: Any,
    reason: str = "Starting stage",
    consented_at: datetime | None = None,
    notes: str = "",
) -> Client:
    """Make a user a client of a coach and start them on a stage."""
    client = Client.objects.create(
        user=user,
        coach=coach,
        progression_id=stage.progression_id,
        coach_notes=notes,
        consented_at=consented_at,
        consent_version=CONSENT_VERSION if consented_at else "",
    )
    _assign(
        client, stage=stage, from_stage=None, kind=StageAssignment.Kind.START, by=by, reason=reason
    )
    return client


def _assign(
    client: Client,
    *,
    stage: Stage,
    from_stage: Stage | None,
    kind: str,
    by: Any,
    reason: str,
) -> StageAssignment:
    return StageAssignment.objects.create(
        client=client, stage=stage, from_stage=from_stage, kind=kind, assigned_by=by, reason=reason
    )


def _locked_program(client: Client) -> Program:
    # Lock the client row so two coaches acting at once are applied one after the other.
    locked = Client.objects.select_for_update().get(pk=client.pk)
    return load_program(locked)


@transaction.atomic
def advance_stage(*, client: Client, by: Any, reason: str = "") -> StageAssignment:
    """Move a READY client to the next stage."""
    program = _locked_program(client)
    if program.next_stage is None:
        raise ProgramError("This client is already on the final stage.")
    if program.evaluation.status is not Status.READY:
        raise ProgramError("Not ready to progress: " + "; ".join(program.evaluation.reasons) + ".")
    return _assign(
        program.client,
        stage=program.next_stage,
        from_stage=program.stage,
        kind=StageAssignment.Kind.ADVANCE,
        by=by,
        reason=reason.strip() or "; ".join(program.evaluation.reasons),
    )


@transaction.atomic
def regress_stage(*, client: Client, by: Any, reason: str = "") -> StageAssignment:
    """Move a client back one stage."""
    program = _locked_program(client)
    if program.previous_stage is None:
        raise ProgramError("This client is already on the first stage.")
    default = (
        "Flare-up: " + program.evaluation.first_reason
        if program.evaluation.status is Status.FLARE
        else "Regressed by the coach"
    )
    return _assign(
        program.client,
        stage=program.previous_stage,
        from_stage=program.stage,
        kind=StageAssignment.Kind.REGRESS,
        by=by,
        reason=reason.strip() or default,
    )


@transaction.atomic
def override_stage(*, client: Client, stage: Stage, by: Any, reason: str) -> StageAssignment:
    """Move a client to any stage of their progression; a written reason is required."""
    if not reason.strip():
        raise ProgramError("Give a reason for moving the client outside the gate.")
    program = _locked_program(client)
    if stage.progression_id != program.client.progression_id:
        raise ProgramError("That stage is not part of this client's progression.")
    if stage.pk == program.stage.pk:
        raise ProgramError("The client is already on that stage.")
    return _assign(
        program.client,
        stage=stage,
        from_stage=program.stage,
        kind=StageAssignment.Kind.OVERRIDE,
        by=by,
        reason=reason.strip(),
    )


@transaction.atomic
def sign_off_technique(*, client: Client, by: Any, note: str = "") -> TechniqueSignoff:
    """Record that the client's technique at their current stage is mastered."""
    program = _locked_program(client)
    signoff, created = TechniqueSignoff.objects.get_or_create(
        client=program.client, stage=program.stage, defaults={"coach": by, "note": note.strip()}
    )
    if not created:
        raise ProgramError(f"Technique at {program.stage.exercise.name} is already signed off.")
    return signoff


@transaction.atomic
def set_prescription(
    *,
    client: Client,
    stage: Stage,
    sets: int,
    reps: int | None,
    seconds: int | None,
    target_load_kg: Decimal | None,
) -> Prescription:
    prescription, _ = Prescription.objects.update_or_create(
        client=client,
        stage=stage,
        defaults={"sets": sets, "reps": reps, "seconds": seconds, "target_load_kg": target_load_kg},
    )
    return prescription


@transaction.atomic
def log_session(*, program: Program, values: dict[str, Any]) -> tuple[TrainingSession, Evaluation]:
    """Record a session at the client's current stage and re-run the gate."""
    session = TrainingSession.objects.create(client=program.client, stage=program.stage, **values)
    evaluation = evaluate_sessions(
        stage=program.stage,
        next_stage=program.next_stage,
        entered_at=program.assignment.assigned_at,
        sessions=[*program.sessions, session],
        signed_off=program.signed_off,
    )
    _alert_if_newly_flaring(program.client, before=program.evaluation, after=evaluation)
    program.sessions.append(session)
    program.evaluation = evaluation
    return session, evaluation


def _alert_if_newly_flaring(client: Client, *, before: Evaluation, after: Evaluation) -> None:
    if after.status is Status.FLARE and before.status is not Status.FLARE:
        reasons = [r for r in after.reasons if not r.startswith("suggested")]
        transaction.on_commit(lambda: alert_coach_of_flare.enqueue(client.pk, reasons))


@transaction.atomic
def answer_check_in(*, client: Client, session_id: int, pain: int) -> TrainingSession:
    """Record the next-morning pain for one of the client's own sessions, once."""
    today = timezone.localdate()
    session = (
        TrainingSession.objects.select_for_update().filter(client=client, pk=session_id).first()
    )
    if session is None:
        raise ProgramError("We could not find that session among yours.")
    if session.next_day_pain is not None:
        raise ProgramError("You have already answered the check-in for that session.")
    if session.performed_on >= today:
        raise ProgramError("The check-in opens the morning after your session.")
    program = load_program(client)
    session.next_day_pain = pain
    session.next_day_answered_at = timezone.now()
    session.save(update_fields=["next_day_pain", "next_day_answered_at"])
    if session.stage_id == program.stage.pk:
        sessions = [session if s.pk == session.pk else s for s in program.sessions]
        after = evaluate_sessions(
            stage=program.stage,
            next_stage=program.next_stage,
            entered_at=program.assignment.assigned_at,
            sessions=sessions,
            signed_off=program.signed_off,
        )
        _alert_if_newly_flaring(client, before=program.evaluation, after=after)
    return session


@transaction.atomic
def correct_session(*, session: TrainingSession, values: dict[str, Any]) -> TrainingSession:
    """Change a session on the day it was logged, keeping the earlier values."""
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if timezone.localdate(locked.logged_at) != timezone.localdate():
        raise ProgramError("A session can only be corrected on the day it was logged.")
    previous = {name: _jsonable(getattr(locked, name)) for name in CORRECTABLE_FIELDS}
    SessionRevision.objects.create(session=locked, previous_values=previous)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    return locked


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | Decimal):
        return str(value)
    return value


@transaction.atomic
def record_consent(*, client: Client) -> Client:
    client.consented_at = timezone.now()
    client.consent_version = CONSENT_VERSION
    client.save(update_fields=["consented_at", "consent_version"])
    return client


@transaction.atomic
def add_coach_note(*, client: Client, by: Any, text: str) -> CoachNote:
    return CoachNote.objects.create(client=client, author=by, text=text)


@transaction.atomic
def reassign(*, client: Client, coach: Any, by: Any) -> Client:
    """Hand a client to another coach, noting who did it in the client's record."""
    locked = Client.objects.select_for_update().get(pk=client.pk)
    previous = locked.coach
    locked.coach = coach
    locked.save(update_fields=["coach"])
    CoachNote.objects.create(
        client=locked,
        author=by,
        text=f"Reassigned from {previous.display_name} to {coach.display_name}.",
    )
    client.coach = coach
    return locked
