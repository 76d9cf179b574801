"""Small make_* helpers for tests: explicit, no magic."""

from __future__ import annotations

from typing import Any

from django.conf import settings

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
    days_on_stage: int = 30,
    time_zone: str = "",
) -> Client:
    """A client who started on a stage some days ago (so sessions since then count)."""
    from datetime import timedelta

    from django.utils import timezone

    from clients import gate
    from clients.models import CONSENT_TEXT, CONSENT_VERSION, ConsentRecord, StageAssignment
    from exercises.models import Stage

    user = make_user(email, first_name=first_name, last_name="Example")
    stage = Stage.objects.get(progression__slug="hip-hinge", position=position)
    entered = timezone.now() - timedelta(days=days_on_stage)
    client = Client.objects.create(
        user=user,
        coach=coach,
        progression_id=stage.progression_id,
        consented_at=entered if consented else None,
        consent_version=CONSENT_VERSION if consented else "",
        time_zone=time_zone,
        stage=stage,
    )
    if consented:
        ConsentRecord.objects.create(
            client=client, version=CONSENT_VERSION, text=CONSENT_TEXT, given_at=entered
        )
    entered_on = gate.local_day(entered, client.zone)
    Client.objects.filter(pk=client.pk).update(stage_entered_on=entered_on)
    StageAssignment.objects.create(
        client=client,
        stage=stage,
        kind=StageAssignment.Kind.START,
        assigned_by=coach,
        assigned_at=entered,
        entered_on=entered_on,
        reason="Starting stage",
    )
    gate.refresh_by_id(client.pk, alert=False)
    return Client.objects.select_related("user", "stage__exercise").get(pk=client.pk)


def make_session(client: Client, *, days_ago: int = 1, **values: Any) -> TrainingSession:
    """A session at the client's current stage, logged that evening; its check-in the next
    morning unless `next_day_pain=None`. The gate decides it as the services would."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from clients import gate
    from clients.models import CheckIn

    client.refresh_from_db()
    assert client.stage is not None
    stage = client.stage
    zone = ZoneInfo(client.zone)
    now = timezone.now()
    day = client.today() - timedelta(days=days_ago)
    fields: dict[str, Any] = {
        "performed_on": day,
        "logged_at": min(datetime.combine(day, time(18), tzinfo=zone), now),
        "sets": stage.sets,
        "reps": stage.reps,
        "seconds": stage.seconds,
        "load_kg": 12 if stage.exercise.is_loaded else None,
        "pain_before": 1,
        "pain_during": 1,
        "pain_after": 1,
        "felt_hips": True,
        "next_day_pain": 1 if days_ago > 0 else None,
        "time_zone": client.zone,
    }
    fields.update(values)
    pain = fields["next_day_pain"]
    if pain is not None:
        answered = min(datetime.combine(day + timedelta(days=1), time(8), tzinfo=zone), now)
        fields.setdefault("next_day_answered_at", answered)
        CheckIn.objects.get_or_create(
            client=client,
            training_day=day,
            defaults={
                "pain": pain,
                "answered_at": fields["next_day_answered_at"],
                "answered_on": gate.local_day(fields["next_day_answered_at"], client.zone),
            },
        )
    session = TrainingSession.objects.create(client=client, stage=stage, **fields)
    last = client.last_session_on
    Client.objects.filter(pk=client.pk).update(last_session_on=max(last, day) if last else day)
    gate.refresh_by_id(client.pk, alert=False)
    session.refresh_from_db()
    return session


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
    today = timezone.localdate()
    start = timezone.now() - timedelta(days=sessions_each + 10)
    clients = Client.objects.bulk_create(
        [
            Client(
                user=u,
                coach=coach,
                progression_id=stages[0].progression_id,
                stage=stages[i % 8],
                stage_entered_on=timezone.localdate(start),
            )
            for i, u in enumerate(users)
        ]
    )
    StageAssignment.objects.bulk_create(
        [
            StageAssignment(
                client=c,
                stage=stages[i % 8],
                kind="start",
                assigned_by=coach,
                assigned_at=start,
                entered_on=timezone.localdate(start),
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
                    time_zone=settings.TIME_ZONE,
                )
            )
    TrainingSession.objects.bulk_create(rows, batch_size=2000)
    _settle(clients)


def _settle(clients: list[Client]) -> None:
    """Each client's last session day, and the gate's decisions, as the services leave them."""
    from django.db.models import Max

    from clients import gate

    for client in clients:
        last = TrainingSession.objects.filter(client=client).aggregate(day=Max("performed_on"))
        Client.objects.filter(pk=client.pk).update(last_session_on=last["day"])
        gate.refresh_by_id(client.pk, alert=False)


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
                time_zone=settings.TIME_ZONE,
            )
            for d in range(count)
        ]
    )
    _settle([client])
