"""Writes to a client's program by their coach: stage changes, sign-offs, prescriptions,
notes, hand-overs and pauses. Each is one transaction, with the client row locked
and the gate recomputed before it ends.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clients import gate
from clients.adherence.services import refresh_adherence
from clients.models import (
    CONSENT_TEXT,
    CONSENT_VERSION,
    DEFAULT_SESSIONS_PER_WEEK,
    Client,
    CoachNote,
    ConsentRecord,
    Prescription,
    StageAssignment,
    StateChange,
    TechniqueSignoff,
)
from clients.progression import Reason, Status
from clients.reasons import words
from clients.services import ProgramError
from exercises.models import Stage, stage_neighbours

if TYPE_CHECKING:
    from coaching.accounts.models import User

# --- Stage changes ---------------------------------------------------------------


def _assign(
    locked: gate.Locked,
    *,
    stage: Stage,
    from_stage: Stage | None,
    kind: str,
    by: User,
    reason: str,
    now: datetime,
    entered_on: date | None = None,
) -> StageAssignment:
    """Move a locked client onto a stage and recompute their gate there.

    The client hears of it (on /me/ and by email) once the coach's undo window has
    passed: `manage.py tick` tells them, and never of a change that was undone.
    """
    client = locked.client
    entered_on = entered_on or gate.local_day(now, client.zone)
    assignment = StageAssignment.objects.create(
        client=client,
        stage=stage,
        from_stage=from_stage,
        kind=kind,
        assigned_by=by,
        assigned_at=now,
        entered_on=entered_on,
        reason=reason,
    )
    client.stage, client.stage_entered_on = stage, entered_on
    Client.objects.filter(pk=client.pk).update(stage=stage, stage_entered_on=entered_on)
    locked.load_stages()
    gate.refresh(locked, now=now)
    return assignment


@transaction.atomic
def create_client(
    *,
    user: User,
    coach: User,
    stage: Stage,
    by: User,
    reason: str = "Starting stage",
    consented_at: datetime | None = None,
    notes: str = "",
    time_zone: str = "",
) -> Client:
    """Make a user a client of a coach and start them on a stage."""
    now = timezone.now()
    client = Client.objects.create(
        user=user,
        coach=coach,
        progression_id=stage.progression_id,
        coach_notes=notes,
        consented_at=consented_at,
        consent_version=CONSENT_VERSION if consented_at else "",
        time_zone=time_zone,
        stage=stage,
        stage_entered_on=gate.local_day(now, time_zone or settings.TIME_ZONE),
    )
    if consented_at:
        ConsentRecord.objects.create(
            client=client, version=CONSENT_VERSION, text=CONSENT_TEXT, given_at=consented_at
        )
    locked = gate.lock(client.pk)
    _assign(
        locked,
        stage=stage,
        from_stage=None,
        kind=StageAssignment.Kind.START,
        by=by,
        reason=reason,
        now=now,
    )
    return locked.client


def _reasons_text(client: Client) -> str:
    today = client.today()
    return "; ".join(words(Reason.from_json(r), today) for r in client.gate_reasons)


@transaction.atomic
def advance_stage(*, client: Client, by: User, reason: str = "") -> StageAssignment:
    """Move a READY client to the next stage, after re-running the gate under the lock."""
    locked = gate.lock(client.pk)
    following = locked.next_stage
    if following is None:
        raise ProgramError("This client is already on the final stage.")
    now = timezone.now()
    gate.refresh(locked, now=now)
    if locked.client.gate_status != Status.READY:
        raise ProgramError(f"Not ready to progress: {_reasons_text(locked.client)}.")
    return _assign(
        locked,
        stage=following,
        from_stage=locked.stage,
        kind=StageAssignment.Kind.ADVANCE,
        by=by,
        reason=reason.strip() or _reasons_text(locked.client),
        now=now,
    )


@transaction.atomic
def regress_stage(*, client: Client, by: User, reason: str = "") -> StageAssignment:
    """Move a client back one stage."""
    locked = gate.lock(client.pk)
    stages = list(
        Stage.objects.filter(progression_id=locked.client.progression_id).order_by("position")
    )
    _, previous, _ = stage_neighbours(stages, locked.stage.pk)
    if previous is None:
        raise ProgramError("This client is already on the first stage.")
    default = (
        f"Flare-up: {_reasons_text(locked.client)}"
        if locked.client.gate_status == Status.FLARE
        else "Regressed by the coach"
    )
    return _assign(
        locked,
        stage=previous,
        from_stage=locked.stage,
        kind=StageAssignment.Kind.REGRESS,
        by=by,
        reason=reason.strip() or default,
        now=timezone.now(),
    )


@transaction.atomic
def override_stage(*, client: Client, stage: Stage, by: User, reason: str) -> StageAssignment:
    """Move a client to any stage of their progression; a written reason is required."""
    if not reason.strip():
        raise ProgramError("Give a reason for moving the client outside the gate.")
    locked = gate.lock(client.pk)
    if stage.progression_id != locked.client.progression_id:
        raise ProgramError("That stage is not part of this client's progression.")
    if locked.stage.pk == stage.pk:
        raise ProgramError("The client is already on that stage.")
    return _assign(
        locked,
        stage=stage,
        from_stage=locked.stage,
        kind=StageAssignment.Kind.OVERRIDE,
        by=by,
        reason=reason.strip(),
        now=timezone.now(),
    )


@transaction.atomic
def sign_off_technique(*, client: Client, by: User, note: str = "") -> TechniqueSignoff:
    """Record that the client's technique at their current stage is mastered."""
    locked = gate.lock(client.pk)
    if locked.signed_off:
        raise ProgramError(f"Technique at {locked.stage.exercise.name} is already signed off.")
    signoff = TechniqueSignoff.objects.create(
        client=locked.client, stage=locked.stage, coach=by, note=note.strip()
    )
    locked.signed_off = True
    gate.refresh(locked)
    return signoff


@transaction.atomic
def set_prescription(
    *,
    client: Client,
    stage: Stage,
    by: User,
    sets: int,
    reps: int | None,
    seconds: int | None,
    target_load_kg: Decimal | None,
    sessions_per_week: int = DEFAULT_SESSIONS_PER_WEEK,
    rest_seconds: int | None = None,
    tempo: str = "",
    notes: str = "",
) -> Prescription:
    """A new version of the client's plan at a stage, in force from now (earlier ones kept)."""
    prescription = Prescription.objects.create(
        client=client,
        stage=stage,
        set_by=by,
        sets=sets,
        reps=reps,
        seconds=seconds,
        target_load_kg=target_load_kg,
        sessions_per_week=sessions_per_week,
        rest_seconds=rest_seconds,
        tempo=tempo.strip(),
        notes=notes.strip(),
    )
    refresh_adherence(client)
    return prescription


@transaction.atomic
def set_client_state(*, client: Client, state: str, by: User) -> Client:
    """Pause, discharge or reactivate a client; the coach's note says who and when."""
    if state not in Client.Status.values:
        raise ProgramError("Choose active, paused or discharged.")
    locked = gate.lock(client.pk)
    now = timezone.now()
    locked.client.status = state
    locked.client.save(update_fields=["status"])
    StateChange.objects.create(
        client=locked.client,
        state=state,
        changed_at=now,
        changed_on=gate.local_day(now, locked.client.zone),
        changed_by=by,
    )
    CoachNote.objects.create(
        client=locked.client, author=by, text=f"Marked {Client.Status(state).label.lower()}."
    )
    gate.refresh(locked, now=now)
    refresh_adherence(locked.client, now=now)
    return locked.client


# --- The coach's records ----------------------------------------------------------


@transaction.atomic
def add_coach_note(*, client: Client, by: User, text: str) -> CoachNote:
    return CoachNote.objects.create(client=client, author=by, text=text)


@transaction.atomic
def reassign(*, client: Client, coach: User, by: User) -> Client:
    """Hand a client to another coach, noting who did it in the client's record."""
    locked = gate.lock(client.pk).client
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


# --- Undo --------------------------------------------------------------------------

UNDO_MINUTES = 10


class UndoError(ProgramError):
    """There is nothing of this coach's to undo any more; the message says why."""


def undoable(
    move: StageAssignment | None,
    signoff: TechniqueSignoff | None,
    *,
    by: User,
    now: datetime,
) -> StageAssignment | TechniqueSignoff | None:
    """Which of the client's latest stage change and sign-off the coach may still undo.

    Only the newer of the two, made by this coach within the last 10 minutes, and
    never an undo or a programme's start.
    """
    since = now - timedelta(minutes=UNDO_MINUTES)
    latest: StageAssignment | TechniqueSignoff | None = move
    newer = signoff is not None and (move is None or signoff.signed_at > move.assigned_at)
    if signoff is not None and signoff.undone_at is None and newer:
        latest = signoff
    if isinstance(latest, StageAssignment):
        undoable = latest.kind not in {StageAssignment.Kind.START, StageAssignment.Kind.UNDO}
        if undoable and latest.assigned_by_id == by.pk and latest.assigned_at >= since:
            return latest
    elif latest is not None and latest.coach_id == by.pk and latest.signed_at >= since:
        return latest
    return None


def undo_deadline(change: StageAssignment | TechniqueSignoff) -> datetime:
    at = change.assigned_at if isinstance(change, StageAssignment) else change.signed_at
    return at + timedelta(minutes=UNDO_MINUTES)


def last_change(
    client: Client, by: User, now: datetime
) -> StageAssignment | TechniqueSignoff | None:
    """The coach's own last change to the client, if it is still theirs to undo."""
    move = (
        StageAssignment.objects.filter(client=client)
        .select_related("stage__exercise", "from_stage__exercise")
        .first()
    )
    signoff = (
        TechniqueSignoff.objects.filter(client=client, undone_at__isnull=True)
        .select_related("stage__exercise")
        .first()
    )
    return undoable(move, signoff, by=by, now=now)


@transaction.atomic
def undo_last_change(*, client: Client, by: User) -> StageAssignment | TechniqueSignoff:
    """Take back the coach's own last change within 10 minutes, as a new history entry.

    A stage change is undone by moving the client back, to the day they had entered
    that stage before; sessions logged at the new stage meanwhile stay at it. A
    sign-off is marked undone. The client is never told of a change undone in time.
    """
    locked = gate.lock(client.pk)
    now = timezone.now()
    change = last_change(locked.client, by, now)
    if change is None:
        raise UndoError(
            f"There is nothing of yours to undo: changes can be undone for {UNDO_MINUTES} "
            "minutes, by the coach who made them, while nothing newer has happened."
        )
    if isinstance(change, TechniqueSignoff):
        TechniqueSignoff.objects.filter(pk=change.pk).update(undone_at=now, undone_by=by)
        locked.signed_off = False
        gate.refresh(locked, now=now)
        return change
    assert change.from_stage is not None
    before = (
        StageAssignment.objects.filter(client=locked.client, stage=change.from_stage)
        .exclude(pk=change.pk)
        .filter(assigned_at__lte=change.assigned_at)
        .first()
    )
    return _assign(
        locked,
        stage=change.from_stage,
        from_stage=change.stage,
        kind=StageAssignment.Kind.UNDO,
        by=by,
        reason=f"Undo of the move to stage {change.stage.position} ({change.reason})",
        now=now,
        entered_on=before.entered_on if before is not None else None,
    )
