"""The clock's work, run every 15 minutes by cron or a systemd timer (see the README).

Idempotent: running it twice in a row does the work once. It marks check-ins
missed when their window has closed, recomputes every client whose state can
change with the date, and enqueues what is due for the task worker: reminders,
held bookings to release, and intake answers past their retention period.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from clients import tick
from clients.outcomes.services import send_psfs_reminders
from clients.reminders.services import queue_due_reminders
from coaching.assessments.services import due_work
from coaching.privacy.services import retention_due
from coaching.privacy.tasks import purge_expired_intake


class Command(BaseCommand):
    help = "Do what the clock makes due: missed check-ins, date-driven recomputes, reminders."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"tick: {tick.run()}.")
        self.stdout.write(f"tick: {due_work()}")
        self.stdout.write(f"tick: {send_psfs_reminders()} activity check (PSFS) reminders queued.")
        self.stdout.write(f"tick: {queue_due_reminders()}.")
        if retention_due():
            purge_expired_intake.enqueue()
            self.stdout.write("tick: expired intake answers queued for deletion.")
