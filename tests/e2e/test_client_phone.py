import re
from collections.abc import Iterator
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from clients.models import TrainingSession
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll, log_in

pytestmark = pytest.mark.e2e


def tap_pain(page: Page, legend: str, value: int) -> None:
    """Tap a 0-10 button: its label reads the number, then its zone ("1, safe")."""
    group = page.get_by_role("group", name=legend)
    group.locator("label").filter(has_text=re.compile(rf"^{value},")).click()


@pytest.fixture
def mid_morning() -> Iterator[None]:
    """10:00 in the studio's zone, so this morning's check-in is open whenever CI runs."""
    today = datetime.now(ZoneInfo("Europe/London")).date()
    with time_machine.travel(datetime.combine(today, time(10), ZoneInfo("Europe/London"))):
        yield


def test_the_demo_client_checks_in_logs_a_session_and_sees_the_gate(
    phone: Page, mid_morning: None, demo_studio: None
) -> None:
    """On a phone: one-tap check-in, a session logged with htmx, the light and the status."""
    log_in(phone, "client@example.com")
    expect(phone).to_have_url(re.compile(r"/me/$"))
    card = phone.locator("#check-in")
    expect(card.get_by_role("heading")).to_have_text("How is your back now?")
    expect(phone.get_by_text("Waiting for today's check-in (open until midnight)")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)

    card.get_by_role("button", name="1 out of 10").click()
    expect(phone.locator("#check-in")).to_contain_text("Thanks: back pain now 1 out of 10")
    expect(phone.get_by_text("Thanks: back pain now")).to_have_count(1)
    expect(phone.locator("#status-card")).to_contain_text("3 of 3 green days")
    expect(phone.get_by_text("Waiting for today's check-in")).to_have_count(0)
    assert_accessible(phone)

    phone.get_by_role("link", name="Log today's session").click()
    expect(phone).to_have_url(re.compile(r"/me/log/$"))
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)

    phone.get_by_role("button", name="Save session").click()
    summary = phone.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose your worst pain during")
    expect(phone).to_have_title(re.compile(r"^Error: Log a session"))
    assert_accessible(phone)

    before = TrainingSession.objects.count()
    for legend in ["Pain before", "Worst pain during", "Pain after"]:
        tap_pain(phone, legend, 1)
    phone.get_by_label("Hips and glutes").check()
    phone.get_by_role("group", name="Did your lower back hurt?").get_by_label(
        "No", exact=True
    ).check()
    phone.get_by_role("button", name="Save session").click()
    result = phone.locator("#log-section")
    expect(result.get_by_role("status")).to_contain_text("Session saved")
    expect(result).to_contain_text("Waiting for tomorrow morning's check-in")
    expect(result).to_contain_text("Ready after tomorrow's check-in")
    expect(result).to_contain_text("3 of 3 green days")
    expect(phone).to_have_title(re.compile(r"^Session saved"))
    assert TrainingSession.objects.count() == before + 1
    assert_accessible(phone)

    phone.get_by_role("link", name="See your progress").click()
    expect(phone.get_by_text("you are here")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)


def test_the_log_form_fits_a_320px_screen_and_works_without_javascript(
    browser, live_server, demo_studio: None
) -> None:
    """No sideways scrolling at 320 px, and the plain POST path redirects to today."""
    context = browser.new_context(
        viewport={"width": 320, "height": 700}, java_script_enabled=False, base_url=live_server.url
    )
    page = context.new_page()
    log_in(page, "maria@example.com")
    page.goto("/me/log/")
    assert_no_horizontal_scroll(page)
    for legend in ["Pain before", "Worst pain during", "Pain after"]:
        tap_pain(page, legend, 0)
    page.get_by_label("Hamstrings").check()
    page.get_by_role("group", name="Did your lower back hurt?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Save session").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.locator("#messages")).to_contain_text("Session saved")
    context.close()
