from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone
from icalendar import Calendar
from time_machine import TimeMachineFixture

from coaching.assessments.selectors import available_slots
from coaching.models import Assessment, AvailabilityWindow, User
from exercises.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_coach(coach_a: User) -> User:
    """Coach A takes assessments every day 09:00-17:00 London time, with a video link."""
    coach = coach_a.coach_profile
    coach.video_link = "https://meet.example.com/alex"
    coach.save()
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(coach=coach, weekday=d, starts_at=time(9), ends_at=time(17))
        for d in range(7)
    )
    return coach_a


def intake(**overrides: Any) -> dict[str, Any]:
    """A booking form as a visitor fills it in, tapping "None of these apply"."""
    data = {
        "name": "Vera Visitor",
        "email": "vera@example.com",
        "phone": "",
        "where_it_hurts": "Lower back",
        "how_long": "Two months",
        "worse_with": "Sitting",
        "goals": "Garden again",
        "consent": "on",
        "tz": "America/New_York",
        "safety": "none",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def book(client: HttpClient, slot_value: str, **overrides: Any) -> Any:
    with_callbacks = overrides.pop("_callbacks", None)
    data = intake(slot=slot_value, **overrides)
    if with_callbacks:
        with with_callbacks(execute=True):
            return client.post("/assessment/book/", data)
    return client.post("/assessment/book/", data)


def first_slot() -> Any:
    return available_slots()[0]


def parse_ics(message: Any) -> Any:
    (name, content, mimetype), *_ = message.attachments
    assert name == "assessment.ics"
    return Calendar.from_ical(content), mimetype


def test_the_assessment_page_lists_free_times_in_the_visitors_zone(
    client: HttpClient, open_coach: User
) -> None:
    slot = first_slot()
    london = client.get("/assessment/")
    assert "why you might be in pain" in london.content.decode()
    assert quote(slot.value) in london.content.decode()
    kolkata = client.get("/assessment/?tz=Asia/Kolkata")
    label = timezone.localtime(slot.start, timezone=__import__("zoneinfo").ZoneInfo("Asia/Kolkata"))
    assert f">{label:%H:%M}</a>" in kolkata.content.decode()
    assert kolkata.cookies["tz"].value == "Asia/Kolkata"
    assert "Asia/Kolkata" in client.get("/assessment/").context["zone"]  # remembered


def test_slots_navigate_with_htmx(client: HttpClient, open_coach: User) -> None:
    later = (timezone.localdate() + timedelta(days=8)).isoformat()
    response = client.get(f"/assessment/?from={later}", headers={"HX-Request": "true"})
    assert response.template_name == "coaching/assessments/assessment.html#slot_list"
    assert response.context["groups"][0].day.isoformat() == later


def test_a_visitor_books_and_gets_a_confirmation_with_a_calendar_invite(
    client: HttpClient, open_coach: User, django_capture_on_commit_callbacks: Any
) -> None:
    slot = first_slot()
    response = book(client, slot.value, _callbacks=django_capture_on_commit_callbacks)
    booking = Assessment.objects.get()
    assert response["Location"].startswith("/assessment/manage/")
    assert (booking.starts_at, booking.status, booking.email) == (
        slot.start,
        "booked",
        "vera@example.com",
    )
    assert booking.visitor_time_zone == "America/New_York"
    visitor, coach_note = mail.outbox
    assert visitor.to == ["vera@example.com"] and coach_note.to == [open_coach.email]
    calendar, mimetype = parse_ics(visitor)
    assert mimetype == "text/calendar; method=REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert event.decoded("DTSTART") == slot.start
    assert str(event["UID"]).startswith(str(booking.uid))
    assert event["SEQUENCE"] == 0
    assert "https://meet.example.com/alex" in str(event["LOCATION"])
    assert "Alex Example" in str(event["SUMMARY"])
    ny = slot.start.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert f"{ny:%H:%M} (America/New_York)" in visitor.body
    page = client.get(response["Location"])
    assert "You're booked" in page.content.decode()


def test_the_manage_link_cannot_be_guessed_and_shows_only_its_booking(
    client: HttpClient, open_coach: User, django_capture_on_commit_callbacks: Any
) -> None:
    slots = available_slots()
    first = book(client, slots[0].value, _callbacks=django_capture_on_commit_callbacks)["Location"]
    second = book(
        client,
        slots[3].value,
        email="other@example.com",
        name="Otto Other",
        _callbacks=django_capture_on_commit_callbacks,
    )["Location"]
    token = first.split("/")[3]
    assert len(token) >= 40
    assert not Assessment.objects.filter(manage_token_hash=token).exists()  # only a hash is stored
    body = client.get(first).content.decode()
    assert "vera@example.com" in body and "Otto" not in body
    assert "Otto" not in client.get(first).content.decode()
    assert client.get(second).status_code == 200
    assert client.get("/assessment/manage/guess/").status_code == 404


def test_cancelling_frees_the_slot_and_sends_a_cancellation(
    client: HttpClient, open_coach: User, django_capture_on_commit_callbacks: Any
) -> None:
    slot = first_slot()
    manage = book(client, slot.value, _callbacks=django_capture_on_commit_callbacks)["Location"]
    assert slot.start not in {s.start for s in available_slots()}
    mail.outbox.clear()
    asked = client.post(manage.split("?")[0], {"action": "cancel"})
    assert "Cancel your assessment?" in asked.content.decode()
    assert "Move it to another time instead" in asked.content.decode()
    assert Assessment.objects.get().status == "booked" and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage.split("?")[0], {"action": "cancel", "confirm": "on"})
    assert Assessment.objects.get().status == "cancelled"
    assert slot.start in {s.start for s in available_slots()}
    calendar, mimetype = parse_ics(mail.outbox[0])
    assert calendar["METHOD"] == "CANCEL" and mimetype == "text/calendar; method=CANCEL"
    assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 1


def test_moving_keeps_the_uid_and_bumps_the_sequence(
    client: HttpClient, open_coach: User, django_capture_on_commit_callbacks: Any
) -> None:
    slots = available_slots()
    manage = book(client, slots[0].value, _callbacks=django_capture_on_commit_callbacks)["Location"]
    uid = str(Assessment.objects.get().uid)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage.split("?")[0], {"action": "move", "slot": slots[5].value})
    booking = Assessment.objects.get()
    assert booking.starts_at == slots[5].start and booking.sequence == 1
    event = parse_ics(mail.outbox[0])[0].walk("VEVENT")[0]
    assert str(event["UID"]).startswith(uid) and event["SEQUENCE"] == 1
    bad = client.post(
        manage.split("?")[0], {"action": "move", "slot": "1@2001-01-01T09:00Z"}, follow=True
    )
    assert "not free any more" in bad.content.decode()
    unknown = client.post(manage.split("?")[0], {"action": "delete"}, follow=True)
    assert "Choose to cancel or to move your assessment" in unknown.content.decode()
    assert Assessment.objects.get().status == "booked"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "nope"}, "email", "Enter an email address like"),
        ({"consent": None}, "consent", "Tick the box to agree"),
        ({"name": ""}, "name", "Enter your name"),
        ({"safety": None}, "safety", "Choose None of these apply"),
        ({"safety": "some"}, "safety", "nothing is ticked"),
        ({"other_signs": "maybe"}, "other_signs", "Select a valid choice"),
    ],
)
def test_bad_intake_is_explained_and_books_nothing(
    client: HttpClient, open_coach: User, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = book(client, first_slot().value, **overrides)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    body = response.content.decode()
    assert "<title>Error: Your details" in body and "There is a problem" in body
    assert "Vera Visitor" in body or field == "name"
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("slot_value", ["", "tampered", "1@2001-01-01T09Z"])
def test_a_malformed_slot_books_nothing_and_explains(
    client: HttpClient, open_coach: User, slot_value: str
) -> None:
    response = client.post("/assessment/book/", intake(slot=slot_value), follow=True)
    assert response.redirect_chain[-1][0] == "/assessment/"
    assert "That time is not available any more" in response.content.decode()
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "slot_value",
    [
        "1@2001-01-01T09:00Z",  # in the past
        "COACH@2030-01-01T09:00Z",  # beyond the horizon
        "COACH@NEXT_03:00",  # outside availability
        "999@NEXT_10:00",  # no such coach
    ],
)
def test_a_time_that_is_not_free_keeps_the_answers_and_offers_the_nearest(
    client: HttpClient, open_coach: User, slot_value: str
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=2)
    slot_value = (
        slot_value.replace("COACH", str(open_coach.coach_profile.pk))
        .replace("NEXT_03:00", f"{tomorrow:%Y-%m-%d}T03:00Z")
        .replace("NEXT_10:00", f"{tomorrow:%Y-%m-%d}T10:00Z")
    )
    response = client.post("/assessment/book/", intake(slot=slot_value))
    body = response.content.decode()
    assert response.status_code == 200 and "That time was just taken" in body
    assert 'value="Vera Visitor"' in body and "Garden again" in body
    assert len(response.context["nearest"]) == 6
    assert not Assessment.objects.exists()
    # A GET of such a link (an old page) goes back to the free times.
    page = client.get("/assessment/book/", {"slot": slot_value}, follow=True)
    assert page.redirect_chain[-1][0] == "/assessment/"


def test_a_slot_taken_meanwhile_keeps_every_answer_and_offers_the_nearest_times(
    client: HttpClient, open_coach: User, time_machine: TimeMachineFixture
) -> None:
    # At noon the first free times are tomorrow's from 09:00, so slots[1] to slots[5] are one
    # unbroken morning (at other hours slots[3] may open a day, with no neighbours before it).
    time_machine.move_to(
        datetime.combine(timezone.localdate(), time(12), timezone.get_current_timezone())
    )
    slots = available_slots()
    taken = slots[3]
    book(client, taken.value, email="first@example.com")
    late = HttpClient()
    response = late.post(
        "/assessment/book/",
        intake(slot=taken.value, email="late@example.com", phone="07700 900123"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Your details" in body and "That time was just taken" in body
    for kept in ["Vera Visitor", "late@example.com", "07700 900123", "Garden again", "Sitting"]:
        assert kept in body
    assert re.search(r'<input type="checkbox" name="consent"[^>]* checked', body)
    nearest = response.context["nearest"]
    assert taken.start not in {s.start for s in nearest}
    # The slots either side are blocked by the booking and its buffer; the next ones are offered.
    assert {slots[1].start, slots[5].start} <= {s.start for s in nearest}
    again = late.post("/assessment/book/", intake(slot=nearest[0].value, email="late@example.com"))
    assert again["Location"].startswith("/assessment/manage/")
    assert Assessment.objects.count() == 2


def test_the_honeypot_stops_bots(client: HttpClient, open_coach: User) -> None:
    response = book(client, first_slot().value, website="http://spam.example.com")
    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_field_errors_spend_nothing_but_valid_bookings_are_limited_per_address(
    client: HttpClient, open_coach: User
) -> None:
    """Eleven mistyped forms spend nothing; the 11th valid booking in an hour is refused."""
    slots = available_slots()[::2]  # an hour apart, so no booking blocks the next
    for _ in range(11):
        assert book(client, slots[0].value, email="bad").status_code == 200
    for i in range(10):
        response = book(client, slots[i].value, email=f"v{i}@example.com")
        assert response["Location"].startswith("/assessment/manage/"), i
    response = book(client, slots[10].value)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "too many bookings from your connection" in response.content.decode()
    assert Assessment.objects.count() == 10


# --- Coach side ---------------------------------------------------------------------


def past_assessment(coach: User, **fields: Any) -> Assessment:
    start = timezone.now() - timedelta(days=1)
    values = {
        "coach": coach.coach_profile,
        "starts_at": start,
        "ends_at": start + timedelta(minutes=30),
        "blocked_until": start + timedelta(minutes=45),
        "manage_token_hash": f"hash-{coach.pk}-{fields.get('email', 'x')}",
        "name": "Paula Past",
        "email": "paula@example.com",
        "where_it_hurts": "Lower back",
        "how_long": "A year",
        "consented_at": start - timedelta(days=2),
    }
    values.update(fields)
    return Assessment.objects.create(**values)


def test_a_coach_records_an_outcome_and_starts_a_program(
    client: HttpClient, coach_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    found = past_assessment(coach_a)
    client.force_login(coach_a)
    page = client.get("/coach/assessments/").content.decode()
    assert "Paula Past" in page and "Lower back" in page
    assert f'name="a{found.pk}-why_in_pain"' in page
    bad = client.post(f"/coach/assessments/{found.pk}/outcome/", {f"a{found.pk}-why_in_pain": ""})
    assert "Write what you found about why they are in pain" in bad.content.decode()
    stage = Stage.objects.get(progression__slug="hip-hinge", position=2)
    client.post(
        f"/coach/assessments/{found.pk}/outcome/",
        {
            f"a{found.pk}-why_in_pain": "Flexes the lumbar spine to bend",
            f"a{found.pk}-movements_to_do": "Rock backs",
            f"a{found.pk}-recommended_stage": stage.pk,
        },
    )
    found.refresh_from_db()
    assert found.status == "completed" and found.has_outcome
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/coach/assessments/{found.pk}/start/")
    found.refresh_from_db()
    assert response["Location"] == f"/coach/clients/{found.client.pk}/"
    assert found.client.user.email == "paula@example.com"
    assert found.client.consented_at == found.consented_at
    assert [m.to for m in mail.outbox] == [["paula@example.com"]]
    link = re.search(r"(/accounts/invite/\S+/)", mail.outbox[0].body).group(1)
    visitor = HttpClient()
    visitor.post(
        link, {"password1": "a-long-pass-99", "password2": "a-long-pass-99", "consent": "on"}
    )
    today = visitor.get("/me/").content.decode()
    assert "Stage 2 of 8: Kneeling hip thrust" in today
    assert "Flexes the lumbar spine to bend" in today
    summary = found.client.assessment_summary
    assert summary.why_in_pain == "Flexes the lumbar spine to bend"
    assert summary.movements_to_do == "Rock backs"


def test_marking_status_and_privacy_between_coaches(
    client: HttpClient, coach_a: User, coach_b: User
) -> None:
    found = past_assessment(coach_a)
    client.force_login(coach_b)
    assert "Paula Past" not in client.get("/coach/assessments/").content.decode()
    assert (
        client.post(f"/coach/assessments/{found.pk}/status/", {"status": "no_show"}).status_code
        == 404
    )
    assert client.post(f"/coach/assessments/{found.pk}/start/").status_code == 404
    client.force_login(coach_a)
    bogus = client.post(f"/coach/assessments/{found.pk}/status/", {"status": "gone"}, follow=True)
    assert "Choose completed or no-show." in bogus.content.decode()
    found.refresh_from_db()
    assert found.status == "booked"
    client.post(f"/coach/assessments/{found.pk}/status/", {"status": "no_show"})
    found.refresh_from_db()
    assert found.status == "no_show"


def test_availability_is_edited_with_clear_errors(client: HttpClient, coach_a: User) -> None:
    client.force_login(coach_a)
    base = {
        "me-time_zone": "Europe/London",
        "me-video_link": "meet.example.com/alex",
        "w-TOTAL_FORMS": "1",
        "w-INITIAL_FORMS": "0",
        "off-TOTAL_FORMS": "1",
        "off-INITIAL_FORMS": "0",
        "w-0-weekday": "0",
        "w-0-starts_at": "12:00",
        "w-0-ends_at": "09:00",
    }
    bad = client.post("/coach/availability/", base)
    assert "The end time must be after the start time" in bad.content.decode()
    assert not AvailabilityWindow.objects.exists()
    client.post("/coach/availability/", {**base, "w-0-starts_at": "09:00", "w-0-ends_at": "12:00"})
    window = AvailabilityWindow.objects.get()
    assert (window.weekday, f"{window.starts_at:%H:%M}") == (0, "09:00")
    coach_a.coach_profile.refresh_from_db()
    assert coach_a.coach_profile.video_link == "https://meet.example.com/alex"


def test_the_free_times_page_costs_the_same_queries_whatever_the_data(
    client: HttpClient, open_coach: User, coach_b: User
) -> None:
    """Coaches, their windows, time off and bookings, the rules: a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert HttpClient().get("/assessment/").status_code == 200
        return len(captured.captured_queries)

    queries()  # the first visit creates the booking rules row
    few = queries()
    slots = available_slots()
    for i in range(8):
        book(client, slots[i * 3].value, email=f"q{i}@example.com")
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            coach=coach_b.coach_profile, weekday=d, starts_at=time(8), ends_at=time(18)
        )
        for d in range(7)
    )
    assert queries() == few <= 6
