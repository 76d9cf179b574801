"""Reads for the message thread: who may use it, a page of it, and unread counts.

`unread_messages` is an expression, not a query: the dashboard and /me/ fold it
into a query they already make, so unread counts cost no query of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import (
    BigIntegerField,
    Count,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from clients.messages.models import Message, ReadMarker
from clients.models import Client, sees_all_clients

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from coaching.accounts.models import User

THREAD_PAGE_SIZE = 50


def may_use_thread(user: User | AnonymousUser, client: Client) -> bool:
    """The client, their assigned coach and the head coach (or a studio admin)."""
    if not user.is_authenticated:
        return False
    return user.pk in (client.user_id, client.coach_id) or sees_all_clients(user)


def _read_up_to(reader: User | int) -> Coalesce:
    """The reader's marker on the thread of the message row it is used in (0 if none)."""
    marker = ReadMarker.objects.filter(client=OuterRef("client_id"), reader=reader).values(
        "read_up_to"
    )[:1]
    return Coalesce(Subquery(marker), Value(0), output_field=BigIntegerField())


def unread_messages(reader: User | int, client: int | OuterRef | None = None) -> Coalesce:
    """How many messages in a thread this reader has not seen, as an expression.

    Messages the reader wrote never count. `client` is the thread's client (an id or
    an OuterRef); by default the `pk` of the client row the expression annotates.
    """
    thread = OuterRef("pk") if client is None else client
    count = (
        Message.objects.filter(client=thread)
        .exclude(author=reader)
        .filter(pk__gt=_read_up_to(reader))
        .order_by()
        .values("client")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


def unread_count(*, client: Client, reader: User) -> int:
    """One thread's unread messages for one reader, in one query."""
    return (
        Message.objects.filter(client=client, pk__gt=_read_up_to(reader))
        .exclude(author=reader)
        .count()
    )


@dataclass
class Thread:
    """A page of one client's thread, oldest first, as one reader sees it."""

    client: Client
    reader_id: int
    messages: list[Message]
    seen_up_to: int
    earlier: int | None
    latest: bool

    @property
    def newest_id(self) -> int:
        return self.messages[-1].pk if self.messages else 0

    def is_new(self, message: Message) -> bool:
        """Written by someone else since the reader last opened the thread."""
        return message.pk > self.seen_up_to and message.author_id != self.reader_id

    @property
    def has_unseen(self) -> bool:
        """Whether this page moves the reader's marker (only the latest page does)."""
        return self.latest and any(self.is_new(m) for m in self.messages)


def thread_page(*, client: Client, reader: User, before: int | None = None) -> Thread:
    """Up to 50 messages before `before` (the latest by default), in one query.

    Each row carries the reader's marker as it was before this read, so the page can
    show which messages are new to them.
    """
    rows = Message.objects.filter(client=client).select_related("author")
    if before is not None:
        rows = rows.filter(pk__lt=before)
    found = list(
        rows.annotate(seen_up_to=_read_up_to(reader)).order_by("-id")[: THREAD_PAGE_SIZE + 1]
    )
    page = found[:THREAD_PAGE_SIZE]
    return Thread(
        client=client,
        reader_id=reader.pk,
        messages=page[::-1],
        seen_up_to=page[0].seen_up_to if page else 0,
        earlier=page[-1].pk if len(found) > THREAD_PAGE_SIZE else None,
        latest=before is None,
    )
