"""A client downloads their data and asks for erasure; the head coach carries it out."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from clients.models import Client
from tests.e2e.conftest import DESKTOP, assert_accessible, log_in

pytestmark = pytest.mark.e2e


def test_a_client_downloads_their_data_and_the_head_coach_erases_it(
    phone: Page, browser: Browser, live_server: Any, demo_studio: None
) -> None:
    log_in(phone, "client@example.com")
    phone.goto("/me/data/")
    assert_accessible(phone)
    with phone.expect_download() as download:
        phone.get_by_role("button", name="Download as one file (JSON)").click()
    data = json.loads(open(download.value.path()).read())  # noqa: SIM115
    assert data["profile"][0]["email"] == "client@example.com"
    assert len(data["sessions"]) >= 3
    with phone.expect_download() as archive:
        phone.get_by_role("button", name="Download as spreadsheets (CSV, zipped)").click()
    assert archive.value.suggested_filename.endswith(".zip")
    phone.get_by_role("button", name="Ask for my data to be erased").click()
    expect(phone.get_by_role("status").filter(has_text="You asked on")).to_be_visible()
    assert_accessible(phone)

    client = Client.objects.get(user__email="client@example.com")
    context = browser.new_context(**DESKTOP, base_url=live_server.url)
    coach = context.new_page()
    log_in(coach, "coach@example.com")
    coach.goto(f"/coach/clients/{client.pk}/")
    coach.get_by_role("link", name="Erase their data…").click()
    expect(coach.get_by_text("asked for this on")).to_be_visible()
    assert_accessible(coach)
    coach.get_by_label("Type the client's full name to confirm").fill("Jamie Someone")
    coach.get_by_role("button", name=re.compile("Erase everything about")).click()
    expect(coach.get_by_role("alert")).to_contain_text("The name does not match")
    expect(coach).to_have_title(re.compile(r"^Error: "))
    assert Client.objects.filter(pk=client.pk).exists()
    coach.get_by_label("Type the client's full name to confirm").fill("Jamie Reid")
    coach.get_by_role("button", name=re.compile("Erase everything about")).click()
    expect(coach).to_have_url(re.compile(r"/coach/$"))
    expect(coach.locator("#messages")).to_contain_text("The client's data is erased")
    assert not Client.objects.filter(pk=client.pk).exists()
    context.close()
