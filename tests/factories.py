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


def make_many_clients(coach: User, count: int, sessions_each: int, *, prefix: str = "bulk") -> None:
    """Bulk-create clients with a long history, for query-count tests."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from clients.models import StageAssignment
    from exercises.models import Stage

    stages = list(Stage.objects.in_order().filter(progression__slug="hip-hinge"))
    users = User.objects.bulk_create(
        [User(email=f"{prefix}{i}@example.com", first_name=f"Bulk{i}") for i in range(count)]
    )
    clients = Client.objects.bulk_create(
        [Client(user=u, coach=coach, progression_id=stages[0].progression_id) for u in users]
    )
    today = timezone.localdate()
    start = timezone.now() - timedelta(days=sessions_each + 10)
    StageAssignment.objects.bulk_create(
        [
            StageAssignment(
                client=c,
                stage=stages[i % 8],
                kind="start",
                assigned_by=coach,
                assigned_at=start,
                reason="Bulk",
            )
            for i, c in enumerate(clients)
        ]
    )
    rows = []
    for i, c in enumerate(clients):
        stage = stages[i % 8]
        for d in range(sessions_each):
            day = today - timedelta(days=d + 1)
            rows.append(
                TrainingSession(
                    client=c,
                    stage=stage,
                    performed_on=day,
                    logged_at=timezone.make_aware(datetime.combine(day, time(18))),
                    sets=3,
                    reps=10,
                    load_kg=10 if stage.exercise.is_loaded else None,
                    pain_before=2,
                    pain_during=(d + i) % 7,
                    pain_after=2,
                    felt_hips=True,
                    next_day_pain=2,
                    next_day_answered_at=timezone.now(),
                )
            )
    TrainingSession.objects.bulk_create(rows, batch_size=2000)


def make_many_sessions(client: Client, count: int) -> None:
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from clients.models import StageAssignment

    assignment = StageAssignment.objects.filter(client=client).latest()
    today = timezone.localdate()
    TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                client=client,
                stage=assignment.stage,
                performed_on=today - timedelta(days=d // 2 + 1),
                logged_at=max(
                    assignment.assigned_at,
                    timezone.make_aware(
                        datetime.combine(today - timedelta(days=d // 2 + 1), time(18))
                    ),
                ),
                sets=3,
                reps=assignment.stage.reps,
                seconds=assignment.stage.seconds,
                pain_before=2,
                pain_during=d % 6,
                pain_after=2,
                felt_hips=True,
                next_day_pain=2,
                next_day_answered_at=timezone.now(),
            )
            for d in range(count)
        ]
    )
