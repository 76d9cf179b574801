"""The clients app's models: client records, and sessions with their check-ins."""

from clients.audit.models import AuditEntry
from clients.models.assessment import AssessmentSummary
from clients.models.records import (
    CONSENT_TEXT,
    CONSENT_VERSION,
    PAIN_VALIDATORS,
    AppendOnlyQuerySet,
    Client,
    ClientQuerySet,
    CoachNote,
    ConsentRecord,
    EmergencyReport,
    Prescription,
    StageAssignment,
    TechniqueSignoff,
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

__all__ = [
    "AuditEntry",
    "CONSENT_TEXT",
    "CONSENT_VERSION",
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
    "Prescription",
    "SessionRevision",
    "StageAssignment",
    "TechniqueSignoff",
    "TrainingSession",
    "TrainingSessionQuerySet",
    "reps_or_seconds",
    "sees_all_clients",
]
