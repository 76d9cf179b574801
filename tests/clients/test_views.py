from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from clients.models import Client, SessionRevision, TrainingSession
from coaching.models import User
from tests.factories import PASSWORD, make_session

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def good_post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "performed_on": timezone.localdate().isoformat(),
        "sets": "3",
        "reps": "12",
        "pain_before": "1",
        "pain_during": "2",
        "pain_after": "1",
        "felt_in": ["hips"],
        "effort": "",
        "notes": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def as_a(client: HttpClient, client_a: Client) -> HttpClient:
    client.force_login(client_a.user)
    return client


def test_a_client_logs_in_and_lands_on_today(client: HttpClient, client_a: Client) -> None:
    response = client.post(
        "/accounts/login/", {"username": client_a.user.email, "password": PASSWORD}
    )
    assert response["Location"] == "/me/"


def test_today_shows_the_stage_the_plan_and_a_big_log_button(as_a: HttpClient) -> None:
    body = as_a.get("/me/").content.decode()
    assert "Stage 3 of 8: Glute bridge" in body
    assert "Today: 3 × 12 reps" in body
    assert "Log today's session" in body
    assert "Flatten your lower back into the floor" in body
    assert "How is your back this morning?" not in body


def test_a_due_check_in_sits_at_the_very_top(as_a: HttpClient, client_a: Client) -> None:
    make_session(client_a, days_ago=1, next_day_pain=None)
    body = as_a.get("/me/").content.decode()
    main = body.split('<main id="main"')[1]
    assert main.index("How is your back this morning?") < main.index("Stage 3 of 8")
    assert main.count('name="pain"') == 11


def test_logging_a_session_without_javascript_redirects_with_the_light(
    as_a: HttpClient, client_a: Client
) -> None:
    response = as_a.post("/me/log/", good_post(), follow=True)
    assert response.redirect_chain == [("/me/", 302)]
    assert "Session saved. Waiting for tomorrow morning" in response.content.decode()
    session = TrainingSession.objects.get(client=client_a)
    assert (session.pain_during, session.felt_hips, session.stage.position) == (2, True, 3)


def test_logging_with_htmx_answers_with_the_light_and_the_gate_status(as_a: HttpClient) -> None:
    response = as_a.post("/me/log/", good_post(pain_during="7"), headers=HTMX)
    assert response.status_code == 200
    assert response.template_name == "clients/log_session.html#log_result"
    body = response.content.decode()
    assert "Red: too much for now" in body
    assert "Flare-up: take it easy" in body
    assert "Pain rose to 7 during the last session" in body
    assert 'hx-swap-oob="innerHTML:#messages"' in body


def test_the_log_form_asks_for_load_only_at_loaded_stages(
    client: HttpClient, client_a: Client, client_b: Client
) -> None:
    client.force_login(client_a.user)
    assert 'name="load_kg"' not in client.get("/me/log/").content.decode()
    client.force_login(client_b.user)
    assert 'name="load_kg"' in client.get("/me/log/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"pain_during": "11"}, "pain_during", "Pain is a whole number from 0 (none) to 10"),
        ({"pain_during": "-1"}, "pain_during", "Pain is a whole number from 0 (none) to 10"),
        ({"pain_before": "abc"}, "pain_before", "Pain is a whole number from 0 (none) to 10"),
        ({"pain_after": None}, "pain_after", "Choose your pain after"),
        ({"sets": ""}, "sets", "Enter how many sets you did"),
        ({"sets": "three"}, "sets", "Sets must be a whole number"),
        ({"reps": "0"}, "reps", "Reps must be at least 1"),
        ({"felt_in": None}, "felt_in", "Tick at least one place"),
        ({"felt_in": ["knees"]}, "felt_in", "Choose from the places listed"),
        ({"performed_on": "2099-01-01"}, "performed_on", "cannot be in the future"),
        ({"performed_on": "2001-01-01"}, "performed_on", "from the last 14 days only"),
        ({"performed_on": "31/02/2026"}, "performed_on", "Enter the date as a real date"),
        ({"effort": "11"}, "effort", "Effort is a whole number from 1 to 10"),
        ({"notes": "x" * 2001}, "notes", "Notes must be 2,000 characters or fewer"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_saves_nothing(
    as_a: HttpClient, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = as_a.post("/me/log/", good_post(**overrides), headers=HTMX)
    assert response.status_code == 200
    assert response.template_name == "clients/log_session.html#log_form"
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    body = response.content.decode()
    assert "There is a problem" in body and "<title>Error: Log a session" in body
    assert not TrainingSession.objects.exists()


def test_bad_input_without_javascript_keeps_what_was_entered(as_a: HttpClient) -> None:
    response = as_a.post("/me/log/", good_post(sets="", notes="Felt strong"))
    body = response.content.decode()
    assert body.startswith("<!doctype html>")
    assert "<title>Error: Log a session" in body
    assert "Felt strong" in body
    assert 'value="2" checked' in body  # the chosen pain stays chosen


def test_load_is_refused_at_an_unloaded_stage(as_a: HttpClient) -> None:
    response = as_a.post("/me/log/", good_post(load_kg="10"), headers=HTMX)
    assert "uses no load: leave the load out" in response.content.decode()
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize(
    ("load", "message"),
    [
        (None, "Enter the load you used"),
        ("-5", "Load cannot be negative"),
        ("heavy", "Load must be a number of kilograms"),
        ("12.25", "one decimal place at most"),
    ],
)
def test_load_is_required_and_checked_at_a_loaded_stage(
    client: HttpClient, client_b: Client, load: str | None, message: str
) -> None:
    client.force_login(client_b.user)
    response = client.post("/me/log/", good_post(reps="8", load_kg=load), headers=HTMX)
    assert message in " ".join(response.context["form"].errors["load_kg"])
    assert not TrainingSession.objects.exists()
    ok = client.post("/me/log/", good_post(reps="8", load_kg="16"), headers=HTMX)
    assert ok.template_name == "clients/log_session.html#log_result"


def test_answering_the_check_in_with_one_tap(as_a: HttpClient, client_a: Client) -> None:
    session = make_session(client_a, days_ago=1, next_day_pain=None)
    response = as_a.post("/me/check-in/", {"session": session.pk, "pain": "1"}, headers=HTMX)
    assert response.template_name == "clients/today.html#check_in_done"
    assert "back pain this morning 1 out of 10" in response.content.decode()
    session.refresh_from_db()
    assert session.next_day_pain == 1


def test_a_check_in_answered_twice_is_explained(as_a: HttpClient, client_a: Client) -> None:
    session = make_session(client_a, days_ago=1, next_day_pain=2)
    response = as_a.post("/me/check-in/", {"session": session.pk, "pain": "5"}, follow=True)
    assert "already answered the check-in" in response.content.decode()
    session.refresh_from_db()
    assert session.next_day_pain == 2


@pytest.mark.parametrize("pain", ["11", "-1", "lots", ""])
def test_a_check_in_with_a_bad_number_is_explained(
    as_a: HttpClient, client_a: Client, pain: str
) -> None:
    session = make_session(client_a, days_ago=1, next_day_pain=None)
    response = as_a.post("/me/check-in/", {"session": session.pk, "pain": pain}, headers=HTMX)
    assert response.status_code == 200
    assert "Choose a number from 0 (no pain) to 10" in response.content.decode()
    session.refresh_from_db()
    assert session.next_day_pain is None


def test_a_check_in_for_someone_elses_session_changes_nothing(
    as_a: HttpClient, client_b: Client
) -> None:
    theirs = make_session(client_b, days_ago=1, next_day_pain=None)
    response = as_a.post("/me/check-in/", {"session": theirs.pk, "pain": "3"}, follow=True)
    assert "could not find that session" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.next_day_pain is None


def test_a_client_corrects_todays_session_and_the_old_values_stay(
    as_a: HttpClient, client_a: Client
) -> None:
    session = make_session(client_a, days_ago=0, logged_at=timezone.now(), next_day_pain=None)
    page = as_a.get(f"/me/log/{session.pk}/")
    assert page.status_code == 200
    response = as_a.post(f"/me/log/{session.pk}/", good_post(pain_during="3"))
    assert response["Location"] == "/me/progress/"
    session.refresh_from_db()
    assert session.pain_during == 3
    assert SessionRevision.objects.get(session=session).previous_values["pain_during"] == 1


def test_yesterdays_session_cannot_be_corrected(as_a: HttpClient, client_a: Client) -> None:
    session = make_session(client_a, days_ago=1, logged_at=timezone.now() - timedelta(days=1))
    response = as_a.post(f"/me/log/{session.pk}/", good_post(pain_during="9"), follow=True)
    assert "only be corrected on the day" in response.content.decode()
    session.refresh_from_db()
    assert session.pain_during == 1


def test_progress_shows_stages_history_lights_and_a_readable_trend(
    as_a: HttpClient, client_a: Client
) -> None:
    make_session(client_a, days_ago=3)
    make_session(client_a, days_ago=1, pain_during=4, next_day_pain=1)
    body = as_a.get("/me/progress/").content.decode()
    assert 'aria-current="step"' in body and "you are here" in body
    assert "Green</span>" in body and "Amber</span>" in body
    assert "<svg" in body and 'role="img"' in body
    assert "Worst pain during your last 2 sessions went from 1" in body
    assert '<th scope="col">Next morning</th>' in body


def test_a_client_without_consent_is_asked_before_logging(
    client: HttpClient, coach_a: User
) -> None:
    from tests.factories import make_client

    unconsented = make_client("new@example.com", coach=coach_a, consented=False)
    client.force_login(unconsented.user)
    assert 'name="sets"' not in client.get("/me/log/").content.decode()
    client.post("/me/consent/")
    unconsented.refresh_from_db()
    assert unconsented.consented_at is not None and unconsented.consent_version
    assert 'name="sets"' in client.get("/me/log/").content.decode()


# --- Privacy ------------------------------------------------------------------------

CLIENT_URLS = ["/me/", "/me/log/", "/me/progress/"]


@pytest.mark.parametrize("url", CLIENT_URLS)
def test_anonymous_visitors_are_sent_to_login(client: HttpClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", [*CLIENT_URLS, "/me/log/1/"])
def test_coaches_cannot_use_client_pages(client: HttpClient, coach_a: User, url: str) -> None:
    client.force_login(coach_a)
    assert client.get(url).status_code == 403
    assert client.post("/me/check-in/", {"session": 1, "pain": 1}).status_code == 403
    assert client.post("/me/log/", good_post()).status_code == 403


def test_a_client_sees_only_their_own_sessions(
    client: HttpClient, client_a: Client, client_b: Client
) -> None:
    mine = make_session(client_a, days_ago=1, notes="mine")
    theirs = make_session(client_b, days_ago=1, notes="theirs-secret", pain_during=9)
    client.force_login(client_a.user)
    for url in CLIENT_URLS:
        body = client.get(url).content.decode()
        assert (
            "theirs-secret" not in body
            and "Kettlebell deadlift</a>\n          <strong>" not in body
        )
    assert client.get(f"/me/log/{theirs.pk}/").status_code == 404
    assert client.post(f"/me/log/{theirs.pk}/", good_post()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.pain_during == 9
    assert client.get(f"/me/log/{mine.pk}/").status_code in {200, 302}


# --- Query counts -------------------------------------------------------------------


def _history(client: Client, count: int) -> None:
    for days_ago in range(1, count + 1):
        make_session(client, days_ago=days_ago % 14 + 1)


@pytest.mark.parametrize("url", CLIENT_URLS)
def test_client_pages_make_a_fixed_number_of_queries(
    as_a: HttpClient,
    client_a: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    url: str,
) -> None:
    """One session or forty: the same queries (today <= 10)."""
    expected = {"/me/": 7, "/me/log/": 6, "/me/progress/": 10}[url]
    _history(client_a, 1)
    with django_assert_num_queries(expected):
        assert as_a.get(url).status_code == 200
    _history(client_a, 40)
    with django_assert_num_queries(expected):
        assert as_a.get(url).status_code == 200


def test_logging_a_session_makes_a_fixed_number_of_queries(
    as_a: HttpClient, client_a: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """Saving a session and showing the gate: 9 queries (target <= 10), any history."""
    _history(client_a, 1)
    with django_assert_num_queries(9):
        as_a.post("/me/log/", good_post(), headers=HTMX)
    _history(client_a, 40)
    with django_assert_num_queries(9):
        as_a.post("/me/log/", good_post(), headers=HTMX)
