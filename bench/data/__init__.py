"""The benchmark's studio: any number of clients in one shape, built with the ORM.

`generate(n)` builds n clients over four coaches (a head coach who sees everyone, and
three ordinary coaches holding a quarter each, so one of them holds about 500 of 2,000),
spread over all the stages of the hip-hinge progression. Each client has about 100
sessions with next-morning check-ins in realistic patterns, a stage history with
advances and regressions, technique sign-offs where a loaded stage needs them, and some
have their own prescription. The coaches have weekly availability (booking looks three
weeks ahead) and there are n/4 assessments (booked, completed, cancelled, no-show), never
two active ones of a coach at overlapping times.

Everything goes through bulk_create in batches inside one transaction, so it runs on
PostgreSQL and SQLite alike, and a half-built studio is never left behind. Every user
gets the password PASSWORD (hashed once). Only the benchmark and its smoke test use this.

The parts: cast.py (who is who), history.py (each client's past, made up before saving),
assessments.py (availability and assessments), manifest.py (what a run needs to know,
and putting the POST clients back after it).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

import clients.models as client_models
from bench.data.assessments import add_availability, assessment_rows
from bench.data.cast import COACHES, PASSWORD, PROGRESSION, bench_clients
from bench.data.history import Plan, fill_history, plan_clients
from clients.models import Client, Prescription, StageAssignment, TechniqueSignoff, TrainingSession
from coaching.models import Assessment, Coach, User
from exercises.models import Stage

BATCH = 2000
CLIENT_CHUNK = 250


def generate(n_clients: int, *, seed: int = 1) -> bool:
    """Build the studio at n_clients; False (and nothing done) when it already exists."""
    existing = bench_clients().count()
    if existing >= n_clients:
        return False
    if existing:
        raise RuntimeError(
            f"This database holds {existing} bench clients, not {n_clients}: drop it and run "
            "again (make bench recreates it with BENCH_REGENERATE=1)."
        )
    rng = random.Random(seed)
    stages = list(
        Stage.objects.select_related("exercise")
        .filter(progression__slug=PROGRESSION)
        .order_by("position")
    )
    if not stages:
        raise RuntimeError("The hip-hinge progression is missing: run migrate first.")
    today = timezone.localdate()
    now = timezone.now()
    password = make_password(PASSWORD)
    with transaction.atomic():
        coaches = _coaches(password)
        plans = plan_clients(n_clients, len(stages), rng)
        for chunk in _chunks(plans, CLIENT_CHUNK):
            _save_clients(chunk, coaches, stages, password, rng, today, now)
        add_availability(coaches)
        rows = assessment_rows(max(5, n_clients // 4), coaches, stages, rng, now)
        Assessment.objects.bulk_create(rows, batch_size=BATCH)
    return True


def _chunks(items: list[Plan], size: int) -> Iterator[list[Plan]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _coaches(password: str) -> list[User]:
    users = User.objects.bulk_create(
        [
            User(email=email, first_name=first, last_name=last, password=password)
            for email, first, last, _ in COACHES
        ]
    )
    Coach.objects.bulk_create(
        [
            Coach(
                user=user,
                is_head_coach=head,
                video_link=f"https://meet.example.com/{user.first_name.lower()}",
            )
            for user, (*_, head) in zip(users, COACHES, strict=True)
        ]
    )
    return users


def _fields(model: Any) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def _save_clients(
    plans: list[Plan],
    coaches: list[User],
    stages: list[Stage],
    password: str,
    rng: random.Random,
    today: date,
    now: datetime,
) -> None:
    for plan in plans:
        fill_history(plan, stages, rng, today, now)
    by_position = {stage.position: stage for stage in stages}
    zone = settings.TIME_ZONE
    # Denormalised state the app keeps when its schema has it (stage, last session, the
    # zone a session was logged in, separate check-ins); set as the app's services would.
    client_fields = _fields(Client)
    session_fields = _fields(TrainingSession)
    check_in_model = getattr(client_models, "CheckIn", None)
    users = User.objects.bulk_create(
        [
            User(
                email=plan.email,
                first_name=plan.first_name,
                last_name=plan.last_name,
                password=password,
            )
            for plan in plans
        ],
        batch_size=BATCH,
    )
    rows = []
    for user, plan in zip(users, plans, strict=True):
        row = Client(
            user=user,
            coach=coaches[plan.coach],
            progression_id=stages[0].progression_id,
            started_on=plan.started_on or today,
            consented_at=plan.assignments[0][2] - timedelta(hours=1),
            consent_version=getattr(client_models, "CONSENT_VERSION", "2026-11"),
        )
        extra = {
            "stage": by_position[plan.position],
            "stage_entered_on": timezone.localdate(plan.assignments[-1][2]),
            "last_session_on": plan.sessions[-1]["performed_on"],
        }
        for name, value in extra.items():
            if name in client_fields:
                setattr(row, name, value)
        rows.append(row)
    clients = Client.objects.bulk_create(rows, batch_size=BATCH)
    assignments: list[StageAssignment] = []
    signoffs: list[TechniqueSignoff] = []
    sessions: list[TrainingSession] = []
    check_ins: list[Any] = []
    prescriptions: list[Prescription] = []
    with_entered_on = "entered_on" in _fields(StageAssignment)
    for client, plan in zip(clients, plans, strict=True):
        coach = coaches[plan.coach]
        previous: Stage | None = None
        for position, kind, at, reason in plan.assignments:
            stage = by_position[position]
            assignment = StageAssignment(
                client=client,
                stage=stage,
                from_stage=previous,
                kind=kind,
                assigned_by=coach,
                assigned_at=at,
                reason=reason,
            )
            if with_entered_on:
                assignment.entered_on = timezone.localdate(at)
            assignments.append(assignment)
            previous = stage
        signoffs += [
            TechniqueSignoff(
                client=client,
                stage=by_position[position],
                coach=coach,
                signed_at=at,
                note="Neutral spine throughout; the hips drive the movement.",
            )
            for position, at in plan.signoffs
        ]
        for values in plan.sessions:
            values = dict(values)
            stage = by_position[values.pop("position")]
            hurt = values.pop("hurt")
            if "lower_back_hurt" in session_fields:
                values["lower_back_hurt"] = hurt
            else:  # the old question, "felt in the lower back", counted as hurting
                values["felt_lower_back"] = hurt
            if "time_zone" in session_fields:
                values["time_zone"] = zone
            sessions.append(TrainingSession(client=client, stage=stage, **values))
            if check_in_model is not None and values["next_day_pain"] is not None:
                check_ins.append(
                    check_in_model(
                        client=client,
                        training_day=values["performed_on"],
                        pain=values["next_day_pain"],
                        answered_at=values["next_day_answered_at"],
                        answered_on=timezone.localdate(values["next_day_answered_at"]),
                    )
                )
        if plan.prescription:
            prescriptions.append(
                Prescription(client=client, stage=by_position[plan.position], **plan.prescription)
            )
    StageAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    if "notified_assignment" in client_fields:
        # The clients were told of their stage when it happened: tick has nothing to send.
        latest = {assignment.client_id: assignment for assignment in assignments}
        for client in clients:
            client.notified_assignment = latest[client.pk]
        Client.objects.bulk_update(clients, ["notified_assignment"], batch_size=BATCH)
    TechniqueSignoff.objects.bulk_create(signoffs, batch_size=BATCH)
    TrainingSession.objects.bulk_create(sessions, batch_size=BATCH)
    if check_in_model is not None:
        check_in_model.objects.bulk_create(check_ins, batch_size=BATCH)
    Prescription.objects.bulk_create(prescriptions, batch_size=BATCH)
