from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from pytest_django import DjangoAssertNumQueries

from clients.models import Client
from coaching.models import User
from tests.factories import make_client, make_many_clients, make_session

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def roster(coach_a: User) -> dict[str, Client]:
    """Coach A's clients: one ready, one flaring up, one on hold, one quiet."""
    ready = make_client("ready@example.com", coach=coach_a, position=2, first_name="Rita")
    for days in (5, 3, 1):
        make_session(ready, days_ago=days)
    flare = make_client("flare@example.com", coach=coach_a, position=6, first_name="Fred")
    make_session(flare, days_ago=1, pain_during=8)
    hold = make_client("hold@example.com", coach=coach_a, position=3, first_name="Holly")
    make_session(hold, days_ago=1)
    quiet = make_client("quiet@example.com", coach=coach_a, position=1, first_name="Quentin")
    make_session(quiet, days_ago=10)
    return {"ready": ready, "flare": flare, "hold": hold, "quiet": quiet}


def names(response: Any) -> list[str]:
    """The first names in the rows the page shows, in order."""
    return [row.client.user.first_name for row in response.context["rows"]]


def test_the_dashboard_lists_flare_ups_first_with_counts(
    client: HttpClient, coach_a: User, roster: dict[str, Client]
) -> None:
    client.force_login(coach_a)
    response = client.get("/coach/")
    assert names(response) == ["Fred", "Rita", "Holly", "Quentin"]
    assert response.context["counts"] == {
        "all": 4,
        "ready": 1,
        "flare": 1,
        "hold": 2,
        "attention": 0,
        "quiet": 1,
    }
    body = response.content.decode()
    yesterday = roster["flare"].today() - timedelta(days=1)
    day = f"{yesterday:%A} {yesterday.day} {yesterday:%B}"
    assert f"Red on {day}: pain during was above the ceiling" in body
    assert "Ready for the glute bridge" in body
    assert "1 of 3 green days" in body
    assert "1 client flaring up" in body
    assert 'aria-label="Worst pain, oldest to newest: 1, 1, 1"' in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?show=ready", ["Rita"]),
        ("?show=flare", ["Fred"]),
        ("?show=hold", ["Holly", "Quentin"]),
        ("?show=quiet", ["Quentin"]),
        ("?q=hol", ["Holly"]),
        ("?q=READY%40example", ["Rita"]),
        ("?q=nobody", []),
        ("?sort=activity", ["Fred", "Holly", "Rita", "Quentin"]),
        ("?show=bogus&sort=bogus&page=999", ["Fred", "Rita", "Holly", "Quentin"]),
    ],
)
def test_filters_search_and_sort_work_from_the_url(
    client: HttpClient, coach_a: User, roster: dict[str, Client], query: str, expected: list[str]
) -> None:
    """Filters live in the URL, so a reload or a shared link shows the same list."""
    client.force_login(coach_a)
    response = client.get(f"/coach/{query}")
    assert response.status_code == 200
    assert names(response) == expected


def test_htmx_swaps_only_the_table(
    client: HttpClient, coach_a: User, roster: dict[str, Client]
) -> None:
    client.force_login(coach_a)
    response = client.get("/coach/?show=ready", headers=HTMX)
    assert response.template_name == "coaching/coach/dashboard.html#client_table"
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="client-table"')
    assert "Showing 1 client." in body
    assert response["HX-Push-Url"] == "/coach/?show=ready"


def test_a_coach_sees_only_their_own_clients(
    client: HttpClient, coach_b: User, roster: dict[str, Client], client_b: Client
) -> None:
    client.force_login(coach_b)
    assert names(client.get("/coach/")) == ["Ben"]


def test_a_head_coach_sees_every_coachs_clients(
    client: HttpClient, coach_b: User, roster: dict[str, Client], client_b: Client
) -> None:
    coach_b.coach_profile.is_head_coach = True
    coach_b.coach_profile.save()
    client.force_login(coach_b)
    assert len(names(client.get("/coach/"))) == 5


def test_the_dashboard_is_paginated_at_25(client: HttpClient, coach_a: User) -> None:
    make_many_clients(coach_a, 30, 1)
    client.force_login(coach_a)
    first = client.get("/coach/")
    assert len(first.context["page"].object_list) == 25
    assert len(client.get("/coach/?page=2").context["page"].object_list) == 5


@pytest.mark.parametrize("clients", [5, 200])
def test_the_dashboard_makes_the_same_queries_for_5_or_200_clients(
    client: HttpClient,
    coach_a: User,
    django_assert_num_queries: DjangoAssertNumQueries,
    clients: int,
) -> None:
    """Fifty sessions each: the session, the user, the counts, the page's count and rows,
    and the sparklines: 6 queries whatever the size, filter or sort (budget 10; an htmx
    fragment 7)."""
    make_many_clients(coach_a, clients, 50)
    client.force_login(coach_a)
    for query, headers in [
        ("", {}),
        ("?sort=activity", {}),
        ("?show=flare&q=bulk", {}),
        ("?show=hold&page=2", HTMX),
    ]:
        with django_assert_num_queries(6):
            response = client.get(f"/coach/{query}", headers=headers)
        assert response.status_code == 200
        assert response.context["counts"]["all"] == clients
