"""The waitlist: when no time suits, an email and the parts of the week that would; when a
matching time frees up, the first in line gets it held for 30 minutes and a link to take it."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone

from coaching.assessments.selectors import available_slots
from coaching.assessments.services import book_assessment, due_work
from coaching.assessments.services.coach import save_availability
from coaching.assessments.services.manage import cancel_assessment
from coaching.models import Assessment, AvailabilityWindow, User, WaitlistEntry
from tests.coaching.assessments.test_booking import intake

pytestmark = pytest.mark.django_db
MONDAY_MORNINGS = ["0-morning"]


@pytest.fixture
def full_mondays(coach_a: User) -> list[Assessment]:
    """Coach A takes assessments on Monday 09:00-10:00 only, and every one is booked."""
    AvailabilityWindow.objects.create(
        coach=coach_a.coach_profile, weekday=0, starts_at=time(9), ends_at=time(10)
    )
    booked = []
    while slots := available_slots():
        booked.append(
            book_assessment(
                coach_id=slots[0].coach_id,
                start=slots[0].start,
                intake={"name": f"Booker {len(booked)}", "email": f"b{len(booked)}@example.com"},
                visitor_time_zone="Europe/London",
            ).assessment
        )
    mail.outbox.clear()
    return booked


def join(client: HttpClient, email: str, prefs: list[str] = MONDAY_MORNINGS) -> Any:
    return client.post(
        "/assessment/waitlist/?tz=Europe/London", {"email": email, "preferences": prefs}
    )


def hold_link(message: Any) -> str:
    return re.search(r"(/assessment/hold/\S+/)", message.body).group(1)


def test_the_waitlist_asks_for_an_email_and_the_times_that_suit(
    client: HttpClient, full_mondays: list[Assessment]
) -> None:
    page = client.get("/assessment/waitlist/").content.decode()
    assert "Monday morning" in page and "Sunday evening" in page
    empty = client.post("/assessment/waitlist/", {"email": "wes@example.com"})
    assert "Tick at least one day and time that suits you" in empty.content.decode()
    joined = join(client, "Wes@Example.com", ["0-morning", "2-evening"])
    assert "You're on the waitlist" in joined.content.decode()
    entry = WaitlistEntry.objects.get()
    assert (entry.email, entry.preferences) == ("wes@example.com", ["0-morning", "2-evening"])
    assert not Assessment.objects.filter(status="held").exists()  # nothing free matches


def test_a_cancel_holds_the_time_for_the_first_in_line_who_takes_it(
    client: HttpClient, full_mondays: list[Assessment], django_capture_on_commit_callbacks: Any
) -> None:
    join(client, "wes@example.com")
    join(client, "xena@example.com")
    freed = full_mondays[0]
    with django_capture_on_commit_callbacks(execute=True):
        cancel_assessment(assessment=freed)
    hold = Assessment.objects.get(status="held")
    assert (hold.email, hold.starts_at) == ("wes@example.com", freed.starts_at)
    assert timedelta(minutes=29) < hold.held_until - timezone.now() <= timedelta(minutes=30)
    assert freed.starts_at not in {s.start for s in available_slots()}
    offer = next(m for m in mail.outbox if m.to == ["wes@example.com"])
    assert "held for you" in offer.subject
    link = hold_link(offer)
    visitor = HttpClient()
    page = visitor.get(link).content.decode()
    assert "We are holding this time for you until" in page
    assert 'value="wes@example.com"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(
            link, intake(name="Wes Waiting", email="wes@example.com", slot=None)
        )
    assert response["Location"] == link.replace("/hold/", "/manage/") + "?booked=1"
    booked = Assessment.objects.get(pk=hold.pk)
    assert (booked.status, booked.name, booked.held_until) == ("booked", "Wes Waiting", None)
    assert booked.consented_at is not None
    assert not WaitlistEntry.objects.filter(email="wes@example.com").exists()
    assert any(m.subject == "Your free movement assessment is booked" for m in mail.outbox)
    assert visitor.get(link.replace("/hold/", "/manage/")).status_code == 200


def test_a_lapsed_hold_is_released_by_tick_and_offered_to_the_next_in_line(
    client: HttpClient, full_mondays: list[Assessment], django_capture_on_commit_callbacks: Any
) -> None:
    join(client, "wes@example.com")
    join(client, "xena@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_assessment(assessment=full_mondays[0])
    first = Assessment.objects.get(status="held")
    link = hold_link(next(m for m in mail.outbox if m.to == ["wes@example.com"]))
    with django_capture_on_commit_callbacks(execute=True):
        assert due_work(timezone.now() + timedelta(minutes=20)).holds_to_release == 0
        report = due_work(timezone.now() + timedelta(minutes=31))
    assert report.holds_to_release == 1
    first.refresh_from_db()
    assert first.status == "released"
    second = Assessment.objects.get(status="held")
    assert (second.email, second.starts_at) == ("xena@example.com", first.starts_at)
    assert any(m.to == ["xena@example.com"] for m in mail.outbox)
    assert "This hold has ended" in HttpClient().get(link).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        again = due_work(timezone.now() + timedelta(minutes=31))
    assert again.holds_to_release == 0  # idempotent: the second hold is still live then


def test_a_held_time_cannot_be_booked_by_someone_else(
    client: HttpClient, full_mondays: list[Assessment], django_capture_on_commit_callbacks: Any
) -> None:
    join(client, "wes@example.com")
    freed = full_mondays[0]
    with django_capture_on_commit_callbacks(execute=True):
        cancel_assessment(assessment=freed)
    slot_value = f"{freed.coach_id}@{freed.starts_at:%Y-%m-%dT%H:%MZ}"
    response = HttpClient().post(
        "/assessment/book/", intake(slot=slot_value, email="late@example.com")
    )
    assert "That time was just taken" in response.content.decode()
    assert not Assessment.objects.filter(email="late@example.com").exists()


def test_new_availability_is_offered_to_the_waitlist(
    client: HttpClient, full_mondays: list[Assessment], django_capture_on_commit_callbacks: Any
) -> None:
    join(client, "wes@example.com", ["1-afternoon"])
    coach = full_mondays[0].coach
    with django_capture_on_commit_callbacks(execute=True):
        save_availability(
            coach=coach,
            time_zone=coach.time_zone,
            video_link="",
            changed=[AvailabilityWindow(weekday=1, starts_at=time(14), ends_at=time(15))],
            deleted=[],
        )
    hold = Assessment.objects.get(status="held")
    assert hold.email == "wes@example.com"
    local = timezone.localtime(hold.starts_at)
    assert (local.weekday(), local.hour) == (1, 14)


def test_letting_a_hold_go_passes_it_on(
    client: HttpClient, full_mondays: list[Assessment], django_capture_on_commit_callbacks: Any
) -> None:
    join(client, "wes@example.com")
    join(client, "xena@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_assessment(assessment=full_mondays[0])
    link = hold_link(next(m for m in mail.outbox if m.to == ["wes@example.com"]))
    with django_capture_on_commit_callbacks(execute=True):
        page = HttpClient().post(link, {"decline": "1"})
    assert "the time goes to the next person" in page.content.decode()
    assert Assessment.objects.get(status="held").email == "xena@example.com"


def test_waitlist_entries_are_deleted_after_30_days(
    client: HttpClient, full_mondays: list[Assessment], django_capture_on_commit_callbacks: Any
) -> None:
    join(client, "wes@example.com")
    WaitlistEntry.objects.update(created_at=timezone.now() - timedelta(days=29))
    with django_capture_on_commit_callbacks(execute=True):
        assert due_work(timezone.now()).waitlist_to_purge == 0
        assert due_work(timezone.now() + timedelta(days=2)).waitlist_to_purge == 1
    assert not WaitlistEntry.objects.exists()


def test_someone_already_booked_is_not_added_and_gets_their_link(
    client: HttpClient, full_mondays: list[Assessment], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = join(client, "B0@example.com")
    assert "already booked for that email address" in response.content.decode()
    assert not WaitlistEntry.objects.exists()
    assert [m.to for m in mail.outbox] == [["b0@example.com"]]
