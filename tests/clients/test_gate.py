"""The gate's stored state: the server's clock, time zones, alerts, and the pure answer kept.

These drive the real services (each one transaction with the client row locked)
and compare what they store with what the pure gate says of the same history.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from clients import gate, tick
from clients.models import CheckIn, Client, StageAssignment, TrainingSession
from clients.program.services import regress_stage
from clients.progression import Light, Status
from clients.services import (
    CheckInClosed,
    ProgramError,
    answer_check_in,
    correct_session,
    log_session,
)
from coaching.models import User
from tests.clients.test_concurrency import race
from tests.factories import make_client

pytestmark = pytest.mark.django_db


def values(day: date, during: int = 1, **extra: Any) -> dict[str, Any]:
    """A session's form values: glute bridge (reps), felt in the hips."""
    return {
        "performed_on": day,
        "sets": 3,
        "reps": 10,
        "seconds": None,
        "load_kg": None,
        "pain_before": 1,
        "pain_during": during,
        "pain_after": 1,
        "felt_hips": True,
        "felt_hamstrings": False,
        "felt_lower_back": False,
        "felt_elsewhere": False,
        "lower_back_hurt": False,
        "effort": None,
        "notes": "",
    } | extra


def at(zone: str, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone))


def assert_matches_the_pure_gate(client: Client) -> None:
    """Recomputing from history now finds nothing that differs from what is stored."""
    outcome = gate.refresh_by_id(client.pk, alert=False, dry_run=True)
    assert not outcome.sessions, f"undecided sessions the gate would decide: {outcome.sessions}"
    differences = {k: v for k, v in outcome.client.items() if not k.startswith("_")}
    assert not differences, f"stored state differs: {differences}"


# --- The check-in window, by the server's clock, in the client's zone ----------------

# West of UTC, east of it, and London in the week its clocks go back (25 October 2026).
WINDOW_CASES = [
    ("America/Los_Angeles", date(2026, 11, 10)),
    ("Asia/Kolkata", date(2026, 11, 10)),
    ("Europe/London", date(2026, 10, 24)),  # the check-in falls on the day the clocks change
]


@pytest.mark.parametrize(("zone", "day"), WINDOW_CASES)
def test_the_check_in_opens_at_4_local(coach_a: User, zone: str, day: date) -> None:
    """At 03:59 local the next morning it is refused; at 04:00 it is taken."""
    with time_machine.travel(at(zone, day, 18), tick=False) as clock:
        client = make_client("zone@example.com", coach=coach_a, time_zone=zone)
        log_session(client=client, values=values(day))
        clock.move_to(at(zone, day + timedelta(days=1), 3, 59))
        with pytest.raises(ProgramError, match="opens at 4am"):
            answer_check_in(client=client, training_day=day, pain=1)
        clock.move_to(at(zone, day + timedelta(days=1), 4))
        answer_check_in(client=client, training_day=day, pain=1)
        assert TrainingSession.objects.get().light == Light.GREEN


@pytest.mark.parametrize(("zone", "day"), WINDOW_CASES)
def test_the_check_in_closes_at_midnight_local(coach_a: User, zone: str, day: date) -> None:
    """23:59 local is still the morning after's day; 00:01 is refused and the session missed."""
    with time_machine.travel(at(zone, day, 18), tick=False) as clock:
        client = make_client("zone@example.com", coach=coach_a, time_zone=zone)
        log_session(client=client, values=values(day))
        other = make_client("late@example.com", coach=coach_a, time_zone=zone)
        log_session(client=other, values=values(day))
        clock.move_to(at(zone, day + timedelta(days=1), 23, 59))
        answer_check_in(client=client, training_day=day, pain=1)
        clock.move_to(at(zone, day + timedelta(days=2), 0, 1))
        with pytest.raises(CheckInClosed, match="closed at midnight"):
            answer_check_in(client=other, training_day=day, pain=1)
        # Missed at once, though the clock's task has not run.
        assert TrainingSession.objects.get(client=other).light == Light.MISSED
        assert not CheckIn.objects.filter(client=other).exists()


def test_a_later_change_of_zone_never_moves_a_sessions_window(coach_a: User) -> None:
    """Logged in London; the client then moves to Los Angeles: the window stays London's."""
    day = date(2026, 11, 10)
    zone = "Europe/London"
    with time_machine.travel(at(zone, day, 18), tick=False) as clock:
        client = make_client("mover@example.com", coach=coach_a, time_zone=zone)
        log_session(client=client, values=values(day))
        client.time_zone = "America/Los_Angeles"
        client.save(update_fields=["time_zone"])
        # 23:30 in Los Angeles is 07:30 the day after in London: London's window has closed.
        clock.move_to(at("America/Los_Angeles", day + timedelta(days=1), 23, 30))
        with pytest.raises(CheckInClosed):
            answer_check_in(client=client, training_day=day, pain=1)


def test_a_client_in_los_angeles_checks_in_on_their_own_morning(coach_a: User) -> None:
    """Wednesday 07:00 in Los Angeles (15:00 in London) answers Tuesday's session."""
    tuesday = date(2026, 11, 24)
    zone = "America/Los_Angeles"
    with time_machine.travel(at(zone, tuesday, 19), tick=False) as clock:
        client = make_client("la@example.com", coach=coach_a, time_zone=zone)
        log_session(client=client, values=values(tuesday))
        clock.move_to(at(zone, tuesday + timedelta(days=1), 7))
        answer_check_in(client=client, training_day=tuesday, pain=1)


def test_the_default_session_date_is_the_clients_today(coach_a: User) -> None:
    """At 20:00 in Los Angeles it is already tomorrow in London; the form offers LA's today."""
    from clients.forms import SessionForm

    zone = "America/Los_Angeles"
    with time_machine.travel(at(zone, date(2026, 11, 24), 20), tick=False):
        client = make_client("la@example.com", coach=coach_a, time_zone=zone)
        assert client.stage is not None
        form = SessionForm(stage=client.stage, today=client.today())
        assert form.fields["performed_on"].initial == date(2026, 11, 24)


# --- Deciding: logging late, missing, and reds found later ------------------------------


def test_tick_marks_missed_check_ins_and_is_idempotent(coach_a: User) -> None:
    zone = "Europe/London"
    day = date(2026, 11, 10)
    with time_machine.travel(at(zone, day, 18), tick=False) as clock:
        client = make_client("tick@example.com", coach=coach_a, time_zone=zone)
        log_session(client=client, values=values(day))
        clock.move_to(at(zone, day + timedelta(days=2), 0, 15))
        assert TrainingSession.objects.get().light == ""
        first = tick.run()
        assert (first.clients, first.decided) == (1, 1)
        assert TrainingSession.objects.get().light == Light.MISSED
        second = tick.run()
        assert (second.clients, second.decided) == (0, 0)
        call_command("recompute_gate", "--check", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_a_session_logged_after_its_window_is_decided_when_logged(coach_a: User) -> None:
    zone = "Europe/London"
    today = date(2026, 11, 10)
    with time_machine.travel(at(zone, today, 12), tick=False):
        client = make_client("late@example.com", coach=coach_a, time_zone=zone)
        missed = log_session(client=client, values=values(today - timedelta(days=3)))
        red = log_session(client=client, values=values(today - timedelta(days=3), during=7))
        assert (missed.session.light, red.session.light) == (Light.MISSED, Light.RED)
        assert red.session.red_known_on == today


def test_a_red_found_by_a_late_check_in_after_a_green_is_a_flare_and_alerts_once(
    coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Monday's session turns red at Tuesday's check-in, after Tuesday's green was logged.

    The red became known on Tuesday; Tuesday's green does not absorb it; the
    coach is told once, with a link and no pain scores.
    """
    zone = "Europe/London"
    monday = date(2026, 11, 9)
    with time_machine.travel(at(zone, monday, 18), tick=False) as clock:
        client = make_client("flare@example.com", coach=coach_a, time_zone=zone)
        log_session(client=client, values=values(monday))
        clock.move_to(at(zone, monday + timedelta(days=1), 7))
        log_session(client=client, values=values(monday + timedelta(days=1)))
        with django_capture_on_commit_callbacks(execute=True):
            answer_check_in(client=client, training_day=monday, pain=6)
        client.refresh_from_db()
        assert client.gate_status == Status.FLARE
        assert [m.subject for m in mail.outbox] == ["Flare-up: Client Example"]
        body = mail.outbox[0].body
        link = f"/coach/clients/{client.pk}/"
        # No pain score in the email: only a link (whose host and id may hold any digit).
        assert link in body and not re.search(r"\d", re.sub(r"https?://\S+", "", body))
        assert_matches_the_pure_gate(client)


def test_a_red_check_in_after_a_regress_counts_at_the_new_stage(
    coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    zone = "Europe/London"
    monday = date(2026, 11, 9)
    with time_machine.travel(at(zone, monday, 18), tick=False) as clock:
        client = make_client("regress@example.com", coach=coach_a, position=4, time_zone=zone)
        log_session(client=client, values=values(monday))
        clock.move_to(at(zone, monday + timedelta(days=1), 8))
        regress_stage(client=client, by=coach_a, reason="Knee niggle")
        with django_capture_on_commit_callbacks(execute=True):
            answer_check_in(client=client, training_day=monday, pain=7)
        client.refresh_from_db()
        assert client.stage is not None and client.stage.position == 3
        assert client.gate_status == Status.FLARE
        assert [m.subject for m in mail.outbox if m.subject.startswith("Flare")] == [
            "Flare-up: Client Example"
        ]


def test_a_same_day_correction_that_turns_a_session_red_alerts_the_coach(
    coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    zone = "Europe/London"
    day = date(2026, 11, 10)
    with time_machine.travel(at(zone, day, 18), tick=False):
        client = make_client("fix@example.com", coach=coach_a, time_zone=zone)
        logged = log_session(client=client, values=values(day))
        with django_capture_on_commit_callbacks(execute=True):
            correct_session(session=logged.session, values={"pain_during": 8}, by=client.user)
        session = TrainingSession.objects.get()
        assert (session.light, session.red_known_on) == (Light.RED, day)
        assert session.revisions.get().revised_by == client.user
        assert [m.subject for m in mail.outbox] == ["Flare-up: Client Example"]


def test_a_flare_episode_ends_only_after_a_whole_day_out_of_flare(
    coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Red, green the next day (out of FLARE), red again the day after: one episode, one alert.

    After a whole client-day out of FLARE, the next red is a new episode and a new alert.
    """
    zone = "Europe/London"
    day = date(2026, 11, 2)
    with time_machine.travel(at(zone, day, 18), tick=False) as clock:
        client = make_client("episode@example.com", coach=coach_a, time_zone=zone)

        def train(offset: int, during: int, morning: int | None = 1) -> None:
            clock.move_to(at(zone, day + timedelta(days=offset), 18))
            with django_capture_on_commit_callbacks(execute=True):
                log_session(client=client, values=values(day + timedelta(days=offset), during))
                if morning is not None:
                    clock.move_to(at(zone, day + timedelta(days=offset + 1), 7))
                    answer_check_in(
                        client=client, training_day=day + timedelta(days=offset), pain=morning
                    )

        train(0, 7)  # red: FLARE, alert 1
        train(1, 1)  # green the day after: out of FLARE on day 2
        train(2, 7)  # red again on day 2: the same episode (no whole day out)
        alerts = [m for m in mail.outbox if m.subject.startswith("Flare")]
        assert len(alerts) == 1
        train(3, 1)  # out of FLARE on day 4 ...
        train(5, 1)  # ... and all of day 5 ...
        train(6, 7)  # ... so a red on day 6 is a new episode
        alerts = [m for m in mail.outbox if m.subject.startswith("Flare")]
        assert len(alerts) == 2


# --- The stored state equals the pure function's answer ---------------------------------


def test_after_any_sequence_of_writes_the_stored_state_is_the_pure_gates_answer(
    coach_a: User,
) -> None:
    """Random logs, check-ins, corrections, stage moves and clock moves, for 30 clients.

    After every write, recomputing from the history finds nothing different; the
    sequences meet READY, HOLD and FLARE (asserted), so the check means something.
    """
    rng = random.Random(20261125)
    zone = "Europe/London"
    statuses: Counter[str] = Counter()
    start = at(zone, date(2026, 9, 1), 9)
    with time_machine.travel(start, tick=False) as clock:
        for n in range(30):
            client = make_client(f"random{n}@example.com", coach=coach_a, time_zone=zone)
            # Half the clients train gently and answer every morning; half do anything.
            calm = n % 2 == 0
            pains = [0, 1, 1, 2] if calm else [0, 1, 1, 1, 2, 2, 3, 4, 6]
            mornings = [0, 1, 1] if calm else [0, 1, 1, 2, 3, 5]
            now = start
            for _ in range(18):
                hours = [10, 14] if calm else [2, 8, 14, 20, 26]
                now += timedelta(hours=rng.choice(hours))
                clock.move_to(now)
                if rng.random() < 0.7:
                    tick.run()  # as cron would, every 15 minutes
                today = client.today()
                action = rng.random()
                try:
                    if action < 0.45:
                        day = today - timedelta(days=rng.choice([0, 0, 0, 1]))
                        log_session(
                            client=client,
                            values=values(day, rng.choice(pains), pain_before=rng.choice([1, 2])),
                        )
                    elif action < 0.85 or calm:
                        answer_check_in(
                            client=client,
                            training_day=today - timedelta(days=1),
                            pain=rng.choice(mornings),
                        )
                    elif action < 0.92:
                        latest = TrainingSession.objects.filter(client=client).first()
                        if latest is not None:
                            correct_session(
                                session=latest,
                                values={"pain_during": rng.choice([0, 2, 7])},
                                by=client.user,
                            )
                    else:
                        regress_stage(client=client, by=coach_a, reason="random")
                except ProgramError:
                    tick.run()  # nothing was written: let the clock's task catch up
                assert_matches_the_pure_gate(client)
                client.refresh_from_db()
                statuses[client.gate_status] += 1
            # Each client's clock starts again at `start`: a finished client leaves the
            # studio, so the next one's ticks go over their own state, not 29 others'.
            Client.objects.filter(pk=client.pk).update(status=Client.Status.DISCHARGED)
    assert set(statuses) == {Status.READY, Status.HOLD, Status.FLARE}, statuses


# --- Two writes for one client take turns (PostgreSQL row lock) -------------------------


@pytest.mark.usefixtures("seeded_transactional_db")
def test_simultaneous_red_check_ins_and_a_regress_end_in_the_pure_state_with_one_alert(
    coach_a: User,
) -> None:
    """Two red answers to one check-in and a regress, at once, 20 times, in varied order.

    Every run ends with one check-in, the state the pure gate gives, and one alert
    (PostgreSQL's row lock; on SQLite, its IMMEDIATE write lock, serialises them).
    """
    zone = "Europe/London"
    day = date(2026, 11, 9)
    for run in range(20):
        mail.outbox.clear()
        with time_machine.travel(at(zone, day, 18), tick=False) as clock:
            client = make_client(
                f"race{run}@example.com", coach=coach_a, position=4, time_zone=zone
            )
            log_session(client=client, values=values(day))
            clock.move_to(at(zone, day + timedelta(days=1), 8))
            order = [
                lambda c=client: answer_check_in(client=c, training_day=day, pain=7),
                lambda c=client: answer_check_in(client=c, training_day=day, pain=8),
                lambda c=client: regress_stage(client=c, by=coach_a, reason="race"),
            ]
            random.Random(run).shuffle(order)
            results = race(order)
            errors = [r for r in results if isinstance(r, Exception)]
            assert len(errors) == 1 and "already answered" in str(errors[0]), results
            assert CheckIn.objects.filter(client=client).count() == 1
            assert StageAssignment.objects.filter(client=client).count() == 2
            client.refresh_from_db()
            assert client.gate_status == Status.FLARE
            assert_matches_the_pure_gate(client)
            alerts = [m for m in mail.outbox if m.subject.startswith("Flare")]
            assert len(alerts) == 1, [m.subject for m in mail.outbox]
