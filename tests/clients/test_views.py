from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from time_machine import TimeMachineFixture

from clients.models import (
    CheckIn,
    Client,
    EmergencyReport,
    SessionRevision,
    StageAssignment,
    TrainingSession,
)
from clients.program.services import regress_stage
from coaching.models import User
from tests.factories import PASSWORD, make_client, make_session

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
        "lower_back_hurt": "no",
        "effort": "",
        "notes": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def yesterday() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


@pytest.fixture
def as_a(client: HttpClient, client_a: Client) -> HttpClient:
    client.force_login(client_a.user)
    return client


@pytest.fixture
def midday() -> Any:
    """It is noon today in the studio's zone, whatever the real hour (the clock keeps running).

    Yesterday's check-in is open from 4am, so tests that answer it do not depend on
    when the suite runs.
    """
    real = timezone.now
    noon = datetime.combine(timezone.localdate(), time(12), tzinfo=ZoneInfo("Europe/London"))
    start = real()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: noon + (real() - start)):
        yield noon


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
    assert "How is your back now?" not in body


def test_a_due_check_in_sits_at_the_very_top(
    as_a: HttpClient, client_a: Client, midday: datetime
) -> None:
    make_session(client_a, days_ago=1, next_day_pain=None)
    body = as_a.get("/me/").content.decode()
    main = body.split('<main id="main"')[1]
    assert main.index("How is your back now?") < main.index("Stage 3 of 8")
    assert main.count('name="pain"') == 11
    card = main.split('id="check-in"')[1].split("</section>")[0]
    assert 'action="/me/emergency/"' in card


def test_logging_a_session_without_javascript_redirects_with_the_light(
    as_a: HttpClient, client_a: Client
) -> None:
    response = as_a.post("/me/log/", good_post(), follow=True)
    assert response.redirect_chain == [("/me/", 302)]
    body = response.content.decode()
    assert "Session saved. Waiting for tomorrow morning&#x27;s check-in." in body
    assert "Waiting for tomorrow morning&#x27;s check-in" in body
    session = TrainingSession.objects.get(client=client_a)
    assert (session.pain_during, session.felt_hips, session.lower_back_hurt) == (2, True, False)
    assert (session.stage.position, session.light) == (3, "")


def test_logging_with_htmx_answers_with_the_light_and_the_gate_status(as_a: HttpClient) -> None:
    """Pain 6 during, one above the ceiling: red at once, and the client is flaring up."""
    response = as_a.post("/me/log/", good_post(pain_during="6"), headers=HTMX)
    assert response.status_code == 200
    assert response.template_name == "clients/log_session.html#log_result"
    body = response.content.decode()
    assert "Red: too much for now" in body
    assert "Pain reached 6 during the session, above the ceiling" in body
    assert "Flare-up: take it easy" in body
    assert "Red today: pain during was above the ceiling" in body
    assert 'mb-3" role="status"' in body  # announced after the swap


def test_a_lower_back_that_hurt_keeps_the_session_amber_at_best(
    as_a: HttpClient, client_a: Client, midday: datetime
) -> None:
    """The question asks about pain, not the back muscles working."""
    form = as_a.get("/me/log/").content.decode()
    assert "Did your lower back hurt?" in form
    assert "not the muscles working" in form
    as_a.post("/me/log/", good_post(performed_on=yesterday(), lower_back_hurt="yes"))
    as_a.post("/me/check-in/", {"day": yesterday(), "pain": "1"})
    session = TrainingSession.objects.get(client=client_a)
    assert (session.lower_back_hurt, session.light) == (True, "amber")
    assert "The lower back hurt" in as_a.get("/me/").content.decode()


def test_the_same_form_token_twice_saves_one_session(as_a: HttpClient, client_a: Client) -> None:
    """A double tap or a resent form: the second answer shows the first session."""
    token = str(uuid.uuid4())
    form = as_a.get("/me/log/").content.decode()
    assert 'type="hidden" name="token"' in form
    first = as_a.post("/me/log/", good_post(token=token), headers=HTMX)
    again = as_a.post("/me/log/", good_post(token=token, pain_during="4"), headers=HTMX)
    assert again.template_name == "clients/log_session.html#log_result"
    assert again.context["session"].pk == first.context["session"].pk
    session = TrainingSession.objects.get(client=client_a)
    assert (session.pain_during, str(session.idempotency_key)) == (2, token)


def test_logging_is_refused_on_the_server_without_consent(
    client: HttpClient, coach_a: User
) -> None:
    """A POST that skips the consent box still stores nothing."""
    unconsented = make_client("new@example.com", coach=coach_a, consented=False)
    client.force_login(unconsented.user)
    response = client.post("/me/log/", good_post(reps="10"), headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Please read and agree to how we keep your health information" in body
    assert not TrainingSession.objects.exists()
    client.post("/me/check-in/", {"day": yesterday(), "pain": "1"})
    assert not CheckIn.objects.exists()


def test_sessions_before_the_stage_began_are_refused_by_the_form(
    client: HttpClient, coach_a: User
) -> None:
    """Moved onto the stage today: yesterday's session belongs to the previous stage."""
    fresh = make_client("fresh@example.com", coach=coach_a, position=3, days_on_stage=0)
    client.force_login(fresh.user)
    response = client.post("/me/log/", good_post(performed_on=yesterday()), headers=HTMX)
    assert "You started this stage on" in " ".join(response.context["form"].errors["performed_on"])
    assert not TrainingSession.objects.exists()


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
        ({"lower_back_hurt": None}, "lower_back_hurt", "Say whether your lower back hurt"),
        ({"lower_back_hurt": "maybe"}, "lower_back_hurt", "Choose yes or no"),
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


def test_answering_the_check_in_with_one_tap(
    as_a: HttpClient, client_a: Client, midday: datetime
) -> None:
    session = make_session(client_a, days_ago=1, next_day_pain=None)
    page = as_a.get("/me/").content.decode()
    assert f'name="day" value="{session.performed_on.isoformat()}"' in page
    response = as_a.post(
        "/me/check-in/", {"day": session.performed_on.isoformat(), "pain": "1"}, headers=HTMX
    )
    assert response.template_name == "clients/today.html#check_in_done"
    body = response.content.decode()
    assert "back pain now 1 out of 10" in body
    assert "1 of 3 green days" in body  # the status card, swapped out of band
    session.refresh_from_db()
    assert (session.next_day_pain, session.light) == (1, "green")


def test_a_check_in_answered_twice_is_explained(
    as_a: HttpClient, client_a: Client, midday: datetime
) -> None:
    session = make_session(client_a, days_ago=1, next_day_pain=2)
    response = as_a.post(
        "/me/check-in/", {"day": session.performed_on.isoformat(), "pain": "5"}, follow=True
    )
    assert "You have already answered the check-in for that day." in response.content.decode()
    session.refresh_from_db()
    assert session.next_day_pain == 2


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_check_in_closed_at_midnight_is_explained(
    as_a: HttpClient, client_a: Client, headers: dict[str, str]
) -> None:
    """The day before yesterday's check-in closed last midnight: refused, the session missed.
    With htmx the card is swapped for the explanation, though no check-in is due now."""
    session = make_session(client_a, days_ago=2, next_day_pain=None)
    assert session.light == "missed"
    response = as_a.post(
        "/me/check-in/",
        {"day": session.performed_on.isoformat(), "pain": "1"},
        headers=headers,
        follow=True,
    )
    body = response.content.decode()
    assert "This check-in closed at midnight." in body
    if headers:
        assert 'id="check-in"' in body and 'role="alert"' in body
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(("clock", "shown"), [(time(3, 59), False), (time(4, 0), True)])
def test_the_check_in_card_shows_from_4am(
    as_a: HttpClient, client_a: Client, clock: time, shown: bool
) -> None:
    """Before 4am the card would only lead to a refusal, so it waits."""
    session = make_session(client_a, days_ago=1, next_day_pain=None)
    at = datetime.combine(
        session.performed_on + timedelta(days=1), clock, tzinfo=ZoneInfo("Europe/London")
    )
    with mock.patch("django.utils.timezone.now", return_value=at):
        body = as_a.get("/me/").content.decode()
    assert ("How is your back now?" in body) is shown


@pytest.mark.parametrize(
    ("pain", "message"),
    [
        ("11", "Pain is a whole number from 0 (none) to 10 (worst)"),
        ("-1", "Pain is a whole number from 0 (none) to 10 (worst)"),
        ("lots", "Pain is a whole number from 0 (none) to 10 (worst)"),
        ("", "Choose your back pain now, from 0 (none) to 10 (worst)"),
    ],
)
def test_a_check_in_with_a_bad_number_is_explained(
    as_a: HttpClient, client_a: Client, midday: datetime, pain: str, message: str
) -> None:
    session = make_session(client_a, days_ago=1, next_day_pain=None)
    response = as_a.post(
        "/me/check-in/", {"day": session.performed_on.isoformat(), "pain": pain}, headers=HTMX
    )
    assert response.status_code == 200
    assert response.template_name == "clients/today.html#check_in_card"
    body = response.content.decode()
    assert message in body and 'role="alert"' in body
    assert body.count('name="pain"') == 11  # the card stays, to tap again
    session.refresh_from_db()
    assert session.next_day_pain is None


def test_a_check_in_for_someone_elses_session_changes_nothing(
    as_a: HttpClient, client_b: Client, midday: datetime
) -> None:
    theirs = make_session(client_b, days_ago=1, next_day_pain=None)
    response = as_a.post(
        "/me/check-in/", {"day": theirs.performed_on.isoformat(), "pain": "3"}, follow=True
    )
    assert "We could not find a session of yours on that day." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.next_day_pain is None
    assert not CheckIn.objects.exists()


def test_ready_waits_only_for_tomorrows_check_in(as_a: HttpClient, client_a: Client) -> None:
    """Three green days and today's session pending: ready after tomorrow's check-in."""
    for days_ago in (3, 2, 1):
        make_session(client_a, days_ago=days_ago)
    make_session(client_a, days_ago=0, next_day_pain=None)
    body = as_a.get("/me/").content.decode()
    assert "Keep going at this stage" in body
    assert "Ready after tomorrow&#x27;s check-in" in body


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
    revision = SessionRevision.objects.get(session=session)
    assert revision.previous_values["pain_during"] == 1
    assert revision.revised_by == client_a.user


def test_a_correction_cannot_move_a_session_to_before_the_stage_began(
    client: HttpClient, coach_a: User
) -> None:
    """Back-dating through the correction form is refused like back-dating a new session."""
    fresh = make_client("fresh@example.com", coach=coach_a, position=3, days_on_stage=0)
    session = make_session(fresh, days_ago=0, next_day_pain=None, logged_at=timezone.now())
    client.force_login(fresh.user)
    response = client.post(f"/me/log/{session.pk}/", good_post(performed_on=yesterday()))
    assert response.status_code == 200
    assert "You started this stage on" in response.content.decode()
    session.refresh_from_db()
    assert session.performed_on == fresh.today()
    assert not SessionRevision.objects.exists()


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
    make_session(client_a, days_ago=1, pain_during=3, next_day_pain=1)
    body = as_a.get("/me/progress/").content.decode()
    assert 'aria-current="step"' in body and "you are here" in body
    assert "Green</span>" in body and "Amber</span>" in body  # 3 during is above the floor of 2
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
    client.post("/me/log/", good_post())
    assert not TrainingSession.objects.exists()
    client.post("/me/consent/")
    unconsented.refresh_from_db()
    assert unconsented.consented_at is not None and unconsented.consent_version
    assert 'name="sets"' in client.get("/me/log/").content.decode()


def test_a_new_version_of_the_consent_text_asks_again_and_keeps_the_history(
    client: HttpClient, client_a: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Agreement to an older wording no longer counts: the client agrees again, both are kept."""
    from clients import services
    from clients.models import ConsentRecord

    monkeypatch.setattr(services, "CONSENT_VERSION", "2027-01")
    client.force_login(client_a.user)
    assert "Before you log anything" in client.get("/me/").content.decode()
    client.post("/me/log/", good_post())
    assert not TrainingSession.objects.exists()
    client.post("/me/consent/")
    history = list(ConsentRecord.objects.filter(client=client_a).order_by("given_at"))
    assert [r.version for r in history] == ["2026-11", "2027-01"]
    assert history[-1].text == services.CONSENT_TEXT
    client.post("/me/log/", good_post())
    assert TrainingSession.objects.count() == 1


# --- Notices, emergencies and settings --------------------------------------------------


def test_a_stage_change_shows_on_today_with_the_coachs_reason_until_dismissed(
    as_a: HttpClient, client_a: Client, client_b: Client, coach_a: User
) -> None:
    regress_stage(client=client_a, by=coach_a, reason="Let your back settle for a week")
    body = as_a.get("/me/").content.decode()
    assert "Your coach moved you back a stage: stage 2, kneeling hip thrust" in body
    assert "Alex Example" in body and "“Let your back settle for a week”" in body
    theirs = StageAssignment.objects.get(client=client_b)
    as_a.post("/me/notice/", {"assignment": theirs.pk})  # not theirs to dismiss
    assert "Let your back settle" in as_a.get("/me/").content.decode()
    mine = StageAssignment.objects.filter(client=client_a).latest()
    response = as_a.post("/me/notice/", {"assignment": mine.pk}, headers=HTMX)
    assert (response.status_code, response.content) == (200, b"")
    assert "Let your back settle" not in as_a.get("/me/").content.decode()
    redirected = as_a.post("/me/notice/", {"assignment": mine.pk})
    assert redirected["Location"] == "/me/"


def test_the_emergency_line_alerts_the_coach_with_no_health_data(
    as_a: HttpClient,
    client_a: Client,
    coach_a: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Tapping it shows emergency advice for the client's country and tells the coach at once."""
    make_session(client_a, days_ago=1, pain_during=4, notes="sharp twinge")
    assert 'action="/me/emergency/"' in as_a.get("/me/log/").content.decode()
    assert as_a.get("/me/emergency/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = as_a.post("/me/emergency/")
    body = response.content.decode()
    assert "Get emergency help now" in body
    assert "Call 999" in body and "NHS 111" in body  # the studio's zone is Europe/London
    assert EmergencyReport.objects.filter(client=client_a).count() == 1
    (email,) = mail.outbox
    assert (email.to, email.subject) == ([coach_a.email], "Urgent: contact Ava Example now")
    assert f"/coach/clients/{client_a.pk}/" in email.body
    text = email.body.split("http")[0]
    assert not any(ch.isdigit() for ch in text)
    assert "twinge" not in email.body and "pain" not in email.body.lower()


def test_settings_change_the_time_zone_for_what_comes_next(
    as_a: HttpClient, client_a: Client
) -> None:
    """A logged session keeps the zone it was logged in."""
    session = make_session(client_a, days_ago=1)
    page = as_a.get("/me/settings/").content.decode()
    assert '<option value="Europe/London" selected>' in page
    response = as_a.post("/me/settings/", {"time_zone": "America/Los_Angeles"}, follow=True)
    assert response.redirect_chain == [("/me/settings/", 302)]
    assert "Your days and check-ins now follow this time zone" in response.content.decode()
    client_a.refresh_from_db()
    assert client_a.time_zone == "America/Los_Angeles"
    session.refresh_from_db()
    assert session.time_zone == "Europe/London"
    bad = as_a.post("/me/settings/", {"time_zone": "Mars/Olympus_Mons"})
    assert "Choose a time zone from the list" in bad.content.decode()
    client_a.refresh_from_db()
    assert client_a.time_zone == "America/Los_Angeles"


def test_the_browsers_zone_fills_only_an_empty_zone(as_a: HttpClient, client_a: Client) -> None:
    """Sent once after the first login; a zone already set, or chosen, is never replaced."""
    assert client_a.time_zone == ""
    assert as_a.post("/me/settings/zone/", {"time_zone": "Not/AZone"}).status_code == 204
    client_a.refresh_from_db()
    assert client_a.time_zone == ""
    assert as_a.post("/me/settings/zone/", {"time_zone": "Asia/Tokyo"}).status_code == 204
    client_a.refresh_from_db()
    assert client_a.time_zone == "Asia/Tokyo"
    assert as_a.post("/me/settings/zone/", {"time_zone": "America/New_York"}).status_code == 204
    client_a.refresh_from_db()
    assert client_a.time_zone == "Asia/Tokyo"


# --- Privacy ------------------------------------------------------------------------

CLIENT_URLS = ["/me/", "/me/log/", "/me/progress/", "/me/settings/"]


@pytest.mark.parametrize("url", CLIENT_URLS)
def test_anonymous_visitors_are_sent_to_login(client: HttpClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", [*CLIENT_URLS, "/me/log/1/"])
def test_coaches_cannot_use_client_pages(client: HttpClient, coach_a: User, url: str) -> None:
    client.force_login(coach_a)
    assert client.get(url).status_code == 403
    assert client.post("/me/check-in/", {"day": yesterday(), "pain": 1}).status_code == 403
    assert client.post("/me/log/", good_post()).status_code == 403
    assert client.post("/me/emergency/").status_code == 403
    assert not EmergencyReport.objects.exists()


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


# The budgets (DESIGN.md, "Front end and budgets") count the session and user lookups:
# /me/ at most 8, an htmx fragment at most 7, the log-session POST at most 12.
PAGE_QUERIES = [
    ("/me/", {}, 8),  # 7, and one for unread messages and the outcome questions due
    ("/me/log/", {}, 3),
    ("/me/log/", HTMX, 3),
    ("/me/progress/", {}, 11),  # 9, and two for the outcome measures' charts
    ("/me/settings/", {}, 3),
]


@pytest.mark.parametrize(("url", "headers", "expected"), PAGE_QUERIES)
def test_client_pages_make_a_fixed_number_of_queries(
    as_a: HttpClient,
    client_a: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    url: str,
    headers: dict[str, str],
    expected: int,
) -> None:
    """One session or forty: the same queries, within the page's budget."""
    _history(client_a, 1)
    with django_assert_num_queries(expected):
        assert as_a.get(url, headers=headers).status_code == 200
    _history(client_a, 40)
    with django_assert_num_queries(expected):
        assert as_a.get(url, headers=headers).status_code == 200


def test_logging_a_session_makes_a_fixed_number_of_queries(
    as_a: HttpClient, client_a: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """Saving a session, its audit entry and the gate: 11 queries (budget 12) whatever the
    history, every read the gate makes and every write inside the one transaction."""
    for count in (1, 40):
        _history(client_a, count)
        with django_assert_num_queries(11) as captured:
            response = as_a.post("/me/log/", good_post(), headers=HTMX)
        assert response.template_name == "clients/log_session.html#log_result"
        sql = [q["sql"].split()[0].upper() for q in captured.captured_queries]
        begin = next(i for i, word in enumerate(sql) if word in {"SAVEPOINT", "BEGIN"})
        end = max(i for i, word in enumerate(sql) if word in {"RELEASE", "COMMIT"})
        assert sql[begin + 1] == "SELECT"  # the client row, locked first
        assert sql.count("SAVEPOINT") + sql.count("BEGIN") == 1
        writes = [i for i, word in enumerate(sql) if word in {"INSERT", "UPDATE", "DELETE"}]
        assert writes and all(begin < i < end for i in writes)


@pytest.mark.parametrize("history", [1, 40])
def test_answering_the_check_in_makes_a_fixed_number_of_queries(
    as_a: HttpClient,
    client_a: Client,
    midday: datetime,
    django_assert_num_queries: DjangoAssertNumQueries,
    history: int,
) -> None:
    """The one tap, its audit entry and the fresh status card: 12 queries whatever the
    history, every write inside the one transaction."""
    for days_ago in range(2, history + 2):
        make_session(client_a, days_ago=days_ago % 14 + 2)
    session = make_session(client_a, days_ago=1, next_day_pain=None)
    with django_assert_num_queries(12) as captured:
        response = as_a.post(
            "/me/check-in/", {"day": session.performed_on.isoformat(), "pain": "1"}, headers=HTMX
        )
    assert response.template_name == "clients/today.html#check_in_done"
    sql = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    begin = next(i for i, word in enumerate(sql) if word in {"SAVEPOINT", "BEGIN"})
    end = max(i for i, word in enumerate(sql) if word in {"RELEASE", "COMMIT"})
    writes = [i for i, word in enumerate(sql) if word in {"INSERT", "UPDATE", "DELETE"}]
    assert writes and all(begin < i < end for i in writes)


def test_pain_is_explained_where_it_is_entered(
    as_a: HttpClient, client_a: Client, time_machine: TimeMachineFixture
) -> None:
    """The log form's and the check-in's 0-10 buttons carry their zone in words as well as
    colour, each under one sentence of the rule."""
    # At noon: the check-in for yesterday's session is open from 04:00.
    time_machine.move_to(datetime.combine(client_a.today(), time(12), ZoneInfo(client_a.zone)))
    log = as_a.get("/me/log/").content.decode()
    assert "Some pain is fine: up to 5 out of 10" in log
    for n, zone, words in [(0, "safe", "safe"), (3, "ok", "acceptable"), (7, "high", "too much")]:
        assert f"zone-{zone}" in log and f'{n}<span class="visually-hidden">, {words}' in log
    make_session(client_a, days_ago=1, next_day_pain=None)
    today = as_a.get("/me/").content.decode()
    assert "How is your back now?" in today and "What we hope for" in today
    for n, zone, words in [(2, "safe", "safe"), (5, "ok", "acceptable"), (6, "high", "too much")]:
        assert f'class="btn pain-option zone-{zone}" aria-label="{n} out of 10, {words}"' in today
    assert "A green day is a day you trained" in today


def test_after_a_red_session_the_client_is_told_what_to_do_and_that_the_coach_knows(
    as_a: HttpClient, client_a: Client
) -> None:
    from clients import gate

    make_session(client_a, days_ago=1, pain_during=8)
    gate.refresh_by_id(client_a.pk)
    today = as_a.get("/me/").content.decode()
    assert "What to do now" in today and "Ease off" in today
    assert "See a doctor or physiotherapist" in today
    assert "Your coach has been told" in today
    assert "regress" not in today.lower()  # the coach's words stay on the coach's pages
