"""The gate's stored state: load plain facts, run the pure gate, store what it decided.

Every write that can change a client's status runs `refresh` (or the steps it is
made of) inside its own transaction, after `lock` has locked the client row, so
two writes for one client take turns and each decides on fresh data. Pages read
what is stored and never run the gate.

Stored lights are taken as given: a session is decided once, with the
thresholds in force then, and only a correction of that session decides it
again. The client's status, reasons, green days and since-when are rewritten on
every refresh; a new FLARE episode alerts the coach once, after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from clients import progression
from clients.models import CheckIn, Client, TechniqueSignoff, TrainingSession
from clients.progression import Decision, Evaluation, Light, Status, Thresholds
from clients.tasks import alert_coach_of_flare
from exercises.models import Stage, stage_neighbours

SESSION_FIELDS = [
    "id",
    "stage_id",
    "performed_on",
    "logged_at",
    "time_zone",
    "pain_before",
    "pain_during",
    "pain_after",
    "lower_back_hurt",
    "next_day_pain",
    "next_day_answered_at",
    "light",
    "light_reasons",
    "red_known_on",
]
# Resting values look back two weeks (a usual level three days before that); adherence a month.
LOOKBACK_DAYS = 30


def thresholds_of(stage: Stage) -> Thresholds:
    return Thresholds(
        green_days_needed=stage.green_days_needed,
        green_floor=stage.green_floor,
        amber_ceiling=stage.amber_ceiling,
    )


def local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def session_facts(row: dict[str, Any]) -> progression.Session:
    """The gate's view of one session, from its stored values."""
    zone = row["time_zone"]
    answered = row["next_day_answered_at"]
    opens, closes = progression.check_in_window(row["performed_on"], zone)
    return progression.Session(
        id=row["id"],
        stage_id=row["stage_id"],
        day=row["performed_on"],
        logged_at=row["logged_at"],
        logged_on=local_day(row["logged_at"], zone),
        window_opens=opens,
        window_closes=closes,
        pain_before=row["pain_before"],
        pain_during=row["pain_during"],
        pain_after=row["pain_after"],
        lower_back_hurt=row["lower_back_hurt"],
        next_morning=row["next_day_pain"],
        answered_on=local_day(answered, zone) if answered else None,
        light=Light(row["light"]) if row["light"] else None,
        reasons=tuple(progression.Reason.from_json(r) for r in row["light_reasons"] or ()),
        red_known_on=row["red_known_on"],
    )


@dataclass
class Locked:
    """A client whose row is locked until the transaction ends, with their stage around it.

    The row is locked on its own: PostgreSQL re-reads a locked row that another
    transaction changed meanwhile, but not rows joined to it, so the stages are
    read after the lock is held.
    """

    client: Client
    next_stage: Stage | None = None
    signed_off: bool = False

    @property
    def stage(self) -> Stage:
        assert self.client.stage is not None
        return self.client.stage

    def load_stages(self) -> None:
        """The current stage and the one after it, with the sign-off here: one query."""
        client = self.client
        assert client.stage_id is not None
        current = Stage.objects.filter(pk=client.stage_id).values("position")
        stages = list(
            Stage.objects.select_related("exercise")
            .filter(progression_id=client.progression_id, position__gte=Subquery(current))
            .annotate(
                signed_off=Exists(
                    TechniqueSignoff.objects.filter(
                        client_id=client.pk, stage=OuterRef("pk"), undone_at__isnull=True
                    )
                )
            )
            .order_by("position")[:2]
        )
        here, _, self.next_stage = stage_neighbours(stages, client.stage_id)
        client.stage = here
        self.signed_off = bool(here.signed_off)  # type: ignore[attr-defined]


def lock(client_id: int) -> Locked:
    """Lock one client's row, then read their stage: two queries."""
    locked = Locked(Client.objects.select_for_update().get(pk=client_id))
    locked.load_stages()
    return locked


@dataclass
class Facts:
    """Everything the gate reads for one client, as plain data."""

    sessions: list[progression.Session]
    check_ins: list[progression.CheckIn]
    thresholds: dict[int, Thresholds]
    today: date
    duplicate_id: int | None = None


def load_facts(locked: Locked, *, now: datetime, idempotency_key: Any = None) -> Facts:
    """Two queries (three when a session at an earlier stage still waits to be decided).

    With an idempotency key, `duplicate_id` names the session already saved with it.
    """
    client, stage = locked.client, locked.stage
    assert client.stage_entered_on is not None
    today = local_day(now, client.zone)
    recent = today - timedelta(days=LOOKBACK_DAYS)
    wanted = (
        Q(stage=stage, performed_on__gte=client.stage_entered_on)
        | Q(light="")
        | Q(red_known_on__gte=client.stage_entered_on)
        | Q(performed_on__gte=recent)
    )
    if idempotency_key is not None:
        wanted |= Q(idempotency_key=idempotency_key)
    rows = list(
        TrainingSession.objects.filter(client=client)
        .filter(wanted)
        .values(*SESSION_FIELDS, "idempotency_key")
    )
    duplicate = next(
        (r["id"] for r in rows if idempotency_key and r["idempotency_key"] == idempotency_key),
        None,
    )
    sessions = [session_facts(row) for row in rows]
    undecided = [s.day for s in sessions if s.light is None]
    since = min([recent, *(d - timedelta(days=4) for d in undecided)])
    check_ins = [
        progression.CheckIn(training_day=day, pain=pain, answered_on=answered_on)
        for day, pain, answered_on in CheckIn.objects.filter(
            client=client, answered_on__gte=since
        ).values_list("training_day", "pain", "answered_on")
    ]
    thresholds = {stage.pk: thresholds_of(stage)}
    others = {s.stage_id for s in sessions if s.light is None} - set(thresholds)
    if others:
        thresholds |= {
            other.pk: thresholds_of(other) for other in Stage.objects.filter(pk__in=others)
        }
    return Facts(sessions, check_ins, thresholds, today, duplicate)


def decide_new(session: TrainingSession, facts: Facts, *, now: datetime) -> Decision:
    """Decide a session about to be saved, record it on the session, and add it to the facts."""
    row = {name: getattr(session, name) for name in SESSION_FIELDS} | {"id": 0}
    draft = session_facts(row)
    limits = facts.thresholds[session.stage_id]
    decision = progression.decide(
        draft, usual=progression.usual_level(draft, facts.check_ins), thresholds=limits, now=now
    )
    record_decision(session, decision, limits, now=now)
    facts.sessions.append(
        session_facts(
            row
            | {
                "light": session.light,
                "light_reasons": session.light_reasons,
                "red_known_on": session.red_known_on,
            }
        )
    )
    return decision


def record_decision(
    session: TrainingSession, decision: Decision, thresholds: Thresholds, *, now: datetime
) -> None:
    if not decision.decided:
        return
    session.light = decision.light
    session.light_reasons = [r.as_json() for r in decision.reasons]
    session.decided_at = now
    session.decided_with = thresholds.as_json()
    session.red_known_on = decision.red_known_on


@dataclass
class Outcome:
    """What a refresh found: the evaluation, and what it changed (or would change)."""

    evaluation: Evaluation
    sessions: dict[int, Decision] = field(default_factory=dict)
    client: dict[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.sessions or self.client)


def evaluate(locked: Locked, facts: Facts, *, now: datetime) -> Evaluation:
    client, stage, following = locked.client, locked.stage, locked.next_stage
    assert client.stage_entered_on is not None
    return progression.evaluate(
        stage_id=stage.pk,
        entered_on=client.stage_entered_on,
        sessions=facts.sessions,
        check_ins=facts.check_ins,
        thresholds=facts.thresholds,
        today=facts.today,
        now=now,
        current_exercise=stage.exercise.name,
        next_stage=(
            progression.NextStage(following.exercise.name, following.technique_signoff_required)
            if following
            else None
        ),
        technique_signed_off=locked.signed_off,
    )


DECISION_FIELDS = ["light", "light_reasons", "decided_at", "decided_with", "red_known_on"]


def store(
    locked: Locked,
    facts: Facts,
    *,
    now: datetime,
    alert: bool = True,
    dry_run: bool = False,
    also: dict[str, Any] | None = None,
    sessions_also: dict[int, dict[str, Any]] | None = None,
) -> Outcome:
    """Run the gate on the facts and store its answer: new decisions and the client's state.

    `also` carries other client fields the calling write changes, and `sessions_also`
    other session fields (by session id): each is saved in the same update as the
    gate's, so a write costs one statement per table.
    """
    client = locked.client
    evaluation = evaluate(locked, facts, now=now)
    outcome = Outcome(evaluation)
    stored = {s.id: s for s in facts.sessions}
    for session_id, decision in evaluation.decisions.items():
        if session_id and decision.decided and stored[session_id].light is None:
            outcome.sessions[session_id] = decision
    outcome.client = _client_changes(client, evaluation, facts.today, now=now)
    if dry_run:
        return outcome
    _write_sessions(outcome.sessions, sessions_also or {}, facts, now=now)
    opens_episode = outcome.client.pop("_opens_episode", False)
    updates = {**outcome.client, **(also or {}), "gate_computed_on": facts.today}
    for name, value in updates.items():
        setattr(client, name, value)
    Client.objects.filter(pk=client.pk).update(**updates)
    if opens_episode and alert:
        client_id = client.pk
        transaction.on_commit(lambda: alert_coach_of_flare.enqueue(client_id))
    return outcome


def _write_sessions(
    decided: dict[int, Decision],
    others: dict[int, dict[str, Any]],
    facts: Facts,
    *,
    now: datetime,
) -> None:
    """One bulk update for each set of fields that changes (usually just one)."""
    stage_of = {s.id: s.stage_id for s in facts.sessions}
    groups: dict[tuple[str, ...], list[TrainingSession]] = {}
    for session_id in decided.keys() | others.keys():
        row = TrainingSession(pk=session_id)
        fields = list(others.get(session_id, {}))
        for name, value in others.get(session_id, {}).items():
            setattr(row, name, value)
        if session_id in decided:
            limits = facts.thresholds[stage_of[session_id]]
            record_decision(row, decided[session_id], limits, now=now)
            fields += DECISION_FIELDS
        groups.setdefault(tuple(sorted(fields)), []).append(row)
    for names, rows in groups.items():
        TrainingSession.objects.bulk_update(rows, list(names))


def _client_changes(
    client: Client, evaluation: Evaluation, today: date, *, now: datetime
) -> dict[str, Any]:
    """The client fields the evaluation changes, and whether a new flare episode begins."""
    new: dict[str, Any] = {
        "gate_status": evaluation.status.value,
        "gate_reasons": [r.as_json() for r in evaluation.reasons],
        "gate_suggestion": evaluation.suggestion.value if evaluation.suggestion else "",
        "gate_green_days": evaluation.green_days,
        "gate_green_days_needed": evaluation.green_days_needed,
    }
    was = client.gate_status
    if new["gate_status"] != was or client.gate_since is None:
        new["gate_since"] = now
    flaring = evaluation.status is Status.FLARE
    if flaring and was != Status.FLARE:
        # An episode ends only after a whole client-day out of FLARE.
        left = client.flare_left_on
        ongoing = client.flare_episode_since is not None and (
            left is None or today <= left + timedelta(days=1)
        )
        if not ongoing:
            new["flare_episode_since"] = now
            new["_opens_episode"] = True
        new["flare_left_on"] = None
    elif flaring and client.flare_episode_since is None:
        new["flare_episode_since"] = now
        new["_opens_episode"] = True
    elif not flaring and was == Status.FLARE:
        new["flare_left_on"] = today
    return {k: v for k, v in new.items() if k.startswith("_") or getattr(client, k) != v}


def refresh(
    locked: Locked, *, now: datetime | None = None, alert: bool = True, dry_run: bool = False
) -> Outcome:
    """Recompute and store a locked client's gate state from their history."""
    now = now or timezone.now()
    return store(locked, load_facts(locked, now=now), now=now, alert=alert, dry_run=dry_run)


def refresh_by_id(client_id: int, *, alert: bool = True, dry_run: bool = False) -> Outcome:
    """Lock one client and refresh them, in a transaction of its own."""
    with transaction.atomic():
        return refresh(lock(client_id), alert=alert, dry_run=dry_run)
