"""A client's reminder emails: when they train, when they check in, and what was queued."""

from __future__ import annotations

from datetime import time

from django.db import models
from django.db.models import Q
from django.utils import timezone

from clients.models.records import Client

# The check-in opens at 04:00 the morning after a training day: no reminder before it.
CHECK_IN_OPENS = time(4)


class ReminderSettings(models.Model):
    """Times in the client's own zone (Client.zone): they move with it."""

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    training_days = models.CharField(
        max_length=7, blank=True, help_text="Weekdays as digits, Monday 0 to Sunday 6."
    )
    training_time = models.TimeField(null=True, blank=True)
    check_in_time = models.TimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(check_in_time__isnull=True) | Q(check_in_time__gte=CHECK_IN_OPENS),
                name="reminder_check_in_from_4am",
            ),
            models.CheckConstraint(
                condition=Q(training_days__regex=r"^[0-6]*$"), name="reminder_training_days"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminders of client #{self.client_id}"

    @property
    def weekdays(self) -> frozenset[int]:
        return frozenset(int(d) for d in self.training_days)


class ReminderSent(models.Model):
    """One reminder claimed for one slot: the unique row is what makes `tick` send it once."""

    class Kind(models.TextChoices):
        TRAIN = "train", "Training"
        CHECK_IN = "check_in", "Check-in"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    slot = models.DateField(
        help_text="The client-day it is for: the training day (for a check-in, the day before)."
    )
    queued_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped = models.CharField(max_length=40, blank=True, help_text="Why it was not sent.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "kind", "slot"], name="reminder_once_a_slot")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder of client #{self.client_id} for {self.slot}"
