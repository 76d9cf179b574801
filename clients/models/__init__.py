"""The clients app's models: client records, sessions and check-ins, messages and outcomes."""

from clients.audit.models import AuditEntry
from clients.messages.models import Message, ReadMarker
from clients.models.assessment import AssessmentSummary
from clients.models.program import (
    DEFAULT_SESSIONS_PER_WEEK,
    CoachNote,
    Prescription,
    StateChange,
    TechniqueSignoff,
)
from clients.models.records import (
    CONSENT_TEXT,
    CONSENT_VERSION,
    PAIN_VALIDATORS,
    AppendOnlyQuerySet,
    Client,
    ClientQuerySet,
    ConsentRecord,
    EmergencyReport,
    StageAssignment,
    reps_or_seconds,
    sees_all_clients,
)
from clients.models.sessions import (
    CheckIn,
    FeltIn,
    SessionRevision,
    TrainingSession,
    TrainingSessionQuerySet,
)
from clients.outcomes.models import PsfsAnswer, PsfsReminder, WeeklyPain
from clients.reminders.models import ReminderSent, ReminderSettings

__all__ = [
    "AuditEntry",
    "CONSENT_TEXT",
    "CONSENT_VERSION",
    "DEFAULT_SESSIONS_PER_WEEK",
    "PAIN_VALIDATORS",
    "AppendOnlyQuerySet",
    "AssessmentSummary",
    "CheckIn",
    "Client",
    "ClientQuerySet",
    "CoachNote",
    "ConsentRecord",
    "EmergencyReport",
    "FeltIn",
    "Message",
    "Prescription",
    "PsfsAnswer",
    "PsfsReminder",
    "ReadMarker",
    "SessionRevision",
    "StageAssignment",
    "StateChange",
    "TechniqueSignoff",
    "TrainingSession",
    "TrainingSessionQuerySet",
    "ReminderSent",
    "ReminderSettings",
    "WeeklyPain",
    "reps_or_seconds",
    "sees_all_clients",
]
