"""Booking the free assessment on a phone, in a real Chromium: the taps counted, the times in
the visitor's own zone and locale, the page weight measured, the slot-taken path, both tiers
of red flags, moving and cancelling either side of the cutoff."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Browser, BrowserContext, Page, expect

from coaching.assessments.selectors import available_slots
from coaching.assessments.services import book_assessment
from coaching.models import Assessment, ContactRequest, ScreenOut
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    log_in,
)

pytestmark = pytest.mark.e2e

# Counts what a person does: every trusted click (a tap) and every field typed into, across
# page loads (sessionStorage survives same-origin navigation).
COUNT_TAPS = """
(() => {
  const key = "taps";
  const read = () => JSON.parse(sessionStorage.getItem(key) || '{"taps": 0, "fields": []}');
  const write = (v) => sessionStorage.setItem(key, JSON.stringify(v));
  document.addEventListener("click", (e) => {
    if (e.isTrusted) { const v = read(); v.taps += 1; write(v); }
  }, true);
  document.addEventListener("input", (e) => {
    const t = e.target;
    if (e.isTrusted && t.name && (t.tagName === "TEXTAREA" || /^(text|email|tel)$/.test(t.type))) {
      const v = read(); if (!v.fields.includes(t.name)) { v.fields.push(t.name); } write(v);
    }
  }, true);
})();
"""
TAP_BUDGET, FIELD_BUDGET = 5, 3
PAGE_BUDGET, JS_BUDGET = 60_000, 20_000  # bytes, compressed


@pytest.fixture
def visitor(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    """A phone in New York with an American locale, counting its taps and typed fields."""
    context = browser.new_context(
        **PHONE,
        base_url=live_server.url,
        bypass_csp=True,
        reduced_motion="reduce",
        timezone_id="America/New_York",
        locale="en-US",
    )
    context.set_default_timeout(10_000)
    context.add_init_script(COUNT_TAPS)
    yield context
    context.close()


def counted(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate("JSON.parse(sessionStorage.getItem('taps'))")
    return result


def test_the_whole_flow_takes_three_taps_and_two_typed_fields(
    visitor: BrowserContext, demo_studio: None
) -> None:
    page = visitor.new_page()
    documents: list[str] = []
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else None)
    page.goto("/assessment/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Free 30-minute live online")
    # The visitor's zone and locale, applied in the page: no second page load.
    expect(page.locator("[data-zone-label]")).to_have_text("America/New York")
    first = page.locator("#slot-list a[data-start]").first
    expect(first).to_have_text(re.compile(r"^\d{1,2}:\d{2}\s?(AM|PM)$"))
    assert len(documents) == 1, documents
    expect(
        page.get_by_role("heading", name="Morning")
        .or_(page.get_by_role("heading", name="Afternoon"))
        .or_(page.get_by_role("heading", name="Evening"))
        .first
    ).to_be_visible()
    expect(page.get_by_role("heading", name="More days")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    start = first.get_attribute("data-start")
    first.click()  # tap 1
    expect(page.get_by_role("heading", level=1)).to_have_text("Book your free assessment")
    expect(page.get_by_label("Your name")).to_have_attribute("autocomplete", "name")
    expect(page.get_by_label("Email address")).to_have_attribute("autocomplete", "email")
    expect(page.get_by_label("Phone (optional)")).to_have_attribute("autocomplete", "tel")
    assert_accessible(page)
    page.get_by_label("Your name").fill("Vera Visitor")  # field 1
    page.get_by_label("Email address").fill("vera@example.com")  # field 2
    page.get_by_label("I agree that the studio").check()  # tap 2
    page.get_by_role("button", name="None of these apply").click()  # tap 3
    expect(page.get_by_role("heading", level=1)).to_have_text("You're booked")
    assert_accessible(page)

    done = counted(page)
    print(f"\nbooking on a phone: {done['taps']} taps, {len(done['fields'])} typed fields")
    assert done == {"taps": 3, "fields": ["name", "email"]}
    assert done["taps"] <= TAP_BUDGET and len(done["fields"]) <= FIELD_BUDGET
    booking = Assessment.objects.get(email="vera@example.com")
    assert booking.starts_at.isoformat().replace("+00:00", "Z") == start
    assert booking.visitor_time_zone == "America/New_York"
    confirmation = next(m for m in mail.outbox if m.to == ["vera@example.com"])
    event = Calendar.from_ical(confirmation.attachments[0][1]).walk("VEVENT")[0]
    assert event.walk("VALARM")
    expect(page.get_by_role("link", name="Google")).to_have_attribute(
        "href", re.compile(r"^https://calendar\.google\.com/")
    )


def test_a_british_phone_sees_24_hour_times(
    browser: Browser, live_server: Any, demo_studio: None
) -> None:
    context = browser.new_context(
        **PHONE,
        base_url=live_server.url,
        bypass_csp=True,
        timezone_id="Europe/London",
        locale="en-GB",
    )
    page = context.new_page()
    page.goto("/assessment/")
    expect(page.locator("#slot-list a[data-start]").first).to_have_text(
        re.compile(r"^\d{2}:\d{2}$")
    )
    # Another zone, picked on the page, regroups the times without a request.
    page.locator("#id_tz").select_option("Asia/Tokyo")
    expect(page.locator("[data-zone-label]")).to_have_text("Asia/Tokyo")
    context.close()


def test_the_first_visit_weighs_at_most_60_kb_compressed_with_20_kb_of_script(
    phone: Page, demo_studio: None
) -> None:
    """Every response of a cold load, compressed as WhiteNoise and gzip would send it."""
    bodies: list[tuple[str, str, int]] = []

    def record(response: Any) -> None:
        if response.status == 200:
            size = len(gzip.compress(response.body(), compresslevel=9))
            bodies.append((response.request.resource_type, response.url, size))

    phone.on("response", record)
    phone.goto("/assessment/")
    phone.wait_for_load_state("networkidle")
    expect(phone.locator("[data-zone-label]")).to_be_visible()
    total = sum(size for _, _, size in bodies)
    script = sum(size for kind, _, size in bodies if kind == "script")
    documents = [url for kind, url, _ in bodies if kind == "document"]
    transfer = phone.evaluate(
        "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".reduce((n, e) => n + (e.transferSize || 0), 0)"
    )
    print(
        f"\n/assessment/ cold load: {total / 1000:.1f} KB compressed "
        f"({script / 1000:.1f} KB JavaScript), {transfer / 1000:.1f} KB as the test server sent it"
        f" uncompressed; {len(bodies)} responses"
    )
    assert len(documents) == 1, documents
    assert total <= PAGE_BUDGET, bodies
    assert script <= JS_BUDGET, bodies


def book_for_someone_else(start: Any, coach_id: int, email: str = "quick@example.com") -> None:
    book_assessment(
        coach_id=coach_id,
        start=start,
        intake={"name": "Quick Booker", "email": email},
        visitor_time_zone="Europe/London",
    )


def test_a_slot_taken_meanwhile_keeps_the_answers_and_offers_the_nearest_times(
    phone: Page, demo_studio: None
) -> None:
    phone.goto("/assessment/")
    first = phone.locator("#slot-list a[data-start]").first
    first.click()
    phone.get_by_label("Your name").fill("Tara Taken")
    phone.get_by_label("Email address").fill("tara@example.com")
    phone.get_by_label("Phone (optional)").fill("07700 900456")
    phone.get_by_text("Tell your coach about your back (optional)").click()
    phone.get_by_label("Where does it hurt?").fill("Lower back, left")
    phone.get_by_label("I agree that the studio").check()
    slot = available_slots()[0]
    book_for_someone_else(slot.start, slot.coach_id)
    phone.get_by_role("button", name="None of these apply").click()

    expect(phone).to_have_title(re.compile(r"^Error: "))
    expect(phone.get_by_role("alert")).to_contain_text("That time was just taken")
    expect(phone.get_by_role("alert")).to_be_focused()
    expect(phone.get_by_label("Your name")).to_have_value("Tara Taken")
    expect(phone.get_by_label("Email address")).to_have_value("tara@example.com")
    expect(phone.get_by_label("Phone (optional)")).to_have_value("07700 900456")
    expect(phone.get_by_label("Where does it hurt?")).to_have_value("Lower back, left")
    expect(phone.get_by_label("I agree that the studio")).to_be_checked()
    nearest = phone.locator("#nearest-times input[type=radio]")
    assert nearest.count() == 6
    assert_accessible(phone)
    chosen = phone.locator("#nearest-times label").nth(2)
    chosen.click()
    phone.get_by_role("button", name="None of these apply").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("You're booked")
    assert Assessment.objects.get(email="tara@example.com").phone == "07700 900456"


def fill_details(page: Page, name: str = "Rosa Red", email: str = "rosa@example.com") -> None:
    page.goto("/assessment/")
    page.locator("#slot-list a[data-start]").first.click()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("I agree that the studio").check()


def test_enter_in_a_field_does_not_answer_the_safety_check(phone: Page, demo_studio: None) -> None:
    """Only a tap on a safety button sends the form: Enter in a text field does nothing."""
    fill_details(phone, email="enter@example.com")
    phone.get_by_label("Email address").press("Enter")
    phone.wait_for_timeout(500)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Book your free assessment")
    assert not Assessment.objects.filter(email="enter@example.com").exists()


def test_an_emergency_sign_urges_emergency_care_with_the_countrys_number(
    visitor: BrowserContext, demo_studio: None
) -> None:
    page = visitor.new_page()
    emergencies = ScreenOut.objects.filter(tier=1).count()
    fill_details(page)
    page.get_by_label(re.compile("Trouble starting, stopping or holding in your pee")).check()
    page.get_by_label("You have had cancer").check()
    page.get_by_role("button", name="I ticked what applies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get emergency help now")
    expect(page.locator("main")).to_contain_text("call 911")
    expect(page.locator("main")).not_to_contain_text("999")
    assert_accessible(page)
    assert not Assessment.objects.filter(email="rosa@example.com").exists()
    assert ScreenOut.objects.filter(tier=1).count() == emergencies + 1


def test_another_flag_advises_a_doctor_and_keeps_contact_details_only_with_consent(
    phone: Page, demo_studio: None
) -> None:
    fill_details(phone)
    phone.get_by_label("Pain at night that does not ease when you rest").check()
    phone.get_by_role("button", name="I ticked what applies").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Please see a doctor before booking")
    assert_accessible(phone)
    expect(phone.get_by_label("Email address")).to_have_value("rosa@example.com")
    phone.get_by_role("button", name="Yes, get in touch later").click()
    expect(phone).to_have_title(re.compile(r"^Error: "))
    expect(phone.get_by_role("alert")).to_be_focused()
    assert_accessible(phone)
    assert not ContactRequest.objects.filter(email="rosa@example.com").exists()
    phone.get_by_label(re.compile("Yes, keep my name and email")).check()
    phone.get_by_role("button", name="Yes, get in touch later").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("we will be in touch")
    assert ContactRequest.objects.filter(email="rosa@example.com").count() == 1
    assert not Assessment.objects.filter(email="rosa@example.com").exists()


def manage_link_of(email: str) -> str:
    message = next(m for m in mail.outbox if m.to == [email])
    return re.search(r"(/assessment/manage/\S+/)", message.body).group(1)


def booked_hours_ahead(hours: float, email: str) -> str:
    slot = next(s for s in available_slots() if s.start > timezone.now() + timedelta(hours=24))
    booking = book_assessment(
        coach_id=slot.coach_id,
        start=slot.start,
        intake={"name": "Moe Mover", "email": email},
        visitor_time_zone="Europe/London",
    ).assessment
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=hours)
    Assessment.objects.filter(pk=booking.pk).update(
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        blocked_until=start + timedelta(minutes=45),
    )
    return manage_link_of(email)


def test_moving_outside_the_cutoff(phone: Page, demo_studio: None) -> None:
    link = booked_hours_ahead(30, "moe@example.com")
    phone.goto(link)
    assert_accessible(phone)
    phone.locator("#move ~ form label").first.click()
    phone.get_by_role("button", name="Move my assessment").click()
    expect(phone.locator("#messages")).to_contain_text("Your assessment has moved")
    assert Assessment.objects.get(email="moe@example.com").sequence == 1


def test_inside_the_cutoff_moving_is_closed_and_cancelling_asks_first(
    phone: Page, demo_studio: None
) -> None:
    link = booked_hours_ahead(5, "lou@example.com")
    phone.goto(link)
    expect(phone.locator("main")).to_contain_text(
        "can no longer be moved. You can still cancel it."
    )
    expect(phone.get_by_role("button", name="Move my assessment")).to_have_count(0)
    phone.get_by_role("button", name="Cancel my assessment").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Cancel your assessment?")
    assert_accessible(phone)
    assert Assessment.objects.get(email="lou@example.com").status == "booked"
    phone.get_by_role("button", name="Yes, cancel my assessment").click()
    expect(phone.locator("#messages")).to_contain_text("Your assessment is cancelled")
    booking = Assessment.objects.get(email="lou@example.com")
    assert booking.status == "cancelled" and booking.late_cancel


def test_cancel_outside_the_cutoff_offers_to_move_first(phone: Page, demo_studio: None) -> None:
    link = booked_hours_ahead(30, "kit@example.com")
    phone.goto(link)
    phone.get_by_role("button", name="Cancel my assessment").click()
    phone.get_by_role("link", name="Move it to another time instead").click()
    expect(phone.get_by_role("button", name="Move my assessment")).to_be_visible()
    assert Assessment.objects.get(email="kit@example.com").status == "booked"


def test_the_coach_records_an_outcome_and_starts_a_program(
    browser: Browser, live_server: Any, demo_studio: None
) -> None:
    coach = browser.new_context(**DESKTOP, base_url=live_server.url, bypass_csp=True)
    page = coach.new_page()
    log_in(page, "coach@example.com")
    page.get_by_role("link", name="Assessments").click()
    expect(page.get_by_role("link", name=re.compile("^Join"))).to_be_visible()
    assert_accessible(page)
    gina = page.locator("article", has_text="Gina Ellis")
    gina.get_by_label("Why they might be in pain").fill("Bends through the lower back")
    gina.get_by_label("5. Kettlebell deadlift").check()
    gina.get_by_label("Other movements to avoid").fill("Sit-ups")
    gina.get_by_label("Recommended starting stage").select_option(label="1. Four-point rock back")
    gina.get_by_role("button", name="Save outcome").click()
    expect(page.locator("#messages")).to_contain_text("Outcome saved for Gina Ellis")
    outcome = next(m for m in mail.outbox if m.to == ["gina@example.com"])
    assert "Bends" not in outcome.body
    # A recorded outcome's form loads when the coach opens it.
    saved = page.locator("article", has_text="Gina Ellis")
    expect(saved.get_by_label("Why they might be in pain")).to_have_count(0)
    saved.get_by_text("Outcome (edit)").click()
    expect(saved.get_by_label("Why they might be in pain")).to_have_value(
        "Bends through the lower back"
    )
    expect(saved.get_by_label("5. Kettlebell deadlift")).to_be_checked()
    assert_accessible(page)
    page.locator("article", has_text="Gina Ellis").get_by_role(
        "button", name=re.compile("Start program")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gina Ellis")
    summary = Assessment.objects.get(email="gina@example.com").client.assessment_summary
    assert [s.position for s in summary.avoid_stages.all()] == [5]
    assert summary.movements_to_avoid == "Sit-ups"
    coach.close()
