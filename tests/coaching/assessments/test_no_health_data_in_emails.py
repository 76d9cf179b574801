"""The coach's booking email and every queued task carry who and when, never intake answers."""

from __future__ import annotations

from datetime import time
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.test import Client as HttpClient

from coaching.assessments import services
from coaching.assessments.selectors import available_slots
from coaching.models import AvailabilityWindow, User
from tests.coaching.assessments.test_booking import intake

pytestmark = pytest.mark.django_db

INTAKE = {
    "phone": "07700 900123",
    "where_it_hurts": "Left sacroiliac joint",
    "how_long": "Since the spring marathon",
    "worse_with": "Long drives and stairs",
    "goals": "Lift my grandson",
}


@pytest.fixture
def open_coach(coach_a: User) -> User:
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            coach=coach_a.coach_profile, weekday=d, starts_at=time(9), ends_at=time(17)
        )
        for d in range(7)
    )
    return coach_a


def test_the_coach_is_told_who_and_when_and_where_to_look(
    client: HttpClient, open_coach: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/assessment/book/", intake(slot=available_slots()[0].value, **INTAKE))
    coach_email = next(m for m in mail.outbox if m.to == [open_coach.email])
    text = coach_email.subject + coach_email.body
    assert "Vera Visitor" in text and "When:" in coach_email.body
    assert "http://127.0.0.1:8000/coach/assessments/" in coach_email.body
    for answer in INTAKE.values():
        assert answer not in text


def test_queued_booking_tasks_carry_ids_and_links_only(
    client: HttpClient, open_coach: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Whatever the backend stores for later, no intake text is among a task's arguments."""
    queued: list[tuple[Any, ...]] = []

    def capture(*args: Any, **kwargs: Any) -> None:
        queued.append((*args, *kwargs.values()))

    slots = available_slots()
    fake_task = mock.Mock(enqueue=mock.Mock(side_effect=capture))
    with (
        mock.patch.object(services, "send_assessment_emails", fake_task),
        django_capture_on_commit_callbacks(execute=True),
    ):
        booked = client.post("/assessment/book/", intake(slot=slots[0].value, **INTAKE))
        page = booked["Location"].split("?")[0]
        client.post(page, {"action": "move", "slot": slots[4].value})
        client.post(page, {"action": "cancel", "confirm": "on"})
    assert [args[2] for args in queued] == ["booked", "moved", "cancelled"]
    for args in queued:
        assert isinstance(args[0], int)
        for value in args:
            assert all(answer not in str(value) for answer in [*INTAKE.values(), "Vera"])
