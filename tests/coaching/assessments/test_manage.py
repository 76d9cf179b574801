"""The visitor's private page: add to calendar, move outside the cutoff, cancel always (late
inside it), with a confirmation that offers to move first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.test import Client as HttpClient
from icalendar import Calendar

from coaching.assessments.selectors import available_slots
from coaching.models import Assessment, BookingRules, Coach, User
from tests.coaching.assessments.test_booking import book, parse_ics
from tests.factories import make_coach

pytestmark = pytest.mark.django_db


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def test_the_confirmation_page_adds_to_google_outlook_and_other_calendars(
    client: HttpClient, booked_page: str
) -> None:
    booking = Assessment.objects.get()
    page = client.get(booked_page + "?booked=1")
    assert "You're booked" in page.content.decode() and "Add to calendar" in page.content.decode()
    links = page.context["calendar_links"]
    google, outlook = urlparse(links["google"]), urlparse(links["outlook"])
    assert (google.netloc, google.path) == ("calendar.google.com", "/calendar/render")
    g = query(links["google"])
    start, end = (
        datetime.strptime(t, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) for t in g["dates"].split("/")
    )
    assert (start, end) == (booking.starts_at, booking.ends_at)
    assert g["action"] == "TEMPLATE" and g["text"] == "Free movement assessment with Alex Example"
    assert g["location"] == "https://meet.example.com/alex"
    assert "Lower back" not in links["google"] + links["outlook"]  # no intake answers
    assert outlook.netloc == "outlook.live.com"
    o = query(links["outlook"])
    assert datetime.fromisoformat(o["startdt"]) == booking.starts_at
    assert datetime.fromisoformat(o["enddt"]) == booking.ends_at
    assert o["subject"] == g["text"] and o["rru"] == "addevent"
    ics = client.get(booked_page + "assessment.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == booking.starts_at
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY" and alarm.decoded("TRIGGER") == -timedelta(minutes=30)
    assert ics["Cache-Control"].startswith("no-store")


def test_every_invite_carries_an_alarm_and_the_coach_gets_one_too(
    client: HttpClient, open_coach: User, django_capture_on_commit_callbacks: Any
) -> None:
    book(client, available_slots()[0].value, _callbacks=django_capture_on_commit_callbacks)
    visitor, coach = mail.outbox
    assert coach.to == [open_coach.email]
    for message in (visitor, coach):
        calendar, mimetype = parse_ics(message)
        event = calendar.walk("VEVENT")[0]
        assert mimetype == "text/calendar; method=REQUEST"
        assert event.walk("VALARM"), message.to
    coach_event = parse_ics(coach)[0].walk("VEVENT")[0]
    assert str(coach_event["SUMMARY"]) == "Assessment: Vera Visitor"
    assert "Lower back" not in coach.body + coach_event.to_ical().decode()


def test_each_booking_can_have_its_own_video_room(
    client: HttpClient, open_coach: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ASSESSMENT_ROOM_URL_TEMPLATE = "https://meet.jit.si/rtf-{room}"
    slots = available_slots()
    book(client, slots[0].value, _callbacks=django_capture_on_commit_callbacks)
    book(
        client,
        slots[6].value,
        email="otto@example.com",
        _callbacks=django_capture_on_commit_callbacks,
    )
    first, second = Assessment.objects.order_by("starts_at")
    assert first.call_link.startswith("https://meet.jit.si/rtf-") and len(first.room_token) == 24
    assert first.call_link != second.call_link
    visitor = next(m for m in mail.outbox if m.to == ["vera@example.com"])
    assert first.call_link in visitor.body
    assert str(parse_ics(visitor)[0].walk("VEVENT")[0]["LOCATION"]) == first.call_link


def move_booking_to(hours_ahead: float) -> Assessment:
    booking = Assessment.objects.get()
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=hours_ahead)
    Assessment.objects.filter(pk=booking.pk).update(
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        blocked_until=start + timedelta(minutes=45),
    )
    return booking


def test_outside_the_cutoff_a_booking_moves(client: HttpClient, booked_page: str) -> None:
    move_booking_to(13)
    target = available_slots()[-1]
    client.post(booked_page, {"action": "move", "slot": target.value})
    booking = Assessment.objects.get()
    assert booking.starts_at == target.start and booking.sequence == 1


def test_inside_the_cutoff_a_booking_cannot_move_but_can_still_cancel_and_is_marked_late(
    client: HttpClient, booked_page: str
) -> None:
    move_booking_to(11)
    page = client.get(booked_page).content.decode()
    assert "can no longer be moved. You can still cancel it." in page
    assert 'name="slot"' not in page
    refused = client.post(
        booked_page, {"action": "move", "slot": available_slots()[-1].value}, follow=True
    )
    assert "can no longer be moved" in refused.content.decode()
    asked = client.post(booked_page, {"action": "cancel"}).content.decode()
    assert "Cancel your assessment?" in asked and "less than 12 hours" in asked
    client.post(booked_page, {"action": "cancel", "confirm": "on"})
    booking = Assessment.objects.get()
    assert booking.status == "cancelled" and booking.late_cancel
    assert booking.where_it_hurts == "" and booking.goals == ""  # the intake goes with it
    coach = HttpClient()
    coach.force_login(booking.coach.user)
    assert "Cancelled: late" in coach.get("/coach/assessments/").content.decode()


def test_the_cutoff_and_the_notice_are_booking_rules_in_the_admin(
    client: HttpClient, booked_page: str, studio_admin: User
) -> None:
    rules = BookingRules.load()
    assert (rules.min_notice_hours, rules.reschedule_cutoff_hours) == (12, 12)
    rules.reschedule_cutoff_hours = 2
    rules.save()
    move_booking_to(3)
    target = available_slots()[-1]
    client.post(booked_page, {"action": "move", "slot": target.value})
    assert Assessment.objects.get().starts_at == target.start
    admin = HttpClient()
    admin.force_login(studio_admin)
    page = admin.get(f"/admin/coaching/bookingrules/{rules.pk}/change/").content.decode()
    assert "reschedule_cutoff_hours" in page and "min_notice_hours" in page


def test_a_cancel_well_before_is_not_late(client: HttpClient, booked_page: str) -> None:
    move_booking_to(48)
    client.post(booked_page, {"action": "cancel", "confirm": "on"})
    assert not Assessment.objects.get().late_cancel


@pytest.mark.parametrize("ending", ["cancelled", "taken place"])
def test_after_a_cancel_or_the_appointment_the_link_no_longer_says_who_it_was_for(
    client: HttpClient, booked_page: str, ending: str
) -> None:
    assert "Vera Visitor (vera@example.com)" in client.get(booked_page).content.decode()
    assert client.get(booked_page + "assessment.ics").status_code == 200
    if ending == "cancelled":
        client.post(booked_page, {"action": "cancel", "confirm": "on"})
        expected = "Book a new time"
    else:
        move_booking_to(-1)
        expected = "This assessment has taken place"
    page = client.get(booked_page).content.decode()
    assert expected in page
    for private in ("Vera", "vera@example.com", "Cancel my assessment", "Add to calendar"):
        assert private not in page
    assert client.get(booked_page + "assessment.ics").status_code == 404
    if ending == "taken place":
        refused = client.post(booked_page, {"action": "cancel", "confirm": "on"}, follow=True)
        assert "already taken place" in refused.content.decode()
        assert Assessment.objects.get().status == "booked"


def test_the_head_coach_joins_only_their_own_next_call(open_coach: User) -> None:
    """The head coach sees every coach's bookings, but "Join" opens their own call."""
    head = make_coach("head@example.com", first_name="Hana", head=True)
    Coach.objects.filter(user=head).update(video_link="https://meet.example.com/hana")
    soon = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=2)
    for coach, start, name in [
        (open_coach, soon, "Early Bird"),
        (head, soon + timedelta(hours=3), "Late Owl"),
    ]:
        Assessment.objects.create(
            coach=coach.coach_profile,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            blocked_until=start + timedelta(minutes=45),
            manage_token_hash=f"{coach.pk:064d}",
            name=name,
            email=f"{name.split()[0].lower()}@example.com",
            consented_at=start,
        )
    web = HttpClient()
    web.force_login(head)
    page = web.get("/coach/assessments/").content.decode()
    assert "Early Bird" in page  # in the list
    join = page.split('id="next-call-title"')[1].split("</section>")[0]
    assert "Late Owl" in join and "https://meet.example.com/hana" in join
    assert "Early Bird" not in join


def test_the_assessments_page_puts_each_intake_it_shows_on_the_audit_trail(
    client: HttpClient, booked_page: str, open_coach: User
) -> None:
    from clients.audit.models import AuditEntry

    booking = Assessment.objects.get()
    coach = HttpClient()
    coach.force_login(open_coach)
    assert "Lower back" in coach.get("/coach/assessments/").content.decode()
    (entry,) = AuditEntry.objects.filter(
        content_type__model="assessment", object_id=booking.pk, additional_data__what="view"
    )
    assert entry.actor == open_coach and entry.object_repr == "assessments page"


def make_past_assessments(coach: User, count: int) -> None:
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=400)
    Assessment.objects.bulk_create(
        Assessment(
            coach=coach.coach_profile,
            starts_at=start + timedelta(hours=n),
            ends_at=start + timedelta(hours=n, minutes=30),
            blocked_until=start + timedelta(hours=n, minutes=45),
            status="completed",
            manage_token_hash=f"{n:064d}",
            name=f"Past Visitor{n}",
            email=f"past{n}@example.com",
            consented_at=start,
        )
        for n in range(count)
    )


def test_the_assessments_page_makes_the_same_queries_for_a_short_or_long_history(
    open_coach: User, django_assert_num_queries: Any
) -> None:
    """At most 50 past rows, and the same queries for 2 assessments or 122."""
    coach = HttpClient()
    coach.force_login(open_coach)
    make_past_assessments(open_coach, 2)
    coach.get("/coach/assessments/")
    with django_assert_num_queries(9) as short:
        coach.get("/coach/assessments/")
    Assessment.objects.all().delete()
    make_past_assessments(open_coach, 120)
    with django_assert_num_queries(len(short.captured_queries)):
        page = coach.get("/coach/assessments/").content.decode()
    assert page.count('id="p-') == 50
    assert "Past Visitor119" in page and "Past Visitor69" not in page


def test_a_recorded_outcome_opens_on_its_own_for_its_coach_only(
    open_coach: User, coach_b: User
) -> None:
    """The list carries a link to each recorded outcome, not its form; opening it is a view
    of that assessment on the trail. Another coach gets a 404."""
    from clients.audit.models import AuditEntry

    make_past_assessments(open_coach, 1)
    found = Assessment.objects.get()
    Assessment.objects.filter(pk=found.pk).update(
        why_in_pain="Stiff hips", outcome_recorded_at=found.ends_at
    )
    coach = HttpClient()
    coach.force_login(open_coach)
    listing = coach.get("/coach/assessments/").content.decode()
    url = f"/coach/assessments/{found.pk}/outcome/"
    assert f'hx-get="{url}"' in listing and f'name="a{found.pk}-why_in_pain"' not in listing
    fragment = coach.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Stiff hips" in fragment and "Save outcome" in fragment
    page = coach.get(url).content.decode()
    assert "<html" in page and "Outcome of Past Visitor0" in page
    assert (
        AuditEntry.objects.filter(
            content_type__model="assessment", object_id=found.pk, object_repr="outcome form"
        ).count()
        == 2
    )
    other = HttpClient()
    other.force_login(coach_b)
    assert other.get(url).status_code == 404


@pytest.mark.parametrize("huge", ["99999999999999999999", "-1", "1.5", "٣"])
def test_an_impossible_stage_id_is_a_wrong_choice_not_a_crash(open_coach: User, huge: str) -> None:
    make_past_assessments(open_coach, 1)
    found = Assessment.objects.get()
    coach = HttpClient()
    coach.force_login(open_coach)
    data = {f"a{found.pk}-why_in_pain": "Stiff", f"a{found.pk}-avoid_stages": [huge]}
    response = coach.post(f"/coach/assessments/{found.pk}/outcome/", data)
    assert response.status_code == 200
    assert "Choose from the exercises listed" in response.content.decode()
    data = {f"a{found.pk}-why_in_pain": "Stiff", f"a{found.pk}-recommended_stage": huge}
    response = coach.post(f"/coach/assessments/{found.pk}/outcome/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose one of the stages listed" in body or "Use the digits 0 to 9" in body
