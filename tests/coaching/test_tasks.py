"""Production runs background work through the database and a worker process."""

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from coaching.accounts.services import invite_client
from coaching.models import User
from exercises.models import Stage

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.mark.usefixtures("seeded_transactional_db")
def test_an_invitation_waits_in_the_database_until_the_worker_sends_it(coach_a: User) -> None:
    """With the database backend nothing is sent in the request; db_worker sends it."""
    with override_settings(TASKS=DATABASE_TASKS):
        invite_client(
            coach=coach_a,
            first_name="Wendy",
            last_name="Worker",
            email="wendy@example.com",
            stage=Stage.objects.get(progression__slug="hip-hinge", position=1),
        )
        assert mail.outbox == []
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [["wendy@example.com"]]


def test_production_defaults_to_the_database_backend(settings: Any) -> None:
    """DEBUG off means TASKS_BACKEND=database unless said otherwise."""
    import subprocess
    import sys

    from tests.coaching.test_settings import GOOD_PRODUCTION, ROOT

    env = {**GOOD_PRODUCTION, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import coaching.settings as s; print(s.TASKS)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "django_tasks_db.backend.DatabaseBackend" in result.stdout, result.stderr


@pytest.mark.usefixtures("seeded_transactional_db")
def test_a_booking_schedules_a_reminder_24_hours_before(coach_a: User) -> None:
    """With the database backend the reminder waits until the day before; a move skips it."""
    from datetime import time, timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from coaching.assessments.selectors import available_slots
    from coaching.assessments.services import book_assessment, cancel_assessment
    from coaching.assessments.tasks import send_assessment_reminder
    from coaching.models import AvailabilityWindow

    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            coach=coach_a.coach_profile, weekday=d, starts_at=time(9), ends_at=time(17)
        )
        for d in range(7)
    )
    slot = [s for s in available_slots() if s.start > timezone.now() + timedelta(days=2)][0]
    with override_settings(TASKS=DATABASE_TASKS):
        booked = book_assessment(
            coach_id=slot.coach_id,
            start=slot.start,
            intake={"name": "R", "email": "r@example.com", "where_it_hurts": "x", "how_long": "y"},
            visitor_time_zone="Europe/London",
        )
        reminder = DBTaskResult.objects.get(task_path__endswith="send_assessment_reminder")
        assert reminder.run_after == slot.start - timedelta(hours=24)
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    sent = [m.subject for m in mail.outbox]
    assert "Your free movement assessment is booked" in sent
    assert "Tomorrow: your free movement assessment" not in sent  # not due yet

    send_assessment_reminder.call(booked.assessment.pk, 0, "/assessment/manage/x/")
    assert mail.outbox[-1].subject == "Tomorrow: your free movement assessment"
    count = len(mail.outbox)
    cancel_assessment(assessment=booked.assessment)
    send_assessment_reminder.call(booked.assessment.pk, 0, "/assessment/manage/x/")
    assert len(mail.outbox) == count + 2  # the cancellation emails, and no reminder
    assert mail.outbox[-1].subject != "Tomorrow: your free movement assessment"
