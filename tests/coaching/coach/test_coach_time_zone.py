"""Coaches see times in their own zone: one instant, read by two coaches half a world apart.

The client lives in the studio's zone (Europe/London), so a page that showed the
client's or the studio's clock would show neither coach's local time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client as HttpClient

from clients.models import Client, CoachNote
from coaching.models import Assessment, Coach, User
from tests.factories import make_client, make_coach

pytestmark = pytest.mark.django_db

# 20:00 UTC on Thursday 15 January 2026 (no summer time anywhere involved):
# 12:00 on Thursday in Los Angeles (UTC-8), 01:30 on Friday in Kolkata (UTC+5:30),
# 20:00 on Thursday in London (the studio's and the client's zone).
INSTANT = datetime(2026, 1, 15, 20, 0, tzinfo=UTC)
SHOWN = {
    "America/Los_Angeles": {"history": "15 Jan 2026, 12:00", "call": "Thu 15 Jan, 12:00"},
    "Asia/Kolkata": {"history": "16 Jan 2026, 01:30", "call": "Fri 16 Jan, 01:30"},
    "Europe/London": {"history": "15 Jan 2026, 20:00", "call": "Thu 15 Jan, 20:00"},
}


def coach_in(email: str, zone: str, *, head: bool = False) -> User:
    user = make_coach(email, first_name=zone.split("/")[1].replace("_", " "), head=head)
    Coach.objects.filter(user=user).update(time_zone=zone)
    return user


@pytest.fixture
def coaches() -> dict[str, User]:
    """A head coach in Los Angeles (sees every client and booking) and a coach in Kolkata."""
    return {
        "America/Los_Angeles": coach_in("la@example.com", "America/Los_Angeles", head=True),
        "Asia/Kolkata": coach_in("kolkata@example.com", "Asia/Kolkata"),
    }


@pytest.fixture
def client_at_instant(coaches: dict[str, User]) -> Client:
    """The Kolkata coach's client, started on stage 2 at INSTANT, with a note written then."""
    coach = coaches["Asia/Kolkata"]
    with time_machine.travel(INSTANT, tick=False):
        client = make_client(
            "tz.client@example.com",
            coach=coach,
            position=2,
            first_name="Zoe",
            days_on_stage=0,
            time_zone="Europe/London",
        )
    CoachNote.objects.create(client=client, author=coach, created_at=INSTANT, text="Zone check")
    return client


@pytest.fixture
def call_at_instant(coaches: dict[str, User]) -> Assessment:
    """A booked assessment with the Kolkata coach starting at INSTANT."""
    return Assessment.objects.create(
        coach=coaches["Asia/Kolkata"].coach_profile,
        starts_at=INSTANT,
        ends_at=INSTANT + timedelta(minutes=30),
        blocked_until=INSTANT + timedelta(minutes=45),
        manage_token_hash="tz-check",
        name="Tess Zone",
        email="tess@example.com",
        visitor_time_zone="Europe/London",
        consented_at=INSTANT - timedelta(days=2),
    )


def page_as(user: User, path: str) -> str:
    browser = HttpClient()
    browser.force_login(user)
    response = browser.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_program_page_shows_history_times_in_each_coachs_own_zone(
    coaches: dict[str, User], client_at_instant: Client
) -> None:
    path = f"/coach/clients/{client_at_instant.pk}/"
    author = coaches["Asia/Kolkata"].display_name
    for zone, coach in coaches.items():
        body = page_as(coach, path)
        stamp = SHOWN[zone]["history"]
        # The stage history (the start, made at INSTANT) and the note, at the reader's clock.
        assert f'text-secondary-strong">{stamp} · {author}</span>\n' in body, zone
        assert f'text-secondary-strong">{stamp} · {author}</span><br>Zone check' in body, zone
        others = [s["history"] for z, s in SHOWN.items() if z != zone]
        assert not [other for other in others if other in body], (zone, others)


def test_the_assessments_page_shows_a_call_at_each_coachs_local_time(
    coaches: dict[str, User], call_at_instant: Assessment
) -> None:
    for zone, coach in coaches.items():
        body = page_as(coach, "/coach/assessments/")
        assert f"{SHOWN[zone]['call']} · Tess Zone" in body, zone
        others = [s["call"] for z, s in SHOWN.items() if z != zone]
        assert not [other for other in others if other in body], (zone, others)
