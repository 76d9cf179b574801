"""Erasure, retention and the records of export: the privacy work that reaches every app.

Erasure is the one exception to "kept for ever": it deletes the person's rows in
every table (history, audit, queued and finished tasks, login-throttle, admin-log
and session rows included) and leaves one audit entry without personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from clients.audit.models import AuditEntry, AuditQuerySet
from clients.audit.services import record
from clients.models import (
    CheckIn,
    Client,
    CoachNote,
    ConsentRecord,
    EmergencyReport,
    Message,
    Prescription,
    PsfsAnswer,
    PsfsReminder,
    ReadMarker,
    SessionRevision,
    StageAssignment,
    TechniqueSignoff,
    TrainingSession,
    WeeklyPain,
    sees_all_clients,
)
from coaching.accounts.models import Invitation, User
from coaching.accounts.services import forget_account_counters
from coaching.assessments.models import Assessment, ContactRequest, WaitlistEntry
from coaching.privacy.models import ErasureRequest

CLIENT_TASKS = (
    "clients.tasks.alert_coach_of_flare",
    "clients.tasks.alert_coach_of_emergency",
    "clients.tasks.tell_client_of_stage_change",
    "clients.messages.tasks.tell_of_new_message",
    "clients.outcomes.tasks.ask_for_psfs",
)


class PrivacyError(Exception):
    """The privacy action cannot go ahead; the message says why in plain words."""


@dataclass
class Erased:
    """What an erasure removed, as counts only: nothing that names the person."""

    client_id: int
    counts: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def request_erasure(*, client: Client) -> ErasureRequest:
    """The client asks; the head coach carries it out after a confirmation."""
    existing = ErasureRequest.objects.filter(client=client, carried_out_at__isnull=True).first()
    if existing is not None:
        return existing
    request = ErasureRequest.objects.create(client=client)
    record(actor=client.user, client=client, action="erasure_requested")
    return request


def _words(client: Client, user: User) -> list[str]:
    """The strings that identify the person, to find them in free-text columns."""
    words = {user.email, user.get_full_name()}
    for name, phone in Assessment.objects.filter(
        Q(client=client) | Q(email__iexact=user.email)
    ).values_list("name", "phone"):
        words |= {name, phone}
    return [w for w in words if w and len(w) > 2]


def _delete_task_rows(client: Client, words: list[str]) -> int:
    """Queued and finished task rows that concern the person (ids, or their name in a result)."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.all()
    doomed = [
        row.pk
        for row in rows.only(
            "pk", "task_path", "args_kwargs", "return_value", "exception_class_path", "traceback"
        )
        if (row.task_path in CLIENT_TASKS and client.pk in (row.args_kwargs or {}).get("args", []))
        or any(word in str(value) for value in row.__dict__.values() for word in words)
    ]
    deleted, _ = DBTaskResult.objects.filter(pk__in=doomed).delete()
    return deleted


def _delete_sessions_of(user: User) -> int:
    """Login sessions of the person (their id, and any message text, live in the data)."""
    doomed = [
        session.pk
        for session in Session.objects.all()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    deleted, _ = Session.objects.filter(pk__in=doomed).delete()
    return deleted


@transaction.atomic
def erase_client(*, client: Client, by: User) -> Erased:
    """Delete a client and everything about them, in every table; keep a nameless record."""
    if not sees_all_clients(by):
        raise PrivacyError("Only the head coach or a studio admin can erase a client's data.")
    locked = Client.objects.select_for_update().select_related("user").get(pk=client.pk)
    user = locked.user
    words = _words(locked, user)
    assessments = Assessment.objects.filter(Q(client=locked) | Q(email__iexact=user.email))
    audited = _audit_entries(locked, user, list(assessments.values_list("pk", flat=True)))
    counts: dict[str, int] = {}
    # Deleting is not a change to record: the trail would copy what is being erased.
    with disable_auditlog():
        counts["revisions"] = SessionRevision.objects.filter(session__client=locked).erase()[0]
        counts["sessions"] = TrainingSession.objects.filter(client=locked).delete()[0]
        counts["check_ins"] = CheckIn.objects.filter(client=locked).delete()[0]
        counts["emergencies"] = EmergencyReport.objects.filter(client=locked).delete()[0]
        counts["signoffs"] = TechniqueSignoff.objects.filter(client=locked).delete()[0]
        counts["prescriptions"] = Prescription.objects.filter(client=locked).delete()[0]
        counts["notes"] = CoachNote.objects.filter(client=locked).erase()[0]
        counts["messages"] = Message.objects.filter(client=locked).erase()[0]
        ReadMarker.objects.filter(client=locked).delete()
        counts["psfs"] = PsfsAnswer.objects.filter(client=locked).erase()[0]
        PsfsReminder.objects.filter(client=locked).delete()
        counts["weekly_pain"] = WeeklyPain.objects.filter(client=locked).delete()[0]
        Client.objects.filter(pk=locked.pk).update(seen_assignment=None)
        counts["assignments"] = StageAssignment.objects.filter(client=locked).erase()[0]
        counts["consents"] = ConsentRecord.objects.filter(client=locked).erase()[0]
        counts["assessments"] = assessments.delete()[0]
        counts["waitlist"] = WaitlistEntry.objects.filter(email__iexact=user.email).delete()[0]
        counts["contact_requests"] = ContactRequest.objects.filter(
            email__iexact=user.email
        ).delete()[0]
        counts["invitations"] = Invitation.objects.filter(user=user).delete()[0]
        counts["audit"] = audited.erase()[0]
        counts["tasks"] = _delete_task_rows(locked, words)
        counts["logins"] = _delete_sessions_of(user)
        counts["throttle"] = forget_account_counters(email=user.email)
        counts["admin_log"] = _delete_admin_log(locked, user, words)
        client_id = locked.pk
        ErasureRequest.objects.filter(client=locked).update(
            client=None, carried_out_at=timezone.now()
        )
        locked.delete()
        user.delete()
    record(actor=by, client=None, action="erasure", detail=f"client #{client_id}", extra=counts)
    return Erased(client_id, counts)


def _audit_entries(client: Client, user: User, assessment_ids: list[int]) -> AuditQuerySet:
    """The trail's entries that name the person: their records, their account, their acts."""
    types = ContentType.objects.get_for_models(Client, User, Assessment)
    return AuditEntry.objects.filter(  # type: ignore[no-any-return]
        Q(additional_data__client_id=client.pk)
        | Q(content_type=types[Client], object_pk=str(client.pk))
        | Q(content_type=types[User], object_pk=str(user.pk))
        | Q(content_type=types[Assessment], object_pk__in=[str(pk) for pk in assessment_ids])
        | Q(actor=user)
    )


def _delete_admin_log(client: Client, user: User, words: list[str]) -> int:
    types = ContentType.objects.get_for_models(Client, User, TrainingSession, Assessment)
    about = Q()
    for model, content_type in types.items():
        key = client.pk if model is not User else user.pk
        about |= Q(content_type=content_type, object_id=str(key))
    for word in words:
        about |= Q(object_repr__icontains=word) | Q(change_message__icontains=word)
    deleted, _ = AdminLogEntry.objects.filter(about | Q(user=user)).delete()
    return deleted


def intake_retention_days() -> int:
    return int(getattr(settings, "INTAKE_RETENTION_DAYS", 90))


# What a visitor told us, and what the coach wrote back: kept while it serves them.
INTAKE_FIELDS = {
    "phone": "",
    "where_it_hurts": "",
    "how_long": "",
    "worse_with": "",
    "goals": "",
    "why_in_pain": "",
    "restricted_movements": "",
    "movements_to_avoid": "",
    "movements_to_do": "",
}


def expired_intake(now: datetime) -> QuerySet[Assessment]:
    """Assessments that never led to a client, past the retention period, still holding answers."""
    cutoff = now - timedelta(days=intake_retention_days())
    held = Q()
    for name in INTAKE_FIELDS:
        held |= ~Q(**{name: ""})
    return Assessment.objects.filter(client__isnull=True, starts_at__lt=cutoff).filter(
        held | Q(avoid_stages__isnull=False) | ~Q(name="")
    )


@transaction.atomic
def purge_expired_intake(*, now: datetime | None = None) -> int:
    """Delete the intake answers, outcome and contact details of expired assessments.

    The row stays, nameless, so the coach's counts of past assessments still add up.
    """
    now = now or timezone.now()
    ids = list(expired_intake(now).values_list("pk", flat=True).distinct())
    with disable_auditlog():
        Assessment.avoid_stages.through.objects.filter(assessment_id__in=ids).delete()
        Assessment.objects.filter(pk__in=ids).update(
            **INTAKE_FIELDS, name="", email="", outcome_token_hash=""
        )
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Assessment),
        object_pk__in=[str(pk) for pk in ids],
    ).erase()
    return len(ids)


def retention_due(now: datetime | None = None) -> bool:
    """Whether any intake has outlived the retention period (tick enqueues the purge then)."""
    return expired_intake(now or timezone.now()).exists()
