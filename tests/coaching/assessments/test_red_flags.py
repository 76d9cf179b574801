"""The safety check: one tap when nothing applies; two tiers of red flags when something does.

Nothing is booked and nothing the visitor said is kept; the coaches see only a weekly count.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client as HttpClient

from coaching.assessments.forms import DOCTOR_FLAGS, EMERGENCY_FLAGS
from coaching.assessments.selectors import available_slots, weekly_screen_outs
from coaching.models import Assessment, ContactRequest, ScreenOut, User
from tests.coaching.assessments.test_booking import intake

pytestmark = pytest.mark.django_db


def screen(client: HttpClient, **answers: object) -> str:
    response = client.post("/assessment/book/", intake(slot=available_slots()[0].value, **answers))
    assert response.status_code == 200
    assert not Assessment.objects.exists() and not mail.outbox
    return response.content.decode()


@pytest.mark.parametrize("flag", [f.key for f in EMERGENCY_FLAGS])
def test_an_emergency_sign_sends_the_visitor_to_emergency_care_now(
    client: HttpClient, open_coach: User, flag: str
) -> None:
    body = screen(client, emergency_signs=flag, other_signs="cancer", safety="some")
    assert "Get emergency help now" in body and "emergency department now" in body
    assert "Would you like us to get in touch" not in body  # tier 1 wins
    assert list(ScreenOut.objects.values_list("tier", flat=True)) == [1]


@pytest.mark.parametrize(
    ("zone", "number", "advice"),
    [
        ("Europe/London", "999", "NHS 111"),
        ("America/New_York", "911", ""),
        ("Europe/Paris", "112", ""),
        ("Australia/Sydney", "000", ""),
        ("Pacific/Auckland", "111", ""),
    ],
)
def test_the_emergency_number_is_the_visitors_countrys(
    client: HttpClient, open_coach: User, zone: str, number: str, advice: str
) -> None:
    body = screen(client, emergency_signs="bladder", tz=zone)
    assert f"call {number}" in body
    if advice:
        assert advice in body
    else:
        assert "999" not in body and "NHS" not in body


def test_an_unknown_country_gets_the_local_emergency_number(
    client: HttpClient, open_coach: User
) -> None:
    body = screen(client, emergency_signs="legs", tz="Asia/Ulaanbaatar")
    assert "your local emergency number" in body and "999" not in body


def test_a_ticked_box_counts_even_with_the_none_button(
    client: HttpClient, open_coach: User
) -> None:
    """Safety first: a tick is an answer, whichever button sent the form."""
    body = screen(client, other_signs="night", safety="none")
    assert "Please see a doctor before booking" in body


@pytest.mark.parametrize("flag", [f.key for f in DOCTOR_FLAGS])
def test_another_flag_advises_a_doctor_first_and_keeps_nothing_without_consent(
    client: HttpClient, open_coach: User, flag: str
) -> None:
    body = screen(client, other_signs=flag, safety="some")
    assert "Please see a doctor before booking" in body and "GP" in body
    assert "Get emergency help now" not in body
    assert 'value="Vera Visitor"' in body and 'value="vera@example.com"' in body
    assert not ContactRequest.objects.exists()
    assert list(ScreenOut.objects.values_list("tier", flat=True)) == [2]


def test_the_studio_may_keep_a_name_and_email_only_with_the_box_ticked(
    client: HttpClient, open_coach: User
) -> None:
    unticked = client.post(
        "/assessment/contact/", {"name": "Vera Visitor", "email": "vera@example.com"}
    )
    body = unticked.content.decode()
    assert "Tick the box if you would like us to keep your name and email" in body
    assert "<title>Error: " in body
    assert not ContactRequest.objects.exists()
    ticked = client.post(
        "/assessment/contact/",
        {"name": "Vera Visitor", "email": "Vera@Example.com", "consent": "on"},
    )
    assert "we will be in touch" in ticked.content.decode()
    kept = ContactRequest.objects.get()
    assert (kept.name, kept.email) == ("Vera Visitor", "vera@example.com")
    assert kept.consented_at is not None
    assert not Assessment.objects.exists()


def test_coaches_see_a_weekly_count_of_screen_outs_with_no_personal_data(
    client: HttpClient, open_coach: User
) -> None:
    screen(client, emergency_signs="saddle")
    screen(client, other_signs="fever", safety="some")
    screen(client, other_signs="under_16", safety="some")
    assert [f.name for f in ScreenOut._meta.get_fields()] == ["id", "tier", "week_of"]
    this_week = weekly_screen_outs()[0]
    assert (this_week.emergency, this_week.doctor_first, this_week.total) == (1, 2, 3)
    http = HttpClient()
    http.force_login(open_coach)
    page = http.get("/coach/assessments/").content.decode()
    assert "Stopped by the safety check" in page
    assert "<td>1</td><td>2</td><td>3</td>" in page
    assert "Vera" not in page


def test_the_questions_are_short_and_in_two_tiers(client: HttpClient, open_coach: User) -> None:
    page = client.get("/assessment/book/", {"slot": available_slots()[0].value})
    body = page.content.decode()
    assert "A quick safety check" in body and "None of these apply" in body
    for flag in [*EMERGENCY_FLAGS, *DOCTOR_FLAGS]:
        assert flag.question in body
        assert len(flag.question) <= 90
    # The details come first, then the safety check, on the same page.
    assert body.index('name="email"') < body.index("A quick safety check")
