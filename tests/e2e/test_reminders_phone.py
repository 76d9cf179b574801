"""Reminder settings on a phone: the phone's own time pickers, errors in the GOV.UK pattern."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from clients.reminders.models import ReminderSettings
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll, log_in

pytestmark = pytest.mark.e2e


def test_a_client_sets_reminders_on_the_phone(phone: Page, demo_studio: None) -> None:
    log_in(phone, "maria@example.com")
    phone.goto("/me/settings/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)
    phone.get_by_label("Check-in reminder at").fill("03:00")
    phone.get_by_role("button", name="Save reminders").click()
    expect(phone).to_have_title(re.compile(r"^Error: Settings"))
    summary = phone.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose 4:00 or later")
    assert_accessible(phone)

    phone.get_by_label("Monday").check()
    phone.get_by_label("Thursday").check()
    phone.get_by_label("Training reminder at").fill("18:30")
    phone.get_by_label("Check-in reminder at").fill("07:30")
    phone.get_by_role("button", name="Save reminders").click()
    expect(phone.locator("#messages")).to_contain_text("Saved. Reminder times follow")
    chosen = ReminderSettings.objects.get(client__user__email="maria@example.com")
    assert chosen.training_days == "03"
    assert chosen.training_time.strftime("%H:%M") == "18:30"  # type: ignore[union-attr]
    expect(phone.get_by_label("Training reminder at")).to_have_value("18:30")
