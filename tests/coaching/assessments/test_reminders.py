"""Reminders a day and an hour before, queued by `manage.py tick` (services.due_work): each
queued once however often tick runs, skipped after a cancel, queued again after a move."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client as HttpClient
from django.test import override_settings
from django.utils import timezone
from time_machine import TimeMachineFixture

from coaching.assessments.selectors import available_slots
from coaching.assessments.services import book_assessment, due_work
from coaching.assessments.services.manage import cancel_assessment, reschedule_assessment
from coaching.assessments.tasks import send_reminder
from coaching.models import Assessment, User

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def book_days_ahead(days: float = 3) -> Assessment:
    slot = next(s for s in available_slots() if s.start > timezone.now() + timedelta(days=days))
    return book_assessment(
        coach_id=slot.coach_id,
        start=slot.start,
        intake={"name": "Rita Reminded", "email": "rita@example.com", "goals": "Run again"},
        visitor_time_zone="Europe/London",
    ).assessment


def reminders() -> list[Any]:
    return [m for m in mail.outbox if m.subject.startswith(("Tomorrow", "In an hour"))]


def test_tick_queues_the_day_and_hour_reminders_once_each(
    open_coach: User, django_capture_on_commit_callbacks: Any
) -> None:
    booking = book_days_ahead()
    with django_capture_on_commit_callbacks(execute=True):
        assert due_work(booking.starts_at - timedelta(hours=26)).reminders == 0
        assert due_work(booking.starts_at - timedelta(hours=24, minutes=10)).reminders == 1
        assert due_work(booking.starts_at - timedelta(hours=24, minutes=5)).reminders == 0
        assert due_work(booking.starts_at - timedelta(hours=3)).reminders == 0
        assert due_work(booking.starts_at - timedelta(minutes=70)).reminders == 1
        assert due_work(booking.starts_at - timedelta(minutes=50)).reminders == 0
    day, hour = reminders()
    assert day.subject == "Tomorrow: your free movement assessment"
    assert hour.subject == "In an hour: your free movement assessment"
    for message in (day, hour):
        assert message.to == ["rita@example.com"]
        assert "https://meet.example.com/alex" in message.body
        assert "Run again" not in message.body
        link = re.search(r"(/assessment/manage/\S+/)", message.body).group(1)
        assert HttpClient().get(link).status_code == 200  # a working private link


def test_no_reminder_after_a_cancel(
    open_coach: User, django_capture_on_commit_callbacks: Any
) -> None:
    booking = book_days_ahead()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_assessment(assessment=booking)
        due_work(booking.starts_at - timedelta(hours=24, minutes=10))
        due_work(booking.starts_at - timedelta(minutes=70))
    assert reminders() == []


def test_a_reminder_waits_on_the_database_backend_and_is_skipped_after_a_cancel(
    open_coach: User, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    booking = book_days_ahead()
    with override_settings(TASKS=DATABASE_TASKS), django_capture_on_commit_callbacks(execute=True):
        due_work(booking.starts_at - timedelta(hours=24, minutes=10))
    queued = DBTaskResult.objects.get(task_path__endswith="send_reminder")
    assert queued.run_after == booking.starts_at - timedelta(hours=24)
    assert queued.args_kwargs["args"] == [booking.pk, 0, "day"]
    cancel_assessment(assessment=booking)
    send_reminder.call(booking.pk, 0, "day")
    assert reminders() == []


def test_a_move_queues_the_reminders_again_for_the_new_time(
    open_coach: User, django_capture_on_commit_callbacks: Any
) -> None:
    booking = book_days_ahead()
    with django_capture_on_commit_callbacks(execute=True):
        due_work(booking.starts_at - timedelta(hours=24, minutes=10))
    mail.outbox.clear()
    later = next(s for s in available_slots() if s.start > booking.starts_at + timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        moved = reschedule_assessment(
            assessment=booking, coach_id=later.coach_id, start=later.start, token="x"
        )
    assert moved.day_reminder_at is None and moved.sequence == 1
    send_reminder.call(booking.pk, 0, "day")  # the old time's reminder is skipped
    assert reminders() == []
    with django_capture_on_commit_callbacks(execute=True):
        assert due_work(later.start - timedelta(hours=24, minutes=10)).reminders == 1
    assert len(reminders()) == 1


def test_a_booking_made_within_a_day_gets_only_the_hour_reminder(
    open_coach: User, django_capture_on_commit_callbacks: Any, time_machine: TimeMachineFixture
) -> None:
    # At 20:00 tomorrow's 09:00 is 13 hours away: past the notice, within the day.
    evening = datetime.combine(timezone.localdate(), time(20), timezone.get_current_timezone())
    time_machine.move_to(evening)
    booking = book_days_ahead(0.5)
    assert booking.starts_at - evening < timedelta(hours=24)
    with django_capture_on_commit_callbacks(execute=True):
        assert due_work(booking.starts_at - timedelta(hours=12)).reminders == 0
        assert due_work(booking.starts_at - timedelta(minutes=70)).reminders == 1
    assert [m.subject for m in reminders()] == ["In an hour: your free movement assessment"]


def test_tick_runs_the_assessment_work(open_coach: User) -> None:
    out = StringIO()
    call_command("tick", stdout=out)
    assert "assessments: 0 reminders queued" in out.getvalue()


def test_a_move_to_within_a_day_gets_only_the_hour_reminder(
    open_coach: User, django_capture_on_commit_callbacks: Any
) -> None:
    """The "has moved" email stands in for the day-before reminder, as a late booking's
    confirmation does."""
    booking = book_days_ahead(5)
    target = next(s for s in available_slots() if s.start > timezone.now() + timedelta(days=2))
    moved_at = target.start - timedelta(hours=14)
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_assessment(
            assessment=booking,
            coach_id=target.coach_id,
            start=target.start,
            token="x",
            now=moved_at,
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert due_work(moved_at + timedelta(minutes=15)).reminders == 0
        assert due_work(target.start - timedelta(minutes=70)).reminders == 1
    assert [m.subject for m in reminders()] == ["In an hour: your free movement assessment"]
