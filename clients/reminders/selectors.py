"""Reads for reminders."""

from __future__ import annotations

from clients.models import Client
from clients.reminders.models import ReminderSettings


def reminders_of(client: Client) -> ReminderSettings:
    """The client's reminder choices, or an unsaved blank set (no reminders): one query."""
    found = ReminderSettings.objects.filter(client=client).first()
    return found if found is not None else ReminderSettings(client=client)
