"""The message thread between a client and the coaches who look after them.

One thread per client: a message names its client, so the thread is that
client's messages in order. Each reader has a read marker (how far they have
read), so unread counts are right for the client, their coach and the head
coach alike; the marker also remembers when its reader was last emailed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clients.audit.services import register
from clients.models.records import AppendOnlyQuerySet, Client

MESSAGE_MAX_LENGTH = 2000


class Message(models.Model):
    """One message in a client's thread, from the client or a coach; kept, never edited."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["client", "id"])]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="message_not_empty")]

    def __str__(self) -> str:
        # Never the text: this string is what the audit trail and the admin log show.
        return f"Message #{self.pk} in the thread of client #{self.client_id}"

    def get_additional_data(self) -> dict[str, int | None]:
        """The audit trail files this entry under its client."""
        return {"client_id": self.client_id}


class ReadMarker(models.Model):
    """How far one reader has read one client's thread, and when they were last emailed."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_up_to = models.PositiveBigIntegerField(
        default=0, help_text="The id of the latest message this reader has seen."
    )
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When this reader was last emailed about the thread."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "reader"], name="read_marker_once_per_reader")
        ]

    def __str__(self) -> str:
        return f"User #{self.reader_id} has read client #{self.client_id}'s thread"


register(Message)
