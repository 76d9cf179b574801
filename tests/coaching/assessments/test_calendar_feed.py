"""A coach's private calendar feed: a secret link, stored hashed, listing their bookings with
first names and "Assessment" only."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient
from icalendar import Calendar

from coaching.accounts.tokens import hash_token
from coaching.assessments.selectors import available_slots
from coaching.models import Assessment, CalendarFeed, User
from tests.coaching.assessments.test_booking import book

pytestmark = pytest.mark.django_db


def feed_link(http: HttpClient) -> str:
    page = http.post("/coach/assessments/calendar-link/").content.decode()
    return re.search(r"<code class=\"text-dark\" data-feed-link>(\S+)</code>", page).group(1)


def test_the_feed_lists_bookings_with_first_names_only(
    client: HttpClient, open_coach: User, coach_b: User
) -> None:
    slots = available_slots()
    book(client, slots[0].value, phone="07700 900123")
    book(client, slots[6].value, email="otto@example.com", name="Otto Other")
    coach = HttpClient()
    coach.force_login(open_coach)
    link = feed_link(coach)
    token = link.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get().token_hash == hash_token(token)
    response = HttpClient().get(link.replace("http://testserver", ""))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == ["Assessment: Otto", "Assessment: Vera"]
    assert {e.decoded("DTSTART") for e in events} == {slots[0].start, slots[6].start}
    text = response.content.decode()
    for private in ["Visitor", "Other", "vera@", "otto@", "07700", "Lower back", "Garden"]:
        assert private not in text
    # Cancelled bookings leave the feed; another coach's feed is their own.
    Assessment.objects.filter(email="otto@example.com").update(status="cancelled")
    again = Calendar.from_ical(HttpClient().get(link.replace("http://testserver", "")).content)
    assert [str(e["SUMMARY"]) for e in again.walk("VEVENT")] == ["Assessment: Vera"]
    other = HttpClient()
    other.force_login(coach_b)
    theirs = HttpClient().get(feed_link(other).replace("http://testserver", ""))
    assert Calendar.from_ical(theirs.content).walk("VEVENT") == []


def test_a_new_link_replaces_the_old_and_wrong_links_are_not_found(
    client: HttpClient, open_coach: User
) -> None:
    coach = HttpClient()
    coach.force_login(open_coach)
    old = feed_link(coach).replace("http://testserver", "")
    new = feed_link(coach).replace("http://testserver", "")
    assert HttpClient().get(old).status_code == 404
    assert HttpClient().get(new).status_code == 200
    assert HttpClient().get("/coach/calendar/guess.ics").status_code == 404
    assert HttpClient().post("/coach/assessments/calendar-link/").status_code == 302  # login
