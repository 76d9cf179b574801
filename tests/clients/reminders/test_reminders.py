"""Reminders end to end: settings, what `tick` queues (once), the email and unsubscribing."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client as HttpClient
from django.utils import timezone

from clients.models import Client
from clients.reminders.models import ReminderSent, ReminderSettings
from clients.reminders.services import queue_due_reminders, save_reminders, unsubscribe_token
from coaching.models import User
from tests.factories import make_client, make_session

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def ava(coach_a: User) -> Client:
    """A client in New York: her reminders follow her clock, not the studio's."""
    return make_client("ava@example.com", coach=coach_a, position=3, time_zone="America/New_York")


def every_day(
    client: Client, *, train: time | None = time(18), check_in: time | None = time(8)
) -> None:
    save_reminders(
        client=client,
        training_days=list(range(7)) if train else [],
        training_time=train,
        check_in_time=check_in,
    )


def local(hour: int, minute: int = 0, days: int = 0) -> datetime:
    today = timezone.now().astimezone(NEW_YORK).date() + timedelta(days=days)
    return datetime.combine(today, time(hour, minute), tzinfo=NEW_YORK)


def run_tick(now: datetime, capture: Any) -> Any:
    with capture(execute=True):
        return queue_due_reminders(now)


def test_the_client_chooses_days_and_times_on_the_settings_page(
    client: HttpClient, ava: Client
) -> None:
    client.force_login(ava.user)
    page = client.get("/me/settings/").content.decode()
    assert "Reminder emails" in page and "America/New_York" in page
    assert 'type="time"' in page and 'min="04:00"' in page
    response = client.post(
        "/me/settings/reminders/",
        {
            "reminders-training_days": ["0", "2", "4"],
            "reminders-training_time": "18:30",
            "reminders-check_in_time": "07:45",
        },
    )
    assert response.status_code == 302
    chosen = ReminderSettings.objects.get(client=ava)
    assert chosen.training_days == "024"
    assert chosen.training_time == time(18, 30) and chosen.check_in_time == time(7, 45)
    page = client.get("/me/settings/").content.decode()
    assert 'value="18:30"' in page and 'value="07:45"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reminders-check_in_time": "03:30"}, "Choose 4:00 or later"),
        ({"reminders-training_days": ["1"]}, "Choose a time for your training reminder"),
        ({"reminders-training_time": "18:00"}, "Tick the days you train, or clear the time"),
        ({"reminders-training_time": "half six"}, "Enter a time, like 18:00"),
    ],
)
def test_a_reminder_choice_that_cannot_work_is_explained(
    client: HttpClient, ava: Client, data: dict[str, Any], message: str
) -> None:
    client.force_login(ava.user)
    response = client.post("/me/settings/reminders/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Settings" in body and "There is a problem" in body
    assert message in body
    assert not ReminderSettings.objects.filter(client=ava).exists()


def test_a_training_reminder_is_queued_once_for_its_slot(
    ava: Client, django_capture_on_commit_callbacks: Any
) -> None:
    """18:00 in New York: one email; the next two ticks queue nothing more."""
    every_day(ava, check_in=None)
    assert run_tick(local(17, 45), django_capture_on_commit_callbacks).training == 0
    assert run_tick(local(18, 0), django_capture_on_commit_callbacks).training == 1
    assert run_tick(local(18, 15), django_capture_on_commit_callbacks).training == 0
    assert run_tick(local(18, 0), django_capture_on_commit_callbacks).training == 0
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.get().sent_at is not None


def test_no_training_reminder_once_the_client_has_logged_today(
    ava: Client, django_capture_on_commit_callbacks: Any
) -> None:
    every_day(ava, check_in=None)
    make_session(ava, days_ago=0)
    assert run_tick(local(18, 0), django_capture_on_commit_callbacks).training == 0
    assert mail.outbox == []


def test_a_reminder_queued_before_a_log_is_not_sent_after_it(
    ava: Client, django_capture_on_commit_callbacks: Any
) -> None:
    """The worker checks again when it runs: a session logged meanwhile cancels the email."""
    every_day(ava, check_in=None)
    queue_due_reminders(local(18, 0))  # claimed; the worker has not run yet
    make_session(ava, days_ago=0)
    from clients.reminders.tasks import send_reminder

    send_reminder.call(ReminderSent.objects.get().pk)
    assert mail.outbox == []
    assert ReminderSent.objects.get().skipped == "logged"


def test_a_check_in_reminder_comes_after_a_training_day_until_the_client_checks_in(
    ava: Client, django_capture_on_commit_callbacks: Any
) -> None:
    every_day(ava, train=None, check_in=time(8))
    assert run_tick(local(9), django_capture_on_commit_callbacks).check_ins == 0  # no session
    make_session(ava, days_ago=1, next_day_pain=None)
    assert run_tick(local(7, 45), django_capture_on_commit_callbacks).check_ins == 0
    assert run_tick(local(8), django_capture_on_commit_callbacks).check_ins == 1
    assert run_tick(local(8, 15), django_capture_on_commit_callbacks).check_ins == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "How is your back? One tap to check in"


def test_no_check_in_reminder_once_the_client_has_checked_in(
    ava: Client, django_capture_on_commit_callbacks: Any
) -> None:
    every_day(ava, train=None, check_in=time(8))
    make_session(ava, days_ago=1, next_day_pain=2)
    assert run_tick(local(8), django_capture_on_commit_callbacks).check_ins == 0


def test_paused_and_unsubscribed_clients_get_no_reminders(
    ava: Client, django_capture_on_commit_callbacks: Any
) -> None:
    every_day(ava, check_in=None)
    Client.objects.filter(pk=ava.pk).update(status=Client.Status.PAUSED)
    assert run_tick(local(18), django_capture_on_commit_callbacks).training == 0
    Client.objects.filter(pk=ava.pk).update(status=Client.Status.ACTIVE)
    ReminderSettings.objects.filter(client=ava).update(unsubscribed_at=timezone.now())
    assert run_tick(local(18), django_capture_on_commit_callbacks).training == 0


def test_the_email_has_a_one_tap_unsubscribe_and_no_health_data(
    ava: Client, django_capture_on_commit_callbacks: Any
) -> None:
    every_day(ava, train=time(18), check_in=None)
    make_session(ava, days_ago=1, pain_during=7, notes="sciatica on the left")
    run_tick(local(18), django_capture_on_commit_callbacks)
    (email,) = mail.outbox
    assert email.to == [ava.user.email]
    link = email.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<http://127\.0\.0\.1:8000/me/reminders/stop/\?t=[^>]+>", link)
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link[1:-1] in email.body
    assert "http://127.0.0.1:8000/me/log/" in email.body
    words = set(re.findall(r"[a-z0-9]+", (email.subject + " " + email.body).lower()))
    for health in ["pain", "sciatica", "7", "glute", "bridge", "flare", "red"]:
        assert health not in words, health
    sent = ReminderSent.objects.get()
    assert "train" in email.subject.lower() or "session" in email.subject.lower()
    assert sent.kind == "train"


def test_the_task_carries_only_an_id(
    ava: Client, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    from django.tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    every_day(ava, check_in=None)
    run_tick(local(18), django_capture_on_commit_callbacks)
    (queued,) = task_backends["default"].results  # type: ignore[attr-defined]
    assert queued.args == [ReminderSent.objects.get().pk] and queued.kwargs == {}


def test_one_tap_unsubscribe_is_a_page_with_one_button(ava: Client) -> None:
    every_day(ava)
    url = f"/me/reminders/stop/?t={unsubscribe_token(ava.pk)}"
    http = HttpClient(enforce_csrf_checks=True)
    page = http.get(url)
    assert "no-store" in page["Cache-Control"]
    body = page.content.decode()
    assert body.count("<button") == body.count("Log out") + 1  # one button, no login needed
    assert "Stop reminder emails" in body
    done = http.post(url)
    assert done.status_code == 200
    assert "We will not send you reminder emails any more" in done.content.decode()
    assert ReminderSettings.objects.get(client=ava).unsubscribed_at is not None


def test_a_mail_apps_one_click_post_unsubscribes(ava: Client) -> None:
    """RFC 8058: the app POSTs List-Unsubscribe=One-Click, with no cookie or CSRF token."""
    every_day(ava)
    http = HttpClient(enforce_csrf_checks=True)
    response = http.post(
        f"/me/reminders/stop/?t={unsubscribe_token(ava.pk)}",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert ReminderSettings.objects.get(client=ava).unsubscribed_at is not None


def test_a_forged_or_cut_link_unsubscribes_nobody(ava: Client) -> None:
    every_day(ava)
    token = unsubscribe_token(ava.pk)
    for bad in [token[:-3], str(ava.pk), ""]:
        assert HttpClient().post(f"/me/reminders/stop/?t={bad}").status_code == 400
    assert ReminderSettings.objects.get(client=ava).unsubscribed_at is None


def test_choosing_times_again_turns_reminders_back_on(ava: Client) -> None:
    every_day(ava)
    ReminderSettings.objects.filter(client=ava).update(unsubscribed_at=timezone.now())
    every_day(ava)
    assert ReminderSettings.objects.get(client=ava).unsubscribed_at is None


def test_tick_queues_due_reminders(ava: Client, django_capture_on_commit_callbacks: Any) -> None:
    """`manage.py tick` runs the reminders and says how many it queued."""
    from io import StringIO

    out = StringIO()
    call_command("tick", stdout=out)
    assert "reminders:" in out.getvalue()


def test_erasing_a_client_takes_their_reminders(ava: Client, studio_admin: User) -> None:
    from coaching.privacy.services import erase_client

    every_day(ava)
    queue_due_reminders(local(18))
    erase_client(client=ava, by=studio_admin)
    assert not ReminderSettings.objects.exists() and not ReminderSent.objects.exists()
