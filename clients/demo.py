"""Believable client histories for the demo studio (used by seed_demo only)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from clients import gate
from clients.models import (
    CONSENT_VERSION,
    CheckIn,
    Client,
    Message,
    PsfsAnswer,
    ReadMarker,
    StageAssignment,
    TechniqueSignoff,
    TrainingSession,
    WeeklyPain,
)
from clients.outcomes.scoring import week_of
from exercises.models import Stage

if TYPE_CHECKING:
    from coaching.accounts.models import User

# (days ago, pain before, worst during, after, next morning or None, felt in lower back)
Session = tuple[int, int, int, int, int | None, bool]


@dataclass(frozen=True)
class DemoClient:
    email: str
    first_name: str
    last_name: str
    coach_index: int
    position: int
    current: list[Session]
    signed_off: bool = False


GREEN_RUN: list[Session] = [(9, 2, 1, 1, 1, False), (6, 1, 1, 1, 1, False), (3, 1, 0, 1, 0, False)]

CLIENTS = [
    # The documented client: two greens, and yesterday's session waits for this morning.
    DemoClient(
        "client@example.com",
        "Jamie",
        "Reid",
        0,
        3,
        [(6, 3, 2, 2, 2, False), (4, 2, 2, 1, 1, False), (1, 2, 1, 1, None, False)],
    ),
    DemoClient("maria@example.com", "Maria", "Lopez", 0, 4, GREEN_RUN, signed_off=True),
    DemoClient(
        "tom@example.com",
        "Tom",
        "Becker",
        0,
        6,
        [(8, 2, 2, 2, 2, False), (5, 2, 3, 2, 2, False), (1, 3, 7, 6, 5, True)],
        signed_off=False,
    ),
    DemoClient("aisha@example.com", "Aisha", "Khan", 0, 1, [(2, 4, 3, 3, 3, False)]),
    DemoClient("leo@example.com", "Leo", "Martin", 0, 2, GREEN_RUN),
    DemoClient(
        "grace@example.com",
        "Grace",
        "Okafor",
        0,
        5,
        [(10, 2, 2, 1, 1, False), (7, 2, 4, 3, 2, False), (3, 2, 3, 2, 2, False)],
    ),
    DemoClient("noah@example.com", "Noah", "Williams", 0, 8, GREEN_RUN),
    DemoClient(
        "sofia@example.com",
        "Sofia",
        "Rossi",
        1,
        7,
        [(12, 1, 1, 1, 1, False), (9, 1, 2, 1, 1, False), (5, 1, 1, 1, 3, False)],
    ),
    DemoClient("ben@example.com", "Ben", "Carter", 1, 5, GREEN_RUN, signed_off=True),
    DemoClient(
        "ella@example.com",
        "Ella",
        "Nowak",
        1,
        3,
        [(20, 2, 2, 2, 2, False), (17, 2, 2, 1, 1, True)],
    ),
    DemoClient(
        "omar@example.com",
        "Omar",
        "Haddad",
        0,
        2,
        [(4, 3, 3, 3, 3, False), (2, 3, 4, 4, 3, False), (0, 3, 5, 4, None, True)],
    ),
    DemoClient(
        "chloe@example.com",
        "Chloe",
        "Dubois",
        1,
        6,
        [(3, 1, 1, 1, 1, False), (2, 1, 1, 0, 1, False)],
        signed_off=True,
    ),
]


def _at(day: date, hour: int = 18) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _session(
    client: Client, stage: Stage, day: date, values: Session, rng: random.Random
) -> TrainingSession:
    _, before, during, after, next_day, lower_back = values
    return TrainingSession(
        client=client,
        stage=stage,
        performed_on=day,
        logged_at=_at(day),
        sets=stage.sets,
        reps=stage.reps,
        seconds=stage.seconds,
        load_kg=(8 + 4 * (stage.position - 5) + rng.choice([0, 2, 4]))
        if stage.exercise.is_loaded
        else None,
        pain_before=before,
        pain_during=during,
        pain_after=after,
        felt_hips=True,
        felt_hamstrings=stage.position >= 4 and rng.random() < 0.5,
        lower_back_hurt=lower_back,
        time_zone=settings.TIME_ZONE,
        effort=rng.randint(4, 8),
        next_day_pain=next_day,
        next_day_answered_at=_at(day + timedelta(days=1), 8) if next_day is not None else None,
    )


def build_client(spec: DemoClient, *, user: User, coach: User, stages: list[Stage]) -> Client:
    """A client whose history walks up the stages to spec.position, all in the past."""
    rng = random.Random(spec.email)
    today = timezone.localdate()
    weeks_per_stage = 2
    days_at_current = max(14, max((v[0] for v in spec.current), default=0) + 2)
    start = today - timedelta(days=days_at_current + weeks_per_stage * 7 * (spec.position - 1))
    client = Client.objects.create(
        user=user,
        coach=coach,
        progression_id=stages[0].progression_id,
        started_on=start,
        consented_at=_at(start, 9),
        consent_version=CONSENT_VERSION,
        stage=stages[spec.position - 1],
        stage_entered_on=today - timedelta(days=days_at_current),
    )
    sessions: list[TrainingSession] = []
    previous: Stage | None = None
    for stage in stages[: spec.position]:
        index = stage.position - 1
        entered = start + timedelta(days=weeks_per_stage * 7 * index)
        if stage.position == spec.position:
            entered = today - timedelta(days=days_at_current)
        is_current = stage.position == spec.position
        StageAssignment.objects.create(
            client=client,
            stage=stage,
            from_stage=previous,
            kind=StageAssignment.Kind.START if previous is None else StageAssignment.Kind.ADVANCE,
            assigned_by=coach,
            assigned_at=_at(entered, 10),
            entered_on=entered,
            reason="Starting stage after the assessment"
            if previous is None
            else "3 of 3 green sessions",
        )
        if not is_current:
            for offset in (1, 4, 8):
                sessions.append(
                    _session(client, stage, entered + timedelta(days=offset), GREEN_RUN[0], rng)
                )
            if stages[index + 1].technique_signoff_required:
                TechniqueSignoff.objects.create(
                    client=client,
                    stage=stage,
                    coach=coach,
                    signed_at=_at(entered + timedelta(days=9), 11),
                    note="Neutral spine throughout; hips drive the movement.",
                )
        else:
            for values in spec.current:
                sessions.append(
                    _session(client, stage, today - timedelta(days=values[0]), values, rng)
                )
            if spec.signed_off:
                TechniqueSignoff.objects.create(
                    client=client, stage=stage, coach=coach, note="Solid hinge under control."
                )
        previous = stage
    TrainingSession.objects.bulk_create(sessions)
    CheckIn.objects.bulk_create(
        CheckIn(
            client=client,
            training_day=s.performed_on,
            pain=s.next_day_pain,
            answered_at=s.next_day_answered_at,
            answered_on=s.performed_on + timedelta(days=1),
        )
        for s in sessions
        if s.next_day_pain is not None and s.next_day_answered_at is not None
    )
    Client.objects.filter(pk=client.pk).update(
        last_session_on=max((s.performed_on for s in sessions), default=None),
        # The demo's history happened long ago: its clients have heard of every change.
        notified_assignment=StageAssignment.objects.filter(client=client).first(),
    )
    _messages(client, coach, spec.email, today)
    _outcomes(client, spec.email, today)
    gate.refresh_by_id(client.pk, alert=False)
    return client


# (days ago, from the coach, text): read by both, unless the client wrote last.
MESSAGES: dict[str, list[tuple[int, bool, str]]] = {
    "client@example.com": [
        (6, True, "How did the first bridges feel? Any twinge in the lower back?"),
        (6, False, "Mostly in my glutes, which felt odd in a good way. My back was fine."),
        (5, True, "That is what we want. Same sets this week, and keep the pause at the top."),
    ],
    "maria@example.com": [
        (2, False, "I have a 12 kg kettlebell at home: is that enough for the next stage?"),
    ],
    "tom@example.com": [
        (1, False, "My back is sore after yesterday's session. Should I rest today?"),
    ],
}


def _messages(client: Client, coach: User, email: str, today: date) -> None:
    """A short thread, so the messages pages and the unread counts have something to show."""
    thread = MESSAGES.get(email, [])
    rows = Message.objects.bulk_create(
        Message(
            client=client,
            author=coach if from_coach else client.user,
            text=text,
            sent_at=_at(today - timedelta(days=days), 9 + i),
        )
        for i, (days, from_coach, text) in enumerate(thread)
    )
    if rows:
        client_wrote_last = not thread[-1][1]
        readers = [client.user] if client_wrote_last else [client.user, coach]
        ReadMarker.objects.bulk_create(
            ReadMarker(client=client, reader=reader, read_up_to=rows[-1].pk) for reader in readers
        )


# (days ago, three scores) on the client's three activities, and weekly ratings, oldest first.
PSFS: dict[str, tuple[list[str], list[tuple[int, list[int]]]]] = {
    "client@example.com": (
        ["Putting on socks", "Sitting through a film", "Lifting the shopping"],
        [(33, [2, 3, 4]), (5, [5, 4, 7])],
    ),
    "maria@example.com": (
        ["Gardening", "Driving for an hour", "Picking up my niece"],
        [(20, [3, 5, 4])],
    ),
}
WEEKLY_PAIN = {"client@example.com": [6, 5, 5, 4, 3], "maria@example.com": [4, 3]}


def _outcomes(client: Client, email: str, today: date) -> None:
    """A few outcome answers, so the charts and the change since the start show."""
    names, answers = PSFS.get(email, ([], []))
    PsfsAnswer.objects.bulk_create(
        PsfsAnswer(
            client=client,
            answered_at=_at(today - timedelta(days=days), 8),
            answered_on=today - timedelta(days=days),
            activity_1=names[0],
            activity_2=names[1],
            activity_3=names[2],
            score_1=scores[0],
            score_2=scores[1],
            score_3=scores[2],
        )
        for days, scores in answers
    )
    ratings = WEEKLY_PAIN.get(email, [])
    WeeklyPain.objects.bulk_create(
        WeeklyPain(
            client=client,
            week_of=week_of(today) - timedelta(weeks=len(ratings) - i),
            rating=rating,
            answered_at=_at(week_of(today) - timedelta(weeks=len(ratings) - i), 8),
            answered_on=week_of(today) - timedelta(weeks=len(ratings) - i),
        )
        for i, rating in enumerate(ratings)
    )
