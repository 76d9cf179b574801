import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in

pytestmark = pytest.mark.e2e


def test_the_demo_coach_advances_a_ready_client(
    desktop: Page,
    browser: Browser,
    live_server: Any,
    demo_studio: None,
) -> None:
    """The head coach filters to READY, opens a client and advances them.

    The client's phone then shows the new stage.
    """
    log_in(desktop, "coach@example.com")
    expect(desktop).to_have_url(re.compile(r"/coach/$"))
    assert_accessible(desktop)

    desktop.get_by_role("search").get_by_text("Ready", exact=True).click()
    expect(desktop).to_have_url(re.compile(r"/coach/\?show=ready$"))
    rows = desktop.locator("#client-table tbody tr")
    expect(rows).to_have_count(4)
    expect(desktop.locator("#messages")).to_contain_text("Showing 4 clients")
    assert_accessible(desktop)
    desktop.reload()
    expect(rows).to_have_count(4)

    desktop.get_by_role("link", name="Maria Lopez").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Maria Lopez")
    assert_accessible(desktop)
    desktop.get_by_role("button", name="Advance to 5. Kettlebell deadlift").click()
    # Nothing changes until the coach has read what will happen and given a reason.
    desktop.get_by_label("Reason (the client sees it with the change)").fill("Three green days")
    desktop.locator("#confirm").get_by_role("button", name="Advance to stage 5").click()
    expect(desktop.locator("#messages")).to_contain_text("Advanced to stage 5: Kettlebell deadlift")
    history = desktop.locator("#stage-history li").first
    expect(history).to_contain_text("Advanced from 4. Standing hip hinge to 5. Kettlebell deadlift")
    expect(history).to_contain_text("Sam Hartley")
    assert_accessible(desktop)

    phone_context = browser.new_context(**PHONE, base_url=live_server.url)
    phone = phone_context.new_page()
    log_in(phone, "maria@example.com")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Stage 5 of 8: Kettlebell deadlift")
    phone_context.close()


def test_a_coach_adds_a_client_who_accepts_the_invitation(
    desktop: Page,
    browser: Browser,
    live_server: Any,
    demo_studio: None,
) -> None:
    log_in(desktop, "coach@example.com")
    desktop.get_by_role("link", name="Add a client").first.click()
    desktop.get_by_role("button", name="Add and send the invitation").click()
    expect(desktop).to_have_title(re.compile(r"^Error: Add a client"))
    expect(desktop.get_by_role("alert")).to_be_focused()
    assert_accessible(desktop)

    desktop.get_by_label("First name").fill("Nina")
    desktop.get_by_label("Last name").fill("Patel")
    desktop.get_by_label("Email address").fill("nina@example.com")
    desktop.get_by_label("Starting stage").select_option(label="2. Kneeling hip thrust")
    desktop.get_by_role("button", name="Add and send the invitation").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Nina Patel")
    expect(desktop.locator("#messages")).to_contain_text("We have emailed them an invitation")

    invitation = next(m for m in mail.outbox if m.to == ["nina@example.com"])
    path = re.search(r"(/accounts/invite/\S+/)", invitation.body).group(1)
    context = browser.new_context(**DESKTOP, base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nina")
    assert_accessible(page)
    page.get_by_label("Choose a password").fill("a-long-pass-99")
    page.get_by_label("Type the password again").fill("a-long-pass-99")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Set password and start").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stage 2 of 8: Kneeling hip thrust")
    context.close()
