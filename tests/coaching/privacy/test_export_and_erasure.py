"""A client can take all their data with them, and have it erased from every table."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import time, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import mail
from django.db import connection, models
from django.test import Client as HttpClient

from clients.audit.models import AuditEntry
from clients.messages.services import send_message
from clients.models import (
    AssessmentSummary,
    Client,
    ConsentRecord,
    Message,
    PsfsAnswer,
    ReminderSettings,
    TrainingSession,
    WeeklyPain,
)
from clients.outcomes.services import answer_psfs, rate_week
from clients.program.services import add_coach_note
from clients.services import correct_session, log_session
from coaching.assessments.models import ContactRequest, WaitlistEntry
from coaching.models import Assessment, ErasureRequest, User
from exercises.models import Stage
from tests.factories import make_client, make_coach, make_session

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Zephyrine Quillfeather", "zephyrine@example.com", "07700 900123"
NOTE = "My hamstring twinges when I reach for the top shelf"


@pytest.fixture
def head_coach(db: None) -> User:
    return make_coach("head@example.com", first_name="Hana", head=True)


@pytest.fixture
def person(coach_a: User) -> Client:
    """A client with a long record: sessions with notes, a correction, notes, an assessment,
    messages both ways and both outcome measures."""
    client = make_client(EMAIL, coach=coach_a, position=3, first_name="Zephyrine")
    User.objects.filter(pk=client.user_id).update(last_name="Quillfeather")
    client.refresh_from_db()
    for days in (6, 4, 2):
        make_session(client, days_ago=days, notes=NOTE)
    logged = log_session(
        client=client,
        values={
            "performed_on": client.today(),
            "sets": 3,
            "reps": 10,
            "seconds": None,
            "load_kg": None,
            "pain_before": 1,
            "pain_during": 2,
            "pain_after": 1,
            "felt_hips": True,
            "felt_hamstrings": False,
            "felt_lower_back": False,
            "felt_elsewhere": False,
            "lower_back_hurt": False,
            "effort": 5,
            "notes": NOTE,
        },
    )
    correct_session(session=logged.session, values={"pain_during": 3}, by=client.user)
    add_coach_note(client=client, by=coach_a, text=f"{NAME} sleeps badly")
    send_message(client=client, author=client.user, text=f"{NOTE}. {NAME}")
    send_message(client=client, author=coach_a, text=f"Thanks {NAME}: ease off for a day")
    answer_psfs(client=client, scores=[2, 3, 4], activities=[NOTE, "Sitting", "Stairs"])
    rate_week(client=client, rating=4)
    start = logged.session.logged_at - timedelta(days=20)
    Assessment.objects.create(
        coach=coach_a.coach_profile,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        blocked_until=start + timedelta(minutes=45),
        status="completed",
        manage_token_hash="f" * 64,
        name=NAME,
        email=EMAIL,
        phone=PHONE,
        where_it_hurts=NOTE,
        how_long="Two years",
        consented_at=start,
        client=client,
    )
    summary = AssessmentSummary.objects.create(
        client=client, assessed_on=start.date(), why_in_pain=NOTE, movements_to_avoid="Sit-ups"
    )
    summary.avoid_stages.add(Stage.objects.get(progression__slug="hip-hinge", position=5))
    ReminderSettings.objects.create(client=client, training_days="024", training_time=time(7, 30))
    # Left before they became a client, under the same email in other letters.
    WaitlistEntry.objects.create(email=EMAIL.upper(), preferences=["0-morning"])
    ContactRequest.objects.create(name=NAME, email=EMAIL, consented_at=start)
    LogEntry.objects.log_actions(
        user_id=coach_a.pk,
        queryset=[client],
        action_flag=CHANGE,
        change_message=f"Changed notes for {NAME}",
    )
    return client


def test_a_client_downloads_everything_as_json_and_as_csvs(person: Client) -> None:
    web = HttpClient()
    web.force_login(person.user)
    page = web.get("/me/data/")
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("no-store")
    as_json = web.post("/me/data/", {"action": "json"})
    assert as_json["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(as_json.content)
    assert data["profile"][0]["email"] == EMAIL
    assert len(data["sessions"]) == 4 and data["sessions"][0]["notes"] == NOTE
    assert {"light", "pain_during", "next_morning_pain"} <= set(data["sessions"][0])
    assert data["check_ins"] and data["stage_history"] and data["consent"]
    assert data["assessments"][0]["phone"] == PHONE
    assert [m["text"] for m in data["messages"]] == [
        f"{NOTE}. {NAME}",
        f"Thanks {NAME}: ease off for a day",
    ]
    assert data["messages"][0]["from"] == NAME and "sent_at" in data["messages"][0]
    assert data["psfs"][0]["activity_1"] == NOTE and data["psfs"][0]["score_3"] == 4
    assert data["weekly_back_pain"][0]["rating"] == 4
    findings = data["assessment_findings"][0]
    assert findings["why_in_pain"] == NOTE
    assert findings["exercises_to_avoid"] == "Kettlebell deadlift"
    assert data["reminder_settings"][0]["training_time"] == "07:30:00"
    assert data["waitlist"][0]["preferences"] == "['0-morning']"
    assert data["contact_requests"][0]["name"] == NAME
    archive = zipfile.ZipFile(io.BytesIO(web.post("/me/data/", {"action": "csv"}).content))
    names = set(archive.namelist())
    assert {"profile.csv", "consent.csv", "stage_history.csv", "sessions.csv"} <= names
    assert {"check_ins.csv", "assessments.csv"} <= names
    assert {"messages.csv", "psfs.csv", "weekly_back_pain.csv"} <= names
    assert {"assessment_findings.csv", "reminder_settings.csv", "waitlist.csv"} <= names
    rows = list(csv.DictReader(io.StringIO(archive.read("sessions.csv").decode())))
    assert len(rows) == 4 and rows[-1]["pain_during"] == "3"
    exports = AuditEntry.objects.filter(additional_data__what="export")
    assert exports.count() == 2 and exports.first().actor == person.user  # type: ignore[union-attr]


def test_a_coach_exports_their_own_clients_data_and_not_another_coachs(
    person: Client, coach_a: User, coach_b: User
) -> None:
    web = HttpClient()
    web.force_login(coach_b)
    assert web.post(f"/coach/clients/{person.pk}/export.json").status_code == 404
    web.force_login(coach_a)
    response = web.post(f"/coach/clients/{person.pk}/export.json")
    assert json.loads(response.content)["profile"][0]["name"] == NAME


def test_asking_for_erasure_waits_for_the_head_coach(person: Client, head_coach: User) -> None:
    web = HttpClient()
    web.force_login(person.user)
    web.post("/me/data/", {"action": "erase"})
    web.post("/me/data/", {"action": "erase"})
    assert ErasureRequest.objects.filter(client=person).count() == 1
    assert "You asked on" in web.get("/me/data/").content.decode()
    assert Client.objects.filter(pk=person.pk).exists()


def test_only_the_head_coach_erases_and_only_after_typing_the_name(
    person: Client, coach_a: User, head_coach: User
) -> None:
    web = HttpClient()
    web.force_login(coach_a)
    assert web.get(f"/coach/clients/{person.pk}/erase/").status_code == 403
    web.force_login(head_coach)
    wrong = web.post(f"/coach/clients/{person.pk}/erase/", {"confirm": "Someone Else"})
    assert "The name does not match: nothing was erased" in wrong.content.decode()
    assert Client.objects.filter(pk=person.pk).exists()
    done = web.post(f"/coach/clients/{person.pk}/erase/", {"confirm": NAME.upper()})
    assert done.status_code == 302
    assert not Client.objects.filter(pk=person.pk).exists()


def _text_columns() -> list[tuple[type[models.Model], str]]:
    """Every character or JSON column of every table the project knows."""
    columns = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                columns.append((model, field.column))
    return columns


def _rows_holding(words: list[str]) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for model, column in _text_columns():
            table = connection.ops.quote_name(model._meta.db_table)
            quoted = connection.ops.quote_name(column)
            for word in words:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE LOWER(CAST({quoted} AS TEXT)) LIKE %s",
                    [f"%{word.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{model._meta.db_table}.{column} holds {word!r}")
    return found


def test_erasure_leaves_no_trace_of_the_person_in_any_text_column(
    person: Client, head_coach: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Name, email, phone and every note the person wrote, gone from every table.

    Tasks queued in the database (the production backend), login sessions, the
    throttle, the admin log, the audit trail and history included; one audit
    entry without personal data says that an erasure happened.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    from clients.tasks import alert_coach_of_flare

    alert_coach_of_flare.enqueue(person.pk)
    login = HttpClient()
    login.post("/accounts/login/", {"username": EMAIL, "password": "wrong-password"})
    login.force_login(person.user)
    login.get("/me/")
    words = [NAME, "Zephyrine", "Quillfeather", EMAIL, PHONE, NOTE, "sleeps badly"]
    assert _rows_holding(words), "the fixture should have put the person everywhere"
    web = HttpClient()
    web.force_login(head_coach)
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(f"/coach/clients/{person.pk}/erase/", {"confirm": NAME})
    assert response.status_code == 302
    web.logout()
    left = _rows_holding(words)
    assert left == [], "\n".join(left)
    assert not TrainingSession.objects.exists()
    assert not ConsentRecord.objects.exists()
    assert not Message.objects.exists() and not PsfsAnswer.objects.exists()
    assert not WeeklyPain.objects.exists()
    assert not AssessmentSummary.objects.exists() and not ReminderSettings.objects.exists()
    assert not WaitlistEntry.objects.exists() and not ContactRequest.objects.exists()
    entry = AuditEntry.objects.get(additional_data__what="erasure")
    assert entry.actor == head_coach
    assert entry.additional_data["sessions"] == 4
    assert entry.additional_data["messages"] == 2 and entry.additional_data["psfs"] == 1
    assert not mail.outbox or all(EMAIL not in m.body for m in mail.outbox)


def test_the_admins_delete_goes_through_the_audited_erasure(
    person: Client, studio_admin: User
) -> None:
    web = HttpClient()
    web.force_login(studio_admin)
    page = web.get(f"/admin/clients/client/{person.pk}/delete/")
    assert page.status_code == 200 and "Cannot delete" not in page.content.decode()
    web.post(f"/admin/clients/client/{person.pk}/delete/", {"post": "yes"})
    assert not Client.objects.filter(pk=person.pk).exists()
    assert AuditEntry.objects.filter(additional_data__what="erasure").count() == 1
