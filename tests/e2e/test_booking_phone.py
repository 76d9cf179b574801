import re
from typing import Any

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from coaching.assessments.selectors import available_slots
from coaching.models import Assessment
from tests.e2e.conftest import (
    DESKTOP,
    assert_accessible,
    assert_no_horizontal_scroll,
    log_in,
)

pytestmark = pytest.mark.e2e


def answer_no_to_every_red_flag(page: Page) -> None:
    for group in page.locator("fieldset.red-flag").all():
        group.get_by_text("No", exact=True).click()


def test_a_visitor_books_cancels_and_the_coach_starts_a_program(
    phone: Page,
    browser: Browser,
    live_server: Any,
    demo_studio: None,
) -> None:
    phone.goto("/")
    phone.get_by_role("link", name="Book your free assessment").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Free 30-minute live online")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)

    first = phone.locator("#slot-list a.btn").first
    label = first.get_attribute("aria-label")
    first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Book your free assessment")
    phone.get_by_role("button", name="Book my free assessment").click()
    expect(phone).to_have_title(re.compile(r"^Error: "))
    expect(phone.get_by_role("alert")).to_be_focused()
    assert_accessible(phone)

    answer_no_to_every_red_flag(phone)
    phone.get_by_label("Your name").fill("Vera Visitor")
    phone.get_by_label("Email address").fill("vera@example.com")
    phone.get_by_label("Where does it hurt?").fill("Lower back")
    phone.get_by_label("For how long?").fill("Two months")
    phone.get_by_label("I agree that the studio").check()
    phone.get_by_role("button", name="Book my free assessment").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("You're booked")
    assert_accessible(phone)

    confirmation = next(m for m in mail.outbox if m.to == ["vera@example.com"])
    calendar = Calendar.from_ical(confirmation.attachments[0][1])
    assert calendar["METHOD"] == "REQUEST"
    booking = Assessment.objects.get(email="vera@example.com")
    assert booking.starts_at not in {s.start for s in available_slots()}
    manage = re.search(r"(/assessment/manage/\S+/)", confirmation.body).group(1)

    phone.goto(manage)
    expect(phone.get_by_text("Vera", exact=False).first).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("button", name="Cancel my assessment").click()
    expect(phone.locator("#messages")).to_contain_text("Your assessment is cancelled")
    assert booking.starts_at in {s.start for s in available_slots()}
    phone.goto("/assessment/")
    expect(phone.get_by_role("link", name=label)).to_be_visible()

    coach = browser.new_context(**DESKTOP, base_url=live_server.url, bypass_csp=True)
    page = coach.new_page()
    log_in(page, "coach@example.com")
    page.get_by_role("link", name="Assessments").click()
    expect(page.get_by_text("Vera Visitor").first).to_be_visible()
    assert_accessible(page)
    gina = page.locator("article", has_text="Gina Ellis")
    gina.get_by_label("Why they might be in pain").fill("Bends through the lower back")
    gina.get_by_label("Recommended starting stage").select_option(label="1. Four-point rock back")
    gina.get_by_role("button", name="Save outcome").click()
    expect(page.locator("#messages")).to_contain_text("Outcome saved for Gina Ellis")
    page.locator("article", has_text="Gina Ellis").get_by_role(
        "button", name=re.compile("Start program")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gina Ellis")
    expect(page.locator("#stage-history")).to_contain_text("Started to 1. Four-point rock back")
    assert any(m.to == ["gina@example.com"] for m in mail.outbox)
    coach.close()


def test_times_follow_the_visitors_own_time_zone(
    browser: Browser,
    live_server: Any,
    demo_studio: None,
) -> None:
    """A phone set to Kolkata time sees Kolkata times, and the choice is remembered."""
    from tests.e2e.conftest import PHONE

    context = browser.new_context(
        **PHONE, base_url=live_server.url, timezone_id="Asia/Kolkata", bypass_csp=True
    )
    page = context.new_page()
    page.goto("/assessment/")
    kolkata = re.compile(r"Asia/(Kolkata|Calcutta)")  # Chromium may report the older alias
    expect(page.locator("#id_tz")).to_have_value(kolkata)
    expect(page.locator("#slots-title")).to_contain_text(kolkata)
    expect(page).to_have_url(re.compile(r"tz=Asia%2F(Kolkata|Calcutta)"))
    assert_accessible(page)
    page.goto("/assessment/")
    expect(page.locator("#slots-title")).to_contain_text(kolkata)
    page.locator("#id_tz").select_option("America/New_York")
    expect(page.locator("#slots-title")).to_contain_text("America/New York")
    context.close()
