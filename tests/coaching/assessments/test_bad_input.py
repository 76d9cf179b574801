"""Odd characters in URLs and forms are refused in plain words (a 4xx or a form error), never 500.

Python's own parsers read "٣" (Arabic-Indic three) as 3, and "²" passes
str.isdigit() and then crashes int(): every parser of the booking and account
pages holds numbers, dates, times and ids to the ASCII digits 0 to 9.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from coaching.assessments.selectors import available_slots
from coaching.assessments.slots import parse_slot
from coaching.models import Assessment, AvailabilityWindow, TimeOff, User
from tests.coaching.assessments.test_booking import intake

pytestmark = pytest.mark.django_db

ODD_DIGITS = ["²", "٣", "３", "߁", "\u0663"]


@pytest.fixture
def open_coach(coach_a: User) -> User:
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            coach=coach_a.coach_profile, weekday=d, starts_at=time(9), ends_at=time(17)
        )
        for d in range(7)
    )
    return coach_a


def foreign(value: str, digit: str) -> str:
    """The value with its first ASCII digit swapped for `digit`."""
    index = next(i for i, ch in enumerate(value) if ch.isdigit())
    return value[:index] + digit + value[index + 1 :]


@pytest.mark.parametrize(
    "value",
    [
        "²@2031-01-01T03:00Z",
        "1@٢٠٣١-01-01T03:00Z",
        "1@2031-01-01T0３:00Z",
        "１@2031-01-01T03:00Z",
        "99999999999999999999@2031-01-01T03:00Z",
        "1@2031-01-01T03:00Z\x00",
        " 1@2031-01-01T03:00Z",
        "1@2031-02-30T03:00Z",
        "-1@2031-01-01T03:00Z",
    ],
)
def test_parse_slot_takes_only_the_form_it_writes(value: str) -> None:
    assert parse_slot(value) is None


def test_the_reported_superscript_slot_answers_with_the_free_times_not_500(
    client: HttpClient, open_coach: User
) -> None:
    response = client.get("/assessment/book/?slot=" + quote("²@2031-01-01T03:00Z"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/assessment/"
    assert "not available any more" in response.content.decode()


@pytest.mark.parametrize("digit", ODD_DIGITS)
def test_a_real_slot_written_with_other_digits_is_refused_on_get_and_post(
    client: HttpClient, open_coach: User, digit: str
) -> None:
    value = foreign(available_slots()[0].value, digit)
    page = client.get("/assessment/book/", {"slot": value})
    assert page.status_code == 302 and page["Location"] == "/assessment/"
    posted = client.post("/assessment/book/", intake(slot=value))
    assert posted.status_code == 302 and posted["Location"] == "/assessment/"
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"from": "٢٠٣١-01-01"},
        {"from": "2031-0²-01"},
        {"from": "9999-12-31"},
        {"from": "\x00"},
        {"coach": "²"},
        {"coach": "99999999999999999999999"},
        {"tz": "../../etc/passwd"},
        {"tz": "Europe/London\x00"},
    ],
)
def test_odd_query_parameters_on_the_free_times_are_ignored(
    client: HttpClient, open_coach: User, query: dict[str, str]
) -> None:
    response = client.get("/assessment/", query)
    assert response.status_code == 200


@pytest.mark.parametrize("token", ["²", "%C2%B2", "x" * 500, "%00", "..%2F..", "%FF%FE"])
def test_odd_manage_and_invitation_tokens_are_not_found(client: HttpClient, token: str) -> None:
    assert client.get(f"/assessment/manage/{token}/").status_code == 404
    assert client.post(f"/assessment/manage/{token}/", {"action": "cancel"}).status_code == 404
    assert client.get(f"/accounts/invite/{token}/").status_code in {404, 410}


@pytest.mark.parametrize("uidb64", ["²", "MQ", "Mj%C2%B2", "9" * 60])
def test_odd_password_reset_links_say_the_link_expired(client: HttpClient, uidb64: str) -> None:
    response = client.get(f"/accounts/reset/{uidb64}/set-password/", follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_moving_a_booking_to_a_slot_in_other_digits_is_refused(
    client: HttpClient, open_coach: User
) -> None:
    slots = available_slots()
    booked = client.post("/assessment/book/", intake(slot=slots[0].value))
    page = booked["Location"].split("?")[0]
    response = client.post(
        page, {"action": "move", "slot": foreign(slots[4].value, "٣")}, follow=True
    )
    assert response.status_code == 200
    assert "not free any more" in response.content.decode()
    assert Assessment.objects.get().starts_at == slots[0].start


def test_coach_pages_answer_404_for_ids_too_big_for_the_database(
    client: HttpClient, coach_a: User
) -> None:
    client.force_login(coach_a)
    huge = "9" * 30
    for action in ["status", "outcome", "start"]:
        response = client.post(f"/coach/assessments/{huge}/{action}/", {"status": "completed"})
        assert response.status_code == 404


def availability_data(coach: User, **overrides: str) -> dict[str, Any]:
    data = {
        "me-time_zone": "Europe/London",
        "me-video_link": "",
        "w-TOTAL_FORMS": "1",
        "w-INITIAL_FORMS": "0",
        "w-0-weekday": "0",
        "w-0-starts_at": "09:00",
        "w-0-ends_at": "12:00",
        "off-TOTAL_FORMS": "1",
        "off-INITIAL_FORMS": "0",
        "off-0-starts_at": "",
        "off-0-ends_at": "",
        "off-0-note": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides",
    [
        {"w-0-starts_at": "٩:٠٠"},
        {"w-0-starts_at": "9:0²"},
        {"w-0-ends_at": "１２:00"},
        {"w-0-weekday": "٣"},
        {"w-TOTAL_FORMS": "١"},
        {"w-TOTAL_FORMS": "99999999999999999999"},
        {"w-INITIAL_FORMS": "²"},
        {
            "off-0-starts_at": "٢٠٣١-01-01T09:00",
            "off-0-ends_at": "2031-01-02T09:00",
        },
        {"w-INITIAL_FORMS": "1", "w-0-id": "١"},
    ],
)
def test_availability_in_other_digits_is_refused_with_an_error(
    client: HttpClient, coach_a: User, overrides: dict[str, str]
) -> None:
    client.force_login(coach_a)
    response = client.post("/coach/availability/", availability_data(coach_a, **overrides))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not AvailabilityWindow.objects.exists() and not TimeOff.objects.exists()


def test_plain_digits_in_the_same_availability_form_are_saved(
    client: HttpClient, coach_a: User
) -> None:
    client.force_login(coach_a)
    start = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        "/coach/availability/",
        availability_data(
            coach_a, **{"off-0-starts_at": f"{start}T09:00", "off-0-ends_at": f"{start}T17:00"}
        ),
    )
    assert response.status_code == 302
    assert AvailabilityWindow.objects.count() == 1 and TimeOff.objects.count() == 1


def test_an_outcome_stage_in_other_digits_is_refused(client: HttpClient, coach_a: User) -> None:
    from tests.coaching.assessments.test_booking import past_assessment

    found = past_assessment(coach_a, status="completed")
    client.force_login(coach_a)
    response = client.post(
        f"/coach/assessments/{found.pk}/outcome/",
        {f"a{found.pk}-why_in_pain": "Stiff hips", f"a{found.pk}-recommended_stage": "٣"},
    )
    assert response.status_code == 200
    assert "Use the digits 0 to 9" in response.content.decode()
    found.refresh_from_db()
    assert found.recommended_stage_id is None and not found.has_outcome


@pytest.mark.parametrize(
    "data",
    [
        {"username": "coach.a@example.com\x00", "password": "x"},
        {"username": "coach.a@example.com", "password": "x\x00"},
        {"username": "²" * 300, "password": "²"},
        {"username": ["a", "b"], "password": "x"},
    ],
)
def test_odd_login_input_is_a_form_error(
    client: HttpClient, coach_a: User, data: dict[str, Any]
) -> None:
    response = client.post("/accounts/login/", data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize("email", ["x\x00@example.com", "²@example.com\x00", "a" * 300])
def test_odd_password_reset_input_is_a_form_error(client: HttpClient, email: str) -> None:
    response = client.post("/accounts/password_reset/", {"email": email})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
