"""What the benchmark needs to know about the built studio (logins, ids, a surname), and
putting it back after a run: the POSTs' sessions deleted, the POST clients' rows restored."""

from __future__ import annotations

import json
from typing import Any

from django.core import serializers
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bench.data.cast import (
    BUSY_COACH_EMAIL,
    HEAD_COACH_EMAIL,
    ME_EMAIL,
    PASSWORD,
    POST_EMAILS,
    bench_clients,
)
from clients.models import Client, StageAssignment, TechniqueSignoff, TrainingSession
from coaching.models import Assessment, User


def manifest() -> dict[str, Any]:
    """What the benchmark needs to know about the built studio: logins, ids, a surname."""
    busy = User.objects.get(email=BUSY_COACH_EMAIL)
    head = User.objects.get(email=HEAD_COACH_EMAIL)
    detail = (
        bench_clients()
        .filter(coach=busy)
        .exclude(user__email__in=[ME_EMAIL, *POST_EMAILS])
        .annotate(n_sessions=Count("sessions"))
        .select_related("user")
        .order_by("-n_sessions", "pk")
        .first()
    )
    if detail is None:
        raise RuntimeError("The busy coach has no clients: the bench data is incomplete.")
    per_coach = dict(bench_clients().values_list("coach__email").annotate(n=Count("pk")).order_by())
    return {
        "clients": bench_clients().count(),
        "head_coach": {"email": HEAD_COACH_EMAIL, "clients_seen": bench_clients().count()},
        "busy_coach": {"email": BUSY_COACH_EMAIL, "clients": per_coach.get(BUSY_COACH_EMAIL, 0)},
        "clients_per_coach": per_coach,
        "me": ME_EMAIL,
        "post_clients": list(POST_EMAILS),
        "password": PASSWORD,
        "detail": {
            "id": detail.pk,
            "name": detail.user.get_full_name(),
            "sessions": detail.n_sessions,
        },
        "surname": detail.user.last_name,
        "sessions": TrainingSession.objects.count(),
        "assignments": StageAssignment.objects.count(),
        "regressions": StageAssignment.objects.filter(kind=StageAssignment.Kind.REGRESS).count(),
        "signoffs": TechniqueSignoff.objects.count(),
        "assessments": Assessment.objects.count(),
        "generated_at": head.date_joined.isoformat(),
        "generated_on": timezone.localdate(head.date_joined).isoformat(),
    }


def _sessions_added_by_bench() -> Any:
    """The POST clients' sessions logged after the studio was built: the benchmark's own."""
    built_at = User.objects.get(email=HEAD_COACH_EMAIL).date_joined
    return TrainingSession._base_manager.filter(
        client__user__email__in=POST_EMAILS, logged_at__gt=built_at
    )


def remove_sessions_added_by_bench() -> int:
    """Delete the sessions the benchmark's POSTs logged, so every run measures the same data."""
    deleted, _ = _sessions_added_by_bench().delete()
    return int(deleted)


def snapshot_post_clients() -> str:
    """The POST clients' rows as they are before a run (with any state the app stores)."""
    rows = Client._base_manager.filter(user__email__in=POST_EMAILS)
    return str(serializers.serialize("json", rows))


def restore_post_clients(snapshot: str) -> None:
    """Put the POST clients' rows back as they were before the run.

    Only the columns the snapshot holds are written, so a column a migration added
    since keeps the value the migration gave it.
    """
    current = {f.name for f in Client._meta.concrete_fields}
    saved = {row["pk"]: [n for n in row["fields"] if n in current] for row in json.loads(snapshot)}
    with transaction.atomic():
        for row in serializers.deserialize("json", snapshot, ignorenonexistent=True):
            row.object.save(update_fields=saved[row.object.pk])
