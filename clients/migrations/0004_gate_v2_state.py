"""Fill the gate's stored state for the data that exists at deploy.

- Sessions logged so far were logged in the studio's zone (settings.TIME_ZONE):
  they keep it, and so do their days and check-in windows.
- Old answers to "felt in the lower back" count as "lower back hurt" (the old
  gate already made them amber, so no status jumps).
- Each stage assignment gets its client-day; each client their current stage,
  the day they entered it and their last session's day.
- Each day's next-morning answers become one check-in for that day (the worst
  of its answers, if sessions of one day were answered apart).
- Every session is decided and every client's status computed by the pure
  gate, with the thresholds in force at deploy (the stages' current values).

It sends no email and alerts no one: a client already flaring counts as
alerted (the old code alerted on the way in).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import Max

from clients import progression
from clients.gate import SESSION_FIELDS, session_facts
from clients.progression import Reason, Status, Thresholds


def _thresholds(stage: Any) -> Thresholds:
    return Thresholds(stage.green_days_needed, stage.green_floor, stage.amber_ceiling)


def fill(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Client = apps.get_model("clients", "Client")
    Session = apps.get_model("clients", "TrainingSession")
    Assignment = apps.get_model("clients", "StageAssignment")
    CheckIn = apps.get_model("clients", "CheckIn")
    Signoff = apps.get_model("clients", "TechniqueSignoff")
    Stage = apps.get_model("exercises", "Stage")
    studio = settings.TIME_ZONE
    zone = ZoneInfo(studio)
    now = datetime.now(UTC)

    Session.objects.filter(time_zone="").update(time_zone=studio)
    Session.objects.filter(felt_lower_back=True).update(lower_back_hurt=True)
    for assignment in Assignment.objects.filter(entered_on__isnull=True):
        Assignment.objects.filter(pk=assignment.pk).update(
            entered_on=assignment.assigned_at.astimezone(zone).date()
        )

    answers: dict[tuple[int, Any], list[tuple[int, datetime]]] = defaultdict(list)
    for client_id, day, pain, at in Session.objects.filter(next_day_pain__isnull=False).values_list(
        "client_id", "performed_on", "next_day_pain", "next_day_answered_at"
    ):
        answers[(client_id, day)].append((pain, at))
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                client_id=client_id,
                training_day=day,
                pain=max(p for p, _ in values),
                answered_at=max(a for _, a in values),
                answered_on=max(a for _, a in values).astimezone(zone).date(),
            )
            for (client_id, day), values in answers.items()
        ],
        ignore_conflicts=True,
    )

    stages = {s.pk: s for s in Stage.objects.select_related("exercise")}
    thresholds = {pk: _thresholds(s) for pk, s in stages.items()}
    for client in Client.objects.all():
        latest = (
            Assignment.objects.filter(client_id=client.pk).order_by("-assigned_at", "-id").first()
        )
        if latest is None:
            continue
        stage = stages[latest.stage_id]
        today = now.astimezone(ZoneInfo(client.time_zone or studio)).date()
        rows = list(Session.objects.filter(client_id=client.pk).values(*SESSION_FIELDS))
        sessions = [session_facts(row) for row in rows]
        check_ins = [
            progression.CheckIn(training_day=d, pain=p, answered_on=a)
            for d, p, a in CheckIn.objects.filter(client_id=client.pk).values_list(
                "training_day", "pain", "answered_on"
            )
        ]
        following = next(
            (
                s
                for s in sorted(stages.values(), key=lambda s: s.position)
                if s.progression_id == stage.progression_id and s.position > stage.position
            ),
            None,
        )
        evaluation = progression.evaluate(
            stage_id=stage.pk,
            entered_on=latest.assigned_at.astimezone(zone).date(),
            sessions=sessions,
            check_ins=check_ins,
            thresholds=thresholds,
            today=today,
            now=now,
            current_exercise=stage.exercise.name,
            next_stage=(
                progression.NextStage(following.exercise.name, following.technique_signoff_required)
                if following
                else None
            ),
            technique_signed_off=Signoff.objects.filter(
                client_id=client.pk, stage_id=stage.pk
            ).exists(),
        )
        for session in sessions:
            decision = evaluation.decisions[session.id]
            if decision.decided:
                Session.objects.filter(pk=session.id).update(
                    light=decision.light.value,
                    light_reasons=[r.as_json() for r in decision.reasons],
                    decided_at=now,
                    decided_with=thresholds[session.stage_id].as_json(),
                    red_known_on=decision.red_known_on,
                )
        flaring = evaluation.status is Status.FLARE
        Client.objects.filter(pk=client.pk).update(
            stage_id=stage.pk,
            stage_entered_on=latest.assigned_at.astimezone(zone).date(),
            last_session_on=Session.objects.filter(client_id=client.pk).aggregate(
                last=Max("performed_on")
            )["last"],
            gate_status=evaluation.status.value,
            gate_reasons=[Reason.as_json(r) for r in evaluation.reasons],
            gate_suggestion=evaluation.suggestion.value if evaluation.suggestion else "",
            gate_green_days=evaluation.green_days,
            gate_green_days_needed=evaluation.green_days_needed,
            gate_since=now,
            gate_computed_on=today,
            flare_episode_since=now if flaring else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0003_gate_v2_schema"),
        ("exercises", "0003_gate_v2_thresholds"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
