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
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from clients import gate, progression
from clients.adherence import rates
from clients.models import (
    CONSENT_TEXT,
    CONSENT_VERSION,
    CheckIn,
    Client,
    ConsentRecord,
    EmergencyReport,
    SessionRevision,
    StageAssignment,
    TrainingSession,
)
from clients.progression import Decision, Light, check_in_window
from clients.tasks import alert_coach_of_emergency

if TYPE_CHECKING:
    from coaching.accounts.models import User

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
    last = max(last, session.performed_on) if last else session.performed_on
    also: dict[str, Any] = {"last_session_on": last}
    also |= _adherence_today(locked.client, facts, last)
    gate.store(locked, facts, now=now, also=also)
    return Logged(session, locked.client, decision)


def _adherence_today(client: Client, facts: gate.Facts, last: date | None) -> dict[str, Any]:
    """Today's adherence after a session's day changed: the fields to store with the gate.

    It moves with each log or re-dated session; tick recomputes it from scratch daily.
    """
    base = rates.Basis.from_json(client.adherence_basis)
    if base is None or base.on != facts.today:
        return {}
    done = {s.day for s in facts.sessions}
    result = rates.adherence(base, done=done, last_session_on=last)
    return {
        "adherence_week": result.week,
        "adherence_month": result.month,
        "needs_attention": result.needs_attention,
    }


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


def correction_problem(
    *,
    session: TrainingSession,
    client: Client,
    values: dict[str, Any],
    any_day: bool = False,
    now: datetime | None = None,
) -> str:
    """Why this correction cannot be saved, in words for people; "" when it can.

    The one copy of the rule: correct_session checks it under the locks, and the
    admin's form before saving, so its message shows next to the form.
    """
    if not has_consented(client):
        return "This client has not agreed to the current privacy notice, so nothing can be saved."
    day = gate.local_day(now or timezone.now(), session.time_zone)
    if not any_day and gate.local_day(session.logged_at, session.time_zone) != day:
        return "A session can only be corrected on the day it was logged."
    entered_on = client.stage_entered_on
    new_day = values.get("performed_on", session.performed_on)
    if session.stage_id == client.stage_id and entered_on and new_day < entered_on:
        return f"This stage began on {entered_on:%-d %B}: a session at it cannot be dated earlier."
    return ""


@transaction.atomic
def correct_session(
    *, session: TrainingSession, values: dict[str, Any], by: User, any_day: bool = False
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
    problem = correction_problem(
        session=locked, client=locked_client.client, values=values, any_day=any_day, now=now
    )
    if problem:
        raise ProgramError(problem)
    previous = {name: _jsonable(getattr(locked, name)) for name in CORRECTABLE_FIELDS}
    previous["light"] = locked.light
    SessionRevision.objects.create(session=locked, previous_values=previous, revised_by=by)
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
    )["performed_on__max"]
    also: dict[str, Any] = {"last_session_on": last}
    if "performed_on" in values:
        also |= _adherence_today(locked_client.client, facts, last)
    gate.store(locked_client, facts, now=now, also=also)
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
