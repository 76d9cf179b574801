import re

import pytest
from playwright.sync_api import Page, expect

from coaching.models import User
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_a_visitor_on_a_phone_browses_the_library(phone: Page) -> None:
    """The eight stages show in order; an exercise page opens from the list."""
    phone.goto("/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("hips")
    assert_accessible(phone)
    phone.get_by_role("link", name="Exercises", exact=True).click()
    expect(phone).to_have_url(re.compile(r"/exercises/$"))
    items = phone.locator("ol > li h2")
    expect(items).to_have_count(8)
    expect(items.first).to_contain_text("Four-point rock back")
    expect(items.last).to_contain_text("Kettlebell swing")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)
    phone.get_by_role("link", name="Kettlebell deadlift").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Kettlebell deadlift")
    expect(phone.get_by_text("Stage 5 of 8")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)


def test_a_coach_logs_in_on_a_phone_and_lands_on_the_dashboard(phone: Page, coach_a: User) -> None:
    """Email and password log the coach in; they land on /coach/."""
    phone.goto("/accounts/login/")
    phone.get_by_label("Email address").fill(coach_a.email)
    phone.get_by_label("Password").fill("wrong")
    phone.get_by_role("button", name="Log in").click()
    expect(phone).to_have_title(re.compile(r"^Error: Log in"))
    expect(phone.get_by_role("alert")).to_be_focused()
    expect(phone.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(phone)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    expect(phone).to_have_url(re.compile(r"/coach/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your clients")
    assert_accessible(phone)
