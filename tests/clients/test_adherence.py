"""Adherence: days with a session against the days the prescription in force asks for."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client as HttpClient
from django.utils import timezone

from clients.adherence import rates
from clients.adherence.services import refresh_adherence
from clients.models import Client
from clients.program.services import set_client_state, set_prescription
from clients.services import correct_session, log_session
from coaching.models import User
from tests.clients.test_gate import values
from tests.factories import make_client, make_session

TODAY = date(2026, 11, 25)


def rates_for(
    done: set[int], *, per_week: float = 3, paused: set[int] = frozenset(), started: int = 60
) -> rates.Adherence:
    """Adherence today, with sessions and pauses given as days ago."""
    base = rates.basis(
        today=TODAY,
        started_on=TODAY - timedelta(days=started),
        per_week=lambda day: per_week,
        paused={TODAY - timedelta(days=d) for d in paused},
    )
    last = TODAY - timedelta(days=min(done)) if done else None
    return rates.adherence(
        base, done={TODAY - timedelta(days=d) for d in done}, last_session_on=last
    )


def test_three_sessions_a_week_asked_and_done_is_100_percent() -> None:
    assert rates_for({1, 3, 5}).week == 100
    assert rates_for({1, 3}).week == round(100 * 2 / 3)


def test_adherence_is_capped_at_100_percent() -> None:
    assert rates_for({0, 1, 2, 3, 4, 5, 6}).week == 100


def test_days_8_to_30_are_their_own_window() -> None:
    """23 days at 3 a week ask for 23 * 3/7 (about 9.9) training days."""
    month = rates_for({8, 10, 12, 15, 17, 19, 22, 24, 26, 29}).month
    assert month == 100
    assert rates_for({8, 15, 22, 29}).month == round(100 * 4 / (23 * 3 / 7))


def test_paused_days_ask_for_nothing_and_count_nothing() -> None:
    """A week paused: no rate for it; a session logged while paused does not count."""
    assert rates_for({2}, paused={0, 1, 2, 3, 4, 5, 6}).week is None
    assert rates_for({1, 3, 5}, paused={4, 5, 6}).week == 100


def test_a_drop_of_20_points_below_the_month_needs_attention() -> None:
    """The month at 100%; this week at 67% (a drop of 33 points) needs attention; 100% not."""
    month = {8, 10, 12, 15, 17, 19, 22, 24, 26, 29}
    assert rates_for({1, 3} | month).needs_attention is True
    assert rates_for({1, 3, 5} | month).needs_attention is False


def test_the_attention_boundary_is_exactly_20_points() -> None:
    judge = rates.judge
    start = TODAY - timedelta(days=30)
    last = TODAY - timedelta(days=1)
    assert judge(
        week=80, month=100, today=TODAY, started_on=start, last_session_on=last
    ).needs_attention
    assert not judge(
        week=81, month=100, today=TODAY, started_on=start, last_session_on=last
    ).needs_attention


@pytest.mark.parametrize(("quiet_days", "attention"), [(6, False), (7, True)])
def test_nothing_logged_for_7_days_needs_attention(quiet_days: int, attention: bool) -> None:
    judge = rates.judge
    start = TODAY - timedelta(days=30)
    last = TODAY - timedelta(days=quiet_days)
    result = judge(week=None, month=None, today=TODAY, started_on=start, last_session_on=last)
    assert result.needs_attention is attention


@pytest.mark.parametrize(("days_in", "attention"), [(13, False), (14, True)])
def test_only_after_14_days_on_the_programme(days_in: int, attention: bool) -> None:
    """A new client who has not logged yet is not flagged in their first two weeks."""
    assert rates_for(set(), started=days_in).needs_attention is attention


@pytest.mark.django_db
def test_the_prescription_in_force_on_each_day_sets_what_is_expected(coach_a: User) -> None:
    """Two a week until four days ago, then five a week: expected days follow each version.

    Days -4 to 0 ask for 5/7 of a training day each; days -6 and -5 for 2/7.
    """
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=20), tick=False):
        client = make_client("plan@example.com", coach=coach_a, position=3, days_on_stage=40)
        assert client.stage is not None
        set_prescription(
            client=client,
            stage=client.stage,
            by=coach_a,
            sets=3,
            reps=10,
            seconds=None,
            target_load_kg=None,
            sessions_per_week=2,
        )
    with time_machine.travel(now - timedelta(days=4), tick=False):
        set_prescription(
            client=client,
            stage=client.stage,
            by=coach_a,
            sets=3,
            reps=10,
            seconds=None,
            target_load_kg=None,
            sessions_per_week=5,
        )
    with time_machine.travel(now, tick=False):
        result = refresh_adherence(Client.objects.get(pk=client.pk))
        basis = rates.Basis.from_json(Client.objects.get(pk=client.pk).adherence_basis)
    assert basis is not None
    assert basis.expected_week == pytest.approx(5 * 5 / 7 + 2 * 2 / 7)
    assert result.week == 0


@pytest.mark.django_db
def test_a_log_updates_adherence_at_once_and_tick_recomputes_it_daily(
    client: HttpClient, coach_a: User
) -> None:
    person = make_client("daily@example.com", coach=coach_a, position=3, days_on_stage=40)
    call_command("tick", stdout=StringIO())
    person.refresh_from_db()
    assert person.adherence_week == 0 and person.needs_attention is True
    make_session(person, days_ago=2)
    client.force_login(person.user)
    data = {
        "performed_on": person.today().isoformat(),
        "sets": "3",
        "reps": "12",
        "pain_before": "1",
        "pain_during": "1",
        "pain_after": "1",
        "felt_in": ["hips"],
        "lower_back_hurt": "no",
    }
    client.post("/me/log/", data)
    person.refresh_from_db()
    assert person.adherence_week == 67 and person.needs_attention is False


@pytest.mark.django_db
def test_a_corrected_date_moves_adherence_at_once(coach_a: User) -> None:
    """The studio re-dates a session onto a day already logged: one day fewer, stored now,
    and the same as tick's full recount."""
    person = make_client("redated@example.com", coach=coach_a, position=3, days_on_stage=40)
    call_command("tick", stdout=StringIO())
    make_session(person, days_ago=2)
    logged = log_session(client=person, values=values(person.today()))
    person.refresh_from_db()
    assert person.adherence_week == 67
    correct_session(
        session=logged.session,
        values={"performed_on": person.today() - timedelta(days=2)},
        by=coach_a,
        any_day=True,
    )
    person.refresh_from_db()
    assert person.adherence_week == 33
    assert refresh_adherence(person).week == 33


@pytest.mark.django_db
def test_a_pause_is_left_out_of_adherence(coach_a: User) -> None:
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=10), tick=False):
        person = make_client("pause@example.com", coach=coach_a, position=3, days_on_stage=40)
        set_client_state(client=person, state="paused", by=coach_a)
    with time_machine.travel(now, tick=False):
        result = refresh_adherence(Client.objects.get(pk=person.pk))
    assert result.week is None


@pytest.mark.django_db
def test_the_dashboard_filters_clients_who_need_attention(
    client: HttpClient, coach_a: User, django_assert_max_num_queries: Any
) -> None:
    quiet = make_client("quiet@example.com", coach=coach_a, first_name="Quinn", days_on_stage=40)
    busy = make_client("busy@example.com", coach=coach_a, first_name="Bea", days_on_stage=40)
    for days in (1, 3, 5):
        make_session(busy, days_ago=days)
    call_command("tick", stdout=StringIO())
    client.force_login(coach_a)
    response = client.get("/coach/?show=attention")
    names = [row.client.user.first_name for row in response.context["rows"]]
    assert names == ["Quinn"]
    assert response.context["counts"]["attention"] == 1
    body = client.get("/coach/").content.decode()
    assert "Needs attention" in body and "days 8-30" in body
    assert quiet.pk != busy.pk
