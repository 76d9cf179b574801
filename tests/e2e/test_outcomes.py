"""The outcome measures on a phone, and the coach's view of them."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll, log_in

pytestmark = pytest.mark.e2e


def test_a_client_names_three_activities_and_rates_the_week_and_the_coach_sees_them(
    phone: Page, desktop: Page, demo_studio: None
) -> None:
    """From /me/'s prompt: the PSFS with its errors, the one-tap weekly rating, the charts on
    /me/progress/, and the coach's outcome section loaded into the client's page."""
    log_in(phone, "leo@example.com")
    prompt = phone.locator("#outcome-prompt")
    expect(prompt.get_by_role("heading")).to_have_text("Three activities your back makes hard")
    prompt.get_by_role("link", name="Answer now").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("How your back is doing")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)

    card = phone.locator("#psfs-card")
    card.get_by_label("The first activity").fill("Putting on socks")
    card.get_by_role("button", name="Save my three activities").click()
    expect(phone).to_have_title(re.compile(r"^Error: How your back is doing"))
    summary = phone.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Name the second activity")
    expect(card.get_by_label("The first activity")).to_have_value("Putting on socks")
    assert_accessible(phone)

    card.get_by_label("The second activity").fill("Sitting through a film")
    card.get_by_label("The third activity").fill("Carrying shopping")
    for ordinal, score in [("first", "3"), ("second", "4"), ("third", "6")]:
        group = card.get_by_role("group", name=f"How well can you do the {ordinal} activity today?")
        group.get_by_text(score, exact=True).click()
    card.get_by_role("button", name="Save my three activities").click()
    expect(phone.locator("#messages")).to_contain_text("your three activities are saved")
    expect(phone.locator("#psfs-card")).to_contain_text("We will ask again on")
    assert_accessible(phone)

    phone.locator("#weekly-card").get_by_role("button", name="3 out of 10").click()
    expect(phone.locator("#weekly-card")).to_contain_text("You said 3 this week")
    assert_accessible(phone)

    phone.goto("/me/progress/")
    expect(phone.get_by_role("img", name=re.compile(r"^Higher is better"))).to_be_visible()
    expect(phone.get_by_role("img", name=re.compile(r"^Lower is better"))).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)

    log_in(desktop, "coach@example.com")
    desktop.get_by_role("link", name="Leo Martin").click()
    outcomes = desktop.locator("#outcomes")
    expect(outcomes).to_contain_text("Putting on socks")
    expect(outcomes).to_contain_text("The change since the start shows after the second answer")
    expect(outcomes.get_by_role("img", name=re.compile(r"^Higher is better"))).to_be_visible()
    assert_accessible(desktop)
