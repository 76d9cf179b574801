"""Background work for the assessment: emails with .ics invites, reminders, the waitlist's
offers, and the housekeeping `manage.py tick` queues.

Arguments are ids, sequence numbers, links and times: never anything the visitor
said about their health, and no email says it either.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clients.tasks import absolute_url
from coaching.assessments import calendars, links
from coaching.assessments.models import Assessment


def _local_time(moment: datetime, zone_name: str) -> str:
    return f"{moment.astimezone(ZoneInfo(zone_name)):%A %-d %B %Y at %H:%M} ({zone_name})"


def _when(assessment: Assessment) -> str:
    return _local_time(assessment.starts_at, assessment.visitor_time_zone)


def _manage_link(assessment: Assessment) -> str:
    token = links.link_token(assessment, links.MANAGE)
    if token is None:
        return ""
    return absolute_url(links.manage_path(token))


def _load(assessment_id: int) -> Assessment | None:
    return Assessment.objects.select_related("coach__user").filter(pk=assessment_id).first()


def _context(assessment: Assessment, **extra: object) -> dict[str, object]:
    return {
        "assessment": assessment,
        "first_name": assessment.first_name,
        "when": _when(assessment),
        "coach": assessment.coach.user.display_name,
        "video_link": assessment.call_link,
        "book_link": absolute_url(reverse("coaching:assessment")),
        "studio_name": settings.STUDIO_NAME,
        **extra,
    }


def _email_visitor(assessment: Assessment, subject: str, template: str, **extra: object) -> None:
    """A plain-text email to the visitor, no attachment."""
    EmailMessage(
        subject=subject,
        body=render_to_string(template, _context(assessment, **extra)),
        to=[assessment.email],
    ).send()


def _still_booked(assessment_id: int, sequence: int) -> Assessment | None:
    """The booking, unless it was cancelled or moved (a new sequence) since the task was queued."""
    assessment = _load(assessment_id)
    if (
        assessment is None
        or assessment.status != Assessment.Status.BOOKED
        or assessment.sequence != sequence
    ):
        return None
    return assessment


SUBJECTS = {
    "booked": "Your free movement assessment is booked",
    "moved": "Your free movement assessment has moved",
    "cancelled": "Your free movement assessment is cancelled",
}


@task
def send_assessment_emails(assessment_id: int, manage_path: str, kind: str) -> None:
    """Tell the visitor and the coach about a booking change, each with a calendar invite."""
    assessment = _load(assessment_id)
    if assessment is None:
        return
    manage_link = absolute_url(manage_path) if manage_path else _manage_link(assessment)
    context = _context(assessment, kind=kind, manage_link=manage_link)
    method = "CANCEL" if kind == "cancelled" else "REQUEST"
    mimetype = f"text/calendar; method={method}"
    visitor = EmailMessage(
        subject=SUBJECTS[kind],
        body=render_to_string("coaching/assessments/emails/assessment_visitor.txt", context),
        to=[assessment.email],
    )
    visitor.attach(
        "assessment.ics",
        calendars.invite(assessment, method=method, manage_link=manage_link),
        mimetype,
    )
    visitor.send()
    coach_zone = ZoneInfo(assessment.coach.time_zone)
    late = " (late cancel)" if kind == "cancelled" and assessment.late_cancel else ""
    coach = EmailMessage(
        subject=f"Assessment {kind}{late}: {assessment.name}",
        body=render_to_string(
            "coaching/assessments/emails/assessment_coach.txt",
            {
                **context,
                "late": bool(late),
                "coach_when": f"{assessment.starts_at.astimezone(coach_zone):%A %-d %B at %H:%M}",
                "coach_link": absolute_url(reverse("coaching:coach_assessments")),
            },
        ),
        to=[assessment.coach.user.email],
    )
    coach.attach(
        "assessment.ics", calendars.invite(assessment, method=method, for_coach=True), mimetype
    )
    coach.send()


@task
def send_manage_link(assessment_id: int, link_path: str) -> None:
    """Someone asked to book again with this email: its owner gets the booking's link again."""
    assessment = _load(assessment_id)
    if assessment is None or assessment.status not in {"booked", "held"}:
        return
    _email_visitor(
        assessment,
        "Your free movement assessment: your private link",
        "coaching/assessments/emails/manage_link.txt",
        manage_link=absolute_url(link_path),
    )


REMINDER_SUBJECTS = {
    "day": "Tomorrow: your free movement assessment",
    "hour": "In an hour: your free movement assessment",
}


def _send_reminder(assessment: Assessment, which: str, manage_link: str) -> None:
    _email_visitor(
        assessment,
        REMINDER_SUBJECTS[which],
        "coaching/assessments/emails/assessment_reminder.txt",
        which=which,
        manage_link=manage_link,
    )


@task
def send_reminder(assessment_id: int, sequence: int, which: str) -> None:
    """The reminder a day ("day") or an hour ("hour") before; skipped after a cancel or move."""
    assessment = _still_booked(assessment_id, sequence)
    if assessment is None:
        return
    _send_reminder(assessment, which, _manage_link(assessment))


@task
def send_assessment_reminder(assessment_id: int, sequence: int, manage_path: str) -> None:
    """The day-before reminder as bookings scheduled it before `manage.py tick` took over.

    Kept so reminders already waiting in the queue still run; tick's claim on the
    same booking (day_reminder_at) means only one of the two is ever sent.
    """
    assessment = _still_booked(assessment_id, sequence)
    if assessment is None:
        return
    claimed = Assessment.objects.filter(pk=assessment.pk, day_reminder_at__isnull=True).update(
        day_reminder_at=assessment.starts_at
    )
    if claimed:
        _send_reminder(assessment, "day", absolute_url(manage_path))


@task
def send_hold_offer(assessment_id: int, hold_path: str) -> None:
    """A time the visitor waited for is free and held for them for 30 minutes."""
    assessment = _load(assessment_id)
    if assessment is None or assessment.status != Assessment.Status.HELD:
        return
    until = assessment.held_until or assessment.starts_at
    _email_visitor(
        assessment,
        "A free assessment time you wanted is held for you",
        "coaching/assessments/emails/hold_offer.txt",
        hold_link=absolute_url(hold_path),
        held_until=f"{until.astimezone(ZoneInfo(assessment.visitor_time_zone)):%H:%M}",
    )


@task
def send_outcome_link(assessment_id: int, outcome_path: str) -> None:
    """The coach wrote up the assessment: a link to read it (the email itself says nothing)."""
    assessment = _load(assessment_id)
    if assessment is None:
        return
    _email_visitor(
        assessment,
        "Your movement assessment: your coach's summary is ready",
        "coaching/assessments/emails/outcome_ready.txt",
        outcome_link=absolute_url(outcome_path),
    )


# --- Housekeeping queued by manage.py tick (each idempotent; `now` is an ISO time) ----------


def _at_least_now(stamp: str) -> datetime:
    """The time a task was queued for, or the present if the worker picked it up later."""
    return max(datetime.fromisoformat(stamp), timezone.now())


@task
def release_lapsed_holds_task(now: str) -> None:
    from coaching.assessments.services import waitlist

    moment = _at_least_now(now)
    waitlist.release_lapsed_holds(now=moment)
    waitlist.offer_waitlist_slots(now=moment)


@task
def offer_waitlist_task(now: str) -> None:
    from coaching.assessments.services import waitlist

    waitlist.offer_waitlist_slots(now=_at_least_now(now))


@task
def purge_waitlist_task(now: str) -> None:
    from coaching.assessments.services import waitlist

    waitlist.purge_waitlist(now=datetime.fromisoformat(now))


@task
def expire_outcome_links_task(now: str) -> None:
    from coaching.assessments import services

    services.expire_outcome_links(now=datetime.fromisoformat(now))
