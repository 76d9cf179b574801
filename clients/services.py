"""Writes for a client's program. Each write is one transaction.

Views and the admin call these; they never write models directly. Each one
locks the client row (`gate.lock`), checks its preconditions, writes, and
recomputes the stored gate state before the transaction ends. Reads are in
`clients.selectors`.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from clients import gate, progression
from clients.models import (
    CONSENT_TEXT,
    CONSENT_VERSION,
    CheckIn,
    Client,
    CoachNote,
    ConsentRecord,
    EmergencyReport,
    Prescription,
    SessionRevision,
    StageAssignment,
    TechniqueSignoff,
    TrainingSession,
)
from clients.progression import Decision, Light, Reason, Status, check_in_window
from clients.reasons import words
from clients.tasks import alert_coach_of_emergency, tell_client_of_stage_change
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
    "lower_back_hurt",
    "effort",
    "notes",
]


class ProgramError(Exception):
    """A rule of the program refused the action; the message is for people."""


class CheckInClosed(ProgramError):
    """The check-in window has passed: the server's clock decides, whatever a page showed."""


class ConsentRequired(ProgramError):
    """Health data is stored only after the client has agreed to the current wording."""


def has_consented(client: Client) -> bool:
    return client.consented_at is not None and client.consent_version == CONSENT_VERSION


def require_consent(client: Client) -> None:
    """The server-side check before any health data is stored."""
    if not has_consented(client):
        raise ConsentRequired(
            "Please read and agree to how we keep your health information before logging."
        )


# --- Stage changes ---------------------------------------------------------------


def _assign(
    locked: gate.Locked,
    *,
    stage: Stage,
    from_stage: Stage | None,
    kind: str,
    by: Any,
    reason: str,
    now: datetime,
) -> StageAssignment:
    """Move a locked client onto a stage and recompute their gate there."""
    client = locked.client
    entered_on = gate.local_day(now, client.zone)
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
    if kind != StageAssignment.Kind.START:
        transaction.on_commit(lambda: tell_client_of_stage_change.enqueue(assignment.pk))
    return assignment


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
def advance_stage(*, client: Client, by: Any, reason: str = "") -> StageAssignment:
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
def regress_stage(*, client: Client, by: Any, reason: str = "") -> StageAssignment:
    """Move a client back one stage."""
    locked = gate.lock(client.pk)
    previous = (
        Stage.objects.filter(
            progression_id=locked.client.progression_id, position__lt=locked.stage.position
        )
        .order_by("-position")
        .first()
    )
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
def override_stage(*, client: Client, stage: Stage, by: Any, reason: str) -> StageAssignment:
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
def sign_off_technique(*, client: Client, by: Any, note: str = "") -> TechniqueSignoff:
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


# --- Sessions and check-ins -------------------------------------------------------


@dataclass
class Logged:
    """A saved session, the gate's verdict after it, and whether it was a repeat tap."""

    session: TrainingSession
    client: Client
    decision: Decision | None
    repeated: bool = False


@transaction.atomic
def log_session(
    *, client: Client, values: dict[str, Any], idempotency_key: UUID | None = None
) -> Logged:
    """Record a session at the client's current stage and decide what can be decided now.

    A repeated form token saves nothing: the session saved with it is returned.
    """
    locked = gate.lock(client.pk)
    require_consent(locked.client)
    now = timezone.now()
    facts = gate.load_facts(locked, now=now, idempotency_key=idempotency_key)
    if facts.duplicate_id is not None:
        repeat = TrainingSession.objects.get(pk=facts.duplicate_id)
        return Logged(repeat, locked.client, None, repeated=True)
    entered_on = locked.client.stage_entered_on
    assert entered_on is not None
    if values["performed_on"] < entered_on:
        raise ProgramError(
            f"You started this stage on {entered_on:%-d %B}: sessions before then "
            "belong to your previous stage. Ask your coach to add them."
        )
    zone = locked.client.zone
    session = TrainingSession(
        client=locked.client,
        stage=locked.stage,
        logged_at=now,
        time_zone=zone,
        idempotency_key=idempotency_key,
        **values,
    )
    answered = next((c for c in facts.check_ins if c.training_day == session.performed_on), None)
    if answered is not None and now < check_in_window(session.performed_on, zone)[1]:
        # This morning's check-in already answers every session of that day.
        session.next_day_pain = answered.pain
        session.next_day_answered_at = now
    decision = gate.decide_new(session, facts, now=now)
    session.save(force_insert=True)
    last = locked.client.last_session_on
    gate.store(
        locked,
        facts,
        now=now,
        also={"last_session_on": max(last, session.performed_on) if last else session.performed_on},
    )
    return Logged(session, locked.client, decision)


def answer_check_in(*, client: Client, training_day: date, pain: int) -> CheckIn:
    """The morning after a training day: one answer for every session of that day.

    An answer after midnight is refused, and the day's sessions are marked missed
    there and then, whether or not the clock's task has run yet.
    """
    try:
        return _answer_check_in(client=client, training_day=training_day, pain=pain)
    except CheckInClosed:
        gate.refresh_by_id(client.pk)
        raise


@transaction.atomic
def _answer_check_in(*, client: Client, training_day: date, pain: int) -> CheckIn:
    locked = gate.lock(client.pk)
    require_consent(locked.client)
    now = timezone.now()
    facts = gate.load_facts(locked, now=now)
    day = [s for s in facts.sessions if s.day == training_day]
    if not day:
        raise ProgramError("We could not find a session of yours on that day.")
    if any(c.training_day == training_day for c in facts.check_ins):
        raise ProgramError("You have already answered the check-in for that day.")
    opens = min(s.window_opens or s.window_closes for s in day)
    closes = max(s.window_closes for s in day)
    if now < opens:
        raise ProgramError("The check-in opens at 4am the morning after your session.")
    if now >= closes:
        raise CheckInClosed("This check-in closed at midnight.")
    answered_on = gate.local_day(now, locked.client.zone)
    check_in = CheckIn.objects.create(
        client=locked.client,
        training_day=training_day,
        pain=pain,
        answered_at=now,
        answered_on=answered_on,
    )
    answered = [s for s in day if s.next_morning is None and s.logged_at < s.window_closes]
    facts.sessions = [
        replace(s, next_morning=pain, answered_on=answered_on) if s in answered else s
        for s in facts.sessions
    ]
    facts.check_ins.append(
        progression.CheckIn(training_day=training_day, pain=pain, answered_on=answered_on)
    )
    gate.store(
        locked,
        facts,
        now=now,
        sessions_also={
            s.id: {"next_day_pain": pain, "next_day_answered_at": now} for s in answered
        },
    )
    return check_in


@transaction.atomic
def correct_session(
    *, session: TrainingSession, values: dict[str, Any], by: Any, any_day: bool = False
) -> TrainingSession:
    """Change a session, keeping the earlier values and who changed them; decide it again.

    Clients correct on the day they logged; the studio (the admin) on any day. A
    red the correction reveals becomes known today; a red it removes no longer counts.
    """
    locked_client = gate.lock(session.client_id)
    require_consent(locked_client.client)
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    now = timezone.now()
    today = gate.local_day(now, locked.time_zone)
    if not any_day and gate.local_day(locked.logged_at, locked.time_zone) != today:
        raise ProgramError("A session can only be corrected on the day it was logged.")
    previous = {name: _jsonable(getattr(locked, name)) for name in CORRECTABLE_FIELDS}
    previous["light"] = locked.light
    SessionRevision.objects.create(session=locked, previous_values=previous, revised_by=by)
    entered_on = locked_client.client.stage_entered_on
    new_day = values.get("performed_on", locked.performed_on)
    if locked.stage_id == locked_client.stage.pk and entered_on and new_day < entered_on:
        raise ProgramError(
            f"This stage began on {entered_on:%-d %B}: a session at it cannot be dated earlier."
        )
    known_floor = locked.red_known_on if locked.light == Light.RED else today
    for name, value in values.items():
        setattr(locked, name, value)
    locked.light, locked.light_reasons, locked.decided_at, locked.red_known_on = "", [], None, None
    locked.save()
    facts = gate.load_facts(locked_client, now=now)
    facts.sessions = [
        replace(s, known_floor=known_floor) if s.id == locked.pk else s for s in facts.sessions
    ]
    last = TrainingSession.objects.filter(client_id=session.client_id).aggregate(
        Max("performed_on")
    )
    gate.store(
        locked_client,
        facts,
        now=now,
        also={"last_session_on": last["performed_on__max"]},
    )
    locked.refresh_from_db()
    return locked


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | Decimal):
        return str(value)
    return value


# --- The client's own settings ----------------------------------------------------


@transaction.atomic
def record_consent(*, client: Client) -> Client:
    locked = gate.lock(client.pk).client
    locked.consented_at = timezone.now()
    locked.consent_version = CONSENT_VERSION
    locked.save(update_fields=["consented_at", "consent_version"])
    ConsentRecord.objects.create(
        client=locked, version=CONSENT_VERSION, text=CONSENT_TEXT, given_at=locked.consented_at
    )
    client.consented_at, client.consent_version = locked.consented_at, locked.consent_version
    return locked


@transaction.atomic
def set_time_zone(*, client: Client, time_zone: str) -> Client:
    """A new zone for what comes next; sessions keep the zone they were logged in."""
    if time_zone not in zoneinfo.available_timezones():
        raise ProgramError("Choose a time zone from the list.")
    locked = gate.lock(client.pk)
    locked.client.time_zone = time_zone
    locked.client.save(update_fields=["time_zone"])
    gate.refresh(locked)
    client.time_zone = time_zone
    return locked.client


@transaction.atomic
def set_client_state(*, client: Client, state: str, by: Any) -> Client:
    """Pause, discharge or reactivate a client; the coach's note says who and when."""
    if state not in Client.Status.values:
        raise ProgramError("Choose active, paused or discharged.")
    locked = gate.lock(client.pk)
    locked.client.status = state
    locked.client.save(update_fields=["status"])
    CoachNote.objects.create(
        client=locked.client, author=by, text=f"Marked {Client.Status(state).label.lower()}."
    )
    gate.refresh(locked)
    return locked.client


@transaction.atomic
def report_emergency(*, client: Client) -> EmergencyReport:
    """The client tapped the emergency line: record it and tell their coach at once."""
    report = EmergencyReport.objects.create(client=client)
    transaction.on_commit(lambda: alert_coach_of_emergency.enqueue(report.pk))
    return report


@transaction.atomic
def dismiss_stage_notice(*, client: Client, assignment_id: int) -> None:
    """The client has read the notice of their coach's stage change."""
    if StageAssignment.objects.filter(client=client, pk=assignment_id).exists():
        Client.objects.filter(pk=client.pk).update(seen_assignment_id=assignment_id)


# --- The coach's records ----------------------------------------------------------


@transaction.atomic
def add_coach_note(*, client: Client, by: Any, text: str) -> CoachNote:
    return CoachNote.objects.create(client=client, author=by, text=text)


@transaction.atomic
def reassign(*, client: Client, coach: Any, by: Any) -> Client:
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
