"""Small make_* helpers for tests: explicit, no magic."""

from __future__ import annotations

from typing import Any

from clients.models import Client, TrainingSession
from coaching.models import Coach, User

PASSWORD = "correct-horse-battery"


def make_user(email: str, *, first_name: str = "", last_name: str = "", **extra: Any) -> User:
    return User.objects.create_user(
        email=email, password=PASSWORD, first_name=first_name, last_name=last_name, **extra
    )


def make_coach(email: str, *, first_name: str = "Coach", head: bool = False) -> User:
    user = make_user(email, first_name=first_name, last_name="Example")
    Coach.objects.create(user=user, is_head_coach=head)
    return user


def make_client(
    email: str,
    *,
    coach: User,
    position: int = 1,
    consented: bool = True,
    first_name: str = "Client",
) -> Client:
    from django.utils import timezone

    from clients.services import create_client
    from exercises.models import Stage

    user = make_user(email, first_name=first_name, last_name="Example")
    stage = Stage.objects.get(progression__slug="hip-hinge", position=position)
    return create_client(
        user=user,
        coach=coach,
        stage=stage,
        by=coach,
        consented_at=timezone.now() if consented else None,
    )


def make_session(client: Client, *, days_ago: int = 1, **values: Any) -> TrainingSession:
    """A session at the client's current stage, logged on the day it was done."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from clients.models import StageAssignment

    stage = StageAssignment.objects.filter(client=client).latest().stage
    day = timezone.localdate() - timedelta(days=days_ago)
    logged = max(
        timezone.make_aware(datetime.combine(day, time(18))),
        StageAssignment.objects.filter(client=client).latest().assigned_at,
    )
    fields: dict[str, Any] = {
        "performed_on": day,
        "logged_at": logged,
        "sets": stage.sets,
        "reps": stage.reps,
        "seconds": stage.seconds,
        "load_kg": 12 if stage.exercise.is_loaded else None,
        "pain_before": 1,
        "pain_during": 1,
        "pain_after": 1,
        "felt_hips": True,
        "next_day_pain": 1 if days_ago > 0 else None,
    }
    fields.update(values)
    if fields["next_day_pain"] is not None:
        fields.setdefault("next_day_answered_at", timezone.now())
    return TrainingSession.objects.create(client=client, stage=stage, **fields)
