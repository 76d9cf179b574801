"""Many visitors booking the same slot at once: exactly one booking, no 500.

Each visitor has their own email and their own client address (through the
trusted proxy header, as in production), so neither the one-per-email rule nor
the rate limit decides it: only the database's guarantee does. Fifty on
PostgreSQL (the exclusion constraint); twenty on SQLite (the writers queue).
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client as HttpClient
from django.utils import timezone

from coaching.assessments.selectors import available_slots
from coaching.assessments.services import AlreadyBooked, SlotTaken, book_assessment
from coaching.models import Assessment, AvailabilityWindow, User
from tests.clients.test_concurrency import race
from tests.coaching.assessments.test_booking import intake

PROXY = "10.0.0.1"


def visitors() -> int:
    return 50 if connection.vendor == "postgresql" else 20


@pytest.mark.usefixtures("seeded_transactional_db")
def test_simultaneous_bookings_of_one_slot_give_exactly_one_booking(
    coach_a: User, settings: Any
) -> None:
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_COUNT = 1
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            coach=coach_a.coach_profile, weekday=d, starts_at=time(9), ends_at=time(17)
        )
        for d in range(7)
    )
    slot = available_slots()[0]
    count = visitors()

    def visitor(i: int):  # noqa: ANN202
        def attempt() -> tuple[int, str, str]:
            http = HttpClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.{i + 1}")
            response = http.post(
                "/assessment/book/",
                intake(slot=slot.value, email=f"v{i}@example.com", name=f"Visitor {i}"),
            )
            return response.status_code, response.get("Location", ""), response.content.decode()

        return attempt

    results = race([visitor(i) for i in range(count)])
    assert not [r for r in results if isinstance(r, Exception)], results
    booked = [r for r in results if r[0] == 302 and r[1].startswith("/assessment/manage/")]
    refused = [r for r in results if r[0] == 200 and "That time was just taken" in r[2]]
    assert len(booked) == 1 and len(refused) == count - 1, [r[:2] for r in results]
    assert Assessment.objects.filter(starts_at=slot.start, status="booked").count() == 1
    assert Assessment.objects.count() == 1


@pytest.mark.usefixtures("seeded_transactional_db")
def test_simultaneous_bookings_from_one_email_give_one_booking(coach_a: User) -> None:
    """The same email at two free times at once: one booking, the other told it exists."""
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            coach=coach_a.coach_profile, weekday=d, starts_at=time(9), ends_at=time(17)
        )
        for d in range(7)
    )
    slots = available_slots()[::4][:6]

    def attempt(i: int):  # noqa: ANN202
        return lambda: book_assessment(
            coach_id=slots[i].coach_id,
            start=slots[i].start,
            intake={"name": "Sam", "email": "SAM@example.com" if i % 2 else "sam@example.com"},
            visitor_time_zone="Europe/London",
        )

    results = race([attempt(i) for i in range(len(slots))])
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    assert all(isinstance(r, AlreadyBooked) for r in results if isinstance(r, Exception))
    assert Assessment.objects.filter(status="booked").count() == 1


def _row(coach: User, start: Any, **fields: Any) -> Assessment:
    values = {
        "coach": coach.coach_profile,
        "starts_at": start,
        "ends_at": start + timedelta(minutes=30),
        "blocked_until": start + timedelta(minutes=45),
        "name": "A",
        "email": "a@example.com",
        "consented_at": timezone.now(),
        "manage_token_hash": f"hash-{start:%H%M}-{fields.get('email', 'a')}",
    }
    values.update(fields)
    return Assessment.objects.create(**values)


@pytest.mark.django_db
def test_the_database_refuses_an_overlapping_booking_or_hold(coach_a: User) -> None:
    """PostgreSQL's exclusion constraint refuses the row itself (holds too); on SQLite the
    service does, under the database lock."""
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    _row(coach_a, start)
    later = start + timedelta(minutes=20)
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            _row(coach_a, later, email="b@example.com")
        with pytest.raises(IntegrityError), transaction.atomic():
            _row(
                coach_a,
                later,
                email="c@example.com",
                status="held",
                held_until=timezone.now() + timedelta(minutes=30),
            )
        # A cancelled booking does not hold the time.
        Assessment.objects.filter(email="a@example.com").update(status="cancelled")
        _row(coach_a, later, email="d@example.com")
    else:
        with pytest.raises(SlotTaken):
            book_assessment(
                coach_id=coach_a.coach_profile.pk,
                start=start,
                intake={"name": "B", "email": "b@example.com"},
                visitor_time_zone="Europe/London",
            )
    assert Assessment.objects.filter(status="booked").count() == 1


@pytest.mark.django_db
def test_the_database_allows_one_active_assessment_per_email_whatever_its_case(
    coach_a: User,
) -> None:
    """A partial unique index on the lower-cased email, for booked and held rows only."""
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    _row(coach_a, start, email="Pat@Example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(coach_a, start + timedelta(hours=2), email="pat@example.COM")
    Assessment.objects.filter(email="Pat@Example.com").update(status="cancelled")
    _row(coach_a, start + timedelta(hours=2), email="pat@example.com")
    assert Assessment.objects.filter(status="booked").count() == 1


@pytest.mark.django_db
def test_bookings_whose_email_the_retention_purge_emptied_do_not_collide(coach_a: User) -> None:
    """Old bookings never marked attended keep status "booked"; the purge blanks their email."""
    start = timezone.now().replace(microsecond=0) - timedelta(days=120)
    _row(coach_a, start, email="")
    _row(coach_a, start + timedelta(hours=2), email="")
    assert Assessment.objects.filter(email="", status="booked").count() == 2
