"""Calendars for the assessment: .ics invites with an alarm, "add to calendar" links for
Google and Outlook, and a coach's private feed. Titles and descriptions carry who and
when, never what the visitor said about their health."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from coaching.assessments.models import Assessment

TITLE = "Free movement assessment"
ALARM_BEFORE = timedelta(minutes=30)


def _uid(assessment: Assessment) -> str:
    return f"{assessment.uid}@{settings.STUDIO_NAME.replace(' ', '-').lower()}"


def visitor_title(assessment: Assessment) -> str:
    return f"{TITLE} with {assessment.coach.user.display_name}"


def visitor_details(assessment: Assessment, manage_link: str = "") -> str:
    lines = [f"Your free 30-minute live online movement assessment with {assessment.coach}."]
    if assessment.call_link:
        lines.append(f"Join the video call: {assessment.call_link}")
    if manage_link:
        lines.append(f"Cancel or move it: {manage_link}")
    return "\n".join(lines)


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.STUDIO_NAME}//Assessments//EN")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def _alarm(description: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", -ALARM_BEFORE)
    return alarm


def _event(assessment: Assessment) -> Event:
    """The event's identity and times; a moved booking keeps its uid with a higher sequence."""
    event = Event()
    event.add("uid", _uid(assessment))
    event.add("sequence", assessment.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", assessment.starts_at)
    event.add("dtend", assessment.ends_at)
    return event


def invite(
    assessment: Assessment,
    *,
    method: str = "REQUEST",
    for_coach: bool = False,
    manage_link: str = "",
) -> bytes:
    """An iCalendar invite (or cancellation) for one assessment, with an alarm before it."""
    calendar = _calendar(method)
    event = _event(assessment)
    coach = assessment.coach.user.display_name
    if for_coach:
        title = f"Assessment: {assessment.name}"
        event.add("summary", title)
        event.add("description", "Free movement assessment." + _join_line(assessment))
    else:
        title = visitor_title(assessment)
        event.add("summary", title)
        event.add("description", visitor_details(assessment, manage_link))
    link = assessment.call_link
    if link:
        event.add("location", vText(link))
        event.add("url", link)
    organizer = vCalAddress(f"mailto:{assessment.coach.user.email}")
    organizer.params["cn"] = vText(coach)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{assessment.email}")
    attendee.params["cn"] = vText(assessment.name)
    event.add("attendee", attendee)
    if method == "CANCEL":
        event.add("status", "CANCELLED")
    else:
        event.add_component(_alarm(title))
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics


def _join_line(assessment: Assessment) -> str:
    return f"\nJoin the video call: {assessment.call_link}" if assessment.call_link else ""


def coach_feed(assessments: Iterable[Assessment], *, coach_name: str) -> bytes:
    """A coach's bookings as a subscribable calendar: first names and "Assessment" only."""
    calendar = _calendar()
    calendar.add("x-wr-calname", f"{settings.STUDIO_NAME}: {coach_name}'s assessments")
    for assessment in assessments:
        event = _event(assessment)
        title = f"Assessment: {assessment.first_name}" if assessment.first_name else "Assessment"
        event.add("summary", title)
        if assessment.call_link:
            event.add("location", vText(assessment.call_link))
        event.add_component(_alarm(title))
        calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def google_calendar_url(
    *, title: str, start: datetime, end: datetime, details: str, where: str
) -> str:
    """Google Calendar's "create event" page, filled in (times in UTC, "Z" form)."""
    stamp = "%Y%m%dT%H%M%SZ"
    query = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{_utc(start):{stamp}}/{_utc(end):{stamp}}",
        "details": details,
        "location": where,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(
    *, title: str, start: datetime, end: datetime, details: str, where: str
) -> str:
    """Outlook on the web's "new event" page, filled in (ISO 8601 times in UTC)."""
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": f"{_utc(start):{stamp}}",
        "enddt": f"{_utc(end):{stamp}}",
        "body": details,
        "location": where,
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)
