"""The gate-v2 data migration (clients 0004_gate_v2_state) on data logged before it.

The database is taken back to the state just before the data migration
(clients 0003_gate_v2_schema: the new columns exist, nothing fills them yet),
rows are made through that state's historical models as the old code left them
(the old question "felt in the lower back", next-morning answers kept on the
session), and the database then migrates forward to today's migrations. This is
what django-test-migrations' `migrator` fixture does, done with Django's own
migration executor.

DESIGN.md, "Pain gates progression": old "felt in the lower back" answers count
as "lower back hurt", every decided session gets its stored light and every
client their stored status, and the data migration alerts no one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps.registry import Apps
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.tasks.signals import task_enqueued
from django.utils import timezone

from clients import gate
from clients.models import CheckIn, Client, TrainingSession

BEFORE_DATA_MIGRATION = [("clients", "0003_gate_v2_schema")]
DATA_MIGRATION = ("clients", "0004_gate_v2_state")


def migrate_to(targets: list[tuple[str, str]]) -> Apps:
    """Apply or unapply migrations up to `targets`; the historical models at that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest() -> list[tuple[str, str]]:
    """Every app's newest migration."""
    nodes: list[tuple[str, str]] = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return nodes


@contextmanager
def tasks_enqueued() -> Iterator[list[str]]:
    """The names of the tasks enqueued meanwhile, whatever the backend."""
    names: list[str] = []

    def on_enqueued(sender: Any, task_result: Any, **kwargs: Any) -> None:
        names.append(task_result.task.name)

    task_enqueued.connect(on_enqueued, dispatch_uid=__name__)
    try:
        yield names
    finally:
        task_enqueued.disconnect(dispatch_uid=__name__)


@pytest.fixture
def before_data_migration(seeded_transactional_db: None) -> Iterator[Apps]:
    """The database just before the data migration; brought back to the latest state after."""
    executor = MigrationExecutor(connection)
    assert DATA_MIGRATION in executor.loader.applied_migrations
    assert executor.loader.graph.node_map[DATA_MIGRATION].parents == {
        executor.loader.graph.node_map[BEFORE_DATA_MIGRATION[0]],
        executor.loader.graph.node_map[("exercises", "0003_gate_v2_thresholds")],
    }
    try:
        yield migrate_to(BEFORE_DATA_MIGRATION)
    finally:
        migrate_to(latest())


def test_old_data_migrates_to_stored_gate_state_with_old_answers_mapped_and_no_alert(
    before_data_migration: Apps,
) -> None:
    old = before_data_migration
    studio = ZoneInfo(settings.TIME_ZONE)
    # Noon in the studio, so every day below is a whole client-day away from midnight.
    today = timezone.now().astimezone(studio).date()
    noon = datetime.combine(today, time(12), tzinfo=studio)

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=studio)

    with time_machine.travel(noon, tick=True):
        User = old.get_model("coaching", "User")
        OldClient = old.get_model("clients", "Client")
        Assignment = old.get_model("clients", "StageAssignment")
        Session = old.get_model("clients", "TrainingSession")
        Stage = old.get_model("exercises", "Stage")
        assert "felt_lower_back" in {f.name for f in Session._meta.get_fields()}
        assert not old.get_model("clients", "CheckIn").objects.exists()

        stage = Stage.objects.get(progression__slug="hip-hinge", position=2)
        coach = User.objects.create(email="old.coach@example.com", first_name="Olga")

        def old_client(email: str, first_name: str) -> Any:
            user = User.objects.create(email=email, first_name=first_name)
            client = OldClient.objects.create(
                user=user,
                coach=coach,
                progression_id=stage.progression_id,
                consented_at=noon - timedelta(days=20),
                consent_version="1",
            )
            Assignment.objects.create(
                client=client,
                stage=stage,
                kind="start",
                assigned_by=coach,
                assigned_at=noon - timedelta(days=10),
                reason="Starting stage",
            )
            return client

        def old_session(client: Any, days_ago: int, *, back: bool, during: int = 1) -> int:
            """A session as the old code logged it: in the studio's zone, at 18:00, its
            next-morning answer (1) on the session itself at 08:00 the next day."""
            day = today - timedelta(days=days_ago)
            answered = days_ago > 0
            return int(
                Session.objects.create(
                    client=client,
                    stage=stage,
                    performed_on=day,
                    logged_at=at(day, 18) if answered else at(day, 10),
                    time_zone=settings.TIME_ZONE,
                    sets=3,
                    reps=10,
                    pain_before=1,
                    pain_during=during,
                    pain_after=1,
                    felt_hips=True,
                    felt_lower_back=back,
                    next_day_pain=1 if answered else None,
                    next_day_answered_at=at(day + timedelta(days=1), 8) if answered else None,
                ).pk
            )

        # Holly: three green-looking days, and one day the old question was answered yes.
        holly = old_client("holly@example.com", "Holly")
        holly_back = {days: days == 3 for days in (4, 3, 2, 1)}
        holly_sessions = {
            old_session(holly, days, back=back): (days, back) for days, back in holly_back.items()
        }
        # Fred: a red yesterday (pain during 7, above the ceiling of 5), and today's session
        # still waiting for tomorrow's check-in, answered yes to the old question.
        fred = old_client("fred@example.com", "Fred")
        fred_red = old_session(fred, 1, back=False, during=7)
        fred_today = old_session(fred, 0, back=True)

        with tasks_enqueued() as enqueued:
            migrate_to(latest())

        # No alert and no email, although Fred is flaring up.
        assert enqueued == []
        assert mail.outbox == []

        # Old answers to "felt in the lower back" count as "lower back hurt"; the rest do not.
        sessions = {
            s.pk: s for s in TrainingSession.objects.filter(client_id__in=[holly.pk, fred.pk])
        }
        hurt = {pk: s.lower_back_hurt for pk, s in sessions.items()}
        assert hurt == {
            **{pk: back for pk, (_, back) in holly_sessions.items()},
            fred_red: False,
            fred_today: True,
        }
        assert all(s.felt_lower_back == s.lower_back_hurt for s in sessions.values())

        # Every decided session has its stored light, with the thresholds it was decided with;
        # today's session waits for its check-in, undecided.
        lights = {pk: s.light for pk, s in sessions.items()}
        assert lights == {
            **{pk: "amber" if back else "green" for pk, (_, back) in holly_sessions.items()},
            fred_red: "red",
            fred_today: "",
        }
        for pk, session in sessions.items():
            if pk == fred_today:
                assert (session.decided_at, session.decided_with) == (None, None)
            else:
                assert session.decided_at is not None
                assert session.decided_with == {
                    "green_days_needed": stage.green_days_needed,
                    "green_floor": stage.green_floor,
                    "amber_ceiling": stage.amber_ceiling,
                }
        assert sessions[fred_red].red_known_on == today - timedelta(days=1)
        # The old next-morning answers became one check-in a day.
        assert sorted(
            CheckIn.objects.filter(client_id=holly.pk).values_list("training_day", "pain")
        ) == [(today - timedelta(days=d), 1) for d in (4, 3, 2, 1)]
        assert list(
            CheckIn.objects.filter(client_id=fred.pk).values_list("training_day", "pain")
        ) == [(today - timedelta(days=1), 1)]

        # Each client's stored status. Holly would be READY (three green days) had the old
        # answer not been mapped; with it she has two of three.
        stored = {c.user.first_name: c for c in Client.objects.select_related("user", "stage")}
        assert {name: c.gate_status for name, c in stored.items()} == {
            "Holly": "hold",
            "Fred": "flare",
        }
        assert stored["Holly"].gate_reasons == [{"code": "green_days", "count": 2, "of": 3}]
        assert stored["Holly"].gate_green_days == 2
        assert stored["Holly"].flare_episode_since is None
        assert stored["Fred"].gate_reasons == [
            {
                "code": "red",
                "on": (today - timedelta(days=1)).isoformat(),
                "name": "during_too_much",
            }
        ]
        for client in stored.values():
            assert client.stage_id == stage.pk
            assert client.stage_entered_on == (noon - timedelta(days=10)).date()
            assert client.gate_since is not None
            assert client.gate_computed_on == today

        # The stored state is what the gate computes from the history (exits 1 otherwise).
        with tasks_enqueued() as enqueued:
            call_command("recompute_gate", "--check", stdout=StringIO())
            # Fred's flare-up counts as alerted already: his next refresh alerts no one.
            gate.refresh_by_id(fred.pk)
        assert Client.objects.get(pk=fred.pk).gate_status == "flare"
        assert enqueued == []
        assert mail.outbox == []
