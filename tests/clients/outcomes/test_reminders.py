"""`tick` emails the 4-weekly PSFS reminder once per due date, with a link and nothing else."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from clients.models import Client
from clients.outcomes.models import PsfsAnswer, PsfsReminder
from clients.outcomes.services import send_psfs_reminders
from coaching.models import User
from tests.factories import make_client

pytestmark = pytest.mark.django_db
NAMES = ["Tying shoelaces", "Getting out of a car", "Gardening"]


def answered(client: Client, days_ago: int) -> PsfsAnswer:
    return PsfsAnswer.objects.create(
        client=client,
        answered_on=client.today() - timedelta(days=days_ago),
        activity_1=NAMES[0],
        activity_2=NAMES[1],
        activity_3=NAMES[2],
        score_1=3,
        score_2=4,
        score_3=5,
    )


def tick(capture: Any) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("tick", stdout=out)
    return out.getvalue()


def test_tick_reminds_once_when_four_weeks_have_passed(
    client_a: Client, django_capture_on_commit_callbacks: Any
) -> None:
    answered(client_a, 28)
    assert "1 activity check (PSFS) reminders queued" in tick(django_capture_on_commit_callbacks)
    [email] = mail.outbox
    assert email.to == [client_a.user.email]
    assert "/me/outcomes/" in email.body
    assert not any(name in email.body or name in email.subject for name in NAMES)
    assert "3" not in email.body.replace(client_a.user.email, "")
    assert "0 activity check (PSFS) reminders" in tick(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    reminder = PsfsReminder.objects.get()
    assert reminder.due_on == client_a.today()


def test_no_reminder_before_the_four_weeks_are_up(client_a: Client) -> None:
    answered(client_a, 27)
    assert send_psfs_reminders() == 0


def test_the_first_psfs_is_asked_on_me_not_by_email(client_a: Client) -> None:
    assert send_psfs_reminders() == 0


def test_paused_or_unconsented_clients_are_not_emailed(coach_a: User) -> None:
    paused = make_client("paused@example.com", coach=coach_a)
    Client.objects.filter(pk=paused.pk).update(status=Client.Status.PAUSED)
    answered(paused, 40)
    waiting = make_client("waiting@example.com", coach=coach_a, consented=False)
    answered(waiting, 40)
    assert send_psfs_reminders() == 0


def test_answering_starts_a_new_four_weeks_and_a_new_reminder(
    client_a: Client, django_capture_on_commit_callbacks: Any
) -> None:
    answered(client_a, 56)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_psfs_reminders(now=timezone.now() - timedelta(days=28)) == 1
    answered(client_a, 28)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_psfs_reminders() == 1
        assert send_psfs_reminders() == 0
    assert len(mail.outbox) == 2
    assert PsfsReminder.objects.count() == 2


def test_a_reminder_waits_for_the_clients_own_day(coach_a: User) -> None:
    """Due on the client's day, in the client's zone: not a moment before their midnight."""
    far_east = make_client("east@example.com", coach=coach_a, time_zone="Pacific/Kiritimati")
    answered(far_east, 28)
    yesterday_for_them = timezone.now() - timedelta(days=1)
    assert send_psfs_reminders(now=yesterday_for_them) == 0
    assert send_psfs_reminders() == 1
