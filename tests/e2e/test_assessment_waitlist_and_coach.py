"""The waitlist offer on a phone, and the coach's availability editor and calendar feed on a
desktop, in a real Chromium."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient
from icalendar import Calendar
from playwright.sync_api import Page, expect

from coaching.assessments.selectors import available_slots
from coaching.assessments.services import book_assessment
from coaching.assessments.services.manage import cancel_assessment
from coaching.models import Assessment, AvailabilityWindow, User, WaitlistEntry
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_the_waitlist_holds_a_freed_time_for_the_first_in_line(phone: Page, coach_a: User) -> None:
    AvailabilityWindow.objects.create(
        coach=coach_a.coach_profile, weekday=0, starts_at=time(9), ends_at=time(10)
    )
    booked = []
    while slots := available_slots():
        booked.append(
            book_assessment(
                coach_id=slots[0].coach_id,
                start=slots[0].start,
                intake={"name": "Full Up", "email": f"full{len(booked)}@example.com"},
                visitor_time_zone="Europe/London",
            ).assessment
        )
    phone.goto("/assessment/")
    expect(phone.locator("#slot-list")).to_contain_text("There are no free times")
    phone.get_by_role("link", name="No time suits? Join the waitlist").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Join the waitlist")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)
    phone.get_by_role("button", name="Join the waitlist").click()
    expect(phone).to_have_title(re.compile(r"^Error: "))
    assert_accessible(phone)
    phone.get_by_label("Email address").fill("wes@example.com")
    phone.get_by_label("Monday morning").check()
    phone.get_by_role("button", name="Join the waitlist").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("You're on the waitlist")
    assert WaitlistEntry.objects.get().preferences == ["0-morning"]

    cancel_assessment(assessment=booked[0])
    hold = Assessment.objects.get(status="held")
    offer = next(m for m in mail.outbox if m.to == ["wes@example.com"])
    link = re.search(r"(/assessment/hold/\S+/)", offer.body).group(1)
    phone.goto(link)
    expect(phone.locator("main")).to_contain_text("We are holding this time for you until")
    expect(phone.get_by_label("Email address")).to_have_value("wes@example.com")
    assert_accessible(phone)
    phone.get_by_label("Your name").fill("Wes Waiting")
    phone.get_by_label("I agree that the studio").check()
    phone.get_by_role("button", name="None of these apply").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("You're booked")
    hold.refresh_from_db()
    assert (hold.status, hold.name) == ("booked", "Wes Waiting")


def test_the_coach_edits_availability_with_htmx_and_sees_the_week(
    desktop: Page, coach_a: User
) -> None:
    coach = coach_a.coach_profile
    AvailabilityWindow.objects.create(coach=coach, weekday=0, starts_at=time(9), ends_at=time(12))
    log_in(desktop, coach_a.email, PASSWORD)
    desktop.goto("/coach/availability/")
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Availability for assessments")
    assert_accessible(desktop)
    requests: list[str] = []
    desktop.on(
        "request",
        lambda r: requests.append(r.resource_type) if r.resource_type == "document" else None,
    )
    desktop.get_by_role("button", name="Add a window").click()
    row = desktop.locator("#w-row-1")
    expect(row).to_be_visible()
    row.get_by_label("Weekday").select_option("2")
    row.get_by_label("From").fill("14:00")
    row.get_by_label("Until").fill("15:00")
    expect(desktop.locator("#week-preview")).to_contain_text(re.compile(r"Wed \d+"))
    desktop.get_by_role("button", name="Remove window 1").click()
    expect(desktop.locator("#w-rows")).to_contain_text("will be removed when you save")
    desktop.get_by_role("button", name="Add time off").click()
    expect(desktop.locator("#off-row-0")).to_be_visible()
    desktop.get_by_role("button", name="Remove time off 1").click()
    expect(desktop.locator("#off-row-0")).to_have_count(0)
    assert requests == []  # all of that without a page load
    desktop.get_by_label("Your time zone").fill("America/Chicago")
    assert_accessible(desktop)
    desktop.get_by_role("button", name="Save availability").click()
    expect(desktop.locator("#messages")).to_contain_text("Availability saved")
    windows = list(AvailabilityWindow.objects.filter(coach=coach).values_list("weekday", flat=True))
    assert windows == [2]
    coach.refresh_from_db()
    assert coach.time_zone == "America/Chicago"


def test_the_coach_subscribes_to_a_private_calendar(
    desktop: Page, coach_a: User, live_server: Any
) -> None:
    AvailabilityWindow.objects.create(
        coach=coach_a.coach_profile, weekday=0, starts_at=time(9), ends_at=time(17)
    )
    slot = available_slots()[0]
    book_assessment(
        coach_id=slot.coach_id,
        start=slot.start,
        intake={"name": "Fay Feed", "email": "fay@example.com"},
        visitor_time_zone="Europe/London",
    )
    log_in(desktop, coach_a.email, PASSWORD)
    desktop.goto("/coach/assessments/")
    desktop.get_by_role("button", name="Make my private calendar address").click()
    link = desktop.locator("[data-feed-link]").inner_text()
    assert_accessible(desktop)
    feed = HttpClient().get(link.replace(live_server.url, ""))
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Assessment: Fay"]
