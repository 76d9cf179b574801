"""Shared fixtures for the assessment's tests: a coach open every day, and a booking helper."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.test import Client as HttpClient

from coaching.models import AvailabilityWindow, User


@pytest.fixture
def open_coach(coach_a: User) -> User:
    """Coach A takes assessments every day 09:00-17:00 London time, with a video link."""
    coach = coach_a.coach_profile
    coach.video_link = "https://meet.example.com/alex"
    coach.save()
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(coach=coach, weekday=d, starts_at=time(9), ends_at=time(17))
        for d in range(7)
    )
    return coach_a


@pytest.fixture
def booked_page(client: HttpClient, open_coach: User) -> Any:
    """Book the first free time as Vera; the manage page's path (without ?booked=1)."""
    from coaching.assessments.selectors import available_slots
    from tests.coaching.assessments.test_booking import intake

    response = client.post("/assessment/book/", intake(slot=available_slots()[0].value))
    return response["Location"].split("?")[0]
