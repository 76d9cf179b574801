"""Writes for the message thread: sending a message, and marking the thread read.

Sending tells the other side by email, with a link only (never the text), at
most once an hour per thread and recipient (the head coach reads every thread
but is emailed only about their own clients'). The hour is kept on the recipient's
read marker and claimed with one conditional UPDATE, so two messages sent at
the same moment still send one email.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clients.messages.models import MESSAGE_MAX_LENGTH, Message, ReadMarker
from clients.messages.selectors import may_use_thread
from clients.messages.tasks import tell_of_new_message
from clients.models import Client
from clients.services import ProgramError, has_consented, require_consent

if TYPE_CHECKING:
    from coaching.accounts.models import User

EMAIL_GAP = timedelta(hours=1)


class MessageError(ProgramError):
    """The message cannot be sent; the text says why, for people."""


def recipients(client: Client, author: User) -> list[int]:
    """Who hears of a new message by email: the client and their coach, never the author.

    The head coach reads every thread but is not emailed about each one.
    """
    return [pk for pk in (client.user_id, client.coach_id) if pk != author.pk]


@transaction.atomic
def send_message(*, client: Client, author: User, text: str) -> Message:
    """Add a message to the client's thread and tell the other side, by email, with a link."""
    if not may_use_thread(author, client):
        raise MessageError("Only the client, their coach and the head coach use this thread.")
    # What is said about someone's back is health data: stored only after their consent.
    require_consent(client)
    text = text.strip()
    if not text:
        raise MessageError("Write your message")
    if len(text) > MESSAGE_MAX_LENGTH:
        raise MessageError(f"Messages must be {MESSAGE_MAX_LENGTH:,} characters or fewer")
    now = timezone.now()
    message = Message.objects.create(client=client, author=author, text=text, sent_at=now)
    others = recipients(client, author)
    # Every recipient has a marker to keep their hour on (their unread count needs none).
    ReadMarker.objects.bulk_create(
        [ReadMarker(client=client, reader_id=pk) for pk in others], ignore_conflicts=True
    )
    for recipient_id in others:
        if _claim_email(client=client, recipient_id=recipient_id, now=now):
            transaction.on_commit(
                partial(tell_of_new_message.enqueue, client.pk, recipient_id=recipient_id)
            )
    return message


@transaction.atomic
def send_to_many(*, clients: list[Client], author: User, text: str) -> tuple[int, int]:
    """One message, in each ticked client's own thread: (sent, skipped for want of consent).

    A thread is private to its client, so each gets their own copy; a client who has
    not consented to the current notice gets none (nothing is stored before consent).
    """
    if not text.strip():
        raise MessageError("Write your message")
    sent = skipped = 0
    for client in clients:
        if not has_consented(client):
            skipped += 1
            continue
        send_message(client=client, author=author, text=text)
        sent += 1
    return sent, skipped


def _claim_email(*, client: Client, recipient_id: int, now: datetime) -> bool:
    """True once per hour per thread and recipient: the UPDATE only matches when it is due."""
    due = Q(emailed_at__isnull=True) | Q(emailed_at__lte=now - EMAIL_GAP)
    claimed = (
        ReadMarker.objects.filter(client=client, reader_id=recipient_id)
        .filter(due)
        .update(emailed_at=now)
    )
    return claimed == 1


def mark_read(*, client: Client, reader: User, up_to: int) -> None:
    """The reader has seen the thread up to this message.

    One statement (an upsert), so it needs no transaction of its own. Written messages
    do not move their author's marker: their own messages never count as unread.
    """
    if not may_use_thread(reader, client):
        raise MessageError("Only the client, their coach and the head coach use this thread.")
    ReadMarker.objects.bulk_create(
        [ReadMarker(client=client, reader=reader, read_up_to=up_to)],
        update_conflicts=True,
        unique_fields=["client", "reader"],
        update_fields=["read_up_to"],
    )
