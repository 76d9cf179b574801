"""A coach confirms a stage change, undoes it in time or not, and prints a stage sheet."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import Client, StageAssignment
from tests.e2e.conftest import assert_accessible, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def clock() -> Iterator[Any]:
    """The real clock, which the test can push forward (the live server sees the same time)."""
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


def advance_maria(desktop: Page) -> Client:
    maria = Client.objects.get(user__email="maria@example.com")
    desktop.goto(f"/coach/clients/{maria.pk}/")
    desktop.get_by_role("button", name="Advance to 5. Kettlebell deadlift").click()
    question = desktop.locator("#confirm")
    expect(question).to_be_focused()
    expect(question).to_contain_text("Maria Lopez moves from stage 4 (standing hip hinge)")
    assert_accessible(desktop)
    question.get_by_role("button", name="Advance to stage 5").click()
    expect(desktop.get_by_role("alert")).to_contain_text("Give the reason")
    desktop.get_by_label("Reason (the client sees it with the change)").fill(
        "Three green days and a clean hinge"
    )
    desktop.get_by_role("button", name="Advance to stage 5").click()
    expect(desktop.locator("#messages")).to_contain_text("Advanced to stage 5")
    return maria


def test_a_coach_confirms_a_change_and_undoes_it_within_ten_minutes(
    desktop: Page, demo_studio: None, clock: Any
) -> None:
    log_in(desktop, "coach@example.com")
    maria = advance_maria(desktop)
    undo = desktop.get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    clock.shift(timedelta(minutes=9))
    undo.click()
    expect(desktop.locator("#messages")).to_contain_text("Undone: back on stage 4")
    expect(desktop.locator("#stage-history li").first).to_contain_text("Undone")
    kinds = list(StageAssignment.objects.filter(client=maria).values_list("kind", flat=True))
    assert kinds[:2] == ["undo", "advance"]
    assert_accessible(desktop)


def test_after_ten_minutes_the_change_can_no_longer_be_undone(
    desktop: Page, demo_studio: None, clock: Any
) -> None:
    log_in(desktop, "coach@example.com")
    maria = advance_maria(desktop)
    expect(desktop.get_by_role("button", name="Undo")).to_be_visible()
    clock.shift(timedelta(minutes=11))
    desktop.reload()
    expect(desktop.get_by_role("button", name="Undo")).to_have_count(0)
    assert StageAssignment.objects.filter(client=maria).first().kind == "advance"  # type: ignore[union-attr]


def test_the_stage_sheet_prints_on_one_a4_page(phone: Page, demo_studio: None) -> None:
    """Chromium's own PDF print of the client's sheet is a single page."""
    log_in(phone, "client@example.com")
    phone.get_by_role("link", name="Print this stage's sheet").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Stage 3 of 8")
    assert_accessible(phone)
    phone.emulate_media(media="print")
    pdf = phone.pdf(format="A4", print_background=False)
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 1, f"the sheet printed on {len(pages)} pages"


def test_a_coach_messages_the_ticked_clients_and_each_reads_it_in_their_thread(
    desktop: Page, phone: Page, demo_studio: None
) -> None:
    log_in(desktop, "coach@example.com")
    for name in ("Maria Lopez", "Leo Martin"):
        desktop.get_by_label(f"Tick {name}").check()
    desktop.get_by_text("Message the ticked clients").click()
    box = desktop.get_by_label("Message to the ticked clients")
    expect(box).to_be_visible()
    assert_accessible(desktop)
    box.fill("The studio is closed on Friday: train at home with your sheet.")
    desktop.get_by_role("button", name="Send to the ticked clients").click()
    expect(desktop.locator("#messages")).to_contain_text("Message sent to 2 clients.")

    log_in(phone, "maria@example.com")
    expect(phone.get_by_role("link", name=re.compile("1 new message"))).to_be_visible()
    phone.get_by_role("link", name=re.compile("1 new message")).click()
    expect(phone.locator("main")).to_contain_text("The studio is closed on Friday")
