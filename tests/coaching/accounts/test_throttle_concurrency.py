"""Fifty simultaneous requests from one address never get past a limit (PostgreSQL).

Real threads, each with its own database connection, released together by a
barrier against the real views: the counter is spent atomically before the
password or token is checked, so exactly the limit's number get through.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client as HttpClient

from coaching.accounts.throttle import (
    BOOKING,
    INVITE_LINK,
    LOGIN_ACCOUNT,
    MANAGE_LINK,
    PASSWORD_RESET_ACCOUNT,
    PASSWORD_RESET_ADDRESS,
)
from coaching.assessments.selectors import available_slots
from coaching.models import Assessment, AvailabilityWindow, User
from tests.clients.test_concurrency import race
from tests.coaching.assessments.test_booking import intake
from tests.factories import PASSWORD

REQUESTS = 50
ADDRESS = "198.51.100.77"

pytestmark = [
    pytest.mark.usefixtures("seeded_transactional_db"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="50-way concurrency runs on PostgreSQL"
    ),
]


def simultaneously(request: Callable[[HttpClient, int], Any]) -> Counter[int]:
    """Send REQUESTS requests from one address at the same instant; count the statuses."""

    def worker(i: int) -> Callable[[], int]:
        return lambda: request(HttpClient(REMOTE_ADDR=ADDRESS), i).status_code

    results = race([worker(i) for i in range(REQUESTS)])
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    return Counter(results)


def test_fifty_simultaneous_wrong_passwords_check_only_five(coach_a: User) -> None:
    statuses = simultaneously(
        lambda http, i: http.post(
            "/accounts/login/", {"username": coach_a.email, "password": f"wrong-{i}"}
        )
    )
    assert statuses == {200: LOGIN_ACCOUNT.max_hits, 429: REQUESTS - LOGIN_ACCOUNT.max_hits}
    # Locked: the right password is refused too.
    http = HttpClient(REMOTE_ADDR=ADDRESS)
    response = http.post("/accounts/login/", {"username": coach_a.email, "password": PASSWORD})
    assert response.status_code == 429


def test_fifty_simultaneous_bookings_make_exactly_ten(coach_a: User) -> None:
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            coach=coach_a.coach_profile, weekday=d, starts_at=time(8), ends_at=time(20)
        )
        for d in range(7)
    )
    slots = available_slots()[::2][:REQUESTS]  # an hour apart: no booking blocks another
    assert len(slots) == REQUESTS
    statuses = simultaneously(
        lambda http, i: http.post(
            "/assessment/book/", intake(slot=slots[i].value, email=f"v{i}@example.com")
        )
    )
    assert statuses == {302: BOOKING.max_hits, 429: REQUESTS - BOOKING.max_hits}
    assert Assessment.objects.count() == BOOKING.max_hits


def test_fifty_simultaneous_manage_link_guesses_look_up_only_ten() -> None:
    statuses = simultaneously(lambda http, i: http.get(f"/assessment/manage/guess-{i}/"))
    assert statuses == {404: MANAGE_LINK.max_hits, 429: REQUESTS - MANAGE_LINK.max_hits}


def test_fifty_simultaneous_invitation_guesses_look_up_only_ten() -> None:
    statuses = simultaneously(lambda http, i: http.get(f"/accounts/invite/guess-{i}/"))
    assert statuses == {410: INVITE_LINK.max_hits, 429: REQUESTS - INVITE_LINK.max_hits}


def test_fifty_simultaneous_reset_requests_send_at_most_five() -> None:
    statuses = simultaneously(
        lambda http, i: http.post("/accounts/password_reset/", {"email": f"p{i}@example.com"})
    )
    allowed = PASSWORD_RESET_ADDRESS.max_hits
    assert statuses == {302: allowed, 429: REQUESTS - allowed}


def test_fifty_simultaneous_resets_for_one_account_send_three_emails(coach_a: User) -> None:
    statuses = simultaneously(
        lambda http, i: http.post("/accounts/password_reset/", {"email": coach_a.email})
    )
    allowed = PASSWORD_RESET_ACCOUNT.max_hits
    assert statuses == {302: allowed, 429: REQUESTS - allowed}
    assert len(mail.outbox) == allowed
