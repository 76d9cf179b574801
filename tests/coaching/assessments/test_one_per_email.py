"""One active free assessment per email, matched whatever its case; the page never shows
another person's booking or link, which goes to the booking's own inbox instead."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient

from coaching.assessments.selectors import available_slots
from coaching.models import Assessment, User
from tests.coaching.assessments.test_booking import book, intake

pytestmark = pytest.mark.django_db


def test_a_second_booking_with_the_same_email_emails_the_link_again(
    client: HttpClient, open_coach: User, django_capture_on_commit_callbacks: Any
) -> None:
    slots = available_slots()
    first = book(client, slots[0].value, _callbacks=django_capture_on_commit_callbacks)
    link = first["Location"].split("?")[0]
    mail.outbox.clear()
    stranger = HttpClient()
    with django_capture_on_commit_callbacks(execute=True):
        response = stranger.post(
            "/assessment/book/",
            intake(slot=slots[6].value, email="  VERA@example.COM ", name="Someone Else"),
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert "already booked for that email address" in body
    assert "emailed the booking's private link again" in body
    assert link not in body and "/assessment/manage/" not in body
    assert "Vera" not in body and slots[0].start.strftime("%H:%M") not in body
    assert Assessment.objects.count() == 1
    (resent,) = mail.outbox
    assert resent.to == ["vera@example.com"]
    assert re.search(r"(/assessment/manage/\S+/)", resent.body).group(1) == link
    assert client.get(link).status_code == 200  # the first link still works


def test_after_a_cancel_the_same_email_can_book_again(client: HttpClient, open_coach: User) -> None:
    slots = available_slots()
    manage = book(client, slots[0].value)["Location"].split("?")[0]
    client.post(manage, {"action": "cancel", "confirm": "on"})
    again = book(client, slots[6].value)
    assert again["Location"].startswith("/assessment/manage/")
    assert Assessment.objects.filter(status="booked").count() == 1
