"""The scale benchmark's data generator (bench/data/), at 20 clients."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.data import generate
from bench.data.cast import BUSY_COACH_EMAIL, HEAD_COACH_EMAIL
from bench.data.manifest import manifest
from clients.models import Client, StageAssignment, TechniqueSignoff, TrainingSession
from coaching.models import Assessment, AvailabilityWindow, Coach
from exercises.models import Stage


@pytest.mark.django_db
def test_generator_builds_the_bench_studio_in_its_shape() -> None:
    """The generator builds 20 clients over four coaches, one of them the head coach,
    on all eight stages, with about 100 sessions each, stage histories that hold
    regressions as well as advances, the sign-offs loaded stages need, availability and
    assessments; run again, it adds nothing."""
    assert generate(20, seed=1) is True

    assert Client.objects.count() == 20
    assert Coach.objects.count() == 4
    assert list(Coach.objects.filter(is_head_coach=True).values_list("user__email", flat=True)) == [
        HEAD_COACH_EMAIL
    ]
    assert 4 <= Client.objects.filter(coach__email=BUSY_COACH_EMAIL).count() <= 6

    history: dict[int, list[StageAssignment]] = {}
    for row in StageAssignment.objects.select_related("stage").order_by("assigned_at", "id"):
        history.setdefault(row.client_id, []).append(row)
    current = {client_id: rows[-1].stage.position for client_id, rows in history.items()}
    assert sorted(set(current.values())) == list(range(1, 9))
    kinds = Counter(row.kind for rows in history.values() for row in rows)
    assert kinds[StageAssignment.Kind.START] == 20
    assert kinds[StageAssignment.Kind.ADVANCE] > kinds[StageAssignment.Kind.REGRESS] > 0

    signed = set(TechniqueSignoff.objects.values_list("client_id", "stage__position"))
    loaded = set(
        Stage.objects.filter(technique_signoff_required=True).values_list("position", flat=True)
    )
    for client_id, rows in history.items():
        for before, after in zip(rows, rows[1:], strict=False):
            if after.kind == StageAssignment.Kind.ADVANCE and after.stage.position in loaded:
                assert (client_id, before.stage.position) in signed

    per_client = Counter(TrainingSession.objects.values_list("client_id", flat=True))
    assert len(per_client) == 20
    assert all(100 <= n <= 115 for n in per_client.values()), per_client
    answered = TrainingSession.objects.filter(next_day_pain__isnull=False).count()
    assert 0.8 * sum(per_client.values()) < answered < sum(per_client.values())
    assert TrainingSession.objects.filter(pain_during__gte=6).exists()

    assert AvailabilityWindow.objects.values("coach").distinct().count() == 4
    statuses = set(Assessment.objects.values_list("status", flat=True))
    assert Assessment.objects.count() == 5
    assert {Assessment.Status.BOOKED, Assessment.Status.COMPLETED} <= statuses

    info = manifest()
    assert info["detail"]["sessions"] >= 100
    assert Client.objects.filter(user__last_name=info["surname"]).exists()

    assert generate(20, seed=1) is False
    assert Client.objects.count() == 20
