"""A new message is emailed as a link, never its text, at most once an hour per recipient."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from clients.messages.models import Message, ReadMarker
from clients.messages.services import MessageError, mark_read, send_message
from clients.messages.tasks import tell_of_new_message
from clients.models import Client
from coaching.models import User
from tests.factories import make_coach

pytestmark = pytest.mark.django_db
SECRET = "my sciatica flared on the stairs"


def sent(capture: Any, client: Client, author: User, text: str = SECRET) -> list[Any]:
    """Send a message, run what waits for the commit, return the emails it sent."""
    before = len(mail.outbox)
    with capture(execute=True):
        send_message(client=client, author=author, text=text)
    return mail.outbox[before:]


def test_the_coach_gets_a_link_never_the_text(
    client_a: Client, coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    [email] = sent(django_capture_on_commit_callbacks, client_a, client_a.user)
    assert email.to == [coach_a.email]
    assert email.subject == "New message from Ava Example"
    assert f"/coach/clients/{client_a.pk}/messages/" in email.body
    assert SECRET not in email.body and SECRET not in email.subject
    assert "sciatica" not in email.body


def test_the_client_gets_a_link_to_their_thread(
    client_a: Client, coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    [email] = sent(django_capture_on_commit_callbacks, client_a, coach_a, "Try 2 sets today")
    assert email.to == [client_a.user.email]
    assert "/me/messages/" in email.body and "Try 2 sets" not in email.body


def test_the_head_coach_writes_to_the_client_and_the_coach_hears_too(
    client_a: Client, coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    """The head coach reads every thread but is never emailed; the assigned coach is."""
    head = make_coach("head@example.com", head=True)
    emails = sent(django_capture_on_commit_callbacks, client_a, head, "Covering this week")
    assert sorted(e.to[0] for e in emails) == sorted([client_a.user.email, coach_a.email])
    emails = sent(django_capture_on_commit_callbacks, client_a, client_a.user)
    assert [e.to for e in emails] == []  # the coach was emailed within the hour


def test_at_most_one_email_per_thread_per_hour_per_recipient(
    client_a: Client, coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert len(sent(django_capture_on_commit_callbacks, client_a, client_a.user)) == 1
        clock.shift(timedelta(minutes=30))
        assert sent(django_capture_on_commit_callbacks, client_a, client_a.user) == []
        clock.shift(timedelta(minutes=29, seconds=59))
        assert sent(django_capture_on_commit_callbacks, client_a, client_a.user) == []
        clock.shift(timedelta(seconds=1))
        assert len(sent(django_capture_on_commit_callbacks, client_a, client_a.user)) == 1
    # The client's own hour is separate from the coach's.
    assert len(sent(django_capture_on_commit_callbacks, client_a, coach_a)) == 1


def test_no_email_when_the_message_was_read_before_the_worker_sent_it(
    client_a: Client, coach_a: User
) -> None:
    message = send_message(client=client_a, author=client_a.user, text=SECRET)
    mark_read(client=client_a, reader=coach_a, up_to=message.pk)
    tell_of_new_message.call(client_a.pk, recipient_id=coach_a.pk)
    assert mail.outbox == []


def test_an_erased_client_is_not_emailed_about(client_a: Client, coach_a: User) -> None:
    tell_of_new_message.call(client_a.pk + 1000, recipient_id=coach_a.pk)
    assert mail.outbox == []


def test_the_queued_task_carries_ids_only(
    client_a: Client, coach_a: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        send_message(client=client_a, author=client_a.user, text=SECRET)
    row = DBTaskResult.objects.get()
    assert row.task_path == "clients.messages.tasks.tell_of_new_message"
    assert row.args_kwargs == {"args": [client_a.pk], "kwargs": {"recipient_id": coach_a.pk}}


def test_only_the_thread_s_people_may_send(client_a: Client, coach_b: User) -> None:
    with pytest.raises(MessageError):
        send_message(client=client_a, author=coach_b, text="Not my client")
    assert not Message.objects.exists()


@pytest.mark.usefixtures("seeded_transactional_db")
def test_two_messages_at_the_same_moment_send_one_email(client_a: Client, coach_a: User) -> None:
    """Both writers claim the hour with one conditional UPDATE: only one of them wins."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks that make writers wait need PostgreSQL")
    ReadMarker.objects.create(client=client_a, reader=coach_a)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        barrier.wait()
        try:
            send_message(client=client_a, author=client_a.user, text=f"At once {n}")
        except BaseException as exc:  # noqa: BLE001 - the test inspects what each thread got
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Message.objects.count() == 2
    assert [m.to for m in mail.outbox] == [[coach_a.email]]
