"""The availability editor: rows added and removed with htmx (or plain buttons), a searchable
zone picker with the common zones first, time off read in the coach's own zone, and a week's
preview of the free times that result."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from time_machine import TimeMachineFixture

from coaching.models import AvailabilityWindow, TimeOff, User

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def coach(client: HttpClient, coach_a: User) -> User:
    client.force_login(coach_a)
    return coach_a


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "me-time_zone": "Europe/London",
        "me-video_link": "",
        "w-TOTAL_FORMS": "0",
        "w-INITIAL_FORMS": "0",
        "off-TOTAL_FORMS": "0",
        "off-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_the_page_opens_without_blank_rows_and_htmx_adds_one_numbered_after_the_rest(
    client: HttpClient, coach: User
) -> None:
    page = client.get("/coach/availability/").content.decode()
    assert "No weekly windows yet." in page and 'name="w-0-weekday"' not in page
    row = client.get("/coach/availability/row/", {"kind": "w", "w-TOTAL_FORMS": "2"}, headers=HTMX)
    assert row.template_name == "coaching/assessments/availability.html#new_row"
    body = row.content.decode()
    assert 'name="w-2-weekday"' in body and 'name="w-2-starts_at"' in body
    assert 'name="w-TOTAL_FORMS" value="3"' in body and 'hx-swap-oob="true"' in body
    off = client.get("/coach/availability/row/", {"kind": "off", "off-TOTAL_FORMS": "0"})
    assert 'name="off-0-starts_at"' in off.content.decode()
    assert client.get("/coach/availability/row/", {"kind": "nope"}).status_code == 404


def test_without_javascript_add_saves_and_comes_back_with_a_blank_row(
    client: HttpClient, coach: User
) -> None:
    response = client.post("/coach/availability/", form_data(add="w"))
    assert response["Location"] == "/coach/availability/?add=w"
    page = client.get(response["Location"]).content.decode()
    assert 'name="w-0-weekday"' in page
    saved = client.post(
        "/coach/availability/",
        form_data(
            **{
                "w-TOTAL_FORMS": "2",
                "w-0-weekday": "0",
                "w-0-starts_at": "09:00",
                "w-0-ends_at": "12:00",
                "w-1-weekday": "2",
                "w-1-starts_at": "14:00",
                "w-1-ends_at": "16:00",
            }
        ),
    )
    assert saved.status_code == 302
    assert AvailabilityWindow.objects.count() == 2


def test_rows_are_removed_with_htmx_or_a_plain_button(client: HttpClient, coach: User) -> None:
    profile = coach.coach_profile
    monday = AvailabilityWindow.objects.create(
        coach=profile, weekday=0, starts_at=time(9), ends_at=time(12)
    )
    tuesday = AvailabilityWindow.objects.create(
        coach=profile, weekday=1, starts_at=time(9), ends_at=time(12)
    )
    removed = client.get(
        "/coach/availability/row/",
        {"kind": "w", "drop": "0", "id": monday.pk, "remove": "w-0"},
        headers=HTMX,
    )
    body = removed.content.decode()
    assert f'name="w-0-id" value="{monday.pk}"' in body and 'name="w-0-DELETE" value="on"' in body
    assert "will be removed when you save" in body
    new_row = client.get("/coach/availability/row/", {"kind": "w", "drop": "3", "id": ""})
    assert new_row.content == b""
    other_coach = client.get("/coach/availability/row/", {"kind": "w", "drop": "0", "id": "999999"})
    assert other_coach.content == b""
    # The page posts what htmx left: the removed row's id and DELETE mark.
    data = form_data(
        **{
            "w-TOTAL_FORMS": "2",
            "w-INITIAL_FORMS": "2",
            "w-0-id": str(monday.pk),
            "w-0-DELETE": "on",
            "w-1-id": str(tuesday.pk),
            "w-1-weekday": "1",
            "w-1-starts_at": "09:00",
            "w-1-ends_at": "12:00",
        }
    )
    assert client.post("/coach/availability/", data).status_code == 302
    assert list(AvailabilityWindow.objects.values_list("weekday", flat=True)) == [1]
    # Without JavaScript, "Remove" is a submit button naming its row.
    plain = form_data(
        **{
            "w-TOTAL_FORMS": "1",
            "w-INITIAL_FORMS": "1",
            "w-0-id": str(tuesday.pk),
            "w-0-weekday": "1",
            "w-0-starts_at": "09:00",
            "w-0-ends_at": "12:00",
            "remove": "w-0",
        }
    )
    assert client.post("/coach/availability/", plain).status_code == 302
    assert not AvailabilityWindow.objects.exists()


def test_the_zone_picker_is_searchable_with_the_common_zones_first(
    client: HttpClient, coach: User
) -> None:
    page = client.get("/coach/availability/").content.decode()
    assert 'list="zone-list"' in page and '<datalist id="zone-list">' in page
    options = page[page.index('<datalist id="zone-list">') :].split("</datalist>")[0]
    assert options.index("Europe/London") < options.index("America/New_York")
    assert options.index("America/New_York") < options.index("Africa/Abidjan")
    assert options.count("<option") > 400
    bad = client.post("/coach/availability/", form_data(**{"me-time_zone": "Mars/Olympus"}))
    assert "Choose a time zone from the list" in bad.content.decode()
    good = client.post("/coach/availability/", form_data(**{"me-time_zone": "America/New York"}))
    assert good.status_code == 302
    coach.coach_profile.refresh_from_db()
    assert coach.coach_profile.time_zone == "America/New_York"


def test_time_off_is_read_and_shown_in_the_coachs_own_zone(client: HttpClient, coach: User) -> None:
    day = timezone.localdate() + timedelta(days=10)
    response = client.post(
        "/coach/availability/",
        form_data(
            **{
                "me-time_zone": "America/New_York",
                "off-TOTAL_FORMS": "1",
                "off-0-starts_at": f"{day}T09:00",
                "off-0-ends_at": f"{day}T17:00",
                "off-0-note": "Dentist",
            }
        ),
    )
    assert response.status_code == 302
    off = TimeOff.objects.get()
    new_york = ZoneInfo("America/New_York")
    assert off.starts_at == datetime.combine(day, time(9), tzinfo=new_york)
    page = client.get("/coach/availability/").content.decode()
    assert f'value="{day}T09:00"' in page


def test_a_week_preview_shows_the_free_times_that_result(
    client: HttpClient, coach: User, time_machine: TimeMachineFixture
) -> None:
    # At noon today's 09:00 has gone and next week's is inside the 7 days (with 12 h notice,
    # before 09:00 neither would be).
    time_machine.move_to(
        datetime.combine(timezone.localdate(), time(12), timezone.get_current_timezone())
    )
    AvailabilityWindow.objects.create(
        coach=coach.coach_profile,
        weekday=timezone.localdate().weekday(),
        starts_at=time(9),
        ends_at=time(10),
    )
    page = client.get("/coach/availability/")
    preview = page.context["preview"]
    assert len(preview) == 1 and [f"{timezone.localtime(s.start):%H:%M}" for s in preview[0][1]][:1]
    assert "Free times in the next 7 days" in page.content.decode()
    # Before saving, htmx asks for the preview of the windows as they are on the page.
    live = client.post(
        "/coach/availability/preview/",
        form_data(
            **{
                "w-TOTAL_FORMS": "1",
                "w-0-weekday": str((timezone.localdate() + timedelta(days=3)).weekday()),
                "w-0-starts_at": "14:00",
                "w-0-ends_at": "15:00",
            }
        ),
        headers=HTMX,
    )
    assert live.template_name == "coaching/assessments/availability.html#week_preview"
    days = live.context["preview"]
    assert len(days) == 1 and [f"{timezone.localtime(s.start):%H:%M}" for s in days[0][1]] == [
        "14:00",
        "14:30",
    ]
    assert AvailabilityWindow.objects.count() == 1  # nothing saved


def test_another_coachs_rows_cannot_be_saved(
    client: HttpClient, coach: User, coach_b: User
) -> None:
    theirs = AvailabilityWindow.objects.create(
        coach=coach_b.coach_profile, weekday=0, starts_at=time(9), ends_at=time(12)
    )
    data: dict[str, Any] = form_data(
        **{
            "w-TOTAL_FORMS": "1",
            "w-INITIAL_FORMS": "1",
            "w-0-id": str(theirs.pk),
            "w-0-weekday": "3",
            "w-0-starts_at": "09:00",
            "w-0-ends_at": "12:00",
        }
    )
    client.post("/coach/availability/", data)
    theirs.refresh_from_db()
    assert theirs.weekday == 0
