"""Background work for the assessment: confirmation, change and reminder emails with .ics."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clients.tasks import absolute_url
from coaching.assessments.models import Assessment


def _ics(assessment: Assessment, *, method: str) -> bytes:
    """An iCalendar invite (or cancellation) for one assessment."""
    from icalendar import Calendar, Event, vCalAddress, vText

    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.STUDIO_NAME}//Assessments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"{assessment.uid}@{settings.STUDIO_NAME.replace(' ', '-').lower()}")
    event.add("sequence", assessment.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", assessment.starts_at)
    event.add("dtend", assessment.ends_at)
    coach = assessment.coach.user.display_name
    event.add("summary", f"Free movement assessment with {coach}")
    link = assessment.coach.video_link
    event.add(
        "description",
        f"Your free 30-minute live online movement assessment with {coach}."
        + (f"\nJoin the video call: {link}" if link else ""),
    )
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
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics


def _local_time(assessment: Assessment) -> str:
    name = assessment.visitor_time_zone
    return f"{assessment.starts_at.astimezone(ZoneInfo(name)):%A %-d %B %Y at %H:%M} ({name})"


SUBJECTS = {
    "booked": "Your free movement assessment is booked",
    "moved": "Your free movement assessment has moved",
    "cancelled": "Your free movement assessment is cancelled",
}


@task
def send_assessment_emails(assessment_id: int, manage_path: str, kind: str) -> None:
    """Tell the visitor (with a calendar invite) and the coach about a booking change."""
    assessment = Assessment.objects.select_related("coach__user").get(pk=assessment_id)
    context = {
        "assessment": assessment,
        "kind": kind,
        "when": _local_time(assessment),
        "coach": assessment.coach.user.display_name,
        "video_link": assessment.coach.video_link,
        "manage_link": absolute_url(manage_path) if manage_path else "",
        "book_link": absolute_url(reverse("coaching:assessment")),
        "studio_name": settings.STUDIO_NAME,
    }
    method = "CANCEL" if kind == "cancelled" else "REQUEST"
    message = EmailMessage(
        subject=SUBJECTS[kind],
        body=render_to_string("coaching/assessments/emails/assessment_visitor.txt", context),
        to=[assessment.email],
    )
    message.attach(
        "assessment.ics", _ics(assessment, method=method), f"text/calendar; method={method}"
    )
    message.send()
    coach_zone = ZoneInfo(assessment.coach.time_zone)
    send_mail(
        subject=f"Assessment {kind}: {assessment.name}",
        message=render_to_string(
            "coaching/assessments/emails/assessment_coach.txt",
            {
                **context,
                "coach_when": f"{assessment.starts_at.astimezone(coach_zone):%A %-d %B at %H:%M}",
                "coach_link": absolute_url(reverse("coaching:coach_assessments")),
            },
        ),
        from_email=None,
        recipient_list=[assessment.coach.user.email],
    )


@task
def send_assessment_reminder(assessment_id: int, sequence: int, manage_path: str) -> None:
    """The day-before reminder; skipped if the booking was cancelled or moved since."""
    assessment = Assessment.objects.select_related("coach__user").filter(pk=assessment_id).first()
    if (
        assessment is None
        or assessment.status != Assessment.Status.BOOKED
        or assessment.sequence != sequence
    ):
        return
    send_mail(
        subject="Tomorrow: your free movement assessment",
        message=render_to_string(
            "coaching/assessments/emails/assessment_reminder.txt",
            {
                "assessment": assessment,
                "when": _local_time(assessment),
                "coach": assessment.coach.user.display_name,
                "video_link": assessment.coach.video_link,
                "manage_link": absolute_url(manage_path),
            },
        ),
        from_email=None,
        recipient_list=[assessment.email],
    )
