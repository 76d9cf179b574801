"""Adherence, stored: recomputed by tick, on each log, and when a plan or a pause changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from clients.adherence import rates
from clients.gate import local_day
from clients.models import (
    DEFAULT_SESSIONS_PER_WEEK,
    Client,
    Prescription,
    StageAssignment,
    StateChange,
    TrainingSession,
)
from clients.tasks import nudge_client

if TYPE_CHECKING:
    from coaching.accounts.models import User


def refresh_adherence(client: Client, *, now: datetime | None = None) -> rates.Adherence:
    """Recompute and store a client's adherence from their stages, plans, pauses and sessions."""
    now = now or timezone.now()
    today = local_day(now, client.zone)
    first = today - timedelta(days=rates.MONTH_DAYS)
    moves = list(
        StageAssignment.objects.filter(client=client)
        .order_by("assigned_at", "id")
        .values_list("entered_on", "stage_id")
    )
    plans: dict[int, list[tuple[date, int]]] = {}
    for stage_id, valid_from, count in (
        Prescription.objects.filter(client=client)
        .order_by("valid_from", "id")
        .values_list("stage_id", "valid_from", "sessions_per_week")
    ):
        plans.setdefault(stage_id, []).append((local_day(valid_from, client.zone), count))
    states = list(StateChange.objects.filter(client=client).values_list("changed_on", "state"))
    done = set(
        TrainingSession.objects.filter(client=client, performed_on__gte=first).values_list(
            "performed_on", flat=True
        )
    )

    def stage_on(day: date) -> int | None:
        current = None
        for entered, stage_id in moves:
            if entered is not None and entered <= day:
                current = stage_id
        return current

    def per_week(day: date) -> float:
        versions = [n for since, n in plans.get(stage_on(day) or 0, []) if since <= day]
        return float(versions[-1]) if versions else float(DEFAULT_SESSIONS_PER_WEEK)

    def state_on(day: date) -> str:
        current = Client.Status.ACTIVE.value
        for changed_on, state in states:
            if changed_on <= day:
                current = state
        return current

    days = [today - timedelta(days=i) for i in range(rates.MONTH_DAYS)]
    paused = {day for day in days if state_on(day) == Client.Status.PAUSED}
    started = next((entered for entered, _ in moves if entered is not None), client.started_on)
    base = rates.basis(today=today, started_on=started, per_week=per_week, paused=paused)
    result = rates.adherence(base, done=done, last_session_on=client.last_session_on)
    fields = {
        "adherence_week": result.week,
        "adherence_month": result.month,
        "needs_attention": result.needs_attention,
        "adherence_basis": base.as_json(),
    }
    Client.objects.filter(pk=client.pk).update(**fields)
    for name, value in fields.items():
        setattr(client, name, value)
    return result


NUDGE_TEXT = "Your coach sent you a nudge"


@transaction.atomic
def nudge(*, clients: list[Client], by: User) -> int:
    """Send each client the reminder email now, at most once a day each; how many went."""
    sent = 0
    for client in clients:
        today = client.today()
        # One conditional UPDATE claims today's nudge: two coaches ticking at once send one.
        claimed = (
            Client.objects.filter(pk=client.pk, status=Client.Status.ACTIVE)
            .exclude(nudged_on=today)
            .update(nudged_on=today)
        )
        if not claimed:
            continue
        client.nudged_on = today
        transaction.on_commit(partial(nudge_client.enqueue, client.pk))
        sent += 1
    return sent
