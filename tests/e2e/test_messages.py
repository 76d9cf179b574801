"""A message round trip between a coach's browser and a client's phone."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from clients.models import Client
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll, log_in

pytestmark = pytest.mark.e2e
QUESTION = "Can I swap Thursday's session for Friday this week?"
ANSWER = "Friday is fine: keep a rest day between sessions."


def test_a_message_round_trip_between_a_coachs_browser_and_a_clients(
    phone: Page, desktop: Page, demo_studio: None
) -> None:
    """The client writes from their phone; the coach sees it unread on the dashboard, opens
    the thread and replies; the client's phone shows the reply. Each side is emailed a link,
    never the text."""
    jamie = Client.objects.get(user__email="client@example.com")
    log_in(phone, "client@example.com")
    expect(phone).to_have_url(re.compile(r"/me/$"))
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Messages with your coach")
    expect(phone.locator("#thread")).to_contain_text("keep the pause at the top")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)

    phone.get_by_role("button", name="Send").click()
    expect(phone).to_have_title(re.compile(r"^Error: Messages"))
    summary = phone.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Write your message")
    assert_accessible(phone)

    phone.get_by_label("Your message").fill(QUESTION)
    phone.get_by_role("button", name="Send").click()
    expect(phone.locator("#messages")).to_contain_text("Message sent")
    expect(phone.locator("#thread li").last).to_contain_text(QUESTION)
    expect(phone.get_by_label("Your message")).to_have_value("")
    assert_accessible(phone)
    [to_coach] = [m for m in mail.outbox if m.to == ["coach@example.com"]]
    assert f"/coach/clients/{jamie.pk}/messages/" in to_coach.body
    assert "Thursday" not in to_coach.body and "Thursday" not in to_coach.subject

    log_in(desktop, "coach@example.com")
    row = desktop.locator("#client-table tbody tr", has_text="Jamie Reid")
    row.get_by_role("link", name="1 unread", exact=True).click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Messages with Jamie Reid")
    latest = desktop.locator("#thread li").last
    expect(latest).to_contain_text(QUESTION)
    expect(latest).to_contain_text("New")
    assert_accessible(desktop)

    desktop.get_by_label("Your message").fill(ANSWER)
    desktop.get_by_role("button", name="Send").click()
    expect(desktop.locator("#messages")).to_contain_text("Message sent")
    expect(desktop.locator("#thread li").last).to_contain_text(ANSWER)
    assert_accessible(desktop)
    desktop.get_by_role("link", name="All clients").click()
    row = desktop.locator("#client-table tbody tr", has_text="Jamie Reid")
    expect(row.get_by_role("link", name="Open", exact=True)).to_be_visible()

    phone.goto("/me/")
    phone.get_by_role("link", name="1 new message from your coach").click()
    latest = phone.locator("#thread li").last
    expect(latest).to_contain_text(ANSWER)
    expect(latest).to_contain_text("New")
    assert_accessible(phone)
    phone.goto("/me/")
    expect(phone.get_by_text("new message from your coach")).to_have_count(0)
    [to_client] = [m for m in mail.outbox if m.to == ["client@example.com"]]
    assert "/me/messages/" in to_client.body and "Friday" not in to_client.body
