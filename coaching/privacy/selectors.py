"""Everything the studio holds about one client, for their download (UK GDPR access).

One dictionary of named sections, each a list of flat rows, so the same data
becomes one JSON file or a zip of CSV files.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, StringAgg, Value

from clients.models import (
    AssessmentSummary,
    CheckIn,
    Client,
    CoachNote,
    ConsentRecord,
    EmergencyReport,
    Message,
    Prescription,
    PsfsAnswer,
    ReminderSent,
    ReminderSettings,
    StageAssignment,
    TechniqueSignoff,
    TrainingSession,
    WeeklyPain,
)
from coaching.assessments.models import Assessment, ContactRequest, WaitlistEntry


@dataclass
class Section:
    columns: list[str]
    rows: list[dict[str, Any]]


def _rows(queryset: Iterable[Any], fields: dict[str, str]) -> Section:
    """Rows of `label: value`, reading each dotted attribute path."""
    rows = []
    for item in queryset:
        row = {}
        for label, path in fields.items():
            value: Any = item
            for part in path.split("."):
                value = getattr(value, part, None) if value is not None else None
            row[label] = value
        rows.append(row)
    return Section(list(fields), rows)


def client_data(client: Client) -> dict[str, Section]:
    """Every record about the client, section by section, oldest first."""
    user = client.user
    profile = {
        "name": user.get_full_name(),
        "email": user.email,
        "coach": client.coach.display_name,
        "state": client.get_status_display(),
        "started_on": client.started_on,
        "time_zone": client.zone,
        "current_stage": str(client.stage) if client.stage else "",
        "gate_status": client.gate_status,
        "coach_notes_at_start": client.coach_notes,
    }
    assessments = Assessment.objects.filter(
        Q(client=client) | Q(email__iexact=user.email)
    ).select_related("coach__user", "recommended_stage__exercise")
    return {
        "profile": Section(list(profile), [profile]),
        "consent": _rows(
            ConsentRecord.objects.filter(client=client).order_by("given_at"),
            {"version": "version", "given_at": "given_at", "text": "text"},
        ),
        "stage_history": _rows(
            StageAssignment.objects.filter(client=client)
            .select_related("stage__exercise", "from_stage__exercise", "assigned_by")
            .order_by("assigned_at", "id"),
            {
                "when": "assigned_at",
                "kind": "kind",
                "from_stage": "from_stage",
                "to_stage": "stage",
                "by": "assigned_by.display_name",
                "reason": "reason",
            },
        ),
        "sessions": _rows(
            TrainingSession.objects.filter(client=client)
            .select_related("stage__exercise")
            .order_by("performed_on", "logged_at"),
            {
                "performed_on": "performed_on",
                "logged_at": "logged_at",
                "stage": "stage",
                "sets": "sets",
                "reps": "reps",
                "seconds": "seconds",
                "load_kg": "load_kg",
                "pain_before": "pain_before",
                "pain_during": "pain_during",
                "pain_after": "pain_after",
                "next_morning_pain": "next_day_pain",
                "lower_back_hurt": "lower_back_hurt",
                "felt_hips": "felt_hips",
                "felt_hamstrings": "felt_hamstrings",
                "felt_back_muscles": "felt_lower_back",
                "felt_elsewhere": "felt_elsewhere",
                "effort": "effort",
                "notes": "notes",
                "light": "shown_light",
            },
        ),
        "check_ins": _rows(
            CheckIn.objects.filter(client=client).order_by("training_day"),
            {"training_day": "training_day", "pain": "pain", "answered_at": "answered_at"},
        ),
        "technique_signoffs": _rows(
            TechniqueSignoff.objects.filter(client=client).select_related("stage__exercise"),
            {"stage": "stage", "signed_at": "signed_at", "note": "note"},
        ),
        "prescriptions": _rows(
            Prescription.objects.filter(client=client).select_related("stage__exercise"),
            {"stage": "stage", "prescription": "text"},
        ),
        "coach_notes": _rows(
            CoachNote.objects.filter(client=client)
            .select_related("author")
            .order_by("created_at", "id"),
            {"written_at": "created_at", "by": "author.display_name", "note": "text"},
        ),
        "messages": _rows(
            Message.objects.filter(client=client).select_related("author").order_by("id"),
            {"sent_at": "sent_at", "from": "author.display_name", "text": "text"},
        ),
        "psfs": _rows(
            PsfsAnswer.objects.filter(client=client).order_by("answered_on", "id"),
            {
                "answered_on": "answered_on",
                "activity_1": "activity_1",
                "score_1": "score_1",
                "activity_2": "activity_2",
                "score_2": "score_2",
                "activity_3": "activity_3",
                "score_3": "score_3",
            },
        ),
        "weekly_back_pain": _rows(
            WeeklyPain.objects.filter(client=client).order_by("week_of"),
            {"week_of": "week_of", "rating": "rating", "answered_at": "answered_at"},
        ),
        "emergency_reports": _rows(
            EmergencyReport.objects.filter(client=client).order_by("reported_at"),
            {"reported_at": "reported_at"},
        ),
        "assessment_findings": _rows(
            AssessmentSummary.objects.filter(client=client).annotate(
                avoid=StringAgg(
                    "avoid_stages__exercise__name", delimiter=Value("; "), default=Value("")
                )
            ),
            {
                "assessed_on": "assessed_on",
                "why_in_pain": "why_in_pain",
                "restricted_movements": "restricted_movements",
                "exercises_to_avoid": "avoid",
                "movements_to_avoid": "movements_to_avoid",
                "movements_to_do": "movements_to_do",
            },
        ),
        "reminder_settings": _rows(
            ReminderSettings.objects.filter(client=client),
            {
                "training_days": "training_days",
                "training_time": "training_time",
                "check_in_time": "check_in_time",
                "unsubscribed_at": "unsubscribed_at",
            },
        ),
        "reminders_sent": _rows(
            ReminderSent.objects.filter(client=client).order_by("slot", "kind"),
            {"kind": "kind", "for_day": "slot", "queued_at": "queued_at", "sent_at": "sent_at"},
        ),
        "waitlist": _rows(
            WaitlistEntry.objects.filter(email__iexact=user.email),
            {"created_at": "created_at", "time_zone": "time_zone", "preferences": "preferences"},
        ),
        "contact_requests": _rows(
            ContactRequest.objects.filter(email__iexact=user.email),
            {"created_at": "created_at", "name": "name", "consented_at": "consented_at"},
        ),
        "assessments": _rows(
            assessments,
            {
                "starts_at": "starts_at",
                "status": "status",
                "coach": "coach.user.display_name",
                "name": "name",
                "email": "email",
                "phone": "phone",
                "where_it_hurts": "where_it_hurts",
                "how_long": "how_long",
                "worse_with": "worse_with",
                "goals": "goals",
                "why_in_pain": "why_in_pain",
                "restricted_movements": "restricted_movements",
                "movements_to_avoid": "movements_to_avoid",
                "movements_to_do": "movements_to_do",
                "recommended_stage": "recommended_stage",
            },
        ),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def as_json(data: dict[str, Section]) -> bytes:
    plain = {
        name: [{k: _plain(v) for k, v in row.items()} for row in section.rows]
        for name, section in data.items()
    }
    return json.dumps(plain, indent=2, ensure_ascii=False).encode()


def as_csv_zip(data: dict[str, Section]) -> bytes:
    """One CSV per section, with a header row even when the section is empty."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, section in data.items():
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(section.columns)
            for row in section.rows:
                writer.writerow(["" if row[c] is None else _plain(row[c]) for c in section.columns])
            archive.writestr(f"{name}.csv", text.getvalue())
    return buffer.getvalue()
