"""The privacy notice says what is kept, why, who sees it, for how long, and how to get it."""

from __future__ import annotations

from datetime import time

import pytest
from django.template.loader import render_to_string
from django.test import Client as HttpClient

from clients.models import Client
from coaching.accounts.services import resend_invite
from coaching.assessments.selectors import available_slots
from coaching.models import AvailabilityWindow, User

pytestmark = pytest.mark.django_db

LINK = 'href="/privacy/"'


def test_the_notice_covers_what_why_who_how_long_and_your_choices(client: HttpClient) -> None:
    response = client.get("/privacy/")
    assert response.status_code == 200
    body = response.content.decode()
    for fact in [
        "pain scores",
        "check-ins",
        "assessment answers",
        "coach's notes",
        "Messages",
        "Only to coach you safely",
        "Your coach",
        "The head coach",
        "administrators",
        "delete your assessment answers straight away",
        "90 days after the appointment",
        "until you ask us to erase it",
        'href="/me/data/"',
        "The head coach carries out your request",
        "mailto:hello@studio.example.com",
    ]:
        assert fact in body, fact
    assert response.resolver_match.view_name == "coaching:privacy"


def test_the_retention_period_follows_the_setting(client: HttpClient, settings: object) -> None:
    settings.INTAKE_RETENTION_DAYS = 30  # type: ignore[attr-defined]
    assert "30 days after the appointment" in client.get("/privacy/").content.decode()


def test_every_page_links_it_from_the_footer(client: HttpClient) -> None:
    assert LINK in client.get("/").content.decode()
    assert LINK in client.get("/exercises/").content.decode()


def test_the_consent_steps_link_it(client: HttpClient, coach_a: User, client_a: Client) -> None:
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            coach=coach_a.coach_profile, weekday=day, starts_at=time(9), ends_at=time(17)
        )
        for day in range(7)
    )
    booking_form = client.get("/assessment/book/", {"slot": available_slots()[0].value})
    assert LINK in booking_form.content.decode().split('name="consent"')[0].split("<fieldset")[-1]
    client_a.user.set_unusable_password()
    client_a.user.save()
    invite = client.get(resend_invite(client=client_a, by=coach_a).link_path)
    assert LINK in invite.content.decode()
    assert LINK in render_to_string("clients/_consent.html", {"consent_text": "We store..."})
