"""The clock's work for client records, which `manage.py tick` runs every 15 minutes.

Idempotent. For every client whose state can move with the clock (their day has
turned, or a session waits to be decided) it recomputes the gate and adherence
under the client's lock; it tells clients about stage changes once the coach's
undo window has passed (never about a change that was undone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from clients.adherence.services import refresh_adherence
from clients.gate import local_day, lock, refresh
from clients.models import Client, StageAssignment, TrainingSession
from clients.program.services import UNDO_MINUTES
from clients.tasks import tell_client_of_stage_change


@dataclass
class TickReport:
    clients: int = 0
    decided: int = 0
    alerts: int = 0
    notices: int = 0

    def __str__(self) -> str:
        return (
            f"{self.clients} clients recomputed, {self.decided} sessions decided, "
            f"{self.alerts} new flare-ups, {self.notices} stage changes told"
        )


def due_for_tick(now: datetime) -> list[int]:
    """Clients whose state can change with the clock now.

    Their client-day has turned since their last recompute (the weekly windows,
    the 14-day freshness, adherence and check-in wording move), or a session of
    theirs still waits to be decided (its check-in window may have closed).
    """
    waiting = set(
        TrainingSession.objects.filter(light="")
        .exclude(client__status=Client.Status.DISCHARGED)
        .values_list("client_id", flat=True)
    )
    due = []
    for client_id, zone, computed_on, basis in (
        Client.objects.exclude(status=Client.Status.DISCHARGED)
        .filter(stage__isnull=False)
        .values_list("pk", "time_zone", "gate_computed_on", "adherence_basis")
    ):
        today = local_day(now, zone or settings.TIME_ZONE)
        stale = computed_on is None or computed_on < today
        if client_id in waiting or stale or (basis or {}).get("on") != today.isoformat():
            due.append(client_id)
    return due


def tell_stage_changes(now: datetime) -> int:
    """Email each client about their latest stage change once the undo window has passed.

    A change that was undone is marked told without an email: the client's stage
    is back where it was.
    """
    latest = StageAssignment.objects.filter(client=OuterRef("pk")).order_by("-assigned_at", "-id")
    rows = (
        Client.objects.exclude(status=Client.Status.DISCHARGED)
        .annotate(latest_id=Subquery(latest.values("pk")[:1]))
        .values_list("pk", "latest_id", "notified_assignment_id")
    )
    cutoff = now - timedelta(minutes=UNDO_MINUTES)
    told = 0
    for client_id, latest_id, notified_id in rows:
        if latest_id is None or latest_id == notified_id:
            continue
        assignment = StageAssignment.objects.get(pk=latest_id)
        # Strictly older than the window: an undo is allowed up to its last instant.
        if assignment.assigned_at >= cutoff:
            continue
        with transaction.atomic():
            # Under the client's lock, which an undo takes too: the latest change is final.
            Client.objects.select_for_update().filter(pk=client_id).first()
            if StageAssignment.objects.filter(client_id=client_id).first() != assignment:
                continue
            Client.objects.filter(pk=client_id).update(notified_assignment_id=latest_id)
            if assignment.kind not in {StageAssignment.Kind.START, StageAssignment.Kind.UNDO}:
                transaction.on_commit(partial(tell_client_of_stage_change.enqueue, latest_id))
                told += 1
    return told


def run(now: datetime | None = None) -> TickReport:
    """Everything the clock makes due for clients, each client in a transaction of their own."""
    now = now or timezone.now()
    report = TickReport()
    for client_id in due_for_tick(now):
        with transaction.atomic():
            locked = lock(client_id)
            outcome = refresh(locked, now=now)
            refresh_adherence(locked.client, now=now)
        report.clients += 1
        report.decided += len(outcome.sessions)
        report.alerts += int(bool(outcome.client.get("flare_episode_since")))
    report.notices = tell_stage_changes(now)
    return report
