"""Twenty visitors booking the same slot at once: exactly one booking, no 500."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client as HttpClient

from coaching.assessments.selectors import available_slots
from coaching.models import Assessment, AvailabilityWindow, User
from tests.clients.test_concurrency import race
from tests.coaching.assessments.test_booking import intake

VISITORS = 20


@pytest.mark.usefixtures("seeded_transactional_db")
def test_simultaneous_bookings_of_one_slot_give_exactly_one_booking(coach_a: User) -> None:
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            coach=coach_a.coach_profile, weekday=d, starts_at=time(9), ends_at=time(17)
        )
        for d in range(7)
    )
    slot = available_slots()[0]

    def visitor(i: int):  # noqa: ANN202
        def attempt() -> tuple[int, str, str]:
            response = HttpClient(REMOTE_ADDR=f"10.0.0.{i}").post(
                "/assessment/book/",
                intake(slot=slot.value, email=f"v{i}@example.com", name=f"Visitor {i}"),
                follow=True,
            )
            return response.status_code, response.redirect_chain[0][0], response.content.decode()

        return attempt

    results = race([visitor(i) for i in range(VISITORS)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert {status for status, _, _ in results} == {200}
    booked = [r for r in results if r[1].startswith("/assessment/manage/")]
    refused = [r for r in results if r[1] == "/assessment/"]
    assert len(booked) == 1 and len(refused) == VISITORS - 1
    for _, _, body in refused:
        assert (
            "someone booked that time just before you" in body or "not available any more" in body
        )
    assert Assessment.objects.filter(starts_at=slot.start, status="booked").count() == 1


@pytest.mark.django_db
def test_the_database_or_the_service_refuses_an_overlapping_booking(coach_a: User) -> None:
    """PostgreSQL's exclusion constraint refuses the row itself; on SQLite the service does."""
    from datetime import timedelta

    from django.db import IntegrityError, connection, transaction
    from django.utils import timezone

    from coaching.assessments.services import SlotTaken, book_assessment

    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    fields = {
        "coach": coach_a.coach_profile,
        "ends_at": start + timedelta(minutes=30),
        "blocked_until": start + timedelta(minutes=45),
        "name": "A",
        "email": "a@example.com",
        "where_it_hurts": "Back",
        "how_long": "Weeks",
        "consented_at": timezone.now(),
    }
    Assessment.objects.create(starts_at=start, manage_token_hash="one", **fields)
    overlapping = {**fields, "ends_at": start + timedelta(minutes=50)}
    overlapping["blocked_until"] = start + timedelta(minutes=65)
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            Assessment.objects.create(
                starts_at=start + timedelta(minutes=20), manage_token_hash="two", **overlapping
            )
        # A cancelled booking does not hold the time.
        Assessment.objects.filter(manage_token_hash="one").update(status="cancelled")
        Assessment.objects.create(
            starts_at=start + timedelta(minutes=20), manage_token_hash="three", **overlapping
        )
    else:
        with pytest.raises(SlotTaken):
            book_assessment(
                coach_id=coach_a.coach_profile.pk,
                start=start,
                intake={
                    "name": "B",
                    "email": "b@example.com",
                    "where_it_hurts": "x",
                    "how_long": "y",
                },
                visitor_time_zone="Europe/London",
            )
    assert Assessment.objects.filter(status="booked").count() == 1
