"""When a reminder is due: pure functions of the client's choices and their local clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from clients.reminders.models import CHECK_IN_OPENS

# A training reminder the clock could not send within two hours (the server was down)
# is dropped: a nudge to train at midnight helps nobody.
TRAINING_GRACE = timedelta(hours=2)


@dataclass(frozen=True)
class Plan:
    days: frozenset[int]
    train_at: time | None
    check_in_at: time | None


def training_slot(plan: Plan, local_now: datetime) -> date | None:
    """Today, if it is a training day and its reminder time has just come."""
    if plan.train_at is None or local_now.weekday() not in plan.days:
        return None
    wall = local_now.replace(tzinfo=None)
    start = datetime.combine(wall.date(), plan.train_at)
    return wall.date() if start <= wall < start + TRAINING_GRACE else None


def check_in_slot(plan: Plan, local_now: datetime) -> date | None:
    """Yesterday (the training day whose check-in it is), once the reminder time has come.

    Never before 04:00, when the check-in opens; until midnight, when it closes.
    """
    if plan.check_in_at is None:
        return None
    at = max(plan.check_in_at, CHECK_IN_OPENS)
    if local_now.replace(tzinfo=None).time() < at:
        return None
    return local_now.date() - timedelta(days=1)
