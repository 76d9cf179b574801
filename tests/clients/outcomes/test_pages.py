"""The client answers the PSFS and the weekly rating on their phone; both are charted for
them and for their coach, with the change since the start in words."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from pytest_django import DjangoAssertNumQueries

from clients.audit.models import AuditEntry
from clients.models import Client
from clients.outcomes.models import PsfsAnswer, WeeklyPain
from clients.outcomes.scoring import week_of
from coaching.models import User
from tests.factories import make_client

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
NAMES = ["Putting on socks", "Sitting through a film", "Carrying shopping"]


def web_as(user: User) -> HttpClient:
    web = HttpClient()
    web.force_login(user)
    return web


def first_answer(**overrides: str) -> dict[str, str]:
    data = {
        "activity_1": NAMES[0],
        "activity_2": NAMES[1],
        "activity_3": NAMES[2],
        "score_1": "2",
        "score_2": "3",
        "score_3": "4",
    }
    data.update(overrides)
    return data


def psfs(client: Client, days_ago: int, scores: list[int]) -> PsfsAnswer:
    day = client.today() - timedelta(days=days_ago)
    return PsfsAnswer.objects.create(
        client=client,
        answered_on=day,
        activity_1=NAMES[0],
        activity_2=NAMES[1],
        activity_3=NAMES[2],
        score_1=scores[0],
        score_2=scores[1],
        score_3=scores[2],
    )


def weekly(client: Client, weeks_ago: int, rating: int) -> WeeklyPain:
    monday = week_of(client.today()) - timedelta(weeks=weeks_ago)
    return WeeklyPain.objects.create(
        client=client, week_of=monday, answered_on=monday, rating=rating
    )


def test_the_first_psfs_names_three_activities_and_scores_them(client_a: Client) -> None:
    web = web_as(client_a.user)
    page = web.get("/me/outcomes/").content.decode()
    assert "Name three activities that your back makes hard" in page
    assert "0 = unable to do it" in page and "10 = as well as before" in page
    response = web.post("/me/outcomes/activities/", first_answer(), headers=HTMX)
    assert response.template_name == "clients/outcomes/outcomes.html#psfs_card"
    body = response.content.decode()
    assert "your three activities are saved" in body and "We will ask again on" in body
    answer = PsfsAnswer.objects.get()
    assert (answer.activities, answer.scores) == (NAMES, [2, 3, 4])
    assert answer.answered_on == client_a.today()


def test_without_javascript_the_answer_redirects_back_with_a_message(client_a: Client) -> None:
    web = web_as(client_a.user)
    response = web.post("/me/outcomes/activities/", first_answer())
    assert response.status_code == 302 and response["Location"] == "/me/outcomes/"
    assert "your three activities are saved" in web.get("/me/outcomes/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "error", "anchor"),
    [
        ({"activity_2": ""}, "Name the second activity", "id_activity_2"),
        ({"score_3": ""}, "Choose how well you can do the third activity today", "id_score_3_0"),
        ({"score_1": "11"}, "Choose a whole number from 0 (unable) to 10", "id_score_1_0"),
        ({"activity_3": "putting on SOCKS"}, "Name three different activities", ""),
    ],
)
def test_a_bad_psfs_answer_is_explained_and_nothing_is_saved(
    client_a: Client, overrides: dict[str, str], error: str, anchor: str
) -> None:
    web = web_as(client_a.user)
    page = web.post("/me/outcomes/activities/", first_answer(**overrides)).content.decode()
    assert "<title>Error: How your back is doing" in page and "There is a problem" in page
    assert error in page
    if anchor:
        assert f'href="#{anchor}"' in page
    fragment = web.post(
        "/me/outcomes/activities/", first_answer(**overrides), headers=HTMX
    ).content.decode()
    assert "<title>Error: How your back is doing" in fragment and error in fragment
    assert 'value="Putting on socks"' in fragment  # what was typed is kept
    assert not PsfsAnswer.objects.exists()


def test_the_psfs_is_asked_again_after_four_weeks_on_the_same_activities(
    client_a: Client,
) -> None:
    """Before the 4 weeks are up a crafted POST is refused; after, new names are ignored."""
    psfs(client_a, 27, [2, 3, 4])
    web = web_as(client_a.user)
    assert "We will ask again on" in web.get("/me/outcomes/").content.decode()
    early = web.post("/me/outcomes/activities/", first_answer(score_1="9"), headers=HTMX)
    assert "Your next activity check is on" in early.content.decode()
    assert PsfsAnswer.objects.count() == 1
    PsfsAnswer.objects.filter(client=client_a).erase()
    psfs(client_a, 28, [2, 3, 4])
    page = web.get("/me/outcomes/").content.decode()
    assert "Four weeks on: score the same three activities" in page
    assert "Putting on socks: how well can you do it today?" in page
    assert 'name="activity_1"' not in page
    web.post(
        "/me/outcomes/activities/",
        {"activity_1": "Running", "score_1": "6", "score_2": "5", "score_3": "4"},
    )
    latest = PsfsAnswer.objects.order_by("answered_on").last()
    assert latest is not None and latest.activities == NAMES and latest.scores == [6, 5, 4]


def test_the_weekly_rating_is_one_tap_and_can_be_changed_until_sunday(
    client_a: Client,
) -> None:
    web = web_as(client_a.user)
    response = web.post("/me/outcomes/week/", {"rating": "4"}, headers=HTMX)
    assert response.template_name == "clients/outcomes/outcomes.html#weekly_card"
    body = response.content.decode()
    assert "You said <strong>4</strong> this week" in body
    assert 'hx-swap-oob="innerHTML:#messages"' in body and "back pain 4 out of 10" in body
    web.post("/me/outcomes/week/", {"rating": "3"})
    rating = WeeklyPain.objects.get()
    assert (rating.rating, rating.week_of) == (3, week_of(client_a.today()))
    bad = web.post("/me/outcomes/week/", {"rating": "12"}, headers=HTMX).content.decode()
    assert "Pain is a whole number from 0 (none) to 10 (worst)" in bad
    assert WeeklyPain.objects.get().rating == 3


def test_answers_are_stored_only_after_consent(coach_a: User) -> None:
    waiting = make_client("new@example.com", coach=coach_a, consented=False)
    web = web_as(waiting.user)
    assert "I agree" in web.get("/me/outcomes/").content.decode()
    refused = web.post("/me/outcomes/activities/", first_answer(), headers=HTMX)
    assert "agree to how we keep your health information" in refused.content.decode()
    refused = web.post("/me/outcomes/week/", {"rating": "4"}, headers=HTMX)
    assert "agree to how we keep your health information" in refused.content.decode()
    assert not PsfsAnswer.objects.exists() and not WeeklyPain.objects.exists()
    assert "Three activities your back makes hard" not in web.get("/me/").content.decode()


def test_me_asks_for_what_is_due_and_stops_once_answered(client_a: Client) -> None:
    web = web_as(client_a.user)
    page = web.get("/me/").content.decode()
    assert "Three activities your back makes hard" in page
    web.post("/me/outcomes/activities/", first_answer())
    page = web.get("/me/").content.decode()
    assert "Three activities" not in page and "How was your back this week?" in page
    web.post("/me/outcomes/week/", {"rating": "5"})
    assert 'id="outcome-prompt"' not in web.get("/me/").content.decode()
    PsfsAnswer.objects.filter(client=client_a).erase()
    psfs(client_a, 30, [2, 3, 4])
    assert "Four weeks on: your three activities" in web.get("/me/").content.decode()


def test_progress_charts_both_measures_saying_which_way_is_better(client_a: Client) -> None:
    psfs(client_a, 56, [2, 3, 4])
    psfs(client_a, 28, [3, 4, 4])
    psfs(client_a, 0, [5, 6, 5])
    for weeks_ago, rating in [(3, 6), (2, 5), (1, 4), (0, 3)]:
        weekly(client_a, weeks_ago, rating)
    body = web_as(client_a.user).get("/me/progress/").content.decode()
    assert body.count("<svg") >= 3  # the pain trend, and the two outcome charts
    assert 'aria-labelledby="psfs-chart-title"' in body
    assert "Higher is better: 10 means able to do the activity as well as before" in body
    assert "Lower is better: 0 means no pain" in body
    assert "up 2.3 points: a meaningful improvement" in body
    assert "Putting on socks: from 2 to 5, up 3 points: a meaningful improvement" in body
    assert "down 3 points, an improvement (lower is better)" in body
    assert '<th scope="col">Putting on socks</th>' in body  # the table beside the chart


def test_the_coach_sees_the_change_since_the_start_on_the_client_page(
    client_a: Client, coach_a: User
) -> None:
    """The program page loads the outcomes as a fragment: charts, and the change in words."""
    psfs(client_a, 28, [4, 4, 4])
    psfs(client_a, 0, [5, 5, 6])
    weekly(client_a, 1, 5)
    web = web_as(coach_a)
    page = web.get(f"/coach/clients/{client_a.pk}/").content.decode()
    assert f'hx-get="/coach/clients/{client_a.pk}/outcomes/" hx-trigger="load"' in page
    fragment = web.get(f"/coach/clients/{client_a.pk}/outcomes/", headers=HTMX)
    assert fragment.template_name == "coaching/coach/outcomes/outcomes.html#outcomes"
    body = fragment.content.decode()
    assert "up 1.3 points: less than the 2 points of a meaningful change" in body
    assert "Carrying shopping: from 4 to 6, up 2 points: less than the 3 points" in body
    assert "Higher is better" in body and "Lower is better" in body
    assert "Stratford" in body
    viewed = AuditEntry.objects.get(additional_data__what="view outcomes")
    assert viewed.actor == coach_a and viewed.additional_data["client_id"] == client_a.pk
    full = web.get(f"/coach/clients/{client_a.pk}/outcomes/").content.decode()
    assert "<h1" in full and "Ava Example: outcome measures" in full


def test_another_coach_cannot_see_the_outcomes(client_a: Client, coach_b: User) -> None:
    assert web_as(coach_b).get(f"/coach/clients/{client_a.pk}/outcomes/").status_code == 404


@pytest.mark.parametrize("history", [2, 60])
def test_the_outcomes_fragment_makes_a_fixed_number_of_queries(
    client_a: Client,
    coach_a: User,
    django_assert_num_queries: DjangoAssertNumQueries,
    history: int,
) -> None:
    """The session, the user, the client, the audit entry and one query per measure: 6,
    within an htmx fragment's 7, with two answers or sixty of each."""
    for n in range(history):
        psfs(client_a, 28 * n, [n % 11, 5, 5])
        weekly(client_a, n, n % 11)
    web = web_as(coach_a)
    web.get(f"/coach/clients/{client_a.pk}/outcomes/", headers=HTMX)
    with django_assert_num_queries(6):
        response = web.get(f"/coach/clients/{client_a.pk}/outcomes/", headers=HTMX)
    outcomes: Any = response.context["outcomes"]
    assert outcomes.psfs[0].answered_on == client_a.today() - timedelta(days=28 * (history - 1))
    assert len(outcomes.psfs) <= 15 and len(outcomes.weekly) <= 27
